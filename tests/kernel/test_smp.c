// SPDX-License-Identifier: GPL-2.0-only
/* Cross-CPU tests: every CPU answers an IPI, also when all call at once. */
#include <ddeos/arch.h>
#include <ddeos/ktest.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>

struct answer {
	unsigned int ran_on;
	bool irqs_off;
};

static void answer_fn(void *arg)
{
	struct answer *a = arg;

	a->ran_on = cpu_id();
	a->irqs_off = !arch_irqs_enabled();
}

static void ipi_every_cpu_answers(struct ddeos_ktest *t)
{
	unsigned int n = smp_cpus_online();

	for (unsigned int cpu = 0; cpu < n; cpu++) {
		struct answer a = { .ran_on = ~0u };

		KTEST_EXPECT(t, smp_run_on_cpu(cpu, answer_fn, &a) == 0);
		KTEST_EXPECT(t, a.ran_on == cpu, "asked cpu %u, answered by %u",
			     cpu, a.ran_on);
		KTEST_EXPECT(t, a.irqs_off);
	}
	KTEST_EXPECT(t, smp_run_on_cpu(n, answer_fn, NULL) != 0);
}

static uint64_t calls_done;

static void count_call(void *arg)
{
	__atomic_fetch_add(&calls_done, 1, __ATOMIC_RELAXED);
}

static int caller(void *arg)
{
	for (int round = 0; round < 50; round++)
		for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++)
			smp_run_on_cpu(cpu, count_call, NULL);
	return 0;
}

/* All CPUs call all CPUs at the same time: no deadlock, no lost call. */
static void ipi_all_to_all(struct ddeos_ktest *t)
{
	unsigned int n = smp_cpus_online();
	struct thread *th[64];

	calls_done = 0;
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		struct thread_attr a = { .name = "caller", .cpu = (int)cpu,
					 .prio = SCHED_PRIO_DEFAULT };

		th[cpu] = thread_create(&a, caller, NULL);
		KTEST_ASSERT(t, th[cpu]);
	}
	for (unsigned int cpu = 0; cpu < n; cpu++)
		thread_join(th[cpu]);
	KTEST_EXPECT(t, calls_done == 50ull * n * n, "%llu calls done",
		     (unsigned long long)calls_done);
}

static const struct ddeos_ktest_case smp_cases[] = {
	{ "ipi_every_cpu_answers", ipi_every_cpu_answers },
	{ "ipi_all_to_all", ipi_all_to_all },
};
KTEST_SUITE(smp, "smp", smp_cases);
