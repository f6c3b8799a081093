// SPDX-License-Identifier: GPL-2.0-only
/*
 * udpecho: RFC 862's echo service on UDP port 7, on lwIP's raw API. Each
 * datagram goes back to its sender as it came, from the NET_RX softirq
 * that received it (lwIP's callbacks run under the core lock), so an echo
 * costs no thread switch. With udpecho.remote=1 every datagram is handed
 * instead to a thread pinned on the next CPU, which sends the reply and
 * frees the buffer there: the receive-on-one-CPU, free-on-another pattern
 * of issue 11, made certain whichever CPU takes the interrupt.
 */
#include <ddeos/app.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include "lwip/mem.h"
#include "lwip/udp.h"
#include "lwip_port.h"

#define ECHO_PORT	7
/* Datagrams waiting for one CPU's echo thread; more are dropped, as a
 * full socket buffer would. */
#define ECHO_RING	256

struct echo_item {
	struct pbuf *p;
	ip_addr_t addr;
	u16_t port;
};

/* One CPU's hand-over ring; head and tail under the core lock. */
struct echo_cpu {
	struct echo_item ring[ECHO_RING];
	unsigned int head, tail;
	struct semaphore ready;		/* one up per queued datagram */
	unsigned int cpu;
};

static bool opt_remote;
static struct udp_pcb *echo_pcb;
static struct echo_cpu *echo_cpus[MAX_CPUS];
/* Under the core lock. */
static unsigned long udpecho_count, udpecho_failed, udpecho_overflow;

static int remote_param(const char *value)
{
	uint64_t v;

	if (cmdline_parse_u64(value, 1, &v))
		return -EINVAL;
	opt_remote = v;
	return 0;
}
KPARAM(udpecho_remote, "udpecho.remote", remote_param);

/* Under the core lock. */
static void udpecho_reply(struct udp_pcb *pcb, struct pbuf *p,
			  const ip_addr_t *addr, u16_t port)
{
	if (udp_sendto(pcb, p, addr, port) == ERR_OK)
		udpecho_count++;
	else
		udpecho_failed++;
	pbuf_free(p);
}

/* Pinned on its CPU: echo and free what the receiving CPU handed over. */
static int udpecho_thread(void *arg)
{
	struct echo_cpu *ec = arg;

	for (;;) {
		struct echo_item *it;

		semaphore_down(&ec->ready, 0);
		lwip_core_lock();
		it = &ec->ring[ec->tail % ECHO_RING];
		ec->tail++;
		udpecho_reply(echo_pcb, it->p, &it->addr, it->port);
		lwip_core_unlock();
	}
	return 0;
}

static void udpecho_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			 const ip_addr_t *addr, u16_t port)
{
	unsigned int ncpus = smp_cpus_online();
	struct echo_cpu *ec;
	struct echo_item *it;

	if (!opt_remote || ncpus < 2) {
		udpecho_reply(pcb, p, addr, port);
		return;
	}
	ec = echo_cpus[(cpu_id() + 1) % ncpus];
	if (ec->head - ec->tail >= ECHO_RING) {
		udpecho_overflow++;
		pbuf_free(p);
		return;
	}
	it = &ec->ring[ec->head % ECHO_RING];
	it->p = p;
	ip_addr_copy(it->addr, *addr);
	it->port = port;
	ec->head++;
	semaphore_up(&ec->ready);
}

/* The echo threads, one pinned on each CPU. Context: the main thread. */
static int udpecho_start_threads(void)
{
	unsigned int cpu, ncpus = smp_cpus_online();

	if (ncpus < 2) {
		kprintf("udpecho: remote=1 needs two CPUs; echoing in place\n");
		return 0;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct echo_cpu *ec = mem_calloc(1, sizeof(*ec));

		if (!ec)
			return -ENOMEM;
		semaphore_init(&ec->ready, 0);
		ec->cpu = cpu;
		echo_cpus[cpu] = ec;
		if (!thread_create(&(struct thread_attr){ .name = "udpecho",
							  .prio = SCHED_PRIO_DEFAULT,
							  .cpu = (int)cpu },
				   udpecho_thread, ec))
			return -ENOMEM;
	}
	kprintf("udpecho: each datagram echoed and freed on the CPU after the one that received it\n");
	return 0;
}

static int udpecho_start(void)
{
	struct udp_pcb *pcb;
	int rc = 0;

	rc = lwip_app_wait_up();
	if (rc)
		return rc;
	if (opt_remote) {
		rc = udpecho_start_threads();
		if (rc)
			return rc;
	}
	lwip_core_lock();
	pcb = udp_new();
	if (!pcb) {
		rc = -ENOMEM;
	} else if (udp_bind(pcb, IP_ANY_TYPE, ECHO_PORT) != ERR_OK) {
		udp_remove(pcb);
		rc = -EBUSY;
	} else {
		echo_pcb = pcb;
		udp_recv(pcb, udpecho_recv, NULL);
	}
	lwip_core_unlock();
	return rc;
}
APP_SERVICE(udpecho, "udpecho", udpecho_start);
