// SPDX-License-Identifier: GPL-2.0-only
/*
 * Formatting for the console. Kept free of any kernel state so the same file
 * is compiled into the host unit tests (tests/host/test_fmt.c).
 */
#include <ddeos/fmt.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	size_t w = width > 0 ? (size_t)width : 0;

	if (!left)
		for (size_t i = n; i < w; i++)
			put(o, pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		for (size_t i = n; i < w; i++)
			put(o, ' ');
}

static void put_number(struct out *o, unsigned long long v, bool neg,
		       unsigned int base, bool upper, int width, int prec,
		       bool left, bool zero, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[72];
	size_t n = 0, plen = 0;

	if (v || prec != 0) {		/* C99: "%.0d" of 0 prints no digits */
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v && n < sizeof(tmp) - 2);
	}
	while (prec >= 0 && n < (size_t)prec && n < sizeof(tmp) - 2)
		tmp[n++] = '0';
	/* C99 "%#o": the prefix "0" only if the digits do not start with 0. */
	if (prefix && prefix[0] == '0' && !prefix[1] && n && tmp[n - 1] == '0')
		prefix = NULL;
	while (prefix && prefix[plen])
		plen++;
	if (neg)
		plen++;

	size_t total = n + plen;
	int pad = width > (int)total ? width - (int)total : 0;

	if (!left && !zero)
		while (pad-- > 0)
			put(o, ' ');
	if (neg)
		put(o, '-');
	for (size_t i = 0; prefix && prefix[i]; i++)
		put(o, prefix[i]);
	if (!left && zero)
		while (pad-- > 0)
			put(o, '0');
	while (n)
		put(o, tmp[--n]);
	if (left)
		while (pad-- > 0)
			put(o, ' ');
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		bool left = false, zero = false, alt = false;
		int width = 0, prec = -1, lng = 0;

		for (p++;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '#')
				alt = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		if (*p == '.') {
			prec = 0;
			p++;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			}
			while (*p >= '0' && *p <= '9')
				prec = prec * 10 + (*p++ - '0');
		}
		for (;; p++) {
			if (*p == 'l')
				lng++;
			else if (*p == 'z' || *p == 't')
				lng = 2;
			else if (*p == 'h')
				lng = lng > 0 ? 0 : lng - 1;
			else
				break;
		}
		if (prec >= 0)
			zero = false;

		unsigned long long u;
		long long s;

		switch (*p) {
		case 'd':
		case 'i':
			if (lng >= 2)
				s = va_arg(ap, long long);
			else if (lng == 1)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			put_number(&o, u, s < 0, 10, false, width, prec, left,
				   zero, NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			put_number(&o, u, false,
				   *p == 'u' ? 10 : *p == 'o' ? 8 : 16,
				   *p == 'X', width, prec, left, zero,
				   !alt || *p == 'u' ? NULL :
				   *p == 'o' ? "0" : !u ? NULL :
				   *p == 'x' ? "0x" : "0X");
			break;
		case 'p':
			u = (unsigned long long)(uintptr_t)va_arg(ap, void *);
			put_number(&o, u, false, 16, false, width, prec, left,
				   zero, "0x");
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t n = 0;

			if (!str)
				str = "(null)";
			while ((prec < 0 || n < (size_t)prec) && str[n])
				n++;
			put_padded(&o, str, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			/* Unknown conversion: print it as is, visibly. */
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
