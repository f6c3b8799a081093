// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing up the other CPUs, one at a time: copy the trampoline below
 * 1 MiB, give it a stack and the entry point, INIT-SIPI-SIPI, and wait for
 * the AP to report in. CPUs are numbered in MADT order with the boot CPU
 * as 0; more than MAX_CPUS are reported and left halted.
 */
#include <arch/setup.h>
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/stack.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>

#define TRAMPOLINE_PA	0x8000
/* Generous: under TCG on a loaded host a vCPU may wait seconds to run. */
#define AP_TIMEOUT_NS	10000000000ull

extern char trampoline_start[], trampoline_end[];
extern uint64_t trampoline_cr3, trampoline_stack, trampoline_entry;

static unsigned int cpus_possible = 1;
static volatile unsigned int ap_booting;
static volatile bool ap_alive;

/*
 * Who decides that an AP is too late: the AP claims AP_STARTED as its very
 * first step, the BSP claims AP_ABANDONED at its timeout; one compare-and-
 * swap wins. A loaded host can run an AP's vCPU seconds late: an abandoned
 * AP halts for good on arrival, and its stack is never freed (it may be
 * running on it).
 */
enum { AP_WAITING, AP_STARTED, AP_ABANDONED };
static int ap_state;

unsigned int arch_cpu_apic_id(unsigned int cpu)
{
	return cpu_apic_ids[cpu];
}

unsigned int arch_cpus_possible(void)
{
	return cpus_possible;
}

/* Number the CPUs: the boot CPU first, then the MADT's order. */
void arch_smp_discover(void)
{
	uint32_t bsp = apic_read_id();
	unsigned int n = 1;

	cpu_apic_ids[0] = bsp;
	for (unsigned int i = 0; i < acpi_info.nr_cpus_found; i++) {
		if (acpi_info.apic_ids[i] == bsp)
			continue;
		if (n == MAX_CPUS) {
			kprintf("ddeos: %u CPUs found, %u supported: the others stay halted\n",
				acpi_info.nr_cpus_found, MAX_CPUS);
			break;
		}
		cpu_apic_ids[n++] = acpi_info.apic_ids[i];
	}
	cpus_possible = n;
}

/* The first C code of an AP, on the stack smpboot gave it. IRQs off. */
static void __noreturn ap_main(void)
{
	unsigned int cpu = ap_booting;
	int waiting = AP_WAITING;

	if (!__atomic_compare_exchange_n(&ap_state, &waiting, AP_STARTED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		arch_halt_forever();	/* given up on: stay out of the way */

	percpu_enter(cpu);
	gdt_init_cpu(cpu);
	paging_init_pat();
	idt_load();
	apic_init_cpu();
	sched_init_cpu(cpu);
	timer_init_cpu();
	smp_set_cpu_online(cpu);
	__atomic_store_n(&ap_alive, true, __ATOMIC_RELEASE);
	sched_idle_loop();
}

/* Wait for the AP to claim its start. Return: whether it did in time. */
static bool wait_started(uint64_t ns)
{
	uint64_t t0 = arch_clock_ns();

	while (__atomic_load_n(&ap_state, __ATOMIC_ACQUIRE) == AP_WAITING)
		if (arch_clock_ns() - t0 > ns)
			return false;
	return true;
}

static bool boot_one(unsigned int cpu)
{
	void *stack = stack_alloc();	/* becomes its idle thread's */

	if (!stack) {
		kprintf("ddeos: cpu %u: no memory for its stack\n", cpu);
		return false;
	}
	trampoline_stack = (uint64_t)stack + STACK_SIZE;
	sched_idle_thread(cpu)->stack = stack;
	memcpy(phys_to_virt(TRAMPOLINE_PA), trampoline_start,
	       trampoline_end - trampoline_start);
	ap_booting = cpu;
	ap_alive = false;
	ap_state = AP_WAITING;
	apic_send_init(cpu_apic_ids[cpu]);
	/* QEMU needs none of the SDM's 10 ms / 200 us delays: modern Linux
	 * skips them on family >= 6 too (init_udelay). */
	apic_send_sipi(cpu_apic_ids[cpu], TRAMPOLINE_PA >> 12);
	if (!wait_started(AP_TIMEOUT_NS / 20)) {
		/* The SDM's second SIPI; ignored by an AP already running. */
		apic_send_sipi(cpu_apic_ids[cpu], TRAMPOLINE_PA >> 12);
		wait_started(AP_TIMEOUT_NS);
	}
	int waiting = AP_WAITING;

	if (__atomic_compare_exchange_n(&ap_state, &waiting, AP_ABANDONED, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		kprintf("ddeos: cpu %u (APIC id %u) did not start\n", cpu,
			cpu_apic_ids[cpu]);
		return false;	/* its stack stays: it may still arrive */
	}
	/* Started: the rest of its bring-up is our own code, no timeout. */
	while (!__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	return true;
}

void arch_smp_boot_aps(void)
{
	_Static_assert(TRAMPOLINE_PA < MiB(1) && TRAMPOLINE_PA % 4096 == 0,
		       "SIPI vector is a page number below 1 MiB");
	trampoline_cr3 = arch_paging_root();
	trampoline_entry = (uint64_t)ap_main;
	for (unsigned int cpu = 1; cpu < cpus_possible; cpu++)
		if (!boot_one(cpu))
			break;	/* online CPUs stay numbered [0, n) */
}
