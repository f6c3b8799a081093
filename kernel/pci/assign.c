// SPDX-License-Identifier: GPL-2.0-only
/*
 * Placing the BARs that firmware left unassigned (qboot assigns none; on
 * microvm nothing runs before us), in the host bridge's windows
 * (arch_pci_windows()), as Linux's drivers/pci/setup-bus.c and setup-res.c
 * do for a root bus, simply: largest first, each aligned to its size, at the
 * lowest free address of the first window that fits; 64-bit BARs above
 * 4 GiB when the bridge has a window there (Linux's pci_bus_alloc_resource()
 * tries its high region first), else below. A BAR firmware assigned is never
 * moved: its range is only kept free. Memory and I/O decoding are turned on
 * for a function we placed BARs of, as firmware would, once every BAR of
 * that kind has an address (a BAR at 0 must not decode); bus mastering is
 * left to the driver (pci_set_master()).
 *
 * Not done: BARs behind a PCI-PCI bridge whose windows firmware did not set
 * up (Linux sizes and programs bridge windows; we leave those BARs
 * unassigned), expansion ROMs, and reassigning on conflicts.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/pci.h>
#include "assign.h"

#define CFG_COMMAND	0x04
#define CFG_BAR0	0x10
#define CMD_IO		0x1
#define CMD_MEM		0x2
#define MAX_WINDOWS	8

struct range {
	uint64_t start, end;	/* end exclusive */
	bool io;
};

/* Every BAR with an address, firmware's and ours: what a new one avoids. */
static struct range used[PCI_MAX_FUNCS * 6];
static unsigned int nr_used;

struct request {
	struct ddeos_pci_func *f;
	unsigned int bar;
};

static struct request reqs[PCI_MAX_FUNCS * 6];

static void use(uint64_t start, uint64_t size, bool io)
{
	used[nr_used].start = start;
	used[nr_used].end = start + size;
	used[nr_used].io = io;
	nr_used++;
}

/* The lowest address in @w aligned to @size and clear of every used range
 * of its kind. Return: it, or 0 if none fits. */
static uint64_t fit(const struct arch_pci_window *w, uint64_t size, bool io)
{
	uint64_t at = ALIGN_UP(w->start, size);
	bool moved = true;

	while (moved) {
		moved = false;
		if (at < w->start || at + size > w->end || at + size < at)
			return 0;
		for (unsigned int i = 0; i < nr_used; i++) {
			if (used[i].io != io || used[i].end <= at || at + size <= used[i].start)
				continue;
			at = ALIGN_UP(used[i].end, size);
			moved = true;
			break;
		}
	}
	return at;
}

/* Where @bar may go: I/O windows for I/O, a 64-bit BAR's high window
 * first, then the 32-bit ones. Return: the address, 0 if no room. */
static uint64_t place(const struct arch_pci_window *win, unsigned int nwin,
		      const struct ddeos_pci_bar *bar)
{
	bool io = bar->flags & DDEOS_PCI_BAR_IO;
	enum arch_pci_window_kind order[2] = { ARCH_PCI_WIN_MEM32, ARCH_PCI_WIN_MEM32 };
	unsigned int norder = 1;

	if (io) {
		order[0] = ARCH_PCI_WIN_IO;
	} else if (bar->flags & DDEOS_PCI_BAR_MEM64) {
		order[0] = ARCH_PCI_WIN_MEM64;
		norder = 2;
	}
	for (unsigned int k = 0; k < norder; k++)
		for (unsigned int i = 0; i < nwin; i++) {
			uint64_t at;

			if (win[i].kind != order[k])
				continue;
			at = fit(&win[i], bar->size, io);
			if (at)
				return at;
		}
	return 0;
}

