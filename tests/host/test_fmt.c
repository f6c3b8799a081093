// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of kernel/fmt.c: fmt_vsnprintf must produce what the host C
 * library's vsnprintf produces, byte for byte and with the same C99 return
 * value, for every conversion, flag, width, precision and length modifier it
 * documents (ddeos/fmt.h), at every buffer size from 0 up. A fixed table
 * covers the edges; a seeded random generator (HOST_TEST_SEED overrides the
 * seed) covers the combinations. Behaviour C99 leaves to the implementation
 * (%p, NULL strings, unknown conversions) is checked against fixed strings.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <ddeos/fmt.h>

#include "tap.h"

/* Per group: cases run and cases that did not match. */
static unsigned int cases, mismatches;

/* Show at most this many mismatches per group, so a broken conversion does
 * not bury the log. */
#define MAX_DIAGS	8

static void group_begin(void)
{
	cases = 0;
	mismatches = 0;
}

static void group_end(const char *name)
{
	if (mismatches > MAX_DIAGS)
		tap_diag("... %u more mismatches", mismatches - MAX_DIAGS);
	tap_result(!mismatches, "fmt: %s (%u cases)", name, cases);
}

static void mismatch(const char *fmt, size_t size, const char *got, int gn,
		     const char *want, int wn)
{
	if (++mismatches > MAX_DIAGS)
		return;
	tap_diag("format \"%s\" size %zu: got \"%s\" (returned %d), want \"%s\" "
		 "(returned %d)", fmt, size, got ? got : "", gn, want ? want : "", wn);
}

/*
 * Format with the kernel's code into a buffer of exactly @size bytes (NULL
 * for 0, as C99 allows), so that ASan catches any write past it, and compare
 * with @want/@wn, the untruncated host result.
 */
static bool check_size(const char *fmt, size_t size, const char *want, int wn,
		       va_list ap)
{
	bool ok = true;

	char *got = size ? malloc(size) : NULL;
	int gn;
	va_list aq;

	if (size)
		memset(got, 0x5a, size);
	va_copy(aq, ap);
	gn = fmt_vsnprintf(got, size, fmt, aq);
	va_end(aq);
	if (gn != wn) {
		ok = false;
	} else if (size) {
		size_t n = (size_t)wn < size ? (size_t)wn : size - 1;

		/* memcmp, not strcmp: %c may put a NUL inside the output. */
		ok = !memcmp(got, want, n) && got[n] == '\0';
	}
	if (!ok)
		mismatch(fmt, size, got, gn, want, wn);
	free(got);
	return ok;
}

/* Compare with the host's vsnprintf at the sizes where truncation matters. */
static void vcompare(const char *fmt, va_list ap)
{
	va_list aq;
	int wn;
	char *want;
	size_t sizes[] = { 4096, 0, 1, 2, 3, 0, 0, 0, 0 };

	va_copy(aq, ap);
	wn = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	want = malloc((size_t)wn + 1);
	va_copy(aq, ap);
	vsnprintf(want, (size_t)wn + 1, fmt, aq);
	va_end(aq);

	sizes[5] = (size_t)wn / 2;
	sizes[6] = (size_t)wn;
	sizes[7] = (size_t)wn + 1;
	sizes[8] = (size_t)wn + 2;
	cases++;
	/* Stop at the first size that differs: one diagnostic per case. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!check_size(fmt, sizes[i], want, wn, ap))
			break;
	free(want);
}

/* No format attribute: the tables pass flag combinations gcc warns about. */
static void compare(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(fmt, ap);
	va_end(ap);
}

/* Compare with a fixed string, for what C99 leaves to the implementation. */
static void expect(const char *want, const char *fmt, ...)
{
	va_list ap;
	size_t wn = strlen(want);
	size_t sizes[] = { 4096, 0, 1, wn, wn + 1 };

	cases++;
	va_start(ap, fmt);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!check_size(fmt, sizes[i], want, (int)wn, ap))
			break;
	va_end(ap);
}

