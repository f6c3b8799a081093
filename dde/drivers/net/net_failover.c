// SPDX-License-Identifier: GPL-2.0-only
/*
 * Failover net devices (stands in for Linux's drivers/net/net_failover.c):
 * not offered. virtio_net asks for one only when the device offers
 * VIRTIO_NET_F_STANDBY (QEMU's failover=on), and then its probe fails with
 * the error below and a line saying why; every error path of virtnet_probe
 * calls net_failover_destroy(NULL), which is nothing, as in Linux.
 */
#include <linux/err.h>
#include <linux/netdevice.h>
#include <net/net_failover.h>

struct failover *net_failover_create(struct net_device *standby_dev)
{
	netdev_err(standby_dev, "failover (VIRTIO_NET_F_STANDBY) is not supported by ddeos\n");
	return ERR_PTR(-EOPNOTSUPP);
}
EXPORT_SYMBOL_GPL(net_failover_create);

void net_failover_destroy(struct failover *failover)
{
	WARN(failover, "net_failover_destroy() of a failover ddeos never made\n");
}
EXPORT_SYMBOL_GPL(net_failover_destroy);
