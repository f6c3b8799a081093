// SPDX-License-Identifier: GPL-2.0-only
/*
 * NAPI and the network softirqs (Linux: the NAPI half of net/core/dev.c).
 * Same state machine on napi_struct.state as Linux, since drivers'
 * inlines (napi_schedule(), napi_complete()) test its bits; same per-CPU
 * poll list in softnet_data, same budget (netdev_budget 300 frames or 2
 * jiffies per NET_RX run). Not offered: GRO (napi_gro_receive() delivers
 * each skb as it comes), busy polling, threaded NAPI, netpoll. In place
 * of napi_defer_hard_irqs: idle NAPI polling (napi_idle.c).
 *
 * States of napi->state (bits), and who moves them:
 *   SCHED   owned: set by whoever wins napi_schedule_prep() (or by
 *           netif_napi_add/napi_disable, so nobody else can win); cleared
 *           only by the owner, in napi_complete_done() or napi_enable().
 *   MISSED  a schedule came while SCHED was set: napi_complete_done()
 *           then keeps SCHED and puts the NAPI back on the poll list, so
 *           the event is polled again instead of lost.
 *   DISABLE napi_disable() is waiting: schedule attempts fail, and a poll
 *           that used its whole weight completes instead of repolling.
 * All changes are cmpxchg loops on the whole word; the poll list is
 * CPU-local and touched with IRQs off.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/busy_poll.h>
#include "net_core.h"

/* Linux's defaults: net.core.netdev_budget and netdev_budget_usecs. */
static const int netdev_budget = 300;
static const unsigned int netdev_budget_usecs = 2 * USEC_PER_SEC / HZ;

/**
 * netif_napi_add_weight - attach a poll function to @dev
 * @napi: the context, owned by the driver
 * @poll: called in NET_RX softirq with a budget of @weight
 * @weight: frames per poll, at most NAPI_POLL_WEIGHT (64)
 *
 * The NAPI starts disabled (SCHED held) until napi_enable().
 * Context: thread, rtnl usually held.
 */
void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int), int weight)
{
	if (WARN_ON(test_and_set_bit(NAPI_STATE_LISTED, &napi->state)))
		return;
	INIT_LIST_HEAD(&napi->poll_list);
	INIT_LIST_HEAD(&napi->rx_list);
	napi->rx_count = 0;
	napi->skb = NULL;
	napi->poll = poll;
	if (weight > NAPI_POLL_WEIGHT)
		netdev_err_once(dev, "%s() called with weight %d\n", __func__,
				weight);
	napi->weight = weight;
	napi->dev = dev;
	set_bit(NAPI_STATE_SCHED, &napi->state);
	set_bit(NAPI_STATE_NPSVC, &napi->state);
	list_add_rcu(&napi->dev_list, &dev->napi_list);
}
EXPORT_SYMBOL(netif_napi_add_weight);

/** __netif_napi_del - detach @napi (the caller waits for RCU readers) */
void __netif_napi_del(struct napi_struct *napi)
{
	if (!test_and_clear_bit(NAPI_STATE_LISTED, &napi->state))
		return;
	list_del_rcu(&napi->dev_list);
	dde_napi_idle_forget(napi);
}
EXPORT_SYMBOL(__netif_napi_del);

/**
 * napi_enable - let @n be scheduled
 * Context: any; @n must be disabled (fresh or napi_disable()d).
 */
void napi_enable(struct napi_struct *n)
{
	unsigned long val, new;

	do {
		val = READ_ONCE(n->state);
		BUG_ON(!(val & NAPIF_STATE_SCHED));
		new = val & ~(NAPIF_STATE_SCHED | NAPIF_STATE_NPSVC);
	} while (cmpxchg(&n->state, val, new) != val);
}
EXPORT_SYMBOL(napi_enable);

/**
 * napi_disable - stop @n, waiting for a scheduled or running poll
 *
 * Context: thread, may sleep.
 */
void napi_disable(struct napi_struct *n)
{
	unsigned long val, new;

	might_sleep();
	set_bit(NAPI_STATE_DISABLE, &n->state);
	for (;;) {
		val = READ_ONCE(n->state);
		if (val & (NAPIF_STATE_SCHED | NAPIF_STATE_NPSVC)) {
			/* a poll owns it: it completes soon (DISABLE set) */
			usleep_range(20, 200);
			continue;
		}
		new = val | NAPIF_STATE_SCHED | NAPIF_STATE_NPSVC;
		if (cmpxchg(&n->state, val, new) == val)
			break;
	}
	clear_bit(NAPI_STATE_DISABLE, &n->state);
}
EXPORT_SYMBOL(napi_disable);

/**
 * napi_schedule_prep - claim @n for a poll
 *
 * If it is already claimed, record MISSED so that the owner polls again.
 * Context: any. Return: true if the caller now owns it and must call
 * __napi_schedule().
 */
bool napi_schedule_prep(struct napi_struct *n)
{
	unsigned long val, new;

	do {
		val = READ_ONCE(n->state);
		if (unlikely(val & NAPIF_STATE_DISABLE))
			return false;
		new = val | NAPIF_STATE_SCHED;
		if (val & NAPIF_STATE_SCHED)
			new |= NAPIF_STATE_MISSED;
	} while (cmpxchg(&n->state, val, new) != val);
	return !(val & NAPIF_STATE_SCHED);
}
EXPORT_SYMBOL(napi_schedule_prep);

/* Queue @n on this CPU's poll list and raise NET_RX. IRQs off. */
static void napi_list_add(struct napi_struct *n)
{
	dde_napi_idle_note(n);
	list_add_tail(&n->poll_list, this_cpu_ptr(&softnet_data.poll_list));
	__raise_softirq_irqoff(NET_RX_SOFTIRQ);
}

