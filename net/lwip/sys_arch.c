// SPDX-License-Identifier: GPL-2.0-only
/*
 * lwIP's system layer on ddeos (lwIP asks a NO_SYS port for sys_now(); this
 * file also owns the core lock, lwIP's memory and random numbers, and the
 * thread that runs lwIP's timers). lwIP's core is not thread-safe; ddeos
 * runs it on every CPU under one lock (docs/net.md: why a lock rather than
 * one lwIP thread, and what it costs).
 *
 * Lock order: the core lock, then a TX queue's lock (lwIP's output calls
 * the driver); the core lock is never taken from hard IRQ.
 */
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>
#include "lwip/def.h"
#include "lwip/init.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "lwip_port.h"
#include "../../kernel/waist/ddeos_waist.h"

/* The longest the timer thread sleeps: a timeout added meanwhile (TCP's
 * 250 ms timer starts with the first connection) waits at most this. */
#define TIMER_SLEEP_MAX_MS	50

static struct spinlock core_lock;
static int core_owner = -1;		/* CPU holding core_lock, for asserts */
static bool lwip_running;

void lwip_core_lock(void)
{
	ddeos_net_bh_disable();
	spinlock_lock(&core_lock);
	WRITE_ONCE(core_owner, (int)cpu_id());
}

void lwip_core_unlock(void)
{
	WRITE_ONCE(core_owner, -1);
	spinlock_unlock(&core_lock);
	ddeos_net_bh_enable();
}

bool lwip_core_locked(void)
{
	return READ_ONCE(core_owner) == (int)cpu_id();
}

u32_t sys_now(void)
{
	return (u32_t)(clock_ns() / 1000000);
}

/* lwIP's heap and pools: the kernel's per-CPU pool through the waist,
 * never sleeping (lwIP allocates under the core lock, in softirq too). */
void *lwip_port_malloc(size_t size)
{
	return ddeos_mem_alloc(size, 0, (unsigned long)__builtin_return_address(0));
}

void *lwip_port_calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return ddeos_mem_alloc(n * size, DDEOS_MEM_ZERO,
			       (unsigned long)__builtin_return_address(0));
}

void lwip_port_free(void *p)
{
	ddeos_mem_free(p, (unsigned long)__builtin_return_address(0));
}

/* TCP initial sequence numbers, DHCP transaction ids, ephemeral ports:
 * xorshift64 seeded from the clock, under the core lock. Not for secrets. */
uint32_t lwip_port_rand(void)
{
	static uint64_t x;

	if (!x)
		x = clock_ns() * 0x9e3779b97f4a7c15ull | 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (uint32_t)(x >> 32);
}

int lwip_port_atoi(const char *s)
{
	int v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

char *lwip_port_strstr(const char *s, const char *word)
{
	return lwip_strnstr(s, word, string_len(s));
}

static int lwip_timer_thread(void *unused)
{
	for (;;) {
		u32_t ms;

		lwip_core_lock();
		sys_check_timeouts();
		ms = sys_timeouts_sleeptime();
		lwip_core_unlock();
		thread_sleep_ns((uint64_t)MIN(ms, (u32_t)TIMER_SLEEP_MAX_MS) * 1000000 + 1);
	}
	return 0;
}

bool lwip_port_ready(void)
{
	return READ_ONCE(lwip_running);
}

void lwip_port_init(void)
{
	spinlock_init(&core_lock);
	lwip_core_lock();
	lwip_init();
	lwip_core_unlock();
	WRITE_ONCE(lwip_running, true);
	if (!thread_create(&(struct thread_attr){ .name = "lwip-timers",
						  .prio = SCHED_PRIO_DEFAULT,
						  .cpu = CPU_ANY },
			   lwip_timer_thread, NULL))
		kpanic("lwip: cannot create the timer thread");
	lwip_port_tcp_ack_init();
}
