// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux-API suite: compiled in the Linux world (Linux's headers and
 * kbuild flags, like a driver), it proves that Linux code and the ddeos
 * kernel share one execution state: the preempt counter, CPU numbering,
 * per-CPU data, `current`, spinlocks, printk, WARN, unsupported entries,
 * and the Linux version. Reported in KTAP through the kernel's runner.
 */
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/cpuhotplug.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/device.h>
#include <linux/random.h>
#include <linux/sched/rt.h>
#include <asm/word-at-a-time.h>
#include <generated/utsrelease.h>
#include <dde/dde.h>
#include "linux_ktest.h"
#include DDEOS_LINUX_VERSION_HEADER

#define NSEC_PER_MS	1000000ull

/* ---- preempt_disable() in Linux code holds off a ddeos switch ---------- */

struct marker {
	volatile bool ran;
	unsigned long long ran_at;
};

static int mark(void *arg)
{
	struct marker *m = arg;

	m->ran_at = ddeos_clock_ns();
	m->ran = true;
	return 0;
}

static void preempt_disable_holds_off_switch(struct ddeos_ktest *t)
{
	struct marker m = { 0 };
	unsigned long long t0, enabled_at;
	bool ran_while_disabled;
	void *hi;

	EXPECT(t, ddeos_thread_pin(0) == 0);
	preempt_disable();
	EXPECT(t, preempt_count() == 1, "count %#x", preempt_count());
	/* A higher-priority ddeos thread becomes ready on this CPU. */
	hi = ddeos_thread_create("hi", mark, &m, 0, 0);
	t0 = ddeos_clock_ns();
	while (ddeos_clock_ns() - t0 < 20 * NSEC_PER_MS)
		cpu_relax();	/* several ticks pass */
	ran_while_disabled = m.ran;
	enabled_at = ddeos_clock_ns();
	preempt_enable();	/* preempt_schedule_thunk -> the scheduler */
	EXPECT(t, hi != NULL);
	EXPECT(t, !ran_while_disabled, "ddeos switched inside preempt_disable()");
	EXPECT(t, m.ran && m.ran_at >= enabled_at,
	       "switch not taken at preempt_enable()");
	if (hi)
		ddeos_thread_join(hi);
	ddeos_thread_pin(-1);
}

/*
 * The waist's preemption entry, reached while preemption is off, must not
 * switch: the counter is per CPU, so the next thread would run with this
 * one's count. (The DDE's preempt_schedule() checks first; the kernel must
 * not rely on every caller doing so.)
 */
static void preempt_call_in_atomic_does_not_switch(struct ddeos_ktest *t)
{
	struct marker m = { 0 };
	bool ran_while_disabled;
	int count;
	void *hi;

	EXPECT(t, ddeos_thread_pin(0) == 0);
	preempt_disable();
	hi = ddeos_thread_create("hi", mark, &m, 0, 0);
	ddeos_preempt();	/* as if a caller forgot to check */
	ran_while_disabled = m.ran;
	count = preempt_count();
	preempt_enable();	/* the real preemption point */
	EXPECT(t, hi != NULL);
	EXPECT(t, !ran_while_disabled, "switched inside preempt_disable()");
	EXPECT(t, count == 1, "count %#x after ddeos_preempt()", count);
	EXPECT(t, m.ran, "switch not taken at preempt_enable()");
	if (hi)
		ddeos_thread_join(hi);
	ddeos_thread_pin(-1);
}

/* local_bh_disable() is on the same counter, in the softirq bits. */
static void bh_disable_counts_in_softirq_bits(struct ddeos_ktest *t)
{
	local_bh_disable();
	EXPECT(t, softirq_count() == SOFTIRQ_DISABLE_OFFSET);
	/* Bottom halves off, but not serving softirqs: still task context. */
	EXPECT(t, in_softirq() && !in_serving_softirq() && in_task());
	local_bh_enable();
	EXPECT(t, !in_softirq() && in_task() && preempt_count() == 0);
}

/* ---- CPU numbering and per-CPU data ---------------------------------------- */

static DEFINE_PER_CPU(int, dde_test_value);

struct cpu_probe {
	int smp_id, kernel_id;
	int irq_count;
	int *own;
};

static void probe(void *arg)
{
	struct cpu_probe *p = arg;

	p->smp_id = smp_processor_id();
	p->kernel_id = ddeos_cpu_id();
	this_cpu_write(dde_test_value, 100 + p->smp_id);
	p->own = this_cpu_ptr(&dde_test_value);
	p->irq_count = hardirq_count();
}

