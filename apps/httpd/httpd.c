// SPDX-License-Identifier: GPL-2.0-only
/*
 * httpd: lwIP's own HTTP server (lwIP's src/apps/http) on TCP port 80,
 * serving one status page generated per request: the devices the drivers
 * bound (the boot's `device:` lines), each interface's counters and its
 * driver's per-queue counts, the drivers' interrupts and the memory pool.
 * lwIP asks for the page in its receive callback under the core lock, so
 * building it must not sleep: the pool is read as a snapshot, not drained.
 */
#include <ddeos/app.h>
#include <ddeos/devices.h>
#include <ddeos/errno.h>
#include <ddeos/fmt.h>
#include <ddeos/mm.h>
#include <ddeos/net.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>
#include "lwip/apps/fs.h"
#include "lwip/apps/httpd.h"
#include "lwip/mem.h"
#include "lwip_port.h"

/* Enough for eight queue pairs' driver counters; a longer page is cut
 * and says so. */
#define PAGE_MAX	16384

struct page {
	char *buf;
	size_t len;
	bool full;
};

static void __printf(2, 3) out(struct page *pg, const char *fmt, ...)
{
	static const char cut[] = "\n[page truncated]\n";
	size_t room = PAGE_MAX - sizeof(cut) - pg->len;
	va_list ap;
	int n;

	if (pg->full)
		return;
	va_start(ap, fmt);
	n = fmt_vsnprintf(pg->buf + pg->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		memcpy(pg->buf + pg->len, cut, sizeof(cut) - 1);
		pg->len += sizeof(cut) - 1;
		pg->full = true;
		return;
	}
	pg->len += n;
}

static void put_driver_stat(void *arg, const char *name, uint64_t value)
{
	out(arg, "  %s=%llu\n", name, (unsigned long long)value);
}

static void put_irq(void *arg, unsigned int irq, const char *name,
		    unsigned int cpu, uint64_t count)
{
	out(arg, "irq=%u name=%s cpu=%u count=%llu\n", irq, name, cpu,
	    (unsigned long long)count);
}

static void put_interfaces(struct page *pg)
{
	unsigned int i;

	for (i = 0; i < net_if_count(); i++) {
		struct net_if *ifp = net_if_get(i);
		struct net_if_stats s;
		uint8_t mac[NET_ETH_ALEN];

		net_if_mac(ifp, mac);
		net_if_get_stats(ifp, &s);
		out(pg, "%s mac=%02x:%02x:%02x:%02x:%02x:%02x mtu=%u link=%s\n",
		    net_if_name(ifp), mac[0], mac[1], mac[2], mac[3], mac[4],
		    mac[5], net_if_mtu(ifp), net_if_link_up(ifp) ? "up" : "down");
		out(pg, "  rx=%llu rx_bytes=%llu rx_unclaimed=%llu rx_dropped=%llu\n",
		    (unsigned long long)s.rx_frames, (unsigned long long)s.rx_bytes,
		    (unsigned long long)s.rx_unclaimed,
		    (unsigned long long)s.rx_dropped);
		out(pg, "  tx=%llu tx_bytes=%llu tx_busy=%llu tx_errors=%llu link_changes=%llu\n",
		    (unsigned long long)s.tx_frames, (unsigned long long)s.tx_bytes,
		    (unsigned long long)s.tx_busy, (unsigned long long)s.tx_errors,
		    (unsigned long long)s.link_changes);
		out(pg, " driver counters (ethtool -S):\n");
		if (net_if_driver_stats(ifp, put_driver_stat, pg) < 0)
			out(pg, "  (out of memory)\n");
	}
}

