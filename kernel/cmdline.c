// SPDX-License-Identifier: GPL-2.0-only
/* Applying the command line to the options the kernel declared (KPARAM). */
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/string.h>

extern const struct kparam __kparams_start[], __kparams_end[];
static int (*linux_param_hook)(const char *key, const char *value);

static void apply_one(const char *key, const char *value, void *ctx)
{
	int *errors = ctx;

	if (!*key) {
		/* cmdline_split() reports an over-long word, or "=value", so. */
		if (value && string_len(value) >= CMDLINE_WORD_MAX - 1)
			kprintf("ddeos: unknown option '%.40s...': word too long\n", value);
		else
			kprintf("ddeos: unknown option '=%s': no name before '='\n",
				value ? value : "");
		(*errors)++;
		return;
	}
	for (const struct kparam *p = __kparams_start; p < __kparams_end; p++) {
		if (string_cmp(p->name, key))
			continue;
		if (p->set(value)) {
			kprintf("ddeos: bad value for option '%s': '%s'\n", key,
				value ? value : "(none)");
			(*errors)++;
		}
		return;
	}
	if (linux_param_hook) {
		int r = linux_param_hook(key, value);

		if (!r)
			return;
		if (r != -ENOENT) {
			kprintf("ddeos: bad value for option '%s': '%s'\n", key,
				value ? value : "(none)");
			(*errors)++;
			return;
		}
	}
	kprintf("ddeos: unknown option '%s%s%s'\n", key, value ? "=" : "",
		value ? value : "");
	(*errors)++;
}

/* The DDE's: Linux's module and boot parameters (ddeos_set_param_hook). */
void cmdline_set_linux_hook(int (*hook)(const char *key, const char *value))
{
	linux_param_hook = hook;
}

void cmdline_apply(const char *line)
{
	int errors = 0;

	cmdline_split(line, apply_one, &errors);
	if (errors)
		kprintf("ddeos: %d command-line option(s) ignored; see docs/options.md\n",
			errors);
}
