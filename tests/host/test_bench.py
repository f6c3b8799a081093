#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of the benchmarks' QEMU command lines (bench/blk, bench/net/run)
on each --machine, through their --dry-run, which prints them and runs
nothing: q35 stays the default with virtio-pci, microvm gets the
virtio-mmio devices and the Linux guest's tsc_early_khz= and tsc=reliable,
and a machine they do not support is refused with the choices named.
Prints TAP-like `ok N - name` lines and `N passed, N failed` for
tools/check."""

import os
import re
import shlex
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLK = os.path.join(TOP, "bench", "blk")
NET = os.path.join(TOP, "bench", "net", "run")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostcase import case, finish  # noqa: E402


def run(script, *args):
    return subprocess.run([sys.executable, script] + list(args),
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120)


# Stand-ins for the kernels, so that the test needs no build: qemu-run
# --dry-run only checks that the kernel file exists.
FAKE = tempfile.mkdtemp(prefix="test_bench-")
FAKE_KERNEL = os.path.join(FAKE, "ddeos.elf")
for path in (FAKE_KERNEL, os.path.join(FAKE, "vmlinuz"),
             os.path.join(FAKE, "initramfs.cpio")):
    open(path, "w").close()


def commands(script, *args):
    """The QEMU command lines a --dry-run prints, each split into words."""
    extra = ["--guest", FAKE] + (["--kernel", FAKE_KERNEL] if script == NET else [])
    r = run(script, "--dry-run", *args, *extra)
    assert r.returncode == 0, (r.returncode, r.stdout[-500:], r.stderr[-500:])
    cmds = [shlex.split(l) for l in r.stdout.splitlines()
            if l.startswith("qemu-system-x86_64 ")]
    assert cmds, r.stdout[-500:]
    return cmds


def opt(cmd, name):
    """Every value of a QEMU option in cmd."""
    return [cmd[i + 1] for i, w in enumerate(cmd[:-1]) if w == name]


def smp(cmd):
    """The CPUs present: -smp N[,maxcpus=M]."""
    return int(opt(cmd, "-smp")[0].split(",")[0])


def is_linux(cmd):
    return opt(cmd, "-kernel")[0].endswith("vmlinuz")


def append(cmd):
    return opt(cmd, "-append")[0]


def bad_machine(script):
    r = run(script, "--machine", "pc", "--dry-run")
    assert r.returncode == 2, r.returncode
    assert "invalid choice: 'pc' (choose from 'q35', 'microvm')" in r.stderr, r.stderr
    assert not r.stdout, r.stdout


@case
def blk_refuses_an_unknown_machine():
    bad_machine(BLK)


@case
def net_refuses_an_unknown_machine():
    bad_machine(NET)


BLK_ARGS = ["--smp", "1", "2", "--backend", "null", "file",
            "--workload", "randread-4k-qd1", "write-128k-qd1"]


@case
def blk_default_is_q35_with_virtio_pci():
    cmds = commands(BLK, *BLK_ARGS)
    # Per backend and CPU count: one ddeos boot per workload, one Linux.
    assert len(cmds) == 2 * 2 * 3, len(cmds)
    for c in cmds:
        assert opt(c, "-machine") == ["q35"], c
        assert opt(c, "-device")[-1] == "virtio-blk-pci,drive=nul", c
        assert "tsc_early_khz" not in append(c), c
        assert ("tsc=reliable" in append(c)) == is_linux(c), c
        if is_linux(c):
            assert ("virtio_blk.poll_queues=1" in append(c)) == (smp(c) > 1), c


@case
def blk_microvm_uses_virtio_mmio():
    cmds = commands(BLK, "--machine", "microvm", *BLK_ARGS)
    assert len(cmds) == 2 * 2 * 3, len(cmds)
    for c in cmds:
        assert opt(c, "-machine") == ["microvm"], c
        # One queue per vCPU, as virtio-blk-pci has by default.
        assert opt(c, "-device")[-1] == \
            f"virtio-blk-device,drive=nul,num-queues={smp(c)}", c
        assert not any("-pci" in d for d in opt(c, "-device")), c
        a = append(c)
        if is_linux(c):
            assert re.search(r"(^| )tsc_early_khz=[1-9]\d* tsc=reliable ", a), a
            assert "mitigations=off" in a and "scheduler" in a, a
            assert ("virtio_blk.poll_queues=1" in a) == (smp(c) > 1), a
            assert ("--hipri=1" in a) == (smp(c) > 1), a
        else:
            assert "tsc_early_khz" not in a and "app=blkbench" in a, a


def net_netdevs_stay_local(c):
    for nd in opt(c, "-netdev"):
        if nd.startswith("user,"):
            assert "restrict=on" in nd and ":127.0.0.1:" in nd, nd
        else:
            hosts = re.findall(r"\.host=([^,]+)", nd)
            assert nd.startswith("dgram,") and hosts and \
                set(hosts) == {"127.0.0.1"}, nd


@case
def net_default_is_q35_with_virtio_pci():
    cmds = commands(NET, "--smp", "1", "2")
    # Per CPU count: udp and tcp, each for ddeos and Linux.
    assert len(cmds) == 2 * 2 * 2, len(cmds)
    for c in cmds:
        assert opt(c, "-machine") == ["q35"], c
        assert opt(c, "-device")[-1] == "virtio-net-pci,netdev=n0,romfile=", c
        assert "tsc_early_khz" not in append(c), c
        assert ("tsc=reliable" in append(c)) == is_linux(c), c
        net_netdevs_stay_local(c)


@case
def net_smp1_keeps_tcg_barriers_for_both_guests():
    # QEMU 7.2's TCG drops guest barriers when one CPU is possible, which
    # loses virtio kicks (docs/net.md): ddeos and Linux alike get a
    # second, absent, possible CPU; -smp 2 stays as it is.
    for c in commands(NET, "--smp", "1", "2"):
        want = "1,maxcpus=2" if smp(c) == 1 else "2"
        assert opt(c, "-smp") == [want], c


@case
def blk_smp1_keeps_tcg_barriers_for_both_guests():
    # The same for the block benchmark's own QEMU command lines.
    cmds = commands(BLK, *BLK_ARGS)
    assert {smp(c) for c in cmds} == {1, 2}, cmds
    for c in cmds:
        want = "1,maxcpus=2" if smp(c) == 1 else "2"
        assert opt(c, "-smp") == [want], c


@case
def blk_linux_command_line_fits_every_workload():
    # Every workload and engine, on command lines Linux takes whole
    # (COMMAND_LINE_SIZE 2048): at -smp 2, with --hipri, in two boots.
    jobs = {}
    for c in commands(BLK, "--smp", "1", "2", "--backend", "null"):
        if is_linux(c):
            assert len(append(c)) <= 2000, len(append(c))
            jobs.setdefault(smp(c), []).extend(re.findall(r"--name=(\S+)", append(c)))
    for n, names in jobs.items():
        assert len(names) == len(set(names)) == 5 * (2 if n == 1 else 3), (n, names)


@case
def net_microvm_uses_virtio_mmio():
    cmds = commands(NET, "--machine", "microvm", "--smp", "1", "2")
    assert len(cmds) == 2 * 2 * 2, len(cmds)
    for c in cmds:
        assert opt(c, "-machine") == ["microvm"], c
        assert opt(c, "-device")[-1] == "virtio-net-device,netdev=n0", c
        assert not any("-pci" in d for d in opt(c, "-device")), c
        assert bool(re.search(r"tsc_early_khz=[1-9]\d* tsc=reliable ",
                              append(c))) == is_linux(c), c
        net_netdevs_stay_local(c)


status = finish()
for path in os.listdir(FAKE):
    os.unlink(os.path.join(FAKE, path))
os.rmdir(FAKE)
sys.exit(status)
