// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PCI function's interrupts (stands in for Linux's drivers/pci/msi/ and
 * the x86 INTx routing): pci_alloc_irq_vectors_affinity() tries MSI-X, then
 * MSI, then the INTx line, as Linux does. With PCI_IRQ_AFFINITY the vectors
 * are spread over the CPUs by Linux's own irq_create_affinity_masks()
 * (kernel/irq/affinity.c, compiled) and each is managed: it is delivered
 * to the least loaded CPU of its mask and drivers cannot move it out. Every vector is
 * a Linux IRQ number of the DDE's IRQ layer (dde/kernel/irq/), whose chip
 * here writes the MSI-X table entry, the MSI capability or the IOAPIC pin.
 * MSI gives one vector only (multi-message MSI needs aligned vector
 * blocks the kernel does not hand out).
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <dde/irq.h>
#include "pci.h"

/* One vector of a function: what its chip needs to re-point it. */
struct pci_vector {
	struct pci_dev *pdev;
	void __iomem *entry;		/* MSI-X table entry, or NULL for MSI */
	int irq;
};

struct dde_pci_vectors {
	unsigned int nvec;
	bool msix, msi;
	void __iomem *table;		/* the mapped MSI-X table */
	struct irq_affinity_desc *masks;	/* per vector, or NULL */
	struct pci_vector vec[];
};

/* ---- MSI-X: a table entry per vector in a BAR -------------------------------- */

