// SPDX-License-Identifier: GPL-2.0-only
/*
 * The waist's `---- net ----` section on the DDE's side: what the
 * kernel-world net API (kernel/net/net.c) may do with Linux's net_devices,
 * in plain C. No Linux counterpart (Linux's own users are sockets and
 * packet taps); it stands where net/core/dev.c hands frames to protocols
 * and where dev_queue_xmit() takes them. A frame sent is copied into a
 * fresh skb; a frame received is either lent to the hook for the duration
 * of the call (made linear) or given to it as the skb itself, which the
 * kernel releases later from any CPU (zero-copy receive): as one run of
 * bytes, or as the Ethernet header and one page frag, else made linear.
 */
#include <linux/bottom_half.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <dde/dde.h>
#include "net_core.h"

/* A kernel hook and its argument, as one allocation so that both change
 * together: replaced only after the DDE's hook is cleared and its callers
 * are gone (dde_net_set_rx_hook() waits for them). */
struct waist_rx {
	void (*fn)(void *arg, const void *frame, unsigned int len);
	void (*give)(void *arg, struct ddeos_net_frame *f, void *data,
		     unsigned int len);
	void *arg;
};

/* A given frame's skb->cb: the receiving CPU (to count remote releases),
 * then the receiver's bytes. */
struct waist_frame_cb {
	int cpu;
	int pad;
	u64 priv[DDEOS_NET_FRAME_PRIV / 8];
};

static atomic_long_t frames_given, frames_released, frames_released_remote;
/* Received skbs that had to be made linear (one copy), lent or given;
 * given ones handed over in two parts instead (no copy). */
static atomic_long_t frames_linearized, frames_split;

struct waist_wake {
	void (*fn)(void *arg);
	void *arg;
};

/* ---- under rtnl ---- */
static void (*waist_event_fn)(struct ddeos_netdev *d, enum ddeos_net_event ev);

static struct net_device *to_dev(struct ddeos_netdev *d)
{
	return (struct net_device *)d;
}

struct nth {
	unsigned int n;
	struct net_device *dev;
};

static int nth_dev(struct net_device *dev, void *arg)
{
	struct nth *w = arg;

	if (w->n--)
		return 0;
	w->dev = dev;
	return 1;
}

struct ddeos_netdev *ddeos_net_get(unsigned int n)
{
	struct nth w = { .n = n };

	rtnl_lock();
	dde_net_for_each_dev(nth_dev, &w);
	rtnl_unlock();
	return (struct ddeos_netdev *)w.dev;
}

int ddeos_net_info(struct ddeos_netdev *d, struct ddeos_net_info *info)
{
	struct net_device *dev = to_dev(d);

	memset(info, 0, sizeof(*info));
	strscpy(info->name, dev->name, sizeof(info->name));
	memcpy(info->mac, dev->dev_addr, DDEOS_NET_ADDR_LEN);
	info->mtu = READ_ONCE(dev->mtu);
	info->ifindex = dev->ifindex;
	info->tx_queues = READ_ONCE(dev->real_num_tx_queues);
	info->rx_queues = READ_ONCE(dev->real_num_rx_queues);
	info->up = !!(READ_ONCE(dev->flags) & IFF_UP);
	info->carrier = netif_carrier_ok(dev);
	return 0;
}

int ddeos_net_open(struct ddeos_netdev *d)
{
	return dde_net_open(to_dev(d));
}

/* virtio_net's mergeable buffers put all but the first bytes in page
 * frags; the kernel wants one run of bytes. Return: 0, or -ENOMEM with
 * the skb freed. */
static int waist_rx_linear(struct sk_buff *skb)
{
	if (likely(!skb_is_nonlinear(skb)))
		return 0;
	atomic_long_inc(&frames_linearized);
	if (unlikely(skb_linearize(skb))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOMEM;
	}
	return 0;
}

/* NET_RX: lend the frame, Ethernet header first, to the kernel's hook. */
static void waist_rx_frame(void *arg, struct sk_buff *skb)
{
	struct waist_rx *h = arg;

	if (waist_rx_linear(skb))
		return;
	h->fn(h->arg, skb_mac_header(skb), skb->len + ETH_HLEN);
	consume_skb(skb);
}

/*
 * virtio_net's mergeable buffers: a frame that does not fit its small
 * copy has only the Ethernet header in the head (page_to_skb() copies
 * ETH_HLEN) and everything after it in one page frag. That one is given
 * as it is, in two parts; anything else in pieces is made linear.
 */
static bool waist_rx_two_parts(struct sk_buff *skb)
{
	return skb_headlen(skb) == 0 && skb_shinfo(skb)->nr_frags == 1 &&
	       !skb_has_frag_list(skb);
}