static void test_integers(void)
{
	group_begin();
	compare("%d", 0);
	compare("%d", 1);
	compare("%d", -1);
	compare("%d", INT_MAX);
	compare("%d", INT_MIN);
	compare("%i", 42);
	compare("%i", -42);
	compare("%u", 0u);
	compare("%u", UINT_MAX);
	compare("%x", 0xdeadbeefu);
	compare("%X", 0xabcdefu);
	compare("%x", 0u);
	compare("%o", 8u);
	compare("%o", 0777u);
	compare("%o", UINT_MAX);
	compare("%ld", LONG_MIN);
	compare("%ld", LONG_MAX);
	compare("%lu", ULONG_MAX);
	compare("%lx", 0xffffffff80000000ul);
	compare("%li", -1234567890123l);
	compare("%lld", LLONG_MIN);
	compare("%lld", LLONG_MAX);
	compare("%llu", ULLONG_MAX);
	compare("%llx", 0xffff888000000000ull);
	compare("%llX", 0xffffea0000000000ull);
	compare("%llo", ULLONG_MAX);
	compare("%hd", 70000);
	compare("%hd", -32769);
	compare("%hu", 70000);
	compare("%hx", 0x12345);
	compare("%hhd", 300);
	compare("%hhd", -129);
	compare("%hhu", 511);
	compare("%hhx", 0x1ff);
	compare("%zu", SIZE_MAX);
	compare("%zd", (ssize_t)-5);
	compare("%zx", (size_t)0x1000);
	compare("%td", (ptrdiff_t)-7);
	compare("%td", (ptrdiff_t)PTRDIFF_MAX);
	group_end("integer conversions and length modifiers");
}

static void test_flags_width(void)
{
	group_begin();
	compare("%5d", 42);
	compare("%-5d|", 42);
	compare("%05d", 42);
	compare("%05d", -42);
	compare("%-05d|", -42);
	compare("%1d", 12345);
	compare("%0d", 7);
	compare("%#x", 0u);
	compare("%#x", 255u);
	compare("%#X", 255u);
	compare("%#o", 8u);
	compare("%#o", 0u);
	compare("%#010x", 255u);
	compare("%-#10x|", 255u);
	compare("%#5o", 8u);
	compare("%08X", 0xbeefu);
	compare("%20llu", ULLONG_MAX);
	compare("%-20lld|", LLONG_MIN);
	compare("%021lld", LLONG_MIN);
	compare("%*d", 8, 42);
	compare("%*d", -8, 42);
	compare("%-*d|", 5, 1);
	compare("%0*d", 6, -3);
	compare("%*d", 0, 5);
	compare("%200d", 1);
	compare("%-200u|", 1u);
	compare("%0200x", 0xabu);
	group_end("flags - 0 # and field widths");
}

static void test_precision(void)
{
	group_begin();
	compare("%.3d", 7);
	compare("%.3d", -7);
	compare("%.0d", 1);
	compare("%.1d", 0);
	compare("%8.3d|", 7);
	compare("%-8.3d|", -7);
	compare("%08.3d", 7);
	compare("%.5x", 0xabu);
	compare("%#.5x", 0xabu);
	compare("%#10.5X", 0xabu);
	compare("%.*d", 4, 9);
	compare("%.*d", -1, 9);
	compare("%0.*d", -1, 9);
	compare("%*.*d", 6, 3, 9);
	compare("%.10llu", 123ull);
	compare("%.d", 5);
	compare("%.20d", INT_MIN);
	compare("%.30llx", 1ull);
	compare("%.5o", 8u);
	group_end("integer precision");
}

static void test_strings_chars(void)
{
	group_begin();
	compare("%s", "hello");
	compare("%s", "");
	compare("[%10s]", "abc");
	compare("[%-10s]", "abc");
	compare("%.2s", "abcdef");
	compare("[%.0s]", "abc");
	compare("[%5.2s]", "abcdef");
	compare("[%-5.2s]", "abcdef");
	compare("[%*s]", 6, "ab");
	compare("[%*s]", -6, "ab");
	compare("[%.*s]", 3, "abcdef");
	compare("[%.*s]", -1, "abc");
	compare("%.10s", "abc");
	compare("%1s", "abcdef");
	compare("%c", 'x');
	compare("[%5c]", 'x');
	compare("[%-5c]", 'x');
	compare("[%c]", 0);
	compare("%c%c%c", 'a', 'b', 'c');
	compare("%c", 0xe9);
	compare("%%");
	compare("100%% done");
	compare("a%%b%%c");
	compare("plain text");
	compare("");
	group_end("strings, characters and %%");
}

/*
 * With a precision, the argument of %s need not be NUL-terminated (C99
 * 7.19.6.1p8): no byte past the precision may be read. Runs in its own
 * process (tap_run), as ASan aborts on the read.
 */
static void test_unterminated_string(void)
{
	char *s = malloc(3);

	memcpy(s, "abc", 3);
	group_begin();
	compare("%.3s", s);
	compare("[%5.2s]", s);
	compare("%.*s", 3, s);
	group_end("%.Ns reads at most N bytes of an unterminated array");
	free(s);
}

/*
 * Two C99 rules the random formats leave out so that they are reported
 * once, here: a zero value with precision 0 prints no digits (7.19.6.1p8,
 * except that %#o still prints "0"), and %#o adds a leading 0 only if the
 * digits do not already start with one.
 */
