// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's IRQ API as drivers see it (dde/kernel/irq/, dde/kernel/smp.c):
 * hard-IRQ context on the targeted CPU's IRQ stack, shared lines, free_irq()
 * and synchronize_irq() waiting for handlers on other CPUs, nested
 * disable/enable with the replay of a lost edge, threaded ONESHOT handlers,
 * affinity moves, cross-CPU calls from hard IRQ, and the error paths. The
 * interrupt source is a software chip whose events are IPIs of its vector
 * (ddeos_irq_send()), with MSI-X-like masking. Reported in KTAP.
 */
#include <linux/cpumask.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel_stat.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <dde/dde.h>
#include <dde/irq.h>
#include "linux_ktest.h"

/* Long enough never to expire on a loaded TCG host: a missing event shows
 * as a failure instead of a hang (and short enough that a case failing
 * a wait or two ends within the boot's time limit). */
#define PATIENCE	(30 * HZ)
#define DDEOS_IRQ_STACK	(16 * 1024)

/* Poll @cond (an event, never a duration) for up to PATIENCE. */
#define WAIT_FOR(cond)							\
	({								\
		unsigned long __end = jiffies + PATIENCE;		\
		while (!(cond) && time_before(jiffies, __end))		\
			schedule_timeout_uninterruptible(1);		\
		(cond);							\
	})

static unsigned int last_cpu(void)
{
	return num_online_cpus() - 1;
}

/* ---- a software interrupt source ------------------------------------------ */

struct soft_src {
	spinlock_t lock;
	bool level;
	/* under lock */
	unsigned int cpu, vector;	/* the route */
	bool masked;
	bool latched;			/* edge: fired while masked */
	bool asserted;			/* level: line asserted */
	unsigned int routes;
};

static void soft_fire_locked(struct soft_src *s)
{
	if (s->masked) {
		s->latched = !s->level;
		return;
	}
	ddeos_irq_send(s->cpu, s->vector);
}

static int soft_route(void *data, unsigned int cpu, unsigned int vector)
{
	struct soft_src *s = data;

	spin_lock(&s->lock);
	s->cpu = cpu;
	s->vector = vector;
	s->routes++;
	spin_unlock(&s->lock);
	return 0;
}

static void soft_mask(void *data)
{
	struct soft_src *s = data;

	spin_lock(&s->lock);
	s->masked = true;
	spin_unlock(&s->lock);
}

static void soft_unmask(void *data)
{
	struct soft_src *s = data;

	spin_lock(&s->lock);
	s->masked = false;
	/* MSI-X's pending bit; a level line still asserted fires again. */
	if (s->latched || (s->level && s->asserted)) {
		s->latched = false;
		soft_fire_locked(s);
	}
	spin_unlock(&s->lock);
}

static void soft_eoi(void *data)
{
	struct soft_src *s = data;

	spin_lock(&s->lock);
	if (s->asserted && !s->masked)
		soft_fire_locked(s);
	spin_unlock(&s->lock);
}

static const struct dde_irq_chip soft_chip = {
	.name = "soft",
	.route = soft_route,
	.mask = soft_mask,
	.unmask = soft_unmask,
	.eoi = soft_eoi,
};

/* The device raises its interrupt. Context: any. */
static void soft_raise(struct soft_src *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (s->level)
		s->asserted = true;
	soft_fire_locked(s);
	spin_unlock_irqrestore(&s->lock, flags);
}

/* The handler quiets the device (level lines). */
static void soft_ack(struct soft_src *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->asserted = false;
	spin_unlock_irqrestore(&s->lock, flags);
}

static bool soft_masked(struct soft_src *s)
{
	unsigned long flags;
	bool m;

	spin_lock_irqsave(&s->lock, flags);
	m = s->masked;
	spin_unlock_irqrestore(&s->lock, flags);
	return m;
}

static int soft_create(struct soft_src *s, bool level,
		       const struct cpumask *affinity, unsigned int flags)
{
	memset(s, 0, sizeof(*s));
	spin_lock_init(&s->lock);
	s->level = level;
	return dde_irq_create(&soft_chip, s, affinity,
			      flags | (level ? DDE_IRQ_LEVEL : 0));
}

static unsigned int irq_total(unsigned int irq)
{
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu)
		n += kstat_irqs_cpu(irq, cpu);
	return n;
}

