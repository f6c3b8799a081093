// SPDX-License-Identifier: GPL-2.0-only
/*
 * Polled grace periods and the grace-period numbers rcutorture reads
 * (Linux: the get_state/start_poll/poll_state/cond_synchronize_rcu*()
 * family and rcutorture_get_gp_data() of kernel/rcu/tree.c), on the DDE's
 * RCU (rcu.c), whose rcu_gp_seq uses Linux's gp_seq encoding. A cookie is
 * the value rcu_gp_seq reaches once a full grace period has elapsed after
 * it was taken (Linux's rcu_seq_snap()). Differences: an expedited grace
 * period is a normal one here, so the _exp and _full variants read the
 * same sequence; there are no stall warnings, no forced quiescent-state
 * scans and no priority boosting, so the hooks rcutorture uses to steer
 * those are not offered (dde/unsupported.list).
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/rcutree.h>
#include <dde/dde.h>

/* Linux's RCU_GET_STATE_COMPLETED (kernel/rcu/rcu.h): a cookie already done. */
#define GET_STATE_COMPLETED	0x1UL

/* rcu_seq_snap(): the value after the next full grace period from now. */
static unsigned long seq_snap(void)
{
	unsigned long s = dde_rcu_gp_seq();

	return (s + 2 * DDE_RCU_SEQ_STATE_MASK + 1) & ~DDE_RCU_SEQ_STATE_MASK;
}

static bool seq_done(unsigned long cookie)
{
	if (cookie == GET_STATE_COMPLETED ||
	    ULONG_CMP_GE(dde_rcu_gp_seq(), cookie)) {
		smp_mb();	/* the grace period before the caller's frees */
		return true;
	}
	return false;
}

unsigned long get_state_synchronize_rcu(void)
{
	return seq_snap();
}

unsigned long start_poll_synchronize_rcu(void)
{
	unsigned long cookie = seq_snap();

	dde_rcu_want_gp(cookie);
	return cookie;
}

unsigned long start_poll_synchronize_rcu_expedited(void)
{
	return start_poll_synchronize_rcu();
}

bool poll_state_synchronize_rcu(unsigned long oldstate)
{
	return seq_done(oldstate);
}

void cond_synchronize_rcu(unsigned long oldstate)
{
	if (!poll_state_synchronize_rcu(oldstate))
		synchronize_rcu();
}

void cond_synchronize_rcu_expedited(unsigned long oldstate)
{
	if (!poll_state_synchronize_rcu(oldstate))
		synchronize_rcu_expedited();
}

unsigned long get_completed_synchronize_rcu(void)
{
	return GET_STATE_COMPLETED;
}

/* The _full variants: a normal and an expedited cookie, the same here. */
void get_state_synchronize_rcu_full(struct rcu_gp_oldstate *rgosp)
{
	rgosp->rgos_norm = seq_snap();
	rgosp->rgos_exp = rgosp->rgos_norm;
}

void start_poll_synchronize_rcu_full(struct rcu_gp_oldstate *rgosp)
{
	get_state_synchronize_rcu_full(rgosp);
	dde_rcu_want_gp(rgosp->rgos_norm);
}

void start_poll_synchronize_rcu_expedited_full(struct rcu_gp_oldstate *rgosp)
{
	start_poll_synchronize_rcu_full(rgosp);
}

bool poll_state_synchronize_rcu_full(struct rcu_gp_oldstate *rgosp)
{
	return seq_done(rgosp->rgos_norm) || seq_done(rgosp->rgos_exp);
}

void cond_synchronize_rcu_full(struct rcu_gp_oldstate *rgosp)
{
	if (!poll_state_synchronize_rcu_full(rgosp))
		synchronize_rcu();
}

void cond_synchronize_rcu_expedited_full(struct rcu_gp_oldstate *rgosp)
{
	if (!poll_state_synchronize_rcu_full(rgosp))
		synchronize_rcu_expedited();
}

