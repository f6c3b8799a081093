// SPDX-License-Identifier: GPL-2.0-only
/*
 * Chained scatterlists for block drivers (Linux: lib/sg_pool.c). Linux
 * takes chunks of SG_CHUNK_SIZE entries from mempools made at a
 * subsys_initcall; here the chunks come from kmalloc (atomic, as Linux's
 * allocation is), so no initcall is needed and a failure is -ENOMEM, which
 * block drivers turn into BLK_STS_RESOURCE and the block layer retries.
 * The table layout is lib/scatterlist.c's own (__sg_alloc_table()).
 */
#include <linux/scatterlist.h>
#include <linux/slab.h>

static struct scatterlist *dde_sg_chunk_alloc(unsigned int nents, gfp_t gfp)
{
	return kmalloc_array(nents, sizeof(struct scatterlist), gfp);
}

static void dde_sg_chunk_free(struct scatterlist *sgl, unsigned int nents)
{
	kfree(sgl);
}

/**
 * sg_free_table_chained - free what sg_alloc_table_chained() allocated
 * @table: the table
 * @nents_first_chunk: the size of the caller's first chunk
 *
 * Context: any.
 */
void sg_free_table_chained(struct sg_table *table, unsigned int nents_first_chunk)
{
	if (table->orig_nents <= nents_first_chunk)
		return;
	/* A one-entry first chunk was not used (see below). */
	if (nents_first_chunk == 1)
		nents_first_chunk = 0;
	__sg_free_table(table, SG_CHUNK_SIZE, nents_first_chunk,
			dde_sg_chunk_free, table->orig_nents);
}
EXPORT_SYMBOL_GPL(sg_free_table_chained);

/**
 * sg_alloc_table_chained - a table of @nents entries, starting in the
 * caller's @first_chunk
 * @table: the table to fill
 * @nents: entries needed (not 0)
 * @first_chunk: the caller's inline entries, or NULL
 * @nents_first_chunk: how many there are
 *
 * Entries beyond @first_chunk come in chained chunks of SG_CHUNK_SIZE. A
 * one-entry first chunk cannot hold a chain link and a real entry, so it
 * is then not used.
 * Context: any. Return: 0 or -ENOMEM (nothing left allocated).
 */
int sg_alloc_table_chained(struct sg_table *table, int nents,
			   struct scatterlist *first_chunk,
			   unsigned int nents_first_chunk)
{
	int ret;

	BUG_ON(!nents);
	if (first_chunk && nents_first_chunk && nents <= nents_first_chunk) {
		table->nents = table->orig_nents = nents;
		sg_init_table(table->sgl, nents);
		return 0;
	}
	if (nents_first_chunk <= 1) {
		first_chunk = NULL;
		nents_first_chunk = 0;
	}
	ret = __sg_alloc_table(table, nents, SG_CHUNK_SIZE, first_chunk,
			       nents_first_chunk, GFP_ATOMIC, dde_sg_chunk_alloc);
	if (unlikely(ret))
		sg_free_table_chained(table, nents_first_chunk);
	return ret;
}
EXPORT_SYMBOL_GPL(sg_alloc_table_chained);
