/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel command line: space-separated `key` and `key=value` words. Each
 * option is declared with KPARAM next to the code it configures, and listed
 * with its default in docs/options.md.
 */
#ifndef DDEOS_CMDLINE_H
#define DDEOS_CMDLINE_H

#include <ddeos/types.h>

struct kparam {
	const char *name;
	/* Return: 0, or -EINVAL for a bad value (value is NULL for `key`). */
	int (*set)(const char *value);
};

#define KPARAM(ident, pname, fn)					\
	static const struct kparam kparam_##ident			\
		__section(".kparams") __used __aligned(8) = { pname, fn }

/*
 * Split @line into words and call @fn(key, value) for each; @value is NULL
 * for a bare `key`. Words longer than CMDLINE_WORD_MAX are reported to @fn
 * truncated with key "" so the caller can flag them. Pure logic, host-tested.
 */
#define CMDLINE_WORD_MAX	256
void cmdline_split(const char *line,
		   void (*fn)(const char *key, const char *value, void *ctx),
		   void *ctx);

/* Apply every option of @line to the KPARAM table; print what is wrong. */
void cmdline_apply(const char *line);

/*
 * Parse a decimal number with an optional K, M or G suffix (powers of
 * 1024, as Linux's memparse()) into @out. Return: 0, or -EINVAL for no
 * digits, junk after the number, or a value above @max.
 */
int cmdline_parse_u64(const char *value, uint64_t max, uint64_t *out);

/* Words no KPARAM takes go to @hook first (the DDE's Linux parameters). */
void cmdline_set_linux_hook(int (*hook)(const char *key, const char *value));

#endif
