// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DDE's net core (dde/net/) driven by a Linux-world test driver: a
 * loopback-like Ethernet device with several TX/RX queue pairs whose
 * ndo_start_xmit puts the frame on a "wire"; the sender then rings an
 * "interrupt" on the queue's receive CPU (ddeos_call_on_cpu) that
 * schedules the queue's NAPI, and the poll rebuilds each frame as a
 * received skb (napi_alloc_skb, or build_skb over a page fragment plus a
 * page frag) and passes it up with napi_gro_receive(). Reported in KTAP.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <dde/dde.h>
#include <dde/net.h>
#include "linux_ktest.h"

/* Long enough never to expire on a loaded TCG host. */
#define PATIENCE	(60 * HZ)
#define MAXQ		4
#define PER_CPU_FRAMES	40
#define ETH_P_TEST	0x88b5		/* IEEE local experimental */
#define TX_RING		8		/* frames in flight per queue, flow mode */

struct wire_q {
	struct sk_buff_head pending;	/* sent, not yet received */
	struct napi_struct napi;
	/* flow mode: sent frames complete in a TX NAPI; a full ring stops */
	struct napi_struct tx_napi;
	struct sk_buff_head done;	/* received, not yet completed */
	int inflight;			/* under the queue's _xmit_lock */
	struct page_frag_cache frags;	/* used by this queue's poll only */
	unsigned int rx_cpu;
	atomic_t polls;
	atomic_t max_work;
	atomic_t incomplete;		/* napi_complete_done() said false */
};

struct tdev {
	struct net_device *dev;
	unsigned int nq;
	bool flow;
	atomic_t wakes;
	wait_queue_head_t wake_wq;
	struct wire_q q[MAXQ];
	int ndo_init_calls;
	/* hold mode: the poll waits for @release after its frames */
	bool hold;
	atomic_t held;
	atomic_t release;
	atomic_t poll_done;
	/* receive side: what the rx hook checked */
	spinlock_t lock;
	int next_seq[NR_CPUS];
	int bad_order, bad_payload, bad_queue, received;
	struct completion all_in;
	int expect;
	struct completion woken;
	int woken_queue;
};

static struct tdev *tdev_of(struct net_device *dev)
{
	return *(struct tdev **)netdev_priv(dev);
}

static int other_cpu(void)
{
	return num_online_cpus() > 1 ? 1 : 0;
}

/* ---- the frame: dst, src, type, then (cpu, seq) and a pattern ---------------- */

struct frame_hdr {
	struct ethhdr eth;
	__be16 cpu;
	__be32 seq;
} __packed;

static u8 pattern(int cpu, int seq, int i)
{
	return (u8)(cpu * 31 + seq * 7 + i);
}

static int frame_len(int cpu, int seq)
{
	/* short ones that fit a copy, long ones that take a page frag */
	return sizeof(struct frame_hdr) + (seq * 97 + cpu * 13) % 1400;
}

static struct sk_buff *make_frame(struct net_device *dev, int cpu, int seq)
{
	int len = frame_len(cpu, seq), i;
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	struct frame_hdr *h;
	u8 *p;

	if (!skb)
		return NULL;
	h = skb_put(skb, sizeof(*h));
	eth_broadcast_addr(h->eth.h_dest);
	ether_addr_copy(h->eth.h_source, dev->dev_addr);
	h->eth.h_proto = htons(ETH_P_TEST);
	h->cpu = htons(cpu);
	h->seq = htonl(seq);
	p = skb_put(skb, len - sizeof(*h));
	for (i = 0; i < len - (int)sizeof(*h); i++)
		p[i] = pattern(cpu, seq, i);
	return skb;
}

/* ---- the driver ---------------------------------------------------------------- */

static int tdev_init(struct net_device *dev)
{
	tdev_of(dev)->ndo_init_calls++;
	return 0;
}

static netdev_tx_t tdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tdev *td = tdev_of(dev);
	unsigned int i = skb_get_queue_mapping(skb);

	skb_queue_tail(&td->q[i].pending, skb);
	/* as virtio_net: stop while the ring has no room for another */
	if (td->flow && ++td->q[i].inflight >= TX_RING)
		netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
	return NETDEV_TX_OK;
}

/* TX completion (virtnet_poll_tx's pattern): free, wake, complete. */
static int tdev_poll_tx(struct napi_struct *napi, int budget)
{
	struct wire_q *q = container_of(napi, struct wire_q, tx_napi);
	struct tdev *td = tdev_of(napi->dev);
	struct netdev_queue *txq = netdev_get_tx_queue(napi->dev, q - td->q);
	struct sk_buff *skb;

	__netif_tx_lock(txq, raw_smp_processor_id());
	while ((skb = skb_dequeue(&q->done))) {
		q->inflight--;
		napi_consume_skb(skb, budget);
	}
	if (netif_tx_queue_stopped(txq) && q->inflight <= TX_RING / 2)
		netif_tx_wake_queue(txq);
	__netif_tx_unlock(txq);
	napi_complete_done(napi, 0);
	return 0;
}

static int tdev_open(struct net_device *dev)
{
	struct tdev *td = tdev_of(dev);
	unsigned int i;

	for (i = 0; i < td->nq; i++) {
		napi_enable(&td->q[i].napi);
		napi_enable(&td->q[i].tx_napi);
	}
	return 0;
}

