/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * String functions (string.c). memset/memcpy/memmove keep their C names
 * because the compiler emits calls to them (and Linux objects use ours);
 * the others have kernel names, as Linux's lib/string.c in the image
 * defines the C ones.
 */
#ifndef DDEOS_STRING_H
#define DDEOS_STRING_H

#include <ddeos/types.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int string_memcmp(const void *a, const void *b, size_t n);
size_t string_len(const char *s);
int string_cmp(const char *a, const char *b);
int string_ncmp(const char *a, const char *b, size_t n);
char *string_chr(const char *s, int c);
/* Copy at most size-1 bytes and always terminate (size > 0). */
void string_copy(char *dst, const char *src, size_t size);

#endif
