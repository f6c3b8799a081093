/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hooks lwipopts.h gives lwIP (LWIP_HOOK_FILENAME: lwIP's sources that
 * call hooks include this file). Each is a port function named in
 * lwipopts.h's LWIP_HOOK_* macro; lwIP's src/include/lwip/opt.h documents
 * when lwIP calls them.
 */
#ifndef DDEOS_LWIP_HOOKS_H
#define DDEOS_LWIP_HOOKS_H

#include "lwip/err.h"

struct pbuf;
struct tcp_pcb;

/*
 * lwip_port_tcp_in - LWIP_HOOK_TCP_INPACKET_PCB (net/lwip/tcp_ack.c)
 * @pcb: the connection (or a listening or TIME-WAIT one) the segment is for
 * @p: the segment's data (TCP header removed)
 *
 * Defers the ACK for in-order data to the end of the receive batch.
 * Context: lwIP's tcp_input(), core lock held. Return: ERR_OK (never drops).
 */
err_t lwip_port_tcp_in(struct tcp_pcb *pcb, struct pbuf *p);

#endif
