// SPDX-License-Identifier: GPL-2.0-only
/*
 * A QEMU TCG plugin that counts the guest instructions executed, split
 * into the upper half of the address space (the guest kernel: Linux's
 * kernel and all of ddeos) and the lower half (Linux's user space: fio).
 * bench/blk-profile loads it to count instructions per I/O. Built against
 * qemu-plugin.h from Debian's own qemu source package (never committed).
 *
 * Counting is an inline add per translated block entered, of the block's
 * instruction count: a block left early (an exception, an I/O access that
 * ends it) still counts whole, so the figures are upper bounds within a
 * few percent. The adds are not atomic: load it with one vCPU only.
 *
 * Argument: out=FILE. A thread appends "MONOTONIC_NS KERNEL USER" to it
 * every 10 ms, and once more when QEMU exits, so that the counts can be
 * read for any window of time (bench/blk-profile interpolates them at the
 * moments the guest prints its start and end lines).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t insns_kernel;
static uint64_t insns_user;
static char out_path[4096];
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t *counter = (qemu_plugin_tb_vaddr(tb) >> 63) ? &insns_kernel
							     : &insns_user;

	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 counter,
						 qemu_plugin_tb_n_insns(tb));
}

/* One sample; the counters are read without the vCPU's help (a torn read
 * is impossible for aligned 64-bit words on x86_64). */
static void sample(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	pthread_mutex_lock(&out_lock);
	if (out) {
		fprintf(out, "%lld %" PRIu64 " %" PRIu64 "\n",
			(long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
			__atomic_load_n(&insns_kernel, __ATOMIC_RELAXED),
			__atomic_load_n(&insns_user, __ATOMIC_RELAXED));
		fflush(out);
	}
	pthread_mutex_unlock(&out_lock);
}

static void *sampler(void *arg)
{
	const struct timespec period = { 0, 10 * 1000 * 1000 };

	for (;;) {
		sample();
		nanosleep(&period, NULL);
	}
	return NULL;
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	sample();
	pthread_mutex_lock(&out_lock);
	fclose(out);
	out = NULL;
	pthread_mutex_unlock(&out_lock);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	pthread_t thread;
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			snprintf(out_path, sizeof(out_path), "%s", argv[i] + 4);
	if (!out_path[0] || info->system.smp_vcpus != 1) {
		qemu_plugin_outs("insn_split: needs out=FILE and one vCPU\n");
		return -1;
	}
	out = fopen(out_path, "w");
	if (!out) {
		qemu_plugin_outs("insn_split: cannot write the output file\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	pthread_create(&thread, NULL, sampler, NULL);
	return 0;
}
