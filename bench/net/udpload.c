// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side load generator of the network benchmark (bench/net): the
 * peer's Ethernet on a QEMU `-netdev dgram` link on 127.0.0.1, one frame
 * per datagram. It answers ARP for the peer's address, builds the IPv4
 * and UDP headers itself, and measures on the host: UDP echo round trips
 * with N requests in flight (rate and latency percentiles), a flood of
 * small datagrams (the guest's receive rate, from the guest's counters).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_HLEN	14
#define IP_HLEN		20
#define UDP_HLEN	8
#define HDRS		(ETH_HLEN + IP_HLEN + UDP_HLEN)
#define SLOT_PORT	40000
#define STATS_PORT	7007
#define MAX_QD		256

static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 };
static uint8_t guest_mac[6];
static uint32_t peer_ip, guest_ip, bcast_ip;	/* network order */
static struct sockaddr_in qemu;
static int sock, payload = 64, echo_port = 7;
static uint16_t ip_ident;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint16_t csum(const void *data, int len)
{
	const uint8_t *p = data;
	uint32_t s = 0;

	for (; len > 1; len -= 2, p += 2)
		s += (p[0] << 8) | p[1];
	if (len)
		s += p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

static void send_frame(const void *f, int len)
{
	sendto(sock, f, len, 0, (struct sockaddr *)&qemu, sizeof(qemu));
}

static void arp(int op, const uint8_t *dst_mac, const uint8_t *tha,
		uint32_t tpa, uint32_t spa)
{
	uint8_t f[42];

	memcpy(f, dst_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[14] = 0; f[15] = 1; f[16] = 0x08; f[17] = 0; f[18] = 6; f[19] = 4;
	f[20] = 0; f[21] = op;
	memcpy(f + 22, peer_mac, 6);
	memcpy(f + 28, &spa, 4);
	memcpy(f + 32, tha, 6);
	memcpy(f + 38, &tpa, 4);
	send_frame(f, sizeof(f));
}

/*
 * A UDP/IPv4 frame to the guest, UDP checksum 0 (none, as IPv4 allows:
 * the host's time goes to the measurement, not to checksums).
 */
static int udp_frame(uint8_t *f, uint32_t dst, int sport, int dport,
		     const void *data, int len)
{
	uint8_t *ip = f + ETH_HLEN, *udp = ip + IP_HLEN;
	uint16_t v;

	memcpy(f, guest_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08; f[13] = 0x00;
	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45;
	v = htons(IP_HLEN + UDP_HLEN + len); memcpy(ip + 2, &v, 2);
	v = htons(ip_ident++); memcpy(ip + 4, &v, 2);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &peer_ip, 4);
	memcpy(ip + 16, &dst, 4);
	v = csum(ip, IP_HLEN); memcpy(ip + 10, &v, 2);
	v = htons(sport); memcpy(udp, &v, 2);
	v = htons(dport); memcpy(udp + 2, &v, 2);
	v = htons(UDP_HLEN + len); memcpy(udp + 4, &v, 2);
	udp[6] = udp[7] = 0;
	memcpy(udp + UDP_HLEN, data, len);
	return HDRS + len;
}

/*
 * The next frame, or -1 after timeout seconds. ARP requests for the
 * peer's address are answered here, as a host's stack would.
 */
static int recv_frame(uint8_t *f, int size, double timeout)
{
	for (;;) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		int n;

		n = recv(sock, f, size, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				return -1;
			if (timeout <= 0 ||
			    poll(&pfd, 1, (int)(timeout * 1000) + 1) != 1)
				return -1;
			timeout = 0.001;	/* poll said there is one */
			continue;
		}
		if (n >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 1 &&
		    !memcmp(f + 38, &peer_ip, 4)) {
			uint32_t spa;

			memcpy(&spa, f + 28, 4);
			arp(2, f + 22, f + 22, spa, peer_ip);
			continue;
		}
		return n;
	}
}

/* Ask for the guest's MAC until it answers (its link may still be coming). */
static int resolve_guest(double wait)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	double end = now() + wait;
	uint8_t f[2048];

	while (now() < end) {
		double until = now() + 1;

		arp(1, bcast, zero, guest_ip, peer_ip);
		while (now() < until) {
			int n = recv_frame(f, sizeof(f), until - now());

			if (n >= 42 && f[12] == 0x08 && f[13] == 0x06 &&
			    f[21] == 2 && !memcmp(f + 28, &guest_ip, 4)) {
				memcpy(guest_mac, f + 22, 6);
				return 0;
			}
		}
	}
	return -1;
}

