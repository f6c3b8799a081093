// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exception-table fixups (Linux: arch/x86/mm/extable.c). Linux code marks
 * instructions that may fault on purpose with an __ex_table entry; the
 * kernel hands page and protection faults to us first, and we apply the
 * entry's fixup. The objects in the image use one type only:
 * EX_TYPE_ZEROPAD, from load_unaligned_zeropad() in lib/string.c
 * (strscpy's word-at-a-time reads) and lib/siphash.c: a word load that ran
 * off the end of a page into an unmapped one returns the bytes before the
 * boundary and zeros after it. Any other type is left to the kernel, which
 * reports the fault (and the dde-report names the objects with entries).
 *
 * Linux decodes the faulting instruction with its full x86 decoder; the
 * one instruction load_unaligned_zeropad() emits is a 64-bit register load
 * (REX.W 8B /r), so a decoder of that form's ModRM/SIB addressing is
 * enough, and anything else is refused.
 */
#include <linux/kernel.h>
#include <asm/processor.h>
#include <asm/extable.h>
#include <asm/extable_fixup_types.h>
#include <dde/dde.h>

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

static unsigned long ex_insn(const struct exception_table_entry *e)
{
	return (unsigned long)&e->insn + e->insn;
}

static unsigned long ex_fixup(const struct exception_table_entry *e)
{
	return (unsigned long)&e->fixup + e->fixup;
}

/* Register @n (0 rax .. 15 r15, x86 encoding) of the faulting context. */
static unsigned long *reg_ptr(struct ddeos_trap_regs *r, unsigned int n)
{
	unsigned long *const regs[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};

	return regs[n & 15];
}

/*
 * Decode "REX.W 8B /r" at @ip, ending exactly at @end: the load's address
 * and destination register. Return: false if it is not that instruction.
 */
static bool decode_load(struct ddeos_trap_regs *r, const u8 *ip, const u8 *end,
			unsigned long *addr, unsigned long **dst)
{
	unsigned int rex, modrm, mod, reg, rm;
	const u8 *p = ip;
	long disp = 0;

	rex = *p++;
	if ((rex & 0xf8) != 0x48 || *p++ != 0x8b)
		return false;
	modrm = *p++;
	mod = modrm >> 6;
	reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
	rm = modrm & 7;
	if (mod == 3)
		return false;			/* register operand: no load */
	if (rm == 4) {				/* SIB */
		unsigned int sib = *p++;
		unsigned int base = (sib & 7) | (rex & 1 ? 8 : 0);
		unsigned int index = ((sib >> 3) & 7) | (rex & 2 ? 8 : 0);

		*addr = index == 4 ? 0 : *reg_ptr(r, index) << (sib >> 6);
		if ((sib & 7) == 5 && mod == 0) {
			disp = *(const s32 *)p;
			p += 4;
		} else {
			*addr += *reg_ptr(r, base);
		}
	} else if (rm == 5 && mod == 0) {	/* rip-relative */
		disp = *(const s32 *)p;
		p += 4;
		*addr = (unsigned long)end;
	} else {
		*addr = *reg_ptr(r, rm | (rex & 1 ? 8 : 0));
	}
	if (mod == 1) {
		disp = *(const s8 *)p;
		p += 1;
	} else if (mod == 2) {
		disp = *(const s32 *)p;
		p += 4;
	}
	*addr += disp;
	*dst = reg_ptr(r, reg);
	return p == end;
}

/* The load crossed into an unmapped page: keep the mapped bytes, zero the
 * rest (little-endian: the low bytes are the ones before the boundary). */
static bool fixup_zeropad(const struct exception_table_entry *e,
			  struct ddeos_trap_regs *r, unsigned long fault_addr)
{
	unsigned long addr, offset, *dst;

	if (!decode_load(r, (const u8 *)r->rip, (const u8 *)ex_fixup(e), &addr, &dst))
		return false;
	offset = addr & (sizeof(long) - 1);
	addr &= ~(sizeof(long) - 1);
	if (!offset || fault_addr != addr + sizeof(long))
		return false;	/* not a load running off the page */
	*dst = *(const unsigned long *)addr >> (offset * 8);
	r->rip = ex_fixup(e);
	return true;
}

/* Context: a page or protection fault, IRQs off. */
static int dde_fault_fixup(struct ddeos_trap_regs *r, unsigned long fault_addr)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++) {
		if (ex_insn(e) != r->rip)
			continue;
		switch (e->data & EX_DATA_TYPE_MASK) {
		case EX_TYPE_ZEROPAD:
			return r->vector == 14 && fixup_zeropad(e, r, fault_addr);
		default:
			return 0;	/* not supported: the kernel reports it */
		}
	}
	return 0;
}

void dde_extable_init(void)
{
	ddeos_set_fault_hook(dde_fault_fixup);
}
