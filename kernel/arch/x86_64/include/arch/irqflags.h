/* SPDX-License-Identifier: GPL-2.0-only */
/* Local interrupt enable/disable: the x86 IF flag. */
#ifndef ARCH_IRQFLAGS_H
#define ARCH_IRQFLAGS_H

#include <ddeos/types.h>

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushf; pop %0; cli" : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & 0x200)
		__asm__ __volatile__("sti" ::: "memory");
}

/* Were IRQs on in a value returned by arch_irq_save()? */
static inline bool arch_irq_flags_enabled(unsigned long flags)
{
	return flags & 0x200;
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushf; pop %0" : "=r"(flags));
	return flags & 0x200;
}

/* Wait for an interrupt with interrupts enabled; returns with them on. */
static inline void arch_wait_for_irq(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#endif
