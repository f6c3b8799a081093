// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot sequence, from the PVH entry to the `ddeos: ready` line:
 *
 *   boot_main (boot CPU, IRQs off, per-CPU template, 1 GiB mapped)
 *     console, clock, boot info, RAM check, page allocator, direct map,
 *     ACPI, CPU numbering, per-CPU areas, GDT/IDT/APIC/IOAPIC, scheduler,
 *     timer, other CPUs, memory pool, identity map dropped
 *     -> creates the "main" thread, then becomes CPU 0's idle thread
 *   main thread: PCI scan, the Linux environment (ddeos_dde_init), command
 *     line, Linux's initcalls, network interfaces opened, lwIP and ip=,
 *     summary line, tests / apps / poweroff
 */
#include <ddeos/app.h>
#include <ddeos/arch.h>
#include <ddeos/block.h>
#include <ddeos/boot.h>
#include <ddeos/cmdline.h>
#include <ddeos/crash.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/ktest.h>
#include <ddeos/mm.h>
#include <ddeos/net.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/pci.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/stack.h>
#include <ddeos/timer.h>
#include "waist/ddeos_waist.h"
#include "lwip_port.h"

#define MIN_RAM_MIB	24

struct boot_info boot_info;
static bool opt_poweroff;
static size_t vmemmap_pages;	/* Linux's struct page array */
static void *boot_stack;
static void __noreturn boot_main_guarded(void);
static uint64_t vmemmap_ns;

static int poweroff_param(const char *value)
{
	if (value)
		return -EINVAL;
	opt_poweroff = true;
	return 0;
}
KPARAM(poweroff, "poweroff", poweroff_param);

static void flush_tlb(void *unused)
{
	arch_paging_drop_identity();
}

static int main_thread(void *unused)
{
	uint64_t t = clock_ns();
	unsigned int disks, nics;
	bool ok = true;

	pci_init();		/* before any driver can use PCI */
	ddeos_dde_init();	/* the Linux environment (dde/) */
	block_init();		/* disks the drivers add, for apps and tests */
	cmdline_apply(boot_info.cmdline);
	ddeos_dde_run_initcalls();	/* Linux's drivers, with their parameters */
	net_init();		/* open every NIC the drivers registered */
	lwip_ipconfig();	/* ip=: lwIP (net/lwip/) on that interface */
	ddeos_dde_devices(&disks, &nics);
	kprintf("ddeos: ready cpus=%u mem=%lluMiB time=%llu.%llums apic=%s disks=%u nics=%u tsc=%s\n",
		smp_cpus_online(), (unsigned long long)(boot_info.ram_bytes >> 20),
		(unsigned long long)t / 1000000,
		(unsigned long long)(t / 100000) % 10,
		arch_irq_controller(), disks, nics, arch_tsc_source());
	if (ktest_requested()) {
		ok = ktest_run_selected();
		kprintf("ddeos: tests %s\n", ok ? "passed" : "FAILED");
		arch_poweroff(ok);
	}
	crash_on_request();
	if (app_requested() && app_run(&ok))	/* app=, e.g. udpecho,tcpecho */
		arch_poweroff(ok);
	if (opt_poweroff)
		arch_poweroff(true);
	return 0;
}

void __noreturn boot_main(uint32_t start_info_pa)
{
	arch_console_init();
	percpu_init_boot();
	arch_irq_init();	/* exceptions are reported from here on */
	arch_boot_info(start_info_pa, &boot_info);
	if (boot_info.ram_bytes < MiB(MIN_RAM_MIB)) {
		kprintf("ddeos: only %llu MiB of usable RAM; at least %u MiB is needed\n",
			(unsigned long long)(boot_info.ram_bytes >> 20), MIN_RAM_MIB);
		arch_poweroff(false);
	}
	page_alloc_init(&boot_info);
	arch_paging_init(&boot_info);
	arch_time_init();	/* after paging: it may read the HPET */
	vmemmap_ns = clock_ns();
	vmemmap_pages = arch_paging_map_vmemmap(&boot_info, DDEOS_STRUCT_PAGE_SIZE);
	vmemmap_ns = clock_ns() - vmemmap_ns;
	/* From here the boot CPU runs on a guarded stack (its idle thread's). */
	stack_init();
	boot_stack = stack_alloc();
	if (!boot_stack)
		kpanic("no memory for the boot stack");
	arch_call_on_stack((char *)boot_stack + STACK_SIZE, boot_main_guarded);
}

/* The rest of boot_main, on a guarded stack: the boot image's stack has no
 * guard page below it. */
static void __noreturn boot_main_guarded(void)
{
	arch_firmware_init(&boot_info);
	percpu_setup_areas(arch_cpus_possible());
	arch_cpu_init_boot();
	smp_init();
	sched_init_boot();
	sched_idle_thread(0)->stack = boot_stack;
	timer_init_cpu();
	arch_smp_boot_aps();
	/* Linux's struct pages follow the pool's slabs from the first one. */
	pool_boot_set_slab_hook(ddeos_dde_slab_event);
	pool_boot_init();	/* every CPU is online: the pool takes the RAM */
	kprintf("mm: struct page array %llu KiB (%u B per RAM page) at %#llx, set up in %llu us\n",
		(unsigned long long)vmemmap_pages * (PAGE_SIZE / 1024),
		DDEOS_STRUCT_PAGE_SIZE, (unsigned long long)VMEMMAP_VA,
		(unsigned long long)vmemmap_ns / 1000);
	arch_irq_enable();
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++)
		smp_run_on_cpu(cpu, flush_tlb, NULL);
	arch_irq_disable();
	if (!thread_create(&(struct thread_attr){ .name = "main",
						  .prio = SCHED_PRIO_DEFAULT,
						  .cpu = CPU_ANY },
			   main_thread, NULL))
		kpanic("cannot create the main thread");
	sched_idle_loop();
}
