#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Echo through lwIP on ddeos, from the host (tools/check job `net-echo`).

  udp  ddeos with app=udpecho and a static ip= on a `-netdev dgram` link on
       127.0.0.1: this script is the peer's Ethernet. It answers ARP, sends
       a datagram of every payload size from 0 to 1472 bytes to port 7 and
       checks each echo byte for byte (and its IP and UDP checksums), then
       many flows at once. (QEMU 7.2's restricted user network drops guest
       UDP to the host, so UDP cannot use a hostfwd.)
  tcp  ddeos with app=tcpecho and ip=dhcp on QEMU's user network with
       restrict=on and a hostfwd from 127.0.0.1: one connection echoes
       4 MiB, then 8 connections at once 256 KiB each; byte for byte.
  apps ddeos with app=httpd,iperf (make run's apps) and ip=dhcp, the same
       way, ports 5001 and 80 forwarded: Debian's iperf 2 client sends
       4 MiB to lwIP's lwiperf; the client must report a transfer, ddeos's
       `iperf:` line must count the bytes the client says it sent, and
       lwiperf's own count must be that less what it skips of the first
       chunk. Then GETs of httpd's status page (urllib): it must carry the
       NIC's `device:` line as the boot printed it, nonzero receive
       counters (virtio_net's per-queue ones, at least iperf's bytes) and
       receive interrupts, and change from one request to the next.

Prints TAP lines `ok N - name` and ends with `N passed, N failed`.
All traffic stays on 127.0.0.1 (tools/qemu-run refuses anything else).
"""

import argparse
import os
import random
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "bench", "lib"))
from benchlib import Qemu  # noqa: E402  (one QEMU harness for tests and benchmarks)
# Generous: TCG on a loaded host. Every wait ends at its event.
WAIT = 120

PEER_MAC = bytes.fromhex("525400aabb01")
PEER_IP = bytes([10, 0, 3, 1])
GUEST_IP = bytes([10, 0, 3, 15])
BCAST = b"\xff" * 6

results = []


def tap(ok, name, why=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}"
          + ("" if ok else f"  # {why}"), flush=True)


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Guest(Qemu):
    """ddeos under tools/qemu-run (bench/lib/benchlib.py's Qemu), its serial
    log watched for lines, each for at most WAIT seconds."""

    def __init__(self, args, kernel, log):
        super().__init__((["--kernel", kernel] if kernel else []) + args,
                         log, WAIT * 4)

    def wait_for(self, regex):
        return super().wait_for(regex, WAIT)

    def came_up(self, name, test, up_regex, app):
        """TAP lines for the address line and the app's start; True if
        both came."""
        up = self.wait_for(up_regex)
        tap(bool(up), f"{name}/{test}", f"no line /{up_regex}/; log {self.log}")
        started = self.wait_for(rf"^app: {app} started$")
        tap(bool(started), f"{name}/app-started", f"log {self.log}")
        return bool(up and started)

    def finish(self, name):
        """Stop QEMU; a TAP line saying whether ddeos crashed meanwhile."""
        self.stop()
        m = re.search(r"^(EXCEPTION|PANIC|ddeos: stopped).*$", self.text(), re.M)
        tap(not m, f"{name}/no-crash", f"'{m and m.group(0)}'; log {self.log}")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Wire:
    """The host end of the dgram link: one Ethernet frame per datagram."""

    def __init__(self, port, qemu_port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.qemu = ("127.0.0.1", qemu_port)
        self.guest_mac = None

    def send(self, frame):
        self.sock.sendto(frame, self.qemu)

    def recv(self, deadline):
        """Next frame; ARP requests for the peer are answered here."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                frame, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                return None
            if frame[12:14] == b"\x08\x06" and len(frame) >= 42:
                op, sha, spa, tpa = struct.unpack("!6xH6s4s6x4s", frame[14:42])
                if op == 1 and tpa == PEER_IP:
                    self.send(sha + PEER_MAC + b"\x08\x06" + struct.pack(
                        "!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, PEER_MAC, PEER_IP,
                        sha, spa))
                    continue
            return frame

    def arp_guest(self):
        req = BCAST + PEER_MAC + b"\x08\x06" + struct.pack(
            "!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, PEER_MAC, PEER_IP,
            b"\0" * 6, GUEST_IP)
        # As a real host does: ask again every second until answered (a
        # request can arrive before ddeos's link is up).
        deadline = time.monotonic() + WAIT
        while True:
            self.send(req)
            f = self.recv(min(deadline, time.monotonic() + 1))
            if f is None:
                if time.monotonic() >= deadline:
                    return False
                continue
            if f[12:14] == b"\x08\x06":
                op, sha, spa = struct.unpack("!6xH6s4s", f[14:32])
                if op == 2 and spa == GUEST_IP:
                    self.guest_mac = sha
                    return True

    def udp_frame(self, sport, payload, ident, dport=7):
        udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        pseudo = PEER_IP + GUEST_IP + struct.pack("!BBH", 0, 17, len(udp))
        c = csum(pseudo + udp) or 0xffff
        udp = udp[:6] + struct.pack("!H", c) + udp[8:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident, 0,
                         64, 17, 0, PEER_IP, GUEST_IP)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        return self.guest_mac + PEER_MAC + b"\x08\x00" + ip + udp


def parse_udp_echo(f, service=7):
    """(sport the echo goes to, payload) of a well-formed UDP echo from the
    guest (from port @service), or a string saying what is wrong, or None
    if it is not one."""
    if f[12:14] != b"\x08\x00" or len(f) < 42:
        return None
    ip = f[14:]
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    if ip[9] != 17 or ip[12:16] != GUEST_IP or ip[16:20] != PEER_IP:
        return None
    if csum(ip[:ihl]):
        return "bad IP header checksum"
    udp = ip[ihl:tot]
    sp, dp, ulen, uc = struct.unpack("!HHHH", udp[:8])
    if sp != service:
        return None
    if ulen != len(udp):
        return f"UDP length {ulen} in {len(udp)} bytes"
    if uc and csum(PEER_IP + GUEST_IP + struct.pack("!BBH", 0, 17, ulen) + udp):
        return "bad UDP checksum"
    return dp, udp[8:]


def exchange(wire, flows, ident):
    """Send one datagram per flow {source port: payload} at once; wait until
    each came back to its port byte for byte. Return: None, or what went
    wrong."""
    want = dict(flows)
    for i, (sport, payload) in enumerate(flows.items()):
        wire.send(wire.udp_frame(sport, payload, (ident + i) & 0xffff))
    deadline = time.monotonic() + WAIT
    while want:
        f = wire.recv(deadline)
        if f is None:
            return f"{len(want)} of {len(flows)} echoes missing"
        r = parse_udp_echo(f)
        if r is None:
            continue
        if isinstance(r, str):
            return r
        if want.get(r[0]) != r[1]:
            return f"port {r[0]}: echo differs ({len(r[1])} bytes) or repeats"
        del want[r[0]]
    return None


def stats(wire):
    """ddeos's counters (app netstat on UDP port 7007) as a dict, or None,
    also when the answer did not fit its frame (it ends in "truncated")."""
    ident = random.randint(0, 0xffff)
    for _ in range(3):	# a lost question is asked again
        wire.send(wire.udp_frame(47007, b"stats", ident, dport=7007))
        deadline = time.monotonic() + WAIT
        while True:
            f = wire.recv(deadline)
            if f is None:
                break
            r = parse_udp_echo(f, service=7007)
            if r and not isinstance(r, str) and r[0] == 47007:
                words = [w.partition("=") for w in
                         r[1].decode(errors="replace").split()[1:]]
                if any(not v.isdigit() for _, _, v in words):
                    return None
                return {k: int(v) for k, _, v in words}
    return None


def idle_napi_polled(wire, name, log, smp):
    """After the 1473 echoes one at a time: on virtio-pci (one MSI-X vector
    per virtqueue) the receive queues took fewer than one interrupt per
    four requests, since the idle loop, spinning after each echo, polls the
    queue instead (dde/net/core/napi_idle.c; with napi_idle_poll=0 it is
    one per request; the first request after boot takes one, so a count of
    0 means the counter is missing). With one CPU the queue also got its interrupt back
    ("ended"): the stats question wakes netstat's thread on the CPU that
    polls, and a spin gives the interrupt back before a thread runs (with
    more CPUs the thread may run on another). virtio-mmio's handler reads
    a device register and is never polled."""
    c = stats(wire) or {}
    found, ended = (sum(v for k, v in c.items()
                        if re.fullmatch(rf"napi_idle\.cpu\d+\.{w}", k))
                    for w in ("found", "ended"))
    rx_irqs = sum(v for k, v in c.items() if re.fullmatch(r"irq\.\S+-input\.\d+", k))
    if MACHINE["machine"] == "microvm":
        tap(bool(c) and found == 0 and ended == 0, f"{name}/idle-napi-poll-not-on-mmio",
            f"found {found} ended {ended}; counters {c}; log {log}")
    else:
        tap(bool(c) and 0 < rx_irqs and rx_irqs * 4 < 1473 and (ended > 0 or smp > 1),
            f"{name}/idle-napi-poll-few-rx-interrupts",
            f"{rx_irqs} receive interrupts for 1473 requests, {found} found by "
            f"polling, interrupt given back {ended} times; counters {c}; log {log}")


# --machine: where the NIC sits. q35 and pc: a virtio-net-pci function;
# microvm: a virtio-mmio transport (virtio-net-device), with --machine-opts
# (e.g. acpi=off) passed on.
MACHINE = {"machine": "q35", "opts": ""}


def machine_args():
    args = ["--machine", MACHINE["machine"]]
    if MACHINE["opts"]:
        args += ["--machine-opts", MACHINE["opts"]]
    return args


def tag(smp, mq):
    """The part of names and logs that says which boot this is."""
    m = ""
    if MACHINE["machine"] != "q35":
        m = "-" + MACHINE["machine"] + "".join(
            "-" + o.replace("=", "") for o in MACHINE["opts"].split(",") if o)
    return f"smp{smp}{'-mq' if mq else ''}{m}"


def nic(mq):
    if MACHINE["machine"] == "microvm":
        return "virtio-net-device,netdev=n0" + (",mq=on" if mq else "")
    return "virtio-net-pci,netdev=n0,romfile=" + (",mq=on,vectors=10" if mq else "")


def udp_tests(kernel, logdir, smp, mq):
    hp, qp = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    wire = Wire(hp, qp)
    log = os.path.join(logdir, f"net-echo-udp-{tag(smp, mq)}.log")
    guest = Guest(["--smp", str(smp)] + machine_args() + ["--netdev",
                   f"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={qp},"
                   f"remote.type=inet,remote.host=127.0.0.1,remote.port={hp}",
                   "--device", nic(mq),
                   # A 1 s idle-poll window, longer than any pause of this
                   # script between datagrams: the receive interrupts left
                   # off after the first echo stay off (idle NAPI polling).
                   "--append", "ip=10.0.3.15::10.0.3.1:255.255.255.0::eth0:off "
                   "app=udpecho,netstat idle_poll=1000000"], kernel, log)
    name = f"udp-{tag(smp, mq)}"
    try:
        if not guest.came_up(name, "ip-static-line",
                             r"^net: eth0 up 10\.0\.3\.15/24 gw 10\.0\.3\.1 mac=\S+$",
                             "udpecho"):
            return
        if MACHINE["machine"] == "microvm":
            line = r"^device: mmio=0x[0-9a-f]+ name=\S+ driver=virtio_net netdev=eth0 "
            tap(bool(guest.wait_for(line)), f"{name}/mmio-device-line",
                f"no line /{line}/; log {log}")
        ok = wire.arp_guest()
        tap(ok, f"{name}/arp", f"no ARP reply from 10.0.3.15; log {log}")
        if not ok:
            return
        # Every payload size, one at a time.
        bad = None
        for size in range(0, 1473):
            bad = exchange(wire, {40000: bytes((size + i) & 0xff for i in range(size))},
                           size)
            if bad:
                bad = f"size {size}: {bad}"
                break
        tap(not bad, f"{name}/every-size-0-1472", f"{bad}; log {log}")
        if not bad:
            idle_napi_polled(wire, name, log, smp)
        # Many flows at once: 32 source ports, each with one datagram in
        # flight, 20 rounds; every echo must come back to its flow intact.
        flows, rounds = 32, 20
        for rnd in range(rounds):
            bad = exchange(wire, {41000 + fl: os.urandom(random.randint(1, 1472))
                                  for fl in range(flows)}, rnd * flows)
            if bad:
                bad = f"round {rnd}: {bad}"
                break
        tap(not bad, f"{name}/concurrent-flows", f"{bad}; log {log}")
    finally:
        guest.finish(name)
        wire.sock.close()


def tcp_echo(port, data, out, idx):
    """Send data, read it all back concurrently; out[idx] = what came."""
    # Refused while ddeos's link is still coming up: try again, a second
    # apart, as a client would.
    deadline = time.monotonic() + WAIT
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
            break
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(1)
    got = bytearray()
    err = []

    def writer():
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError as e:
            err.append(f"send: {e}")
    t = threading.Thread(target=writer)
    t.start()
    try:
        while len(got) < len(data):
            chunk = s.recv(1 << 16)
            if not chunk:
                err.append("receive: closed by the peer")
                break
            got += chunk
    except OSError as e:
        err.append(f"receive: {e}")
    t.join()
    s.close()
    out[idx] = bytes(got)
    if len(got) < len(data):
        print(f"# connection {idx}: {len(got)} of {len(data)} bytes; "
              f"{', '.join(err) or 'no error'}", flush=True)


DHCP_LINE = r"^net: eth0 up 10\.0\.2\.15/24 gw \S+ mac=\S+ \(dhcp\)$"


def user_guest(kernel, logdir, smp, mq, what, guest_ports, app):
    """ddeos with ip=dhcp and @app on QEMU's user network (restrict=on),
    a free host port on 127.0.0.1 forwarded to each of @guest_ports.
    Returns the test's name, the Guest, the host ports (in the order of
    @guest_ports) and the log's path."""
    hps = [free_port(socket.SOCK_STREAM) for _ in guest_ports]
    fwd = ",".join(f"hostfwd=tcp:127.0.0.1:{hp}-:{gp}"
                   for hp, gp in zip(hps, guest_ports))
    name = f"{what}-{tag(smp, mq)}"
    log = os.path.join(logdir, f"net-echo-{name}.log")
    guest = Guest(["--smp", str(smp)] + machine_args() + ["--netdev",
                   f"user,id=n0,restrict=on,{fwd}",
                   "--device", nic(mq),
                   "--append", f"ip=dhcp app={app}"], kernel, log)
    return name, guest, hps, log


def tcp_tests(kernel, logdir, smp, mq):
    name, guest, (hp,), log = user_guest(kernel, logdir, smp, mq, "tcp", [7], "tcpecho")
    try:
        if not guest.came_up(name, "dhcp-line", DHCP_LINE, "tcpecho"):
            return
        data = os.urandom(4 << 20)
        out = [None]
        try:
            tcp_echo(hp, data, out, 0)
        except OSError as e:
            out[0] = str(e).encode()
        tap(out[0] == data, f"{name}/echo-4MiB",
            f"{len(out[0] or b'')} of {len(data)} bytes back, "
            f"{'equal so far' if data.startswith(out[0] or b'') else 'differing'}; log {log}")
        n = 8
        datas = [os.urandom(256 << 10) for _ in range(n)]
        outs = [None] * n
        ts = [threading.Thread(target=tcp_echo, args=(hp, datas[i], outs, i))
              for i in range(n)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        good = sum(outs[i] == datas[i] for i in range(n))
        bad = [f"#{i}: {len(outs[i] or b'')} of {len(datas[i])} bytes, "
               f"{'equal so far' if datas[i].startswith(outs[i] or b'') else 'differing'}"
               for i in range(n) if outs[i] != datas[i]]
        tap(good == n, f"{name}/concurrent-connections",
            f"{good} of {n} connections echoed intact ({'; '.join(bad)}); log {log}")
    finally:
        guest.finish(name)


IPERF_BYTES = 4 << 20


def http_get(port, path):
    """(status, body) of GET http://127.0.0.1:@port@path."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}",
                                    timeout=WAIT) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except OSError as e:
        return None, str(e)


def page_counters(page):
    """The status page's name=value words of numbers, as a dict."""
    return {k: int(v) for k, v in re.findall(r"\b([\w.]+)=(\d+)\b", page)}


def apps_tests(kernel, logdir, smp, mq):
    """make run's apps, httpd and iperf, on one boot: iperf first, then the
    status page, which must show the NIC and the traffic iperf made."""
    name, guest, (hp_iperf, hp_http), log = user_guest(
        kernel, logdir, smp, mq, "apps", [5001, 80], "httpd,iperf")
    try:
        if not guest.came_up(name, "dhcp-line", DHCP_LINE, "iperf"):
            return
        # -y C: one CSV line per report, the bytes in field 8.
        try:
            r = subprocess.run(["iperf", "-c", "127.0.0.1", "-p", str(hp_iperf),
                                "-n", str(IPERF_BYTES), "-y", "C"],
                               capture_output=True, text=True, timeout=WAIT * 2)
            out = r.stdout
        except (OSError, subprocess.TimeoutExpired) as e:
            out = ""
            r = None
            tap(False, f"{name}/iperf-client-ran", str(e))
        sent = None
        for line in out.splitlines():
            fields = line.split(",")
            if len(fields) >= 9 and fields[7].isdigit():
                sent = int(fields[7])
        if r is not None:
            tap(r.returncode == 0 and sent is not None and sent >= IPERF_BYTES,
                f"{name}/iperf-client-transfer",
                f"rc {r.returncode}, stdout {out!r}, stderr {r.stderr!r}")
        m = guest.wait_for(r"^iperf: \S+ done bytes=(\d+) ms=(\d+) kbit/s=(\d+) "
                           r"received=(\d+) first=(\d+)$")
        tap(bool(m) and sent is not None and int(m.group(4)) == sent,
            f"{name}/iperf-server-received-the-bytes",
            f"client sent {sent}, ddeos: {m and m.group(0)!r}; log {log}")
        # lwiperf 2.1.3 counts only the 24-byte iperf header of the first
        # chunk it receives: its bytes are exactly received - (first - 24).
        tap(bool(m) and int(m.group(1)) == int(m.group(4)) - int(m.group(5)) + 24,
            f"{name}/iperf-lwiperf-counted-the-bytes",
            f"ddeos: {m and m.group(0)!r}; log {log}")

        status, page = http_get(hp_http, "/")
        dev = re.search(r"^device: .* driver=virtio_net netdev=eth0 .*$",
                        guest.text(), re.M)
        tap(status == 200 and bool(dev) and dev.group(0) in page.splitlines(),
            f"{name}/http-status-page-device-line",
            f"status {status}, boot line {dev and dev.group(0)!r}, "
            f"page {page[:2000]!r}; log {log}")
        c = page_counters(page)
        # The queue's counters of virtio_net (ethtool -S), the interface's
        # and the receive interrupt's: iperf's megabytes went through them.
        irq = re.search(r"^irq=\d+ name=virtio\d+-input\.0 cpu=\d+ count=(\d+)$",
                        page, re.M)
        ok = (c.get("rx_queue_0_packets", 0) > 0
              and c.get("rx_queue_0_bytes", 0) >= IPERF_BYTES
              and c.get("rx_bytes", 0) >= IPERF_BYTES
              and bool(irq) and int(irq.group(1)) > 0
              and c.get("objects_in_use", 0) > 0)
        tap(ok, f"{name}/http-status-page-counters",
            f"page {page[:3000]!r}; log {log}")
        # ddeos's default virtio_net.napi_tx=0 (dde/init/main.c): sent
        # skbs are freed at the next transmit, and the output queue asks
        # for an interrupt only when its ring is nearly full. With
        # napi_tx=1 there is about one per frame sent (254 for 303).
        out_irq = re.search(r"^irq=\d+ name=virtio\d+-output\.0 cpu=\d+ count=(\d+)$",
                            page, re.M)
        sent_q0 = c.get("tx_queue_0_packets", 0)
        tap(bool(out_irq) and sent_q0 > 0 and int(out_irq.group(1)) * 4 < sent_q0,
            f"{name}/tx-completed-without-interrupts",
            f"output.0 interrupts {out_irq and out_irq.group(1)} for {sent_q0} "
            f"frames sent; log {log}")
        # Each ACK ddeos sent hinted its CPU to spin for the next segment
        # before halting (kernel/sched.c, idle polling). Whether a spin
        # sees its reply depends on the host's timing; the kernel test
        # sched/idle_poll_hint_spins_until_work checks that part.
        polls = sum(v for k, v in c.items() if re.fullmatch(r"idle_poll\.cpu\d+\.polls", k))
        hits = sum(v for k, v in c.items() if re.fullmatch(r"idle_poll\.cpu\d+\.hits", k))
        tap(polls > 0 and hits <= polls, f"{name}/idle-poll-after-send",
            f"polls {polls} hits {hits}; page {page[:600]!r}; log {log}")
        # iperf's full-size frames come from virtio_net's mergeable buffers
        # as an Ethernet header and one page frag: given to lwIP as they
        # are (split), not copied into one run (linearized).
        tap(c.get("split", 0) > 0, f"{name}/zero-copy-large-frames",
            f"split {c.get('split')} linearized {c.get('linearized')}; log {log}")
        # Generated per request: the next GET sees the packets of this one.
        status2, page2 = http_get(hp_http, "/index.html")
        c2 = page_counters(page2)
        tap(status2 == 200 and c2.get("rx", 0) > c.get("rx", 0),
            f"{name}/http-page-per-request",
            f"status {status2}, rx {c.get('rx')} then {c2.get('rx')}; log {log}")
        status3, _ = http_get(hp_http, "/no-such-page")
        tap(status3 == 404, f"{name}/http-404", f"status {status3}; log {log}")
    finally:
        guest.finish(name)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kernel", help="kernel image (qemu-run's default otherwise)")
    p.add_argument("--logdir", default=os.path.join(TOP, "build", "check"))
    p.add_argument("--smp", type=int, action="append",
                   help="CPU counts to boot (default 1 and 2)")
    p.add_argument("--mq", action="store_true",
                   help="the NIC with mq=on,vectors=10")
    p.add_argument("--machine", choices=["q35", "pc", "microvm"], default="q35",
                   help="QEMU machine (default q35); microvm's NIC is virtio-mmio")
    p.add_argument("--machine-opts", default="",
                   help="machine properties for qemu-run, e.g. acpi=off")
    p.add_argument("what", nargs="*", help="udp, tcp, apps (default all)")
    args = p.parse_args()
    MACHINE["machine"], MACHINE["opts"] = args.machine, args.machine_opts
    args.what = args.what or ["udp", "tcp", "apps"]
    if set(args.what) - {"udp", "tcp", "apps"}:
        p.error("what: udp, tcp or apps")
    os.makedirs(args.logdir, exist_ok=True)
    for smp in args.smp or [1, 2]:
        if "udp" in args.what:
            udp_tests(args.kernel, args.logdir, smp, args.mq)
        if "tcp" in args.what:
            tcp_tests(args.kernel, args.logdir, smp, args.mq)
        if "apps" in args.what:
            apps_tests(args.kernel, args.logdir, smp, args.mq)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
