// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCP acknowledgements once per receive batch. lwIP acknowledges every
 * second in-order segment at once and an odd one from its fast timer (up to
 * 250 ms later); under TCG every ACK is a virtqueue kick into QEMU's device
 * model and a segment for QEMU's user network to process. This file owns
 * lwIP's TCP input hook, which turns lwIP's "ACK now" for received data into
 * "ACK pending", and a thread per CPU that sends what is pending once the
 * receive softirq has delivered all it had: one ACK per batch, as Linux gets
 * one per GRO-merged segment (docs/net.md, lwIP section).
 */
#include <ddeos/mutex.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_port.h"
#include "lwip_hooks.h"

/* Above apps and lwIP's timer thread: the ACK is what the sender waits for. */
#define TCP_ACK_PRIO	(SCHED_PRIO_DEFAULT - 2)

struct tcp_ack_cpu {
	struct semaphore kick;		/* one up per batch with ACKs pending */
	bool pending;			/* under the core lock */
};

static struct tcp_ack_cpu tcp_ack_cpus[MAX_CPUS];
static bool tcp_ack_running;		/* the threads exist; under the core lock */

/*
 * lwIP's LWIP_HOOK_TCP_INPACKET_PCB: a segment for @pcb, before lwIP
 * processes it (@p holds the data). In-order data on an established
 * connection makes lwIP's tcp_ack() ACK at once if one segment was waiting
 * (TF_ACK_DELAY); clearing that flag first makes it only set it, and this
 * CPU's thread sends the ACK after the batch. Anything else (handshake,
 * FIN, duplicate ACKs for out-of-order data) lwIP sends as it always does.
 * Core lock held, NET_RX softirq (or a thread running it).
 */
err_t lwip_port_tcp_in(struct tcp_pcb *pcb, struct pbuf *p)
{
	struct tcp_ack_cpu *ac;

	if (!tcp_ack_running || pcb->state != ESTABLISHED || !p->tot_len)
		return ERR_OK;
	tcp_clear_flags(pcb, TF_ACK_DELAY);
	ac = &tcp_ack_cpus[cpu_id()];
	if (!ac->pending) {
		ac->pending = true;
		semaphore_up(&ac->kick);
	}
	return ERR_OK;
}

/*
 * Send every delayed ACK, as lwIP's tcp_fasttmr() does, but without
 * clearing the flags afterwards: tcp_output() clears them when the ACK went
 * out and leaves them for the fast timer to retry when it did not (a full
 * TX queue). Core lock held.
 */
static void tcp_ack_flush(void)
{
	struct tcp_pcb *pcb;

	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (pcb->flags & TF_ACK_DELAY) {
			tcp_ack_now(pcb);
			tcp_output(pcb);
		}
	}
}

/* Pinned on its CPU; runs when that CPU's receive softirq is done. */
static int tcp_ack_thread(void *arg)
{
	struct tcp_ack_cpu *ac = arg;

	for (;;) {
		semaphore_down(&ac->kick, 0);
		lwip_core_lock();
		ac->pending = false;
		tcp_ack_flush();
		lwip_core_unlock();
	}
	return 0;
}

void lwip_port_tcp_ack_init(void)
{
	unsigned int cpu, ncpus = smp_cpus_online();

	for (cpu = 0; cpu < ncpus; cpu++) {
		semaphore_init(&tcp_ack_cpus[cpu].kick, 0);
		if (!thread_create(&(struct thread_attr){ .name = "lwip-ack",
							  .prio = TCP_ACK_PRIO,
							  .cpu = (int)cpu },
				   tcp_ack_thread, &tcp_ack_cpus[cpu]))
			kpanic("lwip: cannot create the ACK threads");
	}
	lwip_core_lock();
	tcp_ack_running = true;
	lwip_core_unlock();
}