/* NET_RX: give the skb itself; ddeos_net_frame_release() frees it. */
static void waist_rx_give(void *arg, struct sk_buff *skb)
{
	struct waist_rx *h = arg;
	struct waist_frame_cb *cb = (struct waist_frame_cb *)skb->cb;

	BUILD_BUG_ON(sizeof(*cb) > sizeof(skb->cb));
	if (skb_is_nonlinear(skb) && waist_rx_two_parts(skb))
		atomic_long_inc(&frames_split);
	else if (waist_rx_linear(skb))
		return;
	cb->cpu = smp_processor_id();
	atomic_long_inc(&frames_given);
	h->give(h->arg, (struct ddeos_net_frame *)skb, skb_mac_header(skb),
		skb_headlen(skb) + ETH_HLEN);
}

void *ddeos_net_frame_rest(struct ddeos_net_frame *f, unsigned int *len)
{
	struct sk_buff *skb = (struct sk_buff *)f;

	if (!skb_is_nonlinear(skb)) {
		*len = 0;
		return NULL;
	}
	*len = skb_frag_size(&skb_shinfo(skb)->frags[0]);
	return skb_frag_address(&skb_shinfo(skb)->frags[0]);
}

void *ddeos_net_frame_priv(struct ddeos_net_frame *f)
{
	struct sk_buff *skb = (struct sk_buff *)f;

	return ((struct waist_frame_cb *)skb->cb)->priv;
}

void ddeos_net_frame_release(struct ddeos_net_frame *f)
{
	struct sk_buff *skb = (struct sk_buff *)f;

	/* raw_: a thread may be migrated right after; the count is only
	 * about where the release happened to run. */
	if (((struct waist_frame_cb *)skb->cb)->cpu != raw_smp_processor_id())
		atomic_long_inc(&frames_released_remote);
	atomic_long_inc(&frames_released);
	dev_consume_skb_any(skb);
}

void ddeos_net_frame_counts(struct ddeos_net_frame_counts *c)
{
	c->given = atomic_long_read(&frames_given);
	c->released = atomic_long_read(&frames_released);
	c->released_remote = atomic_long_read(&frames_released_remote);
	c->linearized = atomic_long_read(&frames_linearized);
	c->split = atomic_long_read(&frames_split);
}

static bool waist_rx_hook_is_ours(struct dde_netdev *nd)
{
	return nd->rx == waist_rx_frame || nd->rx == waist_rx_give;
}

/* Replace @dev's receive hook by @h (NULL: none), freeing the old one. */
static void waist_set_rx(struct net_device *dev, struct waist_rx *h)
{
	struct dde_netdev *nd = dde_netdev(dev);
	struct waist_rx *old;

	rtnl_lock();
	old = waist_rx_hook_is_ours(nd) ? nd->rx_arg : NULL;
	dde_net_set_rx_hook(dev, NULL, NULL);	/* waits for old callers */
	if (h)
		dde_net_set_rx_hook(dev, h->give ? waist_rx_give : waist_rx_frame, h);
	rtnl_unlock();
	kfree(old);
}

static struct waist_rx *waist_rx_new(const struct waist_rx *init)
{
	struct waist_rx *h = kmalloc(sizeof(*h), GFP_KERNEL);

	/* Out of memory at set-up: frames go on being counted and dropped,
	 * and the kernel's hook is never called; say so. */
	if (WARN_ON(!h))
		return NULL;
	*h = *init;
	return h;
}

void ddeos_net_set_rx_frame_hook(struct ddeos_netdev *d,
				 void (*rx)(void *arg, struct ddeos_net_frame *f,
					    void *data, unsigned int len),
				 void *arg)
{
	might_sleep();
	waist_set_rx(to_dev(d), rx ? waist_rx_new(&(struct waist_rx){ .give = rx, .arg = arg })
				   : NULL);
}

void ddeos_net_set_rx_hook(struct ddeos_netdev *d,
			   void (*rx)(void *arg, const void *frame, unsigned int len),
			   void *arg)
{
	might_sleep();
	waist_set_rx(to_dev(d), rx ? waist_rx_new(&(struct waist_rx){ .fn = rx, .arg = arg })
				   : NULL);
}

