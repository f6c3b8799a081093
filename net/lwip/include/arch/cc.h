/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lwIP's compiler and platform header for ddeos (lwIP: src/include/lwip/arch.h
 * asks each port for one): diagnostics to the kernel console, assertions
 * that stop the kernel, no hosted libc headers, random numbers.
 */
#ifndef DDEOS_LWIP_ARCH_CC_H
#define DDEOS_LWIP_ARCH_CC_H

#include <ddeos/console.h>
#include <ddeos/panic.h>
#include <ddeos/types.h>

/* The kernel world has no hosted libc: stdint and limits come from the
 * freestanding compiler, the rest is spelled out here. */
#define LWIP_NO_INTTYPES_H	1
#define LWIP_NO_CTYPE_H		1
#define LWIP_NO_UNISTD_H	1
#define X8_F	"02x"
#define U16_F	"u"
#define S16_F	"d"
#define X16_F	"x"
#define U32_F	"u"
#define S32_F	"d"
#define X32_F	"x"
#define SZT_F	"lu"

#define BYTE_ORDER	LITTLE_ENDIAN

/* lwIP declares ssize_t itself only when SSIZE_MAX is missing, and then
 * as int; the compiler's limits.h may define it without the type. */
#include <limits.h>
typedef long ssize_t;
#ifndef SSIZE_MAX
#define SSIZE_MAX	LONG_MAX
#endif

uint32_t lwip_port_rand(void);
/* lwIP's heap (mem_clib_* in lwipopts.h): net/lwip/sys_arch.c. */
void *lwip_port_malloc(size_t size);
void *lwip_port_calloc(size_t n, size_t size);
void lwip_port_free(void *p);

#define LWIP_PLATFORM_DIAG(x)	do { kprintf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	kpanic("lwIP assertion \"%s\" failed at %s:%d", \
				       x, __FILE__, __LINE__)
#define LWIP_RAND()		lwip_port_rand()

#endif
