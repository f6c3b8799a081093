// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system workqueues (Linux: kernel/workqueue.c). They are created when
 * workqueues arrive with the driver issue; until then they are NULL and
 * every queueing function is an unsupported entry that reports itself, so
 * no work can be queued silently.
 */
#include <linux/workqueue.h>

struct workqueue_struct *system_wq __read_mostly;
struct workqueue_struct *system_unbound_wq __read_mostly;