/* ---- what a handler saw ------------------------------------------------------ */

struct seen {
	struct soft_src *src;
	atomic_t calls;
	int cpu;
	bool hardirq, irqs_off, on_irq_stack;
	irqreturn_t ret;
	/* for handlers that wait to be released */
	bool entered, release, done;
};

static irqreturn_t record_handler(int irq, void *dev_id)
{
	struct seen *s = dev_id;
	unsigned long sp = (unsigned long)&s;
	unsigned long top = ddeos_irq_stack_top(smp_processor_id());

	s->cpu = smp_processor_id();
	s->hardirq = in_hardirq();
	s->irqs_off = irqs_disabled();
	s->on_irq_stack = sp < top && sp >= top - DDEOS_IRQ_STACK;
	if (s->src->level)
		soft_ack(s->src);
	atomic_inc(&s->calls);
	return s->ret;
}

/* Spins (hard IRQ, IRQs off) until the test releases it. */
static irqreturn_t spinning_handler(int irq, void *dev_id)
{
	struct seen *s = dev_id;

	WRITE_ONCE(s->entered, true);
	while (!READ_ONCE(s->release))
		cpu_relax();
	smp_store_release(&s->done, true);
	atomic_inc(&s->calls);
	return IRQ_HANDLED;
}

/* ---- hard-IRQ context on the targeted CPU ------------------------------------- */

struct listed {
	unsigned int irq;
	bool found;
};

static void find_irq(unsigned int irq, const char *chip, const char *action,
		     void *arg)
{
	struct listed *l = arg;

	if (irq == l->irq && !strcmp(chip, "soft") && action &&
	    !strcmp(action, "soft-ctx"))
		l->found = true;
}

static void handler_runs_in_hardirq_on_target_cpu(struct ddeos_ktest *t)
{
	unsigned int target = last_cpu();
	struct soft_src src;
	struct seen s = { .src = &src, .ret = IRQ_HANDLED };
	struct listed l;
	const void *name;
	int irq;

	irq = soft_create(&src, false, cpumask_of(target), 0);
	if (!EXPECT(t, irq >= DDE_IRQ_NR_GSI, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, src.cpu == target && src.routes == 1 && src.masked,
	       "routed to cpu %u (%u routes), masked %d", src.cpu, src.routes,
	       src.masked);
	EXPECT(t, request_irq(irq, record_handler, 0, "soft-ctx", &s) == 0);
	EXPECT(t, !soft_masked(&src), "request_irq() leaves it masked");
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 1), "handler never ran");
	EXPECT(t, s.cpu == target, "ran on cpu %d, routed to %u", s.cpu, target);
	EXPECT(t, s.hardirq && s.irqs_off, "in_hardirq %d, irqs off %d",
	       s.hardirq, s.irqs_off);
	EXPECT(t, s.on_irq_stack, "not on the IRQ stack of cpu %d", s.cpu);
	EXPECT(t, kstat_irqs_cpu(irq, target) == 1 && irq_total(irq) == 1,
	       "kstat %u on cpu %u, %u in all", kstat_irqs_cpu(irq, target),
	       target, irq_total(irq));
	l = (struct listed){ .irq = irq };
	dde_irq_for_each(find_irq, &l);
	EXPECT(t, l.found, "dde_irq_for_each() does not list irq %d", irq);
	name = free_irq(irq, &s);
	EXPECT(t, name && !strcmp(name, "soft-ctx"), "free_irq returned %s",
	       (const char *)name ?: "NULL");
	dde_irq_destroy(irq);
}

/* ---- a shared line ----------------------------------------------------------- */

