// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a driver does with its PCI function (stands in for Linux's
 * drivers/pci/access.c and the device half of drivers/pci/pci.c): config
 * space through the kernel (kernel/pci/), enabling decoding and bus
 * mastering, walking the capability lists, and reserving BARs. Power states
 * stay D0, there is no error recovery, no SR-IOV and no ROM; reserving a BAR
 * twice fails as Linux's request_region() would.
 */
#include <linux/pci.h>
#include <linux/printk.h>
#include "pci.h"

/* ---- config space -------------------------------------------------------- */

static int config_read(const struct pci_dev *dev, int where, int size, u32 *val)
{
	unsigned int v = ~0u;
	int err = -EINVAL;

	if (where >= 0 && where + size <= dev->cfg_size && !(where & (size - 1)))
		err = ddeos_pci_read(to_dde_pci_dev(dev)->func, where, size, &v);
	*val = err ? ~0u : v;	/* as Linux: all ones on failure */
	return err ? PCIBIOS_BAD_REGISTER_NUMBER : PCIBIOS_SUCCESSFUL;
}

static int config_write(const struct pci_dev *dev, int where, int size, u32 val)
{
	if (where < 0 || where + size > dev->cfg_size || (where & (size - 1)))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	if (ddeos_pci_write(to_dde_pci_dev(dev)->func, where, size, val))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	return PCIBIOS_SUCCESSFUL;
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int ret = config_read(dev, where, 1, &v);

	*val = v;
	return ret;
}
EXPORT_SYMBOL(pci_read_config_byte);

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int ret = config_read(dev, where, 2, &v);

	*val = v;
	return ret;
}
EXPORT_SYMBOL(pci_read_config_word);

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return config_read(dev, where, 4, val);
}
EXPORT_SYMBOL(pci_read_config_dword);

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return config_write(dev, where, 1, val);
}
EXPORT_SYMBOL(pci_write_config_byte);

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return config_write(dev, where, 2, val);
}
EXPORT_SYMBOL(pci_write_config_word);

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return config_write(dev, where, 4, val);
}
EXPORT_SYMBOL(pci_write_config_dword);

/* Is the function still there? A removed one reads all ones. */
bool pci_device_is_present(struct pci_dev *pdev)
{
	u32 v;

	pci_read_config_dword(pdev, PCI_VENDOR_ID, &v);
	return v != ~0u;
}
EXPORT_SYMBOL(pci_device_is_present);

/* ---- enabling ---------------------------------------------------------------- */

static void command_update(struct pci_dev *dev, u16 clear, u16 set)
{
	u16 cmd, new;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	new = (cmd & ~clear) | set;
	if (new != cmd)
		pci_write_config_word(dev, PCI_COMMAND, new);
}

/**
 * pci_enable_device() - make the function decode its BARs
 * @dev: the function
 *
 * Turns on I/O and memory decoding for the kinds of BAR the function has
 * (its INTx line's Linux IRQ, dev->irq, exists from the scan on, as
 * Linux's legacy IRQs exist from boot). Nested calls are counted.
 *
 * Context: thread, may sleep.
 * Return: 0.
 */
int pci_enable_device(struct pci_dev *dev)
{
	u16 set = 0;
	int i;

	if (atomic_inc_return(&dev->enable_cnt) > 1)
		return 0;
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		unsigned long flags = pci_resource_flags(dev, i);

		if (!pci_resource_len(dev, i))
			continue;
		set |= flags & IORESOURCE_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	command_update(dev, 0, set);
	dev->current_state = PCI_D0;
	return 0;
}
EXPORT_SYMBOL(pci_enable_device);

