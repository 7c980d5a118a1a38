/*
 * syslog.c - the kernel log's ring buffer and syslog(2), which dmesg reads.
 *
 * printk hands every message it keeps to syslog_store, which writes it in
 * the form syslog(2) returns on Linux: one "<level>[seconds.micro] text\n"
 * line per line of the message.  The ring holds the newest LOG_BUF_LEN
 * bytes; positions count every byte ever written, so a reader's position
 * tells at once whether the ring has overwritten what it had not read.
 * When it has, the reader starts again at the oldest whole line.
 */
#include "kernel.h"
#include "spinlock.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "irq.h"
#include "../vm/uaccess.h"

/* 128 KiB, Linux's default for riscv64 (CONFIG_LOG_BUF_SHIFT=17): SIZE_BUFFER says so. */
#define LOG_BUF_LEN (1UL << 17)

static char log_buf[LOG_BUF_LEN];
static uint64_t log_head;	/* bytes ever written; the next byte goes to log_head % LOG_BUF_LEN */
static uint64_t log_clear;	/* SYSLOG_ACTION_CLEAR: READ_ALL starts here at the earliest */
static uint64_t log_read;	/* SYSLOG_ACTION_READ's position (it consumes) */
static struct spinlock syslog_lock = SPINLOCK_INIT("syslog");
static int saved_loglevel = -1;	/* CONSOLE_OFF keeps the level CONSOLE_ON gives back */

enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

/* log_put - append @n bytes to the ring. syslog_lock held. */
static void log_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[log_head++ % LOG_BUF_LEN] = s[i];
}

/*
 * log_oldest - the first whole line at or after @pos that the ring still
 * holds (a position the ring overwrote moves to the line after the cut).
 * syslog_lock held.
 */
static uint64_t log_oldest(uint64_t pos)
{
	if (log_head - pos <= LOG_BUF_LEN)
		return pos;
	pos = log_head - LOG_BUF_LEN;
	while (pos < log_head && log_buf[pos % LOG_BUF_LEN] != '\n')
		pos++;
	return pos < log_head ? pos + 1 : log_head;
}

void syslog_store(int level, uint64_t ns, const char *text, size_t n)
{
	char prefix[40];
	int plen = snprintf(prefix, sizeof(prefix), "<%d>[%5u.%06u] ", level,
			    (unsigned)(ns / 1000000000), (unsigned)(ns / 1000 % 1000000));
	size_t i = 0;

	spin_lock(&syslog_lock);
	while (i < n) {
		size_t end = i;
		while (end < n && text[end] != '\n')
			end++;
		log_put(prefix, (size_t)plen);
		log_put(text + i, end - i);
		log_put("\n", 1);
		i = end + 1;
	}
	spin_unlock(&syslog_lock);
}

/*
 * syslog_copy - copy the ring's bytes [@from, @to) to user @ubuf, a piece
 * at a time (no user access under the lock).  Stops early if the ring
 * overwrote the rest meanwhile.  The bytes copied, or -EFAULT.
 */
static long syslog_copy(unsigned long ubuf, uint64_t from, uint64_t to)
{
	char tmp[256];
	uint64_t pos = from;

	while (pos < to) {
		size_t k = (size_t)MIN(to - pos, sizeof(tmp));
		spin_lock(&syslog_lock);
		if (log_head - pos > LOG_BUF_LEN) {
			spin_unlock(&syslog_lock);
			break;
		}
		for (size_t i = 0; i < k; i++)
			tmp[i] = log_buf[(pos + i) % LOG_BUF_LEN];
		spin_unlock(&syslog_lock);
		if (uaccess_copy_to_user(ubuf + (pos - from), tmp, k))
			return -EFAULT;
		pos += k;
	}
	return (long)(pos - from);
}

/*
 * syslog_read_all - READ_ALL (and READ_CLEAR with @clear): the newest whole
 * lines since the last CLEAR that fit in @len bytes, without consuming them.
 */
static long syslog_read_all(unsigned long ubuf, size_t len, int clear)
{
	uint64_t from, to;

	spin_lock(&syslog_lock);
	to = log_head;
	from = log_oldest(log_clear);
	if (to - from > len) {
		/* Start at the first line that begins inside the last @len bytes. */
		from = to - len;
		while (from < to && log_buf[(from - 1) % LOG_BUF_LEN] != '\n')
			from++;
	}
	if (clear)
		log_clear = to;
	spin_unlock(&syslog_lock);
	return syslog_copy(ubuf, from, to);
}

/*
 * syslog_read - READ: wait for unread bytes, then hand over up to @len of
 * them, consumed.  syslog_lock is a leaf (printk takes it under any lock,
 * the scheduler's too), so the wait holds only syslog_wait_lock, and it
 * looks again at each tick: printk wakes nobody.
 */
static long syslog_read(unsigned long ubuf, size_t len)
{
	static struct spinlock syslog_wait_lock = SPINLOCK_INIT("syslog_wait");
	uint64_t from, to;

	for (;;) {
		spin_lock(&syslog_lock);
		if ((log_read = log_oldest(log_read)) != log_head)
			break;
		spin_unlock(&syslog_lock);
		spin_lock(&syslog_wait_lock);
		long r = sched_sleep_intr((void *)&jiffies, &syslog_wait_lock);
		spin_unlock(&syslog_wait_lock);
		if (r)
			return -ERESTARTSYS;
	}
	from = log_read;
	to = MIN(log_head, from + len);
	log_read = to;
	spin_unlock(&syslog_lock);
	return syslog_copy(ubuf, from, to);
}

/*
 * syslog(type, buf, len) - Linux's do_syslog: read the kernel log (READ
 * consumes, READ_ALL does not), clear it, set the console's level, or ask
 * how much there is.  Everybody may: Holstein runs everything as root.
 */
SYSCALL(syslog)
{
	int type = (int)a0, len = (int)a2;
	uint64_t unread;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!a1 || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!uaccess_ok(a1, (size_t)len))
			return -EFAULT;
		if (type == SYSLOG_ACTION_READ)
			return syslog_read(a1, (size_t)len);
		return syslog_read_all(a1, (size_t)len, type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		spin_lock(&syslog_lock);
		log_clear = log_head;
		spin_unlock(&syslog_lock);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_loglevel < 0)
			saved_loglevel = loglevel;
		loglevel = 1;		/* Linux's minimum_console_loglevel: emergencies only */
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_loglevel >= 0) {
			loglevel = saved_loglevel;
			saved_loglevel = -1;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		loglevel = len;
		saved_loglevel = -1;	/* an explicit level ends CONSOLE_OFF */
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		spin_lock(&syslog_lock);
		unread = log_head - log_oldest(log_read);
		spin_unlock(&syslog_lock);
		return (long)unread;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return (long)LOG_BUF_LEN;
	}
	return -EINVAL;
}
