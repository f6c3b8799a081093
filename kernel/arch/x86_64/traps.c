// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IDT and what happens on each vector: exceptions are reported (name,
 * error code, registers, faulting address, symbolised backtrace) and stop
 * the machine; NMIs stop a CPU during a panic; everything else is an
 * interrupt for irq.c.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/irq.h>
#include <ddeos/ksyms.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/stack.h>
#include "../../waist/ddeos_waist.h"

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

static struct idt_entry idt[256] __aligned(16);
extern char vector_stubs[], vector_stubs_end[];

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP", "alignment check",
	"machine check", "SIMD FP", "virtualization", "control protection",
	[29] = "VMM communication", [30] = "security",
};

static void set_gate(unsigned int v, unsigned int ist)
{
	uint64_t a = (uint64_t)vector_stubs + 16 * v;

	idt[v] = (struct idt_entry){
		.off_lo = (uint16_t)a, .sel = 0x08, .ist = (uint8_t)ist,
		.type = 0x8e,		/* present, interrupt gate: IRQs off */
		.off_mid = (uint16_t)(a >> 16), .off_hi = (uint32_t)(a >> 32),
	};
}

void arch_irq_init(void)
{
	if (vector_stubs_end - vector_stubs != 256 * 16)
		kpanic("entry.S: vector stubs are not 16 bytes each");
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, 0);
	/* The legacy PICs stay masked: we use the IOAPIC. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	idt_load();
}

/* Once the boot CPU has a TSS (gdt.c): give the fatal vectors own stacks. */
void arch_irq_init_ist(void)
{
	set_gate(8, 1);		/* double fault: IST1 */
	set_gate(2, 2);		/* NMI: IST2 */
	set_gate(18, 3);	/* machine check: IST3 */
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" :: "m"(desc));
}

/*
 * A fault on a stack's guard page, or a double fault whose stack pointer is
 * in one (the CPU could not push the page fault's frame): name the stack.
 */
static void report_stack_overflow(const struct trap_frame *f)
{
	uint64_t base = stack_guard_hit(f->rsp);
	struct thread *me = sched_current();

	if (!base && f->vector == 14)
		base = stack_guard_hit(read_cr2());
	if (!base)
		return;
	if (me && (uint64_t)me->stack == base)
		kprintf("STACK OVERFLOW: thread '%s' ran off its stack [%#llx-%#llx) into the guard page\n",
			me->name, (unsigned long long)base,
			(unsigned long long)base + STACK_SIZE);
	else if (arch_on_irq_stack(base))
		kprintf("STACK OVERFLOW: cpu %u's IRQ stack [%#llx-%#llx) ran into its guard page\n",
			cpu_id(), (unsigned long long)base,
			(unsigned long long)base + STACK_SIZE);
	else
		kprintf("STACK OVERFLOW: the stack [%#llx-%#llx) ran into its guard page\n",
			(unsigned long long)base, (unsigned long long)base + STACK_SIZE);
}

static void report_exception(const struct trap_frame *f)
{
	const char *name = f->vector < 32 && exc_names[f->vector] ?
			   exc_names[f->vector] : "unknown";
	char sym[KSYM_NAME_MAX];

	ksyms_format(f->rip, sym, sizeof(sym));
	kprintf("\nEXCEPTION: %s (vector %llu, error %#llx) on cpu %u in thread '%s'\n",
		name, (unsigned long long)f->vector,
		(unsigned long long)f->error, cpu_id(), sched_current_name());
	kprintf("RIP: %#018llx %s\n", (unsigned long long)f->rip, sym);
	report_stack_overflow(f);
	if (f->vector == 14)
		kprintf("fault address (CR2): %#018llx (%s, %s)\n",
			(unsigned long long)read_cr2(),
			f->error & 1 ? "protection" : "not present",
			f->error & 2 ? "write" : "read");
	kprintf("RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n"
		"RSI %016llx RDI %016llx RBP %016llx RSP %016llx\n"
		"R8  %016llx R9  %016llx R10 %016llx R11 %016llx\n"
		"R12 %016llx R13 %016llx R14 %016llx R15 %016llx\n"
		"RFLAGS %08llx CS %04llx SS %04llx preempt_count %#x\n",
		(unsigned long long)f->rax, (unsigned long long)f->rbx,
		(unsigned long long)f->rcx, (unsigned long long)f->rdx,
		(unsigned long long)f->rsi, (unsigned long long)f->rdi,
		(unsigned long long)f->rbp, (unsigned long long)f->rsp,
		(unsigned long long)f->r8, (unsigned long long)f->r9,
		(unsigned long long)f->r10, (unsigned long long)f->r11,
		(unsigned long long)f->r12, (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15,
		(unsigned long long)f->rflags, (unsigned long long)f->cs,
		(unsigned long long)f->ss, percpu_read(__preempt_count));
	arch_backtrace(f->rbp, f->rip);
}

/* The DDE's __ex_table fixups for page and protection faults. */
_Static_assert(sizeof(struct ddeos_trap_regs) == sizeof(struct trap_frame) &&
	       __builtin_offsetof(struct ddeos_trap_regs, rip) ==
	       __builtin_offsetof(struct trap_frame, rip) &&
	       __builtin_offsetof(struct ddeos_trap_regs, rbx) ==
	       __builtin_offsetof(struct trap_frame, rbx),
	       "the waist's trap registers are the trap frame");
static int (*fault_hook)(struct ddeos_trap_regs *regs, unsigned long fault_addr);

void arch_set_fault_hook(int (*hook)(struct ddeos_trap_regs *, unsigned long))
{
	fault_hook = hook;
}

/* The DDE's handler for Linux's WARN/BUG (ud2 with a __bug_table entry). */
static int (*ud_hook)(unsigned long *rip, unsigned long rbp);

void arch_set_ud_hook(int (*hook)(unsigned long *rip, unsigned long rbp))
{
	ud_hook = hook;
}

/* Context: any; IRQs off (interrupt gates). */
void trap_dispatch(struct trap_frame *f)
{
	if (f->vector >= 32) {
		irq_handle((unsigned int)f->vector);
		return;
	}
	if (f->vector == 2) {
		/* NMIs are only used to stop CPUs on panic. */
		if (panic_in_progress())
			arch_halt_forever();
		kprintf("ddeos: unexpected NMI on cpu %u\n", cpu_id());
		return;
	}
	if ((f->vector == 14 || f->vector == 13) && fault_hook &&
	    fault_hook((struct ddeos_trap_regs *)f, f->vector == 14 ? read_cr2() : 0))
		return;
	if (f->vector == 6 && ud_hook) {
		unsigned long rip = f->rip;

		if (ud_hook(&rip, f->rbp)) {
			f->rip = rip;
			return;
		}
	}
	report_exception(f);
	panic_stop();
}
