/* SPDX-License-Identifier: GPL-2.0-only */
/* The C string functions the compiler and the kernel need (string.c). */
#ifndef DDEOS_STRING_H
#define DDEOS_STRING_H

#include <ddeos/types.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copy at most size-1 bytes and always terminate (size > 0). */
void string_copy(char *dst, const char *src, size_t size);

#endif
