// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket buffers (Linux: net/core/skbuff.c, and the freeing half of
 * net/core/dev.c). Linux's layout is kept exactly, since drivers use the
 * inlines of <linux/skbuff.h> on it: the head is one block, data grows
 * from head toward end, and struct skb_shared_info (frags, frag_list,
 * dataref) sits at head + end. What differs: no clones, fclones, page
 * pools, zero-copy or extensions; napi_alloc_skb() takes its head from
 * kmalloc rather than a per-CPU fragment cache.
 *
 * Life cycle: an skb has one reference (users) and its head one (dataref).
 * The last kfree_skb()/consume_skb() releases the head: each frag's page
 * reference goes back through put_page() exactly once, the frag_list is
 * freed, then the head itself (kfree, or page_frag_free() for a head built
 * on a page fragment). Freeing is safe in any context since the memory
 * pool is; but as Linux, an skb freed with IRQs off or in hard IRQ by
 * dev_kfree_skb_irq()/dev_kfree_skb_any() is queued on the CPU's
 * softnet_data.completion_queue and freed by NET_TX_SOFTIRQ, so a
 * destructor never runs in hard IRQ (dev.c drains the queue).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <dde/net.h>
#include "net_core.h"

struct kmem_cache *skbuff_head_cache __ro_after_init;

/* skbs allocated and not yet freed, for tests and leak reports. */
static atomic_long_t skbs_live = ATOMIC_LONG_INIT(0);

long dde_net_skbs_live(void)
{
	return atomic_long_read(&skbs_live);
}

void dde_net_skb_init(void)
{
	skbuff_head_cache = kmem_cache_create("skbuff_head_cache",
					      sizeof(struct sk_buff), 0,
					      SLAB_HWCACHE_ALIGN | SLAB_PANIC,
					      NULL);
}

/*
 * Lay an skb over the head block @data of @frag_size bytes (0: a kmalloc
 * block, sized by ksize()). The shared info takes the block's tail.
 */
static void skb_init_around(struct sk_buff *skb, void *data,
			    unsigned int frag_size)
{
	unsigned int size = (frag_size ? : ksize(data)) -
			    SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct skb_shared_info *shinfo;

	memset(skb, 0, sizeof(*skb));
	skb->truesize = SKB_TRUESIZE(size);
	refcount_set(&skb->users, 1);
	skb->head = data;
	skb->data = data;
	skb_reset_tail_pointer(skb);
	skb_set_end_offset(skb, size);
	/* "not set yet", which skb_mac_header_was_set() tests */
	skb->mac_header = (typeof(skb->mac_header))~0U;
	skb->transport_header = (typeof(skb->transport_header))~0U;
	skb->alloc_cpu = raw_smp_processor_id();

	shinfo = skb_shinfo(skb);
	memset(shinfo, 0, offsetof(struct skb_shared_info, dataref));
	atomic_set(&shinfo->dataref, 1);
	atomic_long_inc(&skbs_live);
}

/**
 * __alloc_skb - an skb with a linear head of at least @size bytes
 * @size: bytes of data room
 * @gfp: allocation flags
 * @flags: SKB_ALLOC_*; fast clones are not offered, so FCLONE gives a
 *	plain skb (nothing here clones)
 * @node: ignored (one memory pool)
 *
 * Context: any; may sleep only if @gfp allows.
 * Return: the skb, or NULL when out of memory.
 */
struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp, int flags, int node)
{
	struct sk_buff *skb;
	void *data;

	skb = kmem_cache_alloc(skbuff_head_cache, gfp & ~GFP_DMA);
	if (unlikely(!skb))
		return NULL;
	size = SKB_DATA_ALIGN(size) +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	data = kmalloc(size, gfp);
	if (unlikely(!data)) {
		kmem_cache_free(skbuff_head_cache, skb);
		return NULL;
	}
	skb_init_around(skb, data, 0);
	return skb;
}
EXPORT_SYMBOL(__alloc_skb);

