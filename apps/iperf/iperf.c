// SPDX-License-Identifier: GPL-2.0-only
/*
 * iperf: lwIP's own iperf 2 server (lwIP's src/apps/lwiperf) on TCP port
 * 5001, for `iperf -c` (Debian's iperf 2) from the host. lwiperf runs in
 * lwIP's callbacks under the core lock; this file starts it and prints a
 * line per finished test from its report callback.
 */
#include <ddeos/app.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include "lwip/apps/lwiperf.h"
#include "lwip/ip_addr.h"
#include "lwip_port.h"

static const char *const iperf_results[] = {
	[LWIPERF_TCP_DONE_SERVER] = "done",
	[LWIPERF_TCP_DONE_CLIENT] = "done (client)",
	[LWIPERF_TCP_ABORTED_LOCAL] = "aborted here",
	[LWIPERF_TCP_ABORTED_LOCAL_DATAERROR] = "aborted here: bad data",
	[LWIPERF_TCP_ABORTED_LOCAL_TXERROR] = "aborted here: send error",
	[LWIPERF_TCP_ABORTED_REMOTE] = "aborted by the client",
};

/* Under the core lock, in whatever context lwIP finished the test. */
static void iperf_report(void *arg, enum lwiperf_report_type type,
			 const ip_addr_t *local, u16_t local_port,
			 const ip_addr_t *remote, u16_t remote_port,
			 u32_t bytes, u32_t ms, u32_t kbit_per_s)
{
	const u8_t *r = (const u8_t *)&ip_2_ip4(remote)->addr;
	const char *what = (unsigned int)type < sizeof(iperf_results) / sizeof(iperf_results[0])
		? iperf_results[type] : "unknown";

	kprintf("iperf: %u.%u.%u.%u:%u %s bytes=%u ms=%u kbit/s=%u\n",
		r[0], r[1], r[2], r[3], remote_port, what, bytes, ms, kbit_per_s);
}

static int iperf_start(void)
{
	void *server;
	int rc;

	rc = lwip_app_wait_up();
	if (rc)
		return rc;
	lwip_core_lock();
	server = lwiperf_start_tcp_server_default(iperf_report, NULL);
	lwip_core_unlock();
	return server ? 0 : -ENOMEM;
}
APP_SERVICE(iperf, "iperf", iperf_start);
