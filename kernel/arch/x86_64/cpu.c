// SPDX-License-Identifier: GPL-2.0-only
/* Per-CPU registers, stopping CPUs, and powering off. */
#include <arch/setup.h>
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/console.h>
#include <ddeos/irq.h>
#include <ddeos/panic.h>
#include <ddeos/timer.h>


/*
 * QEMU's isa-debug-exit (iobase 0xf4) exits with status (value << 1) | 1.
 * docs/options.md documents the mapping; tools/qemu-run turns 33 into 0.
 */
#define DEBUG_EXIT_PORT		0xf4
#define DEBUG_EXIT_SUCCESS	0x10	/* QEMU exit status 33 */
#define DEBUG_EXIT_FAILURE	0x11	/* QEMU exit status 35 */

void arch_set_percpu_base(unsigned long base)
{
	wrmsr(MSR_GS_BASE, base);
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

void arch_poweroff(bool success)
{
	arch_irq_disable();
	outl(DEBUG_EXIT_PORT, success ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE);
	acpi_poweroff();
	kprintf("ddeos: ACPI power-off did not work; halting\n");
	arch_halt_forever();
}

/* The boot CPU's tables and interrupt controllers. IRQs off. */
void arch_cpu_init_boot(void)
{
	gdt_init_cpu(0);
	paging_init_pat();
	arch_irq_init_ist();
	apic_init_cpu();
	apic_timer_calibrate();
	ioapic_init();
	irq_set_system_handler(VEC_TIMER, timer_interrupt, NULL);
}

/*
 * ACPI tables: CPUs, interrupt controllers, PCI configuration, power-off;
 * without them (microvm acpi=off), the MP table for CPUs and IOAPICs.
 */
void arch_firmware_init(const struct boot_info *bi)
{
	if (!acpi_init(bi->rsdp_pa) && !mptable_init())
		kpanic("firmware: no ACPI tables and no MP table");
	kprintf("x86: %u CPUs and %u IOAPICs from the %s, TSC rate from the %s: %llu kHz\n",
		acpi_info.nr_cpus_found, acpi_info.nr_ioapics, acpi_info.source,
		arch_tsc_source(), (unsigned long long)(arch_tsc_hz() / 1000));
	arch_pci_config_init();
	apic_init_boot();
	arch_smp_discover();
}

const char *arch_irq_controller(void)
{
	return apic_is_x2apic() ? "x2apic" : "xapic";
}
