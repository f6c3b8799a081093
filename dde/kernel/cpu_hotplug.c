// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug locking (Linux: kernel/cpu.c). ddeos never takes a CPU
 * offline or brings one up after the DDE starts, so the set of online CPUs
 * cannot change under a reader: holding the read side is a deliberate
 * no-op, and correct for exactly that reason.
 */
#include <linux/cpu.h>

void cpus_read_lock(void)
{
}

void cpus_read_unlock(void)
{
}

/*
 * cpu_hotplug_disable()/enable() nest as Linux's (kernel/cpu.c): the count
 * says how many callers want the CPU set frozen. Nothing here could change
 * it anyway; the count only catches an enable without its disable, which
 * Linux WARNs about too.
 * Context: thread.
 */
static atomic_t cpu_hotplug_disabled = ATOMIC_INIT(0);

void cpu_hotplug_disable(void)
{
	atomic_inc(&cpu_hotplug_disabled);
}

void cpu_hotplug_enable(void)
{
	WARN(atomic_dec_if_positive(&cpu_hotplug_disabled) < 0,
	     "Unbalanced cpu hotplug enable\n");
}

/* Without lockdep there is nothing to assert against. */
void lockdep_assert_cpus_held(void)
{
}

/*
 * Hotplug state callbacks (Linux: kernel/cpu.c, cpuhp_*). CPUs only ever
 * come up before the DDE starts, so a state's startup callback runs once
 * for each online CPU when it is installed (or an instance added) with
 * "invoke", on that CPU, in thread context; teardown runs the same way when
 * it is removed. A failed startup is rolled back on the CPUs done so far
 * and its error returned, as Linux does. Dynamic states (CPUHP_*_DYN) get
 * numbers from their ranges; their number is what setup returns.
 */
#include <linux/cpuhotplug.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <dde/dde.h>
#include <dde/task.h>

/* Multi-instance callbacks take the instance too; Linux passes them cast
 * to the single kind, and so does its API: the union turns them back. */
union cpuhp_cb {
	int (*single)(unsigned int cpu);
	int (*multi)(unsigned int cpu, struct hlist_node *node);
};

struct cpuhp_slot {
	const char *name;
	union cpuhp_cb startup, teardown;
	bool multi;
	struct hlist_head instances;
};

static struct cpuhp_slot cpuhp_slots[CPUHP_ONLINE + 1];
static DEFINE_MUTEX(cpuhp_lock);

/* Run the callback of @s for @cpu, on @cpu; @node for multi-instance. */
static int cpuhp_call(struct cpuhp_slot *s, bool up, unsigned int cpu,
		      struct hlist_node *node)
{
	union cpuhp_cb cb = up ? s->startup : s->teardown;
	int ret;

	if (!cb.single)
		return 0;
	dde_move_current(cpu);
	ret = s->multi ? cb.multi(cpu, node) : cb.single(cpu);
	dde_move_current(-1);
	return ret;
}

/* Teardown on the online CPUs below @end (all: nr_cpu_ids). */
static void cpuhp_all_down(struct cpuhp_slot *s, struct hlist_node *node,
			   unsigned int end)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu < end)
			cpuhp_call(s, false, cpu, node);
}

/* Startup on every online CPU; on failure, teardown where it had run. */
static int cpuhp_all_up(struct cpuhp_slot *s, struct hlist_node *node)
{
	unsigned int cpu;
	int ret;

	for_each_online_cpu(cpu) {
		ret = cpuhp_call(s, true, cpu, node);
		if (ret) {
			cpuhp_all_down(s, node, cpu);
			return ret;
		}
	}
	return 0;
}

static int cpuhp_pick(enum cpuhp_state state)
{
	int first, last, i;

	if (state == CPUHP_AP_ONLINE_DYN) {
		first = CPUHP_AP_ONLINE_DYN;
		last = CPUHP_AP_ONLINE_DYN_END;
	} else if (state == CPUHP_BP_PREPARE_DYN) {
		first = CPUHP_BP_PREPARE_DYN;
		last = CPUHP_BP_PREPARE_DYN_END;
	} else {
		return state <= CPUHP_OFFLINE || state > CPUHP_ONLINE ? -EINVAL : state;
	}
	for (i = first; i <= last; i++)
		if (!cpuhp_slots[i].name)
			return i;
	return -ENOSPC;
}

int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
			int (*startup)(unsigned int cpu),
			int (*teardown)(unsigned int cpu), bool multi_instance)
{
	struct cpuhp_slot *s;
	int st, ret = 0;

	might_sleep();
	mutex_lock(&cpuhp_lock);
	st = cpuhp_pick(state);
	if (st < 0 || cpuhp_slots[st].name) {
		ret = st < 0 ? st : -EBUSY;
		pr_err("cpuhp_setup_state(%s): no state %d (%d), from %pS\n", name,
		       state, ret, __builtin_return_address(0));
		goto out;
	}
	s = &cpuhp_slots[st];
	*s = (struct cpuhp_slot){ .name = name, .startup.single = startup,
				  .teardown.single = teardown, .multi = multi_instance };
	INIT_HLIST_HEAD(&s->instances);
	if (invoke && !multi_instance)
		ret = cpuhp_all_up(s, NULL);
	if (ret)
		s->name = NULL;
	else if (state == CPUHP_AP_ONLINE_DYN || state == CPUHP_BP_PREPARE_DYN)
		ret = st;	/* the dynamic state's number (the first is the
				 * asked value itself: Linux returns it too) */
out:
	mutex_unlock(&cpuhp_lock);
	return ret;
}

int __cpuhp_state_add_instance(enum cpuhp_state state, struct hlist_node *node,
			       bool invoke)
{
	struct cpuhp_slot *s = &cpuhp_slots[state];
	int ret = 0;

	mutex_lock(&cpuhp_lock);
	if (!s->name || !s->multi) {
		ret = -EINVAL;
		goto out;
	}
	if (invoke)
		ret = cpuhp_all_up(s, node);
	if (!ret)
		hlist_add_head(node, &s->instances);
out:
	mutex_unlock(&cpuhp_lock);
	return ret;
}

int __cpuhp_state_remove_instance(enum cpuhp_state state, struct hlist_node *node,
				  bool invoke)
{
	struct cpuhp_slot *s = &cpuhp_slots[state];

	mutex_lock(&cpuhp_lock);
	if (invoke)
		cpuhp_all_down(s, node, nr_cpu_ids);
	hlist_del(node);
	mutex_unlock(&cpuhp_lock);
	return 0;
}

void __cpuhp_remove_state(enum cpuhp_state state, bool invoke)
{
	struct cpuhp_slot *s = &cpuhp_slots[state];

	mutex_lock(&cpuhp_lock);
	WARN(s->multi && !hlist_empty(&s->instances),
	     "cpuhp_remove_state(%s): instances left\n", s->name);
	if (invoke && !s->multi)
		cpuhp_all_down(s, NULL, nr_cpu_ids);
	s->name = NULL;
	mutex_unlock(&cpuhp_lock);
}

/* No ddeos CPU can be taken offline (kernel/torture.c asks before trying). */
bool cpu_is_hotpluggable(unsigned int cpu)
{
	return false;
}
