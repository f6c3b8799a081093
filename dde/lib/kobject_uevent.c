// SPDX-License-Identifier: GPL-2.0-only
/*
 * add_uevent_var() (Linux: lib/kobject_uevent.c), alone. ddeos has no
 * userspace and sends no uevents, so nothing calls a bus's uevent method
 * (virtio's virtio_uevent, say); but that method is Linux code that may be
 * called, and filling the environment buffer is small and exact, so it is
 * implemented rather than stubbed. Linux's file is not compiled: it is
 * built on netlink sockets.
 */
#include <linux/kernel.h>
#include <linux/kobject.h>

/**
 * add_uevent_var - append a "KEY=value" string to a uevent environment
 * @env: the environment being built
 * @format: printf format of the string, then its arguments
 *
 * Context: any.
 * Return: 0, or -ENOMEM (with a WARN, as on Linux) if @env has no room
 * for another key or the string does not fit its buffer.
 */
int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
{
	size_t room = sizeof(env->buf) - env->buflen;
	va_list args;
	int len;

	if (env->envp_idx >= ARRAY_SIZE(env->envp)) {
		WARN(1, KERN_ERR "add_uevent_var: too many keys\n");
		return -ENOMEM;
	}
	va_start(args, format);
	len = vsnprintf(&env->buf[env->buflen], room, format, args);
	va_end(args);
	if (len >= room) {
		WARN(1, KERN_ERR "add_uevent_var: buffer size too small\n");
		return -ENOMEM;
	}
	/* each string keeps its NUL: envp[] points into buf */
	env->envp[env->envp_idx++] = &env->buf[env->buflen];
	env->buflen += len + 1;
	return 0;
}
