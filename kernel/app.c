// SPDX-License-Identifier: GPL-2.0-only
/* The app= option: which app (APP() in apps/<name>/) runs after boot. */
#include <ddeos/app.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/string.h>

extern const struct app __apps_start[], __apps_end[];

static const struct app *chosen;
static bool requested;	/* even with a bad name: then app_run() fails */

static int app_param(const char *value)
{
	requested = true;
	if (!value)
		return -EINVAL;
	for (const struct app *a = __apps_start; a < __apps_end; a++) {
		if (!string_cmp(a->name, value)) {
			chosen = a;
			return 0;
		}
	}
	kprintf("ddeos: app=: no app '%s'\n", value);
	return -EINVAL;
}
KPARAM(app, "app", app_param);

bool app_requested(void)
{
	return requested;
}

int app_run(void)
{
	return chosen ? chosen->main() : -EINVAL;
}
