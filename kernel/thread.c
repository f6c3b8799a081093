// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thread life cycle: create, exit, join, sleep, pin, priority. The scheduler
 * mechanics are in sched.c. A thread's struct comes from the page allocator
 * and its stack is a guarded one (stack.c); both are freed by thread_join()
 * once the thread is off its CPU for good. A detached thread is joined by
 * the reaper, a thread started at the first thread_detach().
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/stack.h>
#include <ddeos/string.h>

static uint64_t thread_next_id = 1;
/* Every thread but the idle ones, for the task hooks. */
static struct spinlock thread_list_lock = SPINLOCK_INIT;
static struct dlist thread_list = DLIST_INIT(thread_list);
static void *(*task_create)(const char *name, unsigned int cpu, void *thread);
static void (*task_destroy)(void *task);

extern void arch_thread_entry(void);

/* Detached threads that exited, for the reaper; under reap_wq.lock. */
static struct waitq reap_wq = WAITQ_INIT(reap_wq);
static struct thread *reap_list;
static unsigned int reap_pending;	/* exited, not yet freed */
static int reaper_state;	/* 0: none, 1: starting or running */

struct thread *thread_create(const struct thread_attr *attr,
			     int (*fn)(void *), void *arg)
{
	struct thread *t;
	void *stack;
	int pin = attr ? attr->cpu : CPU_ANY;
	int prio = attr ? attr->prio : SCHED_PRIO_DEFAULT;

	if (prio < 0 || prio >= SCHED_PRIOS ||
	    (pin != CPU_ANY && (pin < 0 || (unsigned int)pin >= smp_cpus_online())))
		return NULL;
	_Static_assert(sizeof(struct thread) <= PAGE_SIZE, "thread fits a page");
	t = page_alloc_zeroed(0);
	if (!t)
		return NULL;
	stack = stack_alloc();
	if (!stack) {
		page_free_virt(t, 0);
		return NULL;
	}
	t->stack = stack;
	t->sp = arch_thread_stack_init((char *)stack + STACK_SIZE,
				       arch_thread_entry);
	t->fn = fn;
	t->arg = arg;
	t->pin = pin;
	t->prio = prio;
	t->cpu = pin != CPU_ANY ? pin : (int)cpu_id();
	t->id = __atomic_fetch_add(&thread_next_id, 1, __ATOMIC_RELAXED);
	t->state = THREAD_WAKING;
	dlist_init(&t->run_node);
	waitq_init(&t->exit_wq);
	string_copy(t->name, attr && attr->name ? attr->name : "thread",
		     sizeof(t->name));
	/* Under the list lock so thread_set_task_hooks() misses no thread. */
	unsigned long flags = spinlock_lock_irqsave(&thread_list_lock);

	if (task_create)
		t->dde_task = task_create(t->name, (unsigned int)t->cpu, t);
	if (task_create && !t->dde_task) {
		spinlock_unlock_irqrestore(&thread_list_lock, flags);
		stack_free(stack);
		page_free_virt(t, 0);
		return NULL;
	}
	dlist_add_tail(&thread_list, &t->all_node);
	spinlock_unlock_irqrestore(&thread_list_lock, flags);
	sched_start_thread(t);
	return t;
}

void thread_exit(int code)
{
	struct thread *me = sched_current();

	/* DEAD and the wake-up under the joiners' lock: no joiner misses it.
	 * IRQs stay off until the switch away. */
	preempt_off();
	arch_irq_disable();
	raw_lock_acquire(&me->exit_wq.lock);
	me->exit_code = code;
	__atomic_store_n(&me->state, THREAD_DEAD, __ATOMIC_RELEASE);
	waitq_wake_all_locked(&me->exit_wq);
	if (me->detached) {
		/* Nested in exit_wq.lock: thread_detach() sees either
		 * detached set before DEAD, or DEAD and joins itself. */
		raw_lock_acquire(&reap_wq.lock);
		me->reap_next = reap_list;
		reap_list = me;
		reap_pending++;
		waitq_wake_all_locked(&reap_wq);
		raw_lock_release(&reap_wq.lock);
	}
	raw_lock_release(&me->exit_wq.lock);
	sched_block();
	kpanic("thread '%s' ran after exit", me->name);
}

