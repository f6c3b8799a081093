// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel page tables. One PML4 for all CPUs, with:
 *   PML4[273..]  direct map of [0, max(4 GiB, end of RAM)) at PAGE_OFFSET,
 *                2 MiB pages; non-RAM 2 MiB pages are uncached (MMIO)
 *   PML4[402..]  guarded stacks (stack.c), 4 KiB pages
 *   PML4[434..]  ioremap range (ioremap.c), 4 KiB pages, uncached or
 *                write-combining
 *   PML4[466]    per-CPU areas at a fixed stride (percpu.c), 4 KiB pages
 *   PML4[468]    Linux's struct page array at VMEMMAP_START, 4 KiB pages,
 *                mapped for every RAM page (arch_paging_map_vmemmap)
 *   PML4[511]    the kernel image at __START_KERNEL_map (PDPT[510])
 *   PML4[0]      identity map, only while APs start (trampoline), then gone
 *                so that NULL and low addresses fault.
 * 2 MiB pages rather than 1 GiB ones because -cpu qemu64 has no pdpe1gb.
 */
#include <arch/setup.h>
#include <arch/cpu.h>
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/smp.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>

#define PTE_P		0x001ull
#define PTE_W		0x002ull
#define PTE_PWT		0x008ull
#define PTE_PCD		0x010ull
#define PTE_PS		0x080ull
#define MSR_PAT		0x277
/*
 * The page attribute table: the power-on value (WB, WT, UC-, UC, twice) with
 * entry 1 changed from WT to WC, as Linux's pat_init() does, so that PWT
 * alone in a PTE means write-combining. Nothing else in ddeos sets PWT
 * without PCD, and PCD|PWT (entry 3) stays UC.
 */
#define PAT_VALUE	0x0007040600070106ull
#define PTE_WC		PTE_PWT
#define PTE_ADDR	0x000ffffffffff000ull

static uint64_t kernel_pml4[512] __aligned(4096);
static uint64_t kernel_pdpt_dmap[512] __aligned(4096);
static uint64_t kernel_pdpt_kern[512] __aligned(4096);
static struct spinlock paging_lock = SPINLOCK_INIT;
static const struct boot_info *paging_bi;
extern char __kernel_end[];

#define PML4_DMAP	273

static bool range_is_ram(uint64_t pa, uint64_t size)
{
	for (unsigned int i = 0; i < paging_bi->nr_ram; i++)
		if (pa < paging_bi->ram[i].end && paging_bi->ram[i].start < pa + size)
			return true;
	/* Low memory (BIOS area, trampoline) and the kernel image. */
	return pa < virt_to_phys(__kernel_end);
}

/* Map the 2 MiB page containing pa in the direct map. Caller holds
 * paging_lock or runs before other CPUs exist. */
static void dmap_2m(uint64_t pa, bool uncached)
{
	unsigned int pdpt_i = (pa >> 30) & 511;
	uint64_t *pd;

	if (pa >> 39)
		kpanic("direct map: %#llx is beyond the 512 GiB we map",
		      (unsigned long long)pa);
	if (!(kernel_pdpt_dmap[pdpt_i] & PTE_P)) {
		pd = page_alloc_zeroed(0);
		if (!pd)
			kpanic("direct map: out of memory for page tables");
		kernel_pdpt_dmap[pdpt_i] = virt_to_phys(pd) | PTE_P | PTE_W;
	}
	pd = phys_to_virt(kernel_pdpt_dmap[pdpt_i] & PTE_ADDR);
	pd[(pa >> 21) & 511] = ALIGN_DOWN(pa, MiB(2)) | PTE_P | PTE_W | PTE_PS |
			       (uncached ? PTE_PCD | PTE_PWT : 0);
}

void arch_paging_init(const struct boot_info *bi)
{
	uint64_t end = MAX(GiB(4), ALIGN_UP(bi->max_phys, GiB(1)));
	uint64_t *pd_kern;

	paging_bi = bi;
	for (uint64_t pa = 0; pa < end; pa += MiB(2))
		dmap_2m(pa, !range_is_ram(pa, MiB(2)));

	/* The kernel image: the first GiB of the direct map's PD, shared. */
	pd_kern = phys_to_virt(kernel_pdpt_dmap[0] & PTE_ADDR);
	kernel_pdpt_kern[510] = virt_to_phys(pd_kern) | PTE_P | PTE_W;

	kernel_pml4[0] = virt_to_phys(kernel_pdpt_dmap) | PTE_P | PTE_W;
	kernel_pml4[PML4_DMAP] = virt_to_phys(kernel_pdpt_dmap) | PTE_P | PTE_W;
	kernel_pml4[511] = virt_to_phys(kernel_pdpt_kern) | PTE_P | PTE_W;
	write_cr3(virt_to_phys(kernel_pml4));
}

/* The next-level table behind @entry, made (zeroed) if absent. Boot only. */
static uint64_t *table_of(uint64_t *entry, const char *what)
{
	if (!(*entry & PTE_P)) {
		uint64_t *t = page_alloc_zeroed(0);

		if (!t)
			kpanic("%s: out of memory for page tables", what);
		*entry = virt_to_phys(t) | PTE_P | PTE_W;
	}
	return phys_to_virt(*entry & PTE_ADDR);
}

/*
 * The PTE for @va outside the direct map (vmemmap, stacks, per-CPU areas),
 * page tables made as needed. Caller holds paging_lock or is the boot CPU
 * alone.
 */
