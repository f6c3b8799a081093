// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network API tests (test=net): frames through Linux's virtio_net and
 * QEMU's user network, which answers, inside QEMU, ARP for its gateway
 * 10.0.2.2 and pings to it (also with restrict=on). Booted without a NIC
 * every case skips; tools/check boots q35 and pc with
 * `-netdev user,restrict=on` and a virtio-net-pci, and there none may skip.
 * The cases build ARP and IPv4/ICMP by hand: they test the frame path,
 * not an IP stack.
 */
#include <ddeos/console.h>
#include <ddeos/devices.h>
#include <ddeos/errno.h>
#include <ddeos/ktest.h>
#include <ddeos/mm.h>
#include <ddeos/mutex.h>
#include <ddeos/net.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>

/* Generous: TCG on a loaded host; every wait ends at its event. */
#define WAIT_NS		(60ull * 1000000000ull)
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define IP_ICMP		1
#define ICMP_ECHO	8
#define ICMP_REPLY	0
#define PING_ID		0x4444
#define PING_PAYLOAD	56
#define PINGS_PER_CPU	4
#define MIN_FRAME	60	/* Ethernet minimum without the FCS */

/* QEMU's user network (slirp) defaults. */
static const uint8_t our_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The Internet checksum (RFC 1071) of @len bytes. */
static uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static struct completion link_changed;

static void link_hook(struct net_if *ifp, bool up, void *arg)
{
	completion_signal(&link_changed);
}

/*
 * eth0 with its link up, or NULL if there is no NIC. virtio_net reports
 * the link from its config work, which may run after the boot opened the
 * device: wait for the link event, not for time.
 */
static struct net_if *eth0(struct ddeos_ktest *t)
{
	struct net_if *ifp = net_if_by_name("eth0");
	uint64_t deadline = clock_ns() + WAIT_NS;

	if (!ifp)
		return NULL;
	completion_init(&link_changed);
	net_set_link_hook(ifp, link_hook, NULL);
	while (!net_if_link_up(ifp) &&
	       !completion_wait(&link_changed, deadline))
		;
	net_set_link_hook(ifp, NULL, NULL);
	KTEST_EXPECT(t, net_if_link_up(ifp), "eth0's link never came up");
	return ifp;
}

/* ---- what the receive callback found; under rx_lock ---- */
static struct spinlock rx_lock;
static struct {
	bool want_arp;
	bool arp_seen;
	uint8_t gw_mac[NET_ETH_ALEN];
	uint8_t our_mac[NET_ETH_ALEN];
	bool gw_known;
	/* pings: one slot per CPU; seq = cpu << 8 | n */
	struct completion reply[DDEOS_MAX_CPUS];
	uint16_t want_seq[DDEOS_MAX_CPUS];
	unsigned int replies, bad_replies;
	unsigned int rx_cpus;		/* bit per CPU a reply arrived on (first 32) */
} rx;
static struct completion arp_done;

static void rx_arp(const uint8_t *f, size_t len)
{
	const uint8_t *a = f + NET_ETH_HLEN;

	if (len < NET_ETH_HLEN + 28 || get16(a) != 1 || get16(a + 2) != ETH_P_IP ||
	    a[4] != 6 || a[5] != 4 || get16(a + 6) != 2)
		return;
	if (string_memcmp(a + 14, gw_ip, 4) || string_memcmp(a + 24, our_ip, 4) ||
	    string_memcmp(a + 18, rx.our_mac, NET_ETH_ALEN))
		return;
	if (!rx.want_arp || rx.arp_seen)
		return;
	memcpy(rx.gw_mac, a + 8, NET_ETH_ALEN);
	rx.arp_seen = true;
	completion_signal(&arp_done);
}

