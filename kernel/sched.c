// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler core: per-CPU run queues, the switch, wake-up and stealing.
 *
 * Each CPU has a run queue with one FIFO per priority. The switch
 * (__schedule) runs with IRQs off and a preempt count of exactly 1; it holds
 * the CPU's run-queue lock across arch_switch(), and the thread switched to
 * releases it (finish_switch). A thread's `on_cpu` stays set until then, so a
 * waker or a thief never touches a stack still in use.
 *
 * Wake-up protocol (thread state transitions, all by atomic cmpxchg/store):
 *   RUNNING -> BLOCKED   by the thread itself, preemption off (sched_block)
 *   BLOCKED -> WAKING    by sched_wake(); exactly one waker wins
 *   WAKING  -> RUNNING   if the thread has not switched out yet on this CPU
 *   WAKING  -> READY     after on_cpu clears, under the target run queue lock
 *   READY   -> RUNNING   by __schedule() on the CPU that picks it
 * A BLOCKED or WAKING thread is never on a run queue, so it is queued once.
 *
 * Lock order: a CPU holding its own run-queue lock only *tries* another
 * CPU's (stealing), so no two run-queue locks can deadlock.
 */
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/fmt.h>
#include <ddeos/irq.h>
#include <ddeos/ksyms.h>
#include <ddeos/mm.h>
#include <ddeos/panic.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include "waist/ddeos_waist.h"

struct runq {
	struct spinlock lock;
	/* Guarded by lock: */
	struct dlist prio[SCHED_PRIOS];
	uint32_t nonempty;		/* bit p: prio[p] is not empty */
	unsigned int nr_ready;
	struct thread *current;
	struct thread *idle;
	uint64_t switches;
	/* Idle polling (this CPU only): */
	uint64_t poll_until;		/* spin until this clock_ns() */
	uint64_t polls, poll_hits;	/* spins, and those ended by work */
} __aligned(64);

static struct runq runqs[MAX_CPUS];
static struct thread idle_threads[MAX_CPUS];
static bool sched_running;
#define TICK_HOOKS_MAX	4
static void (*tick_hooks[TICK_HOOKS_MAX])(void);

DEFINE_PERCPU(struct thread *, cur_thread);
/* Linux's `current` (arch/x86/include/asm/current.h in 6.1): the DDE's
 * struct task_struct of the running thread, NULL for threads without one. */
DEFINE_PERCPU(void *, current_task);

const char *sched_current_name(void)
{
	struct thread *t = sched_current();

	return t ? t->name : "boot";
}

static void enqueue(struct runq *rq, struct thread *t)
{
	dlist_add_tail(&rq->prio[t->prio], &t->run_node);
	rq->nonempty |= 1u << t->prio;
	rq->nr_ready++;
}

static void dequeue(struct runq *rq, struct thread *t)
{
	dlist_del(&t->run_node);
	if (dlist_empty(&rq->prio[t->prio]))
		rq->nonempty &= ~(1u << t->prio);
	rq->nr_ready--;
}

static struct thread *first_ready(struct runq *rq)
{
	if (!rq->nonempty)
		return NULL;
	return container_of(rq->prio[__builtin_ctz(rq->nonempty)].next,
			    struct thread, run_node);
}

/* Take one unpinned ready thread from a busier CPU. Caller holds its own
 * run-queue lock, IRQs off. */
static struct thread *steal(unsigned int me)
{
	unsigned int n = smp_cpus_online();

	for (unsigned int i = 1; i < n; i++) {
		struct runq *victim = &runqs[(me + i) % n];
		struct thread *found = NULL;
		struct dlist *pos;

		if (!READ_ONCE(victim->nr_ready) || !raw_lock_try(&victim->lock))
			continue;
		for (int p = 0; p < SCHED_PRIOS && !found; p++) {
			dlist_for_each(pos, &victim->prio[p]) {
				struct thread *t = container_of(pos, struct thread, run_node);

				if (t->pin == CPU_ANY) {
					found = t;
					break;
				}
			}
		}
		if (found) {
			dequeue(victim, found);
			found->cpu = (int)me;
		}
		raw_lock_release(&victim->lock);
		if (found)
			return found;
	}
	return NULL;
}

