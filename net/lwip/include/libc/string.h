/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * <string.h> for lwIP's sources in the kernel world: the libc names lwIP
 * calls, mapped to the kernel's own string functions (kernel/string.c),
 * which keep kernel names so the single image cannot clash with Linux.
 * memcpy/memset/memmove are the kernel's under their own names.
 */
#ifndef DDEOS_LWIP_LIBC_STRING_H
#define DDEOS_LWIP_LIBC_STRING_H

#include <ddeos/string.h>

#define memcmp(a, b, n)		string_memcmp(a, b, n)
#define strlen(s)		string_len(s)
#define strcmp(a, b)		string_cmp(a, b)
#define strncmp(a, b, n)	string_ncmp(a, b, n)
#define strchr(s, c)		string_chr(s, c)

/* lwIP's httpd looks for header words with it (net/lwip/sys_arch.c). */
char *lwip_port_strstr(const char *s, const char *word);
#define strstr(s, w)		lwip_port_strstr(s, w)

#endif
