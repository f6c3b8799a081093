// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page allocator (the boot bitmap, then the memory pool behind it):
 * alignment, exhaustion and full recovery.
 */
#include <ddeos/arch.h>
#include <ddeos/ktest.h>
#include <ddeos/mm.h>
#include <ddeos/page_alloc.h>

static void orders_are_aligned(struct ddeos_ktest *t)
{
	uint64_t before = page_alloc_free_pages();
	uint64_t pa[PAGE_ALLOC_MAX_ORDER + 1];

	for (unsigned int o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
		pa[o] = page_alloc(o);
		KTEST_EXPECT(t, pa[o] && pa[o] % (PAGE_SIZE << o) == 0,
			     "order %u at %#llx", o, (unsigned long long)pa[o]);
	}
	KTEST_EXPECT(t, page_alloc(PAGE_ALLOC_MAX_ORDER + 1) == 0);
	for (unsigned int o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++)
		if (pa[o])
			page_free(pa[o], o);
	KTEST_EXPECT(t, page_alloc_free_pages() == before);
}

/*
 * Take every page, see allocation fail, give all back, allocate again. The
 * pool is drained first: pages cached by other CPUs count as free but only
 * their owners can hand them out.
 */
static void exhaustion_fails_cleanly(struct ddeos_ktest *t)
{
	uint64_t before, taken = 0, head = 0, pa;

	pool_boot_drain_all();
	before = page_alloc_free_pages();

	/* Chain the pages through their first word. */
	while ((pa = page_alloc(0)) != 0) {
		*(uint64_t *)phys_to_virt(pa) = head;
		head = pa;
		taken++;
	}
	KTEST_EXPECT(t, page_alloc_free_pages() == 0);
	KTEST_EXPECT(t, page_alloc_zeroed(0) == NULL);
	KTEST_EXPECT(t, taken == before, "took %llu of %llu",
		     (unsigned long long)taken, (unsigned long long)before);
	while (head) {
		uint64_t next = *(uint64_t *)phys_to_virt(head);

		page_free(head, 0);
		head = next;
	}
	KTEST_EXPECT(t, page_alloc_free_pages() == before);
	pa = page_alloc(3);
	KTEST_EXPECT(t, pa != 0, "allocation fails after memory came back");
	if (pa)
		page_free(pa, 3);
}

static const struct ddeos_ktest_case page_alloc_cases[] = {
	{ "orders_are_aligned", orders_are_aligned },
	{ "exhaustion_fails_cleanly", exhaustion_fails_cleanly },
};
KTEST_SUITE(page_alloc, "page_alloc", page_alloc_cases);
