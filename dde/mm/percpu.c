// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dynamic per-CPU allocation (Linux: mm/percpu.c). The kernel gives every
 * CPU's area the same layout at a fixed distance, so an allocation is one
 * offset that Linux's inlines turn into each CPU's copy: per_cpu_ptr(p, c)
 * adds __per_cpu_offset[c], this_cpu_inc(*p) addresses %gs:p. Memory is
 * zeroed on every CPU, as Linux's; it is mapped without sleeping, so the
 * GFP mode does not matter.
 */
#include <linux/percpu.h>
#include <linux/printk.h>
#include <dde/mm.h>

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	unsigned long p;

	if (dde_should_fail_alloc(gfp, size))
		return NULL;
	p = ddeos_percpu_alloc(size, align);

	if (unlikely(!p) && !(gfp & __GFP_NOWARN))
		pr_warn("%pS: per-CPU allocation of %zu bytes (align %zu) failed\n",
			__builtin_return_address(0), size, align);
	return (void __percpu *)p;
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu_gfp(size, align, GFP_KERNEL);
}

void free_percpu(void __percpu *ptr)
{
	if (ptr)
		ddeos_percpu_free((unsigned long)ptr);
}
