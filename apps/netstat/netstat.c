// SPDX-License-Identifier: GPL-2.0-only
/*
 * netstat: the network's and the memory pool's counters on request, for
 * tests that must see what ddeos dropped and whether it kept memory. Any
 * datagram to UDP port 7007 wakes a thread that drains the pool on every
 * CPU, reads lwIP's statistics, the interface's counters and each CPU's
 * remote frees, prints them as one `netstat:` line and sends that line
 * back to the asker.
 */
#include <ddeos/app.h>
#include <ddeos/console.h>
#include <ddeos/devices.h>
#include <ddeos/errno.h>
#include <ddeos/fmt.h>
#include <ddeos/mm.h>
#include <ddeos/mutex.h>
#include <ddeos/net.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/string.h>
#include "lwip/memp.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/udp.h"
#include "lwip_port.h"

#define NETSTAT_PORT	7007
/* The largest UDP payload in one 1500-byte frame: no fragments. */
#define NETSTAT_LINE	1472

static struct udp_pcb *netstat_pcb;
static struct semaphore netstat_asked;
/* The last asker; under the core lock. */
static ip_addr_t netstat_addr;
static u16_t netstat_port;
static char netstat_line[NETSTAT_LINE];

struct line {
	char *buf;
	size_t pos;
	bool full;
};

/* A word that does not fit ends the line with " truncated", never a
 * half word that would read as another number. */
static void put(struct line *l, const char *fmt, unsigned long long v)
{
	static const char more[] = " truncated";
	size_t room = NETSTAT_LINE - sizeof(more) - l->pos;
	int n;

	if (l->full)
		return;
	n = fmt_snprintf(l->buf + l->pos, room, fmt, v);
	if (n < 0 || (size_t)n >= room) {
		memcpy(l->buf + l->pos, more, sizeof(more));
		l->pos += sizeof(more) - 1;
		l->full = true;
		return;
	}
	l->pos += n;
}

/* A driver IRQ's interrupts, as "irq.NAME=N" (virtio_pci's names:
 * "virtio0-input.0"); only those not zero. */
static void put_irq(void *arg, unsigned int irq, const char *name,
		    unsigned int cpu, uint64_t count)
{
	char fmt[64];

	if (!count)
		return;
	fmt_snprintf(fmt, sizeof(fmt), " irq.%s=%%llu", name);
	put(arg, fmt, count);
}

/* One protocol's lwIP counters, as "name.counter=N" words; only those not
 * zero, so that the answer fits one Ethernet frame (absent means 0). */