static void cpu_ids_and_percpu_agree(struct ddeos_ktest *t)
{
	unsigned int n = ddeos_cpus_online(), cpu;

	EXPECT(t, num_online_cpus() == n, "Linux %u, ddeos %u", num_online_cpus(), n);
	EXPECT(t, nr_cpu_ids == n);
	for (cpu = 0; cpu < n; cpu++) {
		struct cpu_probe p = { -1, -1 };

		EXPECT(t, ddeos_call_on_cpu(cpu, probe, &p) == 0);
		EXPECT(t, p.smp_id == cpu && p.kernel_id == cpu,
		       "on cpu %u: Linux says %d, ddeos %d", cpu, p.smp_id, p.kernel_id);
		EXPECT(t, p.own == per_cpu_ptr(&dde_test_value, cpu));
		EXPECT(t, p.irq_count == HARDIRQ_OFFSET, "in_hardirq not seen");
		EXPECT(t, cpu_online(cpu));
	}
	for (cpu = 0; cpu < n; cpu++)
		EXPECT(t, per_cpu(dde_test_value, cpu) == 100 + cpu);
}

/* ---- `current` ------------------------------------------------------------------- */

struct task_probe {
	struct task_struct *before, *after;
	char comm[TASK_COMM_LEN];
};

static int look_at_current(void *arg)
{
	struct task_probe *p = arg;

	p->before = current;
	strscpy(p->comm, current->comm, sizeof(p->comm));
	ddeos_thread_pin(ddeos_cpus_online() - 1);	/* migrate, sleep */
	ddeos_sleep_ns(NSEC_PER_MS);
	p->after = current;
	return 0;
}

static void current_is_per_thread_task(struct ddeos_ktest *t)
{
	struct task_probe a = { 0 }, b = { 0 };
	void *ta = ddeos_thread_create("dde-task-a", look_at_current, &a, 0, 4);
	void *tb = ddeos_thread_create("dde-task-b", look_at_current, &b, -1, 4);

	EXPECT(t, ta && tb);
	if (ta)
		ddeos_thread_join(ta);
	if (tb)
		ddeos_thread_join(tb);
	EXPECT(t, a.before && b.before && a.before != b.before);
	EXPECT(t, a.before != current && b.before != current);
	EXPECT(t, !strcmp(a.comm, "dde-task-a") && !strcmp(b.comm, "dde-task-b"),
	       "comm '%s' '%s'", a.comm, b.comm);
	EXPECT(t, a.after == a.before && b.after == b.before,
	       "current changed across sleep and migration");
	EXPECT(t, current->pid > 0);
}

/* ---- spinlocks from every CPU ------------------------------------------------------- */

static DEFINE_SPINLOCK(counter_lock);
static unsigned long counter;
#define SPIN_ITERATIONS	128	/* see tests/kernel/test_sync.c on TCG */

static int spin_worker(void *arg)
{
	for (int i = 0; i < SPIN_ITERATIONS; i++) {
		unsigned long flags, v;

		spin_lock_irqsave(&counter_lock, flags);
		v = READ_ONCE(counter);
		cpu_relax();
		WRITE_ONCE(counter, v + 1);
		spin_unlock_irqrestore(&counter_lock, flags);
		if (i % 64 == 0) {
			spin_lock_bh(&counter_lock);
			WRITE_ONCE(counter, counter + 1);
			spin_unlock_bh(&counter_lock);
		}
	}
	return 0;
}

static void spin_lock_irqsave_all_cpus(struct ddeos_ktest *t)
{
	unsigned int n = min(ddeos_cpus_online() * 2, 16u), i;
	void *th[16];

	counter = 0;
	for (i = 0; i < n; i++)
		th[i] = ddeos_thread_create("dde-spin", spin_worker, NULL,
					    i % ddeos_cpus_online(), 4);
	for (i = 0; i < n; i++) {
		EXPECT(t, th[i] != NULL);
		if (th[i])
			ddeos_thread_join(th[i]);
	}
	EXPECT(t, counter == n * (SPIN_ITERATIONS + DIV_ROUND_UP(SPIN_ITERATIONS, 64)),
	       "counter %lu", counter);
	EXPECT(t, preempt_count() == 0 && !irqs_disabled());
	EXPECT(t, spin_trylock(&counter_lock));
	EXPECT(t, preempt_count() == 1 && !spin_trylock(&counter_lock));
	spin_unlock(&counter_lock);
}

