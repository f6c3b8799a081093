/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU data. DEFINE_PERCPU puts a variable in the zero-based per-CPU
 * template (.data..percpu); at boot every CPU gets its own copy and its GS
 * base points at it. Linux objects built for x86_64 SMP use the same section
 * and the same addressing, so per-CPU variables of both worlds share one area.
 *
 * Accessors other than percpu_read/percpu_write/percpu_add are CPU-local:
 * call them with preemption off.
 */
#ifndef DDEOS_PERCPU_H
#define DDEOS_PERCPU_H

#include <ddeos/types.h>
#include <arch/percpu.h>

#define MAX_CPUS	64

#define DEFINE_PERCPU(type, name) \
	__attribute__((section(".data..percpu"))) __typeof__(type) name
#define DECLARE_PERCPU(type, name) extern __typeof__(type) name

/* The names below are Linux's: Linux objects read them (see docs). */
DECLARE_PERCPU(unsigned long, this_cpu_off);
DECLARE_PERCPU(int, cpu_number);
extern unsigned long __per_cpu_offset[MAX_CPUS];

#define percpu_read(var)	arch_percpu_read(var)
#define percpu_write(var, v)	arch_percpu_write(var, v)
#define percpu_add(var, v)	arch_percpu_add(var, v)
#define percpu_and(var, v)	arch_percpu_and(var, v)
#define percpu_or(var, v)	arch_percpu_or(var, v)

/* Address of this CPU's / a given CPU's instance of a per-CPU variable. */
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((unsigned long)(ptr) + percpu_read(this_cpu_off)))
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + __per_cpu_offset[(cpu)]))

/* Context: any; the answer is stable only with preemption off. */
static inline unsigned int cpu_id(void)
{
	return (unsigned int)percpu_read(cpu_number);
}

void percpu_init_boot(void);
void percpu_setup_areas(unsigned int ncpus);
void percpu_enter(unsigned int cpu);
/*
 * Dynamic per-CPU memory: an offset valid in every CPU's area (add
 * __per_cpu_offset[cpu], or use %gs), zeroed on every CPU; 0 when out of
 * space (1 MiB per CPU) or for a bad alignment. Context: any.
 */
unsigned long percpu_alloc(size_t size, size_t align);
void percpu_free(unsigned long off);

#endif
