/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TAP-style reporting for the host unit tests: one `ok N - name` or
 * `not ok N - name` line per test, `# ...` diagnostics before a failure, and
 * a final `N passed, N failed` line that tools/check reads.
 */
#ifndef DDEOS_TESTS_HOST_TAP_H
#define DDEOS_TESTS_HOST_TAP_H

#include <stdbool.h>

/* Print a diagnostic line (prefixed with "# ") for the test being run. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record one test result. Return: @ok. */
bool tap_result(bool ok, const char *name_fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Run @fn in a child process, so that a sanitizer abort or a crash is
 * reported as one failed test and the other tests still run.
 */
void tap_run_named(void (*fn)(void), const char *name);
#define tap_run(fn)	tap_run_named(fn, #fn)

/* Print the `N passed, N failed` line. Return: the process exit status. */
int tap_summary(void);

/* The test groups, one per file. */
void test_fmt(void);
void test_cmdline_split(void);
void test_cmdline_parse(void);

#endif
