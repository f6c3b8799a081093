// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `app=NAME[,NAME...]` option: which of the apps declared with APP
 * (ddeos/app.h) to start after boot. An unknown name is a bad value,
 * reported at once, so a typo cannot leave a test waiting for a service.
 */
#include <ddeos/app.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/string.h>

#define APP_MAX	8

extern const struct app __apps_start[], __apps_end[];
static const struct app *app_chosen[APP_MAX];
static unsigned int app_nr_chosen;

static const struct app *app_find(const char *name, size_t len)
{
	for (const struct app *a = __apps_start; a < __apps_end; a++)
		if (string_len(a->name) == len && !string_ncmp(a->name, name, len))
			return a;
	return NULL;
}

static int app_param(const char *value)
{
	const char *p = value;

	if (!value || !*value)
		return -EINVAL;
	app_nr_chosen = 0;
	while (*p) {
		const char *end = string_chr(p, ',');
		size_t len = end ? (size_t)(end - p) : string_len(p);
		const struct app *a = app_find(p, len);

		if (!a) {
			kprintf("ddeos: app=: no app '%.*s'\n", (int)len, p);
			app_nr_chosen = 0;
			return -EINVAL;
		}
		if (app_nr_chosen == APP_MAX)
			return -EINVAL;
		app_chosen[app_nr_chosen++] = a;
		p += len + (end ? 1 : 0);
	}
	return 0;
}
KPARAM(app, "app", app_param);

int app_start_selected(void)
{
	int failed = 0;

	for (unsigned int i = 0; i < app_nr_chosen; i++) {
		int rc = app_chosen[i]->start();

		if (rc) {
			kprintf("app: %s failed to start: %d\n", app_chosen[i]->name, rc);
			failed++;
		} else {
			kprintf("app: %s started\n", app_chosen[i]->name);
		}
	}
	return failed;
}