/**
 * __napi_alloc_skb - an skb for a NAPI poll, with NET_SKB_PAD headroom
 * @napi: the poll it is for (sets skb->dev)
 * @len: bytes of data room after the headroom
 * @gfp: allocation flags
 *
 * Context: softirq (a NAPI poll), or any context @gfp allows.
 * Return: the skb, or NULL.
 */
struct sk_buff *__napi_alloc_skb(struct napi_struct *napi, unsigned int len,
				 gfp_t gfp)
{
	struct sk_buff *skb;

	skb = __alloc_skb(len + NET_SKB_PAD + NET_IP_ALIGN, gfp, SKB_ALLOC_RX,
			  NUMA_NO_NODE);
	if (unlikely(!skb))
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
	skb->dev = napi->dev;
	return skb;
}
EXPORT_SYMBOL(__napi_alloc_skb);

/**
 * build_skb - an skb over a head the caller filled
 * @data: the block, from kmalloc (@frag_size 0) or a page fragment
 * @frag_size: the fragment's size, shared info included
 *
 * The skb owns @data from now on: a fragment goes back through
 * page_frag_free(), a kmalloc block through kfree().
 * Context: any. Return: the skb, or NULL (then @data is still the caller's).
 */
struct sk_buff *build_skb(void *data, unsigned int frag_size)
{
	struct sk_buff *skb = kmem_cache_alloc(skbuff_head_cache, GFP_ATOMIC);

	if (unlikely(!skb))
		return NULL;
	skb_init_around(skb, data, frag_size);
	if (frag_size) {
		skb->head_frag = 1;
		if (page_is_pfmemalloc(virt_to_head_page(data)))
			skb->pfmemalloc = 1;
	}
	return skb;
}
EXPORT_SYMBOL(build_skb);

struct sk_buff *napi_build_skb(void *data, unsigned int frag_size)
{
	return build_skb(data, frag_size);
}
EXPORT_SYMBOL(napi_build_skb);

static void skb_release_data(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	int i;

	/* One owner of the head: nothing here clones (skb->cloned is 0). */
	if (!atomic_dec_and_test(&shinfo->dataref))
		return;
	for (i = 0; i < shinfo->nr_frags; i++)
		put_page(skb_frag_page(&shinfo->frags[i]));
	shinfo->nr_frags = 0;
	if (shinfo->frag_list)
		kfree_skb_list(shinfo->frag_list);
	if (skb->head_frag)
		skb_free_frag(skb->head);
	else
		kfree(skb->head);
}

static void skb_free(struct sk_buff *skb)
{
	skb_dst_drop(skb);
	if (skb->destructor) {
		WARN_ON_ONCE(in_hardirq());
		skb->destructor(skb);
	}
	if (likely(skb->head))
		skb_release_data(skb);
	kmem_cache_free(skbuff_head_cache, skb);
	atomic_long_dec(&skbs_live);
}

/**
 * kfree_skb_reason - drop a reference; free the skb with the last one
 * @skb: the buffer (NULL is allowed)
 * @reason: why it was dropped (not traced here)
 *
 * Context: any but hard IRQ / IRQs off (use dev_kfree_skb_any() there).
 */
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (skb_unref(skb))
		skb_free(skb);
}
EXPORT_SYMBOL(kfree_skb_reason);

void kfree_skb_list_reason(struct sk_buff *segs, enum skb_drop_reason reason)
{
	while (segs) {
		struct sk_buff *next = segs->next;

		kfree_skb_reason(segs, reason);
		segs = next;
	}
}
EXPORT_SYMBOL(kfree_skb_list_reason);

/**
 * napi_consume_skb - free a transmitted skb from a poll
 * @skb: the buffer
 * @budget: the poll's budget; 0 means a netpoll caller with IRQs maybe off
 *
 * Context: softirq, or any context when @budget is 0.
 */
void napi_consume_skb(struct sk_buff *skb, int budget)
{
	if (unlikely(!budget)) {
		dev_consume_skb_any(skb);
		return;
	}
	consume_skb(skb);
}
EXPORT_SYMBOL(napi_consume_skb);