static void shared_line_calls_every_handler(struct ddeos_ktest *t)
{
	struct soft_src src;
	struct seen a = { .src = &src, .ret = IRQ_NONE };
	struct seen b = { .src = &src, .ret = IRQ_HANDLED };
	const void *name;
	int irq;

	irq = soft_create(&src, true, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, request_irq(irq, record_handler, IRQF_SHARED, "soft-a", &a) == 0);
	EXPECT(t, request_irq(irq, record_handler, IRQF_SHARED, "soft-b", &b) == 0);
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&a.calls) == 1 && atomic_read(&b.calls) == 1),
	       "handlers ran %d and %d times", atomic_read(&a.calls),
	       atomic_read(&b.calls));
	EXPECT(t, dde_irq_unhandled(irq) == 0, "claimed, yet %u unhandled",
	       dde_irq_unhandled(irq));
	/* Nobody claims the next one: noticed (Linux's note_interrupt()). */
	b.ret = IRQ_NONE;
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&b.calls) == 2));
	EXPECT(t, WAIT_FOR(dde_irq_unhandled(irq) == 1), "%u unhandled",
	       dde_irq_unhandled(irq));
	name = free_irq(irq, &a);
	EXPECT(t, name && !strcmp(name, "soft-a"), "free_irq returned %s",
	       (const char *)name ?: "NULL");
	/* The other handler stays and still runs. */
	b.ret = IRQ_HANDLED;
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&b.calls) == 3));
	EXPECT(t, atomic_read(&a.calls) == 2, "a freed handler ran");
	name = free_irq(irq, &b);
	EXPECT(t, name && !strcmp(name, "soft-b"));
	EXPECT(t, soft_masked(&src), "the last free_irq() left the line unmasked");
	dde_irq_destroy(irq);
}

/* ---- free_irq() and synchronize_irq() wait for a running handler ------------- */

enum wait_kind { WAIT_FREE, WAIT_SYNC, WAIT_DISABLE };

struct waiter {
	unsigned int irq;
	struct seen *s;
	enum wait_kind kind;
	bool returned;
	bool handler_done_at_return;
	const void *name;
};

static int waiter_fn(void *arg)
{
	struct waiter *w = arg;

	if (w->kind == WAIT_FREE)
		w->name = free_irq(w->irq, w->s);
	else if (w->kind == WAIT_SYNC)
		synchronize_irq(w->irq);
	else
		disable_irq(w->irq);
	w->handler_done_at_return = smp_load_acquire(&w->s->done);
	smp_store_release(&w->returned, true);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void wait_for_spinning_handler(struct ddeos_ktest *t, enum wait_kind kind)
{
	struct soft_src src;
	struct seen s = { .src = &src };
	struct waiter w = { .s = &s, .kind = kind };
	struct task_struct *k;
	unsigned int before;
	int irq;

	if (num_online_cpus() < 2) {
		t->skip = "needs a second CPU to run the handler";
		return;
	}
	ddeos_thread_pin(0);	/* not where the handler spins */
	irq = soft_create(&src, false, cpumask_of(1), 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		goto out;
	w.irq = irq;
	EXPECT(t, request_irq(irq, spinning_handler, 0, "soft-spin", &s) == 0);
	soft_raise(&src);
	if (!EXPECT(t, WAIT_FOR(READ_ONCE(s.entered)), "handler never ran")) {
		WRITE_ONCE(s.release, true);
		goto out_free;
	}
	k = kthread_create(waiter_fn, &w, "irq-waiter");
	kthread_bind(k, 0);
	wake_up_process(k);
	/* The waiter is inside the wait: it cannot have returned yet. */
	EXPECT(t, WAIT_FOR(dde_irq_waiters(irq) > 0), "waiter never waited");
	EXPECT(t, !smp_load_acquire(&w.returned),
	       "returned while the handler still ran on cpu 1");
	WRITE_ONCE(s.release, true);
	EXPECT(t, WAIT_FOR(smp_load_acquire(&w.returned)), "waiter never returned");
	EXPECT(t, w.handler_done_at_return, "returned before the handler finished");
	kthread_stop(k);
	if (kind == WAIT_DISABLE) {
		/* Disabled: the next event is held, not handled. */
		soft_raise(&src);
		EXPECT(t, WAIT_FOR(irq_total(irq) == 2), "never arrived");
		EXPECT(t, atomic_read(&s.calls) == 1, "ran while disabled");
		enable_irq(irq);
		EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 2), "not replayed");
	}
	if (kind == WAIT_FREE) {
		EXPECT(t, w.name && !strcmp(w.name, "soft-spin"));
		/* A late interrupt is counted but runs no handler. */
		before = irq_total(irq);
		ddeos_irq_send(src.cpu, src.vector);
		EXPECT(t, WAIT_FOR(irq_total(irq) == before + 1), "never arrived");
		EXPECT(t, atomic_read(&s.calls) == 1,
		       "handler ran %d times, once before free_irq",
		       atomic_read(&s.calls));
		goto out_destroy;
	}
out_free:
	free_irq(irq, &s);
out_destroy:
	dde_irq_destroy(irq);
out:
	ddeos_thread_pin(-1);
}

