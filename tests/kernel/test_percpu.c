// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU data and the preempt counter, checked the way Linux objects see
 * them: %gs-relative symbols, this_cpu_off, __per_cpu_offset[] and the
 * counter's bit layout in thread, preempt-off and hard-IRQ context.
 */
#include <arch/cpu.h>
#include <ddeos/arch.h>
#include <ddeos/ktest.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>

static DEFINE_PERCPU(unsigned long, test_percpu_value);

struct probe {
	unsigned int cpu;
	int cpu_number;
	unsigned long off, gs_base, value;
	int count_in_irq;
};

static void probe_fn(void *arg)
{
	struct probe *p = arg;

	p->cpu = cpu_id();
	p->cpu_number = percpu_read(cpu_number);
	p->off = percpu_read(this_cpu_off);
	p->gs_base = rdmsr(MSR_GS_BASE);
	percpu_write(test_percpu_value, 1000 + p->cpu);
	p->value = *this_cpu_ptr(&test_percpu_value);
	p->count_in_irq = preempt_level();
}

static void percpu_areas_distinct(struct ddeos_ktest *t)
{
	unsigned int n = smp_cpus_online();

	for (unsigned int cpu = 0; cpu < n; cpu++) {
		struct probe p = { 0 };

		KTEST_ASSERT(t, smp_run_on_cpu(cpu, probe_fn, &p) == 0);
		KTEST_EXPECT(t, p.cpu == cpu && p.cpu_number == (int)cpu);
		KTEST_EXPECT(t, p.off == __per_cpu_offset[cpu]);
		KTEST_EXPECT(t, p.gs_base == p.off, "GS base is not this_cpu_off");
		KTEST_EXPECT(t, p.value == 1000 + cpu);
		/* One hard IRQ level, no softirq; the preemption depth is
		 * the interrupted code's (an idle CPU's idle loop: 1). */
		KTEST_EXPECT(t, (p.count_in_irq & ~PREEMPT_MASK) == HARDIRQ_OFFSET,
			     "preempt count in IPI %#x", p.count_in_irq);
		for (unsigned int other = 0; other < cpu; other++)
			KTEST_EXPECT(t, __per_cpu_offset[other] != __per_cpu_offset[cpu]);
	}
	/* Every CPU's copy holds its own value, seen from here. */
	for (unsigned int cpu = 0; cpu < n; cpu++)
		KTEST_EXPECT(t, *per_cpu_ptr(&test_percpu_value, cpu) == 1000 + cpu);
}

/* The symbol is an offset into the zero-based template (Linux's layout). */
static void percpu_symbols_are_offsets(struct ddeos_ktest *t)
{
	extern char __per_cpu_start[], __per_cpu_end[];
	unsigned long start = (unsigned long)__per_cpu_start;

	/* gcc assumes an array's address is never 0: hide the value. */
	__asm__("" : "+r"(start));
	KTEST_EXPECT(t, start == 0);
	KTEST_EXPECT(t, (unsigned long)&__preempt_count < (unsigned long)__per_cpu_end);
	KTEST_EXPECT(t, (unsigned long)&cpu_number < (unsigned long)__per_cpu_end);
	KTEST_EXPECT(t, (unsigned long)&current_task < (unsigned long)__per_cpu_end);
}

static void preempt_count_layout(struct ddeos_ktest *t)
{
	int raw;

	KTEST_EXPECT(t, preempt_level() == 0, "thread level %#x", preempt_level());
	preempt_off();
	KTEST_EXPECT(t, preempt_level() == 1);
	preempt_off();
	KTEST_EXPECT(t, preempt_level() == 2);
	raw = percpu_read(__preempt_count);
	preempt_on();
	preempt_on();
	/* Need-resched is folded in inverted: set in raw means "not needed". */
	KTEST_EXPECT(t, (raw & ~PREEMPT_NEED_RESCHED) == 2);
	KTEST_EXPECT(t, !in_irq_context() && !in_hardirq());
	KTEST_EXPECT(t, PREEMPT_MASK == 0xff && SOFTIRQ_MASK == 0xff00 &&
		     HARDIRQ_MASK == 0xf0000 && NMI_MASK == 0xf00000);
}

static const struct ddeos_ktest_case percpu_cases[] = {
	{ "percpu_areas_distinct", percpu_areas_distinct },
	{ "percpu_symbols_are_offsets", percpu_symbols_are_offsets },
	{ "preempt_count_layout", preempt_count_layout },
};
KTEST_SUITE(percpu, "percpu", percpu_cases);
