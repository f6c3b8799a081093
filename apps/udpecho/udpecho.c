// SPDX-License-Identifier: GPL-2.0-only
/*
 * udpecho: RFC 862's echo service on UDP port 7, on lwIP's raw API. Each
 * datagram goes back to its sender as it came, from the NET_RX softirq
 * that received it (lwIP's callbacks run under the core lock), so an echo
 * costs no thread switch.
 */
#include <ddeos/app.h>
#include <ddeos/errno.h>
#include "lwip/udp.h"
#include "lwip_port.h"

#define ECHO_PORT	7

static unsigned long udpecho_count, udpecho_failed;	/* under the core lock */

static void udpecho_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			 const ip_addr_t *addr, u16_t port)
{
	if (udp_sendto(pcb, p, addr, port) == ERR_OK)
		udpecho_count++;
	else
		udpecho_failed++;
	pbuf_free(p);
}

static int udpecho_start(void)
{
	struct udp_pcb *pcb;
	int rc = 0;

	rc = lwip_app_wait_up();
	if (rc)
		return rc;
	lwip_core_lock();
	pcb = udp_new();
	if (!pcb) {
		rc = -ENOMEM;
	} else if (udp_bind(pcb, IP_ANY_TYPE, ECHO_PORT) != ERR_OK) {
		udp_remove(pcb);
		rc = -EBUSY;
	} else {
		udp_recv(pcb, udpecho_recv, NULL);
	}
	lwip_core_unlock();
	return rc;
}
APP_SERVICE(udpecho, "udpecho", udpecho_start);