static void free_irq_waits_for_handler_on_other_cpu(struct ddeos_ktest *t)
{
	wait_for_spinning_handler(t, WAIT_FREE);
}

static void synchronize_irq_waits_for_running_handler(struct ddeos_ktest *t)
{
	wait_for_spinning_handler(t, WAIT_SYNC);
}

static void disable_irq_waits_for_running_handler(struct ddeos_ktest *t)
{
	wait_for_spinning_handler(t, WAIT_DISABLE);
}

/* ---- an edge that came before any handler; IRQF_NO_AUTOEN ------------------- */

static void early_edge_replayed_at_request(struct ddeos_ktest *t)
{
	struct soft_src src;
	struct seen s = { .src = &src, .ret = IRQ_HANDLED };
	int irq;

	irq = soft_create(&src, false, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	/* Created masked: the source latches the event (MSI-X pending bit)
	 * and request_irq() lets it in. */
	soft_raise(&src);
	EXPECT(t, irq_total(irq) == 0, "delivered while masked");
	EXPECT(t, request_irq(irq, record_handler, 0, "soft-early", &s) == 0);
	EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 1), "the early event was lost");
	free_irq(irq, &s);

	/* IRQF_NO_AUTOEN: requested disabled until enable_irq(). */
	EXPECT(t, request_irq(irq, record_handler, IRQF_NO_AUTOEN, "soft-early",
			      &s) == 0);
	EXPECT(t, soft_masked(&src), "IRQF_NO_AUTOEN unmasked it");
	soft_raise(&src);
	EXPECT(t, atomic_read(&s.calls) == 1);
	enable_irq(irq);
	EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 2), "held event lost at enable_irq()");
	free_irq(irq, &s);
	dde_irq_destroy(irq);
}

/* ---- nested disable/enable, and the edge that came meanwhile ----------------- */

static void disable_nests_and_enable_replays_edge(struct ddeos_ktest *t)
{
	struct soft_src src;
	struct seen s = { .src = &src, .ret = IRQ_HANDLED };
	unsigned long warns;
	int irq;

	irq = soft_create(&src, false, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, request_irq(irq, record_handler, 0, "soft-dis", &s) == 0);
	disable_irq(irq);
	disable_irq(irq);
	EXPECT(t, !soft_masked(&src), "disable masks at once (Linux's is lazy)");
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(irq_total(irq) == 1), "never arrived");
	EXPECT(t, atomic_read(&s.calls) == 0, "ran while disabled");
	EXPECT(t, soft_masked(&src), "an event while disabled left it unmasked");
	enable_irq(irq);
	EXPECT(t, soft_masked(&src) && atomic_read(&s.calls) == 0,
	       "one enable_irq() of two enabled it");
	enable_irq(irq);
	if (!EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 1), "the edge was lost"))
		goto out;
	EXPECT(t, !soft_masked(&src));
	/* Another event: one more call, and no second replay came. */
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 2));
	EXPECT(t, irq_total(irq) == 3 && atomic_read(&s.calls) == 2,
	       "%u interrupts, %d calls", irq_total(irq), atomic_read(&s.calls));
	warns = dde_warn_count();
	enable_irq(irq);
	EXPECT(t, dde_warn_count() == warns + 1, "unbalanced enable_irq() not warned");
out:
	free_irq(irq, &s);
	dde_irq_destroy(irq);
}

/* ---- threaded handlers ---------------------------------------------------- */

struct threaded {
	struct soft_src *src;
	struct completion done;
	bool in_irq, masked, comm_ok;
	char comm[TASK_COMM_LEN];
	atomic_t runs;
	struct completion release;
	bool wait_release, waiting;
};

static irqreturn_t thread_handler(int irq, void *dev_id)
{
	struct threaded *th = dev_id;
	char comm[TASK_COMM_LEN];

	snprintf(comm, sizeof(comm), "irq/%d-soft-thr", irq);
	th->in_irq = in_interrupt();
	th->masked = soft_masked(th->src);
	th->comm_ok = !strcmp(current->comm, comm);
	strscpy(th->comm, current->comm, sizeof(th->comm));
	if (th->wait_release) {
		smp_store_release(&th->waiting, true);
		wait_for_completion(&th->release);
	}
	soft_ack(th->src);
	atomic_inc(&th->runs);
	complete(&th->done);
	return IRQ_HANDLED;
}

