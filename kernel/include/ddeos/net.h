/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The network API for code running on ddeos (kernel world): the interfaces
 * the drivers registered, with name, MAC, MTU, link state and counters;
 * opening one, sending a frame, receiving frames through a callback in
 * NET_RX softirq, and link events. Frames are Ethernet frames, header
 * first. kernel/net/net.c; docs/net.md.
 */
#ifndef DDEOS_NET_H
#define DDEOS_NET_H

#include <ddeos/types.h>
#include "../../waist/ddeos_waist.h"

#define NET_IF_MAX	8
#define NET_ETH_HLEN	DDEOS_NET_HLEN
#define NET_ETH_ALEN	DDEOS_NET_ADDR_LEN

struct net_if;

/* Called in NET_RX softirq on the CPU that polled the device's queue:
 * @frame is lent for the call only. Must not sleep. */
typedef void (*net_rx_fn)(struct net_if *ifp, const void *frame, size_t len,
			  void *arg);
/* A received frame given to its receiver (zero-copy): the driver's own
 * buffer, which the receiver releases with net_frame_release(). */
struct net_frame;
/* Called in NET_RX softirq on the CPU that polled: @f (@len bytes at
 * @data, Ethernet header first) is the callee's until it releases it, from
 * any CPU and context. A large frame may come in two parts: then @len is
 * the 14-byte Ethernet header and net_frame_rest() the rest. Must not
 * sleep. */
typedef void (*net_rx_frame_fn)(struct net_if *ifp, struct net_frame *f,
				void *data, size_t len, void *arg);
/* Called when the link goes up or down, in thread or softirq context:
 * must not sleep. */
typedef void (*net_link_fn)(struct net_if *ifp, bool up, void *arg);

/* Counters of one interface, since boot. */
struct net_if_stats {
	uint64_t rx_frames, rx_bytes;	/* handed to the rx callback */
	uint64_t rx_unclaimed;		/* dropped: no callback set */
	uint64_t rx_dropped;		/* dropped by the core: runt frames */
	uint64_t tx_frames, tx_bytes;	/* taken by the driver */
	uint64_t tx_busy;		/* refused: TX queue full (-EAGAIN) */
	uint64_t tx_errors;		/* refused otherwise */
	uint64_t link_changes;
};

/*
 * Find the drivers' interfaces, open each one and print a line for it.
 * Context: the main thread, once, after Linux's initcalls.
 */
void net_init(void);

/* Context: any, after net_init(). */
unsigned int net_if_count(void);
/* Return: interface @index (0..count-1), or NULL. Context: any. */
struct net_if *net_if_get(unsigned int index);
/* Return: the interface called @name (e.g. "eth0"), or NULL. Context: any. */
struct net_if *net_if_by_name(const char *name);

/* Context: any. */
const char *net_if_name(const struct net_if *ifp);
void net_if_mac(const struct net_if *ifp, uint8_t mac[NET_ETH_ALEN]);
unsigned int net_if_mtu(const struct net_if *ifp);
bool net_if_is_up(const struct net_if *ifp);
bool net_if_link_up(const struct net_if *ifp);
void net_if_get_stats(const struct net_if *ifp, struct net_if_stats *s);

/**
 * net_if_open - bring @ifp up (the driver fills its receive ring)
 * Context: thread, may sleep. Return: 0 (also if it was up) or -errno.
 */
int net_if_open(struct net_if *ifp);

/**
 * net_send - send one Ethernet frame on @ifp (copied)
 * @len: 14 .. mtu + 14 bytes
 *
 * Goes out on the TX queue of the calling CPU.
 * Context: thread or softirq, not hard IRQ.
 * Return: 0; -EAGAIN: the TX queue is full, retry after the wake callback;
 * -ENETDOWN: not open; -ENOMEM; -EINVAL: bad length.
 */
int net_send(struct net_if *ifp, const void *frame, size_t len);

/**
 * net_set_rx - where @ifp's received frames go (NULL: counted and dropped)
 * Context: thread, may sleep. On return the old callback runs nowhere.
 */
void net_set_rx(struct net_if *ifp, net_rx_fn fn, void *arg);

/**
 * net_set_rx_frames - give @ifp's received frames to @fn (zero-copy)
 *
 * Replaces a callback set with net_set_rx() and vice versa; NULL: frames
 * are counted and dropped. Context: thread, may sleep. On return the old
 * callback runs nowhere.
 */
void net_set_rx_frames(struct net_if *ifp, net_rx_frame_fn fn, void *arg);

/* NET_FRAME_PRIV bytes (8-byte aligned) of @f for its receiver's own use
 * until it releases @f. Context: any. */
#define NET_FRAME_PRIV	DDEOS_NET_FRAME_PRIV
void *net_frame_priv(struct net_frame *f);
/* The part of @f after what the callback's @data/@len held (*@len bytes),
 * or NULL (*@len = 0) when that was the whole frame. Context: any. */
void *net_frame_rest(struct net_frame *f, size_t *len);

/**
 * net_frame_release - hand a given frame back to the driver's free path
 * Context: any (thread, softirq, hard IRQ), any CPU.
 */
void net_frame_release(struct net_frame *f);

/* Frames given out by every interface since boot, released, and released
 * on another CPU than the one that received them; received frames (given
 * or lent) the driver left in pieces, copied into one run of bytes; given
 * frames handed over in two parts instead. */
struct net_frame_stats {
	uint64_t given, released, released_remote, linearized, split;
};
/* Context: any. */
void net_frame_stats(struct net_frame_stats *s);

/* @cpu's idle NAPI polling (docs/net.md): receive polls of the idle loop
 * that found a frame, each an interrupt not taken, and devices given their
 * interrupt back when a spin stopped. Context: any. */
void net_napi_idle_stats(unsigned int cpu, uint64_t *found, uint64_t *ended);

/**
 * net_if_driver_stats - the driver's own counters of @ifp (ethtool -S)
 *
 * Calls @fn(@arg, name, value) for each, in the driver's order: virtio_net
 * counts per queue (rx_queue_0_packets, rx_queue_0_bytes, ...,
 * tx_queue_0_kicks). @fn must not sleep. Context: thread or softirq, does
 * not sleep (lwIP's core lock may be held).
 * Return: how many, 0 if the driver keeps none, or -ENOMEM.
 */
int net_if_driver_stats(struct net_if *ifp,
			void (*fn)(void *arg, const char *name, uint64_t value),
			void *arg);

/**
 * net_set_link_hook - who hears @ifp's link going up or down
 * Context: thread. The old hook may still be running on another CPU.
 */
void net_set_link_hook(struct net_if *ifp, net_link_fn fn, void *arg);

/**
 * net_set_tx_wake - @fn(@ifp, @arg) in NET_TX softirq after a full TX queue
 * drained; what net_send()'s -EAGAIN waits for
 * Context: thread, may sleep.
 */
void net_set_tx_wake(struct net_if *ifp, void (*fn)(struct net_if *ifp, void *arg),
		     void *arg);

#endif
