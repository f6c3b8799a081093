// SPDX-License-Identifier: GPL-2.0-only
/* TAP-style result lines and totals for the host unit tests (see tap.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* Shared with the children of tap_run, so their results count. */
static struct counts {
	unsigned int passed, failed;
} *counts;

static void counts_init(void)
{
	if (counts)
		return;
	counts = mmap(NULL, sizeof(*counts), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED) {
		perror("tap: mmap");
		exit(2);
	}
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

bool tap_result(bool ok, const char *name_fmt, ...)
{
	va_list ap;

	counts_init();
	if (ok)
		counts->passed++;
	else
		counts->failed++;
	printf("%sok %u - ", ok ? "" : "not ", counts->passed + counts->failed);
	va_start(ap, name_fmt);
	vprintf(name_fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return ok;
}

void tap_run_named(void (*fn)(void), const char *name)
{
	unsigned int before;
	pid_t pid;
	int status;

	counts_init();
	before = counts->passed + counts->failed;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("tap: fork");
		exit(2);
	}
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFSIGNALED(status))
		tap_diag("%s: killed by signal %d (sanitizer report above)", name,
			 WTERMSIG(status));
	else
		tap_diag("%s: exited with status %d (sanitizer report above)", name,
			 WEXITSTATUS(status));
	/* The results it printed before dying stand; the crash is one more. */
	tap_result(false, "%s did not finish (%u results reported)", name,
		   counts->passed + counts->failed - before);
}

int tap_summary(void)
{
	counts_init();
	printf("%u passed, %u failed\n", counts->passed, counts->failed);
	return counts->failed ? 1 : 0;
}