static void threaded_oneshot_keeps_line_masked(struct ddeos_ktest *t)
{
	struct soft_src src;
	struct threaded th = { .src = &src };
	int irq;

	init_completion(&th.done);
	init_completion(&th.release);
	irq = soft_create(&src, true, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	/* A level line with no primary handler needs ONESHOT (Linux). */
	EXPECT(t, request_threaded_irq(irq, NULL, thread_handler, 0, "soft-thr",
				       &th) == -EINVAL);
	EXPECT(t, request_threaded_irq(irq, NULL, thread_handler, IRQF_ONESHOT,
				       "soft-thr", &th) == 0);
	soft_raise(&src);
	EXPECT(t, wait_for_completion_timeout(&th.done, PATIENCE), "thread never ran");
	EXPECT(t, !th.in_irq, "thread handler ran in interrupt context");
	EXPECT(t, th.comm_ok, "ran in '%s'", th.comm);
	EXPECT(t, th.masked, "line unmasked while the thread ran");
	EXPECT(t, WAIT_FOR(!soft_masked(&src)), "line still masked after the thread");

	/* synchronize_irq() waits for the thread too. */
	reinit_completion(&th.done);
	th.wait_release = true;
	soft_raise(&src);
	if (!EXPECT(t, WAIT_FOR(smp_load_acquire(&th.waiting)), "thread never ran")) {
		complete(&th.release);
		goto out;
	}
	EXPECT(t, soft_masked(&src), "line unmasked while the thread ran");
	EXPECT(t, !synchronize_hardirq(irq), "thread not counted active");
	complete(&th.release);
	synchronize_irq(irq);
	EXPECT(t, atomic_read(&th.runs) == 2, "synchronize_irq() returned before the thread");
out:
	EXPECT(t, free_irq(irq, &th) != NULL);
	dde_irq_destroy(irq);
}

static void threaded_edge_needs_no_oneshot(struct ddeos_ktest *t)
{
	struct soft_src src;
	struct threaded th = { .src = &src };
	int irq;

	init_completion(&th.done);
	irq = soft_create(&src, false, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	/* MSI chips are ONESHOT_SAFE on Linux: accepted without it. */
	EXPECT(t, request_threaded_irq(irq, NULL, thread_handler, 0, "soft-thr",
				       &th) == 0);
	soft_raise(&src);
	EXPECT(t, wait_for_completion_timeout(&th.done, PATIENCE), "thread never ran");
	EXPECT(t, !th.in_irq && th.comm_ok);
	EXPECT(t, free_irq(irq, &th) != NULL);
	dde_irq_destroy(irq);
}

/* ---- affinity --------------------------------------------------------------- */

static void after_move(void *arg)
{
}

static void set_affinity_moves_delivery(struct ddeos_ktest *t)
{
	struct soft_src src;
	struct seen s = { .src = &src, .ret = IRQ_HANDLED };
	unsigned int cpu, vector, old_cpu, old_vector;
	int irq, v, got_old = 0, nv = 0, calls;
	int vecs[256];

	if (num_online_cpus() < 2) {
		t->skip = "needs a second CPU to move to";
		return;
	}
	irq = soft_create(&src, false, cpumask_of(0), 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, request_irq(irq, record_handler, 0, "soft-aff", &s) == 0);
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&s.calls) == 1) && s.cpu == 0);
	dde_irq_target(irq, &old_cpu, &old_vector);

	EXPECT(t, irq_set_affinity(irq, cpumask_of(1)) == 0);
	dde_irq_target(irq, &cpu, &vector);
	EXPECT(t, cpu == 1 && src.cpu == 1 && src.vector == vector,
	       "target cpu %u vector %#x, source routed to %u/%#x", cpu, vector,
	       src.cpu, src.vector);
	/* The move may replay once; then every call is on cpu 1. */
	calls = atomic_read(&s.calls);
	soft_raise(&src);
	EXPECT(t, WAIT_FOR(atomic_read(&s.calls) > calls));
	EXPECT(t, s.cpu == 1, "delivered to cpu %d after the move", s.cpu);

	/* The old vector is free again: taking every free vector of its CPU
	 * reaches it. */
	while ((v = ddeos_irq_vector_alloc(old_cpu, after_move, NULL)) >= 0 &&
	       nv < ARRAY_SIZE(vecs)) {
		vecs[nv++] = v;
		if (v == old_vector)
			got_old = 1;
	}
	while (nv--)
		ddeos_irq_vector_free(old_cpu, vecs[nv]);
	EXPECT(t, got_old, "old vector %#x of cpu %u still taken", old_vector, old_cpu);

	/* The hint follows the affinity (virtio's vp_set_vq_affinity()). */
	EXPECT(t, irq_set_affinity_hint(irq, cpumask_of(0)) == 0);
	dde_irq_target(irq, &cpu, &vector);
	EXPECT(t, cpu == 0 && src.cpu == 0, "hint did not move it back: cpu %u", cpu);
	EXPECT(t, irq_set_affinity_hint(irq, NULL) == 0);
	EXPECT(t, irq_set_affinity(DDE_NR_IRQS + 1, cpumask_of(0)) == -EINVAL);

	/* Two IRQs on CPUs 1 and 0 given one hint end up on one CPU, the
	 * mask's first (a virtio_net queue pair's two vectors). */
	{
		struct soft_src src2;
		unsigned int cpu2, vector2;
		int irq2 = soft_create(&src2, false, cpumask_of(0), 0);

		if (EXPECT(t, irq2 > 0, "dde_irq_create: %d", irq2)) {
			EXPECT(t, irq_set_affinity(irq, cpumask_of(1)) == 0);
			EXPECT(t, irq_set_affinity_hint(irq, cpu_online_mask) == 0);
			EXPECT(t, irq_set_affinity_hint(irq2, cpu_online_mask) == 0);
			dde_irq_target(irq, &cpu, &vector);
			dde_irq_target(irq2, &cpu2, &vector2);
			EXPECT(t, cpu == 0 && cpu2 == 0,
			       "hinted alike, delivered to cpus %u and %u", cpu, cpu2);
			irq_set_affinity_hint(irq, NULL);
			irq_set_affinity_hint(irq2, NULL);
			dde_irq_destroy(irq2);
		}
	}
	free_irq(irq, &s);
	dde_irq_destroy(irq);

	/* A managed IRQ stays within its mask. */
	irq = soft_create(&src, false, cpumask_of(1), DDE_IRQ_MANAGED);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, irq_set_affinity(irq, cpumask_of(0)) == -EINVAL,
	       "a managed IRQ moved out of its mask");
	dde_irq_target(irq, &cpu, &vector);
	EXPECT(t, cpu == 1);
	dde_irq_destroy(irq);
}

