// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DDE's PCI layer as the probed drivers left it (dde/drivers/pci/):
 * every MSI-X vector of a managed spread is delivered to the CPU of its
 * mask, INTx lines are numbered by their GSI, config space reads what the
 * kernel's scan saw and refuses what is out of range, and a BAR a driver
 * holds cannot be reserved twice. Booted with virtio devices attached
 * (tools/check: probe-*-linux_pci); without any, the cases skip.
 */
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <dde/dde.h>
#include <dde/irq.h>
#include "linux_ktest.h"

/* The drivers' functions: bound ones first found. */
static struct pci_dev *next_bound(struct pci_dev *from)
{
	struct pci_dev *pdev = from;

	while ((pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev)))
		if (pdev->dev.driver)
			return pdev;
	return NULL;
}

static void msix_vectors_on_their_cpus(struct ddeos_ktest *t)
{
	struct pci_dev *pdev = NULL;
	int checked = 0, wrong = 0;

	while ((pdev = next_bound(pdev))) {
		for (int i = 0; pdev->msix_enabled; i++) {
			const struct cpumask *m;
			unsigned int cpu, vec;
			int irq = pci_irq_vector(pdev, i);

			if (irq < 0)
				break;
			m = pci_irq_get_affinity(pdev, i);
			if (!EXPECT(t, !dde_irq_target(irq, &cpu, &vec)))
				continue;
			if (m && !cpumask_test_cpu(cpu, m)) {
				wrong++;
				pr_err("%s vector %d (irq %d) on CPU %u, mask %*pbl\n",
				       pci_name(pdev), i, irq, cpu, cpumask_pr_args(m));
			}
			checked++;
		}
	}
	if (!checked)
		t->skip = "no MSI-X function bound";
	EXPECT(t, !wrong, "%d of %d vectors off their CPUs", wrong, checked);
}

static void intx_irq_is_the_gsi(struct ddeos_ktest *t)
{
	struct pci_dev *pdev = NULL;
	int seen = 0;

	while ((pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev))) {
		if (!pdev->pin || !pdev->irq)
			continue;
		seen++;
		EXPECT(t, pdev->irq < DDE_IRQ_NR_GSI, "%s: irq %u", pci_name(pdev), pdev->irq);
	}
	if (!seen)
		t->skip = "no function with an INTx line";
}

static void config_space_reads_and_refuses(struct ddeos_ktest *t)
{
	struct pci_dev *pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
	u16 vendor, cmd;
	u32 v;

	if (!pdev) {
		t->skip = "no PCI function";
		return;
	}
	EXPECT(t, !pci_read_config_word(pdev, PCI_VENDOR_ID, &vendor) && vendor == pdev->vendor);
	EXPECT(t, pci_read_config_dword(pdev, pdev->cfg_size, &v) ==
		  PCIBIOS_BAD_REGISTER_NUMBER && v == ~0u, "read past the end: %#x", v);
	EXPECT(t, pci_read_config_dword(pdev, 2, &v) == PCIBIOS_BAD_REGISTER_NUMBER,
	       "misaligned read taken");
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	EXPECT(t, !(pdev->dev.driver && pdev->is_busmaster) || (cmd & PCI_COMMAND_MASTER));
	pci_dev_put(pdev);
}

static void bound_bars_cannot_be_reserved_twice(struct ddeos_ktest *t)
{
	struct pci_dev *pdev = NULL;
	int tried = 0;

	while ((pdev = next_bound(pdev))) {
		for (int bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
			if (!pci_resource_len(pdev, bar))
				continue;
			if (pci_request_region(pdev, bar, "ktest")) {
				tried++;	/* the driver holds it: refused */
				continue;
			}
			pci_release_region(pdev, bar);	/* not the driver's */
		}
	}
	if (!tried)
		t->skip = "no BAR held by a driver";
}

static const struct ddeos_ktest_case linux_pci_cases[] = {
	{ "msix_vectors_on_their_cpus", msix_vectors_on_their_cpus },
	{ "intx_irq_is_the_gsi", intx_irq_is_the_gsi },
	{ "config_space_reads_and_refuses", config_space_reads_and_refuses },
	{ "bound_bars_cannot_be_reserved_twice", bound_bars_cannot_be_reserved_twice },
};

LINUX_KTEST_SUITE(linux_pci, linux_pci_cases);
