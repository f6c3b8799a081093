// SPDX-License-Identifier: GPL-2.0-only
/*
 * An lwIP Ethernet netif over a ddeos network interface (kernel/net): the
 * port's answer to lwIP's contrib/examples/ethernetif.c. Received frames
 * are not copied: each is a custom pbuf over the driver's buffer (kept in
 * the frame's own private bytes, so no allocation either), handed to lwIP
 * in NET_RX softirq on the CPU that polled, under the core lock (a frame
 * the driver left in two parts, Ethernet header and the rest, goes to IPv4
 * input as a pbuf over the rest); its free function releases the buffer through the skb's free path on whatever CPU
 * lwIP or an app frees the pbuf. lwIP's output sends on the calling CPU's
 * TX queue. The link follows the driver's carrier.
 */
#include <ddeos/errno.h>
#include <ddeos/net.h>
#include <ddeos/string.h>
#include "lwip/etharp.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/snmp.h"
#include "lwip/stats.h"
#include "netif/ethernet.h"
#include "lwip_port.h"

/* Frames lwIP builds: Ethernet header plus an MTU (no VLAN tags). */
#define FRAME_MAX	(NET_ETH_HLEN + 1500)

/* A received frame as lwIP sees it: the custom pbuf and the frame it
 * stands for, in the frame's private bytes. */
struct rx_pbuf {
	struct pbuf_custom pc;
	struct net_frame *frame;
};

_Static_assert(sizeof(struct rx_pbuf) <= NET_FRAME_PRIV,
	       "a received frame's private bytes hold its pbuf");

/* lwIP dropped the last reference (any CPU, any thread or softirq). */
static void rx_pbuf_free(struct pbuf *p)
{
	struct rx_pbuf *rp = (struct rx_pbuf *)p;

	net_frame_release(rp->frame);
}

/*
 * A frame in two parts: the Ethernet header, and the rest in the driver's
 * page. lwIP's ethernet_input() wants the next header in the same pbuf as
 * the Ethernet header, so an IPv4 packet goes to ip4_input() as a pbuf
 * over the rest alone, after what ethernet_input() would do for it
 * (link-layer broadcast and multicast flags, the netif's index). Anything
 * else this large is copied into one pbuf for ethernet_input(). Core lock
 * held; the frame is lwIP's or released on return.
 */
static void lwip_netif_rx_parts(struct netif *nif, struct rx_pbuf *rp,
				const uint8_t *eth, void *rest, size_t rest_len)
{
	static const uint8_t bcast[NET_ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint16_t type = (uint16_t)(eth[12] << 8 | eth[13]);
	struct pbuf *p;

	if (type != ETHTYPE_IP || !(nif->flags & NETIF_FLAG_ETHARP)) {
		p = pbuf_alloc(PBUF_RAW, (u16_t)(NET_ETH_HLEN + rest_len), PBUF_POOL);
		if (p) {
			pbuf_take(p, eth, NET_ETH_HLEN);
			pbuf_take_at(p, rest, (u16_t)rest_len, NET_ETH_HLEN);
		}
		net_frame_release(rp->frame);
		if (!p) {
			LINK_STATS_INC(link.memerr);
			LINK_STATS_INC(link.drop);
			return;
		}
		if (nif->input(p, nif) != ERR_OK)
			pbuf_free(p);
		return;
	}
	p = pbuf_alloced_custom(PBUF_RAW, (u16_t)rest_len, PBUF_REF, &rp->pc, rest,
				(u16_t)rest_len);
	p->if_idx = netif_get_index(nif);
	if (eth[0] == 0x01 && eth[1] == 0x00 && eth[2] == 0x5e)
		p->flags |= PBUF_FLAG_LLMCAST;
	else if (!string_memcmp(eth, bcast, NET_ETH_ALEN))
		p->flags |= PBUF_FLAG_LLBCAST;
	ip4_input(p, nif);
}

/* NET_RX softirq, any CPU: the driver's frame becomes a pbuf for lwIP. */
static void lwip_netif_rx(struct net_if *ifp, struct net_frame *f, void *data,
			  size_t len, void *arg)
{
	struct netif *nif = arg;
	struct rx_pbuf *rp = net_frame_priv(f);
	size_t rest_len;
	void *rest = net_frame_rest(f, &rest_len);
	struct pbuf *p;

	if (unlikely(len + rest_len > 0xffff)) {	/* a pbuf's length is 16 bits */
		net_frame_release(f);
		lwip_core_lock();
		LINK_STATS_INC(link.lenerr);
		LINK_STATS_INC(link.drop);
		lwip_core_unlock();
		return;
	}
	rp->frame = f;
	rp->pc.custom_free_function = rx_pbuf_free;
	if (rest) {
		lwip_core_lock();
		LINK_STATS_INC(link.recv);
		lwip_netif_rx_parts(nif, rp, data, rest, rest_len);
		lwip_core_unlock();
		return;
	}
	/* PBUF_REF: lwIP must not write headers in front of the data (it
	 * copies where it would, as for a reply built on the request). */
	p = pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &rp->pc, data, (u16_t)len);
	lwip_core_lock();
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
	net_set_rx_frames(ifp, lwip_netif_rx, nif);
	return nif;
}
