// SPDX-License-Identifier: GPL-2.0-only
/* Freestanding C string functions; gcc may emit calls to the mem* ones. */
#include <ddeos/string.h>

/*
 * Eight bytes per step, then the tail: QEMU's TCG runs a rep-string
 * instruction one element at a time, so stosq/movsq are 8x fewer steps than
 * stosb/movsb (the pool zeroes megabytes of page descriptors at boot).
 */
void *memset(void *d, int c, size_t n)
{
	void *ret = d;
	uint64_t v = 0x0101010101010101ull * (uint8_t)c;
	size_t q = n / 8, r = n % 8;

	__asm__ __volatile__("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
	__asm__ __volatile__("rep stosb" : "+D"(d), "+c"(r) : "a"(v) : "memory");
	return ret;
}

void *memcpy(void *d, const void *s, size_t n)
{
	void *ret = d;
	size_t q = n / 8, r = n % 8;

	__asm__ __volatile__("rep movsq" : "+D"(d), "+S"(s), "+c"(q) :: "memory");
	__asm__ __volatile__("rep movsb" : "+D"(d), "+S"(s), "+c"(r) :: "memory");
	return ret;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int string_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t string_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int string_cmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int string_ncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

char *string_chr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

void string_copy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}
