// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `ip=` option in Linux's syntax (Documentation/admin-guide/nfs/
 * nfsroot.rst, net/ipv4/ipconfig.c): `ip=CLIENT:SERVER:GATEWAY:NETMASK:
 * HOSTNAME:DEVICE:AUTOCONF` with AUTOCONF `off`/`none` for a static address,
 * or `dhcp` (also as the whole value, `ip=dhcp`). SERVER, HOSTNAME and DNS
 * fields are accepted and ignored. The interface gets lwIP and the address;
 * a line `net: eth0 up 10.0.2.15/24 gw 10.0.2.2 mac=...` says when it has it.
 */
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/net.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>
#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip_port.h"

#define IPCONFIG_FIELDS	7

static struct {
	bool set, dhcp;
	ip4_addr_t addr, mask, gw;
	char device[DDEOS_NET_NAME_MAX];
} ipconfig;

static struct netif *ipconfig_netif;
static struct completion ipconfig_done;
static bool ipconfig_said;		/* under the core lock */
/* How long a network app waits for link and address (DHCP on TCG). */
#define IPCONFIG_WAIT_NS	(60ull * 1000000000ull)

/* "a.b.c.d" or "" (left 0). Return: 0 or -EINVAL. */
static int parse_ip4(const char *s, size_t n, ip4_addr_t *a)
{
	uint32_t v = 0, part = 0;
	unsigned int dots = 0, digits = 0;

	ip4_addr_set_zero(a);
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (!digits || ++dots > 3)
				return -EINVAL;
			v = v << 8 | part;
			part = digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			part = part * 10 + (uint32_t)(s[i] - '0');
			if (part > 255 || ++digits > 3)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (dots != 3 || !digits)
		return -EINVAL;
	v = v << 8 | part;
	ip4_addr_set_u32(a, lwip_htonl(v));
	return 0;
}

static bool field_is(const char *s, size_t n, const char *word)
{
	return string_len(word) == n && !string_ncmp(s, word, n);
}

static int ipconfig_param(const char *value)
{
	const char *f[IPCONFIG_FIELDS] = { 0 };
	size_t len[IPCONFIG_FIELDS] = { 0 };
	unsigned int i = 0;
	const char *p;

	if (!value)
		return -EINVAL;
	ipconfig = (typeof(ipconfig)){ 0 };
	if (!string_cmp(value, "dhcp") || !string_cmp(value, "on") ||
	    !string_cmp(value, "any")) {
		ipconfig.set = ipconfig.dhcp = true;
		return 0;
	}
	/* Split at ':'; fields past the seventh (DNS servers, NTP) are
	 * ignored, as ddeos has no resolver. */
	for (p = value, f[0] = value; *p && i < IPCONFIG_FIELDS; p++) {
		if (*p == ':') {
			if (++i < IPCONFIG_FIELDS)
				f[i] = p + 1;
			continue;
		}
		len[i]++;
	}
	if (parse_ip4(f[0], len[0], &ipconfig.addr) ||
	    parse_ip4(f[2], len[2], &ipconfig.gw) ||
	    parse_ip4(f[3], len[3], &ipconfig.mask))
		return -EINVAL;
	if (len[5] >= sizeof(ipconfig.device))
		return -EINVAL;
	if (len[5])
		memcpy(ipconfig.device, f[5], len[5]);
	if (!len[6] || field_is(f[6], len[6], "off") || field_is(f[6], len[6], "none")) {
		if (ip4_addr_isany_val(ipconfig.addr))
			return -EINVAL;	/* static, but no address */
		if (ip4_addr_isany_val(ipconfig.mask))
			IP4_ADDR(&ipconfig.mask, 255, 255, 255, 0);
	} else if (field_is(f[6], len[6], "dhcp") || field_is(f[6], len[6], "on") ||
		   field_is(f[6], len[6], "any")) {
		ipconfig.dhcp = true;
	} else {
		return -EINVAL;	/* bootp and rarp: no */
	}
	ipconfig.set = true;
	return 0;
}
KPARAM(ip, "ip", ipconfig_param);

static unsigned int prefix_len(const ip4_addr_t *mask)
{
	uint32_t m = ip4_addr_get_u32(mask);
	unsigned int n = 0;

	/* No libgcc in the image: count the bits by hand. */
	for (; m; m &= m - 1)
		n++;
	return n;
}

/*
 * lwIP's status and link callback (core lock held): say it once it has an
 * address and the link. Before the driver reports the link lwIP drops
 * every frame it would send, so "up" before then would invite traffic
 * that cannot be answered.
 */
static void ipconfig_status(struct netif *nif)
{
	const uint8_t *m = nif->hwaddr;
	char a[IP4ADDR_STRLEN_MAX], g[IP4ADDR_STRLEN_MAX];

	if (ipconfig_said || !netif_is_up(nif) || !netif_is_link_up(nif) ||
	    ip4_addr_isany(netif_ip4_addr(nif)))
		return;
	ipconfig_said = true;
	ip4addr_ntoa_r(netif_ip4_addr(nif), a, sizeof(a));
	ip4addr_ntoa_r(netif_ip4_gw(nif), g, sizeof(g));
	kprintf("net: %s up %s/%u gw %s mac=%02x:%02x:%02x:%02x:%02x:%02x%s\n",
		net_if_name(nif->state), a, prefix_len(netif_ip4_netmask(nif)), g,
		m[0], m[1], m[2], m[3], m[4], m[5], ipconfig.dhcp ? " (dhcp)" : "");
	completion_signal_all(&ipconfig_done);
}

void lwip_ipconfig(void)
{
	struct net_if *ifp;
	struct netif *nif;

	completion_init(&ipconfig_done);
	if (!ipconfig.set)
		return;
	ifp = ipconfig.device[0] ? net_if_by_name(ipconfig.device) : net_if_get(0);
	if (!ifp) {
		kprintf("net: ip=: no interface %s\n",
			ipconfig.device[0] ? ipconfig.device : "at all");
		return;
	}
	lwip_port_init();
	nif = lwip_port_netif_add(ifp);
	if (!nif) {
		kprintf("net: %s: no memory for lwIP's interface\n", net_if_name(ifp));
		return;
	}
	lwip_core_lock();
	netif_set_status_callback(nif, ipconfig_status);
	netif_set_link_callback(nif, ipconfig_status);
	netif_set_default(nif);
	if (ipconfig.dhcp) {
		if (dhcp_start(nif) != ERR_OK)
			kprintf("net: %s: DHCP did not start\n", net_if_name(ifp));
	} else {
		netif_set_addr(nif, &ipconfig.addr, &ipconfig.mask, &ipconfig.gw);
	}
	ipconfig_netif = nif;
	ipconfig_status(nif);	/* the link may have come before the hook */
	lwip_core_unlock();
}

int lwip_ipconfig_wait(uint64_t deadline_ns)
{
	if (!ipconfig_netif)
		return -ENODEV;
	/* Signalled with completion_signal_all(): stays done for every
	 * later waiter. */
	return completion_wait(&ipconfig_done, deadline_ns) ? -ETIMEDOUT : 0;
}

int lwip_app_wait_up(void)
{
	int rc;

	if (!lwip_port_ready())
		return -ENETDOWN;	/* no ip=: lwIP is not running */
	rc = lwip_ipconfig_wait(clock_ns() + IPCONFIG_WAIT_NS);
	if (rc == -ETIMEDOUT)
		kprintf("net: %s: no link and address after %u s\n",
			net_if_name(ipconfig_netif->state),
			(unsigned int)(IPCONFIG_WAIT_NS / 1000000000ull));
	return rc;
}
