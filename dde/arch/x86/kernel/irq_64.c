// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU interrupt state that Linux's compiled kernel/softirq.c and the
 * x86 headers address directly (Linux: arch/x86/kernel/irq.c, irq_64.c,
 * kernel/sched/core.c for kstat, kernel/irq/manage.c for
 * force_irqthreads_key): the pending-softirq word (irq_stat), the
 * statistics, and the IRQ stack that do_softirq_own_stack() switches to,
 * which is the kernel's per-CPU IRQ stack: hardirq_stack_ptr is its top
 * minus the word where call_on_irqstack() saves the old stack pointer,
 * exactly as Linux sets it up.
 */
#include <linux/interrupt.h>
#include <linux/kernel_stat.h>
#include <linux/percpu.h>
#include <linux/wait_bit.h>
#include <asm/hardirq.h>
#include <asm/irq_stack.h>
#include <dde/dde.h>

DEFINE_PER_CPU_SHARED_ALIGNED(irq_cpustat_t, irq_stat);
DEFINE_PER_CPU(struct kernel_stat, kstat);
DEFINE_PER_CPU(void *, hardirq_stack_ptr);
DEFINE_PER_CPU(bool, hardirq_stack_inuse);
/* Interrupt handlers run in hard-IRQ context, never forced into threads. */
DEFINE_STATIC_KEY_FALSE(force_irqthreads_key);

void dde_irq_init(void)
{
	unsigned int cpu;

	wait_bit_init();	/* Linux's: the hashed wait_var/wait_bit queues */
	softirq_init();		/* Linux's: tasklet lists, HI/TASKLET handlers */
	for_each_possible_cpu(cpu)
		per_cpu(hardirq_stack_ptr, cpu) = (void *)(ddeos_irq_stack_top(cpu) - 8);
	/* Linux's irq_exit(): drops HARDIRQ_OFFSET, runs pending softirqs. */
	ddeos_set_irq_exit_hook(irq_exit);
}
