// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt routing tests: a device vector allocated on a chosen CPU runs
 * its handler there, in hard-IRQ context (delivered as the fixed-mode
 * interrupt an MSI write produces); the MSI message names that CPU; a
 * legacy interrupt (the PIT on ISA IRQ 0) routed through the IOAPIC to a
 * chosen CPU arrives there.
 */
#include <arch/cpu.h>
#include <ddeos/arch.h>
#include <ddeos/irq.h>
#include <ddeos/ktest.h>
#include <ddeos/mutex.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/stack.h>
#include <ddeos/timer.h>

#define MS	1000000ull

struct hit {
	volatile unsigned int cpu;
	volatile bool in_irq;
	volatile bool on_irq_stack;	/* not on the interrupted thread's */
	volatile int count;
};

static void hit_handler(void *arg)
{
	struct hit *h = arg;
	uint64_t sp = (uint64_t)__builtin_frame_address(0);
	struct thread *me = sched_current();

	h->cpu = cpu_id();
	h->in_irq = in_hardirq() && !arch_irqs_enabled();
	h->on_irq_stack = arch_on_irq_stack(sp) &&
			  !(sp >= (uint64_t)me->stack && sp < (uint64_t)me->stack + STACK_SIZE);
	h->count++;
}

static bool wait_for(volatile int *v, int want)
{
	uint64_t t0 = clock_ns();

	while (*v < want)
		if (clock_ns() - t0 > 2000 * MS)
			return false;
	return true;
}

static void vector_runs_on_its_cpu(struct ddeos_ktest *t)
{
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
		struct hit h = { .cpu = ~0u };
		int v = irq_vector_alloc(cpu, hit_handler, &h);
		uint64_t addr;
		uint32_t data;

		KTEST_ASSERT(t, v >= 0x30, "vector %d", v);
		KTEST_EXPECT(t, msi_compose(cpu, (unsigned int)v, &addr, &data) == 0);
		KTEST_EXPECT(t, addr == (0xfee00000ull | (uint64_t)arch_cpu_apic_id(cpu) << 12));
		KTEST_EXPECT(t, data == (uint32_t)v);
		arch_send_ipi(cpu, (unsigned int)v);
		KTEST_EXPECT(t, wait_for(&h.count, 1), "no interrupt on cpu %u", cpu);
		KTEST_EXPECT(t, h.cpu == cpu && h.in_irq);
		KTEST_EXPECT(t, h.on_irq_stack, "cpu %u: handler ran on the thread's stack", cpu);
		KTEST_EXPECT(t, irq_count(cpu, (unsigned int)v) == 1);
		irq_vector_free(cpu, v);
	}
}

/*
 * A vector freed and allocated again while its CPU keeps taking it: each
 * call must see a whole record (its own argument), and once
 * irq_vector_free() returns the old handler must not be running. The
 * handler lingers a little so that a free that does not wait is caught.
 */
struct rec {
	uint32_t magic;
	volatile bool freed;
};

static volatile int mixed, after_free, calls;

static void rec_handler(struct rec *r, uint32_t magic)
{
	uint64_t t0 = clock_ns();

	if (r->magic != magic)
		mixed++;
	while (clock_ns() - t0 < 20000)
		arch_cpu_relax();
	if (r->freed)
		after_free++;
	calls++;
}

static void rec_handler_a(void *arg)
{
	rec_handler(arg, 0xaaaa);
}

static void rec_handler_b(void *arg)
{
	rec_handler(arg, 0xbbbb);
}

struct firer {
	volatile bool stop;
	volatile int vector;
	unsigned int target;
};

static int fire_loop(void *arg)
{
	struct firer *f = arg;

	while (!f->stop) {
		int v = f->vector;

		if (v > 0)
			arch_send_ipi(f->target, (unsigned int)v);
		arch_cpu_relax();
	}
	return 0;
}