static uint64_t *pte_of(uint64_t va)
{
	uint64_t *pdpt = table_of(&kernel_pml4[(va >> 39) & 511], "4 KiB mappings");
	uint64_t *pd = table_of(&pdpt[(va >> 30) & 511], "4 KiB mappings");
	uint64_t *pt = table_of(&pd[(va >> 21) & 511], "4 KiB mappings");

	return &pt[(va >> 12) & 511];
}

/*
 * Map Linux's struct page array (CONFIG_SPARSEMEM_VMEMMAP): entry pfn lives
 * at VMEMMAP_VA + pfn * @entry_size, so virt_to_page() and page_address()
 * from Linux headers are plain arithmetic. Every RAM page gets a zeroed
 * entry; 4 KiB mappings keep the cost at exactly @entry_size per RAM page
 * (plus one page table per 128 MiB), holes stay unmapped and fault.
 * Context: boot CPU, before the pool takes the RAM (the array comes from the
 * bitmap allocator and is never freed).
 */
size_t arch_paging_map_vmemmap(const struct boot_info *bi, size_t entry_size)
{
	size_t pages = 0;

	for (unsigned int i = 0; i < bi->nr_ram; i++) {
		uint64_t va = VMEMMAP_VA + (bi->ram[i].start >> PAGE_SHIFT) * entry_size;
		uint64_t end = VMEMMAP_VA + (bi->ram[i].end >> PAGE_SHIFT) * entry_size;

		for (va = ALIGN_DOWN(va, PAGE_SIZE); va < end; va += PAGE_SIZE) {
			uint64_t *pte, pa;

			if (va >= VMEMMAP_END_VA)
				kpanic("vmemmap: RAM beyond the struct page range");
			pte = pte_of(va);
			if (*pte & PTE_P)
				continue;	/* shared with the previous range */
			pa = page_alloc(0);
			if (!pa)
				kpanic("vmemmap: out of memory for the struct page array");
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			*pte = pa | PTE_P | PTE_W;
			pages++;
		}
	}
	write_cr3(read_cr3());
	return pages;
}

/*
 * Map one 4 KiB page at @va; a new mapping needs no TLB flush.
 * arch_unmap_page() removes one and flushes it on this CPU only: other CPUs
 * may keep a stale entry until arch_tlb_flush_all() (stack.c reuses an
 * address only after one). arch_map_prepare() makes the tables only.
 * Context: thread or boot (page tables may be allocated).
 */
void arch_map_page(uint64_t va, uint64_t pa)
{
	unsigned long flags = spinlock_lock_irqsave(&paging_lock);

	*pte_of(va) = pa | PTE_P | PTE_W;
	spinlock_unlock_irqrestore(&paging_lock, flags);
}

void arch_map_prepare(uint64_t va)
{
	unsigned long flags = spinlock_lock_irqsave(&paging_lock);

	pte_of(va);
	spinlock_unlock_irqrestore(&paging_lock, flags);
}

uint64_t arch_unmap_page(uint64_t va)
{
	unsigned long flags = spinlock_lock_irqsave(&paging_lock);
	uint64_t *pte = pte_of(va), pa = *pte & PTE_ADDR;

	*pte = 0;
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
	spinlock_unlock_irqrestore(&paging_lock, flags);
	return pa;
}

static bool pat_present;

/* Program the PAT (Linux's layout for entry 1). Context: each CPU once,
 * at bring-up, before any write-combining mapping exists. */
void paging_init_pat(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 16)))
		return;		/* no PAT: arch_map_io_page() maps WC as UC */
	wrmsr(MSR_PAT, PAT_VALUE);
	pat_present = true;
}

/*
 * One 4 KiB page of device memory, uncached (PCD|PWT: UC) or
 * write-combining (PWT: PAT entry 1). (Executable: EFER.NXE is off, so the
 * NX bit would be a reserved-bit fault.) Like
 * arch_map_page(), a new mapping needs no flush. Context: thread or boot.
 */
void arch_map_io_page(uint64_t va, uint64_t pa, bool wc)
{
	uint64_t attr = wc && pat_present ? PTE_WC : PTE_PCD | PTE_PWT;
	unsigned long flags = spinlock_lock_irqsave(&paging_lock);

	*pte_of(va) = pa | PTE_P | PTE_W | attr;
	spinlock_unlock_irqrestore(&paging_lock, flags);
}

static void flush_local(void *unused)
{
	write_cr3(read_cr3());	/* no global pages: drops every entry */
}

/* Context: thread, IRQs on (it waits for every CPU). */
void arch_tlb_flush_all(void)
{
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++)
		smp_run_on_cpu(cpu, flush_local, NULL);
}

uint64_t arch_paging_root(void)
{
	return virt_to_phys(kernel_pml4);
}

/* Context: boot CPU, after every AP is up; each CPU flushes on its own. */
void arch_paging_drop_identity(void)
{
	kernel_pml4[0] = 0;
	write_cr3(read_cr3());
}

/*
 * Map device memory (uncached) and return its direct-map address, like
 * Linux's ioremap() on our layout. Context: thread or boot.
 */
void *arch_map_mmio(uint64_t pa, size_t size)
{
	unsigned long flags = spinlock_lock_irqsave(&paging_lock);

	for (uint64_t p = ALIGN_DOWN(pa, MiB(2)); p < pa + size; p += MiB(2)) {
		if (range_is_ram(p, MiB(2)))
			continue;	/* RAM stays cached and mapped */
		dmap_2m(p, true);
		__asm__ __volatile__("invlpg (%0)" :: "r"(phys_to_virt(p)) : "memory");
	}
	spinlock_unlock_irqrestore(&paging_lock, flags);
	return phys_to_virt(pa);
}
