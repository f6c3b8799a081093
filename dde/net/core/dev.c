// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU network state that compiled Linux objects reference (Linux:
 * net/core/dev.c, net/core/filter.c, net/core/flow_dissector.c). Storage
 * only: nothing in the image uses it until the network issue, whose code
 * initialises it (and registers the flow dissector's keys).
 */
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <net/flow_dissector.h>

DEFINE_PER_CPU_ALIGNED(struct softnet_data, softnet_data);
DEFINE_PER_CPU(struct bpf_redirect_info, bpf_redirect_info);
DEFINE_STATIC_KEY_FALSE(bpf_master_redirect_enabled_key);
DEFINE_STATIC_KEY_FALSE(bpf_stats_enabled_key);
struct flow_dissector flow_keys_basic_dissector __read_mostly;