static void put_proto(struct line *l, const char *name, const struct stats_proto *s)
{
	char fmt[48];

#define PROTO_WORD(field)						\
	do {								\
		fmt_snprintf(fmt, sizeof(fmt), " %s." #field "=%%llu", name); \
		if (s->field)						\
			put(l, fmt, s->field);				\
	} while (0)
	PROTO_WORD(recv);
	PROTO_WORD(xmit);
	PROTO_WORD(drop);
	PROTO_WORD(chkerr);
	PROTO_WORD(lenerr);
	PROTO_WORD(memerr);
	PROTO_WORD(proterr);
	PROTO_WORD(opterr);
	PROTO_WORD(err);
#undef PROTO_WORD
}

/*
 * Fill netstat_line; return its length. The pool first, quiet, while
 * lwIP is not held (the drain sleeps); then lwIP's and the interface's
 * counters.
 * Context: the netstat thread.
 */
static size_t netstat_fill(void)
{
	struct line l = { .buf = netstat_line };
	struct pool_boot_stats pt;
	struct net_frame_stats fs;
	struct net_if_stats ns;
	struct net_if *ifp = net_if_get(0);
	unsigned int cpu;

	pool_boot_drain_all();
	pool_boot_stats(&pt);
	put(&l, "netstat: mem.objects=%llu", pt.objects_in_use);
	put(&l, " mem.pages_free=%llu", pt.pages_free);
	put(&l, " mem.pages_slab=%llu", pt.pages_slab);
	put(&l, " mem.in_flight=%llu", pt.remote_in_flight);
	for (cpu = 0; cpu < smp_cpus_online(); cpu++) {
		char fmt[40];
		uint64_t polls, hits, found, ended;

		fmt_snprintf(fmt, sizeof(fmt), " remote_frees.cpu%u=%%llu", cpu);
		put(&l, fmt, pool_boot_remote_frees(cpu));
		sched_idle_poll_stats(cpu, &polls, &hits);
		fmt_snprintf(fmt, sizeof(fmt), " idle_poll.cpu%u.polls=%%llu", cpu);
		put(&l, fmt, polls);
		fmt_snprintf(fmt, sizeof(fmt), " idle_poll.cpu%u.hits=%%llu", cpu);
		put(&l, fmt, hits);
		/* Absent means 0, as for lwIP's counters below. */
		net_napi_idle_stats(cpu, &found, &ended);
		fmt_snprintf(fmt, sizeof(fmt), " napi_idle.cpu%u.found=%%llu", cpu);
		if (found)
			put(&l, fmt, found);
		fmt_snprintf(fmt, sizeof(fmt), " napi_idle.cpu%u.ended=%%llu", cpu);
		if (ended)
			put(&l, fmt, ended);
	}
	if (ifp) {
		net_if_get_stats(ifp, &ns);
		put(&l, " if.rx=%llu", ns.rx_frames);
		put(&l, " if.rx_dropped=%llu", ns.rx_dropped);
		put(&l, " if.rx_unclaimed=%llu", ns.rx_unclaimed);
		put(&l, " if.tx=%llu", ns.tx_frames);
		put(&l, " if.tx_busy=%llu", ns.tx_busy);
		put(&l, " if.tx_errors=%llu", ns.tx_errors);
	}
	devices_for_each_irq(put_irq, &l);
	net_frame_stats(&fs);
	put(&l, " rx.split=%llu", fs.split);
	put(&l, " rx.linearized=%llu", fs.linearized);
	lwip_core_lock();
	put_proto(&l, "link", &lwip_stats.link);
	put_proto(&l, "etharp", &lwip_stats.etharp);
	put_proto(&l, "ip", &lwip_stats.ip);
	put_proto(&l, "ipfrag", &lwip_stats.ip_frag);
	put_proto(&l, "icmp", &lwip_stats.icmp);
	put_proto(&l, "udp", &lwip_stats.udp);
	put(&l, " reass.pending=%llu", lwip_stats.memp[MEMP_REASSDATA]->used);
	put(&l, " pbuf_pool.used=%llu", lwip_stats.memp[MEMP_PBUF_POOL]->used);
	put(&l, " pbuf.used=%llu", lwip_stats.memp[MEMP_PBUF]->used);
	lwip_core_unlock();
	return l.pos < NETSTAT_LINE ? l.pos : NETSTAT_LINE - 1;
}

/* Wait for a question; answer on the console and to the asker. */
static int netstat_thread(void *unused)
{
	for (;;) {
		struct pbuf *p;
		size_t len;

		semaphore_down(&netstat_asked, 0);
		len = netstat_fill();
		kprintf("%s\n", netstat_line);
		lwip_core_lock();
		p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
		if (p) {
			pbuf_take(p, netstat_line, (u16_t)len);
			udp_sendto(netstat_pcb, p, &netstat_addr, netstat_port);
			pbuf_free(p);
		}
		lwip_core_unlock();
	}
	return 0;
}

/* NET_RX softirq, core lock held. */
static void netstat_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			 const ip_addr_t *addr, u16_t port)
{
	ip_addr_copy(netstat_addr, *addr);
	netstat_port = port;
	pbuf_free(p);
	semaphore_up(&netstat_asked);
}

static int netstat_start(void)
{
	struct udp_pcb *pcb;
	int rc;

	rc = lwip_app_wait_up();
	if (rc)
		return rc;
	semaphore_init(&netstat_asked, 0);
	if (!thread_create(&(struct thread_attr){ .name = "netstat",
						  .prio = SCHED_PRIO_DEFAULT,
						  .cpu = CPU_ANY },
			   netstat_thread, NULL))
		return -ENOMEM;
	lwip_core_lock();
	pcb = udp_new();
	if (!pcb) {
		rc = -ENOMEM;
	} else if (udp_bind(pcb, IP_ANY_TYPE, NETSTAT_PORT) != ERR_OK) {
		udp_remove(pcb);
		rc = -EBUSY;
	} else {
		netstat_pcb = pcb;
		udp_recv(pcb, netstat_recv, NULL);
	}
	lwip_core_unlock();
	return rc;
}
APP_SERVICE(netstat, "netstat", netstat_start);