/**
 * __dev_kfree_skb_irq - free an skb from hard IRQ or with IRQs off
 * @skb: the buffer
 * @reason: consumed or dropped
 *
 * The last reference queues the skb on this CPU's completion queue and
 * raises NET_TX_SOFTIRQ, which frees it (dde_net_complete_skbs()).
 * Context: any.
 */
void __dev_kfree_skb_irq(struct sk_buff *skb, enum skb_free_reason reason)
{
	struct softnet_data *sd;
	unsigned long flags;

	if (unlikely(!skb) || !skb_unref(skb))
		return;
	local_irq_save(flags);
	sd = this_cpu_ptr(&softnet_data);
	skb->next = sd->completion_queue;
	sd->completion_queue = skb;
	raise_softirq_irqoff(NET_TX_SOFTIRQ);
	local_irq_restore(flags);
}
EXPORT_SYMBOL(__dev_kfree_skb_irq);

/** __dev_kfree_skb_any - free an skb in whatever context the caller is in */
void __dev_kfree_skb_any(struct sk_buff *skb, enum skb_free_reason reason)
{
	if (in_hardirq() || irqs_disabled())
		__dev_kfree_skb_irq(skb, reason);
	else
		kfree_skb(skb);
}
EXPORT_SYMBOL(__dev_kfree_skb_any);

/* NET_TX_SOFTIRQ: free what hard IRQs queued on this CPU. */
void dde_net_complete_skbs(void)
{
	struct sk_buff *list;

	local_irq_disable();
	list = __this_cpu_read(softnet_data.completion_queue);
	__this_cpu_write(softnet_data.completion_queue, NULL);
	local_irq_enable();

	while (list) {
		struct sk_buff *skb = list;

		list = list->next;
		/* the reference was dropped when it was queued */
		skb_free(skb);
	}
}

static void __noreturn skb_over_panic(struct sk_buff *skb, unsigned int len,
				      void *addr)
{
	pr_emerg("skb_over_panic: %pS put %u bytes: len %u, tail %u, end %u\n",
		 addr, len, skb->len, skb->tail, skb->end);
	BUG();
}

/**
 * skb_put - extend the linear data by @len bytes
 * Context: any. Return: the first added byte. Overrunning the head is the
 * caller's bug and stops, as in Linux.
 */
void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_tail_pointer(skb);

	SKB_LINEAR_ASSERT(skb);
	skb->tail += len;
	skb->len += len;
	if (unlikely(skb->tail > skb->end))
		skb_over_panic(skb, len, __builtin_return_address(0));
	return tmp;
}
EXPORT_SYMBOL(skb_put);

/**
 * skb_add_rx_frag - append a page fragment as frag @i
 * @skb: the buffer; @i: the slot (nr_frags becomes @i + 1)
 * @page: the page, whose reference the skb takes over
 * @off: offset in @page; @size: bytes of data
 * @truesize: memory it accounts for
 *
 * Context: any.
 */
void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off,
		     int size, unsigned int truesize)
{
	skb_fill_page_desc(skb, i, page, off, size);
	skb->len += size;
	skb->data_len += size;
	skb->truesize += truesize;
}
EXPORT_SYMBOL(skb_add_rx_frag);

/**
 * skb_coalesce_rx_frag - grow frag @i by @size bytes that follow it
 * Context: any. The caller dropped the extra page reference itself.
 */
void skb_coalesce_rx_frag(struct sk_buff *skb, int i, int size,
			  unsigned int truesize)
{
	skb_frag_size_add(&skb_shinfo(skb)->frags[i], size);
	skb->len += size;
	skb->data_len += size;
	skb->truesize += truesize;
}
EXPORT_SYMBOL(skb_coalesce_rx_frag);

