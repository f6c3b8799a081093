// SPDX-License-Identifier: GPL-2.0-only
/*
 * Idle NAPI polling: the idle loop polls a NAPI's interrupt source while
 * it spins, instead of waiting for the interrupt.
 *
 * Linux can keep a NAPI's interrupt off after a poll and poll again later:
 * napi_complete_done() returns false while dev->napi_defer_hard_irqs lasts
 * and an hrtimer (gro_flush_timeout) schedules the next poll (net/core/
 * dev.c, napi_watchdog()). ddeos has a poller at hand already: a CPU that
 * has just sent a frame spins in its idle loop for the reply (idle_poll=,
 * kernel/sched.c). So when a NAPI completes on a CPU whose idle loop will
 * spin (ddeos_idle_will_poll()), napi_complete_done() returns false as
 * Linux's does while deferring: the driver keeps its interrupt off
 * (virtio_net's virtqueue_napi_complete() calls virtqueue_disable_cb()).
 * Each time round the spin, napi_idle_poll() runs the handlers of the IRQ
 * that last scheduled that NAPI (dde_irq_poll()); virtio's
 * vring_interrupt() looks at the used ring and, if a frame came, schedules
 * the NAPI as the interrupt would have, and NET_RX runs the poll. When the
 * spin stops, to halt or to run a thread, napi_idle_end() schedules each
 * such NAPI once more with nothing to defer for: its poll completes, the
 * driver turns its interrupt back on and looks once more for a frame that
 * raced with that (virtqueue_napi_complete()'s virtqueue_poll()).
 *
 * What a reply saves: the device's MSI, the interrupt entry and the local
 * APIC's EOI, which under TCG is a call into QEMU that waits for its
 * global lock. A poll runs the IRQ's handler, so only an IRQ whose handler
 * finds its work in memory is polled: an edge IRQ whose one handler is
 * virtio's vring_interrupt() (virtio-pci's MSI-X vector of one virtqueue),
 * which reads the used ring. Not virtio-pci's shared or INTx handlers nor
 * virtio-mmio's: they read the device's interrupt status register, a call
 * into the device model each time round, and a device whose interrupt is
 * off sets no status bit to read. Their NAPIs complete as before, with
 * the interrupt on. napi_idle_poll=0 turns the whole thing off.
 *
 * State: per CPU, the NAPIs that CPU scheduled from an IRQ, with that IRQ,
 * and which of them it defers. Only the CPU itself touches its slots, with
 * IRQs off, except __netif_napi_del(), which takes a NAPI out of every
 * CPU's slots before the driver frees it (after an RCU grace period, which
 * waits for the IRQs-off sections that use the pointer).
 */
#include <linux/bottom_half.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/virtio_ring.h>
#include <dde/irq.h>
#include <ddeos_waist.h>
#include "net_core.h"

#define NAPI_IDLE_SLOTS	8

struct napi_idle_slot {
	struct napi_struct *napi;	/* NULL: free */
	int irq;			/* the IRQ that last scheduled it */
	bool deferred;			/* interrupt left off: polled by us */
};

struct napi_idle_cpu {
	struct napi_idle_slot slot[NAPI_IDLE_SLOTS];
	unsigned int deferred;		/* slots with deferred set */
	unsigned long found;		/* polls that scheduled a NAPI */
	unsigned long ended;		/* NAPIs given their interrupt back */
};

static DEFINE_PER_CPU(struct napi_idle_cpu, napi_idle);
static bool napi_idle_on = true;

static int __init setup_napi_idle_poll(char *str)
{
	bool on;

	if (kstrtobool(str, &on)) {
		pr_warn("napi_idle_poll=%s: not 0 or 1\n", str);
		return 0;
	}
	napi_idle_on = on;
	return 1;
}
__setup("napi_idle_poll=", setup_napi_idle_poll);

static struct napi_idle_slot *slot_of(struct napi_idle_cpu *ic,
				      const struct napi_struct *n)
{
	for (int i = 0; i < NAPI_IDLE_SLOTS; i++)
		if (ic->slot[i].napi == n)
			return &ic->slot[i];
	return NULL;
}

static void set_deferred(struct napi_idle_cpu *ic, struct napi_idle_slot *s,
			 bool deferred)
{
	if (s->deferred == deferred)
		return;
	s->deferred = deferred;
	if (deferred)
		ic->deferred++;
	else
		ic->deferred--;
}

/**
 * dde_napi_idle_note() - remember which IRQ scheduled @n on this CPU
 *
 * Context: __napi_schedule(), IRQs off; only a schedule from the handler
 * of an IRQ that can be polled (real or polled itself) is noted.
 */
