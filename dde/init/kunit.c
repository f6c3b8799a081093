// SPDX-License-Identifier: GPL-2.0-only
/*
 * test=linux-kunit: Linux's KUnit executor (lib/kunit/executor.c, compiled
 * unmodified) run where Linux's init/main.c runs it, after the initcalls,
 * with its own module parameters (kunit.filter_glob=, kunit.action=).
 * Linux leaves the verdict to whoever reads the KTAP (kunit.py); so does
 * this file, reading the top level of the KTAP printk writes: the run
 * passed if every suite the plan announced reported "ok".
 */
#include <linux/printk.h>
#include <linux/string.h>
#include <kunit/test.h>
#include <dde/dde.h>

static int kunit_plan = -1;
static unsigned int kunit_ok, kunit_not_ok;

/* The top level is unindented: "1..N", then "ok N suite" or "not ok N suite". */
static void kunit_observe(const char *line)
{
	unsigned int n;

	if (kunit_plan < 0 && sscanf(line, "1..%u", &n) == 1)
		kunit_plan = n;
	else if (str_has_prefix(line, "ok "))
		kunit_ok++;
	else if (str_has_prefix(line, "not ok "))
		kunit_not_ok++;
}

/**
 * ddeos_dde_kunit_run - run the KUnit suites and judge their KTAP
 *
 * Context: the main thread, after the initcalls; may sleep.
 * Return: 1 if every announced suite reported ok (a plan of 0, nothing
 * selected, fails: no test ran), 0 otherwise.
 */
int ddeos_dde_kunit_run(void)
{
	int err;

	dde_printk_set_observer(kunit_observe);
	err = kunit_run_all_tests();
	dde_printk_set_observer(NULL);
	pr_info("kunit: %u of %d suites ok, %u not ok%s\n", kunit_ok, kunit_plan,
		kunit_not_ok, err ? " (executor error)" : "");
	return !err && kunit_plan > 0 && !kunit_not_ok &&
	       kunit_ok == (unsigned int)kunit_plan;
}