static int tdev_stop(struct net_device *dev)
{
	struct tdev *td = tdev_of(dev);
	unsigned int i;

	for (i = 0; i < td->nq; i++) {
		napi_disable(&td->q[i].napi);
		napi_disable(&td->q[i].tx_napi);
	}
	return 0;
}

static const struct net_device_ops tdev_ops = {
	.ndo_init = tdev_init,
	.ndo_open = tdev_open,
	.ndo_stop = tdev_stop,
	.ndo_start_xmit = tdev_xmit,
	.ndo_validate_addr = eth_validate_addr,
};

/* The "interrupt": the wire has frames for queue @arg. Hard IRQ. */
static void wire_irq(void *arg)
{
	struct wire_q *q = arg;

	if (napi_schedule_prep(&q->napi))
		__napi_schedule(&q->napi);
}

/* Rebuild a sent frame as a received skb, two ways in turn. */
static struct sk_buff *rx_copy(struct wire_q *q, struct sk_buff *tx, int n)
{
	unsigned int len = tx->len, head = min_t(unsigned int, len, 64);
	struct sk_buff *skb;
	struct page *page;
	void *buf;

	if (n % 2 == 0 || len <= head) {
		skb = napi_alloc_skb(&q->napi, len);
		if (skb)
			skb_put_data(skb, tx->data, len);
		return skb;
	}
	/* build_skb over a fragment holding the head, the rest in a page */
	buf = page_frag_alloc(&q->frags, SKB_DATA_ALIGN(NET_SKB_PAD + head) +
			      SKB_DATA_ALIGN(sizeof(struct skb_shared_info)),
			      GFP_ATOMIC);
	if (!buf)
		return NULL;
	page = alloc_page(GFP_ATOMIC);
	if (!page) {
		page_frag_free(buf);
		return NULL;
	}
	skb = napi_build_skb(buf, SKB_DATA_ALIGN(NET_SKB_PAD + head) +
			     SKB_DATA_ALIGN(sizeof(struct skb_shared_info)));
	if (!skb) {
		page_frag_free(buf);
		put_page(page);
		return NULL;
	}
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, tx->data, head);
	memcpy(page_address(page) + 100, tx->data + head, len - head);
	skb_add_rx_frag(skb, 0, page, 100, len - head, PAGE_SIZE);
	return skb;
}

static int tdev_poll(struct napi_struct *napi, int budget)
{
	struct wire_q *q = container_of(napi, struct wire_q, napi);
	struct tdev *td = tdev_of(napi->dev);
	struct sk_buff *tx, *rx;
	int work = 0, old;

	atomic_inc(&q->polls);
	while (work < budget && (tx = skb_dequeue(&q->pending))) {
		rx = rx_copy(q, tx, work + atomic_read(&q->polls));
		if (td->flow)
			skb_queue_tail(&q->done, tx);	/* completes in tx_napi */
		else
			napi_consume_skb(tx, budget);	/* TX completion */
		work++;
		if (!rx)
			continue;
		skb_record_rx_queue(rx, q - td->q);
		rx->protocol = eth_type_trans(rx, napi->dev);
		napi_gro_receive(napi, rx);
	}
	if (td->flow && !skb_queue_empty(&q->done))
		napi_schedule(&q->tx_napi);	/* the "TX interrupt" */
	old = atomic_read(&q->max_work);
	if (work > old)
		atomic_cmpxchg(&q->max_work, old, work);
	if (READ_ONCE(td->hold)) {
		unsigned long end = jiffies + PATIENCE;

		atomic_inc(&td->held);
		while (!atomic_read(&td->release) && time_before(jiffies, end))
			cpu_relax();
		atomic_set(&td->poll_done, 1);
	}
	/* No look at the wire after this: a frame that came during the
	 * poll is found again only through MISSED. */
	if (work < budget && !napi_complete_done(napi, work))
		atomic_inc(&q->incomplete);
	return work;
}

/* The rx hook: softirq on the receive CPU. */
static void tdev_rx(void *arg, struct sk_buff *skb)
{
	struct tdev *td = arg;
	struct frame_hdr h;
	int cpu, seq, len, i, done = 0;
	unsigned int want_q;
	u8 b;

	/* data is past the Ethernet header; the mac header is before it */
	if (skb->protocol != htons(ETH_P_TEST) || skb->len < sizeof(h) - ETH_HLEN) {
		spin_lock(&td->lock);
		td->bad_payload++;
		spin_unlock(&td->lock);
		kfree_skb(skb);
		return;
	}
	memcpy(&h.eth, skb_mac_header(skb), ETH_HLEN);
	skb_copy_bits(skb, 0, &h.cpu, sizeof(h) - ETH_HLEN);
	cpu = ntohs(h.cpu);
	seq = ntohl(h.seq);
	len = skb->len + ETH_HLEN;
	want_q = cpu % td->nq;	/* the XPS map the test set */

	spin_lock(&td->lock);
	if (cpu >= NR_CPUS || seq != td->next_seq[cpu])
		td->bad_order++;
	else
		td->next_seq[cpu]++;
	if (len != frame_len(cpu, seq))
		td->bad_payload++;
	for (i = 0; i < len - (int)sizeof(h); i++) {
		skb_copy_bits(skb, sizeof(h) - ETH_HLEN + i, &b, 1);
		if (b != pattern(cpu, seq, i)) {
			td->bad_payload++;
			break;
		}
	}
	if (skb_get_rx_queue(skb) != want_q)
		td->bad_queue++;
	if (++td->received == td->expect)
		done = 1;
	spin_unlock(&td->lock);
	consume_skb(skb);
	if (done)
		complete(&td->all_in);
}