/* ---- printk, WARN, unsupported entries ------------------------------------------------ */

static void printk_levels_reach_console(struct ddeos_ktest *t)
{
	pr_err("dde-test: error %d\n", 3);
	pr_warn("dde-test: warning %s\n", "four");
	pr_info("dde-test: info %pS\n", printk_levels_reach_console);
	printk("dde-test: default level\n");
	EXPECT(t, dde_printk_log_contains("<3>dde-test: error 3"));
	EXPECT(t, dde_printk_log_contains("<4>dde-test: warning four"));
	EXPECT(t, dde_printk_log_contains("<6>dde-test: info printk_levels_reach_console+0x"),
	       "%%pS not symbolised by Linux's vsprintf");
	EXPECT(t, dde_printk_log_contains("<4>dde-test: default level"));
}

static void warn_on_is_reported_and_survived(struct ddeos_ktest *t)
{
	unsigned long before = dde_warn_count();
	int line, ret;

	line = __LINE__ + 1;
	ret = WARN_ON(t != NULL);	/* always true: a WARN, on purpose */
	EXPECT(t, ret, "WARN_ON did not return its condition");
	EXPECT(t, dde_warn_count() == before + 1, "no WARN report");
	EXPECT(t, dde_warn_last_line() == line, "line %u, expected %d",
	       dde_warn_last_line(), line);
	EXPECT(t, dde_warn_last_file() &&
	       strstr(dde_warn_last_file(), "linux_api_test.c"),
	       "file %s", dde_warn_last_file());
	EXPECT(t, !WARN_ON(t == NULL) && dde_warn_count() == before + 1);
}


static void unsupported_entry_reports_name(struct ddeos_ktest *t)
{
	unsigned long before = dde_unsupported_calls();
	/* Linux code refers to it (the torture tests); the DDE has no
	 * real-time scheduling, so it is an unsupported entry. */
	int ret = sched_setscheduler_nocheck(NULL, 0, NULL);

	EXPECT(t, ret == -ENOSYS, "returned %d", ret);
	EXPECT(t, dde_unsupported_calls() == before + 1);
	EXPECT(t, dde_unsupported_last() &&
	       !strcmp(dde_unsupported_last(), "sched_setscheduler_nocheck"));
	EXPECT(t, dde_printk_log_contains("unsupported Linux function sched_setscheduler_nocheck() called from unsupported_entry_reports_name+"));
}

/* ---- task_cpu() and on_cpu follow the thread ---------------------------------- */

static void task_cpu_follows_migration(struct ddeos_ktest *t)
{
	unsigned int cpu, n = num_online_cpus();

	for (cpu = 0; cpu < n; cpu++) {
		EXPECT(t, ddeos_thread_pin(cpu) == 0);
		EXPECT(t, task_cpu(current) == cpu && raw_smp_processor_id() == cpu,
		       "task_cpu %u on cpu %u", task_cpu(current), raw_smp_processor_id());
		EXPECT(t, READ_ONCE(current->on_cpu) == 1);
	}
	ddeos_thread_pin(-1);
	EXPECT(t, current->usage.refs.counter == 1 && current->stack && !rt_task(current) &&
	       cpumask_weight(current->cpus_ptr) == nr_cpu_ids,
	       "usage %d stack %px prio %d", refcount_read(&current->usage), current->stack,
	       current->prio);
	EXPECT(t, (unsigned long)__builtin_frame_address(0) - (unsigned long)current->stack <
	       THREAD_SIZE, "frame outside current->stack");
}

/* ---- ida and idr: Linux's lib/idr.c, xarray, radix tree ---------------------- */

static void ida_and_idr_compiled(struct ddeos_ktest *t)
{
	DEFINE_IDA(ida);
	DEFINE_IDR(idr);
	int a, b, c, id;

	a = ida_alloc(&ida, GFP_KERNEL);
	b = ida_alloc(&ida, GFP_KERNEL);
	ida_free(&ida, a);
	c = ida_alloc(&ida, GFP_KERNEL);	/* the freed one again */
	EXPECT(t, a == 0 && b == 1 && c == 0, "ids %d %d %d", a, b, c);
	EXPECT(t, ida_alloc_range(&ida, 5, 5, GFP_KERNEL) == 5 &&
	       ida_alloc_range(&ida, 5, 5, GFP_KERNEL) == -ENOSPC);
	ida_destroy(&ida);
	id = idr_alloc(&idr, &a, 100, 0, GFP_KERNEL);
	EXPECT(t, id == 100 && idr_find(&idr, 100) == &a && !idr_find(&idr, 101));
	EXPECT(t, idr_remove(&idr, 100) == &a && !idr_find(&idr, 100));
	idr_destroy(&idr);
}

