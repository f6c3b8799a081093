// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI tests (test=pci): the boot scan against what QEMU was given, the
 * configuration access methods, ioremap, and interrupts from a real device.
 * Booted without devices, only the host bridge is there and the device
 * cases skip; tools/check boots q35 and pc with virtio-blk-pci,
 * virtio-net-pci and QEMU's "edu" test device (1234:11e8: a register that
 * raises its interrupt), one of them behind a PCI-PCI bridge, and there no
 * case may skip (but the ECAM one on pc). Booted by qboot, which assigns no
 * BARs, and on microvm with pcie=on (no firmware PCI set-up, ECAM only, no
 * ports, no I/O window), the BARs are the kernel's placement.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/errno.h>
#include <ddeos/ioremap.h>
#include <ddeos/irq.h>
#include <ddeos/ktest.h>
#include <ddeos/pci.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/timer.h>

#define VIRTIO_VENDOR	0x1af4
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define CAP_VENDOR	0x09	/* virtio's structure descriptions */
#define CAP_MSI		0x05
#define CAP_MSIX	0x11
#define VIRTIO_CAP_COMMON 1
#define COMMON_NUM_QUEUES 18	/* le16 in virtio_pci_common_cfg */
#define CMD_MEM		0x2
#define CMD_MASTER	0x4	/* an MSI is a memory write by the device */
#define CMD_INTX_OFF	0x400
/* The edu device (QEMU docs/specs/edu.txt): identification, interrupt
 * status, raise and acknowledge registers, 32-bit accesses. */
#define EDU_ID		0x00
#define EDU_ID_VALUE	0x010000ed
#define EDU_STATUS	0x24
#define EDU_RAISE	0x60
#define EDU_ACK		0x64
/* Generous: TCG on a loaded host; each wait ends at its event. */
#define WAIT_NS		(10ull * 1000000000ull)

static bool is_virtio_blk(const struct ddeos_pci_func *f)
{
	return f->vendor == VIRTIO_VENDOR && (f->device == 0x1001 || f->device == 0x1042);
}

static bool is_virtio_net(const struct ddeos_pci_func *f)
{
	return f->vendor == VIRTIO_VENDOR && (f->device == 0x1000 || f->device == 0x1041);
}

static const struct ddeos_pci_func *find(bool (*match)(const struct ddeos_pci_func *),
					 unsigned int nth)
{
	for (unsigned int i = 0; i < pci_count(); i++)
		if (match(pci_get(i)) && !nth--)
			return pci_get(i);
	return NULL;
}

static bool is_edu(const struct ddeos_pci_func *f)
{
	return f->vendor == EDU_VENDOR && f->device == EDU_DEVICE;
}

static bool is_modern_virtio(const struct ddeos_pci_func *f)
{
	return (is_virtio_blk(f) || is_virtio_net(f)) && pci_find_cap(f, CAP_VENDOR, 0);
}

static uint32_t cfg(const struct ddeos_pci_func *f, unsigned int off, unsigned int size)
{
	uint32_t v = 0xdeadbeef;

	pci_config_read(f, off, size, &v);
	return v;
}

static void table_is_sorted_with_host_bridge(struct ddeos_ktest *t)
{
	const struct ddeos_pci_func *f0 = pci_get(0);

	KTEST_ASSERT(t, pci_count() > 0 && f0);
	KTEST_EXPECT(t, !pci_get(pci_count()));
	/* q35 and pc have an Intel host bridge at 00:00.0, microvm QEMU's
	 * generic PCIe host (Red Hat's vendor ID). */
	KTEST_EXPECT(t, f0->bus == 0 && f0->dev == 0 && f0->fn == 0);
	KTEST_EXPECT(t, (f0->vendor == 0x8086 || f0->vendor == 0x1b36) &&
		     f0->class >> 8 == 0x0600,
		     "%04x class %06x", f0->vendor, f0->class);
	for (unsigned int i = 1; i < pci_count(); i++) {
		const struct ddeos_pci_func *a = pci_get(i - 1), *b = pci_get(i);
		uint32_t ka = (uint32_t)a->segment << 16 | a->bus << 8 | a->dev << 3 | a->fn;
		uint32_t kb = (uint32_t)b->segment << 16 | b->bus << 8 | b->dev << 3 | b->fn;

		KTEST_EXPECT(t, ka < kb, "entries %u and %u out of order", i - 1, i);
		KTEST_EXPECT(t, cfg(b, 0, 2) == b->vendor && cfg(b, 2, 2) == b->device);
		KTEST_EXPECT(t, cfg(b, 8, 4) >> 8 == b->class);
	}
}