/* ---- cross-CPU calls ---------------------------------------------------------- */

struct call_seen {
	call_single_data_t csd;
	struct soft_src src;
	int cpu;
	bool hardirq, irqs_off;
	bool done;
	int queued;
	bool handled;	/* queued is set */
	atomic_t each;
};

static void async_fn(void *info)
{
	struct call_seen *c = info;

	c->cpu = smp_processor_id();
	c->hardirq = in_hardirq();
	c->irqs_off = irqs_disabled();
	smp_store_release(&c->done, true);
}

static irqreturn_t queue_call_handler(int irq, void *dev_id)
{
	struct call_seen *c = dev_id;

	c->queued = smp_call_function_single_async(last_cpu(), &c->csd);
	/* The call may run on its CPU before the store above: publish it. */
	smp_store_release(&c->handled, true);
	return IRQ_HANDLED;
}

static void count_fn(void *info)
{
	struct call_seen *c = info;

	atomic_inc(&c->each);
}

static void call_single_async_from_hardirq(struct ddeos_ktest *t)
{
	struct call_seen *c;
	int irq;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!EXPECT(t, c))
		return;
	INIT_CSD(&c->csd, async_fn, c);
	c->queued = 1;
	irq = soft_create(&c->src, false, cpumask_of(0), 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		goto out;
	EXPECT(t, request_irq(irq, queue_call_handler, 0, "soft-call", c) == 0);
	soft_raise(&c->src);
	EXPECT(t, WAIT_FOR(smp_load_acquire(&c->done)), "call never ran");
	EXPECT(t, WAIT_FOR(smp_load_acquire(&c->handled)), "handler never returned");
	EXPECT(t, c->queued == 0, "smp_call_function_single_async: %d", c->queued);
	EXPECT(t, c->cpu == last_cpu() && c->hardirq, "ran on cpu %d, hardirq %d",
	       c->cpu, c->hardirq);
	free_irq(irq, c);
	dde_irq_destroy(irq);

	/* The synchronous forms; a call to this CPU runs at once with IRQs
	 * off, not in hard IRQ (Linux's too). */
	c->done = false;
	ddeos_thread_pin(0);
	EXPECT(t, smp_call_function_single(last_cpu(), async_fn, c, 1) == 0);
	EXPECT(t, c->done && c->cpu == last_cpu() && c->irqs_off &&
	       c->hardirq == (last_cpu() != 0), "cpu %d, hardirq %d, irqs off %d",
	       c->cpu, c->hardirq, c->irqs_off);
	EXPECT(t, smp_call_function_single(nr_cpu_ids, async_fn, c, 1) == -ENXIO);
	on_each_cpu(count_fn, c, 1);
	EXPECT(t, atomic_read(&c->each) == num_online_cpus(), "%d calls for %u CPUs",
	       atomic_read(&c->each), num_online_cpus());
	ddeos_thread_pin(-1);
out:
	kfree(c);
}