/* Linux's pci_disable_device() turns off bus mastering only. */
void pci_disable_device(struct pci_dev *dev)
{
	if (WARN(atomic_read(&dev->enable_cnt) <= 0, "%s: disabled while not enabled\n",
		 pci_name(dev)))
		return;
	if (atomic_dec_return(&dev->enable_cnt) != 0)
		return;
	command_update(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 0;
}
EXPORT_SYMBOL(pci_disable_device);

void pci_set_master(struct pci_dev *dev)
{
	command_update(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = 1;
}
EXPORT_SYMBOL(pci_set_master);

void pci_clear_master(struct pci_dev *dev)
{
	command_update(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 0;
}
EXPORT_SYMBOL(pci_clear_master);

/* INTx on or off (Linux: drivers/pci/pci.c); MSI turns it off. */
void pci_intx(struct pci_dev *pdev, int enable)
{
	if (enable)
		command_update(pdev, PCI_COMMAND_INTX_DISABLE, 0);
	else
		command_update(pdev, 0, PCI_COMMAND_INTX_DISABLE);
}
EXPORT_SYMBOL(pci_intx);

/* ---- capabilities -------------------------------------------------------------- */

/* A list of at most 48 entries (256 bytes of 4-byte-aligned capabilities,
 * Linux's PCI_FIND_CAP_TTL), so a looping list ends. */
#define CAP_TTL	48

static u8 find_cap_from(struct pci_dev *dev, u8 pos, int cap)
{
	int ttl = CAP_TTL;
	u16 ent;

	pci_read_config_byte(dev, pos, &pos);
	while (ttl--) {
		if (pos < 0x40)
			break;
		pos &= ~3;
		pci_read_config_word(dev, pos, &ent);
		if ((ent & 0xff) == 0xff)
			break;
		if ((ent & 0xff) == cap)
			return pos;
		pos = ent >> 8;
	}
	return 0;
}

u8 pci_find_capability(struct pci_dev *dev, int cap)
{
	u16 status;

	pci_read_config_word(dev, PCI_STATUS, &status);
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	/* Type 2 (CardBus) headers keep the list elsewhere; none here. */
	if (dev->hdr_type == PCI_HEADER_TYPE_CARDBUS)
		return find_cap_from(dev, PCI_CB_CAPABILITY_LIST, cap);
	return find_cap_from(dev, PCI_CAPABILITY_LIST, cap);
}
EXPORT_SYMBOL(pci_find_capability);

u8 pci_find_next_capability(struct pci_dev *dev, u8 pos, int cap)
{
	return find_cap_from(dev, pos + PCI_CAP_LIST_NEXT, cap);
}
EXPORT_SYMBOL(pci_find_next_capability);

/* Extended capabilities live above 256 bytes: only with ECAM (q35). */
u16 pci_find_next_ext_capability(struct pci_dev *dev, u16 start, int cap)
{
	int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	u16 pos = start ? start : PCI_CFG_SPACE_SIZE;
	u32 header;

	if (dev->cfg_size <= PCI_CFG_SPACE_SIZE)
		return 0;
	if (pci_read_config_dword(dev, pos, &header) != PCIBIOS_SUCCESSFUL)
		return 0;
	if (header == 0 || header == ~0u)
		return 0;
	while (ttl-- > 0) {
		if (PCI_EXT_CAP_ID(header) == cap && pos != start)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
		if (pci_read_config_dword(dev, pos, &header) != PCIBIOS_SUCCESSFUL)
			break;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(pci_find_next_ext_capability);

u16 pci_find_ext_capability(struct pci_dev *dev, int cap)
{
	return pci_find_next_ext_capability(dev, 0, cap);
}
EXPORT_SYMBOL_GPL(pci_find_ext_capability);

/* ---- reserving BARs ------------------------------------------------------------- */

/**
 * pci_request_region() - reserve one BAR for a driver
 * @pdev: the function
 * @bar: BAR number
 * @res_name: the owner, for the message when someone else asks
 *
 * An empty BAR is nothing to reserve (Linux returns 0 too). The kernel
 * hands each BAR to one driver at a time.
 *
 * Context: thread.
 * Return: 0, or -EBUSY if it is reserved already.
 */
int pci_request_region(struct pci_dev *pdev, int bar, const char *res_name)
{
	struct dde_pci_dev *d = to_dde_pci_dev(pdev);

	if (bar < 0 || bar >= PCI_STD_NUM_BARS || !pci_resource_len(pdev, bar))
		return 0;
	if (test_and_set_bit(bar, &d->regions)) {
		pci_warn(pdev, "BAR %d: can't reserve %pR for %s: owned by %s\n", bar,
			 &pdev->resource[bar], res_name, d->region_owner[bar]);
		return -EBUSY;
	}
	d->region_owner[bar] = res_name;
	return 0;
}
EXPORT_SYMBOL(pci_request_region);

void pci_release_region(struct pci_dev *pdev, int bar)
{
	struct dde_pci_dev *d = to_dde_pci_dev(pdev);

	if (bar < 0 || bar >= PCI_STD_NUM_BARS || !pci_resource_len(pdev, bar))
		return;
	WARN(!test_and_clear_bit(bar, &d->regions),
	     "%s: BAR %d released but not reserved\n", pci_name(pdev), bar);
}
EXPORT_SYMBOL(pci_release_region);

void pci_release_selected_regions(struct pci_dev *pdev, int bars)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		if (bars & (1 << i))
			pci_release_region(pdev, i);
}
EXPORT_SYMBOL(pci_release_selected_regions);

int pci_request_selected_regions(struct pci_dev *pdev, int bars, const char *res_name)
{
	int i, err;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (!(bars & (1 << i)))
			continue;
		err = pci_request_region(pdev, i, res_name);
		if (err) {
			pci_release_selected_regions(pdev, bars & ((1 << i) - 1));
			return err;
		}
	}
	return 0;
}
EXPORT_SYMBOL(pci_request_selected_regions);