static int msix_route(void *data, unsigned int cpu, unsigned int vector)
{
	struct pci_vector *v = data;
	unsigned long long addr;
	unsigned int msg;
	u32 ctrl;
	int err = ddeos_msi_compose(cpu, vector, &addr, &msg);

	if (err)
		return err;
	/* Masked while the message changes, so no half-written one is sent. */
	ctrl = readl(v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	writel(ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT, v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	writel(lower_32_bits(addr), v->entry + PCI_MSIX_ENTRY_LOWER_ADDR);
	writel(upper_32_bits(addr), v->entry + PCI_MSIX_ENTRY_UPPER_ADDR);
	writel(msg, v->entry + PCI_MSIX_ENTRY_DATA);
	writel(ctrl, v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	readl(v->entry + PCI_MSIX_ENTRY_DATA);	/* posted writes done */
	return 0;
}

static void msix_mask(void *data)
{
	struct pci_vector *v = data;
	u32 ctrl = readl(v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);

	writel(ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT, v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	readl(v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

static void msix_unmask(void *data)
{
	struct pci_vector *v = data;
	u32 ctrl = readl(v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);

	writel(ctrl & ~PCI_MSIX_ENTRY_CTRL_MASKBIT, v->entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

static const struct dde_irq_chip msix_chip = {
	.name	= "PCI-MSIX",
	.route	= msix_route,
	.mask	= msix_mask,
	.unmask	= msix_unmask,
};

/* ---- MSI: one message in the capability -------------------------------------- */

static int msi_route(void *data, unsigned int cpu, unsigned int vector)
{
	struct pci_vector *v = data;
	struct pci_dev *dev = v->pdev;
	unsigned long long addr;
	unsigned int msg;
	u16 ctrl;
	int err = ddeos_msi_compose(cpu, vector, &addr, &msg);

	if (err)
		return err;
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	pci_write_config_dword(dev, dev->msi_cap + PCI_MSI_ADDRESS_LO, lower_32_bits(addr));
	if (ctrl & PCI_MSI_FLAGS_64BIT) {
		pci_write_config_dword(dev, dev->msi_cap + PCI_MSI_ADDRESS_HI,
				       upper_32_bits(addr));
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_DATA_64, msg);
	} else {
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_DATA_32, msg);
	}
	return 0;
}

/* Per-vector masking is optional in MSI; without it, the enable bit. */
static void msi_set_mask(struct pci_vector *v, bool mask)
{
	struct pci_dev *dev = v->pdev;
	u16 ctrl;
	u32 bits;
	int pos;

	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	if (!(ctrl & PCI_MSI_FLAGS_MASKBIT)) {
		ctrl = mask ? ctrl & ~PCI_MSI_FLAGS_ENABLE : ctrl | PCI_MSI_FLAGS_ENABLE;
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, ctrl);
		return;
	}
	pos = dev->msi_cap + (ctrl & PCI_MSI_FLAGS_64BIT ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
	pci_read_config_dword(dev, pos, &bits);
	pci_write_config_dword(dev, pos, mask ? bits | 1 : bits & ~1u);
}

static void msi_mask(void *data)
{
	msi_set_mask(data, true);
}

static void msi_unmask(void *data)
{
	msi_set_mask(data, false);
}

static const struct dde_irq_chip msi_chip = {
	.name	= "PCI-MSI",
	.route	= msi_route,
	.mask	= msi_mask,
	.unmask	= msi_unmask,
};

/* ---- INTx: a shared, level-triggered IOAPIC line -------------------------------- */

/**
 * dde_pci_intx_irq() - the Linux IRQ of a function's INTx line
 * @pdev: a function with an interrupt pin
 *
 * Context: thread, may sleep.
 * Return: the IRQ number (the GSI), -ENODEV when the firmware routed no
 * line, or the IRQ layer's error.
 */
int dde_pci_intx_irq(struct pci_dev *pdev)
{
	const struct ddeos_pci_func *f = to_dde_pci_dev(pdev)->func;
	unsigned int gsi = f->gsi;

	if (gsi == DDEOS_PCI_NO_GSI || gsi >= DDE_IRQ_NR_GSI) {
		pci_warn(pdev, "INTx pin %c has no usable interrupt line (GSI %u)\n",
			 'A' + pdev->pin - 1, gsi);
		return -ENODEV;
	}
	/* Linux numbers a GSI's IRQ by the GSI; the line is made once and
	 * shared by every function wired to it. Trigger and polarity as the
	 * firmware's MADT says: QEMU's PCI lines are ISA IRQs made
	 * level-triggered, active high, by overrides. */
	return dde_irq_gsi(gsi, gsi, f->gsi_level, f->gsi_active_low);
}

/* ---- allocating vectors ------------------------------------------------------------ */

static void msix_ctrl(struct pci_dev *dev, u16 clear, u16 set)
{
	u16 ctrl;

	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, (ctrl & ~clear) | set);
}

static void vectors_free(struct pci_dev *dev, struct dde_pci_vectors *vs)
{
	unsigned int i;

	for (i = 0; i < vs->nvec; i++)
		if (vs->vec[i].irq > 0)
			dde_irq_destroy(vs->vec[i].irq);
	if (vs->msix) {
		msix_ctrl(dev, PCI_MSIX_FLAGS_ENABLE, PCI_MSIX_FLAGS_MASKALL);
		iounmap(vs->table);
		dev->msix_enabled = 0;
	}
	if (vs->msi) {
		u16 ctrl;

		pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
		pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS,
				      ctrl & ~PCI_MSI_FLAGS_ENABLE);
		dev->msi_enabled = 0;
	}
	if (vs->msix || vs->msi)
		pci_intx(dev, 1);
	kfree(vs->masks);
	kfree(vs);
}

static int vectors_setup(struct pci_dev *dev, struct dde_pci_vectors *vs,
			 const struct dde_irq_chip *chip)
{
	unsigned int i;

	for (i = 0; i < vs->nvec; i++) {
		struct pci_vector *v = &vs->vec[i];
		unsigned int flags = 0;

		v->pdev = dev;
		if (vs->table)
			v->entry = vs->table + i * PCI_MSIX_ENTRY_SIZE;
		if (vs->masks && vs->masks[i].is_managed)
			flags |= DDE_IRQ_MANAGED;
		v->irq = dde_irq_create(chip, v, vs->masks ? &vs->masks[i].mask : NULL,
					flags);
		if (v->irq < 0)
			return v->irq;
	}
	return 0;
}

static struct dde_pci_vectors *vectors_alloc(unsigned int nvec, struct irq_affinity *affd)
{
	struct dde_pci_vectors *vs = kzalloc(struct_size(vs, vec, nvec), GFP_KERNEL);

	if (!vs)
		return NULL;
	vs->nvec = nvec;
	if (affd) {
		vs->masks = irq_create_affinity_masks(nvec, affd);
		if (!vs->masks) {
			kfree(vs);
			return NULL;
		}
	}
	return vs;
}

static int msix_enable(struct pci_dev *dev, unsigned int min, unsigned int max,
		       struct irq_affinity *affd)
{
	struct dde_pci_vectors *vs;
	unsigned int size, nvec, bir;
	u16 ctrl;
	u32 table;
	int err;

	if (!dev->msix_cap)
		return -EINVAL;
	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	size = (ctrl & PCI_MSIX_FLAGS_QSIZE) + 1;
	if (size < min)
		return -ENOSPC;
	nvec = min(max, size);
	if (affd)
		nvec = min(nvec, irq_calc_affinity_vectors(min, nvec, affd));
	if (nvec < min)
		return -ENOSPC;
	pci_read_config_dword(dev, dev->msix_cap + PCI_MSIX_TABLE, &table);
	bir = table & PCI_MSIX_TABLE_BIR;
	if (bir >= PCI_STD_NUM_BARS || !pci_resource_len(dev, bir) ||
	    (table & PCI_MSIX_TABLE_OFFSET) + size * PCI_MSIX_ENTRY_SIZE >
	    pci_resource_len(dev, bir)) {
		pci_err(dev, "MSI-X table in BAR %u at %#x does not fit\n", bir,
			table & PCI_MSIX_TABLE_OFFSET);
		return -EINVAL;
	}
	vs = vectors_alloc(nvec, affd);
	if (!vs)
		return -ENOMEM;
	vs->msix = true;
	vs->table = ioremap(pci_resource_start(dev, bir) + (table & PCI_MSIX_TABLE_OFFSET),
			    size * PCI_MSIX_ENTRY_SIZE);
	if (!vs->table) {
		vs->msix = false;
		vectors_free(dev, vs);
		return -ENOMEM;
	}
	/* Enabled with the whole function masked while entries are written
	 * (Linux: msix_capability_init()); INTx off. */
	msix_ctrl(dev, 0, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	for (unsigned int i = 0; i < size; i++)
		writel(PCI_MSIX_ENTRY_CTRL_MASKBIT,
		       vs->table + i * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL);
	err = vectors_setup(dev, vs, &msix_chip);
	if (err) {
		vectors_free(dev, vs);
		return err;
	}
	pci_intx(dev, 0);
	msix_ctrl(dev, PCI_MSIX_FLAGS_MASKALL, 0);
	dev->msix_enabled = 1;
	to_dde_pci_dev(dev)->vectors = vs;
	return nvec;
}

static int msi_enable(struct pci_dev *dev, unsigned int min, struct irq_affinity *affd)
{
	struct dde_pci_vectors *vs;
	u16 ctrl;
	int err;

	if (!dev->msi_cap || min > 1)
		return -EINVAL;
	vs = vectors_alloc(1, affd);
	if (!vs)
		return -ENOMEM;
	vs->msi = true;
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	ctrl &= ~PCI_MSI_FLAGS_QSIZE;		/* one message */
	pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, ctrl);
	err = vectors_setup(dev, vs, &msi_chip);
	if (err) {
		vectors_free(dev, vs);
		return err;
	}
	pci_intx(dev, 0);
	pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, ctrl | PCI_MSI_FLAGS_ENABLE);
	dev->msi_enabled = 1;
	to_dde_pci_dev(dev)->vectors = vs;
	return 1;
}

/**
 * pci_alloc_irq_vectors_affinity() - interrupt vectors for a function
 * @dev: the function
 * @min_vecs: fewest acceptable
 * @max_vecs: most wanted
 * @flags: PCI_IRQ_MSIX, PCI_IRQ_MSI, PCI_IRQ_LEGACY, PCI_IRQ_AFFINITY
 * @affd: how to spread them (pre/post vectors), or NULL
 *
 * Context: thread, may sleep.
 * Return: the number of vectors, or -ENOSPC when fewer than @min_vecs
 * could be had, -EINVAL if vectors are in use already, another -errno.
 */
int pci_alloc_irq_vectors_affinity(struct pci_dev *dev, unsigned int min_vecs,
				   unsigned int max_vecs, unsigned int flags,
				   struct irq_affinity *affd)
{
	struct irq_affinity spread_all = { 0 };
	int nvec = -ENOSPC;

	if (flags & PCI_IRQ_AFFINITY)
		affd = affd ?: &spread_all;
	else if (WARN_ON(affd))
		affd = NULL;
	if (WARN(to_dde_pci_dev(dev)->vectors || dev->msix_enabled || dev->msi_enabled,
		 "%s: vectors allocated twice\n", pci_name(dev)))
		return -EINVAL;
	if (!min_vecs || min_vecs > max_vecs)
		return -ERANGE;
	if (flags & PCI_IRQ_MSIX) {
		nvec = msix_enable(dev, min_vecs, max_vecs, affd);
		if (nvec > 0)
			return nvec;
	}
	if (flags & PCI_IRQ_MSI) {
		nvec = msi_enable(dev, min_vecs, affd);
		if (nvec > 0)
			return nvec;
	}
	if ((flags & PCI_IRQ_LEGACY) && min_vecs == 1 && dev->irq) {
		pci_intx(dev, 1);
		return 1;
	}
	return nvec;
}
EXPORT_SYMBOL(pci_alloc_irq_vectors_affinity);

void pci_free_irq_vectors(struct pci_dev *dev)
{
	struct dde_pci_dev *d = to_dde_pci_dev(dev);

	if (d->vectors)
		vectors_free(dev, d->vectors);
	d->vectors = NULL;
}
EXPORT_SYMBOL(pci_free_irq_vectors);

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	struct dde_pci_vectors *vs = to_dde_pci_dev(dev)->vectors;

	if (vs)
		return nr < vs->nvec ? vs->vec[nr].irq : -EINVAL;
	return nr == 0 && dev->irq ? dev->irq : -EINVAL;
}
EXPORT_SYMBOL(pci_irq_vector);

/* The CPUs vector @nr was spread to; INTx does not say (all of them). */
const struct cpumask *pci_irq_get_affinity(struct pci_dev *dev, int nr)
{
	struct dde_pci_vectors *vs = to_dde_pci_dev(dev)->vectors;

	if (!vs)
		return cpu_possible_mask;
	if (WARN_ON_ONCE(nr < 0 || nr >= vs->nvec))
		return NULL;
	return vs->masks ? &vs->masks[nr].mask : NULL;
}
EXPORT_SYMBOL(pci_irq_get_affinity);
