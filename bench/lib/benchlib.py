# SPDX-License-Identifier: GPL-2.0-only
"""Helpers shared by the benchmarks that compare ddeos with the Linux guest
(bench/blk, bench/net, bench/boot/machines): the spread of repeated
measurements, how a cell of a results table is written, the gnuplot call,
a QEMU run through tools/qemu-run (which keeps every network on this
machine) whose console is watched for lines, and what changes between the
machines a benchmark runs on (q35 with virtio-pci, microvm with
virtio-mmio).
"""

import os
import re
import shutil
import statistics
import subprocess
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU_RUN = os.path.join(TOP, "tools", "qemu-run")

# The machines bench/blk and bench/net run on: q35 (the default, virtio
# over PCI) and microvm (virtio over MMIO, QEMU's default acpi=on, so that
# the Linux guest's virtio_mmio finds the transports in the DSDT: Debian's
# kernel has no CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES).
MACHINES = ("q35", "microvm")


def add_machine_arg(parser):
    """--machine q35|microvm; argparse refuses any other value, naming
    the choices."""
    parser.add_argument("--machine", choices=MACHINES, default="q35",
                        help="q35 (virtio-pci, the default) or microvm "
                        "(virtio-mmio: virtio-blk-device, virtio-net-device)")


def virtio_device(kind, machine):
    """The QEMU device of a virtio @kind ("blk" or "net") on @machine:
    virtio-KIND-pci on q35, virtio-KIND-device (virtio-mmio) on microvm."""
    return f"virtio-{kind}-{'device' if machine == 'microvm' else 'pci'}"


def smp_value(smp, accel="tcg"):
    """-smp's value for @smp CPUs, as tools/qemu-run gives it: under TCG
    one CPU is booted as 1,maxcpus=2 (one vCPU and an absent possible
    one), since QEMU 7.2's TCG drops the guest's memory barriers when only
    one CPU is possible and loses virtio kicks (docs/net.md)."""
    return "1,maxcpus=2" if smp == 1 and accel == "tcg" else str(smp)


def host_tsc_khz():
    """The host's TSC rate in kHz (bench/boot/tsc_khz.c, built here with
    the host's gcc, once per process). Safe from several threads (tools/check
    runs its jobs in threads) and beside another process doing the same:
    the program is written under a private name and renamed into place, so
    nobody runs a half-written file (ETXTBSY)."""
    global _tsc_khz
    with _tsc_lock:
        if _tsc_khz is None:
            out = os.path.join(TOP, "build", "bench")
            os.makedirs(out, exist_ok=True)
            exe = os.path.join(out, "tsc_khz")
            tmp = f"{exe}.{os.getpid()}"
            subprocess.run(["gcc", "-O2", os.path.join(TOP, "bench", "boot",
                                                       "tsc_khz.c"), "-o", tmp],
                           check=True)
            os.replace(tmp, exe)
            _tsc_khz = int(subprocess.run([exe], capture_output=True,
                                          text=True, check=True).stdout)
        return _tsc_khz


_tsc_khz = None
_tsc_lock = threading.Lock()


def linux_machine_args(machine, accel="tcg", clock=True):
    """Kernel command line words the Linux guest needs on @machine under
    TCG. With @clock, on every machine, tsc=reliable: TCG's RDTSC reads
    the host's TSC, one clock for every vCPU, but Linux finds the vCPUs'
    TSCs "unsynchronized" at -smp 2 and marks the TSC unstable; it then
    keeps time on the HPET (q35, pc: every clock read an MMIO exit into
    QEMU) or, on microvm, which has no HPET, on jiffies (a 4 ms clock:
    fio's latencies come out as 0 or 4014 us). On microvm also
    tsc_early_khz= (microvm offers Linux nothing to calibrate the TSC
    against: no HPET, no ACPI PM timer, no port 0x61 for its PIT method,
    and it hangs after `tsc: Marking TSC unstable`). ddeos needs nothing:
    it calibrates its TSC itself and never distrusts it."""
    if accel != "tcg":
        return ""
    words = []
    if machine == "microvm":
        words.append(f"tsc_early_khz={host_tsc_khz()}")
    if clock:
        words.append("tsc=reliable")
    return " ".join(words)


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