/* UDP payload of a frame from the guest to the peer, from sport to dport. */
static uint8_t *udp_from_guest(uint8_t *f, int n, int sport, int *dport,
			       int *len)
{
	uint8_t *ip = f + ETH_HLEN, *udp;
	int ihl;

	if (n < HDRS || f[12] != 0x08 || f[13] != 0x00 || ip[9] != 17 ||
	    memcmp(ip + 12, &guest_ip, 4))
		return NULL;
	ihl = (ip[0] & 15) * 4;
	udp = ip + ihl;
	if (ETH_HLEN + ihl + UDP_HLEN > n || ((udp[0] << 8) | udp[1]) != sport)
		return NULL;
	*dport = (udp[2] << 8) | udp[3];
	*len = ((udp[4] << 8) | udp[5]) - UDP_HLEN;
	if (*len < 0 || ETH_HLEN + ihl + UDP_HLEN + *len > n)
		return NULL;
	return udp + UDP_HLEN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct slot {
	uint32_t seq;
	double sent;
};

/*
 * Echo for seconds with qd requests in flight, each on its own source
 * port; a request unanswered after 1 s is counted lost and replaced.
 * Prints one result line unless quiet (the warm-up).
 */
static void echo(int qd, double seconds, int quiet)
{
	size_t cap = 1 << 16, nlat = 0;
	double *lat = malloc(cap * sizeof(*lat));
	struct slot slots[MAX_QD];
	uint8_t f[2048], out[2048], data[1500];
	unsigned long sent = 0, lost = 0, got = 0;
	double start = now(), end = start + seconds, t;
	uint32_t seq = 1;
	int i, inflight = qd;

	memset(data, 0x5a, sizeof(data));
	for (i = 0; i < qd; i++) {
		slots[i].seq = seq++;
		memcpy(data, &slots[i].seq, 4);
		slots[i].sent = now();
		send_frame(out, udp_frame(out, guest_ip, SLOT_PORT + i,
					  echo_port, data, payload));
		sent++;
	}
	while (inflight > 0) {
		int n, dport, len;
		uint8_t *p;

		t = now();
		if (t > end + 1)
			break;
		n = recv_frame(f, sizeof(f), 0.05);
		t = now();
		if (n > 0) {
			p = udp_from_guest(f, n, echo_port, &dport, &len);
			i = dport - SLOT_PORT;
			if (p && i >= 0 && i < qd && len == payload &&
			    !memcmp(p, &slots[i].seq, 4) && slots[i].seq) {
				if (nlat == cap) {
					cap *= 2;
					lat = realloc(lat, cap * sizeof(*lat));
				}
				lat[nlat++] = t - slots[i].sent;
				/* The drain after the end is not in the rate. */
				if (t <= end)
					got++;
				slots[i].seq = 0;
				inflight--;
			}
		}
		for (i = 0; i < qd; i++) {
			if (slots[i].seq && t - slots[i].sent < 1.0)
				continue;
			if (slots[i].seq) {
				lost++;
				inflight--;
			}
			slots[i].seq = 0;
			if (t >= end)
				continue;
			slots[i].seq = seq++;
			memcpy(data, &slots[i].seq, 4);
			slots[i].sent = t;
			send_frame(out, udp_frame(out, guest_ip, SLOT_PORT + i,
						  echo_port, data, payload));
			sent++;
			inflight++;
		}
	}
	t = (now() < end ? now() : end) - start;
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	if (!quiet)
		printf("udpload: echo qd=%d payload=%d seconds=%.2f sent=%lu received=%lu lost=%lu rps=%.0f p50_us=%.1f p99_us=%.1f\n",
		       qd, payload, t, sent, got, lost, got / t,
		       nlat ? lat[nlat / 2] * 1e6 : 0,
		       nlat ? lat[(size_t)(nlat * 0.99)] * 1e6 : 0);
	fflush(stdout);
	free(lat);
}

/* The guest's if.rx counter from its port 7007 line, or -1. */
static long long guest_rx(char *line, int size)
{
	uint8_t f[2048], out[128];
	double end = now() + 30;

	while (now() < end) {
		double until = now() + 2;

		send_frame(out, udp_frame(out, guest_ip, 40999, STATS_PORT,
					  "stats", 5));
		while (now() < until) {
			int n = recv_frame(f, sizeof(f), until - now()), dport, len;
			uint8_t *p;
			char *rx;

			if (n <= 0)
				continue;
			p = udp_from_guest(f, n, STATS_PORT, &dport, &len);
			if (!p || dport != 40999)
				continue;
			if (len >= size)
				len = size - 1;
			memcpy(line, p, len);
			line[len] = 0;
			line[strcspn(line, "\n")] = 0;
			rx = strstr(line, " if.rx=");
			if (rx)
				return atoll(rx + 7);
		}
	}
	return -1;
}

/*
 * Bytes queued on QEMU's end of the link (its socket's rx_queue in
 * /proc/net/udp), or -1. Loopback UDP charges nothing to the sender once
 * sent, so this is the only backpressure there is.
 */
static long qemu_backlog(void)
{
	char want[32], line[256], *p;
	long q = -1;
	FILE *f = fopen("/proc/net/udp", "r");

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "0100007F:%04X ", ntohs(qemu.sin_port));
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, want);
		/* local_address rem_address st tx_queue:rx_queue */
		if (p && p - line < 16) {
			unsigned long tx, rx;

			if (sscanf(p + strlen(want), "%*s %*s %lx:%lx", &tx,
				   &rx) == 2)
				q = rx;
			break;
		}
	}
	fclose(f);
	return q;
}

/*
 * Send small datagrams to the subnet's broadcast address (no listener and
 * no ICMP reply on either guest: both drop them after IP and UDP input)
 * as fast as QEMU takes them, for seconds; the guest's if.rx counter
 * before and after gives its receive rate. The sender keeps QEMU's socket
 * supplied but not overflowing (it pauses while 64 KiB are queued there),
 * so it does not burn the host CPU QEMU needs.
 */
static void flood(double seconds)
{
	static uint8_t frames[64][128];
	struct mmsghdr m[64];
	struct iovec iov[64];
	char line[2048];
	uint8_t data[64] = { 0 };
	long long rx0, rx1;
	unsigned long sent = 0;
	double start, t;
	int i, len;

	rx0 = guest_rx(line, sizeof(line));
	if (qemu_backlog() < 0)
		fprintf(stderr, "udpload: QEMU's socket not in /proc/net/udp; "
			"flooding without backpressure\n");
	for (i = 0; i < 64; i++) {
		len = udp_frame(frames[i], bcast_ip, 40998, 9, data, payload);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = len;
		memset(&m[i].msg_hdr, 0, sizeof(m[i].msg_hdr));
		m[i].msg_hdr.msg_name = &qemu;
		m[i].msg_hdr.msg_namelen = sizeof(qemu);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	while ((t = now()) - start < seconds) {
		int n;

		if (qemu_backlog() > 65536) {
			usleep(100);
		} else {
			n = sendmmsg(sock, m, 64, 0);
			if (n > 0)
				sent += n;
		}
		/* ARP from the guest must still be answered; drop the rest. */
		recv_frame((uint8_t *)line, sizeof(line), 0);
	}
	t = now() - start;
	/* What QEMU still holds drains first; then the counters. */
	usleep(300000);
	rx1 = guest_rx(line, sizeof(line));
	printf("udpload: flood payload=%d seconds=%.2f sent=%lu rx_before=%lld rx_after=%lld rx_pps=%.0f\n",
	       payload, t, sent, rx0, rx1,
	       rx0 >= 0 && rx1 >= 0 ? (rx1 - rx0) / t : -1.0);
	printf("udpload: stats %s\n", line);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpload --port HOST_PORT --qemu-port QEMU_PORT [--guest 10.0.3.15]\n"
		"               [--peer 10.0.3.1] [--seconds S] [--payload B]\n"
		"               PHASE...   (echo:QD, flood, stats)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", 1, NULL, 'p' }, { "qemu-port", 1, NULL, 'q' },
		{ "guest", 1, NULL, 'g' }, { "peer", 1, NULL, 'e' },
		{ "seconds", 1, NULL, 's' }, { "payload", 1, NULL, 'l' },
		{ "wait", 1, NULL, 'w' }, { NULL, 0, NULL, 0 } };
	struct sockaddr_in me = { .sin_family = AF_INET };
	double seconds = 5, wait = 120;
	int c, i, rcvbuf = 1 << 22;
	char line[2048];

	inet_pton(AF_INET, "10.0.3.15", &guest_ip);
	inet_pton(AF_INET, "10.0.3.1", &peer_ip);
	qemu.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &qemu.sin_addr);
	me.sin_addr = qemu.sin_addr;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': me.sin_port = htons(atoi(optarg)); break;
		case 'q': qemu.sin_port = htons(atoi(optarg)); break;
		case 'g': inet_pton(AF_INET, optarg, &guest_ip); break;
		case 'e': inet_pton(AF_INET, optarg, &peer_ip); break;
		case 's': seconds = atof(optarg); break;
		case 'l': payload = atoi(optarg); break;
		case 'w': wait = atof(optarg); break;
		default: usage();
		}
	}
	if (!me.sin_port || !qemu.sin_port || optind == argc ||
	    payload < 4 || payload > 1472)
		usage();
	/* A /24: the broadcast address of the guest's subnet. */
	bcast_ip = guest_ip | htonl(0xff);
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (sock < 0 || bind(sock, (struct sockaddr *)&me, sizeof(me))) {
		perror("udpload: bind");
		return 1;
	}
	if (resolve_guest(wait)) {
		fprintf(stderr, "udpload: no ARP reply from the guest\n");
		return 1;
	}
	/* Warm up: the guest learns the peer's MAC, caches fill. */
	echo(1, 1.0, 1);
	for (i = optind; i < argc; i++) {
		if (!strncmp(argv[i], "echo:", 5)) {
			int qd = atoi(argv[i] + 5);

			if (qd < 1 || qd > MAX_QD)
				usage();
			echo(qd, seconds, 0);
		} else if (!strcmp(argv[i], "flood")) {
			flood(seconds);
		} else if (!strcmp(argv[i], "stats")) {
			guest_rx(line, sizeof(line));
			printf("udpload: stats %s\n", line);
		} else {
			usage();
		}
	}
	return 0;
}