static void tdev_wake(void *arg, unsigned int queue)
{
	struct tdev *td = arg;

	td->woken_queue = queue;
	atomic_inc(&td->wakes);
	wake_up(&td->wake_wq);
	complete(&td->woken);
}

static struct tdev *tdev_create(int weight)
{
	struct net_device *dev;
	struct tdev *td;
	unsigned int i;

	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return NULL;
	td->nq = clamp_t(unsigned int, num_online_cpus(), 2, MAXQ);
	dev = alloc_etherdev_mq(sizeof(struct tdev *), td->nq);
	if (!dev) {
		kfree(td);
		return NULL;
	}
	*(struct tdev **)netdev_priv(dev) = td;
	td->dev = dev;
	dev->netdev_ops = &tdev_ops;
	eth_hw_addr_random(dev);
	spin_lock_init(&td->lock);
	init_completion(&td->all_in);
	init_completion(&td->woken);
	init_waitqueue_head(&td->wake_wq);
	for (i = 0; i < td->nq; i++) {
		skb_queue_head_init(&td->q[i].pending);
		td->q[i].rx_cpu = (i + 1) % num_online_cpus();
		skb_queue_head_init(&td->q[i].done);
		netif_napi_add_weight(dev, &td->q[i].napi, tdev_poll, weight);
		netif_napi_add_weight(dev, &td->q[i].tx_napi, tdev_poll_tx, 64);
	}
	return td;
}

static void tdev_destroy(struct tdev *td)
{
	unsigned int i;

	if (td->dev->reg_state == NETREG_REGISTERED)
		unregister_netdev(td->dev);
	for (i = 0; i < td->nq; i++) {
		skb_queue_purge(&td->q[i].pending);
		skb_queue_purge(&td->q[i].done);
		if (td->q[i].frags.va)
			__page_frag_cache_drain(virt_to_head_page(td->q[i].frags.va),
						td->q[i].frags.pagecnt_bias);
	}
	free_netdev(td->dev);
	kfree(td);
}

/* Register, set the XPS map (CPU c sends on queue c % nq), hooks, open. */
static int tdev_up(struct tdev *td)
{
	cpumask_var_t mask;
	unsigned int q;
	int cpu, err;

	rtnl_lock();
	err = register_netdevice(td->dev);
	if (!err) {
		dde_net_set_rx_hook(td->dev, tdev_rx, td);
		dde_net_set_tx_wake_hook(td->dev, tdev_wake, td);
	}
	rtnl_unlock();
	if (err || !zalloc_cpumask_var(&mask, GFP_KERNEL))
		return err ?: -ENOMEM;
	for (q = 0; q < td->nq; q++) {
		cpumask_clear(mask);
		for_each_online_cpu(cpu)
			if (cpu % td->nq == q)
				cpumask_set_cpu(cpu, mask);
		netif_set_xps_queue(td->dev, mask, q);
	}
	free_cpumask_var(mask);
	return dde_net_open(td->dev);
}

static void kick(struct tdev *td, unsigned int q)
{
	ddeos_call_on_cpu(td->q[q].rx_cpu, wire_irq, &td->q[q]);
}

/* ---- registration ----------------------------------------------------------------- */

static int find_name(struct net_device *dev, void *arg)
{
	return !strcmp(dev->name, arg);
}

static int events_seen[5];
static struct net_device *events_dev;

static void count_events(struct net_device *dev, enum dde_net_event ev)
{
	if (dev == READ_ONCE(events_dev))
		events_seen[ev]++;
}

static void registration_names_and_ifindex(struct ddeos_ktest *t)
{
	struct tdev *a = tdev_create(64), *b = tdev_create(64), *c = tdev_create(64);
	int na, nb;

	if (!EXPECT(t, a && b && c, "out of memory"))
		goto out;
	EXPECT(t, !((unsigned long)netdev_priv(a->dev) % NETDEV_ALIGN));
	EXPECT(t, !strcmp(a->dev->name, "eth%d"), "unregistered name %s", a->dev->name);
	EXPECT(t, a->dev->reg_state == NETREG_UNINITIALIZED);
	EXPECT(t, a->dev->type == ARPHRD_ETHER && a->dev->mtu == ETH_DATA_LEN &&
		  a->dev->addr_len == ETH_ALEN);
	EXPECT(t, a->dev->num_tx_queues == a->nq && a->dev->real_num_tx_queues == a->nq);

	events_dev = a->dev;
	dde_net_set_event_hook(count_events);
	rtnl_lock();
	EXPECT(t, !register_netdevice(a->dev));
	EXPECT(t, !register_netdevice(b->dev));
	rtnl_unlock();
	EXPECT(t, events_seen[DDE_NET_REGISTERED] == 1, "%d", events_seen[DDE_NET_REGISTERED]);
	EXPECT(t, a->ndo_init_calls == 1 && b->ndo_init_calls == 1);
	EXPECT(t, sscanf(a->dev->name, "eth%d", &na) == 1 &&
		  sscanf(b->dev->name, "eth%d", &nb) == 1 && na < nb,
		  "names %s %s", a->dev->name, b->dev->name);
	EXPECT(t, a->dev->ifindex > 0 && b->dev->ifindex == a->dev->ifindex + 1,
	       "ifindex %d %d", a->dev->ifindex, b->dev->ifindex);
	EXPECT(t, a->dev->reg_state == NETREG_REGISTERED);
	rtnl_lock();
	EXPECT(t, dde_net_dev_by_index(b->dev->ifindex) == b->dev);
	EXPECT(t, dde_net_for_each_dev(find_name, a->dev->name) == 1);
	rtnl_unlock();

	/* the lowest free number is reused, the ifindex is not */
	unregister_netdev(a->dev);
	EXPECT(t, events_seen[DDE_NET_UNREGISTERING] == 1);
	EXPECT(t, a->dev->reg_state == NETREG_UNREGISTERED);
	EXPECT(t, !register_netdev(c->dev));
	EXPECT(t, sscanf(c->dev->name, "eth%d", &nb) == 1 && nb == na,
	       "%s took the name back", c->dev->name);
	EXPECT(t, c->dev->ifindex == b->dev->ifindex + 1);
	rtnl_lock();
	EXPECT(t, !dde_net_dev_by_index(a->dev->ifindex));
	rtnl_unlock();
	dde_net_set_event_hook(NULL);
	events_dev = NULL;
out:
	if (a)
		tdev_destroy(a);
	if (b)
		tdev_destroy(b);
	if (c)
		tdev_destroy(c);
}

