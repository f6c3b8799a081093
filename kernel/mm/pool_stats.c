// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counters of the memory pool: totals for tests, and the printout of
 * counters per size class, per CPU and per page order through
 * pool_platform_print(). Also the small formatter the pool uses for its
 * messages, since the pool links without libc.
 *
 * Counters are written only by the context that owns them and read here
 * with relaxed loads, so a printout taken while other CPUs run is a
 * consistent-enough snapshot, and exact when the pool is quiet.
 */
#include "pool_internal.h"

struct fmt_out {
	char *buf;
	size_t len;
	size_t pos;
};

static void put_char(struct fmt_out *o, char ch)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = ch;
	o->pos++;
}

static void put_str(struct fmt_out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put_char(o, *s++);
}

static void put_num(struct fmt_out *o, unsigned long long v, unsigned int base,
		    bool neg, unsigned int width)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		put_char(o, ' ');
		width--;
	}
	while (n)
		put_char(o, tmp[--n]);
}

/*
 * pool_format() - a snprintf for %s %c %d %u %x %p with l, ll, z size
 * prefixes and a decimal width. Always NUL-terminates a non-empty @buf.
 * Returns the length the output would have had.
 */
size_t pool_format(char *buf, size_t len, const char *fmt, ...)
{
	struct fmt_out o = { buf, len, 0 };
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	for (; *fmt; fmt++) {
		unsigned int width = 0, lng = 0;
		unsigned long long v;

		if (*fmt != '%') {
			put_char(&o, *fmt);
			continue;
		}
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			put_str(&o, __builtin_va_arg(ap, const char *));
			break;
		case 'c':
			put_char(&o, (char)__builtin_va_arg(ap, int));
			break;
		case 'd': {
			long long s = lng ? __builtin_va_arg(ap, long long)
					  : __builtin_va_arg(ap, int);

			put_num(&o, s < 0 ? 0ULL - (unsigned long long)s
					  : (unsigned long long)s,
				10, s < 0, width);
			break;
		}
		case 'u':
		case 'x':
			v = lng ? __builtin_va_arg(ap, unsigned long long)
				: __builtin_va_arg(ap, unsigned int);
			put_num(&o, v, *fmt == 'u' ? 10 : 16, false, width);
			break;
		case 'p':
			put_str(&o, "0x");
			put_num(&o, (uintptr_t)__builtin_va_arg(ap, void *), 16,
				false, 0);
			break;
		case '%':
			put_char(&o, '%');
			break;
		default:
			put_char(&o, '?');
			if (!*fmt)
				fmt--;
			break;
		}
	}
	__builtin_va_end(ap);
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = 0;
	return o.pos;
}

void pool_get_totals(struct pool_totals *t)
{
	unsigned int i, j, o;
	uint64_t allocs = 0, frees = 0, rout = 0, rin = 0;

	memset(t, 0, sizeof(*t));
	pool_buddy_counts(t);
	for (o = 0; o <= POOL_MAX_ORDER; o++)
		t->used_blocks[o] =
			pool_stat_read(&pool_direct_page_allocs[o]) -
			pool_stat_read(&pool_direct_page_frees[o]);
	for (i = 0; i < pool_nr_owners; i++) {
		struct pool_ctx *c = pool_owner_ctx(i);

		for (o = 0; o <= POOL_MAX_ORDER; o++)
			t->used_blocks[o] += pool_stat_read(&c->page_allocs[o]) -
					     pool_stat_read(&c->page_frees[o]);
		for (o = 0; o < POOL_PCP_ORDERS; o++)
			t->pages_cached += (size_t)__atomic_load_n(
				&c->pcp[o].count, __ATOMIC_RELAXED) << o;
		for (j = 0; j < pool_ncaches; j++) {
			struct pool_cc *cc = &c->cc[j];
			allocs += pool_stat_read(&cc->allocs);
			frees += pool_stat_read(&cc->frees);
			rout += pool_stat_read(&cc->remote_out);
			rin += pool_stat_read(&cc->remote_in);
			t->pages_slab += (size_t)pool_stat_read(&cc->slab_pages);
		}
	}
	t->pages_meta = pool_meta_pages;
	rout += pool_stat_read(&pool_direct_remote);
	t->objects_in_use = (size_t)(allocs - frees - rin);
	t->remote_in_flight = (size_t)(rout - rin);
}

void pool_print_stats(void)
{
	struct pool_totals t;
	unsigned int j, cpu, n, o;
	char line[160];

	pool_get_totals(&t);
	pool_format(line, sizeof(line),
		    "pool: pages %llu free %llu cached %llu slab %llu, objects %llu, in flight %llu",
		    (unsigned long long)t.pages_total,
		    (unsigned long long)t.pages_free,
		    (unsigned long long)t.pages_cached,
		    (unsigned long long)t.pages_slab,
		    (unsigned long long)t.objects_in_use,
		    (unsigned long long)t.remote_in_flight);
	pool_platform_print(line);
	for (o = 0; o <= POOL_MAX_ORDER; o++) {
		pool_format(line, sizeof(line),
			    "pool: order %2u free %llu used %llu", o,
			    (unsigned long long)t.free_blocks[o],
			    (unsigned long long)t.used_blocks[o]);
		pool_platform_print(line);
	}
	pool_platform_print("pool: cache cpu allocs frees remote_out remote_in slabs");
	for (j = 0; j < pool_ncaches; j++) {
		for (cpu = 0; cpu * POOL_NEST < pool_nr_owners; cpu++) {
			uint64_t s[6] = { 0 };

			for (n = 0; n < POOL_NEST; n++) {
				struct pool_cc *cc = &pool_owner_ctx(
					cpu * POOL_NEST + n)->cc[j];

				s[0] += pool_stat_read(&cc->allocs);
				s[1] += pool_stat_read(&cc->frees);
				s[2] += pool_stat_read(&cc->remote_out);
				s[3] += pool_stat_read(&cc->remote_in);
				s[4] += pool_stat_read(&cc->slabs_new) -
					pool_stat_read(&cc->slabs_freed);
			}
			if (!s[0] && !s[1] && !s[2] && !s[3] && !s[4])
				continue;
			pool_format(line, sizeof(line),
				    "pool: %s %u %llu %llu %llu %llu %llu",
				    pool_caches[j].name, cpu,
				    (unsigned long long)s[0],
				    (unsigned long long)s[1],
				    (unsigned long long)s[2],
				    (unsigned long long)s[3],
				    (unsigned long long)s[4]);
			pool_platform_print(line);
		}
	}
}
