// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory helpers around kmalloc (Linux: mm/util.c, mm/vmalloc.c). ddeos
 * maps all RAM once and has no vmalloc area: no address is a vmalloc
 * address, and kvmalloc() is kmalloc() up to the largest page block
 * (4 MiB), beyond which it fails with a message naming the caller.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/sections.h>
#include <linux/uaccess.h>
#include <dde/mm.h>

bool is_vmalloc_addr(const void *x)
{
	return false;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = __kmalloc_node_track_caller(len, gfp, NUMA_NO_NODE, _RET_IP_);

	if (p)
		memcpy(p, src, len);
	return p;
}

/* @len bytes of @s and a terminating NUL. */
static char *dup_bytes(const char *s, size_t len, gfp_t gfp, unsigned long caller)
{
	char *p = __kmalloc_node_track_caller(len + 1, gfp, NUMA_NO_NODE, caller);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	return s ? dup_bytes(s, len, gfp, _RET_IP_) : NULL;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? dup_bytes(s, strlen(s), gfp, _RET_IP_) : NULL;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	return s ? dup_bytes(s, strnlen(s, max), gfp, _RET_IP_) : NULL;
}

/* Strings in the image's .rodata live for ever and are not copied. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	if (is_kernel_rodata((unsigned long)s))
		return s;
	return s ? dup_bytes(s, strlen(s), gfp, _RET_IP_) : NULL;
}

void kfree_const(const void *x)
{
	if (!is_kernel_rodata((unsigned long)x))
		kfree(x);
}

void *kvmalloc_node(size_t size, gfp_t gfp, int node)
{
	if (size > (PAGE_SIZE << DDEOS_MEM_MAX_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kvmalloc: %zu bytes from %pS: ddeos has no vmalloc area; the largest block is %lu bytes\n",
				size, (void *)_RET_IP_, PAGE_SIZE << DDEOS_MEM_MAX_ORDER);
		return NULL;
	}
	return __kmalloc_node_track_caller(size, gfp, node, _RET_IP_);
}

void kvfree(const void *addr)
{
	kfree(addr);
}

/*
 * __vmalloc() without a vmalloc area (Linux: mm/vmalloc.c): the memory is
 * physically contiguous too, which vmalloc's callers may not rely on but
 * cannot tell; beyond the largest page block it fails like kvmalloc().
 * vfree() takes only what __vmalloc() gave. Context of both: thread, may
 * sleep (as Linux's __vmalloc(); vfree() may run in any context here).
 */
void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	return kvmalloc_node(size, gfp_mask, NUMA_NO_NODE);
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL);
}

void vfree(const void *addr)
{
	kfree(addr);
}

/**
 * mem_dump_obj - say what kind of memory @object is in, for diagnostics
 * @object: any address
 *
 * Linux's (mm/util.c) prints the slab cache and allocation site of a slab
 * object; this one says only which kind of memory it is (the memory pool
 * keeps no allocation sites), continuing the caller's line.
 *
 * Context: any.
 */
void mem_dump_obj(void *object)
{
	const char *type;

	if (object == NULL)
		type = "NULL pointer";
	else if (object == ZERO_SIZE_PTR)
		type = "zero-size pointer";
	else if ((unsigned long)object < PAGE_OFFSET ||
		 (unsigned long)object - PAGE_OFFSET >= ddeos_mem_phys_end())
		/* not the direct map (the kernel image, stacks, ioremap): no
		 * struct page to look at */
		type = "non-paged memory";
	else if (PageSlab(virt_to_head_page(object)))
		type = "slab object";
	else
		type = "non-slab/vmalloc memory";
	pr_cont(" %s\n", type);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (likely(!ZERO_OR_NULL_PTR(addr))) {
		memzero_explicit((void *)addr, len);
		kfree(addr);
	}
}

void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t gfp)
{
	void *q;

	if (oldsize >= newsize)
		return (void *)p;
	q = kvmalloc(newsize, gfp);
	if (!q)
		return NULL;
	memcpy(q, p, oldsize);
	kvfree(p);
	return q;
}

/*
 * Copy from a kernel address that may not be mapped (Linux: mm/maccess.c).
 * Only what is mapped for certain is read: the direct map of RAM and the
 * image; anything else is -EFAULT rather than a fault.
 */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	unsigned long a = (unsigned long)src;

	if ((a >= PAGE_OFFSET && a + size <= PAGE_OFFSET + (ddeos_mem_phys_end()) &&
	     a + size >= a) ||
	    (a >= __START_KERNEL_map && a + size >= a)) {
		memcpy(dst, src, size);
		return 0;
	}
	return -EFAULT;
}