/* Give @skb a new head with @extra more tailroom (Linux: pskb_expand_head). */
static int skb_grow_head(struct sk_buff *skb, unsigned int extra, gfp_t gfp)
{
	unsigned int size = skb_end_offset(skb) + extra;
	unsigned int shsize = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	unsigned int off = skb->data - skb->head;
	u8 *data;

	data = kmalloc(SKB_DATA_ALIGN(size) + shsize, gfp);
	if (!data)
		return -ENOMEM;
	size = ksize(data) - shsize;
	memcpy(data, skb->head, skb_tail_pointer(skb) - skb->head);
	memcpy(data + size, skb_shinfo(skb),
	       offsetof(struct skb_shared_info, frags[skb_shinfo(skb)->nr_frags]));
	/* The frags moved with the shared info: free only the old block. */
	if (skb->head_frag)
		skb_free_frag(skb->head);
	else
		kfree(skb->head);
	skb->head = data;
	skb->head_frag = 0;
	skb->data = data + off;
	skb_set_end_offset(skb, size);
	return 0;
}

/**
 * __pskb_pull_tail - move @delta bytes from the frags into the linear part
 * @skb: a non-cloned skb whose frag_list, if any, is not needed for @delta
 * @delta: bytes to pull
 *
 * Fully pulled frags drop their page reference; a partly pulled one moves
 * its offset. Context: any (allocates atomically when the head is short).
 * Return: the new tail, or NULL when out of memory or the frags hold less
 * than @delta bytes.
 */
void *__pskb_pull_tail(struct sk_buff *skb, int delta)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	int i, k, eat, in_frags = 0;

	for (i = 0; i < shinfo->nr_frags; i++)
		in_frags += skb_frag_size(&shinfo->frags[i]);
	if (delta <= 0 || delta > in_frags)
		return NULL;
	if (skb_tailroom(skb) < delta &&
	    skb_grow_head(skb, delta - skb_tailroom(skb) + 128, GFP_ATOMIC))
		return NULL;
	shinfo = skb_shinfo(skb);

	eat = delta;
	for (i = 0; eat; i++) {
		skb_frag_t *f = &shinfo->frags[i];
		int n = min_t(int, eat, skb_frag_size(f));

		memcpy(skb_tail_pointer(skb) + (delta - eat),
		       skb_frag_address(f), n);
		eat -= n;
	}
	/* Drop the frags now empty, shift the rest down. */
	eat = delta;
	for (i = 0, k = 0; i < shinfo->nr_frags; i++) {
		skb_frag_t *f = &shinfo->frags[i];

		if (eat >= (int)skb_frag_size(f)) {
			eat -= skb_frag_size(f);
			put_page(skb_frag_page(f));
			continue;
		}
		shinfo->frags[k] = *f;
		if (eat) {
			skb_frag_off_add(&shinfo->frags[k], eat);
			skb_frag_size_sub(&shinfo->frags[k], eat);
			eat = 0;
		}
		k++;
	}
	shinfo->nr_frags = k;
	skb->tail += delta;
	skb->data_len -= delta;
	return skb_tail_pointer(skb);
}
EXPORT_SYMBOL(__pskb_pull_tail);

/*
 * Call @fn for each contiguous piece of @len bytes of @skb from @offset:
 * the linear part (@page NULL), each frag, then each frag_list member,
 * itself without a frag_list (depth 1), as Linux's frag_list users have.
 * Return: 0, @fn's negative value, or -EMSGSIZE if the skb is shorter.
 */
static int skb_walk(const struct sk_buff *skb, int offset, int len, int depth,
		    int (*fn)(void *arg, void *addr, struct page *page,
			      unsigned int pgoff, int len),
		    void *arg)
{
	int start = skb_headlen(skb), i, copy, r;
	struct sk_buff *frag;

	if (depth > 1 || offset < 0)
		return -EMSGSIZE;
	copy = min(start - offset, len);
	if (copy > 0) {
		r = fn(arg, skb->data + offset, NULL, 0, copy);
		if (r < 0)
			return r;
		len -= copy;
		offset += copy;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags && len; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		int end = start + skb_frag_size(f);

		copy = min(end - offset, len);
		if (copy > 0) {
			r = fn(arg, skb_frag_address(f) + offset - start,
			       skb_frag_page(f), skb_frag_off(f) + offset - start,
			       copy);
			if (r < 0)
				return r;
			len -= copy;
			offset += copy;
		}
		start = end;
	}
	skb_walk_frags(skb, frag) {
		int end = start + frag->len;

		if (!len)
			break;
		copy = min(end - offset, len);
		if (copy > 0) {
			r = skb_walk(frag, offset - start, copy, depth + 1, fn, arg);
			if (r < 0)
				return r;
			len -= copy;
			offset += copy;
		}
		start = end;
	}
	return len ? -EMSGSIZE : 0;
}

