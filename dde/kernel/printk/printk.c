// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk (Linux: kernel/printk/printk.c, much reduced): format with Linux's
 * own vsnprintf (lib/vsprintf.c, compiled unmodified) and write whole lines
 * to the ddeos console, which serialises them across CPUs and contexts.
 * As on Linux, a message reaches the console only if its level is below
 * console_loglevel (`loglevel=N` on the command line; default 7, so
 * everything but KERN_DEBUG), and the console shows the text without its
 * level. The last PRINTK_LOG_LINES lines, every level, are kept with a
 * "<N>" prefix the way /dev/kmsg shows them, for tests and post-mortems.
 * Difference: no deferred printing (_printk_deferred prints at once: our
 * console is safe from any context). One observer may see each line as
 * well: the KUnit runner judges Linux's KTAP the way kunit.py does.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <dde/dde.h>

#define PRINTK_LINE_MAX		512
#define PRINTK_LOG_LINES	64

/* Linux's console_printk[]: console_loglevel is its first element. */
int console_printk[4] = {
	CONSOLE_LOGLEVEL_DEFAULT, MESSAGE_LOGLEVEL_DEFAULT,
	CONSOLE_LOGLEVEL_MIN, CONSOLE_LOGLEVEL_DEFAULT,
};
static bool last_shown = true;	/* for KERN_CONT continuations */

/* loglevel=N (Linux: init/main.c). 0 = success, as early_param wants. */
static int __init loglevel_setup(char *str)
{
	int level;

	if (kstrtoint(str, 0, &level) || level < 0 || level > 15)
		return -EINVAL;
	console_loglevel = level;
	return 0;
}
early_param("loglevel", loglevel_setup);

static DEFINE_RAW_SPINLOCK(printk_log_lock);
static char printk_log[PRINTK_LOG_LINES][PRINTK_LINE_MAX];
static unsigned int printk_log_next;

static void log_line(const char *line)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&printk_log_lock, flags);
	strscpy(printk_log[printk_log_next % PRINTK_LOG_LINES], line,
		PRINTK_LINE_MAX);
	printk_log_next++;
	raw_spin_unlock_irqrestore(&printk_log_lock, flags);
}

bool dde_printk_log_contains(const char *text)
{
	unsigned long flags;
	bool found = false;

	raw_spin_lock_irqsave(&printk_log_lock, flags);
	for (unsigned int i = 0; i < PRINTK_LOG_LINES && !found; i++)
		found = strstr(printk_log[i], text) != NULL;
	raw_spin_unlock_irqrestore(&printk_log_lock, flags);
	return found;
}

static void (*printk_observer)(const char *line);

void dde_printk_set_observer(void (*fn)(const char *line))
{
	WRITE_ONCE(printk_observer, fn);
}

static int dde_vprintk(const char *fmt, va_list args)
{
	char line[PRINTK_LINE_MAX];
	int level = printk_get_level(fmt);
	void (*observer)(const char *line);
	int n = 0, len;

	fmt = printk_skip_level(fmt);
	if (level == 'c')		/* KERN_CONT: no new prefix */
		level = 0;
	else if (!level || level == 'd')
		level = '0' + MESSAGE_LOGLEVEL_DEFAULT;
	if (level)
		n = scnprintf(line, sizeof(line), "<%c>", level);
	len = vscnprintf(line + n, sizeof(line) - n, fmt, args);
	n += len;
	if (level && (n == 0 || line[n - 1] != '\n')) {
		if (n == sizeof(line) - 1)
			n--;
		line[n++] = '\n';
		line[n] = '\0';
	}
	if (level)
		last_shown = level - '0' < READ_ONCE(console_loglevel);
	if (last_shown)		/* the console shows the text, not "<N>" */
		ddeos_console_write(line + (level ? 3 : 0), n - (level ? 3 : 0));
	log_line(line);
	observer = READ_ONCE(printk_observer);
	if (observer && level)	/* whole lines: KUnit prints no KERN_CONT */
		observer(line + 3);
	return len;
}

asmlinkage __visible int _printk(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = dde_vprintk(fmt, args);
	va_end(args);
	return r;
}

/* Our console is safe from any context, so nothing needs deferring. */
int _printk_deferred(const char *fmt, ...) __alias(_printk);

asmlinkage int vprintk(const char *fmt, va_list args)
{
	return dde_vprintk(fmt, args);
}

/* printk-safe sections (Linux: kernel/printk/printk_safe.c): our printk is
 * safe in any context already, so entering one changes nothing. */
void __printk_safe_enter(void)
{
}

void __printk_safe_exit(void)
{
}
