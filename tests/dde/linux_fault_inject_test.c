// SPDX-License-Identifier: GPL-2.0-only
/*
 * Failure injection of the Linux world's allocations (dde/mm/fault_inject.c
 * over Linux's lib/fault-inject.c): booted with fail_alloc.nth=3, exactly
 * the third allocation of the window fails, whatever allocator it goes to,
 * and nothing outside the window fails; booted without options, nothing
 * fails at all. Reported in KTAP.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <dde/dde.h>
#include <dde/mm.h>
#include "linux_ktest.h"

#define ROUNDS	6

/* Allocations of every kind, in a fixed order; which ones failed. */
static unsigned int allocate_round(void **objs, struct page **pages,
				   void __percpu **pcpu, struct kmem_cache *c)
{
	unsigned int failed = 0, i;

	for (i = 0; i < ROUNDS; i++) {
		switch (i % 3) {
		case 0:
			objs[i] = kmalloc(100, GFP_KERNEL);
			failed |= !objs[i] << i;
			break;
		case 1:
			pages[i] = alloc_pages(GFP_KERNEL, 1);
			failed |= !pages[i] << i;
			break;
		default:
			objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
			failed |= !objs[i] << i;
			break;
		}
	}
	*pcpu = alloc_percpu(u64);
	return failed;
}

static void free_round(void **objs, struct page **pages, void __percpu *pcpu,
		       struct kmem_cache *c)
{
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		if (i % 3 == 1 && pages[i])
			__free_pages(pages[i], 1);
		else if (i % 3 == 2 && objs[i])
			kmem_cache_free(c, objs[i]);
		else
			kfree(objs[i]);
	}
	free_percpu(pcpu);
}

static void nth_allocation_in_window_fails(struct ddeos_ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest-fail", 64, 0, 0, NULL);
	void *objs[ROUNDS] = { NULL };
	struct page *pages[ROUNDS] = { NULL };
	void __percpu *pcpu;
	unsigned int failed, nofail = 0;
	void *p;

	if (!EXPECT(t, c))
		return;
	/* Outside the window nothing fails. */
	failed = allocate_round(objs, pages, &pcpu, c);
	EXPECT(t, !failed && pcpu, "failed outside the window: %#x", failed);
	free_round(objs, pages, pcpu, c);

	dde_fail_alloc_window(true);
	memset(objs, 0, sizeof(objs));
	memset(pages, 0, sizeof(pages));
	failed = allocate_round(objs, pages, &pcpu, c);
	/* __GFP_NOFAIL is never failed, even where fail_alloc points. */
	p = kmalloc(8, GFP_KERNEL | __GFP_NOFAIL);
	nofail = !p;
	kfree(p);
	dde_fail_alloc_window(false);
	free_round(objs, pages, pcpu, c);

	if (!READ_ONCE(dde_fail_alloc_armed)) {
		EXPECT(t, !failed, "failed with injection off: %#x", failed);
	} else {
		/* Booted with fail_alloc.nth=3: the third one (a kmem_cache
		 * object) and only it. */
		EXPECT(t, failed == 1u << 2, "failed %#x, expected %#x", failed, 1u << 2);
	}
	EXPECT(t, !nofail, "a __GFP_NOFAIL allocation failed");
	kmem_cache_destroy(c);
}

static const struct ddeos_ktest_case linux_fault_inject_cases[] = {
	{ "nth_allocation_in_window_fails", nth_allocation_in_window_fails },
};

LINUX_KTEST_SUITE(linux_fault_inject, linux_fault_inject_cases);
