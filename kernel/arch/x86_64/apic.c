// SPDX-License-Identifier: GPL-2.0-only
/*
 * Local APIC: per-CPU timer (one-shot, reprogrammed by timer.c), IPIs and
 * EOI. x2APIC is used when CPUID reports it (-cpu max under KVM), xAPIC
 * MMIO otherwise (-cpu qemu64; QEMU 7.2's TCG has no x2APIC). Register
 * numbers are the xAPIC MMIO offsets; x2APIC MSR = 0x800 + offset / 16.
 */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>

#define APIC_ID		0x020
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ESR	0x280
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0

#define ICR_INIT	0x00000500
#define ICR_STARTUP	0x00000600
#define ICR_NMI		0x00000400
#define ICR_ASSERT	0x00004000
#define ICR_LEVEL	0x00008000
#define ICR_PENDING	0x00001000
#define ICR_ALL_BUT_SELF 0x000c0000

static volatile uint32_t *apic_mmio;
static bool apic_x2;
static uint64_t apic_timer_hz;
static uint64_t apic_ticks_per_ns;	/* 32.32 fixed point */
uint32_t cpu_apic_ids[MAX_CPUS];

static inline uint32_t apic_read(uint32_t reg)
{
	if (apic_x2)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return apic_mmio[reg / 4];
}

static inline void apic_write(uint32_t reg, uint32_t v)
{
	if (apic_x2)
		wrmsr(0x800 + (reg >> 4), v);
	else
		apic_mmio[reg / 4] = v;
}

bool apic_is_x2apic(void)
{
	return apic_x2;
}

uint32_t apic_read_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_x2 ? id : id >> 24;
}

void apic_init_boot(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	apic_x2 = c & (1u << 21);
	if (apic_x2)		/* MSR access needs x2APIC mode (KVM enforces it) */
		wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11) | (1u << 10));
	else
		apic_mmio = arch_map_mmio(acpi_info.lapic_pa, 4096);
}

/* Context: each CPU once, IRQs off. */
void apic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	base |= 1u << 11;			/* global enable */
	if (apic_x2)
		base |= 1u << 10;		/* x2APIC mode */
	wrmsr(MSR_APIC_BASE, base);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_ERROR, VEC_ERROR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	apic_write(APIC_TIMER_DIV, 0xb);	/* divide by 1 */
	apic_write(APIC_LVT_TIMER, VEC_TIMER);	/* one-shot */
	apic_write(APIC_TIMER_INIT, 0);
}

void arch_irq_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

static void apic_icr(uint32_t apic_id, uint32_t lo)
{
	if (apic_x2) {
		wrmsr(0x830, ((uint64_t)apic_id << 32) | lo);
		return;
	}
	apic_write(APIC_ICR_HI, apic_id << 24);
	apic_write(APIC_ICR_LO, lo);
	while (apic_read(APIC_ICR_LO) & ICR_PENDING)
		cpu_relax();
}

/* Context: any; IRQs are disabled around the two-register xAPIC write. */
void arch_send_ipi(unsigned int cpu, unsigned int vector)
{
	unsigned long flags = arch_irq_save();

	apic_icr(cpu_apic_ids[cpu], vector);
	arch_irq_restore(flags);
}

void arch_send_nmi_all_but_self(void)
{
	apic_icr(0, ICR_NMI | ICR_ASSERT | ICR_ALL_BUT_SELF);
}

void apic_send_init(uint32_t apic_id)
{
	apic_icr(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
}

void apic_send_sipi(uint32_t apic_id, uint8_t page)
{
	apic_icr(apic_id, ICR_STARTUP | page);
}

/* Measure the timer's rate against the calibrated TSC clock. */
void apic_timer_calibrate(void)
{
	uint64_t t0, t1;
	uint32_t left;

	apic_write(APIC_LVT_TIMER, VEC_TIMER | (1 << 16));	/* masked */
	apic_write(APIC_TIMER_INIT, 0xffffffff);
	t0 = arch_clock_ns();
	while ((t1 = arch_clock_ns()) - t0 < 1000000)	/* 1 ms */
		cpu_relax();
	left = apic_read(APIC_TIMER_CUR);
	apic_write(APIC_TIMER_INIT, 0);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
	apic_timer_hz = (uint64_t)(0xffffffffu - left) * 1000000000ull / (t1 - t0);
	if (!apic_timer_hz)
		kpanic("APIC timer does not count");
	apic_ticks_per_ns = (apic_timer_hz << 32) / 1000000000ull;
}

uint64_t apic_timer_rate(void)
{
	return apic_timer_hz;
}

/* Context: IRQs off (the timer is CPU-local). */
void arch_timer_set_oneshot(uint64_t delta_ns)
{
	uint64_t ticks = (uint64_t)(((unsigned __int128)delta_ns * apic_ticks_per_ns) >> 32);

	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	apic_write(APIC_TIMER_INIT, (uint32_t)ticks);
}
