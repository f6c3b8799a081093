/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The waist: everything the DDE (compiled with Linux's headers and flags)
 * may ask of the ddeos kernel, and nothing more. Plain C, fixed-width types
 * only, every name prefixed ddeos_, so the file compiles unchanged in both
 * worlds without clashing with Linux's macros. kernel/waist/waist.c
 * implements it; docs/architecture.md explains why the line is drawn here.
 *
 * State shared without calls (same symbols in both worlds, Linux's names):
 * the per-CPU variables __preempt_count, cpu_number, current_task,
 * this_cpu_off and the array __per_cpu_offset[] (kernel/percpu.c,
 * kernel/sched.c), and the one .data..percpu section all objects link into.
 */
#ifndef DDEOS_WAIST_H
#define DDEOS_WAIST_H

/* ---- console and stopping --------------------------------------------- */
/* Write whole lines to the console. Context: any. */
void ddeos_console_write(const char *s, unsigned long n);
/* Print a backtrace starting at the caller of the caller. Context: any. */
void ddeos_backtrace_here(void);
/* Print a backtrace of the interrupted code at rip/rbp. Context: any. */
void ddeos_backtrace(unsigned long rbp, unsigned long rip);
/* Format "function+0xoff" for a code address. Context: any. */
void ddeos_symbolize(unsigned long addr, char *buf, unsigned long size);
/* Stop every CPU and power off with a failure status. Context: any. */
void ddeos_panic(const char *msg) __attribute__((noreturn));

/* ---- CPUs, time, scheduling --------------------------------------------- */
unsigned int ddeos_cpus_online(void);
unsigned int ddeos_cpus_possible(void);
/* Monotonic ns since boot. Context: any. */
unsigned long long ddeos_clock_ns(void);
/* Ticks at the scheduler's rate (DDEOS_TICK_HZ), from boot. */
#define DDEOS_TICK_HZ 250
/* Called on every CPU's tick, in hard-IRQ context. Register once. */
void ddeos_set_tick_hook(void (*hook)(void));
/* The preempt counter dropped to zero with a switch pending (Linux's
 * preempt_schedule()). Context: any; returns at once if not preemptible. */
void ddeos_preempt(void);
/* Give the CPU to another ready thread. Context: thread, may sleep. */
void ddeos_yield(void);
/* Sleep for at least @ns. Context: thread, may sleep. */
void ddeos_sleep_ns(unsigned long long ns);
/* Report a sleep from atomic context, naming @caller, and stop. */
void ddeos_assert_may_sleep(const void *caller);

/*
 * Threads carry one opaque pointer for the DDE (Linux's `current`). The
 * create hook runs in the creating thread for every new thread and once for
 * every thread that already exists when it is registered; its result is
 * what current_task holds while the thread runs. The destroy hook runs when
 * a thread is reaped. Context of both: thread, may allocate.
 */
void ddeos_set_thread_hooks(void *(*create)(const char *name, unsigned int cpu),
			    void (*destroy)(void *task));

/*
 * Kernel threads for the DDE (kthreads, tests). @cpu is -1 for any CPU;
 * @prio 0 (highest) to 7, 4 being the default. Return: an opaque thread,
 * or 0 when out of memory. Context: thread, may allocate.
 */
void *ddeos_thread_create(const char *name, int (*fn)(void *), void *arg,
			  int cpu, int prio);
/* Wait for @thread to exit. Return: fn's result. Context: may sleep. */
int ddeos_thread_join(void *thread);
/* Move the calling thread to @cpu (-1: any). Return: 0 or -EINVAL. */
int ddeos_thread_pin(int cpu);
/* The kernel's view of the running CPU. Context: any. */
unsigned int ddeos_cpu_id(void);
/* Run fn(arg) on @cpu in hard-IRQ context and wait. Return: 0 or -EINVAL.
 * Context: thread, IRQs on. */
int ddeos_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);

/* ---- locks: a 4-byte fair spinlock; all-zero is unlocked ---------------- */
/* Take/drop the lock only: the caller manages preemption and IRQs. */
void ddeos_lock_acquire(void *word);
int ddeos_lock_try(void *word);
void ddeos_lock_release(void *word);

/* ---- traps ---------------------------------------------------------------- */
/*
 * Called on an invalid-opcode trap (ud2) before the kernel reports it. The
 * hook returns 1 with *rip moved past the trap to continue (a WARN), or 0
 * if it is not the DDE's (the kernel then reports and stops).
 */
void ddeos_set_ud_hook(int (*hook)(unsigned long *rip, unsigned long rbp));

/* ---- memory: physically contiguous pages from the kernel --------------- */
/* Return: the direct-map address of 2^order pages, or 0. Context: any. */
unsigned long ddeos_pages_alloc(unsigned int order);
void ddeos_pages_free(unsigned long addr, unsigned int order);

/* ---- provided by the DDE, called by the kernel -------------------------- */
/* Bring up the Linux environment (before tests and drivers). Context:
 * the main thread, once. */
void ddeos_dde_init(void);
/* Hit a Linux BUG() on purpose (crash=linux-bug), to test the report. */
void ddeos_dde_bug_on_purpose(void);

/* ---- in-kernel tests (KTAP), shared with kernel/ktest.c ----------------- */
struct ddeos_ktest {
	const char *name;
	int failures;
	const char *skip;	/* reason, if the case skipped itself */
};

struct ddeos_ktest_case {
	const char *name;
	void (*run)(struct ddeos_ktest *t);
};

struct ddeos_ktest_suite {
	const char *name;
	const struct ddeos_ktest_case *cases;
	unsigned long nr_cases;
};

/* Suites live in this section; kernel/ktest.c runs them by name. */
#define DDEOS_KTEST_SECTION ".ktest_suites"

/* Record a failure of @cond at file:line with a formatted message. */
void ddeos_ktest_fail(struct ddeos_ktest *t, const char *file, int line,
		      const char *cond, const char *msg);

#endif