static void bad_accesses_are_refused(struct ddeos_ktest *t)
{
	const struct ddeos_pci_func *f = pci_get(0), fake = { 0 };
	uint32_t v;

	KTEST_ASSERT(t, f);
	KTEST_EXPECT(t, pci_config_read(f, 0, 3, &v) == -EINVAL);
	KTEST_EXPECT(t, pci_config_read(f, 1, 2, &v) == -EINVAL);
	KTEST_EXPECT(t, pci_config_read(f, 2, 4, &v) == -EINVAL);
	KTEST_EXPECT(t, pci_config_read(f, 4096, 1, &v) == -EINVAL);
	KTEST_EXPECT(t, pci_config_write(f, 4094, 4, 0) == -EINVAL);
	KTEST_EXPECT(t, pci_config_read(&fake, 0, 4, &v) == -EINVAL);
	KTEST_EXPECT(t, ddeos_pci_read(NULL, 0, 4, &v) == -EINVAL);
	KTEST_EXPECT(t, ddeos_pci_write(&fake, 0x3c, 1, 0) == -EINVAL);
	KTEST_EXPECT(t, arch_pci_config_read_via(ARCH_PCI_PORT, 0, 0, 0, 256, 4, &v) == -EINVAL);
	KTEST_EXPECT(t, arch_pci_config_read_via(ARCH_PCI_PORT, 1, 0, 0, 0, 4, &v) == -ENODEV);
	/* An absent function reads as all ones. */
	KTEST_EXPECT(t, arch_pci_config_read(0, 0, 31 << 3 | 7, 0, 4, &v) == 0 && v == ~0u,
		     "%#x", v);
}

static void virtio_devices_found(struct ddeos_ktest *t)
{
	const struct ddeos_pci_func *blk = find(is_virtio_blk, 0), *net = find(is_virtio_net, 0);

	if (!blk && !net)
		KTEST_SKIP(t, "no virtio-blk-pci or virtio-net-pci given to QEMU");
	KTEST_ASSERT(t, blk && net, "blk %p net %p", blk, net);
	KTEST_EXPECT(t, blk->class == 0x010000, "%06x", blk->class);
	KTEST_EXPECT(t, net->class == 0x020000, "%06x", net->class);
	/* Transitional devices: the subsystem device is the virtio ID. */
	KTEST_EXPECT(t, blk->subsys_vendor == VIRTIO_VENDOR &&
		     (blk->device == 0x1042 || blk->subsys_device == 2));
	KTEST_EXPECT(t, net->subsys_vendor == VIRTIO_VENDOR &&
		     (net->device == 0x1041 || net->subsys_device == 1));
	KTEST_EXPECT(t, blk->irq_pin == 1 && blk->gsi != DDEOS_PCI_NO_GSI && blk->gsi_level);
	/* microvm: no firmware line; the kernel wrote the GSI the GPEX's
	 * wiring gives (16 + (slot + pin - 1) % 4), level, active high. */
	if (blk->irq_line >= 16) {
		for (unsigned int i = 0; i < 2; i++) {
			const struct ddeos_pci_func *f = i ? net : blk;
			uint32_t line = cfg(f, 0x3c, 1);

			KTEST_EXPECT(t, f->gsi == 16 + (f->dev + f->irq_pin - 1u) % 4u &&
				     line == f->gsi && !f->gsi_active_low,
				     "%02x:%02x.%u gsi %u line %u", f->bus, f->dev, f->fn,
				     f->gsi, line);
		}
		return;
	}
	/* SeaBIOS and qboot write an ISA IRQ (5, 9, 10, 11) as the line on
	 * both machines; QEMU's MADT overrides those to level, active high. */
	KTEST_EXPECT(t, blk->gsi == blk->irq_line && !blk->gsi_active_low,
		     "line %u gsi %u", blk->irq_line, blk->gsi);
	for (unsigned int i = 0; i < 2; i++) {
		const struct ddeos_pci_func *f = i ? net : blk;
		bool level, low;

		ioapic_isa_to_gsi(f->irq_line, &level, &low);
		KTEST_EXPECT(t, level && !low, "no MADT override: ISA IRQ %u level %d low %d",
			     f->irq_line, level, low);
	}
}

