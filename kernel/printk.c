/*
 * printk.c - the kernel log: a small vsnprintf and Linux-like lines
 * "[    1.234567] message" written to the console.
 */
#include "kernel.h"
#include "spinlock.h"
#include "console.h"
#include "time.h"
#include "panic.h"

int loglevel = 7;	/* show levels below this; bootarg loglevel= */

static struct spinlock log_lock = SPINLOCK_INIT("log");
static volatile int log_busted;	/* panic() may steal the lock */

static char *put_num(char *p, char *end, unsigned long long v, int base, int width,
		     int zero, int neg, int left)
{
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (!left)
		for (; width > len; width--)
			if (p < end)
				*p++ = zero ? '0' : ' ';
	if (neg && p < end)
		*p++ = '-';
	while (n)
		if (p < end)
			*p++ = tmp[--n];
		else
			n--;
	for (; left && width > len; width--)
		if (p < end)
			*p++ = ' ';
	return p;
}

/*
 * vsnprintf - format into @buf (at most @size bytes, always NUL-terminated
 * when size > 0).  Supports %d %i %u %x %X %o %p %s %c %% with width, '0',
 * '-', and the l, ll, z length modifiers.  Returns the length written.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *p = buf, *end = size ? buf + size - 1 : buf;

	for (; *fmt; fmt++) {
		int width = 0, zero = 0, left = 0, lng = 0, alt = 0;
		unsigned long long v;

		if (*fmt != '%') {
			if (p < end)
				*p++ = *fmt;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = 1;
			else if (*fmt == '#')
				alt = 1;
			else if (*fmt == '-')
				left = 1;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int prec = -1;
		if (fmt[0] == '.' && fmt[1] == '*') {
			prec = va_arg(ap, int);
			fmt += 2;
		}
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long s = lng ? va_arg(ap, long long) : va_arg(ap, int);
			v = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			p = put_num(p, end, v, 10, width, zero, s < 0, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			if (alt && *fmt == 'x') {
				if (p < end)
					*p++ = '0';
				if (p < end)
					*p++ = 'x';
			}
			p = put_num(p, end, v, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, width,
				    zero, 0, left);
			break;
		case 'p':
			v = (unsigned long)va_arg(ap, void *);
			if (p < end)
				*p++ = '0';
			if (p < end)
				*p++ = 'x';
			p = put_num(p, end, v, 16, 16, 1, 0, 0);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len;
			if (!s)
				s = "(null)";
			len = (int)strlen(s);
			if (prec >= 0 && prec < len)
				len = prec;
			if (!left)
				for (; width > len; width--)
					if (p < end)
						*p++ = ' ';
			for (int i = 0; i < len; i++)
				if (p < end)
					*p++ = s[i];
			for (; left && width > len; width--)
				if (p < end)
					*p++ = ' ';
			break;
		}
		case 'c':
			if (p < end)
				*p++ = (char)va_arg(ap, int);
			break;
		case '%':
			if (p < end)
				*p++ = '%';
			break;
		default:
			if (p < end)
				*p++ = '%';
			if (*fmt && p < end)
				*p++ = *fmt;
			if (!*fmt)
				fmt--;
		}
	}
	if (size)
		*p = 0;
	return (int)(p - buf);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* log_bust_lock - called by panic: never wait for a hart that will not return. */
void log_bust_lock(void)
{
	log_busted = 1;
}

/*
 * printk - log one message at @level.  Each line gets a timestamp; the
 * whole message goes out under one lock so lines from different harts do
 * not interleave.
 */
int printk(int level, const char *fmt, ...)
{
	char buf[512];
	uint64_t ns = time_now_ns();
	int n;
	va_list ap;

	if (level >= loglevel)
		return 0;
	n = snprintf(buf, sizeof(buf), "[%5u.%06u] ", (unsigned)(ns / 1000000000),
		     (unsigned)(ns / 1000 % 1000000));
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (log_busted) {
		console_write(buf, n);
		return n;
	}
	spin_lock(&log_lock);
	console_write(buf, n);
	spin_unlock(&log_lock);
	return n;
}
