// SPDX-License-Identifier: GPL-2.0-only
/*
 * test=locktorture and test=rcutorture: Linux's torture tests
 * (kernel/locking/locktorture.c, kernel/rcu/rcutorture.c on
 * kernel/torture.c), compiled unmodified and run as Linux runs them built
 * in: their module_init() with their own module parameters from the
 * command line, then the run lasts until their shutdown_secs= task calls
 * the cleanup, which prints "End of test: SUCCESS" or "FAILURE", and then
 * kernel_power_off(). The linker script keeps their initcalls out of the
 * boot's table; this file calls the one asked for and reads the verdict
 * from the End of test line, as Linux's kvm-recheck scripts read the log.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <dde/dde.h>

extern initcall_entry_t __locktorture_initcall[], __rcutorture_initcall[],
	__linux_tests_end[];

static struct {
	const char *name;
	initcall_entry_t *start, *end;
} tortures[] = {
	{ "locktorture", __locktorture_initcall, __rcutorture_initcall },
	{ "rcutorture", __rcutorture_initcall, __linux_tests_end },
};

static unsigned int end_success, end_other;

static void torture_observe(const char *line)
{
	const char *p = strstr(line, "End of test: ");

	if (!p)
		return;
	if (str_has_prefix(p + strlen("End of test: "), "SUCCESS"))
		WRITE_ONCE(end_success, end_success + 1);
	else
		WRITE_ONCE(end_other, end_other + 1);
}

/**
 * ddeos_dde_torture_run - run one of Linux's torture tests to its end
 * @name: "locktorture" or "rcutorture"
 *
 * Without shutdown_secs= the test runs until the machine is stopped from
 * outside, as on Linux.
 *
 * Context: the main thread, after the initcalls; may sleep.
 * Return: 1 if the test ended with exactly one "End of test: SUCCESS" and
 * no other ending, 0 otherwise (an unknown @name included).
 */
int ddeos_dde_torture_run(const char *name)
{
	initcall_t fn;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(tortures); i++)
		if (!strcmp(tortures[i].name, name))
			break;
	if (i == ARRAY_SIZE(tortures) ||
	    tortures[i].end - tortures[i].start != 1) {
		pr_err("torture: %s is not compiled in\n", name);
		return 0;
	}
	fn = initcall_from_entry(tortures[i].start);
	dde_printk_set_observer(torture_observe);
	dde_power_off_expect();
	ret = do_one_initcall(fn);
	if (ret) {
		/* Linux's torture init has cleaned up and said so already. */
		pr_err("torture: %ps returned %d\n", fn, ret);
	} else {
		dde_power_off_wait();
	}
	dde_printk_set_observer(NULL);
	pr_info("torture: %s ended: %u SUCCESS, %u other endings\n", name,
		end_success, end_other);
	return !ret && end_success == 1 && !end_other;
}
