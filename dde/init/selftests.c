// SPDX-License-Identifier: GPL-2.0-only
/*
 * test=linux-selftests: Linux's boot-time self-tests of library code
 * (lib/test_printf.c, test_bitmap.c, test_uuid.c, test-kstrtox.c,
 * test_scanf.c, test_ida.c, test_xarray.c), compiled unmodified. On Linux
 * they are module_init()s that run at boot when built in; here the linker
 * script keeps their initcalls out of the boot's table, in one of their
 * own, and this file calls them on request, one after the other, like
 * do_one_initcall(). Each reports the way its author wrote it, and this
 * file reads that as a kselftest script reads dmesg (see selftest_verdict()).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <dde/dde.h>

extern initcall_entry_t __linux_selftests_start[], __linux_selftests_end[];

/* What the running self-test printed, as the printk observer saw it. */
static struct {
	unsigned int summaries;		/* "all N tests passed", "A of A ..." */
	unsigned int failures;		/* "failed N out of M", "A of B", A < B */
} seen;

static void selftest_observe(const char *line)
{
	unsigned int a, b;
	const char *p;

	p = strstr(line, "failed ");
	if (p && sscanf(p, "failed %u out of %u tests", &a, &b) == 2) {
		seen.failures++;
		return;
	}
	if (strstr(line, "all ") && strstr(line, " tests passed")) {
		seen.summaries++;
		return;
	}
	if (strstr(line, "remaining ") && strstr(line, " tests passed")) {
		seen.summaries++;
		return;
	}
	/* "IDA: 7 of 7 tests passed", "XArray: 1234 of 1234 tests passed" */
	p = strstr(line, ": ");
	if (p && strstr(line, " tests passed") &&
	    sscanf(p, ": %u of %u tests passed", &a, &b) == 2) {
		if (a == b)
			seen.summaries++;
		else
			seen.failures++;
	}
}

/*
 * The verdict of one self-test. Their return values cannot be trusted:
 * test-kstrtox.c returns -EINVAL always (so that the module never stays
 * loaded) and reports a failure with WARN(); test_ida.c's test is inverted
 * in 6.1 (-EINVAL when all passed). So, as the kselftest scripts do, the
 * printed lines decide: a summary line that counts a failure fails the
 * test, one that counts none passes it; a test that prints no summary
 * (test-kstrtox) passed if it warned nothing. A test with a summary may
 * warn on purpose (test_ida frees ids that are not allocated).
 */
static bool selftest_verdict(unsigned long warns)
{
	if (seen.failures)
		return false;
	if (seen.summaries)
		return true;
	return !warns;
}

/**
 * ddeos_dde_selftests_run - run Linux's boot-time self-tests
 *
 * Prints KTAP in the shape KUnit and kernel/ktest.c print it: one suite,
 * linux-selftests, with one case per self-test, named after its init
 * function, and a diagnostic line with what it returned and warned.
 *
 * Context: the main thread, after the initcalls; may sleep.
 * Return: 1 if every self-test passed (none compiled in fails), 0 otherwise.
 */
int ddeos_dde_selftests_run(void)
{
	unsigned int n = __linux_selftests_end - __linux_selftests_start;
	unsigned int passed = 0;

	pr_info("KTAP version 1\n");
	pr_info("1..1\n");
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: linux-selftests\n");
	pr_info("    1..%u\n", n);
	for (unsigned int i = 0; i < n; i++) {
		initcall_t fn = initcall_from_entry(&__linux_selftests_start[i]);
		unsigned long warns = dde_warn_count();
		bool ok;
		int ret;

		memset(&seen, 0, sizeof(seen));
		dde_printk_set_observer(selftest_observe);
		ret = do_one_initcall(fn);
		dde_printk_set_observer(NULL);
		warns = dde_warn_count() - warns;
		ok = selftest_verdict(warns);
		passed += ok;
		pr_info("    # %ps: returned %d, %lu warnings, %u summary lines, %u failing\n",
			fn, ret, warns, seen.summaries, seen.failures);
		pr_info("    %s %u %ps\n", ok ? "ok" : "not ok", i + 1, fn);
	}
	pr_info("    # linux-selftests: pass:%u fail:%u skip:0 total:%u\n",
		passed, n - passed, n);
	pr_info("%s 1 linux-selftests\n", n && passed == n ? "ok" : "not ok");
	return n && passed == n;
}
