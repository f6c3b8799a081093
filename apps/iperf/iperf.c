// SPDX-License-Identifier: GPL-2.0-only
/*
 * iperf: lwIP's own iperf 2 server (lwIP's src/apps/lwiperf) on TCP port
 * 5001, for `iperf -c` (Debian's iperf 2) from the host. lwiperf runs in
 * lwIP's callbacks under the core lock; this file starts it, counts every
 * byte each connection delivers (lwiperf's own count leaves out most of
 * the first segment) and prints a line per finished test from lwiperf's
 * report callback.
 */
#include <ddeos/app.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include "lwip/apps/lwiperf.h"
#include "lwip/ip_addr.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip_port.h"

/* Connections counted at once; more are served by lwiperf uncounted. */
#define IPERF_CONNS	8

/*
 * lwiperf 2.1.3 reads iperf's 24-byte settings from the first segment it
 * receives and drops the rest of that segment uncounted, so its `bytes`
 * is the client's minus (first - 24). We count what TCP delivered
 * ourselves, by sitting between lwIP and lwiperf's accept and receive
 * callbacks, so that a test can hold both numbers against the client's.
 * Under the core lock.
 */
struct iperf_conn {
	struct tcp_pcb *pcb;	/* NULL: a free slot */
	ip_addr_t remote;
	u16_t port;
	u32_t received;		/* payload bytes TCP handed to lwiperf */
	u32_t first;		/* of those, the first callback's */
};

static struct iperf_conn iperf_conns[IPERF_CONNS];
static tcp_accept_fn lwiperf_accept;
static tcp_recv_fn lwiperf_recv;

static const char *const iperf_results[] = {
	[LWIPERF_TCP_DONE_SERVER] = "done",
	[LWIPERF_TCP_DONE_CLIENT] = "done (client)",
	[LWIPERF_TCP_ABORTED_LOCAL] = "aborted here",
	[LWIPERF_TCP_ABORTED_LOCAL_DATAERROR] = "aborted here: bad data",
	[LWIPERF_TCP_ABORTED_LOCAL_TXERROR] = "aborted here: send error",
	[LWIPERF_TCP_ABORTED_REMOTE] = "aborted by the client",
};

static struct iperf_conn *iperf_conn_of_pcb(struct tcp_pcb *pcb)
{
	unsigned int i;

	for (i = 0; i < IPERF_CONNS; i++)
		if (iperf_conns[i].pcb == pcb)
			return &iperf_conns[i];
	return NULL;
}

static struct iperf_conn *iperf_conn_of_peer(const ip_addr_t *remote, u16_t port)
{
	unsigned int i;

	for (i = 0; i < IPERF_CONNS; i++) {
		struct iperf_conn *c = &iperf_conns[i];

		if (c->pcb && c->port == port && ip_addr_cmp(&c->remote, remote))
			return c;
	}
	return NULL;
}

/* Under the core lock, in whatever context lwIP finished the test. */
static void iperf_report(void *arg, enum lwiperf_report_type type,
			 const ip_addr_t *local, u16_t local_port,
			 const ip_addr_t *remote, u16_t remote_port,
			 u32_t bytes, u32_t ms, u32_t kbit_per_s)
{
	const u8_t *r = (const u8_t *)&ip_2_ip4(remote)->addr;
	const char *what = (unsigned int)type < sizeof(iperf_results) / sizeof(iperf_results[0])
		? iperf_results[type] : "unknown";
	struct iperf_conn *c = iperf_conn_of_peer(remote, remote_port);

	if (c) {
		kprintf("iperf: %u.%u.%u.%u:%u %s bytes=%u ms=%u kbit/s=%u received=%u first=%u\n",
			r[0], r[1], r[2], r[3], remote_port, what, bytes, ms,
			kbit_per_s, c->received, c->first);
		c->pcb = NULL;
	} else {
		kprintf("iperf: %u.%u.%u.%u:%u %s bytes=%u ms=%u kbit/s=%u\n",
			r[0], r[1], r[2], r[3], remote_port, what, bytes, ms,
			kbit_per_s);
	}
}

/* lwIP's receive callback of a counted connection, then lwiperf's. */
static err_t iperf_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct iperf_conn *c = iperf_conn_of_pcb(pcb);

	if (c && p && err == ERR_OK) {
		if (!c->received)
			c->first = p->tot_len;
		c->received += p->tot_len;
	}
	return lwiperf_recv(arg, pcb, p, err);
}

/* lwiperf's accept, then our counting in front of its receive. */
static err_t iperf_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct iperf_conn *c;
	err_t rc = lwiperf_accept(arg, pcb, err);

	if (rc != ERR_OK || !pcb || !pcb->recv)
		return rc;
	c = iperf_conn_of_pcb(NULL);
	if (!c)
		return rc;
	lwiperf_recv = pcb->recv;
	*c = (struct iperf_conn){ .pcb = pcb, .port = pcb->remote_port };
	ip_addr_copy(c->remote, pcb->remote_ip);
	tcp_recv(pcb, iperf_recv);
	return rc;
}

static int iperf_start(void)
{
	struct tcp_pcb_listen *l;
	void *server;
	int rc;

	rc = lwip_app_wait_up();
	if (rc)
		return rc;
	lwip_core_lock();
	server = lwiperf_start_tcp_server_default(iperf_report, NULL);
	for (l = tcp_listen_pcbs.listen_pcbs; server && l; l = l->next) {
		if (l->local_port == LWIPERF_TCP_PORT_DEFAULT && l->accept) {
			lwiperf_accept = l->accept;
			tcp_accept((struct tcp_pcb *)l, iperf_accept);
			break;
		}
	}
	lwip_core_unlock();
	return server ? 0 : -ENOMEM;
}
APP_SERVICE(iperf, "iperf", iperf_start);
