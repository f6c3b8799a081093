/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the DDE's net-core files (dde/net/) share among themselves: the
 * state the DDE keeps beside each net_device, and the steps of bringing
 * the net core up. Not for drivers and not for the kernel world (that is
 * dde/include/dde/net.h).
 */
#ifndef DDE_NET_CORE_H
#define DDE_NET_CORE_H

#include <linux/llist.h>
#include <linux/netdevice.h>
#include <dde/net.h>

/* A TX queue's pending wake: queued once on a CPU's list for NET_TX. */
struct dde_txq_wake {
	struct llist_node node;
	unsigned long pending;		/* bit 0: on a wake list */
	struct dde_netdev *nd;
};

/*
 * The DDE's side of a net_device, in the same block just before it (the
 * driver's private area follows the device, as netdev_priv() computes).
 * Hooks are set by the kernel-world net API and read under RCU.
 */
struct dde_netdev {
	void *block;			/* what kfree() takes back */
	/* ---- hooks: written under rtnl, read under RCU ---- */
	void (*rx)(void *arg, struct sk_buff *skb);
	void *rx_arg;
	void (*tx_wake)(void *arg, unsigned int queue);
	void *tx_wake_arg;
	/* ---- counters: any context ---- */
	atomic_long_t rx_delivered;
	atomic_long_t rx_unclaimed;
	atomic_long_t rx_dropped;
	atomic_long_t tx_busy;
	/* ---- XPS: the TX queue of each CPU, -1 none; written under rtnl ---- */
	s16 xps_queue[NR_CPUS];
	struct dde_txq_wake *wakes;	/* one per TX queue */
	unsigned char addr[MAX_ADDR_LEN];	/* dev->dev_addr points here */
	struct net_device dev __aligned(NETDEV_ALIGN);
};

static inline struct dde_netdev *dde_netdev(const struct net_device *dev)
{
	return container_of(dev, struct dde_netdev, dev);
}

void dde_net_skb_init(void);
void dde_net_napi_init(void);
/* Idle NAPI polling (napi_idle.c), called from napi.c. */
void dde_net_napi_idle_init(void);
void dde_napi_idle_note(struct napi_struct *n);
bool dde_napi_idle_defer(struct napi_struct *n);
void dde_napi_idle_forget(struct napi_struct *n);
void dde_net_complete_skbs(void);
void dde_net_run_tx_wakes(void);
/* NET_RX delivery of a received skb to the device's hook (dev.c). */
void dde_net_deliver(struct sk_buff *skb);

#endif