static void bridge_followed(struct ddeos_ktest *t)
{
	bool bridge = false, behind = false;

	for (unsigned int i = 0; i < pci_count(); i++) {
		const struct ddeos_pci_func *f = pci_get(i);

		if (f->header_type == 1 && f->secondary_bus) {
			bridge = true;
			KTEST_EXPECT(t, cfg(f, 0x19, 1) == f->secondary_bus);
			for (unsigned int j = 0; j < pci_count(); j++)
				if (pci_get(j)->bus == f->secondary_bus)
					behind = true;
		}
	}
	if (!bridge)
		KTEST_SKIP(t, "no PCI-PCI bridge given to QEMU");
	KTEST_EXPECT(t, behind, "nothing found behind the bridge");
}

static bool host_has_window(enum arch_pci_window_kind kind)
{
	struct arch_pci_window w[8];
	unsigned int n = arch_pci_windows(0, w, 8);

	for (unsigned int i = 0; i < n; i++)
		if (w[i].kind == kind)
			return true;
	return false;
}

static void bars_sized_and_aligned(struct ddeos_ktest *t)
{
	unsigned int nbars = 0;

	for (unsigned int i = 0; i < pci_count(); i++) {
		const struct ddeos_pci_func *f = pci_get(i);

		for (unsigned int b = 0; b < 6; b++) {
			const struct ddeos_pci_bar *bar = &f->bar[b];
			uint64_t reg;

			if (!bar->size)
				continue;
			nbars++;
			KTEST_EXPECT(t, !(bar->size & (bar->size - 1)), "size %#llx",
				     bar->size);
			KTEST_EXPECT(t, bar->start % bar->size == 0, "%02x:%02x.%u bar%u %#llx/%#llx",
				     f->bus, f->dev, f->fn, b, bar->start, bar->size);
			/* Only an I/O BAR where the host bridge has no I/O
			 * window (microvm) may stay without an address. */
			if ((bar->flags & DDEOS_PCI_BAR_UNASSIGNED) &&
			    (bar->flags & DDEOS_PCI_BAR_IO) && !host_has_window(ARCH_PCI_WIN_IO))
				continue;
			KTEST_EXPECT(t, !(bar->flags & DDEOS_PCI_BAR_UNASSIGNED),
				     "%02x:%02x.%u bar%u unassigned", f->bus, f->dev,
				     f->fn, b);
			KTEST_EXPECT(t, bar->size >= (bar->flags & DDEOS_PCI_BAR_IO ? 4u : 16u));
			/* Sizing put the firmware's address back. */
			reg = cfg(f, 0x10 + 4 * b, 4) & (bar->flags & DDEOS_PCI_BAR_IO ? ~3u : ~0xfu);
			if (bar->flags & DDEOS_PCI_BAR_MEM64) {
				KTEST_EXPECT(t, b < 5 && !f->bar[b + 1].size);
				reg |= (uint64_t)cfg(f, 0x14 + 4 * b, 4) << 32;
			}
			KTEST_EXPECT(t, reg == bar->start, "reg %#llx start %#llx",
				     (unsigned long long)reg, bar->start);
			/* No two functions' BARs of one kind overlap. */
			for (unsigned int j = 0; j < i; j++)
				for (unsigned int c = 0; c < 6; c++) {
					const struct ddeos_pci_bar *o = &pci_get(j)->bar[c];

					if (!o->size || (o->flags ^ bar->flags) & DDEOS_PCI_BAR_IO)
						continue;
					KTEST_EXPECT(t, o->start + o->size <= bar->start ||
						     bar->start + bar->size <= o->start,
						     "%#llx overlaps %#llx", bar->start, o->start);
				}
		}
	}
	if (!find(is_virtio_blk, 0))
		return;
	for (unsigned int n = 0; find(is_modern_virtio, n); n++) {
		const struct ddeos_pci_func *f = find(is_modern_virtio, n);
		bool mem64 = false;

		for (unsigned int b = 0; b < 6; b++)
			mem64 |= !!(f->bar[b].flags & DDEOS_PCI_BAR_MEM64);
		/* QEMU puts the modern virtio structures in a 64-bit BAR. */
		KTEST_EXPECT(t, mem64, "%02x:%02x.%u has no 64-bit BAR", f->bus, f->dev, f->fn);
	}
	KTEST_EXPECT(t, nbars >= 4, "%u BARs", nbars);
}

/*
 * BARs the kernel placed (firmware left them at 0: qboot, microvm) lie in
 * a host bridge window of their kind, 64-bit ones above 4 GiB when the
 * bridge has a window there, and their function decodes them.
 */