/* Program @bar of @f to @at and check it took. Context: boot. */
static bool program(struct ddeos_pci_func *f, unsigned int b, uint64_t at)
{
	struct ddeos_pci_bar *bar = &f->bar[b];
	bool io = bar->flags & DDEOS_PCI_BAR_IO;
	unsigned int off = CFG_BAR0 + 4 * b;
	uint32_t lo = 0, hi = 0;
	uint64_t got;

	pci_config_write(f, off, 4, (uint32_t)at);
	if (bar->flags & DDEOS_PCI_BAR_MEM64)
		pci_config_write(f, off + 4, 4, (uint32_t)(at >> 32));
	pci_config_read(f, off, 4, &lo);
	if (bar->flags & DDEOS_PCI_BAR_MEM64)
		pci_config_read(f, off + 4, 4, &hi);
	got = ((uint64_t)hi << 32 | lo) & (io ? ~0x3ull : ~0xfull);
	if (got == at)
		return true;
	pci_config_write(f, off, 4, 0);
	if (bar->flags & DDEOS_PCI_BAR_MEM64)
		pci_config_write(f, off + 4, 4, 0);
	return false;
}

/* Decoding on for the kinds of BAR @f now has, when none is left at 0. */
static void enable(struct ddeos_pci_func *f)
{
	uint32_t cmd = 0, set = 0, hold = 0;

	for (unsigned int b = 0; b < 6; b++) {
		unsigned int bit = f->bar[b].flags & DDEOS_PCI_BAR_IO ? CMD_IO : CMD_MEM;

		if (!f->bar[b].size)
			continue;
		if (f->bar[b].flags & DDEOS_PCI_BAR_UNASSIGNED)
			hold |= bit;
		else
			set |= bit;
	}
	set &= ~hold;
	pci_config_read(f, CFG_COMMAND, 2, &cmd);
	if ((cmd | set) != cmd)
		pci_config_write(f, CFG_COMMAND, 2, cmd | set);
}

static bool larger(const struct request *a, const struct request *b)
{
	return a->f->bar[a->bar].size > b->f->bar[b->bar].size;
}

/* Context: the main thread at boot, from pci_init(), before the DDE. */
void pci_assign(struct ddeos_pci_func *funcs, unsigned int n)
{
	struct arch_pci_window win[MAX_WINDOWS];
	unsigned int nwin = arch_pci_windows(0, win, MAX_WINDOWS), nreq = 0, placed = 0;

	nr_used = 0;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int b = 0; b < 6; b++) {
			struct ddeos_pci_bar *bar = &funcs[i].bar[b];

			if (!bar->size)
				continue;
			if (!(bar->flags & DDEOS_PCI_BAR_UNASSIGNED))
				use(bar->start, bar->size, bar->flags & DDEOS_PCI_BAR_IO);
			else if (nwin && !funcs[i].segment && !funcs[i].bus)
				reqs[nreq++] = (struct request){ &funcs[i], b };
		}
	/* Largest first (insertion sort, stable: bus order among equals), so
	 * that alignment wastes little, as Linux's sorted resource lists. */
	for (unsigned int i = 1; i < nreq; i++) {
		struct request r = reqs[i];
		unsigned int j = i;

		for (; j > 0 && larger(&r, &reqs[j - 1]); j--)
			reqs[j] = reqs[j - 1];
		reqs[j] = r;
	}
	for (unsigned int i = 0; i < nreq; i++) {
		struct ddeos_pci_bar *bar = &reqs[i].f->bar[reqs[i].bar];
		uint64_t at = place(win, nwin, bar);

		if (!at || !program(reqs[i].f, reqs[i].bar, at))
			continue;
		bar->start = at;
		bar->flags = (bar->flags & ~DDEOS_PCI_BAR_UNASSIGNED) | DDEOS_PCI_BAR_PLACED;
		use(at, bar->size, bar->flags & DDEOS_PCI_BAR_IO);
		placed++;
	}
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int b = 0; b < 6; b++)
			if (funcs[i].bar[b].flags & DDEOS_PCI_BAR_PLACED) {
				enable(&funcs[i]);
				break;
			}
	if (nreq)
		kprintf("pci: host bridge %s: placed %u of %u unassigned BARs\n",
			arch_pci_host_name(), placed, nreq);
}