int ddeos_net_send(struct ddeos_netdev *d, const void *frame, unsigned int len)
{
	struct net_device *dev = to_dev(d);
	struct sk_buff *skb;
	int rc;

	if (len < ETH_HLEN || len > READ_ONCE(dev->mtu) + ETH_HLEN)
		return -EINVAL;
	/* Headroom for the driver's own header (virtio_net pushes its
	 * virtio_net_hdr in front when it can). */
	skb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_mac_header(skb);
	skb_put_data(skb, frame, len);
	skb->protocol = ((const struct ethhdr *)frame)->h_proto;
	skb->ip_summed = CHECKSUM_NONE;
	rc = dde_net_xmit(dev, skb);
	if (likely(rc == NETDEV_TX_OK))
		return 0;
	kfree_skb(skb);
	return rc == NETDEV_TX_BUSY ? -EAGAIN : rc;
}

static void waist_tx_wake(void *arg, unsigned int queue)
{
	struct waist_wake *h = arg;

	h->fn(h->arg);
}

void ddeos_net_set_tx_wake_hook(struct ddeos_netdev *d, void (*wake)(void *arg),
				void *arg)
{
	struct net_device *dev = to_dev(d);
	struct dde_netdev *nd = dde_netdev(dev);
	struct waist_wake *old, *h = NULL;

	might_sleep();
	if (wake) {
		h = kmalloc(sizeof(*h), GFP_KERNEL);
		if (WARN_ON(!h))
			wake = NULL;
		else
			*h = (struct waist_wake){ wake, arg };
	}
	rtnl_lock();
	old = nd->tx_wake == waist_tx_wake ? nd->tx_wake_arg : NULL;
	dde_net_set_tx_wake_hook(dev, NULL, NULL);	/* waits for old callers */
	if (h)
		dde_net_set_tx_wake_hook(dev, waist_tx_wake, h);
	rtnl_unlock();
	kfree(old);
}

static void waist_event(struct net_device *dev, enum dde_net_event ev)
{
	void (*fn)(struct ddeos_netdev *, enum ddeos_net_event) = READ_ONCE(waist_event_fn);

	if (!fn)
		return;
	switch (ev) {
	case DDE_NET_CARRIER_ON:
		fn((struct ddeos_netdev *)dev, DDEOS_NET_LINK_UP);
		break;
	case DDE_NET_CARRIER_OFF:
		fn((struct ddeos_netdev *)dev, DDEOS_NET_LINK_DOWN);
		break;
	case DDE_NET_NOTIFY_PEERS:
		fn((struct ddeos_netdev *)dev, DDEOS_NET_NOTIFY_PEERS);
		break;
	default:	/* registration: the kernel looks for devices itself */
		break;
	}
}

void ddeos_net_set_event_hook(void (*fn)(struct ddeos_netdev *d,
					 enum ddeos_net_event ev))
{
	WRITE_ONCE(waist_event_fn, fn);
	dde_net_set_event_hook(fn ? waist_event : NULL);
}

void ddeos_net_core_counts(struct ddeos_netdev *d, struct ddeos_net_core_counts *c)
{
	struct dde_net_counts n;

	dde_net_get_counts(to_dev(d), &n);
	c->rx_delivered = n.rx_delivered;
	c->rx_unclaimed = n.rx_unclaimed;
	c->rx_dropped = n.rx_dropped;
	c->tx_busy = n.tx_busy;
}

int ddeos_net_driver_stats(struct ddeos_netdev *d,
			   void (*fn)(void *arg, const char *name,
				      unsigned long long value),
			   void *arg)
{
	struct net_device *dev = to_dev(d);
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_stats stats = { .cmd = ETHTOOL_GSTATS };
	u8 *names;
	u64 *vals;
	int i, n;

	if (!ops || !ops->get_sset_count || !ops->get_strings ||
	    !ops->get_ethtool_stats)
		return 0;
	n = ops->get_sset_count(dev, ETH_SS_STATS);
	if (n <= 0)
		return 0;
	/* Atomic: callers hold lwIP's core lock. */
	names = kcalloc(n, ETH_GSTRING_LEN, GFP_ATOMIC);
	vals = kcalloc(n, sizeof(*vals), GFP_ATOMIC);
	if (!names || !vals) {
		kfree(names);
		kfree(vals);
		return -ENOMEM;
	}
	ops->get_strings(dev, ETH_SS_STATS, names);
	stats.n_stats = n;
	ops->get_ethtool_stats(dev, &stats, vals);
	for (i = 0; i < n; i++) {
		names[(i + 1) * ETH_GSTRING_LEN - 1] = 0;
		fn(arg, (const char *)&names[i * ETH_GSTRING_LEN], vals[i]);
	}
	kfree(names);
	kfree(vals);
	return n;
}

void ddeos_net_bh_disable(void)
{
	local_bh_disable();
}

void ddeos_net_bh_enable(void)
{
	local_bh_enable();
}
