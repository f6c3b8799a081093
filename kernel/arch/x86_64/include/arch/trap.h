/* SPDX-License-Identifier: GPL-2.0-only */
/* The register frame that entry.S builds for every interrupt and exception. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <ddeos/types.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

void trap_dispatch(struct trap_frame *f);
void gdt_init_cpu(unsigned int cpu);
void idt_load(void);
void arch_irq_init_ist(void);

#endif