static void free_waits_for_running_handler(struct ddeos_ktest *t)
{
	static struct rec ra = { .magic = 0xaaaa }, rb = { .magic = 0xbbbb };
	struct firer f = { .target = 1 };
	struct thread *th;
	int round, c0;

	if (smp_cpus_online() < 3) {
		t->skip = "needs three CPUs: a target, a firer and a freer";
		return;
	}
	mixed = after_free = calls = 0;
	th = thread_create(&(struct thread_attr){ .name = "firer", .cpu = 2,
						 .prio = SCHED_PRIO_DEFAULT },
			   fire_loop, &f);
	KTEST_ASSERT(t, th != NULL);
	for (round = 0; round < 200; round++) {
		struct rec *r = round & 1 ? &rb : &ra;
		int v;

		r->freed = false;
		v = irq_vector_alloc(1, round & 1 ? rec_handler_b : rec_handler_a, r);
		KTEST_ASSERT(t, v >= 0);
		c0 = calls;
		f.vector = v;
		while (calls == c0)		/* the handler is being taken */
			arch_cpu_relax();
		irq_vector_free(1, v);
		r->freed = true;		/* from here it must not run */
	}
	f.vector = -1;
	f.stop = true;
	thread_join(th);
	KTEST_EXPECT(t, mixed == 0, "%d calls saw another record's argument", mixed);
	KTEST_EXPECT(t, after_free == 0, "%d calls still running after free", after_free);
}

static void vectors_run_out_cleanly(struct ddeos_ktest *t)
{
	int got[256], n = 0, v;
	struct hit h;

	while ((v = irq_vector_alloc(0, hit_handler, &h)) >= 0 && n < 256)
		got[n++] = v;
	KTEST_EXPECT(t, v < 0, "no error when vectors ran out");
	KTEST_EXPECT(t, n > 100, "only %d device vectors", n);
	for (int i = 0; i < n; i++)
		irq_vector_free(0, got[i]);
	v = irq_vector_alloc(0, hit_handler, &h);
	KTEST_EXPECT(t, v >= 0, "vectors not reusable after free");
	irq_vector_free(0, v);
}

/* PIT channel 0, mode 0 (interrupt on terminal count), ~1 ms. */
static void pit_oneshot(void)
{
	outb(0x43, 0x30);
	outb(0x40, 1193 & 0xff);
	outb(0x40, 1193 >> 8);
}

static void ioapic_routes_legacy_irq(struct ddeos_ktest *t)
{
	unsigned int cpu = smp_cpus_online() - 1;
	struct hit h = { .cpu = ~0u };
	bool level, low;
	uint32_t gsi = ioapic_isa_to_gsi(0, &level, &low);
	int v = irq_vector_alloc(cpu, hit_handler, &h);

	KTEST_ASSERT(t, v >= 0);
	KTEST_ASSERT(t, ioapic_route(gsi, cpu, (unsigned int)v, level, low) == 0);
	pit_oneshot();
	KTEST_EXPECT(t, wait_for(&h.count, 1), "PIT interrupt never arrived (GSI %u)", gsi);
	KTEST_EXPECT(t, h.cpu == cpu, "arrived on cpu %u, routed to %u", h.cpu, cpu);
	KTEST_EXPECT(t, ioapic_mask(gsi) == 0);
	irq_vector_free(cpu, v);
	KTEST_EXPECT(t, ioapic_route(0xffff, cpu, (unsigned int)v, false, false) != 0);
}

static const struct ddeos_ktest_case irq_cases[] = {
	{ "vector_runs_on_its_cpu", vector_runs_on_its_cpu },
	{ "vectors_run_out_cleanly", vectors_run_out_cleanly },
	{ "free_waits_for_running_handler", free_waits_for_running_handler },
	{ "ioapic_routes_legacy_irq", ioapic_routes_legacy_irq },
};
KTEST_SUITE(irq, "irq", irq_cases);
