// SPDX-License-Identifier: GPL-2.0-only
/*
 * An lwIP Ethernet netif over a ddeos network interface (kernel/net): the
 * port's answer to lwIP's contrib/examples/ethernetif.c. Received frames
 * are copied into a pbuf and handed to lwIP in NET_RX softirq on the CPU
 * that polled, under the core lock; lwIP's output sends on the calling
 * CPU's TX queue. The link follows the driver's carrier.
 */
#include <ddeos/errno.h>
#include <ddeos/net.h>
#include <ddeos/string.h>
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/snmp.h"
#include "lwip/stats.h"
#include "netif/ethernet.h"
#include "lwip_port.h"

/* Frames lwIP builds: Ethernet header plus an MTU (no VLAN tags). */
#define FRAME_MAX	(NET_ETH_HLEN + 1500)

/* NET_RX softirq, any CPU: copy the lent frame into a pbuf for lwIP. */
static void lwip_netif_rx(struct net_if *ifp, const void *frame, size_t len, void *arg)
{
	struct netif *nif = arg;
	struct pbuf *p;

	lwip_core_lock();
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		LINK_STATS_INC(link.memerr);
		LINK_STATS_INC(link.drop);
		lwip_core_unlock();
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	LINK_STATS_INC(link.recv);
	if (nif->input(p, nif) != ERR_OK)
		pbuf_free(p);
	lwip_core_unlock();
}

/* lwIP's output, under the core lock, in the caller's context. */
static err_t lwip_netif_linkoutput(struct netif *nif, struct pbuf *p)
{
	struct net_if *ifp = nif->state;
	uint8_t buf[FRAME_MAX];
	const void *frame = p->payload;
	int rc;

	if (p->tot_len > sizeof(buf)) {
		LINK_STATS_INC(link.lenerr);
		return ERR_BUF;
	}
	if (p->next) {
		pbuf_copy_partial(p, buf, p->tot_len, 0);
		frame = buf;
	}
	rc = net_send(ifp, frame, p->tot_len);
	if (rc) {
		/* A full TX queue drops the frame, as a full qdisc would:
		 * TCP retransmits, UDP is allowed to lose. */
		LINK_STATS_INC(link.drop);
		return rc == -EAGAIN || rc == -ENOMEM ? ERR_MEM : ERR_IF;
	}
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

/* The driver's carrier changed (thread or softirq). */
static void lwip_netif_link(struct net_if *ifp, bool up, void *arg)
{
	struct netif *nif = arg;

	lwip_core_lock();
	if (up)
		netif_set_link_up(nif);
	else
		netif_set_link_down(nif);
	lwip_core_unlock();
}

static err_t lwip_netif_init(struct netif *nif)
{
	struct net_if *ifp = nif->state;
	const char *name = net_if_name(ifp);

	nif->name[0] = name[0];
	nif->name[1] = name[1];
	nif->output = etharp_output;
	nif->linkoutput = lwip_netif_linkoutput;
	nif->mtu = (u16_t)net_if_mtu(ifp);
	nif->hwaddr_len = ETH_HWADDR_LEN;
	net_if_mac(ifp, nif->hwaddr);
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

struct netif *lwip_port_netif_add(struct net_if *ifp)
{
	struct netif *nif = mem_calloc(1, sizeof(*nif));
	bool link;

	if (!nif)
		return NULL;
	lwip_core_lock();
	if (!netif_add(nif, NULL, NULL, NULL, ifp, lwip_netif_init, ethernet_input)) {
		lwip_core_unlock();
		mem_free(nif);
		return NULL;
	}
	netif_set_up(nif);
	lwip_core_unlock();
	/* Hooks after the netif exists; the link as the driver has it now,
	 * then every change. */
	net_set_link_hook(ifp, lwip_netif_link, nif);
	link = net_if_link_up(ifp);
	lwip_netif_link(ifp, link, nif);
	net_set_rx(ifp, lwip_netif_rx, nif);
	return nif;
}
