/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DDE's network entry points for the kernel-world net API (Linux
 * world; implemented in dde/net/core/): the list of registered devices,
 * the receive, carrier and transmit-wake hooks, the transmit entry and
 * opening and closing a device. Linux's own calls (dev_open(), rtnl_lock()
 * ...) keep their Linux names and are declared by Linux's headers.
 */
#ifndef DDE_NET_H
#define DDE_NET_H

#include <linux/types.h>

struct net_device;
struct sk_buff;

/* What a device went through, reported to the event hook. */
enum dde_net_event {
	DDE_NET_REGISTERED,	/* in the list, named, ifindex set; rtnl held */
	DDE_NET_UNREGISTERING,	/* closed, about to leave the list; rtnl held */
	DDE_NET_CARRIER_ON,	/* the driver saw the link come up */
	DDE_NET_CARRIER_OFF,	/* ... or go down */
	DDE_NET_NOTIFY_PEERS,	/* the driver asks to announce the address */
};

/**
 * dde_net_set_event_hook - who hears about devices and links
 * @fn: called for every later event; NULL to stop. Carrier events come in
 *	the context the driver changed the carrier in (thread or softirq):
 *	@fn must not sleep.
 *
 * Context: thread.
 */
void dde_net_set_event_hook(void (*fn)(struct net_device *dev,
				       enum dde_net_event ev));

/**
 * dde_net_for_each_dev - visit the registered devices in ifindex order
 * @fn: returns non-zero to stop the walk, which then returns that value
 *
 * Context: thread, caller holds rtnl_lock(). Return: 0 or @fn's value.
 */
int dde_net_for_each_dev(int (*fn)(struct net_device *dev, void *arg),
			 void *arg);

/**
 * dde_net_dev_by_index - the registered device with @ifindex
 *
 * Context: caller holds rtnl_lock(). Return: the device or NULL.
 */
struct net_device *dde_net_dev_by_index(int ifindex);

/**
 * dde_net_set_rx_hook - where @dev's received frames go
 * @rx: takes ownership of each skb, whose data starts at the network
 *	header (eth_type_trans() ran; skb->protocol set, mac header before).
 *	Called in softirq (NET_RX) on the CPU that polled; NULL: received
 *	frames are counted and freed.
 *
 * Context: thread, caller holds rtnl_lock(); on return no call of the old
 * hook is still running.
 */
void dde_net_set_rx_hook(struct net_device *dev,
			 void (*rx)(void *arg, struct sk_buff *skb), void *arg);

/**
 * dde_net_set_tx_wake_hook - who retries after NETDEV_TX_BUSY
 * @wake: called in softirq (NET_TX) after the driver woke a stopped TX
 *	queue (netif_tx_wake_queue()), with the queue's index
 *
 * Context: thread, caller holds rtnl_lock().
 */
void dde_net_set_tx_wake_hook(struct net_device *dev,
			      void (*wake)(void *arg, unsigned int queue),
			      void *arg);

/**
 * dde_net_xmit - send one frame on @dev
 * @skb: the frame, from skb->data (Ethernet header first); its
 *	queue mapping is set here
 *
 * The TX queue is the calling CPU's in the XPS map the driver set, else
 * CPU % real_num_tx_queues. ndo_start_xmit runs under the queue's
 * _xmit_lock with bottom halves off, as Linux's __dev_queue_xmit().
 *
 * Context: thread or softirq, not hard IRQ.
 * Return: NETDEV_TX_OK (0): the skb belongs to the driver now;
 * NETDEV_TX_BUSY: the queue is stopped, the skb is still the caller's,
 * retry after the wake hook; -ENETDOWN: the device is not up, the skb is
 * still the caller's.
 */
int dde_net_xmit(struct net_device *dev, struct sk_buff *skb);

/**
 * dde_net_open - bring @dev up (dev_open() under rtnl_lock())
 * Context: thread, may sleep. Return: 0 or the driver's -errno.
 */
int dde_net_open(struct net_device *dev);

/** dde_net_close - take @dev down (dev_close() under rtnl_lock()) */
void dde_net_close(struct net_device *dev);

/* What the core counted for a device (not the driver's own stats). */
struct dde_net_counts {
	unsigned long rx_delivered;	/* handed to the rx hook */
	unsigned long rx_unclaimed;	/* freed: no rx hook */
	unsigned long rx_dropped;	/* freed: shorter than an Ethernet header */
	unsigned long tx_busy;		/* dde_net_xmit() said NETDEV_TX_BUSY */
};

/** dde_net_get_counts - read @dev's counters. Context: any. */
void dde_net_get_counts(struct net_device *dev, struct dde_net_counts *c);

/** dde_net_skbs_live - skbs allocated and not freed. Context: any. */
long dde_net_skbs_live(void);

/* Bring up the net core: skb cache, softnet_data, NET_RX/NET_TX. Called
 * once by ddeos_dde_init(). */
void dde_net_init(void);

#endif