/* ---- carrier ---------------------------------------------------------------------- */

static void carrier_bits_and_events(struct ddeos_ktest *t)
{
	struct tdev *a = tdev_create(64);
	struct net_device *dev;

	if (!EXPECT(t, a, "out of memory"))
		return;
	dev = a->dev;
	memset(events_seen, 0, sizeof(events_seen));
	events_dev = dev;
	dde_net_set_event_hook(count_events);
	EXPECT(t, netif_carrier_ok(dev), "a new device has carrier");
	netif_carrier_off(dev);	/* not registered: bit only */
	EXPECT(t, test_bit(__LINK_STATE_NOCARRIER, &dev->state));
	EXPECT(t, !events_seen[DDE_NET_CARRIER_OFF]);
	netif_carrier_on(dev);
	EXPECT(t, !register_netdev(dev));
	netif_carrier_off(dev);
	netif_carrier_off(dev);
	EXPECT(t, !netif_carrier_ok(dev) && test_bit(__LINK_STATE_NOCARRIER, &dev->state));
	EXPECT(t, events_seen[DDE_NET_CARRIER_OFF] == 1, "%d off events",
	       events_seen[DDE_NET_CARRIER_OFF]);
	EXPECT(t, ethtool_op_get_link(dev) == 0);
	netif_carrier_on(dev);
	netif_carrier_on(dev);
	EXPECT(t, netif_carrier_ok(dev) && !test_bit(__LINK_STATE_NOCARRIER, &dev->state));
	EXPECT(t, events_seen[DDE_NET_CARRIER_ON] == 1);
	EXPECT(t, atomic_read(&dev->carrier_up_count) == 1 &&
		  atomic_read(&dev->carrier_down_count) == 1);
	EXPECT(t, ethtool_op_get_link(dev) == 1);
	dde_net_set_event_hook(NULL);
	events_dev = NULL;
	tdev_destroy(a);
}

/* ---- frames from every CPU ---------------------------------------------------------- */

struct sender {
	struct tdev *td;
	int cpu, busy, err;
};

static int send_frames(void *arg)
{
	struct sender *s = arg;
	unsigned int q = s->cpu % s->td->nq;
	int seq, rc;

	for (seq = 0; seq < PER_CPU_FRAMES; seq++) {
		struct sk_buff *skb = make_frame(s->td->dev, s->cpu, seq);

		if (!skb) {
			s->err++;
			continue;
		}
		rc = dde_net_xmit(s->td->dev, skb);
		if (rc != NETDEV_TX_OK) {
			s->busy++;
			kfree_skb(skb);
			continue;
		}
		/* the skb is the driver's now: the rx hook checks its queue */
		kick(s->td, q);
	}
	return 0;
}

static void frames_from_every_cpu_arrive_in_order(struct ddeos_ktest *t)
{
	struct tdev *td = tdev_create(64);
	static struct sender s[NR_CPUS];
	void *th[NR_CPUS] = { };
	int cpu, busy = 0, err = 0, ncpu = num_online_cpus();
	struct dde_net_counts c;

	if (!EXPECT(t, td, "out of memory"))
		return;
	td->expect = ncpu * PER_CPU_FRAMES;
	if (!EXPECT(t, !tdev_up(td), "open"))
		goto out;
	for (cpu = 0; cpu < ncpu; cpu++) {
		s[cpu] = (struct sender){ .td = td, .cpu = cpu };
		th[cpu] = ddeos_thread_create("net-send", send_frames, &s[cpu], cpu, 4);
		EXPECT(t, th[cpu]);
	}
	for (cpu = 0; cpu < ncpu; cpu++) {
		if (th[cpu])
			ddeos_thread_join(th[cpu]);
		busy += s[cpu].busy;
		err += s[cpu].err;
	}
	EXPECT(t, !busy && !err, "%d busy, %d errors", busy, err);
	EXPECT(t, wait_for_completion_timeout(&td->all_in, PATIENCE),
	       "%d of %d frames arrived", td->received, td->expect);
	EXPECT(t, !td->bad_order && !td->bad_payload && !td->bad_queue,
	       "out of order %d, bad payload %d, wrong queue %d",
	       td->bad_order, td->bad_payload, td->bad_queue);
	for (cpu = 0; cpu < ncpu; cpu++)
		EXPECT(t, td->next_seq[cpu] == PER_CPU_FRAMES, "cpu %d: %d frames",
		       cpu, td->next_seq[cpu]);
	dde_net_get_counts(td->dev, &c);
	EXPECT(t, c.rx_delivered == td->expect && !c.rx_dropped,
	       "delivered %lu dropped %lu", c.rx_delivered, c.rx_dropped);
out:
	tdev_destroy(td);
}

