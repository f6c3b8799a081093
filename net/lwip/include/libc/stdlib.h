/* SPDX-License-Identifier: GPL-2.0-only */
/* <stdlib.h> for lwIP's sources in the kernel world: atoi (netif_find()). */
#ifndef DDEOS_LWIP_LIBC_STDLIB_H
#define DDEOS_LWIP_LIBC_STDLIB_H

int lwip_port_atoi(const char *s);
#define atoi(s)	lwip_port_atoi(s)

#endif