static void put_pool(struct page *pg)
{
	struct pool_boot_stats ps;
	struct net_frame_stats fs;
	unsigned int cpu;

	pool_boot_stats(&ps);
	out(pg, "pages_total=%llu pages_free=%llu pages_slab=%llu objects_in_use=%llu remote_in_flight=%llu\n",
	    (unsigned long long)ps.pages_total, (unsigned long long)ps.pages_free,
	    (unsigned long long)ps.pages_slab,
	    (unsigned long long)ps.objects_in_use,
	    (unsigned long long)ps.remote_in_flight);
	for (cpu = 0; cpu < smp_cpus_online(); cpu++)
		out(pg, "remote_frees.cpu%u=%llu\n", cpu,
		    (unsigned long long)pool_boot_remote_frees(cpu));
	net_frame_stats(&fs);
	out(pg, "rx_frames given=%llu released=%llu released_remote=%llu split=%llu linearized=%llu\n",
	    (unsigned long long)fs.given, (unsigned long long)fs.released,
	    (unsigned long long)fs.released_remote,
	    (unsigned long long)fs.split, (unsigned long long)fs.linearized);
}

static void status_page(struct page *pg)
{
	const char *line;
	unsigned int i;

	out(pg, "<!DOCTYPE html>\n<html><head><title>ddeos</title></head><body>\n"
		"<h1>ddeos</h1>\n<pre>\ncpus=%u uptime_ms=%llu\n",
	    smp_cpus_online(), (unsigned long long)(clock_ns() / 1000000));
	for (i = 0; i < smp_cpus_online(); i++) {
		uint64_t polls, hits, found, ended;

		sched_idle_poll_stats(i, &polls, &hits);
		net_napi_idle_stats(i, &found, &ended);
		out(pg, "idle_poll.cpu%u.polls=%llu idle_poll.cpu%u.hits=%llu "
			"napi_idle.cpu%u.found=%llu napi_idle.cpu%u.ended=%llu\n", i,
		    (unsigned long long)polls, i, (unsigned long long)hits,
		    i, (unsigned long long)found, i, (unsigned long long)ended);
	}
	out(pg, "</pre>\n<h2>Devices</h2>\n<pre>\n");
	for (i = 0; (line = devices_line(i)); i++)
		out(pg, "%s\n", line);
	out(pg, "</pre>\n<h2>Interfaces</h2>\n<pre>\n");
	put_interfaces(pg);
	out(pg, "</pre>\n<h2>Interrupts</h2>\n<pre>\n");
	devices_for_each_irq(put_irq, pg);
	out(pg, "</pre>\n<h2>Memory pool</h2>\n<pre>\n");
	put_pool(pg);
	out(pg, "</pre>\n</body></html>\n");
}

/*
 * lwIP's httpd opens a file: "/" arrives as "/index.html" (after lwIP
 * tried the .shtml names), a miss as "/404.html". Return: 1 if served
 * (file->data set, freed in fs_close_custom()), 0 for "no such file".
 * Context: NET_RX softirq, core lock held: must not sleep.
 */
int fs_open_custom(struct fs_file *file, const char *name)
{
	struct page pg = { 0 };

	if (string_cmp(name, "/index.html") && string_cmp(name, "/404.html"))
		return 0;
	pg.buf = mem_malloc(PAGE_MAX);
	if (!pg.buf)
		return 0;
	if (!string_cmp(name, "/index.html"))
		status_page(&pg);
	else
		out(&pg, "<!DOCTYPE html>\n<html><body><p>Not found: this "
			 "server has one page, <a href=\"/\">/</a>.</p></body></html>\n");
	file->data = pg.buf;
	file->len = (int)pg.len;
	file->index = (int)pg.len;
	file->pextension = NULL;
	/* Persistent: httpd adds a Content-Length, the whole page is here. */
	file->flags = FS_FILE_FLAGS_HEADER_PERSISTENT;
	return 1;
}

void fs_close_custom(struct fs_file *file)
{
	mem_free((void *)file->data);
}

static int httpd_start(void)
{
	int rc = lwip_app_wait_up();

	if (rc)
		return rc;
	lwip_core_lock();
	httpd_init();
	lwip_core_unlock();
	return 0;
}
APP_SERVICE(httpd, "httpd", httpd_start);