static int wait_atomic(atomic_t *a, int v)
{
	unsigned long end = jiffies + PATIENCE;

	while (atomic_read(a) < v && time_before(jiffies, end))
		msleep(1);
	return atomic_read(a) >= v;
}

/* Send frame @seq of CPU 0; the caller is pinned there (queue 0). */
static int send_one(struct tdev *td, int seq)
{
	struct sk_buff *skb = make_frame(td->dev, 0, seq);
	int rc;

	if (!skb)
		return -ENOMEM;
	rc = dde_net_xmit(td->dev, skb);
	if (rc)
		kfree_skb(skb);
	return rc;
}

/* ---- NAPI budget and repolling ------------------------------------------------------- */

static void napi_budget_respected_and_repolled(struct ddeos_ktest *t)
{
	struct tdev *td = tdev_create(4);
	int seq;

	if (!EXPECT(t, td, "out of memory"))
		return;
	td->expect = 10;
	if (!EXPECT(t, !tdev_up(td), "open"))
		goto out;
	/* after tdev_up(): synchronize_rcu() moves its caller around */
	ddeos_thread_pin(0);	/* queue 0 */
	/* ten frames on the wire, one interrupt */
	for (seq = 0; seq < 10; seq++)
		EXPECT(t, !send_one(td, seq));
	kick(td, 0);
	EXPECT(t, wait_for_completion_timeout(&td->all_in, PATIENCE),
	       "%d of 10 frames arrived", td->received);
	EXPECT(t, atomic_read(&td->q[0].max_work) == 4, "a poll did %d of 4",
	       atomic_read(&td->q[0].max_work));
	EXPECT(t, atomic_read(&td->q[0].polls) >= 3, "10 frames in %d polls of 4",
	       atomic_read(&td->q[0].polls));
	EXPECT(t, !td->bad_order && !td->bad_payload && !td->bad_queue);
out:
	ddeos_thread_pin(-1);
	tdev_destroy(td);
}

/* ---- an interrupt during a poll (MISSED) and napi_disable ---------------------------- */

/*
 * A device whose queue-0 poll (on CPU 1) has taken frame 0 and now waits
 * for td->release; the caller is pinned to CPU 0. NULL if it could not be
 * set up (then the case is skipped or has failed).
 */
static struct tdev *held_poll(struct ddeos_ktest *t, int expect)
{
	struct tdev *td;

	if (num_online_cpus() < 2) {
		t->skip = "needs 2 CPUs";
		return NULL;
	}
	td = tdev_create(64);
	if (!EXPECT(t, td, "out of memory"))
		return NULL;
	td->expect = expect;
	td->hold = true;
	if (!EXPECT(t, !tdev_up(td), "open")) {
		tdev_destroy(td);
		return NULL;
	}
	ddeos_thread_pin(0);	/* queue 0, received on CPU 1 */
	EXPECT(t, !send_one(td, 0));
	kick(td, 0);
	EXPECT(t, wait_atomic(&td->held, 1), "the poll never ran");
	return td;
}

static void interrupt_during_poll_is_not_lost(struct ddeos_ktest *t)
{
	struct tdev *td = held_poll(t, 2);

	if (!td)
		return;
	/* the poll is past its frames: a new one and its interrupt now */
	EXPECT(t, !send_one(td, 1));
	kick(td, 0);
	EXPECT(t, test_bit(NAPI_STATE_MISSED, &td->q[0].napi.state));
	WRITE_ONCE(td->hold, false);
	atomic_set(&td->release, 1);
	EXPECT(t, wait_for_completion_timeout(&td->all_in, PATIENCE),
	       "%d of 2 frames arrived: the interrupt was lost", td->received);
	EXPECT(t, atomic_read(&td->q[0].incomplete) >= 1,
	       "napi_complete_done() never reported the miss");
	EXPECT(t, !td->bad_order && !td->bad_payload);
	ddeos_thread_pin(-1);
	tdev_destroy(td);
}

struct disabler {
	struct napi_struct *napi;
	struct tdev *td;
	int poll_done_when_back;
	atomic_t back;
};

static int disable_napi(void *arg)
{
	struct disabler *d = arg;

	napi_disable(d->napi);
	d->poll_done_when_back = atomic_read(&d->td->poll_done);
	atomic_set(&d->back, 1);
	return 0;
}

