// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA API on physical addresses (Linux: kernel/dma/mapping.c and
 * kernel/dma/direct.c, for a cache-coherent x86 without IOMMU or swiotlb).
 * A bus address is the physical address; mapping checks it against the
 * device's mask and fails loudly instead of bouncing (there are no bounce
 * buffers); syncing has nothing to do on coherent x86. Coherent memory comes
 * from the pool's DMA32 zone when the device's coherent mask cannot reach
 * all RAM. Drivers that skip the DMA API and hand physical addresses to the
 * device (virtio without VIRTIO_F_ACCESS_PLATFORM) see the same addresses.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/scatterlist.h>
#include <dde/mm.h>

/* The highest RAM address + 1 (the pool's memory ends there). */
static u64 ram_end(void)
{
	return ddeos_mem_phys_end();
}

/* As dma_direct_supported() with no ZONE_DMA: the mask must reach the top
 * of the DMA32 zone, or all RAM if that ends lower. */
int dma_supported(struct device *dev, u64 mask)
{
	return mask >= min_t(u64, DMA_BIT_MASK(32), ram_end() - 1);
}

static int set_mask(struct device *dev, u64 mask, u64 *where, const char *what)
{
	if (!where || !dma_supported(dev, mask)) {
		pr_warn("dma: %s: %s %#llx cannot be met: %s\n",
			dev_name(dev), what, mask,
			where ? "memory below 4 GiB is the lowest the DDE can give"
			      : "the device has no DMA mask");
		return -EIO;
	}
	*where = mask;
	return 0;
}

int dma_set_mask(struct device *dev, u64 mask)
{
	return set_mask(dev, mask, dev->dma_mask, "DMA mask");
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	return set_mask(dev, mask, &dev->coherent_dma_mask, "coherent DMA mask");
}

/* Can the device reach [phys, phys + size)? (dma_capable()) */
static bool reachable(struct device *dev, phys_addr_t phys, size_t size)
{
	u64 limit;

	if (!dev->dma_mask)
		return false;
	limit = min_not_zero(*dev->dma_mask, dev->bus_dma_limit);
	return size && phys + size - 1 <= limit;
}

static dma_addr_t map_phys(struct device *dev, phys_addr_t phys, size_t size,
			   enum dma_data_direction dir)
{
	BUG_ON(!valid_dma_direction(dir));
	if (unlikely(!reachable(dev, phys, size))) {
		static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);

		if (__ratelimit(&rs))
			pr_err("dma: %s: buffer %pa+%#zx is beyond the device's DMA mask %#llx (no bounce buffers), from %pS\n",
			       dev_name(dev), &phys, size,
			       dev->dma_mask ? *dev->dma_mask : 0ull,
			       __builtin_return_address(1));
		return DMA_MAPPING_ERROR;
	}
	return phys;
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	return map_phys(dev, page_to_phys(page) + offset, size, dir);
}

/* No IOMMU and no bounce buffers: nothing to undo or copy back. */
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	BUG_ON(!valid_dma_direction(dir));
}

/* Return: entries mapped (each segment is its own), or -EIO. */
static int map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = map_phys(dev, sg_phys(sg), sg->length, dir);
		if (sg->dma_address == DMA_MAPPING_ERROR)
			return -EIO;
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg,
			      int nents, enum dma_data_direction dir,
			      unsigned long attrs)
{
	int n = map_sg(dev, sg, nents, dir);

	return n < 0 ? 0 : n;
}

int dma_map_sgtable(struct device *dev, struct sg_table *sgt,
		    enum dma_data_direction dir, unsigned long attrs)
{
	int n = map_sg(dev, sgt->sgl, sgt->orig_nents, dir);

	if (n < 0)
		return n;
	sgt->nents = n;
	return 0;
}

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
	BUG_ON(!valid_dma_direction(dir));
}

/* x86 is cache-coherent for DMA: the CPU and the device see one memory. */
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	BUG_ON(!valid_dma_direction(dir));
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir)
{
	BUG_ON(!valid_dma_direction(dir));
}

void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg,
			 int nelems, enum dma_data_direction dir)
{
	BUG_ON(!valid_dma_direction(dir));
}

void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg,
			    int nelems, enum dma_data_direction dir)
{
	BUG_ON(!valid_dma_direction(dir));
}

bool dma_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	return false;
}

size_t dma_max_mapping_size(struct device *dev)
{
	return SIZE_MAX;
}

size_t dma_opt_mapping_size(struct device *dev)
{
	return SIZE_MAX;
}

u64 dma_get_required_mask(struct device *dev)
{
	return DMA_BIT_MASK(fls64(ram_end() - 1));
}

/*
 * Zeroed pages the device reaches with its coherent mask: from the DMA32
 * zone when the mask stops below the end of RAM. Context: as @gfp allows.
 */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs)
{
	u64 mask = dev->coherent_dma_mask;
	struct page *page;
	phys_addr_t phys;

	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_COMP);
	if (!mask || !dma_supported(dev, mask)) {
		pr_err("dma: %s: coherent DMA mask %#llx cannot be met, from %pS\n",
		       dev_name(dev), mask, (void *)_RET_IP_);
		return NULL;
	}
	if (mask < ram_end() - 1)
		gfp |= __GFP_DMA32;
	page = dde_alloc_pages(gfp | __GFP_ZERO, get_order(size), _RET_IP_);
	if (!page)
		return NULL;
	phys = page_to_phys(page);
	if (WARN(phys + size - 1 > mask,
		 "dma: %s: pool gave %pa+%#zx above coherent mask %#llx\n",
		 dev_name(dev), &phys, size, mask)) {
		__free_pages(page, get_order(size));
		return NULL;
	}
	*dma_handle = phys;
	return page_address(page);
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs)
{
	if (!cpu_addr)
		return;
	WARN(virt_to_phys(cpu_addr) != dma_handle,
	     "dma: %s: freeing %px with handle %pad that is not its own\n",
	     dev_name(dev), cpu_addr, &dma_handle);
	__free_pages(virt_to_page(cpu_addr), get_order(size));
}