int thread_join(struct thread *t)
{
	unsigned long flags;
	int code;

	flags = spinlock_lock_irqsave(&t->exit_wq.lock);
	while (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != THREAD_DEAD)
		waitq_sleep_locked(&t->exit_wq, flags, 0);
	spinlock_unlock_irqrestore(&t->exit_wq.lock, flags);
	/* Its CPU may still be switching away from its stack. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	code = t->exit_code;
	flags = spinlock_lock_irqsave(&thread_list_lock);
	dlist_del(&t->all_node);
	spinlock_unlock_irqrestore(&thread_list_lock, flags);
	if (t->dde_task && task_destroy)
		task_destroy(t->dde_task);
	stack_free(t->stack);
	page_free_virt(t, 0);
	return code;
}

/* Join every detached thread that exited, for ever. */
static int reaper_fn(void *unused)
{
	for (;;) {
		unsigned long flags = spinlock_lock_irqsave(&reap_wq.lock);
		struct thread *t;

		while (!reap_list)
			waitq_sleep_locked(&reap_wq, flags, 0);	/* or a waiter's wake */
		t = reap_list;
		reap_list = NULL;
		spinlock_unlock_irqrestore(&reap_wq.lock, flags);
		while (t) {
			struct thread *next = t->reap_next;

			thread_join(t);
			flags = spinlock_lock_irqsave(&reap_wq.lock);
			reap_pending--;
			waitq_wake_all_locked(&reap_wq);	/* thread_reap_wait() */
			spinlock_unlock_irqrestore(&reap_wq.lock, flags);
			t = next;
		}
	}
	return 0;
}

void thread_reap_wait(void)
{
	unsigned long flags = spinlock_lock_irqsave(&reap_wq.lock);

	while (reap_pending)
		waitq_sleep_locked(&reap_wq, flags, 0);
	spinlock_unlock_irqrestore(&reap_wq.lock, flags);
}

void thread_detach(struct thread *t)
{
	unsigned long flags;
	bool dead;

	if (!__atomic_exchange_n(&reaper_state, 1, __ATOMIC_ACQ_REL) &&
	    !thread_create(&(struct thread_attr){ .name = "reaper",
						  .prio = SCHED_PRIO_DEFAULT,
						  .cpu = CPU_ANY },
			   reaper_fn, NULL)) {
		/* Threads queued meanwhile wait for the next try. */
		kprintf("sched: no memory for the reaper thread; exited detached threads stay until it starts\n");
		__atomic_store_n(&reaper_state, 0, __ATOMIC_RELEASE);
	}
	flags = spinlock_lock_irqsave(&t->exit_wq.lock);
	dead = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == THREAD_DEAD;
	if (!dead)
		t->detached = true;
	spinlock_unlock_irqrestore(&t->exit_wq.lock, flags);
	if (dead)
		thread_join(t);
}

int thread_pin(int cpu)
{
	struct thread *me = sched_current();

	if (cpu != CPU_ANY && (cpu < 0 || (unsigned int)cpu >= smp_cpus_online()))
		return -EINVAL;
	if (preempt_level() || !arch_irqs_enabled())
		sched_assert_may_sleep(__builtin_return_address(0));
	me->pin = cpu;
	if (cpu != CPU_ANY && (unsigned int)cpu != cpu_id())
		thread_yield();		/* __schedule() moves it */
	return 0;
}

void thread_set_prio(struct thread *t, int prio)
{
	if (prio >= 0 && prio < SCHED_PRIOS)
		WRITE_ONCE(t->prio, prio);	/* takes effect when next queued */
}

static void sleep_timer_fn(struct timer *tm, void *arg)
{
	sched_wake(arg);
}

void thread_sleep_until(uint64_t deadline_ns)
{
	struct thread *me = sched_current();
	struct timer tm;

	if (preempt_level() || !arch_irqs_enabled())
		sched_assert_may_sleep(__builtin_return_address(0));
	timer_init(&tm, sleep_timer_fn, me);
	while (arch_clock_ns() < deadline_ns) {
		preempt_off();
		__atomic_store_n(&me->state, THREAD_BLOCKED, __ATOMIC_RELEASE);
		timer_arm(&tm, deadline_ns, 0);
		sched_block();
		preempt_on();
	}
	timer_cancel_sync(&tm);
}

/*
 * Blocking in two steps, for a sleeper whose own "am I still to sleep?"
 * state lives elsewhere (Linux's task->__state, dde/kernel/sched/core.c):
 * mark BLOCKED, re-check that state, then either cancel or block. A waker
 * that changes the outer state first and then calls sched_wake() cannot be
 * missed: one of the two sees the other's store (both sides fence).
 * Context: the thread itself, preemption off exactly once, IRQs on.
 */
void thread_prepare_block(void)
{
	__atomic_store_n(&sched_current()->state, THREAD_BLOCKED, __ATOMIC_SEQ_CST);
}

bool thread_cancel_block(void)
{
	int expect = THREAD_BLOCKED;

	return __atomic_compare_exchange_n(&sched_current()->state, &expect,
					   THREAD_RUNNING, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED);
}

/* Block until woken or @deadline_ns (0: none). Return: false on timeout. */
bool thread_block_until(uint64_t deadline_ns)
{
	struct thread *me = sched_current();
	struct timer tm;

	if (!deadline_ns) {
		sched_block();
		return true;
	}
	timer_init(&tm, sleep_timer_fn, me);
	timer_arm(&tm, deadline_ns, 0);
	sched_block();
	preempt_on_no_resched();	/* the caller's level, for the cancel */
	timer_cancel_sync(&tm);
	preempt_off();
	return arch_clock_ns() < deadline_ns;
}

void thread_sleep_ns(uint64_t ns)
{
	thread_sleep_until(arch_clock_ns() + ns);
}

static void refresh_current_task(void *unused)
{
	percpu_write(current_task, sched_current()->dde_task);
}

void thread_set_task_hooks(void *(*create)(const char *name, unsigned int cpu,
					   void *thread),
			   void (*destroy)(void *task))
{
	struct dlist *pos;
	unsigned long flags;

	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
		struct thread *idle = sched_idle_thread(cpu);

		if (!idle->dde_task)
			idle->dde_task = create(idle->name, cpu, idle);
	}
	/* Threads cannot be created or joined while we hold the list lock, so
	 * create() (which may allocate but not sleep) runs under it. */
	flags = spinlock_lock_irqsave(&thread_list_lock);
	dlist_for_each(pos, &thread_list) {
		struct thread *t = container_of(pos, struct thread, all_node);

		if (!t->dde_task)
			t->dde_task = create(t->name, (unsigned int)t->cpu, t);
	}
	task_create = create;
	task_destroy = destroy;
	spinlock_unlock_irqrestore(&thread_list_lock, flags);
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++)
		smp_run_on_cpu(cpu, refresh_current_task, NULL);
}