static void napi_disable_waits_for_running_poll(struct ddeos_ktest *t)
{
	struct tdev *td = held_poll(t, 1);
	struct disabler d = { };
	unsigned long end;
	void *th;

	if (!td)
		return;
	d.napi = &td->q[0].napi;
	d.td = td;
	th = ddeos_thread_create("napi-off", disable_napi, &d, 0, 4);
	EXPECT(t, th);
	/* wait until napi_disable() is in (DISABLE set), poll still held */
	end = jiffies + PATIENCE;
	while (!test_bit(NAPI_STATE_DISABLE, &d.napi->state) &&
	       !atomic_read(&d.back) && time_before(jiffies, end))
		msleep(1);
	EXPECT(t, !atomic_read(&d.back), "napi_disable() returned during the poll");
	EXPECT(t, test_bit(NAPI_STATE_DISABLE, &d.napi->state));
	atomic_set(&td->release, 1);
	if (th)
		ddeos_thread_join(th);
	EXPECT(t, atomic_read(&d.back) && d.poll_done_when_back,
	       "napi_disable() did not wait for the poll");
	EXPECT(t, test_bit(NAPI_STATE_SCHED, &d.napi->state));
	napi_enable(d.napi);	/* so that closing can disable it again */
	EXPECT(t, wait_for_completion_timeout(&td->all_in, PATIENCE));
	ddeos_thread_pin(-1);
	tdev_destroy(td);
}

/* ---- stopped queue ---------------------------------------------------------------- */

static void wake_in_irq(void *arg)
{
	netif_tx_wake_queue(arg);
}

static void stopped_queue_is_busy_until_woken(struct ddeos_ktest *t)
{
	struct tdev *td = tdev_create(64);
	struct dde_net_counts c;
	struct netdev_queue *txq;
	struct sk_buff *skb;

	if (!EXPECT(t, td, "out of memory"))
		return;
	td->expect = 1;
	if (!EXPECT(t, !tdev_up(td), "open"))
		goto out;
	ddeos_thread_pin(0);
	txq = netdev_get_tx_queue(td->dev, 0);
	netif_tx_stop_queue(txq);
	skb = make_frame(td->dev, 0, 0);
	if (!EXPECT(t, skb))
		goto out;
	EXPECT(t, dde_net_xmit(td->dev, skb) == NETDEV_TX_BUSY);
	EXPECT(t, skb_queue_empty(&td->q[0].pending), "a busy frame reached the driver");
	dde_net_get_counts(td->dev, &c);
	EXPECT(t, c.tx_busy == 1);
	ddeos_call_on_cpu(other_cpu(), wake_in_irq, txq);
	EXPECT(t, wait_for_completion_timeout(&td->woken, PATIENCE), "no wake");
	EXPECT(t, td->woken_queue == 0);
	EXPECT(t, !netif_tx_queue_stopped(txq));
	EXPECT(t, dde_net_xmit(td->dev, skb) == NETDEV_TX_OK, "after wake");
	kick(td, 0);
	EXPECT(t, wait_for_completion_timeout(&td->all_in, PATIENCE));
	EXPECT(t, !td->bad_order && !td->bad_payload);
	/* a device that is down takes nothing */
	dde_net_close(td->dev);
	skb = make_frame(td->dev, 0, 1);
	EXPECT(t, skb && dde_net_xmit(td->dev, skb) == -ENETDOWN);
	kfree_skb(skb);
out:
	ddeos_thread_pin(-1);
	tdev_destroy(td);
}

/* ---- flow control: a full ring stops the queue, TX NAPI wakes it ---------- */

#define FLOW_FRAMES	100

static void full_ring_stops_and_tx_napi_wakes(struct ddeos_ktest *t)
{
	struct tdev *td = tdev_create(64);
	struct netdev_queue *txq;
	int seq = 0, busy = 0, seen, lost = 0;
	long live0 = dde_net_skbs_live();

	if (!EXPECT(t, td, "out of memory"))
		return;
	td->expect = FLOW_FRAMES;
	td->flow = true;
	if (!EXPECT(t, !tdev_up(td), "open"))
		goto out;
	ddeos_thread_pin(0);	/* queue 0 */
	txq = netdev_get_tx_queue(td->dev, 0);
	while (seq < FLOW_FRAMES) {
		struct sk_buff *skb = make_frame(td->dev, 0, seq);
		int rc;

		if (!EXPECT(t, skb, "out of memory"))
			break;
		/* Busy until the TX NAPI wakes the queue: a sender's loop. */
		for (;;) {
			seen = atomic_read(&td->wakes);
			rc = dde_net_xmit(td->dev, skb);
			if (rc != NETDEV_TX_BUSY)
				break;
			busy++;
			/* the doorbell rings when the ring is full, as
			 * virtio_net kicks when it stops the queue */
			kick(td, 0);
			if (!wait_event_timeout(td->wake_wq,
						atomic_read(&td->wakes) != seen ||
						!netif_tx_queue_stopped(txq),
						PATIENCE)) {
				lost++;
				break;
			}
		}
		if (rc != NETDEV_TX_OK) {
			kfree_skb(skb);
			break;
		}
		seq++;
	}
	kick(td, 0);
	EXPECT(t, seq == FLOW_FRAMES && !lost, "sent %d, %d waits for a wake timed out",
	       seq, lost);
	EXPECT(t, busy > 0, "the ring never filled");
	EXPECT(t, atomic_read(&td->wakes) > 0);
	EXPECT(t, wait_for_completion_timeout(&td->all_in, PATIENCE),
	       "%d of %d frames arrived", td->received, FLOW_FRAMES);
	EXPECT(t, !td->bad_order && !td->bad_payload && !td->bad_queue);
out:
	ddeos_thread_pin(-1);
	tdev_destroy(td);
	EXPECT(t, dde_net_skbs_live() == live0, "%ld skbs leaked",
	       dde_net_skbs_live() - live0);
}

