/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What generic kernel code asks of the architecture. Everything that runs an
 * x86 instruction or knows an APIC, GDT or page-table format is behind these
 * arch_* functions (kernel/arch/x86_64/).
 */
#ifndef DDEOS_ARCH_H
#define DDEOS_ARCH_H

#include <ddeos/types.h>
#include <arch/irqflags.h>
#include <arch/layout.h>

struct boot_info;
struct thread;

/* Boot: fills *bi from the loader's data (PVH start info). */
void arch_boot_info(uint64_t start_info_pa, struct boot_info *bi);
void arch_cpu_init_boot(void);
void arch_paging_init(const struct boot_info *bi);
void arch_paging_drop_identity(void);
/* Map Linux's struct page array for all RAM. Return: pages it took. */
size_t arch_paging_map_vmemmap(const struct boot_info *bi, size_t entry_size);
void *arch_map_mmio(uint64_t pa, size_t size);
/* Map/unmap a 4 KiB page outside the direct map (guarded stacks). */
void arch_map_page(uint64_t va, uint64_t pa);
uint64_t arch_unmap_page(uint64_t va);
void arch_map_prepare(uint64_t va);
/* Run @fn on a new stack (top @top), never to return. */
void arch_call_on_stack(void *top, void (*fn)(void)) __attribute__((noreturn));
void arch_tlb_flush_all(void);
void arch_firmware_init(const struct boot_info *bi);
const char *arch_irq_controller(void);
void arch_smp_boot_aps(void);
unsigned int arch_cpu_apic_id(unsigned int cpu);
/* Equal for CPUs that share a last-level cache (CPUID, cpu_llc.c). */
unsigned int arch_cpu_llc_id(unsigned int cpu);
unsigned int arch_cpus_possible(void);
void arch_set_percpu_base(unsigned long base);

/* Console. */
void arch_console_init(void);
void arch_console_write(const char *s, size_t n);

/* Time: a monotonic clock in ns since the PVH entry, and the local timer. */
void arch_time_init(void);
uint64_t arch_clock_ns(void);
uint64_t arch_boot_entry_ns(void);
const char *arch_tsc_source(void);
uint64_t arch_tsc_hz(void);	/* the TSC rate it calibrated, Hz */
void arch_timer_set_oneshot(uint64_t delta_ns);
void arch_timer_init_cpu(void);

/* Interrupts. */
void arch_irq_init(void);
void arch_send_ipi(unsigned int cpu, unsigned int vector);
void arch_send_nmi_all_but_self(void);
void arch_irq_eoi(void);

/* Threads: saved stack pointer switching. */
struct thread *arch_switch(void **prev_sp, void *next_sp, struct thread *prev);
void *arch_thread_stack_init(void *stack_top, void (*entry)(void));

/* The DDE's WARN/BUG handler for invalid-opcode traps (see traps.c). */
void arch_set_ud_hook(int (*hook)(unsigned long *rip, unsigned long rbp));
struct ddeos_trap_regs;
/* Page/protection faults go to @hook first; 1 = fixed up, resume. */
void arch_set_fault_hook(int (*hook)(struct ddeos_trap_regs *regs,
				     unsigned long fault_addr));

/*
 * PCI configuration space (arch/x86_64/pci_config.c): ECAM where ACPI's MCFG
 * gives a range, the 0xCF8/0xCFC ports for segment 0 otherwise. @devfn is
 * dev << 3 | fn; @size 1, 2 or 4 and @off aligned to it. Context: any.
 * Return: 0, -EINVAL (size, offset, alignment) or -ENODEV (unreachable).
 */
enum arch_pci_method { ARCH_PCI_ANY, ARCH_PCI_ECAM, ARCH_PCI_PORT };
struct arch_pci_root {
	uint16_t segment;
	uint8_t bus_start, bus_end;
};
void arch_pci_config_init(void);
/* The bus ranges to scan, one per ECAM range (or segment 0 by ports). */
unsigned int arch_pci_roots(struct arch_pci_root *roots, unsigned int max);
int arch_pci_config_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
			 unsigned int size, uint32_t *val);
int arch_pci_config_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
			  unsigned int size, uint32_t val);
/* A read by one chosen method (tests compare ECAM and ports). */
int arch_pci_config_read_via(enum arch_pci_method method, uint16_t seg, uint8_t bus,
			     uint8_t devfn, uint16_t off, unsigned int size, uint32_t *val);

/*
 * The host bridge's address windows, where BARs that firmware left
 * unassigned may be placed (arch/x86_64/pci_host.c), lowest first; @end
 * is exclusive. Context: after arch_pci_config_init(). Return: how many
 * were written to @w (0: unknown host bridge, assign nothing).
 */
enum arch_pci_window_kind { ARCH_PCI_WIN_IO, ARCH_PCI_WIN_MEM32, ARCH_PCI_WIN_MEM64 };
struct arch_pci_window {
	uint64_t start, end;
	enum arch_pci_window_kind kind;
};
unsigned int arch_pci_windows(uint16_t segment, struct arch_pci_window *w,
			      unsigned int max);
/* The host bridge's name for the boot line ("q35", "i440fx", "microvm
 * gpex", "unknown"). */
const char *arch_pci_host_name(void);
/* The INTx line (a GSI, or an ISA IRQ below 16) of pin @pin (1-4) of
 * device @dev on @bus when firmware wrote none: the interrupt routing the
 * machine's fixed wiring implies. Return: 0 if unknown. */
unsigned int arch_pci_intx_line(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t pin);

/*
 * Device memory in its own virtual range (kernel/mm/ioremap.c): map one
 * 4 KiB page uncached (@wc false) or write-combining (PAT). Unmapping is
 * arch_unmap_page(). Context: thread or boot.
 */
void arch_map_io_page(uint64_t va, uint64_t pa, bool wc);

/* Stopping. */
void __noreturn arch_poweroff(bool success);
void __noreturn arch_halt_forever(void);
void arch_backtrace(uint64_t rbp, uint64_t rip);
void arch_backtrace_here(void);

#endif