void get_completed_synchronize_rcu_full(struct rcu_gp_oldstate *rgosp)
{
	rgosp->rgos_norm = GET_STATE_COMPLETED;
	rgosp->rgos_exp = GET_STATE_COMPLETED;
}

/* ---- what rcutorture reads (kernel/rcu/rcu.h's non-tiny declarations) ---- */

unsigned long rcu_get_gp_seq(void)
{
	return dde_rcu_gp_seq();
}

/* For rcutorture's statistics: the flags of tree RCU's gp kthread (none). */
void rcutorture_get_gp_data(int test_type, int *flags,
			    unsigned long *gp_seq)
{
	*flags = 0;
	*gp_seq = dde_rcu_gp_seq();
}

/* A tracepoint hook (kernel/rcu/update.c): there are no tracepoints here. */
void do_trace_rcu_torture_read(const char *rcutorturename,
			       struct rcu_head *rhp, unsigned long secs,
			       unsigned long c_old, unsigned long c)
{
}

/*
 * No stall detector: these exist for code that reads or sets them (the
 * stall timeout bounds rcutorture's forward-progress test, as on Linux),
 * and no warning is ever printed, whatever their values.
 */
int rcu_cpu_stall_suppress;
int rcu_cpu_stall_suppress_at_boot;

int rcu_jiffies_till_stall_check(void)
{
	return CONFIG_RCU_CPU_STALL_TIMEOUT * HZ;
}

/* No dyntick-idle or user mode: every CPU is always watched by RCU. */
bool rcu_is_watching(void)
{
	return true;
}

/* The grace periods have no debugging delays for these to suppress. */
static atomic_t *rcu_gp_slow_suppress;

void rcu_gp_slow_register(atomic_t *rgssp)
{
	WARN_ON_ONCE(rcu_gp_slow_suppress);
	WRITE_ONCE(rcu_gp_slow_suppress, rgssp);
}

void rcu_gp_slow_unregister(atomic_t *rgssp)
{
	WARN_ON_ONCE(rgssp && rgssp != rcu_gp_slow_suppress &&
		     rcu_gp_slow_suppress);
	WRITE_ONCE(rcu_gp_slow_suppress, NULL);
}

/* The rcu_gp thread runs at normal priority. */
int rcu_get_gp_kthreads_prio(void)
{
	return 0;
}

/* Diagnostics rcutorture prints when grace periods stop advancing. */
void show_rcu_gp_kthreads(void)
{
	pr_info("rcu: gp_seq %lu (%lu grace periods done)\n",
		dde_rcu_gp_seq(), dde_rcu_grace_periods());
}

void rcu_fwd_progress_check(unsigned long j)
{
	pr_info("rcu: forward progress check after %lu jiffies: gp_seq %lu\n",
		j, dde_rcu_gp_seq());
}

/*
 * rcu_expedite_gp() and friends (kernel/rcu/update.c): the nesting is kept
 * for whoever asks, but an expedited grace period is a normal one here.
 */
static atomic_t rcu_expedited_nesting;

void rcu_expedite_gp(void)
{
	atomic_inc(&rcu_expedited_nesting);
}

void rcu_unexpedite_gp(void)
{
	atomic_dec(&rcu_expedited_nesting);
}

bool rcu_gp_is_expedited(void)
{
	return atomic_read(&rcu_expedited_nesting);
}

/* rcupdate.rcu_normal= is not offered: expedited requests are honoured. */
bool rcu_gp_is_normal(void)
{
	return false;
}

/*
 * SRCU's statistics hook (kernel/rcu/srcutree.c), which rcutorture calls
 * for every torture type: like Linux's, it answers nothing for a type
 * other than SRCU's (SRCU_FLAVOR, 5 in kernel/rcu/rcu.h); the DDE has no
 * SRCU, so an SRCU type is stopped loudly.
 */
void srcutorture_get_gp_data(int test_type, void *sp, int *flags,
			     unsigned long *gp_seq)
{
	if (test_type != 5)
		return;
	dde_unsupported("srcutorture_get_gp_data", __builtin_return_address(0), 1);
}