/* ---- malformed frames ------------------------------------------------------------- */

static int short_poll(struct napi_struct *napi, int budget)
{
	struct page *page = alloc_page(GFP_ATOMIC);
	struct sk_buff *skb;

	/* 10 bytes linear */
	skb = napi_alloc_skb(napi, 64);
	if (skb) {
		memset(skb_put(skb, 10), 0xab, 10);
		skb->protocol = eth_type_trans(skb, napi->dev);
		napi_gro_receive(napi, skb);
	}
	/* 12 bytes, none linear */
	skb = napi_alloc_skb(napi, 64);
	if (skb && page) {
		get_page(page);
		skb_add_rx_frag(skb, 0, page, 0, 12, PAGE_SIZE);
		skb->protocol = eth_type_trans(skb, napi->dev);
		napi_gro_receive(napi, skb);
	} else if (skb) {
		kfree_skb(skb);
	}
	/* 14 bytes from a frag: a header, nothing else, is a frame */
	skb = napi_alloc_skb(napi, 64);
	if (skb && page) {
		memset(page_address(page) + 100, 0xff, 12);
		*(__be16 *)(page_address(page) + 112) = htons(ETH_P_TEST);
		get_page(page);
		skb_add_rx_frag(skb, 0, page, 100, 14, PAGE_SIZE);
		skb->protocol = eth_type_trans(skb, napi->dev);
		napi_gro_receive(napi, skb);
	} else if (skb) {
		kfree_skb(skb);
	}
	if (page)
		put_page(page);
	napi_complete_done(napi, 3);
	return 3;
}

static void short_frames_dropped_and_counted(struct ddeos_ktest *t)
{
	struct tdev *td = tdev_create(64);
	struct dde_net_counts c;
	unsigned long end;
	struct napi_struct *n;

	if (!EXPECT(t, td, "out of memory"))
		return;
	n = &td->q[0].napi;
	n->poll = short_poll;
	if (!EXPECT(t, !register_netdev(td->dev) && !dde_net_open(td->dev), "open"))
		goto out;
	/* no rx hook: the good frame is counted as unclaimed */
	ddeos_call_on_cpu(other_cpu(), wire_irq, &td->q[0]);
	end = jiffies + PATIENCE;
	do {
		dde_net_get_counts(td->dev, &c);
		if (c.rx_dropped + c.rx_unclaimed + c.rx_delivered >= 3)
			break;
		msleep(1);
	} while (time_before(jiffies, end));
	EXPECT(t, c.rx_dropped == 2 && c.rx_unclaimed == 1 && !c.rx_delivered,
	       "dropped %lu unclaimed %lu delivered %lu", c.rx_dropped,
	       c.rx_unclaimed, c.rx_delivered);
out:
	tdev_destroy(td);
}

/* ---- memory: skbs freed on another CPU in every context -------------------------- */

#define BATCH 24

struct skb_batch {
	struct sk_buff *skb[BATCH];
	struct tasklet_struct tasklet;
	atomic_t done;
};

static struct sk_buff *any_skb(struct page_frag_cache *nc, int i)
{
	struct sk_buff *skb;
	struct page *page;
	void *buf;
	unsigned int sz = SKB_DATA_ALIGN(256) +
			  SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	switch (i % 3) {
	case 0:
		return alloc_skb(100 + i * 50, GFP_KERNEL);
	case 1:
		buf = page_frag_alloc(nc, sz, GFP_KERNEL);
		if (!buf)
			return NULL;
		skb = build_skb(buf, sz);
		if (!skb)
			page_frag_free(buf);
		return skb;
	default:
		skb = alloc_skb(64, GFP_KERNEL);
		page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
		if (!skb || !page) {
			kfree_skb(skb);
			if (page)
				__free_pages(page, 1);
			return NULL;
		}
		skb_put(skb, 20);
		skb_add_rx_frag(skb, 0, page, 0, 1000, 2 * PAGE_SIZE);
		get_page(page);
		skb_add_rx_frag(skb, 1, page, 1000, 1000, 0);
		skb_coalesce_rx_frag(skb, 1, 500, 0);
		return skb;
	}
}

static void free_batch(struct skb_batch *b)
{
	int i;

	for (i = 0; i < BATCH; i++)
		dev_kfree_skb_any(b->skb[i]);
	atomic_set(&b->done, 1);
}

static void free_in_irq(void *arg)
{
	free_batch(arg);
}

static void free_in_tasklet(struct tasklet_struct *tl)
{
	struct skb_batch *b = from_tasklet(b, tl, tasklet);

	free_batch(b);
}

static void schedule_tasklet(void *arg)
{
	tasklet_schedule(&((struct skb_batch *)arg)->tasklet);
}

static int free_in_thread(void *arg)
{
	free_batch(arg);
	return 0;
}

