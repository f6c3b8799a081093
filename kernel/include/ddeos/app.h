/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Apps: code that runs on ddeos once it is up, chosen on the command line
 * with `app=NAME[,NAME...]`. Each app declares itself with APP next to its
 * code (apps/<name>/); kernel/app.c starts the chosen ones, in the order
 * given, after the devices and the network are up.
 */
#ifndef DDEOS_APP_H
#define DDEOS_APP_H

#include <ddeos/types.h>

struct app {
	const char *name;
	/* Start the app (it may create threads and return). Return: 0 or
	 * -errno, reported by name. Context: the main thread, may sleep. */
	int (*start)(void);
};

#define APP(ident, aname, fn)						\
	static const struct app app_##ident				\
		__section(".apps") __used __aligned(8) = { aname, fn }

/* Start the apps of `app=`. Return: how many failed to start.
 * Context: the main thread, once, after the boot's ready line. */
int app_start_selected(void);

#endif