/**
 * __napi_schedule - poll @n in this CPU's NET_RX softirq
 *
 * Context: any, after napi_schedule_prep() returned true. From a thread,
 * call it with bottom halves off so that local_bh_enable() runs the poll.
 */
void __napi_schedule(struct napi_struct *n)
{
	unsigned long flags;

	local_irq_save(flags);
	napi_list_add(n);
	local_irq_restore(flags);
}
EXPORT_SYMBOL(__napi_schedule);

/**
 * napi_complete_done - the poll is done: give up @n
 * @work_done: frames processed (unused: no GRO to flush)
 *
 * Context: the NAPI's poll (softirq). Return: false if a schedule came
 * during the poll (MISSED): @n stays owned and is queued again; false too
 * if this CPU's idle loop will poll @n's IRQ instead (napi_idle.c, as
 * Linux's napi_defer_hard_irqs): either way the driver must not re-enable
 * its interrupt. True otherwise.
 */
bool napi_complete_done(struct napi_struct *n, int work_done)
{
	unsigned long flags, val, new;

	if (unlikely(n->state & (NAPIF_STATE_NPSVC | NAPIF_STATE_IN_BUSY_POLL)))
		return false;
	if (unlikely(!list_empty(&n->poll_list))) {
		/* completed outside net_rx_action(): still listed */
		local_irq_save(flags);
		list_del_init(&n->poll_list);
		local_irq_restore(flags);
	}
	do {
		val = READ_ONCE(n->state);
		WARN_ON_ONCE(!(val & NAPIF_STATE_SCHED));
		new = val & ~(NAPIF_STATE_MISSED | NAPIF_STATE_SCHED |
			      NAPIF_STATE_PREFER_BUSY_POLL);
		if (val & NAPIF_STATE_MISSED)
			new |= NAPIF_STATE_SCHED;	/* stay owned */
	} while (cmpxchg(&n->state, val, new) != val);

	if (unlikely(val & NAPIF_STATE_MISSED)) {
		__napi_schedule(n);
		return false;
	}
	return !dde_napi_idle_defer(n);
}
EXPORT_SYMBOL(napi_complete_done);

/*
 * Poll @n once. If it used its whole weight it still owns the NAPI and
 * goes on @repoll, unless a napi_disable() is waiting.
 * Return: the frames it processed.
 */
static int napi_poll(struct napi_struct *n, struct list_head *repoll)
{
	int weight = n->weight, work = 0;

	list_del_init(&n->poll_list);
	if (test_bit(NAPI_STATE_SCHED, &n->state))
		work = n->poll(n, weight);
	WARN_ONCE(work > weight, "%pS exceeded its NAPI budget (%d/%d)\n",
		  n->poll, work, weight);
	if (likely(work < weight))
		return work;	/* the driver completed (or kept it scheduled) */
	if (unlikely(napi_disable_pending(n))) {
		napi_complete(n);
		return work;
	}
	if (WARN_ON_ONCE(!list_empty(&n->poll_list)))
		return work;
	list_add_tail(&n->poll_list, repoll);
	return work;
}

/*
 * NET_RX_SOFTIRQ: poll this CPU's NAPIs until the list is empty, the
 * budget is used or the time is up; what is left is raised again (and
 * ksoftirqd takes over when that keeps happening).
 */
static __latent_entropy void net_rx_action(struct softirq_action *h)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);
	unsigned long time_limit = jiffies +
				   usecs_to_jiffies(netdev_budget_usecs);
	int budget = netdev_budget;
	LIST_HEAD(list);
	LIST_HEAD(repoll);

	local_irq_disable();
	list_splice_init(&sd->poll_list, &list);
	local_irq_enable();

	while (!list_empty(&list)) {
		struct napi_struct *n = list_first_entry(&list,
						struct napi_struct, poll_list);

		budget -= napi_poll(n, &repoll);
		if (unlikely(budget <= 0 ||
			     time_after_eq(jiffies, time_limit))) {
			sd->time_squeeze++;
			break;
		}
	}

	local_irq_disable();
	/* newly scheduled ones go after those we did not reach and repolls */
	list_splice_tail_init(&sd->poll_list, &list);
	list_splice_tail(&repoll, &list);
	list_splice(&list, &sd->poll_list);
	if (!list_empty(&sd->poll_list))
		__raise_softirq_irqoff(NET_RX_SOFTIRQ);
	local_irq_enable();
}

/* NET_TX_SOFTIRQ: free skbs queued from hard IRQs, tell of woken queues. */
static __latent_entropy void net_tx_action(struct softirq_action *h)
{
	dde_net_complete_skbs();
	dde_net_run_tx_wakes();
}

void dde_net_napi_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct softnet_data *sd = &per_cpu(softnet_data, cpu);

		INIT_LIST_HEAD(&sd->poll_list);
		sd->completion_queue = NULL;
	}
	open_softirq(NET_TX_SOFTIRQ, net_tx_action);
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	dde_net_napi_idle_init();
}

/**
 * napi_gro_receive - hand a received frame up
 *
 * No GRO: the frame is delivered at once, as netif_receive_skb().
 * Context: the NAPI's poll (softirq). Return: GRO_NORMAL.
 */
gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	skb_mark_napi_id(skb, napi);
	dde_net_deliver(skb);
	return GRO_NORMAL;
}
EXPORT_SYMBOL(napi_gro_receive);

/** netif_receive_skb - hand a received frame up. Context: softirq. */
int netif_receive_skb(struct sk_buff *skb)
{
	dde_net_deliver(skb);
	return NET_RX_SUCCESS;
}
EXPORT_SYMBOL(netif_receive_skb);