static void make_ready(struct thread *t);

/* Linux's view of a thread (its task_struct): the CPU it runs on, and
 * whether it is on one now. Offsets from the waist, checked by the DDE. */
static void task_set_on_cpu(struct thread *t, int on, unsigned int cpu)
{
	char *task = t->dde_task;

	if (!task)
		return;
	if (on)
		__atomic_store_n((uint32_t *)(task + DDEOS_TASK_CPU_OFFSET), cpu,
				 __ATOMIC_RELAXED);
	__atomic_store_n((int *)(task + DDEOS_TASK_ON_CPU_OFFSET), on,
			 __ATOMIC_RELEASE);
}

/*
 * A pending switch, in both places it is read: the preempt counter's
 * folded bit (preempt_enable() and the IRQ exit) and the running task's
 * TIF_NEED_RESCHED (Linux's need_resched(), in loops such as
 * __do_softirq()'s). Context: IRQs off or preemption off, on this CPU.
 */
static void resched_set(void)
{
	char *task = percpu_read(current_task);

	need_resched_set();
	if (task)
		__atomic_fetch_or((unsigned long *)(task + DDEOS_TASK_FLAGS_OFFSET),
				  1ul << DDEOS_TASK_NEED_RESCHED_BIT, __ATOMIC_RELAXED);
}

static void resched_clear(struct thread *prev)
{
	char *task = prev->dde_task;

	need_resched_clear();
	if (task)
		__atomic_fetch_and((unsigned long *)(task + DDEOS_TASK_FLAGS_OFFSET),
				   ~(1ul << DDEOS_TASK_NEED_RESCHED_BIT), __ATOMIC_RELAXED);
}

static void finish_switch(struct thread *prev)
{
	bool migrate = prev->migrate;

	task_set_on_cpu(prev, 0, 0);

	prev->migrate = false;
	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	raw_lock_release(&runqs[cpu_id()].lock);
	/* Pinned elsewhere while running: queue it there now that it is off. */
	if (migrate)
		make_ready(prev);
}

/* Context: IRQs off, preempt_level() == 1. */
static void __schedule(void)
{
	unsigned int cpu = cpu_id();
	struct runq *rq = &runqs[cpu];
	struct thread *prev = sched_current(), *next;

	raw_lock_acquire(&rq->lock);
	resched_clear(prev);
	if (prev != rq->idle &&
	    __atomic_load_n(&prev->state, __ATOMIC_ACQUIRE) == THREAD_RUNNING) {
		if (prev->pin != CPU_ANY && prev->pin != (int)cpu) {
			__atomic_store_n(&prev->state, THREAD_WAKING, __ATOMIC_RELAXED);
			prev->migrate = true;
		} else {
			__atomic_store_n(&prev->state, THREAD_READY, __ATOMIC_RELAXED);
			enqueue(rq, prev);
		}
	}
	next = first_ready(rq);
	if (next)
		dequeue(rq, next);
	else if ((next = steal(cpu)) == NULL)
		next = rq->idle;
	__atomic_store_n(&next->state, THREAD_RUNNING, __ATOMIC_RELAXED);
	if (next == prev) {
		raw_lock_release(&rq->lock);
		return;
	}
	next->on_cpu = true;
	next->cpu = (int)cpu;
	next->slice_start = arch_clock_ns();
	rq->current = next;
	rq->switches++;
	percpu_write(cur_thread, next);
	percpu_write(current_task, next->dde_task);
	task_set_on_cpu(next, 1, cpu);
	prev = arch_switch(&prev->sp, next->sp, prev);
	finish_switch(prev);
}

/* A new thread's first instructions after the switch to it (entry.S). */
void __noreturn sched_thread_start(struct thread *prev)
{
	struct thread *me = sched_current();

	finish_switch(prev);
	preempt_on_no_resched();	/* the switch's count of 1 */
	arch_irq_enable();
	thread_exit(me->fn(me->arg));
}

void sched_block(void)
{
	unsigned long flags;

	if (preempt_level() != 1)
		sched_assert_may_sleep(__builtin_return_address(0));
	flags = arch_irq_save();
	__schedule();
	arch_irq_restore(flags);
}

