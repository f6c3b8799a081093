// SPDX-License-Identifier: GPL-2.0-only
/*
 * get_random_bytes (Linux: drivers/char/random.c, much reduced). Bytes come
 * from RDSEED or RDRAND when the CPU has them (retried as Intel advises, and
 * whitened through SipHash keyed at boot in any case); without them, from
 * SipHash in counter mode keyed with the TSC, the boot clock and the
 * RDRAND/RDSEED words we could get. Never a constant: two boots differ by
 * the TSC. Not a CSPRNG for secrets without the CPU instructions, and said
 * so at boot; drivers here need it for MAC addresses, RSS keys and hashes.
 */
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <dde/dde.h>

static siphash_key_t rng_key;
static u64 rng_counter;
static DEFINE_RAW_SPINLOCK(rng_lock);
static bool rng_hw;

/* Linux's arch_get_random_*() patch in alternatives, which the image
 * does not keep; the instructions themselves, behind a CPUID check. */
static bool hw_word(unsigned long *v)
{
	bool ok;

	for (int i = 0; i < 10; i++) {
		if (boot_cpu_has(X86_FEATURE_RDSEED)) {
			asm volatile("rdseed %0" : "=r"(*v), "=@ccc"(ok));
			if (ok)
				return true;
		}
		if (boot_cpu_has(X86_FEATURE_RDRAND)) {
			asm volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
			if (ok)
				return true;
		}
	}
	return false;
}

void dde_random_init(void)
{
	unsigned long w;

	rng_key.key[0] = rdtsc() ^ ddeos_clock_ns();
	rng_key.key[1] = rdtsc() * 0x9e3779b97f4a7c15ull;
	rng_hw = hw_word(&w);
	if (rng_hw) {
		rng_key.key[0] ^= w;
		if (hw_word(&w))
			rng_key.key[1] ^= w;
	}
	pr_info("dde: random numbers from %s\n", rng_hw ? "RDRAND/RDSEED, whitened" :
		"a TSC-seeded SipHash generator (no RDRAND on this CPU)");
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		unsigned long flags, hw = 0;
		u64 w;
		size_t n = min(len, sizeof(w));

		if (rng_hw)
			hw_word(&hw);
		raw_spin_lock_irqsave(&rng_lock, flags);
		w = siphash_2u64(rng_counter++, hw ^ rdtsc(), &rng_key);
		raw_spin_unlock_irqrestore(&rng_lock, flags);
		memcpy(p, &w, n);
		p += n;
		len -= n;
	}
}

bool rng_is_initialized(void)
{
	return true;	/* keyed at DDE start, before any driver */
}

/* Linux's typed helpers (drivers/char/random.c's get_random_uN()). */
#define RANDOM_TYPED(type, name)		\
type name(void)					\
{						\
	type v;					\
						\
	get_random_bytes(&v, sizeof(v));	\
	return v;				\
}

RANDOM_TYPED(u8, get_random_u8)
RANDOM_TYPED(u16, get_random_u16)
RANDOM_TYPED(u32, get_random_u32)
RANDOM_TYPED(u64, get_random_u64)

/*
 * A uniform value in [0, ceil) (Linux's out-of-line helper of
 * get_random_u32_below(); sbitmap's per-CPU hints use it). Lemire's
 * multiply-and-reject: the high half of ceil * r is uniform once the
 * low half is not in the biased first (2^32 mod ceil) values.
 */
u32 __get_random_u32_below(u32 ceil)
{
	u32 r, threshold;
	u64 m;

	get_random_bytes(&r, sizeof(r));
	if (!ceil)
		return r;
	m = (u64)ceil * r;
	if ((u32)m < ceil) {
		threshold = -ceil % ceil;
		while ((u32)m < threshold) {
			get_random_bytes(&r, sizeof(r));
			m = (u64)ceil * r;
		}
	}
	return m >> 32;
}
EXPORT_SYMBOL(__get_random_u32_below);
