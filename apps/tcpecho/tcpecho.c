// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcpecho: RFC 862's echo service on TCP port 7, on lwIP's raw API. What a
 * connection receives is written back as the send buffer allows; the
 * receive window is opened (tcp_recved()) only for bytes written back, so
 * a client that does not read is slowed down instead of filling memory.
 * Everything runs in lwIP's callbacks, under the core lock.
 */
#include <ddeos/app.h>
#include <ddeos/errno.h>
#include "lwip/tcp.h"
#include "lwip_port.h"

#define ECHO_PORT	7

struct echo_conn {
	struct tcp_pcb *pcb;
	struct pbuf *pending;	/* received, not yet written back */
	u16_t offset;		/* into pending's first pbuf */
	bool closing;		/* the peer closed its side */
};

static void echo_free(struct echo_conn *c)
{
	if (c->pending)
		pbuf_free(c->pending);
	mem_free(c);
}

static void echo_close(struct echo_conn *c)
{
	struct tcp_pcb *pcb = c->pcb;

	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	echo_free(c);
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

/* Write back what fits; the rest waits for the sent callback. */
static void echo_flush(struct echo_conn *c)
{
	while (c->pending) {
		struct pbuf *q = c->pending;
		u16_t n = (u16_t)(q->len - c->offset);

		if (n > tcp_sndbuf(c->pcb))
			n = tcp_sndbuf(c->pcb);
		if (n) {
			if (tcp_write(c->pcb, (u8_t *)q->payload + c->offset, n,
				      TCP_WRITE_FLAG_COPY) != ERR_OK)
				break;
			c->offset = (u16_t)(c->offset + n);
			tcp_recved(c->pcb, n);
		}
		if (c->offset < q->len)
			break;
		/* Detach the head: keep the rest alive across its free. */
		c->pending = q->next;
		if (c->pending)
			pbuf_ref(c->pending);
		pbuf_free(q);
		c->offset = 0;
	}
	tcp_output(c->pcb);
	if (!c->pending && c->closing)
		echo_close(c);
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct echo_conn *c = arg;

	if (!p) {
		c->closing = true;
		echo_flush(c);
		return ERR_OK;
	}
	if (c->pending)
		pbuf_cat(c->pending, p);
	else
		c->pending = p;
	echo_flush(c);
	return ERR_OK;
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	echo_flush(arg);
	return ERR_OK;
}

/* The pcb is already gone (reset, or lwIP ran out of memory). */
static void echo_err(void *arg, err_t err)
{
	if (arg)
		echo_free(arg);
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct echo_conn *c;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	c = mem_calloc(1, sizeof(*c));
	if (!c) {
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	c->pcb = pcb;
	tcp_arg(pcb, c);
	tcp_recv(pcb, echo_recv);
	tcp_sent(pcb, echo_sent);
	tcp_err(pcb, echo_err);
	tcp_nagle_disable(pcb);	/* an echo is a reply: send it now */
	return ERR_OK;
}

static int tcpecho_start(void)
{
	struct tcp_pcb *pcb, *lpcb;
	int rc = 0;

	rc = lwip_app_wait_up();
	if (rc)
		return rc;
	lwip_core_lock();
	pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);
	if (!pcb) {
		rc = -ENOMEM;
	} else if (tcp_bind(pcb, IP_ANY_TYPE, ECHO_PORT) != ERR_OK) {
		tcp_abort(pcb);
		rc = -EBUSY;
	} else if (!(lpcb = tcp_listen(pcb))) {
		tcp_abort(pcb);
		rc = -ENOMEM;
	} else {
		tcp_accept(lpcb, echo_accept);
	}
	lwip_core_unlock();
	return rc;
}
APP_SERVICE(tcpecho, "tcpecho", tcpecho_start);
