/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Apps: programs under apps/<name>/ linked into the image and chosen with
 * app=NAME[,NAME...] on the command line. A service (APP_SERVICE: udpecho,
 * tcpecho) starts and returns, and ddeos keeps running; a run-to-completion
 * app (APP: blkbench) runs on the main thread after the services started,
 * and its result decides the poweroff status. An app takes its options as
 * NAME.key=value words (KPARAM), listed in docs/options.md.
 */
#ifndef DDEOS_APP_H
#define DDEOS_APP_H

#include <ddeos/types.h>

struct app {
	const char *name;
	/* Return: 0 on success, else -errno (reported by name).
	 * Context: the main thread, may sleep. */
	int (*run)(void);
	bool service;	/* run() starts it and returns; it keeps running */
};

#define DEFINE_APP(ident, aname, fn, is_service)			\
	static const struct app app_##ident				\
		__section(".apps") __used __aligned(8) = { aname, fn, is_service }
/* An app that runs to completion; ddeos powers off with its result. */
#define APP(ident, aname, fn)		DEFINE_APP(ident, aname, fn, false)
/* A service: fn starts it (threads, callbacks) and returns. */
#define APP_SERVICE(ident, aname, fn)	DEFINE_APP(ident, aname, fn, true)

/* Whether app= was given (even with a bad name: then app_run() fails). */
bool app_requested(void);
/*
 * Start the chosen services, then run the chosen run-to-completion apps in
 * order. Return: true if there were run-to-completion apps (or a bad app=)
 * and the caller should power off; *ok says whether all succeeded.
 * Context: the main thread, once, after the boot's ready line.
 */
bool app_run(bool *ok);

#endif