/* ---- get_random_bytes and dev_printk ---------------------------------------- */

static void random_bytes_and_dev_printk(struct ddeos_ktest *t)
{
	static struct bus_type bus = { .name = "ddeos-bus" };
	struct device dev = { .init_name = "thing0", .bus = &bus };
	u64 a[4] = { 0 }, b[4] = { 0 };
	int i, same = 0, zero = 0;

	get_random_bytes(a, sizeof(a));
	get_random_bytes(b, sizeof(b));
	for (i = 0; i < 4; i++) {
		same += a[i] == b[i];
		zero += !a[i];
	}
	EXPECT(t, !same && !zero, "random words repeat or are zero");
	EXPECT(t, rng_is_initialized());
	dev_err(&dev, "failed with %d\n", -5);
	dev_info(&dev, "hello\n");
	EXPECT(t, dde_printk_log_contains("<3>ddeos-bus thing0: failed with -5"));
	EXPECT(t, dde_printk_log_contains("<6>ddeos-bus thing0: hello"));
}

/* ---- dynamic per-CPU memory: one offset, every CPU's copy ------------------ */

struct pcpu_stat {
	u64 hits;
	u64 pad[3];
};

static void pcpu_hit(void *arg)
{
	struct pcpu_stat __percpu *st = arg;
	int i;

	for (i = 0; i <= raw_smp_processor_id(); i++)
		this_cpu_inc(st->hits);	/* incq %gs:... on this CPU's copy */
}

static void alloc_percpu_distinct_and_summed(struct ddeos_ktest *t)
{
	struct pcpu_stat __percpu *st = alloc_percpu(struct pcpu_stat);
	void __percpu *big = __alloc_percpu(40000, 64);	/* grows the areas */
	unsigned int cpu, n = num_online_cpus();
	u64 sum = 0, want = 0;

	EXPECT(t, st && big);
	if (!st || !big)
		return;
	for_each_possible_cpu(cpu) {
		struct pcpu_stat *p = per_cpu_ptr(st, cpu);

		EXPECT(t, (unsigned long)p == (unsigned long)st + __per_cpu_offset[cpu]);
		EXPECT(t, p->hits == 0, "cpu %u not zeroed", cpu);
		if (cpu)
			EXPECT(t, (char *)p - (char *)per_cpu_ptr(st, cpu - 1) ==
			       __per_cpu_offset[1] - __per_cpu_offset[0], "stride differs");
		memset(per_cpu_ptr(big, cpu), 0x5a, 40000);	/* all mapped */
	}
	for (cpu = 0; cpu < n; cpu++)
		ddeos_call_on_cpu(cpu, pcpu_hit, (void *)st);
	for_each_possible_cpu(cpu) {
		EXPECT(t, per_cpu_ptr(st, cpu)->hits == cpu + 1, "cpu %u: %llu hits",
		       cpu, per_cpu_ptr(st, cpu)->hits);
		sum += per_cpu_ptr(st, cpu)->hits;
		want += cpu + 1;
	}
	EXPECT(t, sum == want, "sum %llu, want %llu", sum, want);
	free_percpu(big);
	free_percpu(st);
	st = alloc_percpu(struct pcpu_stat);	/* reused and zeroed again */
	for_each_possible_cpu(cpu)
		EXPECT(t, st && per_cpu_ptr(st, cpu)->hits == 0);
	free_percpu(st);
	EXPECT(t, !__alloc_percpu_gfp(8 << 20, 8, GFP_KERNEL | __GFP_NOWARN),
	       "8 MiB per CPU");
}

/* ---- __ex_table: a word read that runs off a page is fixed up ------------- */