static void rx_icmp(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + NET_ETH_HLEN, *icmp;
	size_t ihl, tot;
	unsigned int cpu;
	uint16_t seq;
	bool ok = true;

	if (len < NET_ETH_HLEN + 20 || ip[0] >> 4 != 4 || ip[9] != IP_ICMP)
		return;
	ihl = (ip[0] & 0xf) * 4;
	tot = get16(ip + 2);
	if (ihl < 20 || tot < ihl + 8 || NET_ETH_HLEN + tot > len)
		return;
	if (string_memcmp(ip + 12, gw_ip, 4) || string_memcmp(ip + 16, our_ip, 4))
		return;
	icmp = ip + ihl;
	if (icmp[0] != ICMP_REPLY || get16(icmp + 4) != PING_ID)
		return;
	seq = get16(icmp + 6);
	cpu = seq >> 8;
	if (cpu >= DDEOS_MAX_CPUS || rx.want_seq[cpu] != seq)
		return;
	/* A reply carries our payload back, with both checksums right. */
	if (inet_csum(ip, ihl) || inet_csum(icmp, tot - ihl) ||
	    tot - ihl != 8 + PING_PAYLOAD)
		ok = false;
	for (unsigned int i = 0; ok && i < PING_PAYLOAD; i++)
		if (icmp[8 + i] != (uint8_t)(seq + i))
			ok = false;
	rx.want_seq[cpu] = 0;
	if (ok)
		rx.replies++;
	else
		rx.bad_replies++;
	if (cpu_id() < 32)
		rx.rx_cpus |= 1u << cpu_id();
	completion_signal(&rx.reply[cpu]);
}

/* NET_RX softirq, any CPU. */
static void test_rx(struct net_if *ifp, const void *frame, size_t len, void *arg)
{
	const uint8_t *f = frame;
	unsigned long flags;

	if (len < NET_ETH_HLEN)
		return;
	flags = spinlock_lock_irqsave(&rx_lock);
	if (get16(f + 12) == ETH_P_ARP)
		rx_arp(f, len);
	else if (get16(f + 12) == ETH_P_IP)
		rx_icmp(f, len);
	spinlock_unlock_irqrestore(&rx_lock, flags);
}

/* Send, retrying while the TX queue is full (bounded by @deadline). */
static int send_frame(struct net_if *ifp, const uint8_t *f, size_t len, uint64_t deadline)
{
	int rc;

	while ((rc = net_send(ifp, f, len)) == -EAGAIN && clock_ns() < deadline)
		thread_yield();
	return rc;
}

static void test_interface(struct ddeos_ktest *t)
{
	struct net_if *ifp = eth0(t);
	uint8_t mac[NET_ETH_ALEN];

	if (!ifp)
		KTEST_SKIP(t, "no NIC");
	KTEST_EXPECT(t, net_if_count() >= 1);
	KTEST_EXPECT(t, net_if_get(0) == ifp);
	KTEST_EXPECT(t, !string_cmp(net_if_name(ifp), "eth0"));
	net_if_mac(ifp, mac);
	/* QEMU's default MAC for the first NIC: 52:54:00:12:34:56 */
	KTEST_EXPECT(t, mac[0] == 0x52 && mac[1] == 0x54 && mac[2] == 0,
		     "mac %02x:%02x:%02x", mac[0], mac[1], mac[2]);
	KTEST_EXPECT(t, net_if_mtu(ifp) == 1500, "mtu %u", net_if_mtu(ifp));
	KTEST_EXPECT(t, net_if_is_up(ifp), "eth0 not opened at boot");
	KTEST_EXPECT(t, net_if_link_up(ifp));
	KTEST_EXPECT(t, net_if_open(ifp) == 0, "opening twice");
	KTEST_EXPECT(t, net_if_by_name("nosuch0") == NULL);
}

static void test_send_bad_length(struct ddeos_ktest *t)
{
	static uint8_t big[1600];
	struct net_if *ifp = eth0(t);
	struct net_if_stats a, b;

	if (!ifp)
		KTEST_SKIP(t, "no NIC");
	net_if_get_stats(ifp, &a);
	KTEST_EXPECT(t, net_send(ifp, big, NET_ETH_HLEN - 1) == -EINVAL);
	KTEST_EXPECT(t, net_send(ifp, big, net_if_mtu(ifp) + NET_ETH_HLEN + 1) == -EINVAL);
	net_if_get_stats(ifp, &b);
	KTEST_EXPECT(t, b.tx_errors == a.tx_errors + 2);
	KTEST_EXPECT(t, b.tx_frames == a.tx_frames);
}

