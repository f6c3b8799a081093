// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symbol names for vsprintf's %pS, %ps and %pB (Linux: kernel/kallsyms.c).
 * The names come from the ddeos symbol table, which covers the whole image
 * (kernel, DDE and Linux objects). Differences: no "/0xsize" suffix (the
 * table keeps no sizes) and no build IDs (there are no modules).
 */
#include <linux/kallsyms.h>
#include <linux/string.h>
#include <dde/dde.h>

static int name_of(char *buffer, unsigned long address, bool offset)
{
	char *plus;

	ddeos_symbolize(address, buffer, KSYM_SYMBOL_LEN);
	if (!strcmp(buffer, "?"))
		return sprintf(buffer, "0x%lx", address);
	if (!offset && (plus = strchr(buffer, '+')))
		*plus = '\0';
	return strlen(buffer);
}

int sprint_symbol(char *buffer, unsigned long address)
{
	return name_of(buffer, address, true);
}

int sprint_symbol_build_id(char *buffer, unsigned long address)
{
	return name_of(buffer, address, true);
}

int sprint_symbol_no_offset(char *buffer, unsigned long address)
{
	return name_of(buffer, address, false);
}

/* A return address: look up the call instruction before it, as Linux does,
 * but print the offset of the return address itself. */
int sprint_backtrace(char *buffer, unsigned long address)
{
	int n = name_of(buffer, address - 1, true);
	char *off = strstr(buffer, "+0x");

	if (off)
		n = (off - buffer) + sprintf(off, "+0x%lx",
					     simple_strtoul(off + 3, NULL, 16) + 1);
	return n;
}

int sprint_backtrace_build_id(char *buffer, unsigned long address)
{
	return sprint_backtrace(buffer, address);
}