static void test_c99_zero_rules(void)
{
	group_begin();
	compare("[%.0d]", 0);
	compare("[%.0u]", 0u);
	compare("[%.0x]", 0u);
	compare("[%#.0x]", 0u);
	compare("[%5.0d]", 0);
	compare("[%.d]", 0);
	compare("[%.*d]", 0, 0);
	compare("[%#.0o]", 0u);
	compare("[%#.3o]", 8u);
	compare("[%#.1o]", 8u);
	compare("[%#.10lo]", 0777ul);
	group_end("zero with precision 0, and %#o with a precision (C99)");
}

static void test_mixed(void)
{
	group_begin();
	compare("ddeos: ready cpus=%u mem=%lluMiB time=%llu.%llums apic=%s",
		4u, 254ull, 17ull, 3ull, "x2apic");
	compare("%s=%d (%#x)%c", "key", -1, 255u, '!');
	compare("cpu%u: %-8s %5llu.%03llu|", 3u, "idle", 12ull, 7ull);
	compare("    # %s: %s:%d: expected %s:%s", "t", "f.c", 10, "x == 1", " msg");
	compare("%d%i%u%x%X%o%s%c%%%ld%lu%lld%llu%zu%zd%td", -1, 2, 3u, 4u, 5u,
		6u, "7", '8', 9l, 10ul, 11ll, 12ull, (size_t)13, (ssize_t)-14,
		(ptrdiff_t)15);
	group_end("several conversions in one format");
}

/* Outputs C99 leaves to the implementation, and kernel extensions. */
static void test_implementation_defined(void)
{
	group_begin();
	expect("0xffffffff80000000", "%p", (void *)0xffffffff80000000ul);
	expect("0x1000", "%p", (void *)0x1000);
	expect("0x0", "%p", NULL);
	expect("    0x1000", "%10p", (void *)0x1000);
	expect("0x1000    |", "%-10p|", (void *)0x1000);
	expect("(null)", "%s", (char *)NULL);
	expect("[  (null)]", "[%8s]", (char *)NULL);
	expect("(nu", "%.3s", (char *)NULL);
	expect("%y", "%y");
	expect("a%qb", "a%qb");
	expect("abc", "abc%");
	group_end("%p, NULL strings, unknown conversions");
}

/* ---- random formats ------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: fast, good enough to pick cases, reproducible by seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned int pick(unsigned int n)
{
	return (unsigned int)(rng() % n);
}

enum arg_type { A_INT, A_UINT, A_LONG, A_ULONG, A_LLONG, A_ULLONG, A_SIZE,
		A_SSIZE, A_PTRDIFF, A_STR, A_CHAR };

struct spec {
	char fmt[64];
	enum arg_type type;
	char conv;
	const char *len;	/* length modifier */
	bool alt, star_w, star_p, has_prec;
	int w, p;
	uint64_t v;
	const char *s;
};

