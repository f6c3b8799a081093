// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flag-name tables for vsprintf's %pGp/%pGg/%pGv (Linux: mm/debug.c, the
 * tables only; no dump_page()). They are built from Linux's own lists in
 * <trace/events/mmflags.h>, so flags print by name as on Linux
 * (lib/test_printf.c checks it); they were empty before, and printed
 * numbers.
 */
#include <linux/mm.h>
#include <linux/tracepoint.h>
#include <linux/trace_events.h>
#include <trace/events/mmflags.h>

const struct trace_print_flags pageflag_names[] = {
	__def_pageflag_names,
	{ 0, NULL }
};

const struct trace_print_flags gfpflag_names[] = {
	__def_gfpflag_names,
	{ 0, NULL }
};

const struct trace_print_flags vmaflag_names[] = {
	__def_vmaflag_names,
	{ 0, NULL }
};