void dde_napi_idle_note(struct napi_struct *n)
{
	struct napi_idle_cpu *ic = this_cpu_ptr(&napi_idle);
	struct napi_idle_slot *s;
	int irq = dde_irq_current();

	if (irq < 0 || !napi_idle_on)
		return;		/* not from an IRQ's handler */
	s = slot_of(ic, n);
	if (dde_irq_current_sole_handler() != vring_interrupt) {
		if (s)
			s->irq = -1;	/* its IRQ now: not to be polled */
		return;
	}
	if (!s)
		s = slot_of(ic, NULL);
	for (int i = 0; !s && i < NAPI_IDLE_SLOTS; i++)
		if (!ic->slot[i].deferred)
			s = &ic->slot[i];	/* forget one not deferred */
	if (!s)
		return;		/* all deferred: this one takes interrupts */
	s->napi = n;
	s->irq = irq;
}

/**
 * dde_napi_idle_defer() - whether @n's poll leaves its interrupt off
 *
 * Called by napi_complete_done() once @n is no longer scheduled. True
 * if this CPU's idle loop will spin and knows @n's IRQ: it polls that IRQ
 * from now on, and the driver must keep the interrupt off.
 * Context: @n's poll (softirq).
 */
bool dde_napi_idle_defer(struct napi_struct *n)
{
	struct napi_idle_cpu *ic;
	struct napi_idle_slot *s;
	unsigned long flags;
	bool defer = false;

	local_irq_save(flags);
	ic = this_cpu_ptr(&napi_idle);
	s = slot_of(ic, n);
	if (s) {
		defer = napi_idle_on && s->irq >= 0 &&
			!napi_disable_pending(n) && ddeos_idle_will_poll();
		set_deferred(ic, s, defer);
	}
	local_irq_restore(flags);
	return defer;
}

/* Take @n out of every CPU's slots. Context: __netif_napi_del(). */
void dde_napi_idle_forget(struct napi_struct *n)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct napi_idle_cpu *ic = per_cpu_ptr(&napi_idle, cpu);

		for (int i = 0; i < NAPI_IDLE_SLOTS; i++)
			cmpxchg(&ic->slot[i].napi, n, NULL);
	}
}

/*
 * Each time round the idle spin: run the handlers of each deferred NAPI's
 * IRQ; a frame found schedules its NAPI, and the poll runs from
 * local_bh_enable(). Context: the idle thread, IRQs on, preemption off.
 */
static void napi_idle_poll(void)
{
	struct napi_idle_cpu *ic = this_cpu_ptr(&napi_idle);
	bool found = false;

	if (!READ_ONCE(ic->deferred))
		return;
	local_irq_disable();
	for (int i = 0; i < NAPI_IDLE_SLOTS; i++) {
		struct napi_idle_slot *s = &ic->slot[i];

		if (!s->deferred)
			continue;
		if (!READ_ONCE(s->napi))
			set_deferred(ic, s, false);	/* deleted meanwhile */
		else if (s->irq >= 0 && dde_irq_poll(s->irq))
			found = true;
	}
	if (found)
		ic->found++;
	local_irq_enable();
	if (found) {
		local_bh_disable();
		local_bh_enable();	/* NET_RX: the scheduled polls */
	}
}

/*
 * The spin stops: give each deferred NAPI one more poll, which completes
 * with its interrupt back on unless the idle loop will spin again by then
 * (the poll sent a frame: the caller looks again and spins).
 * Context: the idle thread, IRQs on, preemption off.
 */
static void napi_idle_end(void)
{
	struct napi_idle_cpu *ic = this_cpu_ptr(&napi_idle);

	if (!READ_ONCE(ic->deferred))
		return;
	local_bh_disable();
	local_irq_disable();
	for (int i = 0; i < NAPI_IDLE_SLOTS; i++) {
		struct napi_idle_slot *s = &ic->slot[i];
		struct napi_struct *n = READ_ONCE(s->napi);

		if (!s->deferred)
			continue;
		set_deferred(ic, s, false);
		ic->ended++;
		/* Fails only if it is scheduled already or being disabled:
		 * then its poll or napi_enable() decides about the interrupt. */
		if (n && napi_schedule_prep(n))
			__napi_schedule(n);
	}
	local_irq_enable();
	local_bh_enable();
}

/* Context: the idle thread, IRQs off. */
static int napi_idle_armed(void)
{
	return READ_ONCE(this_cpu_ptr(&napi_idle)->deferred) != 0;
}

/* The waist's counters of @cpu's idle NAPI polling. Context: any. */
void ddeos_net_napi_idle_counts(unsigned int cpu, unsigned long *found,
				unsigned long *ended)
{
	struct napi_idle_cpu *ic = per_cpu_ptr(&napi_idle, cpu);

	*found = READ_ONCE(ic->found);
	*ended = READ_ONCE(ic->ended);
}

void dde_net_napi_idle_init(void)
{
	ddeos_set_idle_poller(napi_idle_poll, napi_idle_end, napi_idle_armed);
}