static void placed_bars_in_windows(struct ddeos_ktest *t)
{
	struct arch_pci_window w[8];
	unsigned int nwin = arch_pci_windows(0, w, 8), placed = 0;
	bool high = host_has_window(ARCH_PCI_WIN_MEM64);

	for (unsigned int i = 0; i < pci_count(); i++) {
		const struct ddeos_pci_func *f = pci_get(i);

		for (unsigned int b = 0; b < 6; b++) {
			const struct ddeos_pci_bar *bar = &f->bar[b];
			bool io = bar->flags & DDEOS_PCI_BAR_IO, inside = false;

			if (!(bar->flags & DDEOS_PCI_BAR_PLACED))
				continue;
			placed++;
			for (unsigned int k = 0; k < nwin; k++) {
				bool kind_io = w[k].kind == ARCH_PCI_WIN_IO;

				if (kind_io == io && bar->start >= w[k].start &&
				    bar->start + bar->size <= w[k].end)
					inside = true;
			}
			KTEST_EXPECT(t, inside, "%02x:%02x.%u bar%u %#llx/%#llx outside the windows",
				     f->bus, f->dev, f->fn, b, bar->start, bar->size);
			if (bar->flags & DDEOS_PCI_BAR_MEM64 && high)
				KTEST_EXPECT(t, bar->start >= 1ull << 32, "bar%u at %#llx", b,
					     bar->start);
			KTEST_EXPECT(t, cfg(f, 4, 2) & (io ? 0x1 : CMD_MEM),
				     "%02x:%02x.%u does not decode bar%u", f->bus, f->dev, f->fn, b);
		}
	}
	if (!placed)
		KTEST_SKIP(t, "firmware assigned every BAR");
	KTEST_EXPECT(t, nwin > 0);
}

static void capability_lists_end(struct ddeos_ktest *t)
{
	for (unsigned int i = 0; i < pci_count(); i++) {
		const struct ddeos_pci_func *f = pci_get(i);
		unsigned int ptr, steps = 0, msi = 0, msix = 0;

		if (!(cfg(f, 6, 2) & 0x10))
			continue;
		for (ptr = cfg(f, 0x34, 1) & ~3u; ptr && steps < 64; steps++) {
			KTEST_EXPECT(t, ptr >= 0x40 && ptr < 0x100, "cap at %#x", ptr);
			if (cfg(f, ptr, 1) == CAP_MSI && !msi)
				msi = ptr;
			if (cfg(f, ptr, 1) == CAP_MSIX && !msix)
				msix = ptr;
			ptr = cfg(f, ptr + 1, 1) & ~3u;
		}
		KTEST_EXPECT(t, !ptr, "%02x:%02x.%u: capability list does not end", f->bus,
			     f->dev, f->fn);
		KTEST_EXPECT(t, f->msi_cap == msi && f->msix_cap == msix);
		KTEST_EXPECT(t, pci_find_cap(f, CAP_MSIX, 0) == msix);
	}
	if (!find(is_virtio_blk, 0))
		KTEST_SKIP(t, "no virtio device given to QEMU");
	for (unsigned int n = 0; find(is_virtio_blk, n) || find(is_virtio_net, n); n++) {
		const struct ddeos_pci_func *f = find(is_virtio_blk, n);

		if (f)
			KTEST_EXPECT(t, f->msix_cap && pci_find_cap(f, CAP_VENDOR, 0));
		f = find(is_virtio_net, n);
		if (f)
			KTEST_EXPECT(t, f->msix_cap && pci_find_cap(f, CAP_VENDOR, 0));
	}
}

static bool is_endpoint(const struct ddeos_pci_func *f)
{
	return f->header_type == 0 && f->class >> 8 != 0x0600;
}

static void config_writes_read_back(struct ddeos_ktest *t)
{
	const struct ddeos_pci_func *f = find(is_endpoint, 0);
	uint32_t cmd, line;

	KTEST_ASSERT(t, f, "no device but bridges");
	cmd = cfg(f, 4, 2);
	line = cfg(f, 0x3c, 1);
	/* The interrupt line is a scratch register for software. */
	KTEST_EXPECT(t, ddeos_pci_write(f, 0x3c, 1, 0x5a) == 0);
	KTEST_EXPECT(t, cfg(f, 0x3c, 1) == 0x5a);
	KTEST_EXPECT(t, pci_config_write(f, 0x3c, 1, line) == 0);
	KTEST_EXPECT(t, cfg(f, 0x3c, 1) == line);
	/* The command register's INTx disable bit, 16 and 32 bits wide. */
	KTEST_EXPECT(t, pci_config_write(f, 4, 2, cmd ^ CMD_INTX_OFF) == 0);
	KTEST_EXPECT(t, cfg(f, 4, 2) == (cmd ^ CMD_INTX_OFF), "cmd %#x", cfg(f, 4, 2));
	KTEST_EXPECT(t, (cfg(f, 4, 4) & 0xffff) == (cmd ^ CMD_INTX_OFF));
	KTEST_EXPECT(t, pci_config_write(f, 4, 2, cmd) == 0);
	KTEST_EXPECT(t, cfg(f, 4, 2) == cmd);
}