static void ex_table_zeropad_read_off_a_page(struct ddeos_ktest *t)
{
	char *page = ddeos_ktest_page_before_hole();
	unsigned long w;

	EXPECT(t, page);
	if (!page)
		return;
	/* A word load 3 bytes before the end of the page straddles into an
	 * unmapped page: Linux's load_unaligned_zeropad() (used by lib/string.c
	 * and lib/siphash.c) marks it EX_TYPE_ZEROPAD, and the fixup returns
	 * the 3 mapped bytes with zeros above. Without it: a fatal fault. */
	memcpy(page + PAGE_SIZE - 5, "vwxyz", 5);
	w = load_unaligned_zeropad(page + PAGE_SIZE - 3);
	EXPECT(t, w == 0x7a7978ul, "got %#lx", w);
	w = load_unaligned_zeropad(page + PAGE_SIZE - 8);	/* all mapped */
	EXPECT(t, (w >> 24) == 0x7a79787776ul, "got %#lx", w);
	ddeos_ktest_page_before_hole_free(page);
}

/* ---- the kernel copes with Linux's 8-byte stack alignment ------------------ */

/* Call @fn with rsp = 8 mod 16 at the call: legal for Linux objects, which
 * are built with -mpreferred-stack-boundary=3. */
static int call_with_odd_stack(int (*fn)(void))
{
	int r;

	asm volatile("mov %%rsp, %%rbx\n\t"
		     "and $-16, %%rsp\n\t"
		     "sub $8, %%rsp\n\t"
		     "call *%1\n\t"
		     "mov %%rbx, %%rsp"
		     : "=a"(r) : "r"(fn)
		     : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		       "memory", "cc");
	return r;
}

static void kernel_copes_with_8_byte_stack(struct ddeos_ktest *t)
{
	EXPECT(t, ddeos_ktest_aligned_local(), "aligned stack");
	EXPECT(t, call_with_odd_stack(ddeos_ktest_aligned_local),
	       "a 16-byte-aligned local misaligned when called from an 8-byte-aligned stack");
}

/* ---- jiffies follows the clock, whichever CPU ticks ------------------------ */

static void jiffies_catches_up_after_irqs_off(struct ddeos_ktest *t)
{
	const u64 off_ms = 100;
	unsigned long j0, j1;
	unsigned long long t0;

	/* CPU 0 misses its ticks for 100 ms: jiffies used to count CPU 0's
	 * ticks and came back one tick later, 24 behind the clock. */
	EXPECT(t, ddeos_thread_pin(0) == 0);
	j0 = jiffies;
	local_irq_disable();
	t0 = ddeos_clock_ns();
	while (ddeos_clock_ns() - t0 < off_ms * NSEC_PER_MS)
		cpu_relax();
	local_irq_enable();
	while (jiffies == j0)	/* the next tick, on any CPU */
		cpu_relax();
	j1 = jiffies;
	EXPECT(t, j1 - j0 >= off_ms * HZ / 1000 - 1, "jiffies moved %lu in %llu ms",
	       j1 - j0, off_ms);
	EXPECT(t, (u64)(j1 - INITIAL_JIFFIES) <= ddeos_clock_ns() / (NSEC_PER_SEC / HZ),
	       "jiffies ahead of the clock");
	ddeos_thread_pin(-1);
}

/* ---- Linux's .spinlock.text is inside the image's text -------------------- */

static void spinlock_text_is_symbolized(struct ddeos_ktest *t)
{
	char buf[64];

	/* An orphan .spinlock.text landed after the text end: every
	 * _raw_spin_* frame of a backtrace printed as "?". */
	ddeos_symbolize((unsigned long)_raw_spin_lock + 1, buf, sizeof(buf));
	EXPECT(t, !strncmp(buf, "_raw_spin_lock+", 15), "got %s", buf);
	ddeos_symbolize((unsigned long)_raw_spin_unlock_irqrestore + 1, buf, sizeof(buf));
	EXPECT(t, !strncmp(buf, "_raw_spin_unlock_irqrestore+", 28), "got %s", buf);
}

/* ---- the Linux we run is the Debian package we fetched ---------------------------------- */

static void linux_version_is_the_package(struct ddeos_ktest *t)
{
	unsigned int a, b, c;

	EXPECT(t, !strcmp(UTS_RELEASE, DDEOS_LINUX_VERSION), "%s vs %s",
	       UTS_RELEASE, DDEOS_LINUX_VERSION);
	EXPECT(t, sscanf(DDEOS_LINUX_VERSION, "%u.%u.%u", &a, &b, &c) == 3);
	EXPECT(t, a == 6 && b == 1);
	EXPECT(t, LINUX_VERSION_CODE == KERNEL_VERSION(a, b, min(c, 255u)));
	EXPECT(t, !strncmp(DDEOS_LINUX_PKG_VERSION, DDEOS_LINUX_VERSION,
			   strlen(DDEOS_LINUX_VERSION)));
	EXPECT(t, dde_printk_log_contains("dde: Linux " DDEOS_LINUX_VERSION " (Debian linux-source-6.1 " DDEOS_LINUX_PKG_VERSION ")"));
}

