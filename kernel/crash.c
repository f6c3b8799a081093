// SPDX-License-Identifier: GPL-2.0-only
/*
 * Faults on purpose
 * (crash=pagefault|ud|divide|panic|sleep-atomic|yield-atomic|linux-bug|
 * stack-overflow),
 * so tests
 * can check that a failure is reported with the faulting function named and
 * ends with a failure exit status. The functions are noinline so that the
 * report names them.
 */
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/crash.h>
#include <ddeos/errno.h>
#include <ddeos/panic.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/string.h>
#include "waist/ddeos_waist.h"

static const char *crash_kind;

static int crash_param(const char *value)
{
	static const char *const kinds[] = {
		"pagefault", "ud", "divide", "panic", "sleep-atomic",
		"yield-atomic", "linux-bug", "stack-overflow",
	};

	for (size_t i = 0; value && i < ARRAY_SIZE(kinds); i++) {
		if (!string_cmp(value, kinds[i])) {
			crash_kind = kinds[i];
			return 0;
		}
	}
	return -EINVAL;
}
KPARAM(crash, "crash", crash_param);

static __attribute__((noinline)) void crash_page_fault_on_purpose(void)
{
	*(volatile int *)0x1000 = 1;	/* nothing is mapped below 1 MiB */
}

static __attribute__((noinline)) void crash_invalid_opcode_on_purpose(void)
{
	__asm__ __volatile__("ud2");
}

static __attribute__((noinline)) void crash_divide_on_purpose(void)
{
	unsigned int zero = 0, q;

	/* In asm: gcc may turn a C division by a known zero into no division. */
	__asm__ __volatile__("xor %%edx, %%edx; mov $1, %%eax; div %1"
			     : "=a"(q) : "r"(zero) : "rdx");
	kprintf("%u\n", q);
}

static __attribute__((noinline)) void crash_sleep_atomic_on_purpose(void)
{
	preempt_off();
	thread_sleep_ns(1000);
	preempt_on();	/* not reached; also keeps the call out of tail position */
}

/* A switch with preemption off would hand the count to the next thread. */
static __attribute__((noinline)) void crash_yield_atomic_on_purpose(void)
{
	preempt_off();
	thread_yield();
	preempt_on();
}

/* Recursion with a 512-byte frame: runs into the guard below the stack. */
static volatile int crash_depth_limit = 1 << 30;	/* never reached */

static __attribute__((noinline)) int crash_recurse(volatile char *up, int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	frame[511] = up ? up[0] : 0;
	if (depth >= crash_depth_limit)
		return 0;
	return crash_recurse(frame, depth + 1) + frame[511];
}

static int stack_hog(void *unused)
{
	return crash_recurse(NULL, 0);
}

static __attribute__((noinline)) void crash_stack_overflow_on_purpose(void)
{
	struct thread *t = thread_create(&(struct thread_attr){ .name = "stack-hog",
					 .prio = SCHED_PRIO_DEFAULT, .cpu = CPU_ANY },
					 stack_hog, NULL);

	if (t)
		thread_join(t);
	kprintf("ddeos: crash=stack-overflow: the thread came back\n");
}

void crash_on_request(void)
{
	if (!crash_kind)
		return;
	kprintf("ddeos: crash=%s: faulting on purpose\n", crash_kind);
	if (!string_cmp(crash_kind, "pagefault"))
		crash_page_fault_on_purpose();
	else if (!string_cmp(crash_kind, "ud"))
		crash_invalid_opcode_on_purpose();
	else if (!string_cmp(crash_kind, "divide"))
		crash_divide_on_purpose();
	else if (!string_cmp(crash_kind, "sleep-atomic"))
		crash_sleep_atomic_on_purpose();
	else if (!string_cmp(crash_kind, "yield-atomic"))
		crash_yield_atomic_on_purpose();
	else if (!string_cmp(crash_kind, "stack-overflow"))
		crash_stack_overflow_on_purpose();
	else if (!string_cmp(crash_kind, "linux-bug"))
		ddeos_dde_bug_on_purpose();
	else
		kpanic("crash=panic: panicking on purpose");
	kpanic("crash=%s did not crash", crash_kind);
}