static void test_arp_gateway(struct ddeos_ktest *t)
{
	struct net_if *ifp = eth0(t);
	struct net_if_stats before, after;
	uint8_t f[MIN_FRAME] = { 0 }, *a = f + NET_ETH_HLEN;
	unsigned long flags;
	int rc;

	if (!ifp)
		KTEST_SKIP(t, "no NIC");
	net_if_get_stats(ifp, &before);
	completion_init(&arp_done);
	flags = spinlock_lock_irqsave(&rx_lock);
	net_if_mac(ifp, rx.our_mac);
	rx.want_arp = true;
	rx.arp_seen = false;
	spinlock_unlock_irqrestore(&rx_lock, flags);
	net_set_rx(ifp, test_rx, NULL);

	memset(f, 0xff, NET_ETH_ALEN);
	net_if_mac(ifp, f + 6);
	put16(f + 12, ETH_P_ARP);
	put16(a, 1);			/* Ethernet */
	put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1);		/* request */
	memcpy(a + 8, f + 6, NET_ETH_ALEN);
	memcpy(a + 14, our_ip, 4);
	memcpy(a + 24, gw_ip, 4);	/* who has 10.0.2.2? */
	rc = send_frame(ifp, f, sizeof(f), clock_ns() + WAIT_NS);
	KTEST_EXPECT(t, rc == 0, "net_send: %d", rc);
	if (!rc)
		KTEST_EXPECT(t, completion_wait(&arp_done, clock_ns() + WAIT_NS) == 0,
			     "no ARP reply from 10.0.2.2");
	net_set_rx(ifp, NULL, NULL);
	flags = spinlock_lock_irqsave(&rx_lock);
	rx.want_arp = false;
	rx.gw_known = rx.arp_seen;
	spinlock_unlock_irqrestore(&rx_lock, flags);
	net_if_get_stats(ifp, &after);
	KTEST_EXPECT(t, after.tx_frames > before.tx_frames);
	KTEST_EXPECT(t, after.rx_frames > before.rx_frames);
	KTEST_EXPECT(t, after.tx_bytes >= before.tx_bytes + sizeof(f));
}

struct pinger {
	struct ddeos_ktest *t;
	struct net_if *ifp;
	unsigned int cpu;
	unsigned int sent, answered;
	int err;
};

static int pinger(void *arg)
{
	struct pinger *p = arg;
	uint8_t f[NET_ETH_HLEN + 20 + 8 + PING_PAYLOAD];
	uint8_t *ip = f + NET_ETH_HLEN, *icmp = ip + 20;
	unsigned long flags;

	for (unsigned int n = 0; n < PINGS_PER_CPU; n++) {
		uint16_t seq = (uint16_t)(p->cpu << 8 | (n + 1));
		int rc;

		if (cpu_id() != p->cpu) {
			p->err = -EPERM;	/* not pinned where we asked */
			return 0;
		}
		memset(f, 0, sizeof(f));
		memcpy(f, rx.gw_mac, NET_ETH_ALEN);
		net_if_mac(p->ifp, f + 6);
		put16(f + 12, ETH_P_IP);
		ip[0] = 0x45;
		put16(ip + 2, 20 + 8 + PING_PAYLOAD);
		put16(ip + 4, seq);
		ip[8] = 64;
		ip[9] = IP_ICMP;
		memcpy(ip + 12, our_ip, 4);
		memcpy(ip + 16, gw_ip, 4);
		put16(ip + 10, inet_csum(ip, 20));
		icmp[0] = ICMP_ECHO;
		put16(icmp + 4, PING_ID);
		put16(icmp + 6, seq);
		for (unsigned int i = 0; i < PING_PAYLOAD; i++)
			icmp[8 + i] = (uint8_t)(seq + i);
		put16(icmp + 2, inet_csum(icmp, 8 + PING_PAYLOAD));

		completion_init(&rx.reply[p->cpu]);
		flags = spinlock_lock_irqsave(&rx_lock);
		rx.want_seq[p->cpu] = seq;
		spinlock_unlock_irqrestore(&rx_lock, flags);
		rc = send_frame(p->ifp, f, sizeof(f), clock_ns() + WAIT_NS);
		if (rc) {
			p->err = rc;
			return 0;
		}
		p->sent++;
		if (completion_wait(&rx.reply[p->cpu], clock_ns() + WAIT_NS)) {
			p->err = -ETIMEDOUT;
			return 0;
		}
		p->answered++;
	}
	return 0;
}

/* One pinger per CPU, all at once: every CPU's TX queue path and
 * replies interleaving on the receive side. */
static void ping_from_every_cpu(struct ddeos_ktest *t, struct net_if *ifp)
{
	static struct pinger p[DDEOS_MAX_CPUS];
	struct thread *th[DDEOS_MAX_CPUS];
	unsigned int n = smp_cpus_online();

	for (unsigned int cpu = 0; cpu < n; cpu++) {
		p[cpu] = (struct pinger){ .t = t, .ifp = ifp, .cpu = cpu };
		th[cpu] = thread_create(&(struct thread_attr){ .name = "pinger",
					.prio = SCHED_PRIO_DEFAULT, .cpu = (int)cpu },
					pinger, &p[cpu]);
		KTEST_EXPECT(t, th[cpu] != NULL);
	}
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		if (!th[cpu])
			continue;
		thread_join(th[cpu]);
		KTEST_EXPECT(t, p[cpu].err == 0 && p[cpu].answered == PINGS_PER_CPU,
			     "cpu %u: sent %u answered %u err %d", cpu, p[cpu].sent,
			     p[cpu].answered, p[cpu].err);
	}
}

static void test_ping_gateway_every_cpu(struct ddeos_ktest *t)
{
	struct net_if *ifp = eth0(t);
	unsigned int n = smp_cpus_online();
	struct net_if_stats before, after;

	if (!ifp)
		KTEST_SKIP(t, "no NIC");
	KTEST_ASSERT(t, rx.gw_known, "the ARP case found no gateway MAC");
	net_if_get_stats(ifp, &before);
	rx.replies = rx.bad_replies = rx.rx_cpus = 0;
	net_set_rx(ifp, test_rx, NULL);
	ping_from_every_cpu(t, ifp);
	net_set_rx(ifp, NULL, NULL);
	KTEST_EXPECT(t, rx.bad_replies == 0, "%u replies with a bad payload or checksum",
		     rx.bad_replies);
	KTEST_EXPECT(t, rx.replies == n * PINGS_PER_CPU, "%u replies", rx.replies);
	net_if_get_stats(ifp, &after);
	KTEST_EXPECT(t, after.tx_frames - before.tx_frames >= n * PINGS_PER_CPU);
	KTEST_EXPECT(t, after.rx_frames - before.rx_frames >= n * PINGS_PER_CPU);
}

/*
 * Zero-copy receive: every frame is given to the hook, which passes it to
 * a releaser thread pinned on the next CPU, so that (with two CPUs or
 * more) every release is remote. Afterwards every frame given was
 * released, the remote ones counted, and the pool holds as many objects
 * as before the traffic.
 */
struct given {
	struct net_frame *f;
	struct given *next;
};

static struct releaser {
	struct spinlock lock;
	struct given *list;
	struct semaphore sem;
	bool stop;
	unsigned int cpu, released;
	int err;
} releasers[DDEOS_MAX_CPUS];

static void test_rx_given(struct net_if *ifp, struct net_frame *f, void *data,
			  size_t len, void *arg)
{
	struct given *g = net_frame_priv(f);
	struct releaser *r = &releasers[(cpu_id() + 1) % smp_cpus_online()];
	unsigned long flags;

	test_rx(ifp, data, len, arg);
	g->f = f;
	flags = spinlock_lock_irqsave(&r->lock);
	g->next = r->list;
	r->list = g;
	spinlock_unlock_irqrestore(&r->lock, flags);
	semaphore_up(&r->sem);
}

static int releaser(void *arg)
{
	struct releaser *r = arg;

	for (;;) {
		struct given *g;
		unsigned long flags;
		bool stop;

		if (semaphore_down(&r->sem, clock_ns() + WAIT_NS)) {
			r->err = -ETIMEDOUT;
			return 0;
		}
		flags = spinlock_lock_irqsave(&r->lock);
		g = r->list;
		r->list = NULL;
		stop = r->stop;
		spinlock_unlock_irqrestore(&r->lock, flags);
		while (g) {
			struct given *next = g->next;

			if (cpu_id() != r->cpu)
				r->err = -EPERM;	/* not pinned where we asked */
			net_frame_release(g->f);	/* g lives in the frame */
			r->released++;
			g = next;
		}
		if (stop)
			return 0;
	}
}

static void test_given_frames_released_remote(struct ddeos_ktest *t)
{
	struct thread *rel[DDEOS_MAX_CPUS];
	struct net_if *ifp = eth0(t);
	unsigned int n = smp_cpus_online(), released = 0;
	struct net_frame_stats before, after;
	struct ddeos_mem_totals mem_before, mem_after;

	if (!ifp)
		KTEST_SKIP(t, "no NIC");
	KTEST_ASSERT(t, rx.gw_known, "the ARP case found no gateway MAC");
	/* Before the threads: they are gone again when the pool is read
	 * after the traffic. */
	ddeos_mem_quiesce(&mem_before);
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		struct releaser *r = &releasers[cpu];

		*r = (struct releaser){ .cpu = cpu };
		spinlock_init(&r->lock);
		semaphore_init(&r->sem, 0);
		rel[cpu] = thread_create(&(struct thread_attr){ .name = "releaser",
					 .prio = SCHED_PRIO_DEFAULT, .cpu = (int)cpu },
					 releaser, r);
		KTEST_ASSERT(t, rel[cpu] != NULL);
	}
	net_frame_stats(&before);
	rx.replies = rx.bad_replies = rx.rx_cpus = 0;
	net_set_rx_frames(ifp, test_rx_given, NULL);
	ping_from_every_cpu(t, ifp);
	/* On return no frame is given any more: what the releasers find
	 * after the stop is all there is. */
	net_set_rx(ifp, NULL, NULL);
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		struct releaser *r = &releasers[cpu];
		unsigned long flags = spinlock_lock_irqsave(&r->lock);

		r->stop = true;
		spinlock_unlock_irqrestore(&r->lock, flags);
		semaphore_up(&r->sem);
	}
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		thread_join(rel[cpu]);
		KTEST_EXPECT(t, releasers[cpu].err == 0, "releaser %u: %d", cpu,
			     releasers[cpu].err);
		released += releasers[cpu].released;
	}
	net_frame_stats(&after);
	ddeos_mem_quiesce(&mem_after);
	KTEST_EXPECT(t, rx.replies == n * PINGS_PER_CPU && rx.bad_replies == 0,
		     "%u good and %u bad replies", rx.replies, rx.bad_replies);
	KTEST_EXPECT(t, after.given - before.given >= n * PINGS_PER_CPU,
		     "%llu frames given", (unsigned long long)(after.given - before.given));
	KTEST_EXPECT(t, after.given - before.given == released,
		     "%llu given, %u released by the test",
		     (unsigned long long)(after.given - before.given), released);
	KTEST_EXPECT(t, after.released - before.released == released,
		     "%llu releases counted, %u made",
		     (unsigned long long)(after.released - before.released), released);
	if (n > 1)
		KTEST_EXPECT(t, after.released_remote - before.released_remote == released,
			     "%llu of %u releases counted as remote",
			     (unsigned long long)(after.released_remote - before.released_remote),
			     released);
	KTEST_EXPECT(t, mem_after.objects_in_use == mem_before.objects_in_use,
		     "objects in use %lu before the traffic, %lu after",
		     mem_before.objects_in_use, mem_after.objects_in_use);
	kprintf("    # zero-copy: %u frames given and released, %llu on another CPU\n",
		released,
		(unsigned long long)(after.released_remote - before.released_remote));
}