struct sg_state {
	struct scatterlist *sg;
	int n;
};

static int sg_piece(void *arg, void *addr, struct page *page,
		    unsigned int pgoff, int len)
{
	struct sg_state *st = arg;

	if (page)
		sg_set_page(&st->sg[st->n], page, len, pgoff);
	else
		sg_set_buf(&st->sg[st->n], addr, len);
	st->n++;
	return 0;
}

/**
 * skb_to_sgvec - describe @len bytes of @skb from @offset in @sg
 * @sg: room for one entry per linear part, frag and frag_list member
 *
 * Context: any. Return: entries used (the last is marked the end), or
 * -EMSGSIZE if the skb is shorter or its frag_list nests.
 */
int skb_to_sgvec(struct sk_buff *skb, struct scatterlist *sg, int offset,
		 int len)
{
	struct sg_state st = { .sg = sg };
	int r = skb_walk(skb, offset, len, 0, sg_piece, &st);

	if (r < 0)
		return r;
	if (!st.n)
		return -EMSGSIZE;
	sg_mark_end(&sg[st.n - 1]);
	return st.n;
}
EXPORT_SYMBOL_GPL(skb_to_sgvec);

static int copy_piece(void *arg, void *addr, struct page *page,
		      unsigned int pgoff, int len)
{
	u8 **to = arg;

	memcpy(*to, addr, len);
	*to += len;
	return 0;
}

/**
 * skb_copy_bits - copy @len bytes from @offset of @skb (linear part, frags,
 * then frag_list members) to @to
 *
 * Context: any. Return: 0, or -EFAULT if the skb is shorter.
 */
int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	u8 *p = to;

	if (offset < 0 || len < 0 || offset > (int)skb->len - len)
		return -EFAULT;
	return skb_walk(skb, offset, len, 0, copy_piece, &p) ? -EFAULT : 0;
}
EXPORT_SYMBOL(skb_copy_bits);

/**
 * skb_partial_csum_set - mark a checksum the device will complete
 * @start: where summing starts, from skb->data; @off: where the sum goes,
 *	from @start
 *
 * Context: any. Return: false (with a warning) if the range is not in the
 * linear part.
 */
bool skb_partial_csum_set(struct sk_buff *skb, u16 start, u16 off)
{
	u32 end = (u32)start + off + sizeof(__sum16);
	u32 csum_start = start + skb_headroom(skb);

	if (unlikely(csum_start >= U16_MAX || end > skb_headlen(skb))) {
		net_warn_ratelimited("bad partial csum: csum=%u/%u headroom=%u headlen=%u\n",
				     start, off, skb_headroom(skb),
				     skb_headlen(skb));
		return false;
	}
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = csum_start;
	skb->csum_offset = off;
	skb_set_transport_header(skb, start);
	return true;
}
EXPORT_SYMBOL_GPL(skb_partial_csum_set);


/* ---- locked skb queues (Linux: skb_queue_tail() and friends) ---- */

/** skb_queue_tail - append @newsk to @list. Context: any. */
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_tail(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}
EXPORT_SYMBOL(skb_queue_tail);

/** skb_dequeue - take @list's first skb. Context: any. Return: it or NULL. */
struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	struct sk_buff *skb;
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	skb = __skb_dequeue(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}
EXPORT_SYMBOL(skb_dequeue);

/** skb_queue_purge - free every skb on @list. Context: not hard IRQ. */
void skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(list)) != NULL)
		kfree_skb(skb);
}
EXPORT_SYMBOL(skb_queue_purge);
