// SPDX-License-Identifier: GPL-2.0-only
/*
 * Powering off on request (Linux: kernel/reboot.c): the reboot notifier
 * chain and kernel_power_off(), which the torture tests call when their
 * shutdown_secs= run is over. Differences: there is no device_shutdown()
 * and no syscore step (ddeos stops the machine as a whole), and the power
 * off itself is done by the ddeos main thread, which waits for it in
 * dde_power_off_wait() and judges the run before stopping the machine; a
 * kernel_power_off() nobody waits for stops ddeos with a failure, since no
 * one is left to say whether the run went well.
 */
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <dde/dde.h>

/*
 * Linux's reboot_notifier_list is a blocking chain, which needs an
 * rw_semaphore the DDE does not offer yet: a raw chain under a mutex has
 * the same semantics for its few, sleeping users.
 */
static RAW_NOTIFIER_HEAD(reboot_chain);
static DEFINE_MUTEX(reboot_chain_mutex);
static DECLARE_COMPLETION(power_off_requested);
static bool power_off_waiter;

int register_reboot_notifier(struct notifier_block *nb)
{
	int ret;

	mutex_lock(&reboot_chain_mutex);
	ret = raw_notifier_chain_register(&reboot_chain, nb);
	mutex_unlock(&reboot_chain_mutex);
	return ret;
}

int unregister_reboot_notifier(struct notifier_block *nb)
{
	int ret;

	mutex_lock(&reboot_chain_mutex);
	ret = raw_notifier_chain_unregister(&reboot_chain, nb);
	mutex_unlock(&reboot_chain_mutex);
	return ret;
}

/**
 * kernel_power_off - power the machine off, after telling the notifiers
 *
 * Context: thread, may sleep. Does not return.
 */
void kernel_power_off(void)
{
	mutex_lock(&reboot_chain_mutex);
	raw_notifier_call_chain(&reboot_chain, SYS_POWER_OFF, NULL);
	mutex_unlock(&reboot_chain_mutex);
	system_state = SYSTEM_POWER_OFF;
	pr_emerg("Power down\n");
	if (!READ_ONCE(power_off_waiter))
		ddeos_panic("kernel_power_off: no one waits to judge the run");
	complete(&power_off_requested);
	for (;;)	/* the main thread stops every CPU */
		schedule_timeout_uninterruptible(MAX_SCHEDULE_TIMEOUT);
}

/**
 * dde_power_off_expect - say that the main thread will wait for a power off
 *
 * Called before the code that may power off starts, so that its
 * kernel_power_off() finds a waiter whenever it comes.
 *
 * Context: the main thread.
 */
void dde_power_off_expect(void)
{
	WRITE_ONCE(power_off_waiter, true);
}

/**
 * dde_power_off_wait - wait until Linux code calls kernel_power_off()
 *
 * Context: the main thread, after dde_power_off_expect(); may sleep.
 */
void dde_power_off_wait(void)
{
	wait_for_completion(&power_off_requested);
}