/* ---- what a status page reads (apps/httpd) ---- */

static bool has_word(const char *s, const char *word)
{
	size_t n = string_len(word);

	for (; *s; s++)
		if (!string_ncmp(s, word, n))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *end)
{
	size_t a = string_len(s), b = string_len(end);

	return a >= b && !string_cmp(s + a - b, end);
}

struct status_seen {
	unsigned int stats, queues;
	uint64_t rx_packets, rx_bytes;
	unsigned int input_irqs;
	uint64_t input_count;
};

static void status_stat(void *arg, const char *name, uint64_t value)
{
	struct status_seen *s = arg;

	s->stats++;
	if (string_ncmp(name, "rx_queue_", 9))
		return;
	if (ends_with(name, "_packets") && !has_word(name, "xdp")) {
		s->queues++;
		s->rx_packets += value;
	} else if (ends_with(name, "_bytes")) {
		s->rx_bytes += value;
	}
}

static void status_irq(void *arg, unsigned int irq, const char *name,
		       unsigned int cpu, uint64_t count)
{
	struct status_seen *s = arg;

	if (!has_word(name, "-input."))
		return;
	s->input_irqs++;
	s->input_count += count;
}

/*
 * After the pings: the boot's device line for eth0, virtio_net's own
 * per-queue receive counters and its receive interrupts saw the traffic,
 * and the pool's totals are sane, all read without sleeping.
 */
static void test_status_sources(struct ddeos_ktest *t)
{
	struct net_if *ifp = eth0(t);
	struct status_seen seen = { 0 };
	struct pool_boot_stats ps;
	const char *line;
	unsigned int i, nic_lines = 0;
	int n;

	if (!ifp)
		KTEST_SKIP(t, "no NIC");
	for (i = 0; (line = devices_line(i)); i++) {
		KTEST_EXPECT(t, !string_ncmp(line, "device: pci=", 12), "line %u: '%s'", i, line);
		if (has_word(line, " driver=virtio_net netdev=eth0 "))
			nic_lines++;
	}
	KTEST_EXPECT(t, nic_lines == 1, "%u device lines for eth0 in %u", nic_lines, i);
	n = net_if_driver_stats(ifp, status_stat, &seen);
	KTEST_EXPECT(t, n > 0 && (unsigned int)n == seen.stats, "%d counters, %u seen",
		     n, seen.stats);
	KTEST_EXPECT(t, seen.queues >= 1, "no rx_queue_N_packets among %u", seen.stats);
	KTEST_EXPECT(t, seen.rx_packets >= PINGS_PER_CPU && seen.rx_bytes > seen.rx_packets,
		     "rx packets %llu bytes %llu after the pings",
		     (unsigned long long)seen.rx_packets, (unsigned long long)seen.rx_bytes);
	devices_for_each_irq(status_irq, &seen);
	KTEST_EXPECT(t, seen.input_irqs == seen.queues && seen.input_count > 0,
		     "%u receive IRQs for %u queues, %llu interrupts", seen.input_irqs,
		     seen.queues, (unsigned long long)seen.input_count);
	pool_boot_stats(&ps);
	KTEST_EXPECT(t, ps.objects_in_use > 0 && ps.pages_slab > 0 &&
			ps.pages_free < ps.pages_total,
		     "objects %llu slab pages %llu free %llu of %llu",
		     (unsigned long long)ps.objects_in_use,
		     (unsigned long long)ps.pages_slab,
		     (unsigned long long)ps.pages_free,
		     (unsigned long long)ps.pages_total);
}

static const struct ddeos_ktest_case net_cases[] = {
	{ "interface", test_interface },
	{ "send_bad_length", test_send_bad_length },
	{ "arp_gateway", test_arp_gateway },
	{ "ping_gateway_every_cpu", test_ping_gateway_every_cpu },
	{ "given_frames_released_remote", test_given_frames_released_remote },
	{ "status_sources", test_status_sources },
};
KTEST_SUITE(net, "net", net_cases);
