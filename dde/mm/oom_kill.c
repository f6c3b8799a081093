// SPDX-License-Identifier: GPL-2.0-only
/*
 * The OOM notifier chain (Linux: mm/oom_kill.c), which rcutorture's
 * forward-progress test joins so that it can give memory back when Linux
 * runs out. ddeos has no OOM killer: an allocation the pool cannot serve
 * fails, and nothing calls this chain. Registering is still real, so a
 * caller's unregister finds what it registered.
 */
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/oom.h>

/* A raw chain under a mutex: blocking chains need an rw_semaphore. */
static RAW_NOTIFIER_HEAD(oom_notify_list);
static DEFINE_MUTEX(oom_notify_mutex);

int register_oom_notifier(struct notifier_block *nb)
{
	int ret;

	mutex_lock(&oom_notify_mutex);
	ret = raw_notifier_chain_register(&oom_notify_list, nb);
	mutex_unlock(&oom_notify_mutex);
	return ret;
}

int unregister_oom_notifier(struct notifier_block *nb)
{
	int ret;

	mutex_lock(&oom_notify_mutex);
	ret = raw_notifier_chain_unregister(&oom_notify_list, nb);
	mutex_unlock(&oom_notify_mutex);
	return ret;
}