static bool have_ports(void)
{
	uint32_t v;

	return arch_pci_config_read_via(ARCH_PCI_PORT, 0, 0, 0, 0, 4, &v) == 0;
}

static void ecam_and_ports_agree(struct ddeos_ktest *t)
{
	uint32_t v;

	if (arch_pci_config_read_via(ARCH_PCI_ECAM, 0, 0, 0, 0, 4, &v) == -ENODEV)
		KTEST_SKIP(t, "no ECAM (no MCFG table: the pc machine)");
	if (!have_ports())
		KTEST_SKIP(t, "no configuration ports (microvm)");
	for (unsigned int i = 0; i < pci_count(); i++) {
		const struct ddeos_pci_func *f = pci_get(i);
		uint8_t devfn = (uint8_t)(f->dev << 3 | f->fn);

		for (uint16_t off = 0; off < 256; off += 4) {
			uint32_t e = 1, p = 2;

			KTEST_EXPECT(t, arch_pci_config_read_via(ARCH_PCI_ECAM, f->segment, f->bus,
								 devfn, off, 4, &e) == 0);
			KTEST_EXPECT(t, arch_pci_config_read_via(ARCH_PCI_PORT, f->segment, f->bus,
								 devfn, off, 4, &p) == 0);
			KTEST_EXPECT(t, e == p, "%02x:%02x.%u +%#x: ECAM %#x ports %#x", f->bus,
				     f->dev, f->fn, off, e, p);
		}
		/* Narrow reads agree too. */
		KTEST_EXPECT(t, cfg(f, 2, 2) == f->device && cfg(f, 0xe, 1) >> 7 <= 1);
	}
	/* Extended space: ECAM only. */
	KTEST_EXPECT(t, arch_pci_config_read_via(ARCH_PCI_ECAM, 0, 0, 0, 0x100, 4, &v) == 0);
	KTEST_EXPECT(t, arch_pci_config_read_via(ARCH_PCI_PORT, 0, 0, 0, 0x100, 4, &v) == -EINVAL);
}

/*
 * The port method is two steps on one global register pair: threads on
 * every CPU reading different functions through it at once must each get
 * their own function's registers (the lock holds the pair).
 */
#define RACE_ROUNDS	1000

static volatile int race_bad;

