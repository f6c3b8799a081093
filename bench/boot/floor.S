/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The floor of a boot: a PVH image whose first instruction powers QEMU off
 * through isa-debug-exit (status 0x10, as ddeos on success). What QEMU and
 * its firmware cost before any kernel runs; bench/boot/machines times it
 * next to ddeos. Built by that script with the host's gcc and ld.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.pvh, "a"
	.balign 4
	.long 4			/* name size */
	.long 4			/* desc size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.text
	.code32
	.globl pvh_start
pvh_start:
	movw $0xf4, %dx
	movl $0x10, %eax
	outl %eax, %dx
1:	hlt			/* only if there is no isa-debug-exit */
	jmp 1b
