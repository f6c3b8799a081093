// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads the PVH boot protocol's hvm_start_info (Xen's
 * include/public/arch-x86/hvm/start_info.h, version 1): RAM ranges from its
 * memory map, the command line and the ACPI RSDP. Everything is copied into
 * boot_info before the loader's memory can be reused.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>

#define HVM_START_MAGIC	0x336ec578
#define E820_RAM	1

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "PVH start_info ABI");
_Static_assert(sizeof(struct hvm_memmap_entry) == 24, "PVH memmap ABI");

extern char __kernel_end[];

/* Usable RAM starts at 1 MiB (below: BIOS data, our AP trampoline) and
 * excludes the kernel image. */
static void add_ram(struct boot_info *bi, uint64_t start, uint64_t end)
{
	uint64_t image_end = virt_to_phys(__kernel_end);

	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start < image_end)
		start = image_end;
	if (start >= end)
		return;
	if (bi->nr_ram == BOOT_MAX_RANGES) {
		kprintf("ddeos: memory map: more than %d RAM ranges, ignoring %#llx-%#llx\n",
			BOOT_MAX_RANGES, (unsigned long long)start,
			(unsigned long long)end);
		return;
	}
	bi->ram[bi->nr_ram].start = start;
	bi->ram[bi->nr_ram].end = end;
	bi->nr_ram++;
	bi->ram_bytes += end - start;
	if (end > bi->max_phys)
		bi->max_phys = end;
}

void arch_boot_info(uint64_t start_info_pa, struct boot_info *bi)
{
	const struct hvm_start_info *si = phys_to_virt(start_info_pa);

	if (si->magic != HVM_START_MAGIC)
		kpanic("PVH start info: bad magic %#x (not booted through PVH?)",
		      si->magic);
	if (si->version < 1 || !si->memmap_paddr)
		kpanic("PVH start info version %u has no memory map", si->version);

	const struct hvm_memmap_entry *map = phys_to_virt(si->memmap_paddr);

	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == E820_RAM)
			add_ram(bi, map[i].addr, map[i].addr + map[i].size);

	if (si->cmdline_paddr) {
		const char *cl = phys_to_virt(si->cmdline_paddr);
		size_t n = 0;

		while (cl[n] && n < sizeof(bi->cmdline) - 1) {
			bi->cmdline[n] = cl[n];
			n++;
		}
		bi->cmdline[n] = '\0';
	}
	bi->rsdp_pa = si->rsdp_paddr;
}