/*
 * Only where preemption is allowed: the preempt counter is per CPU, not per
 * thread, so switching with it raised would hand the raised count to the
 * next thread. A call from a non-preemptible section (a Linux
 * preempt_schedule() that does not check, say) returns; the switch is taken
 * at the next preemption point, where need_resched() still says so.
 */
void sched_preempt(void)
{
	unsigned long flags;

	if (!sched_running || !arch_irqs_enabled() || preempt_level())
		return;	/* taken at the next preemption point instead */
	do {
		flags = arch_irq_save();
		preempt_off();
		__schedule();
		preempt_on_no_resched();
		arch_irq_restore(flags);
	} while (need_resched() && preempt_level() == 0);
}

/* Context: the end of a hard IRQ, IRQs off, preempt count 0. */
void sched_preempt_irq(void)
{
	if (!sched_running)
		return;
	do {
		preempt_off();
		__schedule();
		preempt_on_no_resched();
	} while (need_resched());
}

static unsigned int select_cpu(struct thread *t)
{
	unsigned int n = smp_cpus_online();

	if (t->pin != CPU_ANY)
		return (unsigned int)t->pin;
	if ((unsigned int)t->cpu < n && runqs[t->cpu].current == runqs[t->cpu].idle)
		return (unsigned int)t->cpu;
	for (unsigned int i = 0; i < n; i++) {
		struct runq *rq = &runqs[i];

		if (READ_ONCE(rq->current) == rq->idle && !READ_ONCE(rq->nr_ready))
			return i;
	}
	return (unsigned int)t->cpu < n ? (unsigned int)t->cpu : cpu_id();
}

/* Queue a thread that is not on any CPU or run queue. IRQs off. */
static void make_ready(struct thread *t)
{
	unsigned int target = select_cpu(t);
	struct runq *rq = &runqs[target];
	bool kick;

	raw_lock_acquire(&rq->lock);
	t->cpu = (int)target;
	__atomic_store_n(&t->state, THREAD_READY, __ATOMIC_RELEASE);
	enqueue(rq, t);
	kick = rq->current == rq->idle || t->prio < rq->current->prio;
	raw_lock_release(&rq->lock);
	if (!kick)
		return;
	if (target == cpu_id())
		resched_set();
	else
		arch_send_ipi(target, VEC_RESCHED);
}

/*
 * Waking a thread of higher priority than the running one on this CPU is a
 * preemption point, as in Linux (try_to_wake_up() ends in preempt_enable()):
 * the preempt_on() at the end switches at once if allowed.
 */
