// SPDX-License-Identifier: GPL-2.0-only
/*
 * phys_base (Linux: arch/x86/kernel/head_64.S): the difference between
 * where the kernel was linked to run physically and where it runs. ddeos
 * is loaded at exactly its link address (kernel/arch/x86_64/linker.ld:
 * virtual = __START_KERNEL_map + physical), so it is 0, and Linux's
 * __pa_symbol() is right.
 */
#include <asm/page.h>

unsigned long phys_base = 0;
