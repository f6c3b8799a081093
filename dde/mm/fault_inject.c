// SPDX-License-Identifier: GPL-2.0-only
/*
 * Making Linux-world allocations fail on purpose (stands in for Linux's
 * mm/failslab.c and the fail_page_alloc part of mm/page_alloc.c, with one
 * attribute for both): every kmalloc, kmem_cache, page and per-CPU
 * allocation of the Linux world asks Linux's own should_fail()
 * (lib/fault-inject.c, compiled) when injection is armed. Unlike Linux's
 * failslab, sleeping allocations are not exempt (Linux exempts them unless
 * debugfs says otherwise, and there is no debugfs here): a driver's probe
 * allocates with GFP_KERNEL, and those error paths are the ones to test.
 *
 * Options (docs/options.md):
 *   fail_alloc=<interval>,<probability>,<space>,<times>  Linux's syntax
 *   fail_alloc.nth=N        the Nth allocation in the window fails
 *                           (Linux's /proc/self/fail-nth, for the probing
 *                           thread)
 *   fail_alloc.window=probe only allocations of the thread probing the
 *                           drivers while it probes (default); `all` for
 *                           every allocation from the moment of parsing
 *   fail_alloc.verbose=N    0 quiet, 1 a line per failure (default), 2 and
 *                           a backtrace
 * __GFP_NOFAIL allocations never fail; __GFP_NOWARN ones fail quietly.
 */
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <dde/mm.h>

static DECLARE_FAULT_ATTR(fail_alloc);
static unsigned int fail_nth;
static bool window_all;
static int verbose = 1;		/* Linux's default is 2: a backtrace each */
bool dde_fail_alloc_armed __read_mostly;

/* What the last window saw: allocations asked for and failures made. */
static atomic_t window_allocs, window_failed;

static void arm(void)
{
	fail_alloc.task_filter = !window_all;
	fail_alloc.verbose = verbose;
	WRITE_ONCE(dde_fail_alloc_armed, fail_alloc.probability || fail_nth || window_all);
}

static int __init setup_fail_alloc(char *str)
{
	if (!setup_fault_attr(&fail_alloc, str))
		return 0;	/* Linux's parser said why */
	arm();
	return 1;
}
__setup("fail_alloc=", setup_fail_alloc);

static int __init setup_fail_alloc_nth(char *str)
{
	if (kstrtouint(str, 0, &fail_nth) || !fail_nth) {
		pr_warn("fail_alloc.nth=%s: not a count from 1\n", str);
		return 0;
	}
	arm();
	return 1;
}
__setup("fail_alloc.nth=", setup_fail_alloc_nth);

static int __init setup_fail_alloc_window(char *str)
{
	if (!strcmp(str, "all")) {
		window_all = true;
	} else if (strcmp(str, "probe")) {
		pr_warn("fail_alloc.window=%s: not probe or all\n", str);
		return 0;
	}
	arm();
	return 1;
}
__setup("fail_alloc.window=", setup_fail_alloc_window);

static int __init setup_fail_alloc_verbose(char *str)
{
	int v;

	if (kstrtoint(str, 0, &v) || v < 0 || v > 2) {
		pr_warn("fail_alloc.verbose=%s: not 0, 1 or 2\n", str);
		return 0;
	}
	verbose = v;
	fail_alloc.verbose = v;
	return 1;
}
__setup("fail_alloc.verbose=", setup_fail_alloc_verbose);

/**
 * dde_should_fail_alloc_slow() - whether to fail this allocation
 * @gfp: its flags
 * @size: its size in bytes
 *
 * Called through dde_should_fail_alloc() only when injection is armed.
 *
 * Context: any.
 * Return: true to fail it.
 */
bool dde_should_fail_alloc_slow(gfp_t gfp, size_t size)
{
	bool in_window = in_task() && current->make_it_fail;
	bool fail;

	if (in_window)
		atomic_inc(&window_allocs);
	if (gfp & __GFP_NOFAIL)
		return false;
	fail = should_fail_ex(&fail_alloc, size, gfp & __GFP_NOWARN ? FAULT_NOWARN : 0);
	if (fail && in_window)
		atomic_inc(&window_failed);
	return fail;
}

/**
 * dde_fail_alloc_window() - open or close the probe window
 * @open: true when the calling thread starts probing drivers
 *
 * Marks the caller as the task allocations may fail for (Linux's
 * make_it_fail) and gives it the fail_alloc.nth count (Linux's fail-nth);
 * closing reports how many allocations the window made.
 *
 * Context: thread.
 */
void dde_fail_alloc_window(bool open)
{
	if (!READ_ONCE(dde_fail_alloc_armed))
		return;
	if (open) {
		atomic_set(&window_allocs, 0);
		atomic_set(&window_failed, 0);
		current->fail_nth = fail_nth;
		current->make_it_fail = 1;
		return;
	}
	current->make_it_fail = 0;
	pr_info("fail_alloc: %d allocations in the probe window, %d failed%s\n",
		atomic_read(&window_allocs), atomic_read(&window_failed),
		current->fail_nth ? " (nth not reached)" : "");
	current->fail_nth = 0;
}

/**
 * dde_fail_alloc_probe_begin() - note the pool's usage before a probe
 * @mark: where to keep it (the prober's stack)
 *
 * Only while injection is armed (draining every CPU's caches costs).
 * Context: thread, may sleep.
 */
void dde_fail_alloc_probe_begin(struct dde_probe_mark *mark)
{
	mark->taken = READ_ONCE(dde_fail_alloc_armed);
	if (mark->taken) {
		rcu_barrier();		/* earlier kfree_rcu()s are not ours */
		ddeos_mem_quiesce(&mark->before);
	}
}

/**
 * dde_fail_alloc_probe_failed() - check that a failed probe gave back
 * everything it took
 * @mark: what dde_fail_alloc_probe_begin() noted
 * @name: the device, for the report
 * @err: the probe's error
 *
 * A failed probe must leave the pool as it found it: the same objects and
 * page blocks in use, once RCU callbacks it queued have run. Prints one
 * line either way (the fault-injection sweep reads it).
 *
 * Context: thread, may sleep.
 */
void dde_fail_alloc_probe_failed(struct dde_probe_mark *mark, const char *name, int err)
{
	struct ddeos_mem_totals after;
	long objs, pages;

	if (!mark->taken)
		return;
	rcu_barrier();
	ddeos_mem_quiesce(&after);
	objs = (long)after.objects_in_use - (long)mark->before.objects_in_use;
	pages = (long)(mark->before.pages_free - after.pages_free);
	if (!objs && !pages)
		pr_info("fail_alloc: probe of %s failed (%pe), all memory given back\n",
			name, ERR_PTR(err));
	else
		pr_err("fail_alloc: probe of %s failed (%pe) and kept %ld objects, %ld pages\n",
		       name, ERR_PTR(err), objs, pages);
}