/* ---- polling an IRQ (idle NAPI polling's dde_irq_poll()) ---------------------- */

struct polled {
	struct seen seen;
	int current_irq;
	irq_handler_t sole;
};

static irqreturn_t polled_handler(int irq, void *dev_id)
{
	struct polled *p = dev_id;

	p->current_irq = dde_irq_current();
	p->sole = dde_irq_current_sole_handler();
	return record_handler(irq, &p->seen);
}

static bool poll_once(unsigned int irq)
{
	unsigned long flags;
	bool claimed;

	local_irq_save(flags);
	claimed = dde_irq_poll(irq);
	local_irq_restore(flags);
	return claimed;
}

/*
 * dde_irq_poll() runs an edge IRQ's handler here, in hard-IRQ context,
 * says whether it claimed an event, and counts nothing: a poll that finds
 * nothing is no unhandled interrupt. It runs nothing for a disabled IRQ
 * or a level one.
 */
static void poll_runs_handler_without_counting(struct ddeos_ktest *t)
{
	struct soft_src src, lsrc;
	struct polled p = { .seen = { .src = &src, .ret = IRQ_NONE } };
	struct polled lp = { .seen = { .src = &lsrc, .ret = IRQ_HANDLED } };
	int irq, lirq;

	irq = soft_create(&src, false, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, dde_irq_current() == -1, "dde_irq_current() %d outside handlers",
	       dde_irq_current());
	if (!EXPECT(t, request_irq(irq, polled_handler, 0, "soft-poll", &p) == 0))
		goto out;
	EXPECT(t, !poll_once(irq), "a handler returning IRQ_NONE claimed");
	EXPECT(t, atomic_read(&p.seen.calls) == 1, "%d calls",
	       atomic_read(&p.seen.calls));
	EXPECT(t, p.seen.hardirq && p.seen.irqs_off && p.seen.cpu == raw_smp_processor_id(),
	       "in_hardirq %d, irqs off %d, cpu %d", p.seen.hardirq,
	       p.seen.irqs_off, p.seen.cpu);
	EXPECT(t, p.current_irq == irq && p.sole == polled_handler,
	       "dde_irq_current() %d for %d, sole handler %ps", p.current_irq,
	       irq, p.sole);
	EXPECT(t, irq_total(irq) == 0 && dde_irq_unhandled(irq) == 0,
	       "polls counted: %u interrupts, %u unhandled", irq_total(irq),
	       dde_irq_unhandled(irq));
	p.seen.ret = IRQ_HANDLED;
	EXPECT(t, poll_once(irq), "a handler returning IRQ_HANDLED not claimed");
	disable_irq(irq);
	EXPECT(t, !poll_once(irq) && atomic_read(&p.seen.calls) == 2,
	       "disabled IRQ polled: %d calls", atomic_read(&p.seen.calls));
	enable_irq(irq);
	EXPECT(t, poll_once(irq) && atomic_read(&p.seen.calls) == 3,
	       "enabled again: %d calls", atomic_read(&p.seen.calls));
	free_irq(irq, &p);
	EXPECT(t, !poll_once(irq) && atomic_read(&p.seen.calls) == 3,
	       "polled without a handler: %d calls", atomic_read(&p.seen.calls));

	lirq = soft_create(&lsrc, true, NULL, 0);
	if (EXPECT(t, lirq > 0, "dde_irq_create: %d", lirq)) {
		if (EXPECT(t, request_irq(lirq, polled_handler, 0, "soft-lpoll", &lp) == 0)) {
			EXPECT(t, !poll_once(lirq) && atomic_read(&lp.seen.calls) == 0,
			       "a level IRQ polled: %d calls",
			       atomic_read(&lp.seen.calls));
			free_irq(lirq, &lp);
		}
		dde_irq_destroy(lirq);
	}
out:
	dde_irq_destroy(irq);
}

