// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `app=NAME[,NAME...]` option: which of the apps declared with APP or
 * APP_SERVICE (ddeos/app.h) run after boot. An unknown name is a bad value,
 * reported at once and failing the boot, so a typo cannot leave a test
 * waiting for a service or a benchmark that never starts.
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
static bool app_given, app_bad;

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

	app_given = true;
	app_bad = true;		/* until the whole list parsed */
	app_nr_chosen = 0;
	if (!value || !*value)
		return -EINVAL;
	while (*p) {
		const char *end = string_chr(p, ',');
		size_t len = end ? (size_t)(end - p) : string_len(p);
		const struct app *a = app_find(p, len);

		if (!a) {
			kprintf("ddeos: app=: no app '%.*s'\n", (int)len, p);
			return -EINVAL;
		}
		if (app_nr_chosen == APP_MAX) {
			kprintf("ddeos: app=: more than %d apps\n", APP_MAX);
			return -EINVAL;
		}
		app_chosen[app_nr_chosen++] = a;
		p += len + (end ? 1 : 0);
	}
	app_bad = false;
	return 0;
}
KPARAM(app, "app", app_param);

bool app_requested(void)
{
	return app_given;
}

static int app_call(const struct app *a)
{
	int rc = a->run();

	if (rc)
		kprintf("app: %s failed: %d\n", a->name, rc);
	else if (a->service)
		kprintf("app: %s started\n", a->name);
	return rc;
}

bool app_run(bool *ok)
{
	bool completes = app_bad;

	*ok = !app_bad;
	if (app_bad)
		return true;
	for (unsigned int i = 0; i < app_nr_chosen; i++)
		if (app_chosen[i]->service && app_call(app_chosen[i]))
			*ok = false;
	for (unsigned int i = 0; i < app_nr_chosen; i++) {
		if (app_chosen[i]->service)
			continue;
		completes = true;
		if (app_call(app_chosen[i]))
			*ok = false;
	}
	/* A service that failed to start with nothing to wait for: stop. */
	return completes || !*ok;
}
