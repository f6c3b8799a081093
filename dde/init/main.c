// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's boot parameters on the ddeos command line (Linux: init/main.c's
 * unknown_bootoption/obsolete_checksetup, kernel/params.c's parse_one).
 * The kernel applies its own options first and offers every other word to
 * us: a module parameter of a compiled Linux file (`virtio_net.napi_tx=1`,
 * in __param, set through Linux's own param_ops from kernel/params.c) or a
 * __setup/early_param (in .init.setup, e.g. `loglevel=`). What we take is
 * listed at boot; a bad value is reported by the kernel with the name.
 * Parameters of an initcall level (device_param_cb) are set when that
 * level runs, as in Linux, and their bad values reported then.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/setup.h>
#include <dde/dde.h>

extern const struct kernel_param __start___param[], __stop___param[];
extern const struct obs_kernel_param __setup_start[], __setup_end[];

/* Linux's parameq(): '-' and '_' are the same in parameter names. */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

static int set_module_param(const struct kernel_param *kp, const char *value)
{
	char buf[128];

	if (!value && !(kp->ops->flags & KERNEL_PARAM_OPS_FL_NOARG))
		return -EINVAL;
	if (value && strscpy(buf, value, sizeof(buf)) < 0)
		return -ENOSPC;
	return kp->ops->set(value ? buf : NULL, kp);
}

static int set_setup_param(const struct obs_kernel_param *p, const char *key,
			   const char *value)
{
	char buf[128] = "";
	size_t n = strlen(p->str);

	if (value && strscpy(buf, value, sizeof(buf)) < 0)
		return -ENOSPC;
	if (p->early)		/* early_param("name"): 0 = taken */
		return name_eq(p->str, key) ? (p->setup_func(buf) ? -EINVAL : 0) : -ENOENT;
	/* __setup("name=") or __setup("name"): non-zero = handled */
	if (n && p->str[n - 1] == '=') {
		if (!value || strncmp(p->str, key, n - 1) || key[n - 1])
			return -ENOENT;
	} else if (strcmp(p->str, key)) {
		return -ENOENT;
	}
	return p->setup_func(buf) ? 0 : -EINVAL;
}

/*
 * A parameter that belongs to an initcall level (core_param_cb,
 * device_param_cb: kp->level >= 0) is set just before that level runs, as
 * Linux's do_initcall_level() parses them, since its setter may need what
 * earlier levels built (virtio_mmio.device= registers a platform device).
 * Such words wait here in command-line order.
 */
struct level_param {
	struct list_head node;
	const struct kernel_param *kp;
	char *value;			/* NULL: given without '=' */
};
static LIST_HEAD(level_params);

static int defer_level_param(const struct kernel_param *kp, const char *value)
{
	struct level_param *lp = kzalloc(sizeof(*lp), GFP_KERNEL);

	if (!lp)
		return -ENOMEM;
	if (value) {
		lp->value = kstrdup(value, GFP_KERNEL);
		if (!lp->value) {
			kfree(lp);
			return -ENOMEM;
		}
	}
	lp->kp = kp;
	list_add_tail(&lp->node, &level_params);
	return 0;
}

/**
 * dde_params_apply_level() - set the parameters of one initcall level
 * @level: the level about to run (0 pure .. 7 late)
 *
 * A bad value is reported with the parameter's name; the level runs anyway
 * (Linux's parse_args() for a level only warns too).
 *
 * Context: the main thread, from the initcall runner; may sleep.
 */
void dde_params_apply_level(int level)
{
	struct level_param *lp, *next;

	list_for_each_entry_safe(lp, next, &level_params, node) {
		int ret;

		if (lp->kp->level != level)
			continue;
		ret = set_module_param(lp->kp, lp->value);
		if (ret)
			pr_warn("dde: bad value for parameter %s: '%s' (%d)\n",
				lp->kp->name, lp->value ?: "", ret);
		else
			pr_info("dde: parameter %s=%s\n", lp->kp->name, lp->value ?: "");
		list_del(&lp->node);
		kfree(lp->value);
		kfree(lp);
	}
}

/* The module parameter called @name, or NULL if no compiled file has it. */
static const struct kernel_param *find_module_param(const char *name)
{
	const struct kernel_param *kp;

	for (kp = __start___param; kp < __stop___param; kp++)
		if (name_eq(kp->name, name))
			return kp;
	return NULL;
}

/* Context: the main thread, while the kernel applies the command line. */
static int dde_param(const char *key, const char *value)
{
	const struct kernel_param *kp = find_module_param(key);
	const struct obs_kernel_param *s;
	int ret;

	if (kp) {
		if (kp->level >= 0)
			return defer_level_param(kp, value) ? -EINVAL : 0;
		ret = set_module_param(kp, value);
		if (!ret)
			pr_info("dde: parameter %s=%s\n", key, value ?: "");
		return ret ? -EINVAL : 0;
	}
	for (s = __setup_start; s < __setup_end; s++) {
		ret = set_setup_param(s, key, value);
		if (ret != -ENOENT) {
			if (!ret)
				pr_info("dde: parameter %s=%s\n", key, value ?: "");
			return ret ? -EINVAL : 0;
		}
	}
	return -ENOENT;
}

/*
 * Where ddeos's best setting of a compiled driver differs from Linux's
 * default. Set before the command line is read, which may override them;
 * each is printed as `dde: default NAME=VALUE (why)`.
 *
 * virtio_net.napi_tx=0: Linux 6.1 completes transmitted skbs in a TX NAPI
 * driven by an interrupt per completion (napi_tx=1) so that an skb does
 * not hold its socket's send budget (sk_wmem_alloc) while it sits in the
 * ring. ddeos's skbs belong to no socket (lwIP's netif copies each frame,
 * net/lwip/netif.c), so that interrupt buys nothing, and it costs one
 * interrupt delivery per frame sent. With napi_tx=0 the driver frees
 * completed skbs at its next transmit (virtio_net.c: start_xmit ->
 * free_old_xmit_skbs) and asks for an interrupt only when the ring is
 * nearly full (virtqueue_enable_cb_delayed), to wake the stopped queue.
 */
static const struct {
	const char *name, *value, *why;
} dde_defaults[] = {
	{ "virtio_net.napi_tx", "0", "no TX interrupt: ddeos's skbs hold no socket budget" },
};

static void dde_defaults_apply(void)
{
	const struct kernel_param *kp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dde_defaults); i++) {
		kp = find_module_param(dde_defaults[i].name);
		if (!kp)	/* the file is not in this image */
			continue;
		/* An initcall level's parameter is set when its level runs,
		 * before a command-line value queued after this one. */
		if (WARN(kp->level >= 0 ? defer_level_param(kp, dde_defaults[i].value) :
			 set_module_param(kp, dde_defaults[i].value),
			 "dde: default %s=%s refused\n", dde_defaults[i].name,
			 dde_defaults[i].value))
			continue;
		pr_info("dde: default %s=%s (%s)\n", dde_defaults[i].name,
			dde_defaults[i].value, dde_defaults[i].why);
	}
}

/* parse_args() callback of the early pass: only early_param()s. */
static int early_one(char *param, char *val, const char *doing, void *arg)
{
	const struct obs_kernel_param *p;

	for (p = __setup_start; p < __setup_end; p++)
		if (p->early && name_eq(p->str, param))
			p->setup_func(val ?: "");	/* judged again later */
	return 0;
}

/*
 * As Linux's parse_early_param(): early parameters (loglevel=) take effect
 * before the DDE prints anything; the kernel's pass over the command line
 * then offers them again to dde_param(), which reports bad values.
 */
void dde_params_init(void)
{
	static char line[COMMAND_LINE_SIZE];

	strscpy(line, ddeos_cmdline(), sizeof(line));
	parse_args("early options", line, NULL, 0, 0, 0, NULL, early_one);
	dde_defaults_apply();
	ddeos_set_param_hook(dde_param);
}
