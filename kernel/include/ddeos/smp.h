/* SPDX-License-Identifier: GPL-2.0-only */
/* CPUs: how many are online, and running a function on another CPU. */
#ifndef DDEOS_SMP_H
#define DDEOS_SMP_H

#include <ddeos/dlist.h>
#include <ddeos/types.h>

unsigned int smp_cpus_online(void);
void smp_set_cpu_online(unsigned int cpu);

struct smp_call {
	struct dlist node;
	void (*fn)(void *arg);
	void *arg;
	bool done;
};

/*
 * Run fn(arg) on @cpu in hard-IRQ context (an IPI), and wait until it ran.
 * Return: 0, or -EINVAL for an offline CPU.
 * Context: thread or preempt-off with IRQs on (the target may be us).
 */
int smp_run_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);
void smp_init(void);

#endif
