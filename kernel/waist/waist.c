// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel side of the waist (ddeos_waist.h): each entry forwards to the
 * kernel subsystem that owns it. Nothing here may block unless its entry
 * says so; the DDE relies on the stated contexts.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/irq.h>
#include <ddeos/ksyms.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/spinlock.h>
#include <ddeos/stack.h>
#include "ddeos_waist.h"

_Static_assert(sizeof(struct spinlock) == 4, "a Linux spinlock_t is 4 bytes");
_Static_assert(DDEOS_MAX_CPUS == MAX_CPUS, "the waist's CPU limit is the kernel's");
_Static_assert(DDEOS_TICK_HZ * SCHED_SLICE_NS == 1000000000ull,
	       "the waist's tick rate is the scheduler's");

void ddeos_console_write(const char *s, unsigned long n)
{
	console_write(s, n);
}

void ddeos_backtrace_here(void)
{
	const uint64_t *frame = __builtin_frame_address(0);

	arch_backtrace(frame[0], frame[1] - 1);
}

void ddeos_backtrace(unsigned long rbp, unsigned long rip)
{
	arch_backtrace(rbp, rip);
}

void ddeos_symbolize(unsigned long addr, char *buf, unsigned long size)
{
	ksyms_format(addr, buf, size);
}

void ddeos_panic(const char *msg)
{
	kpanic("%s", msg);
}

unsigned int ddeos_cpus_online(void)
{
	return smp_cpus_online();
}

unsigned int ddeos_cpus_possible(void)
{
	return arch_cpus_possible();
}

unsigned long long ddeos_clock_ns(void)
{
	return clock_ns();
}

void ddeos_set_tick_hook(void (*hook)(void))
{
	if (sched_add_tick_hook(hook))
		kpanic("waist: no room for another tick hook");
}

void ddeos_preempt(void)
{
	sched_preempt();
}

void ddeos_idle_poll_hint(void)
{
	sched_idle_poll_hint();
}

int ddeos_idle_will_poll(void)
{
	return sched_idle_will_poll();
}

static int (*dde_idle_armed)(void);

static bool idle_poller_armed(void)
{
	return dde_idle_armed();
}

void ddeos_set_idle_poller(void (*poll)(void), void (*end)(void),
			   int (*armed)(void))
{
	static struct sched_idle_poller poller;

	dde_idle_armed = armed;
	poller.poll = poll;
	poller.end = end;
	poller.armed = idle_poller_armed;
	sched_set_idle_poller(&poller);
}

void ddeos_yield(void)
{
	thread_yield();
}

void ddeos_sleep_ns(unsigned long long ns)
{
	thread_sleep_ns(ns);
}

void ddeos_assert_may_sleep(const void *caller)
{
	sched_assert_may_sleep(caller);
}

void ddeos_set_thread_hooks(void *(*create)(const char *name, unsigned int cpu,
					    void *thread),
			    void (*destroy)(void *task))
{
	thread_set_task_hooks(create, destroy);
}

void ddeos_thread_prepare_block(void)
{
	thread_prepare_block();
}

int ddeos_thread_cancel_block(void)
{
	return thread_cancel_block();
}

int ddeos_thread_block(unsigned long long deadline_ns)
{
	return thread_block_until(deadline_ns);
}

int ddeos_thread_wake(void *thread)
{
	return sched_wake(thread);
}

void *ddeos_thread_stack(void *thread, unsigned long *size)
{
	*size = STACK_SIZE;
	return ((struct thread *)thread)->stack;
}

void ddeos_lock_acquire(void *word)
{
	raw_lock_acquire(word);
}

int ddeos_lock_try(void *word)
{
	return raw_lock_try(word);
}

void ddeos_lock_release(void *word)
{
	raw_lock_release(word);
}

void ddeos_set_ud_hook(int (*hook)(unsigned long *rip, unsigned long rbp))
{
	arch_set_ud_hook(hook);
}

void ddeos_set_fault_hook(int (*hook)(struct ddeos_trap_regs *regs,
				      unsigned long fault_addr))
{
	arch_set_fault_hook(hook);
}

void *ddeos_thread_create(const char *name, int (*fn)(void *), void *arg,
			  int cpu, int prio)
{
	struct thread_attr a = { .name = name, .cpu = cpu, .prio = prio };

	return thread_create(&a, fn, arg);
}

int ddeos_thread_join(void *thread)
{
	return thread_join(thread);
}

void ddeos_thread_detach(void *thread)
{
	thread_detach(thread);
}

void ddeos_thread_exit(int code)
{
	thread_exit(code);
}

int ddeos_thread_pin(int cpu)
{
	return thread_pin(cpu);
}

unsigned int ddeos_cpu_id(void)
{
	return cpu_id();
}

unsigned int ddeos_cpu_llc_id(unsigned int cpu)
{
	return arch_cpu_llc_id(cpu);
}

int ddeos_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
	return smp_run_on_cpu(cpu, fn, arg);
}

int ddeos_ktest_aligned_local(void)
{
	_Alignas(16) volatile char buf[16];
	uintptr_t a = (uintptr_t)buf;

	buf[0] = 1;
	__asm__ ("" : "+r"(a));	/* the compiler may not assume the answer */
	return (a & 15) == 0;
}

void *ddeos_ktest_page_before_hole(void)
{
	char *s = stack_alloc();	/* the next page is a guard */

	return s ? s + STACK_SIZE - PAGE_SIZE : NULL;
}

void ddeos_ktest_page_before_hole_free(void *page)
{
	stack_free((char *)page + PAGE_SIZE - STACK_SIZE);
}

void ddeos_set_param_hook(int (*hook)(const char *key, const char *value))
{
	cmdline_set_linux_hook(hook);
}

const char *ddeos_cmdline(void)
{
	return boot_info.cmdline;
}

void ddeos_set_irq_exit_hook(void (*hook)(void))
{
	irq_set_exit_hook(hook);
}

unsigned long ddeos_irq_stack_top(unsigned int cpu)
{
	return arch_irq_stack_top(cpu);
}
