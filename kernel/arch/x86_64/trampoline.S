/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Application processor start-up code. smpboot.c copies it to physical
 * TRAMPOLINE_PA (below 1 MiB, page aligned) and sends INIT-SIPI-SIPI; the AP
 * starts here in real mode at CS:IP = (TRAMPOLINE_PA >> 4):0, goes through
 * 32-bit protected mode into long mode with the kernel page tables (whose
 * identity map is still present) and jumps to the C entry with its stack.
 * All addresses are computed from the copy's base, since this code runs
 * from the copy, not from where it was linked.
 */
#define TRAMPOLINE_PA	0x8000
#define T(x)		(TRAMPOLINE_PA + (x) - trampoline_start)

	.data
	.balign 16
	.globl	trampoline_start, trampoline_end
	.globl	trampoline_cr3, trampoline_stack, trampoline_entry
trampoline_start:
	.code16
	cli
	cld
	xor	%ax, %ax
	mov	%ax, %ds
	lgdtl	T(tr_gdt_desc)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$0x08, $T(tr_prot)

	.code32
tr_prot:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* PAE */
	mov	%eax, %cr4
	mov	T(trampoline_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	or	$(1 << 8), %eax
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16)), %eax	/* PG, WP */
	mov	%eax, %cr0
	ljmpl	$0x18, $T(tr_long)

	.code64
tr_long:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	T(trampoline_stack), %rsp
	mov	T(trampoline_entry), %rax
	xor	%ebp, %ebp
	jmp	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tr_gdt_desc:
	.word	tr_gdt_desc - tr_gdt - 1
	.long	T(tr_gdt)
	.balign 8
trampoline_cr3:
	.quad	0
trampoline_stack:
	.quad	0
trampoline_entry:
	.quad	0
trampoline_end:
