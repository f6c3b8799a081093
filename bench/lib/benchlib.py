# SPDX-License-Identifier: GPL-2.0-only
"""Helpers shared by the benchmarks that compare ddeos with the Linux guest
(bench/blk, bench/net): the spread of repeated measurements, how a cell of
a results table is written, the gnuplot call, and a QEMU run through
tools/qemu-run (which keeps every network on this machine) whose console
is watched for lines.
"""

import os
import re
import shutil
import statistics
import subprocess
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU_RUN = os.path.join(TOP, "tools", "qemu-run")


def stats(v):
    """(median, min, max) of a list of numbers, or None if it is empty."""
    if not v:
        return None
    return statistics.median(v), min(v), max(v)


def fmt(s, scale=1.0, nd=0):
    """A stats() triple as 'median (min-max)'; '-' for None."""
    if s is None:
        return "-"
    med, lo, hi = (x * scale for x in s)
    return f"{med:.{nd}f} ({lo:.{nd}f}-{hi:.{nd}f})"


def gnuplot(script):
    """Run a gnuplot script if gnuplot is installed. Return: True if run."""
    if not shutil.which("gnuplot"):
        return False
    subprocess.run(["gnuplot", "-e", script], check=False)
    return True


class Qemu:
    """One guest under tools/qemu-run, its serial console in a log file that
    wait_for() reads; stop() ends it (and qemu-run's QEMU dies with it)."""

    def __init__(self, args, log, timeout):
        self.log = log
        # A log left by an earlier run would answer wait_for() before
        # qemu-run truncates it: the lines waited for must be this boot's.
        try:
            os.unlink(log)
        except FileNotFoundError:
            pass
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            [QEMU_RUN, "--quiet", "--log", log, "--timeout", str(timeout)]
            + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT)

    def text(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for(self, regex, timeout):
        """The first match of regex (multiline) in the console, or None if
        QEMU ended or timeout seconds passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(regex, self.text(), re.M)
            if m:
                return m
            if self.proc.poll() is not None:
                # Its last lines may have landed after the search above.
                return re.search(regex, self.text(), re.M)
            time.sleep(0.1)
        return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
