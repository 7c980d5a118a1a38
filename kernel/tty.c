/*
 * tty.c - /dev/console: the termios line discipline as Linux's N_TTY does it
 * for what shells and editors use.  Canonical mode (ICANON) edits lines with
 * echo (ERASE, KILL, WERASE, EOF); without ICANON a read returns bytes as
 * VMIN and VTIME say, which is how BusyBox's line editing and vi read keys.
 * ISIG makes the INTR, QUIT and SUSP keys signal the foreground process
 * group; ICRNL, INLCR and IGNCR map the carriage return.  The special keys
 * are the termios's c_cc, so a program that changes them is obeyed.
 */
#include "kernel.h"
#include "../fs/file.h"
#include "proc.h"
#include "sched.h"
#include "tty.h"
#include "../fs/poll.h"
#include "jobctl.h"
#include "console.h"
#include "../vm/uaccess.h"
#include "irq.h"
#include "time.h"

#define TTY_BUF 1024
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGPGRP	0x540f
#define TIOCSPGRP	0x5410
#define TCFLSH		0x540b
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541b

#define OPOST	0000001
#define ONLCR	0000004
#define ICANON	0000002
#define ECHO	0000010
#define ISIG	0000001
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
/* c_cc indices (asm-generic/termbits.h) */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSUSP 10
#define VWERASE 14

struct kernel_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

static struct spinlock tty_lock = SPINLOCK_INIT("tty");
static char buf[TTY_BUF];
static size_t r, w, e;		/* read, committed (readable), edit positions */
static int eof_pending;
static unsigned tty_in_gen;	/* input edges for epoll (poll.h's poll_gen) */
static int fg_pgrp = 1;
static uint64_t last_input_ns;	/* when the last byte came: VTIME's inter-byte timer */
static struct kernel_termios termios = {
	.c_iflag = 0x500,		/* ICRNL | IXON */
	.c_oflag = 0x5,			/* OPOST | ONLCR */
	.c_cflag = 0xbf,		/* B38400 | CS8 | CREAD */
	.c_lflag = 0x8a3b,		/* ISIG ICANON ECHO ECHOE ECHOK IEXTEN ECHOCTL ECHOKE */
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0 },
};
static struct { uint16_t rows, cols, x, y; } winsize = { 24, 80, 0, 0 };

static void echo(const char *s, size_t n)
{
	if (termios.c_lflag & ECHO)
		console_write(s, n);
}

/* isig_key - the signal control key @c sends the foreground group (0: none), and its echo. */
static int isig_key(int c, const char **shown)
{
	if (c == termios.c_cc[VINTR]) {
		*shown = "^C\n";
		return SIGINT;
	}
	if (c == termios.c_cc[VSUSP]) {
		*shown = "^Z";		/* the shell reports the stop on a line of its own */
		return SIGTSTP;
	}
	if (c == termios.c_cc[VQUIT]) {
		*shown = "^\\\n";
		return SIGQUIT;
	}
	return 0;
}

/* tty_rubout - take back the last character of the line being edited, on the screen too. */
static int tty_rubout(void)
{
	if (e == w)
		return 0;
	e--;
	echo("\b \b", 3);
	return 1;
}

/* tty_edit_key - canonical mode's editing keys: 1 if @c was one (and is done), else 0. */
static int tty_edit_key(int c)
{
	const uint8_t *cc = termios.c_cc;

	if (c == cc[VERASE] || c == 8) {
		tty_rubout();
	} else if (c == cc[VKILL]) {
		while (tty_rubout())
			;
	} else if (c == cc[VWERASE]) {
		while (e != w && buf[(e - 1) % TTY_BUF] == ' ')
			tty_rubout();
		while (e != w && buf[(e - 1) % TTY_BUF] != ' ')
			tty_rubout();
	} else if (c == cc[VEOF]) {
		if (e == w)	/* end of file if the line is empty, else flush it */
			eof_pending = 1;
		w = e;
	} else {
		return 0;
	}
	return 1;
}

