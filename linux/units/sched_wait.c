// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's wait queues, simple wait queues and completions, compiled
 * unmodified: kernel/sched/wait.c, swait.c and completion.c. Linux builds
 * them only inside kernel/sched/build_utility.c, with the rest of the
 * scheduler; this unit gives them the headers that file would have
 * included before them, and nothing else. What they call beneath
 * (schedule, schedule_timeout, try_to_wake_up) is the DDE's
 * (dde/kernel/sched/core.c).
 */
#include <linux/sched/cputime.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/completion.h>
#include <linux/swait_api.h>
#include <linux/wait_api.h>

#include "kernel/sched/sched.h"

#include "kernel/sched/wait.c"
#include "kernel/sched/swait.c"
#include "kernel/sched/completion.c"
