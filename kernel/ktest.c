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
 * KUnit executor in the DDE, which prints its own KTAP in the same shape.
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
static bool requested, bad_request, kunit_requested;

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

		if (len == string_len("linux-kunit") &&
		    !string_ncmp(p, "linux-kunit", len)) {
			kunit_requested = true;
		} else if (!s || nr_selected == KTEST_MAX_SELECTED) {
			kprintf("ddeos: test=: no test suite '%.*s'\n", (int)len, p);
			bad_request = true;
		} else {
			selected[nr_selected++] = s;
		}
		p += len + (end ? 1 : 0);
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

	/* Alone, linux-kunit's KTAP is the only document on the console. */
	if (nr_selected || !kunit_requested) {
		kprintf("KTAP version 1\n1..%u\n", nr_selected);
		for (unsigned int i = 0; i < nr_selected; i++)
			ok &= run_suite(selected[i], i + 1);
	}
	if (kunit_requested)
		ok &= ddeos_dde_kunit_run() == 1;
	return ok;
}