/* tty_input - one byte from the keyboard. tty_lock held. */
static void tty_input(int c)
{
	const char *shown;
	int sig;

	last_input_ns = time_now_ns();
	if (c == '\r' && (termios.c_iflag & IGNCR))
		return;
	if (c == '\r' && (termios.c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (termios.c_iflag & INLCR))
		c = '\r';
	if ((termios.c_lflag & ISIG) && c && (sig = isig_key(c, &shown))) {
		echo(shown, strlen(shown));
		e = w;
		int pg = fg_pgrp;
		spin_unlock(&tty_lock);
		signal_kill_pgrp(pg, sig);
		spin_lock(&tty_lock);
		return;
	}
	if (!(termios.c_lflag & ICANON)) {
		if (e - r < TTY_BUF) {
			buf[e++ % TTY_BUF] = (char)c;
			w = e;
			echo((char *)&c, 1);
		}
		return;
	}
	if (c && tty_edit_key(c))
		return;
	if (e - r >= TTY_BUF - 1)
		return;
	buf[e++ % TTY_BUF] = (char)c;
	echo((char *)&c, 1);
	if (c == '\n')
		w = e;
}

void tty_poll(void)
{
	int c, any = 0;

	spin_lock(&tty_lock);
	while ((c = console_getc()) >= 0) {
		tty_input(c);
		any = 1;
	}
	spin_unlock(&tty_lock);
	if (any) {
		__atomic_add_fetch(&tty_in_gen, 1, __ATOMIC_SEQ_CST);
		sched_wakeup(&buf);
		poll_notify();
	}
}

/*
 * tty_may_read - only the foreground process group reads the terminal.  A
 * background reader's group gets SIGTTIN; by default that stops it, and
 * once continued it asks again.  0 when current() may read, -ERESTARTSYS
 * if a handler or SIGKILL is pending, -EIO if SIGTTIN is ignored or blocked
 * (nothing would ever let it in).
 */
static long tty_may_read(void)
{
	struct proc *p = current();

	p = proc_leader(p);
	while (p->pgid != __atomic_load_n(&fg_pgrp, __ATOMIC_RELAXED)) {
		if (p->sighand->action[SIGTTIN - 1].handler == SIG_IGN ||
		    (p->sig.blocked & sigbit(SIGTTIN)))
			return -EIO;
		signal_kill_pgrp(p->pgid, SIGTTIN);
		if (signal_pending())
			return -ERESTARTSYS;
		jobctl_stop_point();
	}
	return 0;
}

/*
 * tty_ready - may a read return now, and with how much (*@avail)?  Canonical
 * mode: a line or end of file.  Otherwise VMIN and VTIME, as Linux: MIN>0
 * waits for MIN bytes (or @n), and with TIME also returns once TIME tenths
 * of a second passed after the last byte; MIN=0 returns what is there,
 * waiting at most TIME since @start.  1 to return, 0 to wait.  tty_lock held.
 */
static int tty_ready(size_t n, uint64_t start, size_t *avail)
{
	uint64_t vtime = termios.c_cc[VTIME] * 100000000ULL, now;
	size_t vmin = termios.c_cc[VMIN];

	*avail = w - r;
	if ((termios.c_lflag & ICANON) || eof_pending)
		return *avail || eof_pending;
	if (vmin == 0)
		return *avail || !vtime || time_now_ns() >= start + vtime;
	if (*avail >= MIN(vmin, n))
		return 1;
	now = time_now_ns();
	return *avail && vtime && now >= last_input_ns + vtime;
}

static long tty_read(struct file *f, unsigned long ubuf, size_t n)
{
	char tmp[TTY_BUF];
	size_t got = 0, avail;
	uint64_t start = time_now_ns();
	long err;

	if (!n)
		return 0;
	/* Ask again after every sleep: a job put in the background while it waited must stop. */
	for (;;) {
		if ((err = tty_may_read()))
			return err;
		spin_lock(&tty_lock);
		if (tty_ready(n, start, &avail))
			break;
		if ((f->flags & O_NONBLOCK) && !avail) {
			spin_unlock(&tty_lock);
			return -EAGAIN;
		}
		/* A VTIME wait looks at the clock each tick; others wait for input. */
		err = sched_sleep_intr(termios.c_cc[VTIME] && !(termios.c_lflag & ICANON) ?
				       (void *)&jiffies : (void *)&buf, &tty_lock);
		spin_unlock(&tty_lock);
		if (err)
			return -ERESTARTSYS;
	}
	if (r == w && eof_pending) {
		eof_pending = 0;
		spin_unlock(&tty_lock);
		return 0;
	}
	while (got < n && got < sizeof(tmp) && r != w) {
		char c = buf[r++ % TTY_BUF];
		tmp[got++] = c;
		if (c == '\n' && (termios.c_lflag & ICANON))
			break;
	}
	spin_unlock(&tty_lock);
	if (got && uaccess_copy_to_user(ubuf, tmp, got))
		return -EFAULT;
	return (long)got;
}

static long tty_write(struct file *f, unsigned long ubuf, size_t n)
{
	char tmp[256];
	size_t done = 0;

	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(tmp));
		if (uaccess_copy_from_user(tmp, ubuf + done, chunk))
			return done ? (long)done : -EFAULT;
		if ((termios.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR))
			console_write(tmp, chunk);
		else
			console_write_raw(tmp, chunk);
		done += chunk;
	}
	return (long)n;
}

