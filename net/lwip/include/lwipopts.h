/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lwIP 2.1.3's options for ddeos (defaults and meanings: lwIP's
 * src/include/lwip/opt.h). The raw API only, no lwIP threads (NO_SYS):
 * the core runs under ddeos's core lock (net/lwip/sys_arch.c, docs/net.md),
 * called from NET_RX softirq for received frames and from threads for
 * apps and timers. IPv4, ARP, ICMP, UDP, TCP and DHCP.
 */
#ifndef DDEOS_LWIPOPTS_H
#define DDEOS_LWIPOPTS_H

#define NO_SYS			1
#define SYS_LIGHTWEIGHT_PROT	0	/* the core lock serializes everything */
#define LWIP_SOCKET		0
#define LWIP_NETCONN		0

/* Memory: lwIP's heap and pools come from the kernel's per-CPU pool, which
 * is safe in any context and for frees on any CPU. */
#define MEM_LIBC_MALLOC		1
#define MEMP_MEM_MALLOC		1
#define MEM_ALIGNMENT		8
#define mem_clib_malloc		lwip_port_malloc
#define mem_clib_free		lwip_port_free
#define mem_clib_calloc		lwip_port_calloc

/* Zero-copy receive: a pbuf over the driver's buffer (net/lwip/netif.c). */
#define LWIP_SUPPORT_CUSTOM_PBUF	1

#define LWIP_IPV4		1
#define LWIP_IPV6		0
#define LWIP_ARP		1
#define LWIP_ETHERNET		1
#define LWIP_ICMP		1
#define LWIP_UDP		1
#define LWIP_TCP		1
#define LWIP_RAW		0
#define LWIP_DHCP		1
/* The offered address is QEMU's own to give; probing it first would only
 * add a second to every boot. */
#define DHCP_DOES_ARP_CHECK	0
#define LWIP_DNS		0
#define LWIP_IGMP		0
#define IP_REASSEMBLY		1
#define IP_FRAG			1

#define LWIP_NETIF_LINK_CALLBACK	1
#define LWIP_NETIF_STATUS_CALLBACK	1
#define LWIP_NETIF_HOSTNAME	0

/* TCP: a window of 44 full segments (64240 bytes), the most without window
 * scaling, which QEMU's user network (slirp) does not do: a larger window
 * could not be used there (docs/net.md, TCP receive). */
#define TCP_MSS			1460
#define TCP_WND			(44 * TCP_MSS)
#define TCP_SND_BUF		(32 * TCP_MSS)
#define TCP_SND_QUEUELEN	(4 * TCP_SND_BUF / TCP_MSS)
/* One ACK per receive batch instead of one per two segments
 * (net/lwip/tcp_ack.c). */
#define LWIP_HOOK_FILENAME	"lwip_hooks.h"
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	lwip_port_tcp_in(pcb, p)
/* A window update of its own only when the window grew by half: lwIP's
 * 4 segments meant an ACK every 4 segments, as apps free each at once. */
#define TCP_WND_UPDATE_THRESHOLD	(TCP_WND / 2)
#define MEMP_NUM_TCP_PCB	64
#define MEMP_NUM_TCP_PCB_LISTEN	8
#define MEMP_NUM_TCP_SEG	512
#define MEMP_NUM_UDP_PCB	16
#define MEMP_NUM_PBUF		256
#define PBUF_POOL_SIZE		256

/* httpd (apps/httpd): pages generated per request by fs_open_custom(),
 * headers made by httpd (no built-in files: HTTPD_FSDATA_FILE is empty). */
#define LWIP_HTTPD_CUSTOM_FILES		1
#define LWIP_HTTPD_DYNAMIC_HEADERS	1
#define HTTPD_FSDATA_FILE		"httpd_fsdata.h"
#define HTTPD_SERVER_AGENT		"ddeos (lwIP httpd)"

#define LWIP_STATS		1
/* lwIP leaves pool counters off with MEMP_MEM_MALLOC; the hostile-input
 * test reads them (apps/netstat: pbufs and reassemblies in use). */
#define MEMP_STATS		1
#define LWIP_STATS_DISPLAY	0
#define LWIP_DEBUG		0

#endif
