/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lwIP's OS abstraction for ddeos: lwIP runs with NO_SYS=1 (no lwIP
 * threads, mailboxes or semaphores); its core is serialized by the core
 * lock of net/lwip/sys_arch.c, so lwIP's own light-weight protection is
 * off (lwipopts.h). Nothing to declare here but what lwIP asks for.
 */
#ifndef DDEOS_LWIP_SYS_ARCH_H
#define DDEOS_LWIP_SYS_ARCH_H

#endif
