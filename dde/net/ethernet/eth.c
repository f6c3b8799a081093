// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ethernet devices (Linux: net/ethernet/eth.c, and dev_addr_mod() from
 * net/core/dev_addr_lists.c). Same defaults and frame classification as
 * Linux; differs in that no header_ops are set (nothing here builds
 * link-layer headers for a stack: the kernel-world stack writes its own),
 * the device address is one plain array rather than a hardware-address
 * list, and a frame too short for an Ethernet header is left unpulled so
 * the receive path drops and counts it instead of reading past its end.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/pkt_sched.h>
#include "../core/net_core.h"

/**
 * eth_type_trans - classify a received frame and pull its Ethernet header
 * @skb: the frame, data at the Ethernet header
 * @dev: the device it came in on (becomes skb->dev)
 *
 * Sets the mac header and skb->pkt_type (host, broadcast, multicast,
 * other host). Context: any. Return: the protocol for skb->protocol.
 */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth;
	__be16 sap, _sap;
	const __be16 *p;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN)))
		return htons(ETH_P_802_2);	/* dde_net_deliver() drops it */
	eth = (const struct ethhdr *)skb->data;
	__skb_pull(skb, ETH_HLEN);
	eth_skb_pkt_type(skb, dev);

	if (likely(eth_proto_is_802_3(eth->h_proto)))
		return eth->h_proto;
	/* A length field: raw 802.3 (IPX's FFFF) or 802.2 LLC. */
	p = skb_header_pointer(skb, 0, sizeof(sap), &_sap);
	if (p && *p == htons(0xFFFF))
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}
EXPORT_SYMBOL(eth_type_trans);

/** ether_setup - Ethernet defaults for a new device. Context: thread. */
void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->min_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	dev->priv_flags |= IFF_TX_SKB_SHARING;
	eth_broadcast_addr(dev->broadcast);
}
EXPORT_SYMBOL(ether_setup);

/**
 * alloc_etherdev_mqs - an Ethernet device named "eth%d"
 * Context: thread, may sleep. Return: the device or NULL.
 */
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
				      unsigned int rxqs)
{
	return alloc_netdev_mqs(sizeof_priv, "eth%d", NET_NAME_ENUM,
				ether_setup, txqs, rxqs);
}
EXPORT_SYMBOL(alloc_etherdev_mqs);

/** eth_validate_addr - Return: 0, or -EADDRNOTAVAIL for a bad address */
int eth_validate_addr(struct net_device *dev)
{
	if (!is_valid_ether_addr(dev->dev_addr))
		return -EADDRNOTAVAIL;
	return 0;
}
EXPORT_SYMBOL(eth_validate_addr);

/**
 * eth_prepare_mac_addr_change - may @dev take the address in @p?
 * @p: a struct sockaddr
 *
 * Return: 0, -EBUSY (running, no live change) or -EADDRNOTAVAIL.
 */
int eth_prepare_mac_addr_change(struct net_device *dev, void *p)
{
	struct sockaddr *addr = p;

	if (!(dev->priv_flags & IFF_LIVE_ADDR_CHANGE) && netif_running(dev))
		return -EBUSY;
	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	return 0;
}
EXPORT_SYMBOL(eth_prepare_mac_addr_change);

/** eth_commit_mac_addr_change - take the address in @p (a sockaddr) */
void eth_commit_mac_addr_change(struct net_device *dev, void *p)
{
	struct sockaddr *addr = p;

	eth_hw_addr_set(dev, addr->sa_data);
}
EXPORT_SYMBOL(eth_commit_mac_addr_change);

/**
 * dev_addr_mod - write @len bytes of @dev's address at @offset
 *
 * Also the shadow copy Linux keeps to catch direct writes.
 * Context: thread (rtnl held once registered).
 */
void dev_addr_mod(struct net_device *dev, unsigned int offset,
		  const void *addr, size_t len)
{
	if (WARN_ON(offset + len > MAX_ADDR_LEN))
		return;
	memcpy(dde_netdev(dev)->addr + offset, addr, len);
	memcpy(dev->dev_addr_shadow + offset, addr, len);
}
EXPORT_SYMBOL(dev_addr_mod);
