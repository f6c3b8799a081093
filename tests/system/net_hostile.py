#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hostile input against lwIP on ddeos, from the host (tools/check jobs
`net-hostile-*`).

ddeos runs app=udpecho,netstat with a static ip= on a `-netdev dgram` link
on 127.0.0.1; this script is the peer's Ethernet (net_echo.py's Wire). It
sends class after class of bad frames: truncated, bad IP headers and
lengths, bad UDP lengths and checksums, IP options and fragments, ARP
garbage, oversized and empty frames, unknown ethertypes, VLAN tags, random
bytes and a flood. After every class a correct datagram must still echo
byte for byte, and the counters ddeos reports on UDP port 7007 (app
netstat) say who dropped what. At the end, once lwIP's reassembly queue
is empty, the pool's objects in use must be back at their start value.

With --remote, ddeos runs udpecho.remote=1 (every datagram echoed and
freed on another CPU than the one that received it) and the CPUs' remote
free counters must have grown by at least the datagrams echoed.

Prints TAP lines `ok N - name`, a table of per-class counts, and ends
with `N passed, N failed`. All traffic stays on 127.0.0.1.
"""

import argparse
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import net_echo  # noqa: E402
from net_echo import (GUEST_IP, PEER_IP, PEER_MAC, WAIT, Guest, Wire,  # noqa: E402
                      csum, free_port, nic, tap)

STATS_PORT = 7007
CHECK_PORT = 40000	# the correct echo between classes
HOSTILE_PORT = 45000	# source port of hostile datagrams that might echo


def ip_packet(payload, proto=17, ver_ihl=0x45, tot=None, frag=0, ident=1,
              options=b"", good_csum=True, dst=GUEST_IP):
    hlen = 20 + len(options)
    if tot is None:
        tot = hlen + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", ver_ihl, 0, tot & 0xffff, ident & 0xffff,
                      frag, 64, proto, 0, PEER_IP, dst) + options
    c = csum(hdr)
    if not good_csum:
        c ^= 0x5a5a
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def udp_segment(payload, sport=HOSTILE_PORT, dport=7, ulen=None, good_csum=True):
    n = 8 + len(payload)
    if ulen is None:
        ulen = n
    seg = struct.pack("!HHHH", sport, dport, ulen & 0xffff, 0) + payload
    pseudo = PEER_IP + GUEST_IP + struct.pack("!BBH", 0, 17, n)
    c = csum(pseudo + seg) or 0xffff
    if not good_csum:
        c = c ^ 0x1234 or 1
    return seg[:6] + struct.pack("!H", c) + seg[8:]


class Hostile:
    def __init__(self, wire):
        self.wire = wire
        self.stray = 0		# echoes of hostile datagrams that were valid

    def eth(self, payload, etype=0x0800, dst=None):
        return (dst or self.wire.guest_mac) + PEER_MAC + struct.pack("!H", etype) + payload

    def udp_frame(self, payload, **kw):
        ipkw = {k: kw.pop(k) for k in list(kw) if k in
                ("ver_ihl", "tot", "frag", "ident", "options", "good_csum_ip")}
        if "good_csum_ip" in ipkw:
            ipkw["good_csum"] = ipkw.pop("good_csum_ip")
        return self.eth(ip_packet(udp_segment(payload, **kw), **ipkw))

    def udp_reply(self, f):
        """(sport, dport, payload) of a well-formed UDP frame from the
        guest to the peer, else None."""
        if len(f) < 42 or f[12:14] != b"\x08\x00":
            return None
        ip = f[14:]
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        if ip[9] != 17 or ip[12:16] != GUEST_IP or csum(ip[:ihl]):
            return None
        if struct.unpack("!H", ip[6:8])[0] & 0x3fff:
            return None		# a fragment
        udp = ip[ihl:tot]
        sp, dp, ulen = struct.unpack("!HHH", udp[:6])
        return sp, dp, udp[8:ulen]

    def wait_udp(self, sport, dport, want=None):
        """The payload of the next datagram from guest port sport to dport
        (equal to want, if given); others are counted as strays."""
        deadline = time.monotonic() + WAIT
        while True:
            f = self.wire.recv(deadline)
            if f is None:
                return None
            r = self.udp_reply(f)
            if r is None:
                continue
            if r[0] == sport and r[1] == dport and (want is None or r[2] == want):
                return r[2]
            if r[0] == 7:
                self.stray += 1

    def stats(self):
        """ddeos's counters (app netstat) as a dict of ints."""
        q = self.eth(ip_packet(udp_segment(b"stats", sport=47007, dport=STATS_PORT)))
        for _ in range(3):	# a lost question (a full ring) is asked again
            self.wire.send(q)
            line = self.wait_udp(STATS_PORT, 47007)
            if line is not None:
                break
        if line is None:
            return None
        out = {}
        for w in line.decode(errors="replace").split()[1:]:
            k, sep, v = w.partition("=")
            if not sep:	# " truncated": the answer did not fit a frame
                print(f"# netstat answer not whole: {w}", flush=True)
                return None
            out[k] = int(v)
        return out

    def echo_ok(self, tag):
        """A correct datagram echoes byte for byte (others are skipped)."""
        # Asked up to three times, as stats() asks: right after a flood
        # the host kernel drops datagrams to QEMU's full socket before
        # ddeos could see them, a loss UDP allows.
        for _ in range(3):
            payload = b"check " + tag.encode() + os.urandom(64)
            self.wire.send(self.eth(ip_packet(udp_segment(payload, sport=CHECK_PORT),
                                              ident=random.randint(0, 0xffff))))
            if self.wait_udp(7, CHECK_PORT, payload) is not None:
                return True
        return False


