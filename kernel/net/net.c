// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel-world network API (ddeos/net.h): a table of the interfaces
 * the drivers registered, found once after Linux's initcalls, each opened
 * at boot. Frames go to and from the DDE's net core through the waist's
 * `---- net ----` section; this file adds the names apps use, the callbacks
 * and the counters. Interfaces are never removed (ddeos has no hot unplug),
 * so a struct net_if stays valid for good.
 *
 * Counters are updated with relaxed atomics from any CPU; a reader sees
 * each one exact but not all of them at one instant. Callback changes are
 * serialized by net_lock and wait for running callbacks (the waist's hook
 * setters do), so a callback never runs with another's argument.
 */
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/net.h>
#include <ddeos/string.h>

struct net_if {
	struct ddeos_netdev *dev;	/* the Linux net_device, opaque */
	char name[DDEOS_NET_NAME_MAX];
	uint8_t mac[NET_ETH_ALEN];
	/* ---- written under net_lock, with the waist's hook cleared ---- */
	net_rx_fn rx;
	net_rx_frame_fn rx_frame;	/* set instead of rx: zero-copy */
	void *rx_arg;
	void (*tx_wake)(struct net_if *ifp, void *arg);
	void *tx_wake_arg;
	/* ---- written under net_lock; read in any context ---- */
	net_link_fn link;
	void *link_arg;
	/* ---- counters: relaxed atomics, any context ---- */
	uint64_t rx_frames, rx_bytes, rx_unclaimed;
	uint64_t tx_frames, tx_bytes, tx_busy, tx_errors;
	uint64_t link_changes;
};

static struct kmutex net_lock = KMUTEX_INIT(net_lock);
static struct net_if net_ifs[NET_IF_MAX];
static unsigned int net_nr_ifs;		/* written once by net_init() */

