// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KTAP runner: runs the suites chosen with test=, one case at a time in
 * the calling thread, and prints KTAP version 1 with one nested level per
 * suite, like KUnit:
 *
 *	KTAP version 1
 *	1..S
 *	    KTAP version 1
 *	    # Subtest: sched
 *	    1..C
 *	    ok 1 busy_thread_is_preempted
 *	ok 1 sched
 *
 * test=linux-kunit runs Linux's own KUnit suites instead, through Linux's
 * KUnit executor in the DDE, which prints its own KTAP in the same shape;
 * test=linux-selftests runs Linux's boot-time self-tests (KTAP printed by
 * the DDE), and test=locktorture or test=rcutorture one of Linux's torture
 * tests, which ends with its own "End of test:" line.
 */
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/fmt.h>
#include <ddeos/ktest.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>

extern const struct ddeos_ktest_suite __ktest_suites_start[], __ktest_suites_end[];

#define KTEST_MAX_SELECTED	32

static const struct ddeos_ktest_suite *selected[KTEST_MAX_SELECTED];
static unsigned int nr_selected;
static bool requested, bad_request;

/* The runs of Linux's own tests, by test= name, which the DDE carries out. */
enum { LINUX_KUNIT, LINUX_SELFTESTS, LINUX_LOCKTORTURE, LINUX_RCUTORTURE,
       NR_LINUX_RUNS };
static const char *const linux_runs[NR_LINUX_RUNS] = {
	"linux-kunit", "linux-selftests", "locktorture", "rcutorture",
};
static bool linux_requested[NR_LINUX_RUNS];

static bool linux_run_param(const char *name, size_t len)
{
	for (int i = 0; i < NR_LINUX_RUNS; i++) {
		if (len == string_len(linux_runs[i]) &&
		    !string_ncmp(name, linux_runs[i], len)) {
			linux_requested[i] = true;
			return true;
		}
	}
	return false;
}

static bool linux_run_requested(void)
{
	for (int i = 0; i < NR_LINUX_RUNS; i++)
		if (linux_requested[i])
			return true;
	return false;
}

static const struct ddeos_ktest_suite *find_suite(const char *name, size_t len)
{
	for (const struct ddeos_ktest_suite *s = __ktest_suites_start;
	     s < __ktest_suites_end; s++)
		if (string_len(s->name) == len && !string_ncmp(s->name, name, len))
			return s;
	return NULL;
}

static int test_param(const char *value)
{
	requested = true;
	if (!value || !*value) {
		bad_request = true;
		return -EINVAL;
	}
	if (!string_cmp(value, "all")) {
		for (const struct ddeos_ktest_suite *s = __ktest_suites_start;
		     s < __ktest_suites_end && nr_selected < KTEST_MAX_SELECTED; s++)
			selected[nr_selected++] = s;
		return 0;
	}
	for (const char *p = value; *p;) {
		const char *end = string_chr(p, ',');
		size_t len = end ? (size_t)(end - p) : string_len(p);
		const struct ddeos_ktest_suite *s = find_suite(p, len);

		if (linux_run_param(p, len)) {
			/* run by the DDE, after our own suites */
		} else if (!s || nr_selected == KTEST_MAX_SELECTED) {
			kprintf("ddeos: test=: no test suite '%.*s'\n", (int)len, p);
			bad_request = true;
		} else {
			selected[nr_selected++] = s;
		}
		p += len + (end ? 1 : 0);
	}
	if (linux_requested[LINUX_LOCKTORTURE] && linux_requested[LINUX_RCUTORTURE]) {
		kprintf("ddeos: test=: one torture test per boot\n");
		bad_request = true;
	}
	return bad_request ? -EINVAL : 0;
}
KPARAM(test, "test", test_param);

bool ktest_requested(void)
{
	return requested;
}

void ktest_fail(struct ddeos_ktest *t, const char *file, int line, const char *cond,
		const char *fmt, ...)
{
	char msg[CONSOLE_LINE_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ddeos_ktest_fail(t, file, line, cond, msg);
}

void ddeos_ktest_fail(struct ddeos_ktest *t, const char *file, int line,
		      const char *cond, const char *msg)
{
	t->failures++;
	kprintf("    # %s: %s:%d: expected %s:%s\n", t->name, file, line, cond, msg);
}

static bool run_suite(const struct ddeos_ktest_suite *s, unsigned int index)
{
	unsigned int passed = 0, failed = 0, skipped = 0;

	kprintf("    KTAP version 1\n    # Subtest: %s\n    1..%zu\n", s->name,
		s->nr_cases);
	for (size_t i = 0; i < s->nr_cases; i++) {
		struct ddeos_ktest t = { .name = s->cases[i].name };
		uint64_t t0 = clock_ns();

		s->cases[i].run(&t);
		if (t.failures) {
			failed++;
			kprintf("    not ok %zu %s\n", i + 1, t.name);
		} else if (t.skip) {
			skipped++;
			kprintf("    ok %zu %s # SKIP %s\n", i + 1, t.name, t.skip);
		} else {
			passed++;
			kprintf("    ok %zu %s # time=%llums\n", i + 1, t.name,
				(unsigned long long)(clock_ns() - t0) / 1000000);
		}
	}
	kprintf("    # %s: pass:%u fail:%u skip:%u total:%zu\n", s->name, passed,
		failed, skipped, s->nr_cases);
	kprintf("%s %u %s\n", failed ? "not ok" : "ok", index, s->name);
	return !failed;
}

bool ktest_run_selected(void)
{
	bool ok = !bad_request;

	/* Alone, a Linux run's output is the only document on the console. */
	if (nr_selected || !linux_run_requested()) {
		kprintf("KTAP version 1\n1..%u\n", nr_selected);
		for (unsigned int i = 0; i < nr_selected; i++)
			ok &= run_suite(selected[i], i + 1);
	}
	if (linux_requested[LINUX_KUNIT])
		ok &= ddeos_dde_kunit_run() == 1;
	if (linux_requested[LINUX_SELFTESTS])
		ok &= ddeos_dde_selftests_run() == 1;
	/* A torture test ends in kernel_power_off(): one per boot. */
	if (linux_requested[LINUX_LOCKTORTURE])
		ok &= ddeos_dde_torture_run("locktorture") == 1;
	else if (linux_requested[LINUX_RCUTORTURE])
		ok &= ddeos_dde_torture_run("rcutorture") == 1;
	return ok;
}