def classes(h):
    """(name, [frames]) of every hostile class."""
    good_udp = udp_segment(b"x" * 32)
    r = random.Random(11)

    def rnd(n):
        return bytes(r.getrandbits(8) for _ in range(n))

    c = []
    # No zero-length datagram: QEMU's dgram netdev (net/dgram.c) takes a
    # recv() of 0 bytes for the end of the connection and closes its
    # socket, so the link is gone for any guest, not a ddeos failure.
    c.append(("1-byte", [b"\x01", b"\xff"]))
    c.append(("runt-ethernet", [h.eth(b"")[:n] for n in (2, 6, 12, 13)]))
    full = h.udp_frame(b"x" * 32)
    c.append(("truncated-ip", [full[:n] for n in (14, 15, 20, 33)]))
    c.append(("truncated-udp", [full[:n] for n in (34, 35, 41)]))
    c.append(("ip-version", [h.eth(ip_packet(good_udp, ver_ihl=v))
                             for v in (0x65, 0x05, 0x35, 0xf5)]))
    c.append(("ip-ihl", [h.eth(ip_packet(good_udp, ver_ihl=v))
                         for v in (0x40, 0x44, 0x4f)] +
              [h.eth(ip_packet(b"", ver_ihl=0x4f))]))
    c.append(("ip-total-length", [h.eth(ip_packet(good_udp, tot=t))
                                  for t in (0, 19, 20, 27, 41, 1500, 0xffff)]))
    c.append(("udp-length", [h.eth(ip_packet(udp_segment(b"y" * 32, ulen=u)))
                             for u in (0, 1, 7, 41, 1000, 0xffff)]))
    c.append(("ip-checksum", [h.eth(ip_packet(good_udp, good_csum=False))
                              for _ in range(4)]))
    c.append(("udp-checksum", [h.eth(ip_packet(udp_segment(b"z" * n, good_csum=False)))
                               for n in (0, 1, 32, 1400)]))
    # Options: NOPs and an end; a record-route; a length running off the
    # header; a source route (never honoured).
    c.append(("ip-options", [
        h.eth(ip_packet(good_udp, ver_ihl=0x46, options=b"\x01\x01\x01\x00")),
        h.eth(ip_packet(good_udp, ver_ihl=0x48, options=b"\x07\x0b\x04" + b"\0" * 9)),
        h.eth(ip_packet(good_udp, ver_ihl=0x46, options=b"\x07\xff\x04\x00")),
        h.eth(ip_packet(good_udp, ver_ihl=0x46, options=b"\x83\x03\x04\x00")),
        h.eth(ip_packet(good_udp, ver_ihl=0x4f, options=b"\x01" * 40)),
    ]))
    big = udp_segment(bytes(range(256)) * 4)		# 1032 bytes
    MF = 0x2000

    def frag(off, data, more, ident):
        return h.eth(ip_packet(data, frag=(MF if more else 0) | (off // 8), ident=ident))
    c.append(("ip-fragments", [
        frag(0, big[:512], True, 0x100),		# first only
        frag(512, big[512:768], True, 0x101),		# middle only
        frag(768, big[768:], False, 0x102),		# last only
        # overlapping: 0..512, then 256..768, then the last
        frag(0, big[:512], True, 0x103), frag(256, big[256:768], True, 0x103),
        frag(768, big[768:], False, 0x103),
        # never completed: first and last, no middle
        frag(0, big[:512], True, 0x104), frag(768, big[768:], False, 0x104),
        # the same fragment twice, then nothing
        frag(0, big[:512], True, 0x105), frag(0, big[:512], True, 0x105),
        # a fragment reaching past 64 KiB
        frag(65528, b"q" * 64, False, 0x106),
        # a zero-length fragment; a fragment with MF and an odd length
        frag(0, b"", True, 0x107), frag(8, b"abc", True, 0x108),
    ] + [frag(0, big[:512], True, 0x200 + i) for i in range(64)]))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, PEER_MAC, PEER_IP,
                      b"\0" * 6, GUEST_IP)
    bc = b"\xff" * 6

    def arpf(body):
        return h.eth(body, 0x0806, bc)
    c.append(("arp-garbage", [
        arpf(arp[:4] + b"\x08\x04" + arp[6:]),		# hardware size 8
        arpf(arp[:5] + b"\x06" + arp[6:]),		# protocol size 6
        arpf(struct.pack("!H", 6) + arp[2:]),		# hardware type 6
        arpf(arp[:2] + b"\x86\xdd" + arp[4:]),		# protocol IPv6
        arpf(arp[:6] + b"\x00\x09" + arp[8:]),		# opcode 9
        arpf(arp[:10]), arpf(arp[:27]), arpf(b""),	# truncated
        arpf(arp[:24] + bytes([10, 0, 3, 99])),		# for another address
        arpf(arp[:14] + bytes([10, 0, 3, 15]) + arp[18:]),	# claims our address
        arpf(arp[:14] + bytes([255, 255, 255, 255]) + arp[18:]),
    ] + [arpf(arp[:24] + bytes([10, 0, 3, 100 + i])) for i in range(50)]))
    c.append(("oversized", [h.eth(ip_packet(udp_segment(rnd(n - 42), dport=9)))
                            for n in (1515, 1518, 1522, 2000, 4096, 9014, 16384, 65000)]
              + [h.eth(rnd(n)) for n in (1600, 9000, 65000)]))
    c.append(("unknown-ethertype", [h.eth(good_udp, t) for t in
                                     (0x86dd, 0x88b5, 0x0000, 0x0040, 0x05dc, 0xffff)]))
    c.append(("vlan", [h.eth(struct.pack("!HH", 5, 0x0800) + ip_packet(good_udp), 0x8100),
                       h.eth(struct.pack("!HH", 0, 0x0806) + arp, 0x8100),
                       h.eth(struct.pack("!HHHH", 5, 0x8100, 6, 0x0800)
                             + ip_packet(good_udp), 0x88a8),
                       h.eth(struct.pack("!H", 5), 0x8100)]))
    # Random bytes behind a good Ethernet header, and good frames with
    # bytes flipped.
    fuzz = [h.eth(rnd(r.randint(0, 1500))) for _ in range(200)]
    for _ in range(300):
        f = bytearray(h.udp_frame(rnd(r.randint(0, 200))))
        for _ in range(r.randint(1, 4)):
            f[r.randrange(14, len(f))] = r.getrandbits(8)
        fuzz.append(bytes(f))
    c.append(("random", fuzz))
    return c


def flood(h, n):
    """n frames as fast as the socket sends: echo requests, bad checksums
    and first fragments mixed."""
    frames = [h.udp_frame(b"f" * 64), h.eth(ip_packet(udp_segment(b"g" * 64), good_csum=False)),
              h.eth(ip_packet(udp_segment(b"h" * 600)[:512], frag=0x2000, ident=0x7000))]
    for i in range(n):
        h.wire.send(frames[i % 3])


DROP_KEYS = ("if.rx_dropped", "if.rx_unclaimed", "link.drop", "link.lenerr",
             "link.memerr", "etharp.drop", "etharp.proterr", "etharp.lenerr",
             "etharp.err", "ip.drop", "ip.chkerr", "ip.lenerr", "ip.proterr",
             "ip.opterr", "ip.err", "ipfrag.drop", "ipfrag.err", "ipfrag.lenerr",
             "ipfrag.memerr", "ipfrag.proterr", "udp.drop", "udp.chkerr",
             "udp.lenerr", "udp.proterr", "udp.err", "icmp.xmit")


def delta(a, b):
    return {k: b.get(k, 0) - a.get(k, 0) for k in b}


def run(kernel, logdir, smp, mq, remote, flood_n):
    hp, qp = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    wire = Wire(hp, qp)
    name = f"hostile-smp{smp}{'-mq' if mq else ''}{'-remote' if remote else ''}"
    log = os.path.join(logdir, f"net-{name}.log")
    append = "ip=10.0.3.15::10.0.3.1:255.255.255.0::eth0:off app=udpecho,netstat"
    if remote:
        append += " udpecho.remote=1"
    guest = Guest(["--smp", str(smp), "--netdev",
                   f"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={qp},"
                   f"remote.type=inet,remote.host=127.0.0.1,remote.port={hp}",
                   "--device", nic(mq), "--append", append], kernel, log)
    h = Hostile(wire)
    table = []
    try:
        if not guest.came_up(name, "ip-static-line",
                             r"^net: eth0 up 10\.0\.3\.15/24 gw 10\.0\.3\.1 mac=\S+$",
                             "netstat"):
            return
        ok = wire.arp_guest()
        tap(ok, f"{name}/arp", f"no ARP reply; log {log}")
        if not ok:
            return
        ok = h.echo_ok("start")
        start = h.stats() if ok else None
        tap(ok and start is not None, f"{name}/echo-and-stats-at-start", f"log {log}")
        if not start:
            return
        if remote:
            remote_test(h, name, log, start)
            start = h.stats()
            if not h.echo_ok("restart") or start is None:
                return
        before = start
        failed = []
        for cname, frames in classes(h) + [("flood", None)]:
            if frames is None:
                flood(h, flood_n)
                sent = flood_n
            else:
                for f in frames:
                    wire.send(f)
                sent = len(frames)
            echoed = h.echo_ok(cname)
            after = h.stats() if echoed else None
            if not echoed or after is None:
                failed.append(cname)
                late = h.stats()
                print(f"# after {cname}: echoed {echoed}; stats answer "
                      f"{'none' if late is None else late.get('if.rx')}", flush=True)
                break
            d = delta(before, after)
            # The check's echo and the stats question are two frames of
            # their own.
            table.append((cname, sent, d.get("if.rx", 0) - 2,
                          {k: d[k] for k in DROP_KEYS if d.get(k)}))
            before = after
        tap(not failed, f"{name}/echo-after-every-class",
            f"no echo after class {failed}; log {log}")
        print(f"# {'class':<20} {'sent':>6} {'seen':>6}  dropped by", flush=True)
        for cname, sent, seen, drops in table:
            print(f"# {cname:<20} {sent:>6} {seen:>6}  "
                  + " ".join(f"{k}={v}" for k, v in drops.items()), flush=True)
        print(f"# echoes of hostile datagrams that were valid: {h.stray}", flush=True)
        if failed:
            return
        # Wait for lwIP to give up the incomplete reassemblies (its
        # IP_REASS_MAXAGE timer): poll until the queue is empty.
        deadline = time.monotonic() + WAIT
        end = h.stats()
        while end and end.get("reass.pending") and time.monotonic() < deadline:
            end = h.stats()
        tap(end is not None and end.get("reass.pending") == 0,
            f"{name}/reassembly-queue-emptied", f"{end and end.get('reass.pending')} "
            f"reassemblies still pending; log {log}")
        # The state the start was measured in: one echo, then the question.
        ok = h.echo_ok("end")
        end = h.stats() if ok else None
        if end is None:
            tap(False, f"{name}/no-leak", f"no stats at the end; log {log}")
            return
        print(f"# pool at start: objects {start['mem.objects']} pages free "
              f"{start['mem.pages_free']}; at end: objects {end['mem.objects']} "
              f"pages free {end['mem.pages_free']}; lwIP pbufs {end['pbuf_pool.used']}",
              flush=True)
        tap(end["mem.objects"] == start["mem.objects"] and
            end["pbuf_pool.used"] == start["pbuf_pool.used"],
            f"{name}/no-leak",
            f"objects in use {start['mem.objects']} -> {end['mem.objects']}, "
            f"pool pbufs {start['pbuf_pool.used']} -> {end['pbuf_pool.used']}; log {log}")
    finally:
        guest.finish(name)
        wire.sock.close()


def remote_test(h, name, log, start):
    """udpecho.remote=1: each datagram is freed on another CPU."""
    n = 500
    echoed = 0
    for i in range(n):
        if h.echo_ok(f"remote{i}"):
            echoed += 1
    end = h.stats()
    tap(echoed == n and end is not None, f"{name}/remote-echo",
        f"{echoed} of {n} echoed; log {log}")
    if end is None:
        return
    frees = {k: end[k] - start.get(k, 0) for k in end if k.startswith("remote_frees.")}
    total = sum(frees.values())
    print(f"# remote frees while echoing {echoed} datagrams: {total} ("
          + " ".join(f"{k.split('.')[1]}={v}" for k, v in sorted(frees.items())) + ")",
          flush=True)
    tap(total >= echoed, f"{name}/remote-frees-counted",
        f"{total} remote frees for {echoed} echoes; log {log}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kernel", help="kernel image (qemu-run's default otherwise)")
    p.add_argument("--logdir", default=os.path.join(net_echo.TOP, "build", "check"))
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--mq", action="store_true", help="the NIC with mq=on,vectors=10")
    p.add_argument("--remote", action="store_true", help="udpecho.remote=1")
    p.add_argument("--flood", type=int, default=5000, help="frames in the flood")
    args = p.parse_args()
    os.makedirs(args.logdir, exist_ok=True)
    run(args.kernel, args.logdir, args.smp, args.mq, args.remote, args.flood)
    passed = sum(net_echo.results)
    print(f"{passed} passed, {len(net_echo.results) - passed} failed")
    return 0 if passed == len(net_echo.results) else 1


if __name__ == "__main__":
    sys.exit(main())