static int race_reader(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;

	for (unsigned int i = 0; i < RACE_ROUNDS; i++) {
		const struct ddeos_pci_func *f = pci_get((i + cpu) % pci_count());
		uint8_t devfn = (uint8_t)(f->dev << 3 | f->fn);
		uint32_t id = 0, rev = 0;

		arch_pci_config_read_via(ARCH_PCI_PORT, f->segment, f->bus, devfn, 0, 4, &id);
		arch_pci_config_read_via(ARCH_PCI_PORT, f->segment, f->bus, devfn, 8, 2, &rev);
		if (id != (f->vendor | (uint32_t)f->device << 16) ||
		    rev != (f->revision | (f->class & 0xff) << 8))
			__atomic_fetch_add(&race_bad, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void port_reads_from_every_cpu_at_once(struct ddeos_ktest *t)
{
	struct thread *th[DDEOS_MAX_CPUS];
	unsigned int n = smp_cpus_online();

	if (!have_ports())
		KTEST_SKIP(t, "no configuration ports (microvm)");
	race_bad = 0;
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		struct thread_attr a = { .name = "pci-race", .prio = SCHED_PRIO_DEFAULT,
					 .cpu = (int)cpu };

		th[cpu] = thread_create(&a, race_reader, (void *)(unsigned long)cpu);
		KTEST_ASSERT(t, th[cpu]);
	}
	for (unsigned int cpu = 0; cpu < n; cpu++)
		thread_join(th[cpu]);
	KTEST_EXPECT(t, race_bad == 0, "%d of %u reads got another register", race_bad,
		     n * RACE_ROUNDS * 2);
}

/* The physical address of @f's common configuration (virtio 1.0, 4.1.4). */
static uint64_t common_cfg(const struct ddeos_pci_func *f, uint32_t *len)
{
	for (unsigned int c = pci_find_cap(f, CAP_VENDOR, 0); c;
	     c = pci_find_cap(f, CAP_VENDOR, c)) {
		unsigned int bar = cfg(f, c + 4, 1);

		if (cfg(f, c + 3, 1) != VIRTIO_CAP_COMMON || bar > 5)
			continue;
		*len = cfg(f, c + 12, 4);
		return f->bar[bar].start + cfg(f, c + 8, 4);
	}
	return 0;
}

static uint16_t mmio_read16(const void *p)
{
	return *(const volatile uint16_t *)p;
}

static void ioremap_reads_virtio_common_cfg(struct ddeos_ktest *t)
{
	unsigned int before = ioremap_count();
	uint64_t pa;
	uint32_t len = 0;
	void *p, *q;

	/* RAM (the kernel image at 1 MiB, the pool's RAM) is refused. */
	KTEST_EXPECT(t, !ioremap_map(0x100000, PAGE_SIZE, IOREMAP_UC), "kernel mapped");
	KTEST_EXPECT(t, !ioremap_map(boot_info.ram[0].start, 8, IOREMAP_UC), "RAM mapped");
	KTEST_EXPECT(t, !ioremap_map(0xfe000000, 0, IOREMAP_UC));
	KTEST_EXPECT(t, !ioremap_map(~0ull - 10, 100, IOREMAP_UC));
	if (!find(is_modern_virtio, 0))
		KTEST_SKIP(t, "no modern virtio device given to QEMU");
	for (unsigned int n = 0; find(is_modern_virtio, n); n++) {
		const struct ddeos_pci_func *f = find(is_modern_virtio, n);

		KTEST_EXPECT(t, cfg(f, 4, 2) & CMD_MEM, "firmware left memory decoding off");
		pa = common_cfg(f, &len);
		KTEST_ASSERT(t, pa && len >= 22, "no common config");
		p = ddeos_ioremap(pa, len, DDEOS_IOREMAP_UC);
		KTEST_ASSERT(t, p);
		KTEST_EXPECT(t, (uint64_t)p >= IOREMAP_VA && (uint64_t)p < IOREMAP_END_VA);
		KTEST_EXPECT(t, ((uint64_t)p & (PAGE_SIZE - 1)) == (pa & (PAGE_SIZE - 1)));
		KTEST_EXPECT(t, mmio_read16((char *)p + COMMON_NUM_QUEUES) > 0,
			     "num_queues 0 at %p", p);
		KTEST_EXPECT(t, ioremap_count() == before + 1);
		ddeos_iounmap(p);
		KTEST_EXPECT(t, ioremap_count() == before);
		/* The range is free again: the next mapping takes it (first
		 * fit), write-combining this time. */
		q = ddeos_ioremap(pa, len, DDEOS_IOREMAP_WC);
		KTEST_EXPECT(t, q == p, "%p after %p", q, p);
		KTEST_EXPECT(t, q && mmio_read16((char *)q + COMMON_NUM_QUEUES) > 0);
		ddeos_iounmap(q);
	}
	KTEST_EXPECT(t, ioremap_count() == before);
}

struct remote_read {
	const void *addr;
	uint16_t seen[DDEOS_MAX_CPUS];
};

static void read_here(void *arg)
{
	struct remote_read *r = arg;

	r->seen[cpu_id()] = mmio_read16(r->addr);
}

/*
 * Every CPU reads blk's queue count through a mapping (so each caches the
 * translation), the mapping goes, net's common config is mapped at the
 * same address, and every CPU must now read net's count: both the mapping
 * and the unmap's flush reached all CPUs.
 */
static void ioremap_reuse_seen_by_every_cpu(struct ddeos_ktest *t)
{
	const struct ddeos_pci_func *blk = find(is_virtio_blk, 0), *net = find(is_virtio_net, 0);
	static struct remote_read r;
	uint64_t pa_blk, pa_net;
	uint32_t len_blk = 0, len_net = 0;
	uint16_t q_blk, q_net;
	void *p, *q;

	if (!blk || !net || !is_modern_virtio(blk) || !is_modern_virtio(net))
		KTEST_SKIP(t, "needs modern virtio-blk-pci and virtio-net-pci");
	pa_blk = common_cfg(blk, &len_blk);
	pa_net = common_cfg(net, &len_net);
	KTEST_ASSERT(t, pa_blk && pa_net);
	/* The same page offset, so that the second mapping can land at the
	 * same address. */
	KTEST_ASSERT(t, (pa_blk & (PAGE_SIZE - 1)) == (pa_net & (PAGE_SIZE - 1)));
	p = ioremap_map(pa_blk, len_blk, IOREMAP_UC);
	KTEST_ASSERT(t, p);
	q_blk = mmio_read16((char *)p + COMMON_NUM_QUEUES);
	r.addr = (char *)p + COMMON_NUM_QUEUES;
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
		KTEST_EXPECT(t, smp_run_on_cpu(cpu, read_here, &r) == 0);
		KTEST_EXPECT(t, r.seen[cpu] == q_blk, "cpu %u read %u", cpu, r.seen[cpu]);
	}
	ioremap_unmap(p);
	q = ioremap_map(pa_net, len_net, IOREMAP_UC);
	KTEST_ASSERT(t, q == p, "%p after %p", q, p);
	q_net = mmio_read16((char *)q + COMMON_NUM_QUEUES);
	/* QEMU: virtio-blk 1 queue, virtio-net 3 (rx, tx, control). */
	KTEST_EXPECT(t, q_blk != q_net, "blk %u net %u", q_blk, q_net);
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
		KTEST_EXPECT(t, smp_run_on_cpu(cpu, read_here, &r) == 0);
		KTEST_EXPECT(t, r.seen[cpu] == q_net, "cpu %u read %u, not %u", cpu,
			     r.seen[cpu], q_net);
	}
	ioremap_unmap(q);
}

