// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device memory for drivers (stands in for Linux's arch/x86/mm/ioremap.c):
 * the kernel maps the physical range uncached, or write-combining, in its
 * own virtual range for device memory and hands back the address of the
 * first byte asked for. There is no PAT bookkeeping: two mappings of one
 * range with different caching are not refused, as Linux would.
 */
#include <linux/io.h>
#include <linux/printk.h>
#include <dde/dde.h>

static __always_inline void __iomem *map(resource_size_t phys, unsigned long size, unsigned int mode)
{
	void *p = ddeos_ioremap(phys, size, mode);

	if (!p)
		pr_err("ioremap %pa+%#lx failed, from %pS\n", &phys, size,
		       __builtin_return_address(0));
	return (void __iomem *)p;
}

void __iomem *ioremap(resource_size_t phys, unsigned long size)
{
	return map(phys, size, DDEOS_IOREMAP_UC);
}
EXPORT_SYMBOL(ioremap);

void __iomem *ioremap_wc(resource_size_t phys, unsigned long size)
{
	return map(phys, size, DDEOS_IOREMAP_WC);
}
EXPORT_SYMBOL(ioremap_wc);

void iounmap(volatile void __iomem *addr)
{
	if (addr)
		ddeos_iounmap((void *)addr);
}
EXPORT_SYMBOL(iounmap);