/* ---- CPU hotplug states: dynamic numbers, instances ---------------------- */

static atomic_t cpuhp_calls[NR_CPUS];

static int cpuhp_up(unsigned int cpu, struct hlist_node *node)
{
	if (cpu == raw_smp_processor_id())	/* Linux runs it on that CPU */
		atomic_inc(&cpuhp_calls[cpu]);
	return 0;
}

/*
 * virtio_net keeps the number cpuhp_setup_state_multi() returns for
 * CPUHP_AP_ONLINE_DYN and adds each device as an instance of it: the
 * first dynamic state is CPUHP_AP_ONLINE_DYN itself, a positive number.
 */
static void cpuhp_dynamic_states_and_instances(struct ddeos_ktest *t)
{
	struct hlist_node a = { }, b = { };
	int s1, s2, cpu, wrong = 0;

	s1 = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "ktest:one", cpuhp_up, NULL);
	s2 = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "ktest:two", cpuhp_up, NULL);
	EXPECT(t, s1 >= CPUHP_AP_ONLINE_DYN && s1 <= CPUHP_AP_ONLINE_DYN_END, "state %d", s1);
	EXPECT(t, s2 >= CPUHP_AP_ONLINE_DYN && s2 <= CPUHP_AP_ONLINE_DYN_END && s2 != s1,
	       "states %d and %d", s1, s2);
	if (s1 <= 0 || s2 <= 0)
		return;
	EXPECT(t, !cpuhp_state_add_instance_nocalls(s1, &a));
	EXPECT(t, atomic_read(&cpuhp_calls[0]) == 0, "nocalls called");
	EXPECT(t, !cpuhp_state_add_instance(s2, &b));
	for_each_online_cpu(cpu)
		wrong += atomic_read(&cpuhp_calls[cpu]) != 1;
	EXPECT(t, !wrong, "%d CPUs did not run the startup exactly once, there", wrong);
	EXPECT(t, !cpuhp_state_remove_instance_nocalls(s1, &a));
	EXPECT(t, !cpuhp_state_remove_instance_nocalls(s2, &b));
	cpuhp_remove_multi_state(s1);
	cpuhp_remove_multi_state(s2);
}

static const struct ddeos_ktest_case linux_api_cases[] = {
	{ "preempt_disable_holds_off_switch", preempt_disable_holds_off_switch },
	{ "preempt_call_in_atomic_does_not_switch", preempt_call_in_atomic_does_not_switch },
	{ "bh_disable_counts_in_softirq_bits", bh_disable_counts_in_softirq_bits },
	{ "cpu_ids_and_percpu_agree", cpu_ids_and_percpu_agree },
	{ "current_is_per_thread_task", current_is_per_thread_task },
	{ "spin_lock_irqsave_all_cpus", spin_lock_irqsave_all_cpus },
	{ "printk_levels_reach_console", printk_levels_reach_console },
	{ "warn_on_is_reported_and_survived", warn_on_is_reported_and_survived },
	{ "unsupported_entry_reports_name", unsupported_entry_reports_name },
	{ "task_cpu_follows_migration", task_cpu_follows_migration },
	{ "ida_and_idr_compiled", ida_and_idr_compiled },
	{ "random_bytes_and_dev_printk", random_bytes_and_dev_printk },
	{ "alloc_percpu_distinct_and_summed", alloc_percpu_distinct_and_summed },
	{ "ex_table_zeropad_read_off_a_page", ex_table_zeropad_read_off_a_page },
	{ "kernel_copes_with_8_byte_stack", kernel_copes_with_8_byte_stack },
	{ "jiffies_catches_up_after_irqs_off", jiffies_catches_up_after_irqs_off },
	{ "spinlock_text_is_symbolized", spinlock_text_is_symbolized },
	{ "linux_version_is_the_package", linux_version_is_the_package },
	{ "cpuhp_dynamic_states_and_instances", cpuhp_dynamic_states_and_instances },
};

LINUX_KTEST_SUITE(linux_api, linux_api_cases);
