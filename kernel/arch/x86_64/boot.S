/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH entry. QEMU (or any PVH loader) enters pvh_start in 32-bit protected
 * mode, paging off, with %ebx holding the physical address of the
 * hvm_start_info. We map the first GiB three times (identity, direct map at
 * PAGE_OFFSET, kernel map at __START_KERNEL_map) with 2 MiB pages, enter long
 * mode and continue in C at the kernel's virtual address. The full direct
 * map of all RAM is built later, in C (paging.c).
 */
#include <arch/layout.h>

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PA(x)	((x) - KERNEL_VMA)

	.section .note.pvh, "a"
	.balign 4
	.long 4			/* name size */
	.long 4			/* desc size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.section .boot.text, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	mov	%ebx, boot_start_info_pa
	rdtsc
	mov	%eax, boot_tsc
	mov	%edx, boot_tsc + 4

	/* Zero .bss (the loader should have, but do not depend on it). */
	mov	$PA(__bss_start), %edi
	mov	$PA(__bss_end), %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* PAE */
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx		/* EFER */
	rdmsr
	or	$(1 << 8), %eax			/* LME */
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	mov	%eax, %cr0
	lgdt	boot_gdt_desc
	ljmp	$0x08, $boot_long

	.code64
boot_long:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	movabs	$boot_high, %rax
	jmp	*%rax

	.section .boot.data, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt_low + 3
	.fill	272, 8, 0
	.quad	boot_pdpt_dmap + 3		/* 273: PAGE_OFFSET */
	.fill	237, 8, 0
	.quad	boot_pdpt_kern + 3		/* 511: __START_KERNEL_map */
boot_pdpt_low:
	.quad	boot_pd + 3
	.fill	511, 8, 0
boot_pdpt_dmap:
	.quad	boot_pd + 3
	.fill	511, 8, 0
boot_pdpt_kern:
	.fill	510, 8, 0
	.quad	boot_pd + 3
	.quad	0
boot_pd:
	.set	i, 0
	.rept	512
	.quad	(i << 21) | 0x83		/* present, writable, 2 MiB */
	.set	i, i + 1
	.endr

	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
boot_gdt_desc:
	.word	boot_gdt_desc - boot_gdt - 1
	.long	boot_gdt
	.globl boot_start_info_pa, boot_tsc
boot_start_info_pa:
	.long	0
	.balign 8
boot_tsc:
	.quad	0

	.text
boot_high:
	movabs	$boot_stack_top, %rsp
	xor	%ebp, %ebp
	/* Per-CPU accesses (%gs:sym) use the template until per-CPU areas exist. */
	movabs	$__per_cpu_load, %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	mov	$0xc0000101, %ecx		/* GS base */
	wrmsr
	mov	boot_start_info_pa, %edi
	call	boot_main
1:	cli
	hlt
	jmp	1b

	.bss
	.balign 16
boot_stack:
	.skip	16384
boot_stack_top:
