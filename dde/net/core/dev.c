// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network devices (Linux: net/core/dev.c, the device half; rtnl_lock from
 * net/core/rtnetlink.c; alloc_netdev_mqs/free_netdev). Devices are
 * allocated, named ethN, numbered and listed as in Linux; carrier and TX
 * queue state live in the same bits Linux's inlines read. What differs:
 * no qdisc, no netlink, no notifier chains, one namespace. The kernel-world
 * net API hears of devices and carrier changes through one event hook,
 * takes received frames through a per-device hook and transmits with
 * dde_net_xmit() (dde/include/dde/net.h).
 *
 * Lock order: rtnl_mutex, then a TX queue's _xmit_lock. The device list
 * is changed under rtnl and read under rtnl.
 */
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/pkt_sched.h>
#include <net/flow_dissector.h>
#include <dde/dde.h>
#include "net_core.h"

/* Per-CPU network state that compiled Linux objects reference. */
DEFINE_PER_CPU_ALIGNED(struct softnet_data, softnet_data);
EXPORT_PER_CPU_SYMBOL(softnet_data);
DEFINE_PER_CPU(struct bpf_redirect_info, bpf_redirect_info);
DEFINE_STATIC_KEY_FALSE(bpf_master_redirect_enabled_key);
DEFINE_STATIC_KEY_FALSE(bpf_stats_enabled_key);
struct flow_dissector flow_keys_basic_dissector __read_mostly;

static DEFINE_MUTEX(rtnl_mutex);

/* ---- under rtnl_mutex ---- */
static LIST_HEAD(dev_list);		/* registered, in ifindex order */
static int last_ifindex;
static void (*event_hook)(struct net_device *dev, enum dde_net_event ev);

/* CPU-local: TX queues woken, waiting for NET_TX to tell the hook. */
static DEFINE_PER_CPU(struct llist_head, txq_wakes);

void rtnl_lock(void)
{
	mutex_lock(&rtnl_mutex);
}
EXPORT_SYMBOL(rtnl_lock);

void rtnl_unlock(void)
{
	mutex_unlock(&rtnl_mutex);
}
EXPORT_SYMBOL(rtnl_unlock);

int rtnl_trylock(void)
{
	return mutex_trylock(&rtnl_mutex);
}
EXPORT_SYMBOL(rtnl_trylock);

int rtnl_is_locked(void)
{
	return mutex_is_locked(&rtnl_mutex);
}
EXPORT_SYMBOL(rtnl_is_locked);

static void net_event(struct net_device *dev, enum dde_net_event ev)
{
	void (*fn)(struct net_device *, enum dde_net_event);

	rcu_read_lock();
	fn = READ_ONCE(event_hook);
	if (fn)
		fn(dev, ev);
	rcu_read_unlock();
}

void dde_net_set_event_hook(void (*fn)(struct net_device *dev,
				       enum dde_net_event ev))
{
	WRITE_ONCE(event_hook, fn);
	synchronize_rcu();
}

/**
 * alloc_netdev_mqs - a device with @txqs TX and @rxqs RX queues
 * @sizeof_priv: bytes of driver data at netdev_priv(), NETDEV_ALIGN aligned
 * @name: a name or a pattern with %d, resolved at registration
 * @setup: sets the type's defaults (ether_setup())
 *
 * Context: thread, may sleep. Return: the device or NULL.
 */
struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
				    unsigned char name_assign_type,
				    void (*setup)(struct net_device *),
				    unsigned int txqs, unsigned int rxqs)
{
	size_t size = sizeof(struct dde_netdev) + sizeof_priv + NETDEV_ALIGN;
	struct dde_netdev *nd;
	struct net_device *dev;
	void *block;
	unsigned int i;

	if (txqs < 1 || rxqs < 1) {
		pr_err("alloc_netdev: %u TX and %u RX queues\n", txqs, rxqs);
		return NULL;
	}
	block = kzalloc(size, GFP_KERNEL);
	if (!block)
		return NULL;
	nd = PTR_ALIGN(block, NETDEV_ALIGN);
	nd->block = block;
	dev = &nd->dev;
	BUILD_BUG_ON(offsetof(struct dde_netdev, dev) % NETDEV_ALIGN);

	dev->pcpu_refcnt = alloc_percpu(int);
	dev->_tx = kcalloc(txqs, sizeof(*dev->_tx), GFP_KERNEL);
	dev->_rx = kcalloc(rxqs, sizeof(*dev->_rx), GFP_KERNEL);
	nd->wakes = kcalloc(txqs, sizeof(*nd->wakes), GFP_KERNEL);
	if (!dev->pcpu_refcnt || !dev->_tx || !dev->_rx || !nd->wakes)
		goto fail;
	this_cpu_inc(*dev->pcpu_refcnt);

	for (i = 0; i < txqs; i++) {
		struct netdev_queue *q = &dev->_tx[i];

		q->dev = dev;
		spin_lock_init(&q->_xmit_lock);
		q->xmit_lock_owner = -1;
		netdev_queue_numa_node_write(q, NUMA_NO_NODE);
		nd->wakes[i].nd = nd;
	}
	for (i = 0; i < rxqs; i++)
		dev->_rx[i].dev = dev;
	for (i = 0; i < NR_CPUS; i++)
		nd->xps_queue[i] = -1;
	dev->num_tx_queues = dev->real_num_tx_queues = txqs;
	dev->num_rx_queues = dev->real_num_rx_queues = rxqs;

	dev->dev_addr = nd->addr;
	dev->gso_max_size = GSO_LEGACY_MAX_SIZE;
	dev->gso_max_segs = GSO_MAX_SEGS;
	dev->gro_max_size = GRO_LEGACY_MAX_SIZE;
	dev->tso_max_size = TSO_LEGACY_MAX_SIZE;
	dev->tso_max_segs = TSO_MAX_SEGS;
	dev->upper_level = 1;
	dev->lower_level = 1;
	INIT_LIST_HEAD(&dev->dev_list);
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->unreg_list);
	INIT_LIST_HEAD(&dev->close_list);
	INIT_LIST_HEAD(&dev->link_watch_list);
	dev->priv_flags = IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM;
	setup(dev);
	if (!dev->tx_queue_len) {
		dev->priv_flags |= IFF_NO_QUEUE;
		dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	}
	strscpy(dev->name, name, sizeof(dev->name));
	dev->name_assign_type = name_assign_type;
	dev->group = INIT_NETDEV_GROUP;
	return dev;

fail:
	kfree(nd->wakes);
	kfree(dev->_rx);
	kfree(dev->_tx);
	free_percpu(dev->pcpu_refcnt);
	kfree(block);
	return NULL;
}
EXPORT_SYMBOL(alloc_netdev_mqs);

/**
 * free_netdev - free a device never registered or unregistered
 *
 * Deletes the NAPIs still attached. Context: thread, may sleep.
 */
void free_netdev(struct net_device *dev)
{
	struct dde_netdev *nd = dde_netdev(dev);
	struct napi_struct *p, *n;
	unsigned int i;

	might_sleep();
	if (WARN_ON(dev->reg_state == NETREG_REGISTERED))
		return;
	list_for_each_entry_safe(p, n, &dev->napi_list, dev_list)
		__netif_napi_del(p);
	/* A wake still queued for NET_TX points into this device. */
	for (i = 0; i < dev->num_tx_queues; i++)
		while (test_bit(0, &nd->wakes[i].pending))
			msleep(1);
	synchronize_net();
	kfree(nd->wakes);
	kfree(dev->_rx);
	kfree(dev->_tx);
	free_percpu(dev->pcpu_refcnt);
	kfree(nd->block);
}
EXPORT_SYMBOL(free_netdev);

/* The lowest free N for a "...%d" name, as Linux's __dev_alloc_name(). */
static int dev_pick_name(struct net_device *dev)
{
	const char *pct = strchr(dev->name, '%');
	char pattern[IFNAMSIZ], buf[IFNAMSIZ];
	struct net_device *d;
	int n;

	if (!pct) {
		list_for_each_entry(d, &dev_list, dev_list)
			if (!strcmp(d->name, dev->name))
				return -EEXIST;
		return dev->name[0] ? 0 : -EINVAL;
	}
	if (pct[1] != 'd' || strchr(pct + 2, '%'))
		return -EINVAL;
	strscpy(pattern, dev->name, sizeof(pattern));
	for (n = 0; n < 32768; n++) {
		bool used = false;

		if (snprintf(buf, sizeof(buf), pattern, n) >= IFNAMSIZ)
			return -ENFILE;
		list_for_each_entry(d, &dev_list, dev_list)
			if (!strcmp(d->name, buf))
				used = true;
		if (!used) {
			strscpy(dev->name, buf, sizeof(dev->name));
			return 0;
		}
	}
	return -ENFILE;
}

/**
 * register_netdevice - name, number and list @dev
 *
 * Calls ndo_init first; the device is present, with carrier (drivers turn
 * it off). Context: thread, caller holds rtnl_lock().
 * Return: 0, or -errno (the device is then still the caller's to free).
 */
int register_netdevice(struct net_device *dev)
{
	int ret;

	ASSERT_RTNL();
	if (WARN_ON(dev->reg_state != NETREG_UNINITIALIZED))
		return -EINVAL;
	ret = dev_pick_name(dev);
	if (ret)
		return ret;
	if (dev->netdev_ops && dev->netdev_ops->ndo_init) {
		ret = dev->netdev_ops->ndo_init(dev);
		if (ret)
			return ret > 0 ? -EIO : ret;
	}
	/* As Linux's register_netdevice() and netdev_fix_features(): the
	 * software features are on, and TSO needs scatter-gather and
	 * checksum offload (virtio_net relies on this with csum=0 gso=1). */
	dev->hw_features |= NETIF_F_SOFT_FEATURES | NETIF_F_SOFT_FEATURES_OFF;
	dev->features |= NETIF_F_SOFT_FEATURES;
	if (!(dev->features & NETIF_F_SG) ||
	    !(dev->features & NETIF_F_CSUM_MASK))
		dev->features &= ~NETIF_F_ALL_TSO;
	dev->wanted_features = dev->features & dev->hw_features;

	if (++last_ifindex <= 0)
		last_ifindex = 1;
	dev->ifindex = last_ifindex;
	set_bit(__LINK_STATE_PRESENT, &dev->state);
	dev->reg_state = NETREG_REGISTERED;
	list_add_tail(&dev->dev_list, &dev_list);
	net_event(dev, DDE_NET_REGISTERED);
	return 0;
}
EXPORT_SYMBOL(register_netdevice);

/** register_netdev - register_netdevice() under rtnl_lock() */
int register_netdev(struct net_device *dev)
{
	int ret;

	rtnl_lock();
	ret = register_netdevice(dev);
	rtnl_unlock();
	return ret;
}
EXPORT_SYMBOL(register_netdev);

/**
 * unregister_netdevice_queue - close @dev and take it off the list
 * @head: must be NULL (no batching)
 *
 * On return no hook call for @dev is running; free_netdev() may follow.
 * Context: thread, caller holds rtnl_lock().
 */
void unregister_netdevice_queue(struct net_device *dev, struct list_head *head)
{
	struct dde_netdev *nd = dde_netdev(dev);

	ASSERT_RTNL();
	WARN_ON(head);
	if (WARN_ON(dev->reg_state != NETREG_REGISTERED))
		return;
	dev_close(dev);
	net_event(dev, DDE_NET_UNREGISTERING);
	dev->reg_state = NETREG_UNREGISTERING;
	list_del_init(&dev->dev_list);
	WRITE_ONCE(nd->rx, NULL);
	WRITE_ONCE(nd->tx_wake, NULL);
	synchronize_net();
	if (dev->netdev_ops && dev->netdev_ops->ndo_uninit)
		dev->netdev_ops->ndo_uninit(dev);
	dev->reg_state = NETREG_UNREGISTERED;
}
EXPORT_SYMBOL(unregister_netdevice_queue);

/** unregister_netdev - unregister_netdevice() under rtnl_lock() */
void unregister_netdev(struct net_device *dev)
{
	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
}
EXPORT_SYMBOL(unregister_netdev);

int dde_net_for_each_dev(int (*fn)(struct net_device *dev, void *arg),
			 void *arg)
{
	struct net_device *dev;
	int ret;

	ASSERT_RTNL();
	list_for_each_entry(dev, &dev_list, dev_list) {
		ret = fn(dev, arg);
		if (ret)
			return ret;
	}
	return 0;
}

struct net_device *dde_net_dev_by_index(int ifindex)
{
	struct net_device *dev;

	ASSERT_RTNL();
	list_for_each_entry(dev, &dev_list, dev_list)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

/**
 * netif_carrier_on - the link is up
 *
 * Context: any the driver is in (thread or softirq here).
 */
void netif_carrier_on(struct net_device *dev)
{
	if (!test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state))
		return;
	if (dev->reg_state == NETREG_UNINITIALIZED)
		return;
	atomic_inc(&dev->carrier_up_count);
	net_event(dev, DDE_NET_CARRIER_ON);
}
EXPORT_SYMBOL(netif_carrier_on);

/** netif_carrier_off - the link is down. Context: as netif_carrier_on(). */
void netif_carrier_off(struct net_device *dev)
{
	if (test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state))
		return;
	if (dev->reg_state == NETREG_UNINITIALIZED)
		return;
	atomic_inc(&dev->carrier_down_count);
	net_event(dev, DDE_NET_CARRIER_OFF);
}
EXPORT_SYMBOL(netif_carrier_off);

/** netdev_notify_peers - ask the stack to announce @dev's address */
void netdev_notify_peers(struct net_device *dev)
{
	net_event(dev, DDE_NET_NOTIFY_PEERS);
}
EXPORT_SYMBOL(netdev_notify_peers);

/**
 * netif_set_real_num_tx_queues - use the first @txq TX queues
 * Context: thread; rtnl held once registered. Return: 0 or -EINVAL.
 */
int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq)
{
	if (txq < 1 || txq > dev->num_tx_queues)
		return -EINVAL;
	if (dev->reg_state == NETREG_REGISTERED)
		ASSERT_RTNL();
	WRITE_ONCE(dev->real_num_tx_queues, txq);
	return 0;
}
EXPORT_SYMBOL(netif_set_real_num_tx_queues);

/**
 * __netif_set_xps_queue - CPUs in @mask send on TX queue @index
 * @type: XPS_CPUS; receive-queue maps (XPS_RXQS) are not offered
 *
 * A CPU has one queue here (Linux allows several and hashes among them).
 * Context: thread. Return: 0, or -EINVAL.
 */
int __netif_set_xps_queue(struct net_device *dev, const unsigned long *mask,
			  u16 index, enum xps_map_type type)
{
	struct dde_netdev *nd = dde_netdev(dev);
	int cpu;

	if (type != XPS_CPUS || index >= dev->num_tx_queues)
		return -EINVAL;
	for (cpu = 0; cpu < nr_cpu_ids && cpu < NR_CPUS; cpu++) {
		if (test_bit(cpu, mask))
			WRITE_ONCE(nd->xps_queue[cpu], index);
		else if (READ_ONCE(nd->xps_queue[cpu]) == index)
			WRITE_ONCE(nd->xps_queue[cpu], -1);
	}
	return 0;
}
EXPORT_SYMBOL(__netif_set_xps_queue);

/** netif_set_xps_queue - CPUs in @mask send on TX queue @index */
int netif_set_xps_queue(struct net_device *dev, const struct cpumask *mask,
			u16 index)
{
	return __netif_set_xps_queue(dev, cpumask_bits(mask), index, XPS_CPUS);
}
EXPORT_SYMBOL(netif_set_xps_queue);

/** netif_tx_stop_all_queues - stop every TX queue. Context: any. */
void netif_tx_stop_all_queues(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++)
		netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
}
EXPORT_SYMBOL(netif_tx_stop_all_queues);

/**
 * netif_tx_wake_queue - restart a stopped TX queue
 *
 * If it was stopped, the wake hook hears of it from this CPU's NET_TX
 * softirq (Linux reschedules the queue's qdisc there).
 * Context: any.
 */
void netif_tx_wake_queue(struct netdev_queue *dev_queue)
{
	struct dde_netdev *nd = dde_netdev(dev_queue->dev);
	struct dde_txq_wake *w = &nd->wakes[dev_queue - dev_queue->dev->_tx];
	unsigned long flags;

	if (!test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &dev_queue->state))
		return;
	if (test_and_set_bit(0, &w->pending))
		return;
	local_irq_save(flags);
	llist_add(&w->node, this_cpu_ptr(&txq_wakes));
	raise_softirq_irqoff(NET_TX_SOFTIRQ);
	local_irq_restore(flags);
}
EXPORT_SYMBOL(netif_tx_wake_queue);

/* NET_TX: call the wake hooks of the queues woken on this CPU. */
void dde_net_run_tx_wakes(void)
{
	struct llist_node *list = llist_del_all(this_cpu_ptr(&txq_wakes));
	struct dde_txq_wake *w, *t;

	list = llist_reverse_order(list);
	rcu_read_lock();
	llist_for_each_entry_safe(w, t, list, node) {
		struct dde_netdev *nd = w->nd;
		void (*fn)(void *, unsigned int) = READ_ONCE(nd->tx_wake);

		/* Clear first: a wake during the hook queues the node again.
		 * free_netdev() waits for the bit, then for RCU readers. */
		clear_bit(0, &w->pending);
		if (fn)
			fn(READ_ONCE(nd->tx_wake_arg), w - nd->wakes);
	}
	rcu_read_unlock();
}

void dde_net_set_rx_hook(struct net_device *dev,
			 void (*rx)(void *arg, struct sk_buff *skb), void *arg)
{
	struct dde_netdev *nd = dde_netdev(dev);

	ASSERT_RTNL();
	WRITE_ONCE(nd->rx, NULL);
	synchronize_net();
	WRITE_ONCE(nd->rx_arg, arg);
	smp_wmb();	/* the argument before the function that uses it */
	WRITE_ONCE(nd->rx, rx);
}

void dde_net_set_tx_wake_hook(struct net_device *dev,
			      void (*wake)(void *arg, unsigned int queue),
			      void *arg)
{
	struct dde_netdev *nd = dde_netdev(dev);

	ASSERT_RTNL();
	WRITE_ONCE(nd->tx_wake, NULL);
	synchronize_net();
	WRITE_ONCE(nd->tx_wake_arg, arg);
	smp_wmb();
	WRITE_ONCE(nd->tx_wake, wake);
}

void dde_net_get_counts(struct net_device *dev, struct dde_net_counts *c)
{
	struct dde_netdev *nd = dde_netdev(dev);

	c->rx_delivered = atomic_long_read(&nd->rx_delivered);
	c->rx_unclaimed = atomic_long_read(&nd->rx_unclaimed);
	c->rx_dropped = atomic_long_read(&nd->rx_dropped);
	c->tx_busy = atomic_long_read(&nd->tx_busy);
}

/*
 * A received frame, from napi_gro_receive()/netif_receive_skb(): to the
 * device's hook. eth_type_trans() left a frame too short for an Ethernet
 * header unpulled (no mac header length): that one is dropped and counted.
 */
void dde_net_deliver(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct dde_netdev *nd;
	void (*fn)(void *, struct sk_buff *);

	if (WARN_ON_ONCE(!dev)) {
		kfree_skb(skb);
		return;
	}
	nd = dde_netdev(dev);
	if (unlikely(!skb_mac_header_was_set(skb) ||
		     skb->data - skb_mac_header(skb) != ETH_HLEN)) {
		atomic_long_inc(&nd->rx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return;
	}
	rcu_read_lock();
	fn = READ_ONCE(nd->rx);
	if (fn) {
		smp_rmb();
		atomic_long_inc(&nd->rx_delivered);
		fn(READ_ONCE(nd->rx_arg), skb);
	} else {
		atomic_long_inc(&nd->rx_unclaimed);
		consume_skb(skb);
	}
	rcu_read_unlock();
}

/* The queue for this CPU: the XPS map, else CPU modulo the queues in use. */
static u16 dev_pick_tx(struct net_device *dev)
{
	unsigned int cpu = raw_smp_processor_id();
	unsigned int n = READ_ONCE(dev->real_num_tx_queues);
	int q = cpu < NR_CPUS ? READ_ONCE(dde_netdev(dev)->xps_queue[cpu]) : -1;

	return q >= 0 && q < n ? q : cpu % n;
}

int dde_net_xmit(struct net_device *dev, struct sk_buff *skb)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	struct netdev_queue *txq;
	int cpu, rc;

	WARN_ON_ONCE(in_hardirq() || irqs_disabled());
	local_bh_disable();
	cpu = smp_processor_id();
	skb_set_queue_mapping(skb, dev_pick_tx(dev));
	txq = netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));
	skb->dev = dev;
	__netif_tx_lock(txq, cpu);
	/* Under the lock: dev_close() takes every queue's lock after
	 * clearing __LINK_STATE_START, so no transmit follows ndo_stop. */
	if (unlikely(!netif_running(dev) || !netif_device_present(dev)))
		rc = -ENETDOWN;
	else if (netif_xmit_frozen_or_stopped(txq))
		rc = NETDEV_TX_BUSY;
	else
		rc = ops->ndo_start_xmit(skb, dev);
	if (rc == NETDEV_TX_OK) {
		txq_trans_update(txq);
		ddeos_idle_poll_hint();
	}
	__netif_tx_unlock(txq);
	local_bh_enable();
	if (rc == NETDEV_TX_BUSY)
		atomic_long_inc(&dde_netdev(dev)->tx_busy);
	return rc;
}

/**
 * dev_open - bring @dev up: ndo_validate_addr, then ndo_open
 * @extack: unused (no netlink)
 *
 * Context: thread, caller holds rtnl_lock(). Return: 0 (also if it was up)
 * or the driver's -errno.
 */
int dev_open(struct net_device *dev, struct netlink_ext_ack *extack)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int ret = 0;

	ASSERT_RTNL();
	if (dev->flags & IFF_UP)
		return 0;
	if (!netif_device_present(dev))
		return -ENODEV;
	set_bit(__LINK_STATE_START, &dev->state);
	if (ops->ndo_validate_addr)
		ret = ops->ndo_validate_addr(dev);
	if (!ret && ops->ndo_open)
		ret = ops->ndo_open(dev);
	if (ret) {
		clear_bit(__LINK_STATE_START, &dev->state);
		return ret;
	}
	dev->flags |= IFF_UP;
	return 0;
}
EXPORT_SYMBOL(dev_open);

/**
 * dev_close - take @dev down: no new transmits, wait for those under way,
 * then ndo_stop
 *
 * Context: thread, caller holds rtnl_lock().
 */