static void skbs_freed_anywhere_return_all_memory(struct ddeos_ktest *t)
{
	static struct skb_batch b[3];
	struct page_frag_cache nc = { };
	struct ddeos_mem_totals before, after;
	long live0;
	unsigned long end;
	int i, k, missing = 0;
	void *th;

	ddeos_mem_quiesce(&before);
	live0 = dde_net_skbs_live();
	ddeos_thread_pin(0);
	for (k = 0; k < 3; k++) {
		atomic_set(&b[k].done, 0);
		tasklet_setup(&b[k].tasklet, free_in_tasklet);
		for (i = 0; i < BATCH; i++) {
			b[k].skb[i] = any_skb(&nc, i);
			missing += !b[k].skb[i];
		}
	}
	EXPECT(t, !missing, "%d allocations failed", missing);
	EXPECT(t, dde_net_skbs_live() == live0 + 3 * BATCH - missing);
	ddeos_call_on_cpu(other_cpu(), free_in_irq, &b[0]);
	ddeos_call_on_cpu(other_cpu(), schedule_tasklet, &b[1]);
	th = ddeos_thread_create("skb-free", free_in_thread, &b[2], other_cpu(), 4);
	if (th)
		ddeos_thread_join(th);
	else
		free_batch(&b[2]);
	/* the hard-IRQ batch is freed by NET_TX on that CPU */
	end = jiffies + PATIENCE;
	while ((dde_net_skbs_live() != live0 || !atomic_read(&b[1].done)) &&
	       time_before(jiffies, end))
		msleep(1);
	EXPECT(t, dde_net_skbs_live() == live0, "%ld skbs still live",
	       dde_net_skbs_live() - live0);
	if (nc.va)
		__page_frag_cache_drain(virt_to_head_page(nc.va), nc.pagecnt_bias);
	ddeos_thread_pin(-1);
	ddeos_mem_quiesce(&after);
	EXPECT(t, after.pages_free == before.pages_free, "free pages %lu, at start %lu",
	       after.pages_free, before.pages_free);
	EXPECT(t, after.objects_in_use == before.objects_in_use,
	       "objects in use %lu, at start %lu", after.objects_in_use,
	       before.objects_in_use);
}

/* ---- skb helpers ---------------------------------------------------------------- */

static void skb_pull_tail_and_sgvec(struct ddeos_ktest *t)
{
	struct sk_buff *skb = alloc_skb(32, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);
	struct scatterlist sg[4];
	u8 *p;
	int i, n;

	if (!EXPECT(t, skb && page, "out of memory")) {
		kfree_skb(skb);
		if (page)
			put_page(page);
		return;
	}
	for (i = 0; i < 200; i++)
		((u8 *)page_address(page))[i] = i;
	skb_put_data(skb, "0123456789", 10);
	skb_add_rx_frag(skb, 0, page, 0, 100, PAGE_SIZE);
	get_page(page);
	skb_add_rx_frag(skb, 1, page, 100, 100, 0);
	EXPECT(t, skb->len == 210 && skb->data_len == 200 && skb_headlen(skb) == 10);

	sg_init_table(sg, 4);
	n = skb_to_sgvec(skb, sg, 0, skb->len);
	EXPECT(t, n == 3 && sg[0].length == 10 && sg[1].length == 100 &&
		  sg[2].length == 100 && sg_is_last(&sg[2]), "%d entries", n);
	sg_init_table(sg, 4);
	n = skb_to_sgvec(skb, sg, 5, 100);
	EXPECT(t, n == 2 && sg[0].length == 5 && sg[1].length == 95, "%d", n);

	/* pull 150: the whole first frag and half the second, over the head */
	EXPECT(t, pskb_may_pull(skb, 160));
	EXPECT(t, skb_headlen(skb) == 160 && skb->len == 210 &&
		  skb_shinfo(skb)->nr_frags == 1 &&
		  skb_frag_size(&skb_shinfo(skb)->frags[0]) == 50,
		  "headlen %u frags %u", skb_headlen(skb), skb_shinfo(skb)->nr_frags);
	p = skb->data;
	EXPECT(t, !memcmp(p, "0123456789", 10));
	for (i = 0; i < 150; i++)
		if (p[10 + i] != (u8)i)
			break;
	EXPECT(t, i == 150, "pulled byte %d wrong", i);
	EXPECT(t, page_ref_count(page) == 1, "page refs %d", page_ref_count(page));
	EXPECT(t, !pskb_may_pull(skb, 300), "pulled more than there is");
	EXPECT(t, skb_partial_csum_set(skb, 20, 6) && skb->ip_summed == CHECKSUM_PARTIAL);
	EXPECT(t, !skb_partial_csum_set(skb, 200, 6));
	kfree_skb(skb);
}

static const struct ddeos_ktest_case linux_net_cases[] = {
	{ "registration_names_and_ifindex", registration_names_and_ifindex },
	{ "carrier_bits_and_events", carrier_bits_and_events },
	{ "frames_from_every_cpu_arrive_in_order", frames_from_every_cpu_arrive_in_order },
	{ "napi_budget_respected_and_repolled", napi_budget_respected_and_repolled },
	{ "interrupt_during_poll_is_not_lost", interrupt_during_poll_is_not_lost },
	{ "napi_disable_waits_for_running_poll", napi_disable_waits_for_running_poll },
	{ "stopped_queue_is_busy_until_woken", stopped_queue_is_busy_until_woken },
	{ "full_ring_stops_and_tx_napi_wakes", full_ring_stops_and_tx_napi_wakes },
	{ "short_frames_dropped_and_counted", short_frames_dropped_and_counted },
	{ "skbs_freed_anywhere_return_all_memory", skbs_freed_anywhere_return_all_memory },
	{ "skb_pull_tail_and_sgvec", skb_pull_tail_and_sgvec },
};

LINUX_KTEST_SUITE(linux_net, linux_net_cases);
