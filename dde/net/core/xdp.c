// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP receive-queue registration (Linux: net/core/xdp.c), the part a
 * driver calls on every open whether or not an XDP program is attached:
 * virtio_net's open fails if it fails. Only the record is kept; memory
 * models other than plain shared pages are refused, and running XDP
 * programs (redirect, XDP_TX, frame return) stays unsupported
 * (dde/unsupported.list): no program can be attached here.
 */
#include <linux/netdevice.h>
#include <net/xdp.h>

/* Linux's reg_state values (private to net/core/xdp.c). */
enum {
	RXQ_NEW = 0,
	RXQ_REGISTERED,
	RXQ_UNREGISTERED,
	RXQ_UNUSED,
};

/**
 * __xdp_rxq_info_reg - record that RX queue @queue_index of @dev exists
 * Context: thread. Return: 0, -ENODEV or -EINVAL as Linux.
 */
int __xdp_rxq_info_reg(struct xdp_rxq_info *xdp_rxq, struct net_device *dev,
		       u32 queue_index, unsigned int napi_id, u32 frag_size)
{
	if (WARN(!dev, "xdp_rxq_info_reg without a device\n"))
		return -ENODEV;
	if (WARN(xdp_rxq->reg_state == RXQ_UNUSED,
		 "xdp_rxq_info_reg on a queue marked unused\n"))
		return -EINVAL;
	if (WARN(xdp_rxq->reg_state == RXQ_REGISTERED,
		 "xdp_rxq_info_reg twice without unregistering\n"))
		xdp_rxq_info_unreg(xdp_rxq);
	memset(xdp_rxq, 0, sizeof(*xdp_rxq));
	xdp_rxq->dev = dev;
	xdp_rxq->queue_index = queue_index;
	xdp_rxq->napi_id = napi_id;
	xdp_rxq->frag_size = frag_size;
	xdp_rxq->reg_state = RXQ_REGISTERED;
	return 0;
}
EXPORT_SYMBOL_GPL(__xdp_rxq_info_reg);

/**
 * xdp_rxq_info_reg_mem_model - how the queue's buffers are returned
 * @type: only MEM_TYPE_PAGE_SHARED and MEM_TYPE_PAGE_ORDER0 (no page pool)
 *
 * Return: 0, -EFAULT (not registered) or -EOPNOTSUPP.
 */
int xdp_rxq_info_reg_mem_model(struct xdp_rxq_info *xdp_rxq,
			       enum xdp_mem_type type, void *allocator)
{
	if (WARN(xdp_rxq->reg_state != RXQ_REGISTERED,
		 "xdp memory model for an unregistered queue\n"))
		return -EFAULT;
	if (type != MEM_TYPE_PAGE_SHARED && type != MEM_TYPE_PAGE_ORDER0)
		return -EOPNOTSUPP;
	xdp_rxq->mem.type = type;
	xdp_rxq->mem.id = 0;
	return 0;
}
EXPORT_SYMBOL_GPL(xdp_rxq_info_reg_mem_model);

/** xdp_rxq_info_unreg - forget the record (a never-used one is fine) */
void xdp_rxq_info_unreg(struct xdp_rxq_info *xdp_rxq)
{
	if (xdp_rxq->reg_state == RXQ_UNUSED)
		return;
	xdp_rxq->reg_state = RXQ_UNREGISTERED;
	xdp_rxq->dev = NULL;
}
EXPORT_SYMBOL_GPL(xdp_rxq_info_unreg);
