// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flag-name tables for vsprintf's %pGp/%pGg/%pGv (Linux: mm/debug.c). We
 * keep them empty (only the terminator): vsprintf then prints the flags
 * as numbers, which is all a unikernel log needs, without pulling in the
 * page-flag and GFP tables of the whole mm subsystem.
 */
#include <linux/mm.h>
#include <linux/tracepoint.h>
#include <linux/trace_events.h>

const struct trace_print_flags pageflag_names[] = { { 0, NULL } };
const struct trace_print_flags gfpflag_names[] = { { 0, NULL } };
const struct trace_print_flags vmaflag_names[] = { { 0, NULL } };