/* ---- error paths -------------------------------------------------------------- */

static irqreturn_t never_handler(int irq, void *dev_id)
{
	return IRQ_NONE;
}

static void request_and_free_errors(struct ddeos_ktest *t)
{
	struct soft_src src;
	int a, b, irq;
	unsigned long warns;

	EXPECT(t, request_irq(DDE_NR_IRQS + 3, never_handler, 0, "x", &a) == -EINVAL);
	EXPECT(t, request_irq(DDE_IRQ_NR_GSI - 1, never_handler, 0, "x", &a) == -EINVAL,
	       "an IRQ nobody created");
	EXPECT(t, request_irq(IRQ_NOTCONNECTED, never_handler, 0, "x", &a) == -ENOTCONN);
	irq = soft_create(&src, true, NULL, 0);
	if (!EXPECT(t, irq > 0, "dde_irq_create: %d", irq))
		return;
	EXPECT(t, request_threaded_irq(irq, NULL, NULL, 0, "x", &a) == -EINVAL);
	EXPECT(t, request_irq(irq, never_handler, IRQF_SHARED, "x", NULL) == -EINVAL);
	EXPECT(t, request_irq(irq, never_handler, IRQF_SHARED, "a", &a) == 0);
	EXPECT(t, request_irq(irq, never_handler, IRQF_SHARED | IRQF_TRIGGER_RISING,
			      "b", &b) == -EBUSY, "trigger mismatch accepted");
	EXPECT(t, request_irq(irq, never_handler, 0, "b", &b) == -EBUSY,
	       "unshared request on a taken line");
	EXPECT(t, request_irq(irq, never_handler, IRQF_SHARED | IRQF_TRIGGER_LOW,
			      "b", &b) == 0, "the line's own trigger refused");
	warns = dde_warn_count();
	EXPECT(t, free_irq(irq, &src) == NULL);
	EXPECT(t, dde_warn_count() == warns + 1, "free of an unknown dev_id not warned");
	EXPECT(t, free_irq(irq, &b) && free_irq(irq, &a));
	EXPECT(t, dde_irq_create_at(DDE_IRQ_NR_GSI, &soft_chip, &src, NULL, 0) == -EINVAL);
	dde_irq_destroy(irq);
	EXPECT(t, request_irq(irq, never_handler, 0, "x", &a) == -EINVAL,
	       "request on a destroyed IRQ");
}

static const struct ddeos_ktest_case linux_irq_cases[] = {
	{ "handler_runs_in_hardirq_on_target_cpu", handler_runs_in_hardirq_on_target_cpu },
	{ "shared_line_calls_every_handler", shared_line_calls_every_handler },
	{ "free_irq_waits_for_handler_on_other_cpu", free_irq_waits_for_handler_on_other_cpu },
	{ "synchronize_irq_waits_for_running_handler", synchronize_irq_waits_for_running_handler },
	{ "disable_irq_waits_for_running_handler", disable_irq_waits_for_running_handler },
	{ "disable_nests_and_enable_replays_edge", disable_nests_and_enable_replays_edge },
	{ "early_edge_replayed_at_request", early_edge_replayed_at_request },
	{ "threaded_oneshot_keeps_line_masked", threaded_oneshot_keeps_line_masked },
	{ "threaded_edge_needs_no_oneshot", threaded_edge_needs_no_oneshot },
	{ "set_affinity_moves_delivery", set_affinity_moves_delivery },
	{ "call_single_async_from_hardirq", call_single_async_from_hardirq },
	{ "request_and_free_errors", request_and_free_errors },
	{ "poll_runs_handler_without_counting", poll_runs_handler_without_counting },
};

LINUX_KTEST_SUITE(linux_irq, linux_irq_cases);
