// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU GDT and TSS. We never leave ring 0, so the TSS exists only for its
 * interrupt stack table: double fault, NMI and machine check run on stacks
 * of their own, so a stack overflow or an NMI that lands anywhere still gets
 * a working stack to report on.
 */
#include <arch/layout.h>
#include <arch/trap.h>
#include <ddeos/page_alloc.h>
#include <ddeos/irq.h>
#include <ddeos/panic.h>
#include <ddeos/stack.h>
#include <ddeos/percpu.h>


struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "x86_64 TSS layout");

struct cpu_gdt {
	uint64_t gdt[7];	/* null, code, data, (pad), tss low/high, pad */
	struct tss tss;
} __aligned(64);

static struct cpu_gdt cpu_gdts[MAX_CPUS];

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_TSS		0x20

static void *ist_stack(void)
{
	void *s = stack_alloc();

	if (!s)
		kpanic("out of memory for interrupt stacks");
	return (char *)s + STACK_SIZE;
}

/* Top of this CPU's IRQ stack: entry.S switches to it for interrupts. */
DEFINE_PERCPU(uint64_t, irq_stack_top);

bool arch_on_irq_stack(uint64_t addr)
{
	uint64_t top = percpu_read(irq_stack_top);

	return addr < top && addr >= top - STACK_SIZE;
}

/* Context: the CPU itself, early in its bring-up, IRQs off. */
void gdt_init_cpu(unsigned int cpu)
{
	struct cpu_gdt *g = &cpu_gdts[cpu];
	uint64_t base = (uint64_t)&g->tss, limit = sizeof(g->tss) - 1;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(g->gdt) - 1, (uint64_t)g->gdt };

	g->gdt[1] = 0x00af9a000000ffff;		/* 64-bit code */
	g->gdt[2] = 0x00cf92000000ffff;		/* data */
	g->gdt[4] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		    (0x89ull << 40) | ((limit >> 16 & 0xf) << 48) |
		    ((base >> 24 & 0xff) << 56);
	g->gdt[5] = base >> 32;
	g->tss.ist[0] = (uint64_t)ist_stack();	/* IST1: double fault */
	g->tss.ist[1] = (uint64_t)ist_stack();	/* IST2: NMI */
	g->tss.ist[2] = (uint64_t)ist_stack();	/* IST3: machine check */
	percpu_write(irq_stack_top, (uint64_t)ist_stack());
	g->tss.iomap_base = sizeof(g->tss);

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %2, %%ds\n\t"
		"mov %2, %%es\n\t"
		"mov %2, %%ss\n\t"
		"ltr %w3"
		:: "m"(desc), "i"(SEL_CODE), "r"(SEL_DATA), "r"(SEL_TSS)
		: "rax", "memory");
}