void dev_close(struct net_device *dev)
{
	unsigned int i;

	ASSERT_RTNL();
	if (!(dev->flags & IFF_UP))
		return;
	clear_bit(__LINK_STATE_START, &dev->state);
	smp_mb__after_atomic();	/* netif_running() false before we wait */
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		/* a transmit that saw the device running holds this lock */
		local_bh_disable();
		__netif_tx_lock(txq, smp_processor_id());
		__netif_tx_unlock(txq);
		local_bh_enable();
	}
	if (dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	dev->flags &= ~IFF_UP;
}
EXPORT_SYMBOL(dev_close);

int dde_net_open(struct net_device *dev)
{
	int ret;

	rtnl_lock();
	ret = dev_open(dev, NULL);
	rtnl_unlock();
	return ret;
}

void dde_net_close(struct net_device *dev)
{
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
}

/**
 * netdev_rss_key_fill - @len bytes of the host's RSS hash key
 *
 * One random key (Linux's netdev_rss_key), made on first use.
 * Context: any.
 */
void netdev_rss_key_fill(void *buffer, size_t len)
{
	static u8 key[NETDEV_RSS_KEY_LEN];
	static DEFINE_SPINLOCK(lock);
	static bool made;
	unsigned long flags;

	BUG_ON(len > sizeof(key));
	spin_lock_irqsave(&lock, flags);
	if (!made) {
		get_random_bytes(key, sizeof(key));
		made = true;
	}
	spin_unlock_irqrestore(&lock, flags);
	memcpy(buffer, key, len);
}
EXPORT_SYMBOL(netdev_rss_key_fill);

/** synchronize_net - wait until no hook or poll started before is running */
void synchronize_net(void)
{
	might_sleep();
	synchronize_rcu();
}
EXPORT_SYMBOL(synchronize_net);

static DEFINE_RATELIMIT_STATE(net_ratelimit_state, 5 * HZ, 10);

/** net_ratelimit - may the network print now? (10 messages per 5 s) */
int net_ratelimit(void)
{
	return __ratelimit(&net_ratelimit_state);
}
EXPORT_SYMBOL(net_ratelimit);

/* A driver without ndo_features_check offers every feature to every skb. */
netdev_features_t passthru_features_check(struct sk_buff *skb,
					  struct net_device *dev,
					  netdev_features_t features)
{
	return features;
}
EXPORT_SYMBOL(passthru_features_check);

void netdev_printk(const char *level, const struct net_device *dev,
		   const char *format, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, format);
	vaf.fmt = format;
	vaf.va = &args;
	printk("%s%s: %pV", level, netdev_name(dev), &vaf);
	va_end(args);
}
EXPORT_SYMBOL(netdev_printk);

#define DEFINE_NETDEV_LEVEL(func, level)				\
void func(const struct net_device *dev, const char *fmt, ...)		\
{									\
	struct va_format vaf;						\
	va_list args;							\
									\
	va_start(args, fmt);						\
	vaf.fmt = fmt;							\
	vaf.va = &args;							\
	printk(level "%s: %pV", netdev_name(dev), &vaf);		\
	va_end(args);							\
}									\
EXPORT_SYMBOL(func)

DEFINE_NETDEV_LEVEL(netdev_emerg, KERN_EMERG);
DEFINE_NETDEV_LEVEL(netdev_alert, KERN_ALERT);
DEFINE_NETDEV_LEVEL(netdev_crit, KERN_CRIT);
DEFINE_NETDEV_LEVEL(netdev_err, KERN_ERR);
DEFINE_NETDEV_LEVEL(netdev_warn, KERN_WARNING);
DEFINE_NETDEV_LEVEL(netdev_notice, KERN_NOTICE);
DEFINE_NETDEV_LEVEL(netdev_info, KERN_INFO);

void dde_net_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		init_llist_head(&per_cpu(txq_wakes, cpu));
	dde_net_skb_init();
	dde_net_napi_init();
}
