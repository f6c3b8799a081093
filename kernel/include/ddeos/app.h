/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Apps: programs under apps/<name>/ linked into the image and chosen with
 * app=NAME on the command line; one runs on the main thread after the
 * ready line and its result decides the poweroff status. An app takes its
 * options as NAME.key=value words (KPARAM), listed in docs/options.md.
 */
#ifndef DDEOS_APP_H
#define DDEOS_APP_H

#include <ddeos/types.h>

struct app {
	const char *name;
	/* Return: 0 on success. Context: the main thread, may sleep. */
	int (*main)(void);
};

#define APP(ident, aname, fn)						\
	static const struct app app_##ident				\
		__section(".apps") __used __aligned(8) = { aname, fn }

/* Whether app= chose one. */
bool app_requested(void);
/* Run the chosen app. Return: its result. Context: the main thread. */
int app_run(void);

#endif
