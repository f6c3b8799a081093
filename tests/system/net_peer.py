#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A real Linux peer for ddeos (tools/check job `net-peer-smp2`).

  tests/system/net_peer.py [--smp 2] [--mq] [--kernel ddeos.elf]

Two QEMUs joined by a `-netdev stream` link on 127.0.0.1: ddeos listens
(server=on) with lwIP on 10.0.3.15 and app=udpecho,tcpecho; the Linux
guest of tools/linux-guest (Debian's 6.1 kernel and its virtio_net,
busybox; the script runs the tool first, which rebuilds it only when its
inputs changed) connects as 10.0.3.1 and, from its /init, pings ddeos, sends
datagrams of sizes 0..1472 to UDP port 7 with `udpecho -c` (every reply
checked byte for byte), and pipes 1 MiB through TCP port 7 with busybox
nc, comparing what came back with cmp. It prints one `peer: ...` line per
check, which this script waits for. Both QEMUs are stopped on every exit
path (and qemu-run's QEMU dies with its parent).

Prints TAP lines `ok N - name` and ends with `N passed, N failed`.
"""

import argparse
import os
import re
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import net_echo  # noqa: E402  (Guest, tap, free_port: the same harness)
from net_echo import Guest, tap, free_port, TOP  # noqa: E402

GUEST = os.path.join(TOP, "build", "linux-guest")
UDP_COUNT = 200
TCP_KIB = 1024

# Run by the Linux guest's /init (sh -c); no double quotes, since the
# kernel command line uses them to delimit the word.
PEER_SCRIPT = (
    "if ping -c 3 -W 20 10.0.3.15 >/tmp/ping 2>&1; "
    "then echo peer: ping ok; else cat /tmp/ping; echo peer: ping FAIL; fi; "
    f"udpecho -c 10.0.3.15 -p 7 -n {UDP_COUNT}; "
    f"dd if=/dev/urandom of=/tmp/tx bs=1024 count={TCP_KIB} 2>/dev/null; "
    "timeout 300 nc 10.0.3.15 7 </tmp/tx >/tmp/rx; "
    "if cmp -s /tmp/tx /tmp/rx; then r=ok; else r=FAIL; fi; "
    "echo peer: tcp $r sent=$(wc -c </tmp/tx) back=$(wc -c </tmp/rx)")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kernel", help="ddeos image (qemu-run's default otherwise)")
    p.add_argument("--logdir", default=os.path.join(TOP, "build", "check"))
    p.add_argument("--guest", default=GUEST, help="tools/linux-guest's output")
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--mq", action="store_true",
                   help="both NICs with mq=on,vectors=10")
    args = p.parse_args()
    os.makedirs(args.logdir, exist_ok=True)
    # Linux under TCG on a loaded host boots in about a minute; every wait
    # still ends at its line.
    net_echo.WAIT = 300
    name = f"peer-smp{args.smp}{'-mq' if args.mq else ''}"
    port = free_port(socket.SOCK_STREAM)
    link = ("stream,id=n0,addr.type=inet,addr.host=127.0.0.1,"
            f"addr.port={port},server=")
    nic = net_echo.nic(args.mq)
    dlog = os.path.join(args.logdir, f"net-{name}-ddeos.log")
    llog = os.path.join(args.logdir, f"net-{name}-linux.log")
    ddeos = linux = None
    # Built from Debian's packages, or "up to date" in a few seconds.
    r = subprocess.run([os.path.join(TOP, "tools", "linux-guest"), "--out",
                        args.guest], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    tap(r.returncode == 0, f"{name}/linux-guest-built",
        (r.stdout.strip().splitlines() or ["no output"])[-1])
    if r.returncode:
        return
    try:
        ddeos = Guest(["--smp", str(args.smp), "--netdev", link + "on",
                       "--device", nic, "--append",
                       "ip=10.0.3.15::10.0.3.1:255.255.255.0::eth0:off "
                       "app=udpecho,tcpecho"], args.kernel, dlog)
        up = ddeos.came_up(name, "ddeos-up",
                           r"^net: eth0 up 10\.0\.3\.15/24 gw 10\.0\.3\.1 mac=\S+$",
                           "udpecho")
        up = up and bool(ddeos.wait_for(r"^app: tcpecho started$"))
        if not up:
            return
        # ddeos's QEMU listens from its start; Linux connects only now.
        cmdline = ("console=ttyS0 quiet disk=none net=10.0.3.1/24 "
                   f'bench="{PEER_SCRIPT}"')
        linux = Guest(["--smp", str(args.smp), "--mem", "1G",
                       "--no-debug-exit",
                       "--initrd", os.path.join(args.guest, "initramfs.cpio"),
                       "--netdev", link + "off",
                       "--device", nic + ",mac=52:54:00:00:03:01",
                       "--append", cmdline],
                      os.path.join(args.guest, "vmlinuz"), llog)
        m = linux.wait_for(r"^linux-guest: net eth0 up (\S+) .*carrier=1")
        tap(bool(m) and m.group(1) == "10.0.3.1/24", f"{name}/linux-up",
            f"no net line with 10.0.3.1/24 and carrier; log {llog}")
        if not m:
            return
        m = linux.wait_for(r"^peer: ping (\S+)$")
        tap(bool(m) and m.group(1) == "ok", f"{name}/linux-pings-ddeos",
            f"{m and m.group(0)}; log {llog}")
        m = linux.wait_for(r"^udpecho: client sent=(\d+) ok=(\d+) bad=(\d+) "
                           r"lost=(\d+)$")
        tap(bool(m) and m.group(2) == str(UDP_COUNT) and m.group(1) == m.group(2),
            f"{name}/udp-echo-{UDP_COUNT}-sizes",
            f"{m and m.group(0)}; log {llog}")
        m = linux.wait_for(r"^peer: tcp (\S+) sent=(\d+) back=(\d+)$")
        tap(bool(m) and m.group(1) == "ok" and
            m.group(2) == str(TCP_KIB * 1024),
            f"{name}/tcp-echo-{TCP_KIB}KiB", f"{m and m.group(0)}; log {llog}")
        m = linux.wait_for(r"^linux-guest: bench end status=\d+$")
        tap(bool(m), f"{name}/linux-done", f"log {llog}")
    finally:
        if linux:
            linux.stop()
            bad = re.search(r"^.*(Kernel panic|BUG:|Oops).*$", linux.text(),
                            re.M)
            tap(not bad, f"{name}/linux-no-crash",
                f"'{bad and bad.group(0)}'; log {llog}")
        if ddeos:
            ddeos.finish(name)


if __name__ == "__main__":
    try:
        main()
    finally:
        passed = sum(net_echo.results)
        print(f"{passed} passed, {len(net_echo.results) - passed} failed")
    sys.exit(0 if net_echo.results and all(net_echo.results) else 1)