bool sched_wake(struct thread *t)
{
	unsigned long flags;
	int expect = THREAD_BLOCKED;

	preempt_off();
	flags = arch_irq_save();
	if (!__atomic_compare_exchange_n(&t->state, &expect, THREAD_WAKING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		arch_irq_restore(flags);
		preempt_on();
		return false;
	}
	if (t == sched_current()) {
		/* Woken (by an IRQ on this CPU) before it switched out. */
		__atomic_store_n(&t->state, THREAD_RUNNING, __ATOMIC_RELEASE);
	} else {
		while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
			arch_cpu_relax();
		make_ready(t);
	}
	arch_irq_restore(flags);
	preempt_on();
	return true;
}

/* Queue a newly created thread; a preemption point like sched_wake().
 * Context: any. */
void sched_start_thread(struct thread *t)
{
	unsigned long flags;

	preempt_off();
	flags = arch_irq_save();
	make_ready(t);
	arch_irq_restore(flags);
	preempt_on();
}

/* Context: thread, may sleep (a yield from atomic context is reported
 * and stops the kernel, as Linux's "scheduling while atomic"). */
void thread_yield(void)
{
	unsigned long flags;

	if (preempt_level() || !arch_irqs_enabled())
		sched_assert_may_sleep(__builtin_return_address(0));
	preempt_off();
	flags = arch_irq_save();
	__schedule();
	arch_irq_restore(flags);
	preempt_on();
}

void sched_assert_may_sleep(const void *caller)
{
	char sym[KSYM_NAME_MAX];

	ksyms_format((uint64_t)caller, sym, sizeof(sym));
	/* The level, as Linux's preempt_count() gives it: the folded
	 * need-resched bit says only whether a switch was pending. */
	kpanic("sleeping in atomic context: preempt_count=%#x irqs %s, thread '%s', called from %s",
	      preempt_level(), arch_irqs_enabled() ? "on" : "off",
	      sched_current_name(), sym);
}

/* Context: hard IRQ (the timer), on each CPU every SCHED_SLICE_NS. */
void sched_tick(void)
{
	struct runq *rq = &runqs[cpu_id()];
	struct thread *cur = sched_current();

	for (int i = 0; i < TICK_HOOKS_MAX && tick_hooks[i]; i++)
		tick_hooks[i]();
	if (!sched_running)
		return;
	if (cur == rq->idle) {
		/* Idle: look for work here or on a busier CPU. */
		for (unsigned int i = 0; i < smp_cpus_online(); i++)
			if (READ_ONCE(runqs[i].nr_ready)) {
				resched_set();
				break;
			}
		return;
	}
	raw_lock_acquire(&rq->lock);
	struct thread *next = first_ready(rq);

	if (next && next->prio <= cur->prio &&
	    arch_clock_ns() - cur->slice_start >= SCHED_SLICE_NS)
		resched_set();
	raw_lock_release(&rq->lock);
}

/* Context: boot or thread; hooks are never removed. */
int sched_add_tick_hook(void (*hook)(void))
{
	for (int i = 0; i < TICK_HOOKS_MAX; i++) {
		void (*none)(void) = NULL;

		if (__atomic_compare_exchange_n(&tick_hooks[i], &none, hook, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return 0;
	}
	return -ENOSPC;
}

struct thread *sched_idle_thread(unsigned int cpu)
{
	return &idle_threads[cpu];
}

static void resched_ipi(void *unused)
{
	resched_set();
}

/* The boot context of each CPU becomes its idle thread. */
void sched_init_cpu(unsigned int cpu)
{
	struct runq *rq = &runqs[cpu];
	struct thread *idle = &idle_threads[cpu];

	spinlock_init(&rq->lock);
	for (int p = 0; p < SCHED_PRIOS; p++)
		dlist_init(&rq->prio[p]);
	idle->state = THREAD_RUNNING;
	idle->on_cpu = true;
	idle->cpu = (int)cpu;
	idle->pin = (int)cpu;
	idle->prio = SCHED_PRIOS - 1;
	waitq_init(&idle->exit_wq);
	fmt_snprintf(idle->name, sizeof(idle->name), "idle/%u", cpu);
	rq->idle = idle;
	rq->current = idle;
	percpu_write(cur_thread, idle);
}

void sched_init_boot(void)
{
	irq_set_system_handler(VEC_RESCHED, resched_ipi, NULL);
	sched_init_cpu(0);
}

/*
 * Idle polling: after a CPU sends to a device (sched_idle_poll_hint()),
 * its idle loop spins up to idle_poll= us for the reply before it halts.
 * Under TCG, and under most hypervisors, a halted vCPU is woken by a host
 * thread wake-up, tens of us per interrupt; a spinning one takes the
 * interrupt at its next instruction boundary. Linux's cpuidle-haltpoll
 * does the same for KVM guests (drivers/cpuidle/cpuidle-haltpoll.c).
 */
static uint64_t idle_poll_ns = 100 * 1000;

static int idle_poll_set(const char *v)
{
	uint64_t us;

	if (!v || cmdline_parse_u64(v, 1000000, &us))
		return -EINVAL;
	idle_poll_ns = us * 1000;
	return 0;
}
KPARAM(idle_poll, "idle_poll", idle_poll_set);

uint64_t sched_idle_poll_set_ns(uint64_t ns)
{
	uint64_t old = idle_poll_ns;

	WRITE_ONCE(idle_poll_ns, ns);
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
		WRITE_ONCE(runqs[cpu].poll_until, 0);	/* no old window */
	return old;
}

void sched_idle_poll_hint(void)
{
	uint64_t ns = READ_ONCE(idle_poll_ns);

	if (ns)
		WRITE_ONCE(runqs[cpu_id()].poll_until, arch_clock_ns() + ns);
}

void sched_idle_poll_stats(unsigned int cpu, uint64_t *polls, uint64_t *hits)
{
	*polls = READ_ONCE(runqs[cpu].polls);
	*hits = READ_ONCE(runqs[cpu].poll_hits);
}

/*
 * A device layer's idle poller (one: the DDE's NAPI, dde/net/core/
 * napi_idle.c). While a CPU's idle loop spins it calls poll() each
 * time round, and end() before it stops spinning, to halt or to run a
 * thread: a device whose interrupt was left off for the spin to poll
 * must have it back on before nothing polls it. armed() says whether
 * end() has anything to do; the loop asks it with IRQs off just before
 * it halts, so a device left off by an interrupt that came after the
 * spin is not forgotten.
 */
static const struct sched_idle_poller *idle_poller;

void sched_set_idle_poller(const struct sched_idle_poller *p)
{
	WRITE_ONCE(idle_poller, p);
}

/*
 * Whether this CPU runs its idle thread and will spin rather than halt or
 * switch: a device may then leave its interrupt off and be polled.
 * Context: any; the answer holds until this CPU's next interrupt handler
 * or softirq wakes a thread or sends a frame.
 */
bool sched_idle_will_poll(void)
{
	struct runq *rq = &runqs[cpu_id()];

	return percpu_read(cur_thread) == rq->idle &&
	       !READ_ONCE(rq->nr_ready) && !need_resched() &&
	       arch_clock_ns() < READ_ONCE(rq->poll_until);
}

/*
 * Before halting or switching: if the poller left a device to be polled,
 * end that (IRQs on meanwhile) and return true, so the caller looks again.
 * Context: the idle thread, IRQs off.
 */
static bool idle_poller_end(void)
{
	const struct sched_idle_poller *p = READ_ONCE(idle_poller);

	if (!p || !p->armed())
		return false;
	arch_irq_enable();
	p->end();
	return true;
}

/*
 * Spin with IRQs on until work arrives or poll_until passes. No PAUSE in
 * the loop: under TCG a PAUSE leaves translated code and takes QEMU's
 * global lock, which the I/O thread delivering the reply needs. An
 * interrupt handled meanwhile, or the poller, may renew poll_until (a
 * frame was sent). The poller's end() is the caller's, which looks again
 * either way (idle_poller_end()).
 * Context: the idle thread, IRQs off, preemption off; returns with IRQs
 * off.
 */
static void idle_poll(struct runq *rq)
{
	const struct sched_idle_poller *p = READ_ONCE(idle_poller);
	bool work;

	rq->polls++;
	arch_irq_enable();
	while (!(work = READ_ONCE(rq->nr_ready) || need_resched()) &&
	       arch_clock_ns() < READ_ONCE(rq->poll_until)) {
		if (p)
			p->poll();
		barrier();
	}
	arch_irq_disable();
	rq->poll_hits += work;
}

/*
 * Context: each CPU's boot context, as its last act. The idle thread is
 * never preempted (Linux's do_idle() runs with preemption off too): work
 * that an interrupt wakes is switched to here, after the poller's end(),
 * so that no device is left waiting for a poll while a thread runs.
 */
void sched_idle_loop(void)
{
	struct runq *rq = &runqs[cpu_id()];

	sched_running = true;
	/* The boot context's count of 1 stays: __schedule() wants exactly 1. */
	for (;;) {
		arch_irq_disable();
		if (READ_ONCE(rq->nr_ready) || need_resched()) {
			if (!idle_poller_end()) {
				__schedule();
				arch_irq_enable();
			}
			continue;
		}
		if (arch_clock_ns() < READ_ONCE(rq->poll_until)) {
			idle_poll(rq);
			continue;	/* IRQs were on: look again */
		}
		if (idle_poller_end())
			continue;
		pool_boot_idle();	/* IRQs off: give back before halting */
		arch_wait_for_irq();
	}
}

unsigned int sched_nr_ready(unsigned int cpu)
{
	return READ_ONCE(runqs[cpu].nr_ready);
}

uint64_t sched_switch_count(unsigned int cpu)
{
	return READ_ONCE(runqs[cpu].switches);
}