/* ---- interrupts from the edu device ---- */

struct edu {
	const struct ddeos_pci_func *f;
	volatile uint32_t *regs;
	volatile int count;
	volatile unsigned int cpu;
	volatile uint32_t status;
};

static void edu_handler(void *arg)
{
	struct edu *e = arg;
	uint32_t st = e->regs[EDU_STATUS / 4];

	e->status = st;
	e->regs[EDU_ACK / 4] = st;	/* lowers INTx before the EOI */
	e->cpu = cpu_id();
	e->count++;
}

static bool wait_count(struct edu *e, int want)
{
	uint64_t t0 = clock_ns();

	while (e->count < want)
		if (clock_ns() - t0 > WAIT_NS)
			return false;
	return true;
}

static bool edu_open(struct ddeos_ktest *t, struct edu *e)
{
	e->f = find(is_edu, 0);
	if (!e->f)
		return false;
	e->regs = ioremap_map(e->f->bar[0].start, e->f->bar[0].size, IOREMAP_UC);
	KTEST_EXPECT(t, e->regs);
	return e->regs;
}

static void edu_intx_through_ioapic(struct ddeos_ktest *t)
{
	static struct edu e;
	unsigned int cpu = smp_cpus_online() - 1, cmd;
	int v;

	e.count = 0;
	if (!edu_open(t, &e))
		KTEST_SKIP(t, "no edu device given to QEMU");
	KTEST_EXPECT(t, e.regs[EDU_ID / 4] == EDU_ID_VALUE, "id %#x", e.regs[EDU_ID / 4]);
	KTEST_ASSERT(t, e.f->gsi != DDEOS_PCI_NO_GSI);
	cmd = cfg(e.f, 4, 2);
	pci_config_write(e.f, 4, 2, cmd & ~CMD_INTX_OFF);
	v = irq_vector_alloc(cpu, edu_handler, &e);
	KTEST_ASSERT(t, v > 0);
	KTEST_EXPECT(t, ddeos_ioapic_route(e.f->gsi, cpu, (unsigned int)v, e.f->gsi_level,
					   e.f->gsi_active_low) == 0);
	KTEST_EXPECT(t, ddeos_ioapic_unmask(e.f->gsi) == 0);
	e.regs[EDU_RAISE / 4] = 0x1;
	KTEST_EXPECT(t, wait_count(&e, 1), "no INTx on gsi %u", e.f->gsi);
	KTEST_EXPECT(t, e.cpu == cpu && e.status == 0x1);
	e.regs[EDU_RAISE / 4] = 0x4;
	KTEST_EXPECT(t, wait_count(&e, 2));
	KTEST_EXPECT(t, e.status == 0x4);
	/* Masked, the raised level waits in the device; unmasking delivers. */
	KTEST_EXPECT(t, ddeos_ioapic_mask(e.f->gsi) == 0);
	e.regs[EDU_RAISE / 4] = 0x2;
	KTEST_EXPECT(t, e.regs[EDU_STATUS / 4] == 0x2);
	KTEST_EXPECT(t, e.count == 2, "delivered while masked");
	KTEST_EXPECT(t, ddeos_ioapic_unmask(e.f->gsi) == 0);
	KTEST_EXPECT(t, wait_count(&e, 3), "not delivered after unmask");
	KTEST_EXPECT(t, e.regs[EDU_STATUS / 4] == 0);
	/* Level-triggered and acknowledged in the handler: no storm. */
	KTEST_EXPECT(t, e.count == 3, "count %d", e.count);
	KTEST_EXPECT(t, ddeos_ioapic_mask(e.f->gsi) == 0);
	KTEST_EXPECT(t, ddeos_ioapic_route(0xffff, cpu, (unsigned int)v, 1, 0) == -EINVAL);
	KTEST_EXPECT(t, ddeos_ioapic_unmask(0xffff) == -EINVAL);
	irq_vector_free(cpu, v);
	pci_config_write(e.f, 4, 2, cmd);
	ioremap_unmap((void *)e.regs);
}

