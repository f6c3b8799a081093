/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ddeos's port of lwIP 2.1.3: the core lock every lwIP call runs under,
 * bringing lwIP up on an interface from the `ip=` option, and the
 * interface apps talk through. net/lwip/sys_arch.c, netif.c, ipconfig.c;
 * docs/net.md says why one lock and what it costs.
 */
#ifndef DDEOS_LWIP_PORT_H
#define DDEOS_LWIP_PORT_H

#include <ddeos/types.h>

struct netif;
struct net_if;

/*
 * lwip_core_lock - enter lwIP's core (any lwIP call, pbuf_free included)
 *
 * A spinlock with bottom halves off: the receive path takes it in NET_RX
 * softirq, so a thread holding it must not be interrupted by that softirq
 * on its own CPU. Not recursive; must not sleep inside.
 * Context: thread or softirq, not hard IRQ.
 */
void lwip_core_lock(void);
void lwip_core_unlock(void);
/* Context: any. For assertions in lwIP callbacks. */
bool lwip_core_locked(void);

/* Start lwIP and its timer thread. Context: the main thread, once. */
void lwip_port_init(void);
/* Start the threads that send TCP's ACKs after each receive batch
 * (net/lwip/tcp_ack.c). Context: the main thread, once, from
 * lwip_port_init(). */
void lwip_port_tcp_ack_init(void);
/* Whether lwIP runs (only with `ip=`): apps refuse to start otherwise.
 * Context: any. */
bool lwip_port_ready(void);

/*
 * lwip_port_netif_add - give lwIP interface @ifp (Ethernet, ARP)
 * Context: thread, after lwip_port_init(). Return: the netif, or NULL when
 * out of memory.
 */
struct netif *lwip_port_netif_add(struct net_if *ifp);

/*
 * With `ip=`, start lwIP and bring that interface up after net_init(): a
 * static address or DHCP; prints `net: eth0 up 10.0.2.15/24 gw 10.0.2.2 mac=...` once it
 * has an address. Nothing without `ip=`. Context: the main thread, once.
 */
void lwip_ipconfig(void);
/*
 * Wait until the `ip=` interface has an address. Return: 0, -ENODEV when
 * there is no `ip=` (or its device), -ETIMEDOUT after @deadline_ns (clock
 * time). Context: thread, may sleep.
 */
int lwip_ipconfig_wait(uint64_t deadline_ns);
/*
 * For a network app's start: wait until `net: ... up` (link and address),
 * so that "app: NAME started" means it can be reached. Return: 0,
 * -ENETDOWN without `ip=`, -ETIMEDOUT (said on the console) when the
 * interface has no link and address after a minute. Context: thread.
 */
int lwip_app_wait_up(void);

#endif
