// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console output. One lock serialises writers; it is taken with interrupts
 * off so a hard-IRQ printer on the same CPU cannot deadlock against the
 * thread it interrupted. An NMI or exception that finds the lock held by its
 * own CPU would deadlock, so a printer that already owns the console on this
 * CPU (recursion) writes without it. After console_enter_panic() the panic
 * CPU ignores the lock: whoever held it is stopped.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/fmt.h>
#include <ddeos/percpu.h>
#include <ddeos/spinlock.h>

static struct spinlock console_lock = SPINLOCK_INIT;
static volatile int console_owner_cpu = -1;
static volatile bool console_panic;

void console_enter_panic(void)
{
	console_panic = true;
}

void console_write(const char *s, size_t n)
{
	unsigned long flags = arch_irq_save();
	int me = (int)cpu_id();
	bool locked = false;

	if (!console_panic && console_owner_cpu != me) {
		while (!raw_lock_try(&console_lock)) {
			if (console_panic)
				goto write;
			arch_cpu_relax();
		}
		locked = true;
		console_owner_cpu = me;
	}
write:
	arch_console_write(s, n);
	if (locked) {
		console_owner_cpu = -1;
		raw_lock_release(&console_lock);
	}
	arch_irq_restore(flags);
}

void kvprintf(const char *fmt, va_list ap)
{
	char line[CONSOLE_LINE_MAX];
	int n = fmt_vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= (int)sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';	/* truncated: still end the line */
	}
	console_write(line, (size_t)n);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
