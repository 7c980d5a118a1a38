/*
 * printk.c - the kernel log: a small vsnprintf and Linux-like lines
 * "[    1.234567] message" written to the console, and kept in the ring
 * dmesg reads (syslog.c).
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

/* A conversion's flags, width, precision and length: %[0#-][width][.*][l|ll|z]c. */
struct fmt_spec {
	int width, zero, left, lng, alt, prec;
};

/* put_char - @c at @p if it fits before @end; the next position. */
static char *put_char(char *p, char *end, char c)
{
	if (p < end)
		*p++ = c;
	return p;
}

/*
 * parse_spec - read what follows a '%' at @fmt into @sp (a '.*' precision
 * comes from @ap); returns the position of the conversion character.
 */
static const char *parse_spec(const char *fmt, struct fmt_spec *sp, va_list *ap)
{
	*sp = (struct fmt_spec){ .prec = -1 };
	for (;; fmt++) {
		if (*fmt == '0')
			sp->zero = 1;
		else if (*fmt == '#')
			sp->alt = 1;
		else if (*fmt == '-')
			sp->left = 1;
		else
			break;
	}
	while (*fmt >= '0' && *fmt <= '9')
		sp->width = sp->width * 10 + (*fmt++ - '0');
	if (fmt[0] == '.' && fmt[1] == '*') {
		sp->prec = va_arg(*ap, int);
		fmt += 2;
	}
	while (*fmt == 'l' || *fmt == 'z') {
		sp->lng++;
		fmt++;
	}
	return fmt;
}

/* put_str - @s (NULL: "(null)"), cut to @sp's precision and padded with spaces to its width. */
static char *put_str(char *p, char *end, const char *s, const struct fmt_spec *sp)
{
	int len, width = sp->width;

	if (!s)
		s = "(null)";
	len = (int)strlen(s);
	if (sp->prec >= 0 && sp->prec < len)
		len = sp->prec;
	if (!sp->left)
		for (; width > len; width--)
			p = put_char(p, end, ' ');
	for (int i = 0; i < len; i++)
		p = put_char(p, end, s[i]);
	for (; sp->left && width > len; width--)
		p = put_char(p, end, ' ');
	return p;
}

/*
 * put_conv - the conversion at *@fmtp, as @sp says, its argument from
 * @ap.  An unknown one is copied as it stands; a '%' that ends the format
 * leaves *@fmtp on the NUL's predecessor so the caller's loop stops.
 */
static char *put_conv(char *p, char *end, const char **fmtp, const struct fmt_spec *sp,
		      va_list *ap)
{
	char c = **fmtp;
	unsigned long long v;

	switch (c) {
	case 'd':
	case 'i': {
		long long s = sp->lng ? va_arg(*ap, long long) : va_arg(*ap, int);
		v = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
		return put_num(p, end, v, 10, sp->width, sp->zero, s < 0, sp->left);
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		v = sp->lng ? va_arg(*ap, unsigned long long) : va_arg(*ap, unsigned int);
		if (sp->alt && c == 'x') {
			p = put_char(p, end, '0');
			p = put_char(p, end, 'x');
		}
		return put_num(p, end, v, c == 'u' ? 10 : c == 'o' ? 8 : 16, sp->width, sp->zero, 0,
			       sp->left);
	case 'p':
		v = (unsigned long)va_arg(*ap, void *);
		p = put_char(p, end, '0');
		p = put_char(p, end, 'x');
		return put_num(p, end, v, 16, 16, 1, 0, 0);
	case 's':
		return put_str(p, end, va_arg(*ap, const char *), sp);
	case 'c':
		return put_char(p, end, (char)va_arg(*ap, int));
	case '%':
		return put_char(p, end, '%');
	default:
		p = put_char(p, end, '%');
		if (c)
			p = put_char(p, end, c);
		else
			(*fmtp)--;
		return p;
	}
}

/*
 * vsnprintf - format into @buf (at most @size bytes, always NUL-terminated
 * when size > 0).  Supports %d %i %u %x %X %o %p %s %c %% with width, '0',
 * '-', and the l, ll, z length modifiers.  Returns the length written.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *p = buf, *end = size ? buf + size - 1 : buf;
	struct fmt_spec sp;
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			p = put_char(p, end, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		p = put_conv(p, end, &fmt, &sp, &args);
	}
	va_end(args);
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

/* printk_bust_lock - called by panic: never wait for a hart that will not return. */
void printk_bust_lock(void)
{
	log_busted = 1;
}

/*
 * printk - log one message at @level.  It is shown on the console if
 * @level < loglevel, and kept in the ring unless it is debug output that is
 * not shown either (Linux builds its pr_debug out).  Each line gets a
 * timestamp; the whole message goes out under one lock so lines from
 * different harts do not interleave.
 */
int printk(int level, const char *fmt, ...)
{
	char buf[512];
	uint64_t ns = time_now_ns();
	int n, start, shown = level < loglevel;
	va_list ap;

	if (!shown && level >= KERN_DEBUG)
		return 0;
	n = start = snprintf(buf, sizeof(buf), "[%5u.%06u] ", (unsigned)(ns / 1000000000),
			     (unsigned)(ns / 1000 % 1000000));
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	n = MIN(n, (int)sizeof(buf) - 1);	/* vsnprintf counts only what it wrote */
	if (log_busted) {
		if (shown)
			console_write(buf, n);
		return n;
	}
	syslog_store(level, ns, buf + start, (size_t)(n - start));
	if (!shown)
		return 0;
	spin_lock(&log_lock);
	console_write(buf, n);
	spin_unlock(&log_lock);
	return n;
}
