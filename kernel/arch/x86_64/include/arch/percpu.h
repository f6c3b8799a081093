/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU access as Linux 6.1 x86_64 does it: a per-CPU symbol's address is
 * its offset in the zero-based .data..percpu template, and %gs points at the
 * running CPU's copy. So `%gs:sym` is this CPU's instance, in one instruction
 * that cannot be torn by migration.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define __percpu_op(op, var, val, c)					\
	__asm__ __volatile__(op " %1, %%gs:%0" : "+m"(var) : c(val) : "memory")

#define arch_percpu_read(var)						\
	({								\
		__typeof__(var) __v;					\
		__asm__ __volatile__("mov %%gs:%1, %0"			\
				     : "=r"(__v) : "m"(var));		\
		__v;							\
	})
#define arch_percpu_write(var, val)					\
	do {								\
		__typeof__(var) __v = (val);				\
		__asm__ __volatile__("mov %1, %%gs:%0"			\
				     : "=m"(var) : "r"(__v) : "memory");\
	} while (0)
#define arch_percpu_add(var, val)	__percpu_op("add", var, (__typeof__(var))(val), "r")
#define arch_percpu_and(var, val)	__percpu_op("and", var, (__typeof__(var))(val), "r")
#define arch_percpu_or(var, val)	__percpu_op("or", var, (__typeof__(var))(val), "r")

#endif
