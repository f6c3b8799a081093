/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the DDE keeps about a platform device beyond Linux's struct
 * platform_device (platform.c), for the firmware devices' registration
 * (dde/drivers/acpi/acpi_platform.c) and the boot's device: lines.
 */
#ifndef DDE_DRIVERS_BASE_PLATFORM_H
#define DDE_DRIVERS_BASE_PLATFORM_H

#include <linux/platform_device.h>

struct dde_platform_info {
	/*
	 * For a device the DSDT describes: the devicetree "compatible" string
	 * its drivers also match in their of_match_table. With CONFIG_ACPI=n
	 * their acpi_match_table is compiled out, so the ACPI id alone would
	 * match nothing; Linux's own route for such a pairing is PRP0001.
	 */
	const char *compatible;
	bool probe_failed;		/* a probe on it failed (device_lines.c) */
};

struct dde_platform_info *dde_platform_info(struct platform_device *pdev);

#endif
