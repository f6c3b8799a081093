// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU masks and counts (Linux: kernel/cpu.c, arch/x86/kernel/smpboot.c).
 * ddeos brings every CPU up before the DDE starts and never takes one
 * down, so the masks are filled once: possible = present = online.
 * cpu_sibling_map: each CPU is its own only sibling (QEMU's -smp N gives
 * N sockets), which is what blk_mq_map_queues() expects then.
 * cpus_share_cache() (Linux: kernel/sched/core.c, from the scheduler's LLC
 * domains) compares the kernel's CPUID-based LLC ids, read once here.
 */
#include <linux/cpumask.h>
#include <linux/sched/isolation.h>
#include <linux/percpu.h>
#include <linux/sched/topology.h>
#include <linux/smp.h>
#include <dde/dde.h>

static_assert(CONFIG_NR_CPUS == DDEOS_MAX_CPUS,
	      "linux/ddeos.config's CONFIG_NR_CPUS must be the kernel's CPU limit");

unsigned int nr_cpu_ids __read_mostly = NR_CPUS;
struct cpumask __cpu_possible_mask __read_mostly;
struct cpumask __cpu_online_mask __read_mostly;
struct cpumask __cpu_present_mask __read_mostly;
struct cpumask __cpu_active_mask __read_mostly;

/* cpumask_of(cpu): row 1 + cpu % 64 has the one bit (Linux: kernel/cpu.c;
 * with NR_CPUS = 64 a row is one word). */
#define ROW(n)	[1 + (n)] = { 1UL << (n) }
const unsigned long cpu_bit_bitmap[BITS_PER_LONG + 1][BITS_TO_LONGS(NR_CPUS)] = {
	ROW(0), ROW(1), ROW(2), ROW(3), ROW(4), ROW(5), ROW(6), ROW(7),
	ROW(8), ROW(9), ROW(10), ROW(11), ROW(12), ROW(13), ROW(14), ROW(15),
	ROW(16), ROW(17), ROW(18), ROW(19), ROW(20), ROW(21), ROW(22), ROW(23),
	ROW(24), ROW(25), ROW(26), ROW(27), ROW(28), ROW(29), ROW(30), ROW(31),
	ROW(32), ROW(33), ROW(34), ROW(35), ROW(36), ROW(37), ROW(38), ROW(39),
	ROW(40), ROW(41), ROW(42), ROW(43), ROW(44), ROW(45), ROW(46), ROW(47),
	ROW(48), ROW(49), ROW(50), ROW(51), ROW(52), ROW(53), ROW(54), ROW(55),
	ROW(56), ROW(57), ROW(58), ROW(59), ROW(60), ROW(61), ROW(62), ROW(63),
};
static_assert(NR_CPUS == BITS_PER_LONG, "cpu_bit_bitmap rows are one word");

/* No CPU is isolated: every housekeeping type may use every CPU. */
const struct cpumask *housekeeping_cpumask(enum hk_type type)
{
	return cpu_possible_mask;
}
atomic_t __num_online_cpus __read_mostly;
DEFINE_PER_CPU_READ_MOSTLY(cpumask_var_t, cpu_sibling_map);
/* Where an interrupt without an affinity of its own may go: every CPU
 * (Linux: kernel/irq/irqdesc.c; irq_create_affinity_masks() reads it). */
cpumask_var_t irq_default_affinity;

/* Each CPU's last-level cache id, fixed by dde_cpu_init(). */
static unsigned int llc_of_cpu[NR_CPUS] __read_mostly;

/**
 * cpus_share_cache - whether two CPUs share a last-level cache
 * @this_cpu: a CPU
 * @that_cpu: another one
 *
 * Linux asks its scheduler domains (sd_llc_id); the DDE has none and asks
 * what the kernel read from CPUID at boot, the source those domains are
 * built from on x86. blk-mq completes a request on the submitting CPU only
 * when this is false.
 * Context: any. Return: true if they share one (or are the same CPU).
 */
bool cpus_share_cache(int this_cpu, int that_cpu)
{
	return this_cpu == that_cpu ||
	       llc_of_cpu[this_cpu] == llc_of_cpu[that_cpu];
}

void dde_cpu_init(void)
{
	unsigned int n = ddeos_cpus_online(), cpu;

	nr_cpu_ids = n;
	for (cpu = 0; cpu < n; cpu++) {
		cpumask_set_cpu(cpu, &__cpu_possible_mask);
		cpumask_set_cpu(cpu, &__cpu_present_mask);
		cpumask_set_cpu(cpu, &__cpu_online_mask);
		cpumask_set_cpu(cpu, &__cpu_active_mask);
		cpumask_set_cpu(cpu, per_cpu(cpu_sibling_map, cpu));
		llc_of_cpu[cpu] = ddeos_cpu_llc_id(cpu);
	}
	atomic_set(&__num_online_cpus, n);
	cpumask_copy(irq_default_affinity, cpu_possible_mask);
	pr_info("dde: %u CPUs online\n", num_online_cpus());
}