static uint64_t random_value(void)
{
	static const uint64_t edges[] = {
		0, 1, 7, 8, 9, 10, 15, 16, 255, 256, 0x7f, 0x80, 0x7fff, 0x8000,
		0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
		0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
	};

	switch (pick(4)) {
	case 0:
		return edges[pick(sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return -(uint64_t)edges[pick(sizeof(edges) / sizeof(edges[0]))];
	case 2:
		return rng() >> pick(64);
	default:
		return rng();
	}
}

static void random_spec(struct spec *sp)
{
	static const char *const strings[] = {
		"", "a", "hello", "ddeos kernel", "tab\there", "0123456789abcdef",
	};
	static const char convs[] = "diuxXoxsc";
	static const char *const int_len[] = { "hh", "h", "", "l", "ll", "z", "t" };
	static const char *const prefixes[] = { "", "x=", "[", "%% " };
	static const char *const suffixes[] = { "", "|", " end", "%%" };
	char conv = convs[pick(sizeof(convs) - 1)];
	bool is_int = conv != 's' && conv != 'c';
	const char *len = "";
	char *f = sp->fmt;

	memset(sp, 0, sizeof(*sp));
	f += sprintf(f, "%s%%", prefixes[pick(4)]);
	if (pick(3) == 0)
		*f++ = '-';
	/* '0' with %s/%c and '#' with d/i/u/s/c are undefined in C99. */
	if (is_int && pick(3) == 0)
		*f++ = '0';
	if ((conv == 'x' || conv == 'X' || conv == 'o') && pick(2) == 0) {
		sp->alt = true;
		*f++ = '#';
	}
	switch (pick(4)) {
	case 0:
		break;
	case 1:
		sp->star_w = true;
		sp->w = (int)pick(51) - 25;
		*f++ = '*';
		break;
	default:
		f += sprintf(f, "%u", pick(30));
		break;
	}
	switch (is_int || conv == 's' ? pick(4) : 0) {
	case 0:
		break;
	case 1:
		sp->star_p = true;
		sp->p = (int)pick(31) - 5;
		f += sprintf(f, ".*");
		break;
	default:
		f += sprintf(f, ".%u", pick(25));
		break;
	}
	if (is_int)
		len = int_len[pick(sizeof(int_len) / sizeof(int_len[0]))];
	f += sprintf(f, "%s%c%s", len, conv, suffixes[pick(4)]);

	sp->conv = conv;
	sp->len = len;
	sp->v = random_value();
	sp->has_prec = sp->star_p ? sp->p >= 0 : strchr(sp->fmt, '.') != NULL;
	sp->s = strings[pick(sizeof(strings) / sizeof(strings[0]))];
	bool sign = conv == 'd' || conv == 'i';
	if (conv == 's')
		sp->type = A_STR;
	else if (conv == 'c')
		sp->type = A_CHAR;
	else if (!strcmp(len, "l"))
		sp->type = sign ? A_LONG : A_ULONG;
	else if (!strcmp(len, "ll"))
		sp->type = sign ? A_LLONG : A_ULLONG;
	else if (!strcmp(len, "z"))
		sp->type = sign ? A_SSIZE : A_SIZE;
	else if (!strcmp(len, "t"))
		sp->type = A_PTRDIFF;
	else
		sp->type = sign ? A_INT : A_UINT;
}

/* Pass the spec's arguments with their exact C types. */
#define CALL_WITH(x)							\
	do {								\
		if (sp->star_w && sp->star_p)				\
			compare(sp->fmt, sp->w, sp->p, x);		\
		else if (sp->star_w)					\
			compare(sp->fmt, sp->w, x);			\
		else if (sp->star_p)					\
			compare(sp->fmt, sp->p, x);			\
		else							\
			compare(sp->fmt, x);				\
	} while (0)

/* @sp->v truncated as the conversion will, to see whether it prints 0. */
static uint64_t converted_value(const struct spec *sp)
{
	if (!strcmp(sp->len, "hh"))
		return (uint8_t)sp->v;
	if (!strcmp(sp->len, "h"))
		return (uint16_t)sp->v;
	if (!*sp->len)
		return (uint32_t)sp->v;
	return sp->v;
}

/*
 * True for the cases test_c99_zero_rules checks once: a zero printed with
 * a precision, and %#o with a precision.
 */
static bool zero_rule_case(const struct spec *sp)
{
	if (sp->conv == 's' || sp->conv == 'c' || !sp->has_prec)
		return false;
	return converted_value(sp) == 0 || (sp->conv == 'o' && sp->alt);
}

static void run_spec(const struct spec *sp)
{
	if (zero_rule_case(sp))
		return;
	switch (sp->type) {
	case A_INT:
		CALL_WITH((int)sp->v);
		break;
	case A_UINT:
		CALL_WITH((unsigned int)sp->v);
		break;
	case A_LONG:
		CALL_WITH((long)sp->v);
		break;
	case A_ULONG:
		CALL_WITH((unsigned long)sp->v);
		break;
	case A_LLONG:
		CALL_WITH((long long)sp->v);
		break;
	case A_ULLONG:
		CALL_WITH((unsigned long long)sp->v);
		break;
	case A_SIZE:
		CALL_WITH((size_t)sp->v);
		break;
	case A_SSIZE:
		CALL_WITH((ssize_t)sp->v);
		break;
	case A_PTRDIFF:
		CALL_WITH((ptrdiff_t)sp->v);
		break;
	case A_STR:
		CALL_WITH(sp->s);
		break;
	case A_CHAR:
		CALL_WITH((int)(sp->v % 94 + 32));
		break;
	}
}

#define RANDOM_CASES	20000

static void test_random(void)
{
	const char *env = getenv("HOST_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : 0x64de05;
	struct spec sp;

	rng_state = seed ? seed : 1;
	group_begin();
	for (int i = 0; i < RANDOM_CASES; i++) {
		random_spec(&sp);
		run_spec(&sp);
	}
	if (mismatches)
		tap_diag("random seed 0x%llx (set HOST_TEST_SEED to repeat)",
			 (unsigned long long)seed);
	group_end("random formats against the host vsnprintf");
}

void test_fmt(void)
{
	test_integers();
	test_flags_width();
	test_precision();
	test_strings_chars();
	test_mixed();
	test_implementation_defined();
	test_random();
	tap_run(test_unterminated_string);
	test_c99_zero_rules();
}
