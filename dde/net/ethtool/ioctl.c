// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ethtool helpers drivers put in their ethtool_ops (Linux:
 * net/ethtool/ioctl.c and common.c). Nothing here calls ethtool_ops yet
 * (there is no ethtool interface); these give the answers Linux gives
 * when the kernel-world API asks a driver.
 */
#include <linux/bitmap.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/net_tstamp.h>

/** ethtool_op_get_link - Return: 1 if @dev has carrier, else 0 */
u32 ethtool_op_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev) ? 1 : 0;
}
EXPORT_SYMBOL(ethtool_op_get_link);

/** ethtool_op_get_ts_info - software time stamps only. Return: 0 */
int ethtool_op_get_ts_info(struct net_device *dev, struct ethtool_ts_info *info)
{
	info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE |
				SOF_TIMESTAMPING_RX_SOFTWARE |
				SOF_TIMESTAMPING_SOFTWARE;
	info->phc_index = -1;
	return 0;
}
EXPORT_SYMBOL(ethtool_op_get_ts_info);

/** ethtool_sprintf - format one ETH_GSTRING_LEN string, advance @data */
__printf(2, 3) void ethtool_sprintf(u8 **data, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(*data, ETH_GSTRING_LEN, fmt, args);
	va_end(args);
	*data += ETH_GSTRING_LEN;
}
EXPORT_SYMBOL(ethtool_sprintf);

/* A virtual device takes only a speed and a duplex, nothing else. */
static bool virtdev_cmd_ok(const struct ethtool_link_ksettings *cmd)
{
	struct ethtool_link_settings only = {
		.speed = cmd->base.speed,
		.port = PORT_OTHER,
		.duplex = cmd->base.duplex,
		.cmd = cmd->base.cmd,
		.link_mode_masks_nwords = cmd->base.link_mode_masks_nwords,
	};

	return !memcmp(&only, &cmd->base, sizeof(only)) &&
	       bitmap_empty(cmd->link_modes.supported,
			    __ETHTOOL_LINK_MODE_MASK_NBITS) &&
	       bitmap_empty(cmd->link_modes.lp_advertising,
			    __ETHTOOL_LINK_MODE_MASK_NBITS);
}

/**
 * ethtool_virtdev_set_link_ksettings - accept a speed and duplex to report
 * Return: 0, or -EINVAL for anything a virtual device cannot take.
 */
int ethtool_virtdev_set_link_ksettings(struct net_device *dev,
				       const struct ethtool_link_ksettings *cmd,
				       u32 *dev_speed, u8 *dev_duplex)
{
	if (!ethtool_validate_speed(cmd->base.speed) ||
	    !ethtool_validate_duplex(cmd->base.duplex) || !virtdev_cmd_ok(cmd))
		return -EINVAL;
	*dev_speed = cmd->base.speed;
	*dev_duplex = cmd->base.duplex;
	return 0;
}
EXPORT_SYMBOL(ethtool_virtdev_set_link_ksettings);