static inline void count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static inline uint64_t counter(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static struct net_if *net_if_of(struct ddeos_netdev *dev)
{
	for (unsigned int i = 0; i < READ_ONCE(net_nr_ifs); i++)
		if (net_ifs[i].dev == dev)
			return &net_ifs[i];
	return NULL;
}

/* NET_RX softirq: the waist lends us a frame. */
static void net_rx_frame(void *arg, const void *frame, unsigned int len)
{
	struct net_if *ifp = arg;
	net_rx_fn fn = READ_ONCE(ifp->rx);

	if (unlikely(!fn)) {
		count(&ifp->rx_unclaimed, 1);
		return;
	}
	count(&ifp->rx_frames, 1);
	count(&ifp->rx_bytes, len);
	fn(ifp, frame, len, READ_ONCE(ifp->rx_arg));
}

/* NET_RX softirq: the waist gives us a frame (zero-copy). */
static void net_rx_given(void *arg, struct ddeos_net_frame *f, void *data,
			 unsigned int len)
{
	struct net_if *ifp = arg;
	net_rx_frame_fn fn = READ_ONCE(ifp->rx_frame);
	unsigned int rest;

	if (unlikely(!fn)) {
		count(&ifp->rx_unclaimed, 1);
		ddeos_net_frame_release(f);
		return;
	}
	ddeos_net_frame_rest(f, &rest);
	count(&ifp->rx_frames, 1);
	count(&ifp->rx_bytes, len + rest);
	fn(ifp, (struct net_frame *)f, data, len, READ_ONCE(ifp->rx_arg));
}

void *net_frame_priv(struct net_frame *f)
{
	return ddeos_net_frame_priv((struct ddeos_net_frame *)f);
}

void *net_frame_rest(struct net_frame *f, size_t *len)
{
	unsigned int n;
	void *rest = ddeos_net_frame_rest((struct ddeos_net_frame *)f, &n);

	*len = n;
	return rest;
}

void net_frame_release(struct net_frame *f)
{
	ddeos_net_frame_release((struct ddeos_net_frame *)f);
}

struct net_stat_call {
	void (*fn)(void *arg, const char *name, uint64_t value);
	void *arg;
};

static void net_stat_one(void *arg, const char *name, unsigned long long value)
{
	struct net_stat_call *c = arg;

	c->fn(c->arg, name, value);
}

int net_if_driver_stats(struct net_if *ifp,
			void (*fn)(void *arg, const char *name, uint64_t value),
			void *arg)
{
	struct net_stat_call c = { fn, arg };

	return ddeos_net_driver_stats(ifp->dev, net_stat_one, &c);
}

void net_frame_stats(struct net_frame_stats *s)
{
	struct ddeos_net_frame_counts c;

	ddeos_net_frame_counts(&c);
	s->given = c.given;
	s->released = c.released;
	s->released_remote = c.released_remote;
	s->linearized = c.linearized;
	s->split = c.split;
}

void net_napi_idle_stats(unsigned int cpu, uint64_t *found, uint64_t *ended)
{
	unsigned long f, e;

	ddeos_net_napi_idle_counts(cpu, &f, &e);
	*found = f;
	*ended = e;
}

static void net_tx_wake(void *arg)
{
	struct net_if *ifp = arg;
	void (*fn)(struct net_if *, void *) = READ_ONCE(ifp->tx_wake);

	if (fn)
		fn(ifp, READ_ONCE(ifp->tx_wake_arg));
}

/* Any CPU, thread or softirq: the driver changed the carrier. */
static void net_event(struct ddeos_netdev *dev, enum ddeos_net_event ev)
{
	struct net_if *ifp = net_if_of(dev);
	net_link_fn fn;

	if (!ifp || (ev != DDEOS_NET_LINK_UP && ev != DDEOS_NET_LINK_DOWN))
		return;
	count(&ifp->link_changes, 1);
	fn = READ_ONCE(ifp->link);
	if (fn)
		fn(ifp, ev == DDEOS_NET_LINK_UP, READ_ONCE(ifp->link_arg));
}

void net_init(void)
{
	struct ddeos_netdev *dev;
	struct ddeos_net_info info;
	unsigned int n = 0;

	while (n < NET_IF_MAX && (dev = ddeos_net_get(n))) {
		struct net_if *ifp = &net_ifs[n++];

		ddeos_net_info(dev, &info);
		ifp->dev = dev;
		string_copy(ifp->name, info.name, sizeof(ifp->name));
		memcpy(ifp->mac, info.mac, NET_ETH_ALEN);
	}
	if (ddeos_net_get(n))
		kprintf("net: more than %u interfaces; the rest are not used\n", NET_IF_MAX);
	WRITE_ONCE(net_nr_ifs, n);
	ddeos_net_set_event_hook(net_event);
	for (unsigned int i = 0; i < n; i++) {
		struct net_if *ifp = &net_ifs[i];
		const uint8_t *m = ifp->mac;
		int rc;

		ddeos_net_set_rx_hook(ifp->dev, net_rx_frame, ifp);
		ddeos_net_set_tx_wake_hook(ifp->dev, net_tx_wake, ifp);
		rc = net_if_open(ifp);
		if (rc) {
			kprintf("net: %s: open failed: %d\n", ifp->name, rc);
			continue;
		}
		kprintf("net: %s open mac=%02x:%02x:%02x:%02x:%02x:%02x mtu=%u link=%s\n",
			ifp->name, m[0], m[1], m[2], m[3], m[4], m[5], net_if_mtu(ifp),
			net_if_link_up(ifp) ? "up" : "down");
	}
}

unsigned int net_if_count(void)
{
	return READ_ONCE(net_nr_ifs);
}

struct net_if *net_if_get(unsigned int index)
{
	return index < net_if_count() ? &net_ifs[index] : NULL;
}

struct net_if *net_if_by_name(const char *name)
{
	for (unsigned int i = 0; i < net_if_count(); i++)
		if (!string_cmp(net_ifs[i].name, name))
			return &net_ifs[i];
	return NULL;
}

const char *net_if_name(const struct net_if *ifp)
{
	return ifp->name;
}

void net_if_mac(const struct net_if *ifp, uint8_t mac[NET_ETH_ALEN])
{
	memcpy(mac, ifp->mac, NET_ETH_ALEN);
}

unsigned int net_if_mtu(const struct net_if *ifp)
{
	struct ddeos_net_info info;

	ddeos_net_info(ifp->dev, &info);
	return info.mtu;
}

bool net_if_is_up(const struct net_if *ifp)
{
	struct ddeos_net_info info;

	ddeos_net_info(ifp->dev, &info);
	return info.up;
}

/* The driver's carrier bit itself, not a copy kept from events: an event
 * hook can be replaced (the Linux-world net tests do), the bit cannot. */
bool net_if_link_up(const struct net_if *ifp)
{
	struct ddeos_net_info info;

	ddeos_net_info(ifp->dev, &info);
	return info.carrier;
}

void net_if_get_stats(const struct net_if *ifp, struct net_if_stats *s)
{
	struct ddeos_net_core_counts c;

	ddeos_net_core_counts(ifp->dev, &c);
	s->rx_frames = counter(&ifp->rx_frames);
	s->rx_bytes = counter(&ifp->rx_bytes);
	s->rx_unclaimed = counter(&ifp->rx_unclaimed) + c.rx_unclaimed;
	s->rx_dropped = c.rx_dropped;
	s->tx_frames = counter(&ifp->tx_frames);
	s->tx_bytes = counter(&ifp->tx_bytes);
	s->tx_busy = counter(&ifp->tx_busy);
	s->tx_errors = counter(&ifp->tx_errors);
	s->link_changes = counter(&ifp->link_changes);
}

int net_if_open(struct net_if *ifp)
{
	return ddeos_net_open(ifp->dev);
}

int net_send(struct net_if *ifp, const void *frame, size_t len)
{
	int rc;

	if (len > 0xffff)
		rc = -EINVAL;
	else
		rc = ddeos_net_send(ifp->dev, frame, (unsigned int)len);
	if (likely(!rc)) {
		count(&ifp->tx_frames, 1);
		count(&ifp->tx_bytes, len);
	} else if (rc == -EAGAIN) {
		count(&ifp->tx_busy, 1);
	} else {
		count(&ifp->tx_errors, 1);
	}
	return rc;
}

void net_set_rx(struct net_if *ifp, net_rx_fn fn, void *arg)
{
	kmutex_lock(&net_lock);
	/* Unhook first: on return no CPU is inside net_rx_frame() with the
	 * old callback, so the pair can change without a torn read. */
	ddeos_net_set_rx_hook(ifp->dev, NULL, NULL);
	ifp->rx = fn;
	ifp->rx_frame = NULL;
	ifp->rx_arg = arg;
	ddeos_net_set_rx_hook(ifp->dev, net_rx_frame, ifp);
	kmutex_unlock(&net_lock);
}

void net_set_rx_frames(struct net_if *ifp, net_rx_frame_fn fn, void *arg)
{
	kmutex_lock(&net_lock);
	ddeos_net_set_rx_hook(ifp->dev, NULL, NULL);
	ifp->rx = NULL;
	ifp->rx_frame = fn;
	ifp->rx_arg = arg;
	ddeos_net_set_rx_frame_hook(ifp->dev, net_rx_given, ifp);
	kmutex_unlock(&net_lock);
}

void net_set_tx_wake(struct net_if *ifp, void (*fn)(struct net_if *ifp, void *arg),
		     void *arg)
{
	kmutex_lock(&net_lock);
	ddeos_net_set_tx_wake_hook(ifp->dev, NULL, NULL);
	ifp->tx_wake = fn;
	ifp->tx_wake_arg = arg;
	ddeos_net_set_tx_wake_hook(ifp->dev, net_tx_wake, ifp);
	kmutex_unlock(&net_lock);
}

void net_set_link_hook(struct net_if *ifp, net_link_fn fn, void *arg)
{
	kmutex_lock(&net_lock);
	WRITE_ONCE(ifp->link, NULL);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(ifp->link_arg, arg);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* the argument before its function */
	WRITE_ONCE(ifp->link, fn);
	kmutex_unlock(&net_lock);
}