static void edu_msi_on_every_cpu(struct ddeos_ktest *t)
{
	static struct edu e;
	unsigned int msi, ctl, data_off, cmd;

	e.count = 0;
	if (!edu_open(t, &e))
		KTEST_SKIP(t, "no edu device given to QEMU");
	msi = e.f->msi_cap;
	KTEST_ASSERT(t, msi);
	cmd = cfg(e.f, 4, 2);
	pci_config_write(e.f, 4, 2, cmd | CMD_MASTER);
	ctl = cfg(e.f, msi + 2, 2);
	data_off = ctl & 0x80 ? 12 : 8;		/* 64-bit address capable */
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
		unsigned long long addr;
		unsigned int data;
		int v = irq_vector_alloc(cpu, edu_handler, &e), want = e.count + 1;

		KTEST_ASSERT(t, v > 0);
		KTEST_ASSERT(t, ddeos_msi_compose(cpu, (unsigned int)v, &addr, &data) == 0);
		pci_config_write(e.f, msi + 4, 4, (uint32_t)addr);
		if (ctl & 0x80)
			pci_config_write(e.f, msi + 8, 4, (uint32_t)(addr >> 32));
		pci_config_write(e.f, msi + data_off, 2, data);
		pci_config_write(e.f, msi + 2, 2, (ctl & ~0x70u) | 1);	/* one vector, on */
		e.regs[EDU_RAISE / 4] = 0x1;
		KTEST_EXPECT(t, wait_count(&e, want), "no MSI on cpu %u", cpu);
		KTEST_EXPECT(t, e.cpu == cpu, "MSI for cpu %u ran on %u", cpu, e.cpu);
		pci_config_write(e.f, msi + 2, 2, ctl & ~1u);
		irq_vector_free(cpu, v);
	}
	KTEST_EXPECT(t, ddeos_msi_compose(DDEOS_MAX_CPUS, 0x40, &(unsigned long long){ 0 },
					  &(unsigned int){ 0 }) == -EINVAL);
	pci_config_write(e.f, 4, 2, cmd);
	ioremap_unmap((void *)e.regs);
}

static const struct ddeos_ktest_case pci_cases[] = {
	{ "table_is_sorted_with_host_bridge", table_is_sorted_with_host_bridge },
	{ "bad_accesses_are_refused", bad_accesses_are_refused },
	{ "virtio_devices_found", virtio_devices_found },
	{ "bridge_followed", bridge_followed },
	{ "bars_sized_and_aligned", bars_sized_and_aligned },
	{ "placed_bars_in_windows", placed_bars_in_windows },
	{ "capability_lists_end", capability_lists_end },
	{ "config_writes_read_back", config_writes_read_back },
	{ "ecam_and_ports_agree", ecam_and_ports_agree },
	{ "port_reads_from_every_cpu_at_once", port_reads_from_every_cpu_at_once },
	{ "ioremap_reads_virtio_common_cfg", ioremap_reads_virtio_common_cfg },
	{ "ioremap_reuse_seen_by_every_cpu", ioremap_reuse_seen_by_every_cpu },
	{ "edu_intx_through_ioapic", edu_intx_through_ioapic },
	{ "edu_msi_on_every_cpu", edu_msi_on_every_cpu },
};
KTEST_SUITE(pci, "pci", pci_cases);
