// SPDX-License-Identifier: GPL-2.0-only
/*
 * Panic: the first CPU to panic wins, stops the others with an NMI (which
 * reaches a CPU even if it spins with interrupts off), prints, and powers
 * off with a failure status. A second panicking CPU just stops.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/smp.h>

static int panic_cpu = -1;

bool panic_in_progress(void)
{
	return __atomic_load_n(&panic_cpu, __ATOMIC_RELAXED) >= 0;
}

/* Become the panicking CPU or stop. Returns with IRQs off. */
static void panic_claim(void)
{
	int me = (int)cpu_id(), none = -1;

	arch_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &none, me, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED) &&
	    none != me)
		arch_halt_forever();
	if (smp_cpus_online() > 1)
		arch_send_nmi_all_but_self();
	console_enter_panic();
}

void panic_stop(void)
{
	panic_claim();
	kprintf("ddeos: stopped: failure\n");
	arch_poweroff(false);
}

void kpanic(const char *fmt, ...)
{
	va_list ap;

	panic_claim();
	kprintf("\nPANIC on cpu %u: ", cpu_id());
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	arch_backtrace_here();
	panic_stop();
}
