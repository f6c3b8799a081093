/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Threads and the scheduler: preemptive, priority-based, one run queue per
 * CPU, idle CPUs take work from busy ones. A switch happens only when the
 * preempt counter allows it (preempt.h): at preempt_on() reaching zero, on
 * the way out of an interrupt, or when a thread blocks or yields.
 */
#ifndef DDEOS_SCHED_H
#define DDEOS_SCHED_H

#include <ddeos/dlist.h>
#include <ddeos/percpu.h>
#include <ddeos/timer.h>
#include <ddeos/types.h>
#include <ddeos/waitq.h>

#define SCHED_PRIOS		8	/* 0 is the highest */
#define SCHED_PRIO_DEFAULT	4
#define SCHED_SLICE_NS		4000000ull	/* = the tick: 4 ms */
#define THREAD_NAME_MAX		24
#define CPU_ANY			(-1)

enum thread_state {
	THREAD_RUNNING,		/* on a CPU */
	THREAD_READY,		/* on a run queue */
	THREAD_BLOCKED,		/* waiting for sched_wake() */
	THREAD_WAKING,		/* sched_wake() is moving it to a run queue */
	THREAD_DEAD,
};

struct thread {
	void *sp;			/* saved stack pointer while switched out */
	int state;			/* enum thread_state; changed atomically */
	bool on_cpu;			/* its stack is in use by some CPU */
	bool migrate;			/* to be queued on its pinned CPU */
	int cpu;			/* run queue it is on / last ran on */
	int pin;			/* CPU_ANY or the only CPU it may run on */
	int prio;
	struct dlist run_node;		/* guarded by the run queue's lock */
	uint64_t slice_start;
	uint64_t id;
	char name[THREAD_NAME_MAX];
	int (*fn)(void *arg);
	void *arg;
	int exit_code;
	struct waitq exit_wq;		/* joiners wait here for THREAD_DEAD */
	bool detached;			/* freed by the reaper; under exit_wq.lock */
	struct thread *reap_next;	/* the reaper's list */
	void *stack;
	void *dde_task;			/* Linux `current` for this thread (DDE) */
	struct dlist all_node;		/* thread_list; under thread_list_lock */
};

struct thread_attr {
	const char *name;
	int prio;			/* 0..SCHED_PRIOS-1; default if attr NULL */
	int cpu;			/* CPU_ANY or a CPU to pin to */
};

DECLARE_PERCPU(struct thread *, cur_thread);
/* Linux's `current` (a struct task_struct *), kept per thread for the DDE. */
DECLARE_PERCPU(void *, current_task);

/* Context: any. */
static inline struct thread *sched_current(void)
{
	return percpu_read(cur_thread);
}
const char *sched_current_name(void);

/*
 * Create and start a thread running fn(arg); join it with thread_join().
 * Return: the thread, or NULL when out of memory or attr is invalid.
 * Context: thread or boot, may allocate.
 */
struct thread *thread_create(const struct thread_attr *attr,
			     int (*fn)(void *), void *arg);
void __noreturn thread_exit(int code);
/* Wait for @t to exit, free it. Return: its exit code. Context: may sleep. */
int thread_join(struct thread *t);
/*
 * Nobody will join @t: it is freed once it exited (by the reaper thread,
 * or now if it has exited already). @t must not be used afterwards.
 * Context: thread, may sleep.
 */
void thread_detach(struct thread *t);
/* Wait until every detached thread that exited is freed (for memory
 * accounting). Context: thread, may sleep. */
void thread_reap_wait(void);
void thread_yield(void);
/* Pin the calling thread to @cpu (CPU_ANY to unpin); moves it there now. */
int thread_pin(int cpu);
void thread_set_prio(struct thread *t, int prio);
/* Context: thread, may sleep. */
void thread_sleep_ns(uint64_t ns);
void thread_sleep_until(uint64_t deadline_ns);

/* Wake a blocked thread. Return: true if it was blocked. Context: any. */
bool sched_wake(struct thread *t);
/* Two-step blocking (thread.c): mark BLOCKED, re-check, cancel or block. */
void thread_prepare_block(void);
bool thread_cancel_block(void);
bool thread_block_until(uint64_t deadline_ns);
/*
 * Switch away from the current thread, which the caller marked
 * THREAD_BLOCKED. Context: preempt_level() == 1 exactly (the caller's own
 * preempt_off(), or a raw-released lock's); IRQs on or off.
 */
void sched_block(void);

/* Report "sleeping in atomic context" naming the caller, and stop. */
void sched_assert_may_sleep(const void *caller);

void sched_init_boot(void);
void sched_start_thread(struct thread *t);
void sched_init_cpu(unsigned int cpu);
void __noreturn sched_idle_loop(void);
void sched_tick(void);
/*
 * A device's reply is due soon on this CPU (it just sent a frame): if it
 * goes idle within idle_poll= us, it spins until then before halting.
 * Context: any.
 */
void sched_idle_poll_hint(void);
/*
 * Whether this CPU is on its idle thread and will spin rather than halt
 * or switch (a device may leave its interrupt off and be polled).
 */
bool sched_idle_will_poll(void);
/*
 * Called by a spinning idle loop: poll() each time round, end() when the
 * spin stops (both on the idle thread, IRQs on, preemption off); armed(),
 * with IRQs off before halting: whether end() has something to undo.
 */
struct sched_idle_poller {
	void (*poll)(void);
	void (*end)(void);
	bool (*armed)(void);
};
void sched_set_idle_poller(const struct sched_idle_poller *p);
/* Set the poll window (0: never poll); return the old one. For tests. */
uint64_t sched_idle_poll_set_ns(uint64_t ns);
/* @cpu's idle spins so far, and how many of them ended with work. */
void sched_idle_poll_stats(unsigned int cpu, uint64_t *polls, uint64_t *hits);
void sched_preempt_irq(void);
/* Run @hook on every tick of every CPU, in hard-IRQ context. */
int sched_add_tick_hook(void (*hook)(void));
struct thread *sched_idle_thread(unsigned int cpu);
/*
 * Give every thread, present and future, a DDE task (Linux `current`):
 * @create runs for each; @destroy when a thread is joined. Context: thread.
 */
void thread_set_task_hooks(void *(*create)(const char *name, unsigned int cpu,
					   void *thread),
			   void (*destroy)(void *task));
unsigned int sched_nr_ready(unsigned int cpu);
uint64_t sched_switch_count(unsigned int cpu);

#endif
