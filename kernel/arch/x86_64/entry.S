/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt and exception entry, and the thread switch. Every vector has a
 * stub that pushes (error code or 0, vector) and joins trap_common, which
 * saves the general registers as a struct trap_frame (arch/trap.h). We only
 * ever run in ring 0, so there is no swapgs: GS always holds this CPU's
 * per-CPU base.
 */
#include <ddeos/stack.h>

	.text

	/* 256 stubs of 16 bytes each: vector n's stub is at vector_stubs + 16n. */
	.balign 16
	.globl	vector_stubs
vector_stubs:
	.set	n, 0
	.rept	256
	.balign 16
	.if (n == 8) || ((n >= 10) && (n <= 14)) || (n == 17) || (n == 21) || (n == 29) || (n == 30)
	.else
	pushq	$0
	.endif
	pushq	$n
	jmp	trap_common
	.set	n, n + 1
	.endr
	.balign 16
	.globl	vector_stubs_end
vector_stubs_end:

trap_common:
	cld
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	/* Let backtraces walk from the interrupted frame. */
	mov	15*8+2*8(%rsp), %rax
	push	%rax			/* interrupted rip as a fake return address */
	push	%rbp
	mov	%rsp, %rbp
	/*
	 * Interrupts (vector >= 32) run on this CPU's IRQ stack, as Linux's
	 * do not borrow the interrupted thread's: unless already on it (an
	 * interrupt nested in a softirq), switch. Exceptions stay where they
	 * happened. rbx (saved in the frame) remembers the way back.
	 */
	mov	%rsp, %rbx
	cmpq	$32, 15*8(%rdi)
	jb	1f
	mov	%gs:irq_stack_top, %rax
	mov	%rax, %rcx
	sub	%rsp, %rcx
	cmp	$STACK_SIZE, %rcx
	jb	1f
	mov	%rax, %rsp
1:	call	trap_dispatch
	/* Backtraces know the frame above this return address holds the
	 * exact interrupted rip, not a return address (backtrace.c). */
	.globl	trap_dispatch_return
trap_dispatch_return:
	mov	%rbx, %rsp
	/* Back on the interrupted stack: only there may the exit switch
	 * threads (the IRQ stack is the CPU's, not the thread's). */
	cmpq	$32, 16+15*8(%rsp)
	jb	2f
	call	irq_exit_preempt
2:	add	$16, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp
	iretq

/*
 * struct thread *arch_switch(void **prev_sp, void *next_sp, struct thread *prev)
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *prev_sp, and resumes the thread whose saved stack is next_sp.
 * The resumed thread sees `prev` as the return value: the thread that ran
 * before it on this CPU.
 */
	.globl	arch_switch
arch_switch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	mov	%rdx, %rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

/* First return of a new thread: hand `prev` to the C side. */
	.globl	arch_thread_entry
arch_thread_entry:
	mov	%rax, %rdi
	xor	%ebp, %ebp
	call	sched_thread_start
	ud2

/*
 * void arch_call_on_stack(void *top, void (*fn)(void)): the boot CPU leaves
 * its image-resident boot stack for a guarded one. rbp 0 ends backtraces.
 */
	.globl	arch_call_on_stack
arch_call_on_stack:
	mov	%rdi, %rsp
	xor	%ebp, %ebp
	call	*%rsi
	ud2
