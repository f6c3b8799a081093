// SPDX-License-Identifier: GPL-2.0-only
/*
 * UDP echo server for the Linux guest of the network benchmark and the
 * peer test (tools/linux-guest builds it with gcc -static into the
 * initramfs as /usr/bin/udpecho). It answers what ddeos's app=udpecho and
 * app=netstat answer: echoes on one port, a counters line on another.
 *
 * With -c it is the client of the peer test instead: datagrams of many
 * sizes to an echo server, each reply checked byte for byte.
 *
 * Linux gets its cheapest path: blocking recvmmsg()/sendmmsg() in batches,
 * so one system call pair serves every datagram queued at once, and
 * optionally SO_BUSY_POLL and several threads on SO_REUSEPORT sockets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH	32
#define MAXLEN	65536

static int echo_port = 7, stats_port = 7007, busy_us, threads = 1;
static const char *ifname = "eth0";
static atomic_ullong echoed;

static int udp_socket(int port, int reuse)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int one = 1, s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0) {
		perror("udpecho: socket");
		exit(1);
	}
	if (reuse)
		setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (busy_us &&
	    setsockopt(s, SOL_SOCKET, SO_BUSY_POLL, &busy_us, sizeof(busy_us)))
		perror("udpecho: SO_BUSY_POLL");
	if (bind(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("udpecho: bind");
		exit(1);
	}
	return s;
}

/* One echo loop: each batch is received and sent back with one call each. */
static void *echo_loop(void *arg)
{
	static __thread char bufs[BATCH][2048];
	struct sockaddr_in from[BATCH];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	int s = (int)(long)arg;

	for (;;) {
		int i, n;

		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&m[i].msg_hdr, 0, sizeof(m[i].msg_hdr));
			m[i].msg_hdr.msg_name = &from[i];
			m[i].msg_hdr.msg_namelen = sizeof(from[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(s, m, BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0) {
			if (n < 0 && errno != EINTR)
				perror("udpecho: recvmmsg");
			continue;
		}
		/* The reply of each is its own bytes to its own sender. */
		for (i = 0; i < n; i++)
			iov[i].iov_len = m[i].msg_len;
		sendmmsg(s, m, n, 0);
		atomic_fetch_add_explicit(&echoed, n, memory_order_relaxed);
	}
	return NULL;
}

static unsigned long long ifstat(const char *name)
{
	unsigned long long v = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
		 ifname, name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Any datagram to the stats port gets one line of counters back. */
static void stats_loop(int s)
{
	char buf[512], line[512];
	struct sockaddr_in from;

	for (;;) {
		socklen_t fl = sizeof(from);
		int n;

		if (recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fl) < 0)
			continue;
		n = snprintf(line, sizeof(line),
			     "udpecho: if.rx=%llu if.rx_dropped=%llu if.tx=%llu echo.count=%llu\n",
			     ifstat("rx_packets"), ifstat("rx_dropped"),
			     ifstat("tx_packets"),
			     (unsigned long long)atomic_load(&echoed));
		sendto(s, line, n, 0, (struct sockaddr *)&from, fl);
	}
}

/*
 * Send count datagrams of sizes spread over 0..1472 (the first 0, then
 * steps of 37 bytes), one at a time, each asked up to three times, and
 * check every reply byte for byte. Return: 0 if every one came back.
 */
static int client(const char *server, int count)
{
	static char out[1500], in[2048];
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(echo_port) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), i, ok = 0, bad = 0, lost = 0;

	if (s < 0 || inet_pton(AF_INET, server, &to.sin_addr) != 1) {
		fprintf(stderr, "udpecho: bad server %s\n", server);
		return 2;
	}
	for (i = 0; i < count; i++) {
		int len = (i * 37) % 1473, j, try, n = -1, wrong = 0;

		for (j = 0; j < len; j++)
			out[j] = (char)(i * 7 + j);
		/* Stale replies of an earlier try carry another size or bytes. */
		for (try = 0; try < 3 && n != len; try++) {
			struct pollfd pfd = { .fd = s, .events = POLLIN };

			sendto(s, out, len, 0, (struct sockaddr *)&to,
			       sizeof(to));
			while (poll(&pfd, 1, 2000) == 1) {
				n = recv(s, in, sizeof(in), 0);
				if (n == len && !memcmp(in, out, len))
					break;
				wrong = 1;
				n = -1;
			}
		}
		if (n == len)
			ok++;
		else if (wrong)
			bad++;
		else
			lost++;
	}
	printf("udpecho: client sent=%d ok=%d bad=%d lost=%d\n", count, ok,
	       bad, lost);
	return ok == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *server = NULL;
	int c, i, count = 100;

	while ((c = getopt(argc, argv, "p:s:b:t:i:c:n:")) != -1) {
		switch (c) {
		case 'c': server = optarg; break;
		case 'n': count = atoi(optarg); break;
		case 'p': echo_port = atoi(optarg); break;
		case 's': stats_port = atoi(optarg); break;
		case 'b': busy_us = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'i': ifname = optarg; break;
		default:
			fprintf(stderr, "usage: udpecho [-p echo_port] [-s stats_port] "
				"[-b busy_poll_us] [-t threads] [-i ifname]\n"
				"       udpecho -c SERVER_IP [-p port] [-n count]\n");
			return 2;
		}
	}
	if (server)
		return client(server, count);
	if (threads < 1)
		threads = 1;
	for (i = 0; i < threads; i++) {
		pthread_t t;
		int s = udp_socket(echo_port, threads > 1);

		if (pthread_create(&t, NULL, echo_loop, (void *)(long)s)) {
			perror("udpecho: pthread_create");
			return 1;
		}
	}
	printf("udpecho: echo on %d, counters on %d, %d thread(s), busy_poll=%d\n",
	       echo_port, stats_port, threads, busy_us);
	fflush(stdout);
	stats_loop(udp_socket(stats_port, 0));
	return 0;
}