/* tty_write_kernel - file_ops.write_kernel: sendfile to the console. */
static long tty_write_kernel(struct file *f, const void *buf, size_t n)
{
	(void)f;
	console_write(buf, n);
	return (long)n;
}

static long tty_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
	struct kernel_termios t;
	int pg;

	switch (cmd) {
	case TCGETS:
		return uaccess_copy_to_user(arg, &termios, sizeof(termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (uaccess_copy_from_user(&t, arg, sizeof(t)))
			return -EFAULT;
		spin_lock(&tty_lock);
		termios = t;
		if (cmd == TCSETSF)
			r = w = e;	/* TCSAFLUSH: typed-ahead input is dropped */
		else if (termios.c_lflag & ICANON)
			;		/* a line being edited stays where it is */
		else
			w = e;		/* raw: what was typed is readable at once */
		spin_unlock(&tty_lock);
		sched_wakeup(&buf);
		poll_notify();
		return 0;
	case TCFLSH:		/* TCIFLUSH 0, TCOFLUSH 1, TCIOFLUSH 2: output is never queued */
		if (arg > 2)
			return -EINVAL;
		spin_lock(&tty_lock);
		if (arg != 1)
			r = w = e;
		spin_unlock(&tty_lock);
		return 0;
	case FIONREAD:
		spin_lock(&tty_lock);
		pg = (int)(w - r);
		spin_unlock(&tty_lock);
		return uaccess_put_u32(arg, (uint32_t)pg);
	case TIOCGWINSZ:
		return uaccess_copy_to_user(arg, &winsize, sizeof(winsize));
	case TIOCSWINSZ:
		return uaccess_copy_from_user(&winsize, arg, sizeof(winsize));
	case TIOCGPGRP:
		return uaccess_put_u32(arg, (uint32_t)fg_pgrp);
	case TIOCSPGRP:
		if (uaccess_copy_from_user(&pg, arg, sizeof(pg)))
			return -EFAULT;
		if (pg <= 0)
			return -EINVAL;
		fg_pgrp = pg;
		return 0;
	}
	return -ENOTTY;
}

int tty_fg_pgrp(void)
{
	return __atomic_load_n(&fg_pgrp, __ATOMIC_RELAXED);
}

/* tty_poll_file - readable once a line (or EOF) is waiting; always writable. */
static unsigned tty_poll_file(struct file *f)
{
	unsigned ev = POLLOUT | POLLWRNORM;

	(void)f;
	spin_lock(&tty_lock);
	if (r != w || eof_pending)
		ev |= POLLIN | POLLRDNORM;
	spin_unlock(&tty_lock);
	return ev;
}

/* tty_poll_gen - input edges count typed characters; output never waits, so it has none. */
static void tty_poll_gen(struct file *f, unsigned gen[2])
{
	(void)f;
	gen[POLL_EDGE_IN] = __atomic_load_n(&tty_in_gen, __ATOMIC_SEQ_CST);
	gen[POLL_EDGE_OUT] = 0;
}

const struct file_ops tty_ops = {
	.read = tty_read, .write = tty_write, .ioctl = tty_ioctl, .poll = tty_poll_file,
	.poll_gen = tty_poll_gen, .write_kernel = tty_write_kernel,
};
