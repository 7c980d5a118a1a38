/*
 * pipe.c - pipes: a 64 KiB ring (PIPE_SIZE), one lock, readers and writers
 * sleeping on the pipe.  Data goes through a small kernel bounce buffer so
 * no lock is held while touching user memory (which may fault, and break
 * COW).  pipe2 is here too: it is the only way to make one.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../vm/kmalloc.h"
#include "../kernel/syscall.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "pipe.h"
#include "poll.h"

#define PIPE_PAGES	16			/* 64 KiB, as Linux: programs count on it */
#define PIPE_SIZE	(PIPE_PAGES * 4096)	/* capacity */
#define PIPE_BUF	4096			/* writes up to this size are atomic */

struct pipe {
	struct spinlock lock;
	char *page[PIPE_PAGES];		/* the ring, a page at a time */
	size_t head, tail;		/* bytes written, bytes read (free-running) */
	int readers, writers;
	unsigned gen[2];		/* edge counters (poll.h): data written, room made */
};

/* pipe_slot - the ring byte for free-running position @pos. */
static char *pipe_slot(struct pipe *p, size_t pos)
{
	pos %= PIPE_SIZE;
	return &p->page[pos / 4096][pos % 4096];
}

#define PIPE_EDGE_IN	(1 << POLL_EDGE_IN)	/* pipe_wake: readers have news */
#define PIPE_EDGE_OUT	(1 << POLL_EDGE_OUT)	/* pipe_wake: writers have news */

/*
 * pipe_wake - the pipe changed: count an edge for the side(s) in @edges
 * (so an edge-triggered epoll of the read end ignores reads, as Linux's
 * does; every write is an input edge, as Linux's once a pipe was polled),
 * then wake its sleepers and any poller.
 */
static void pipe_wake(struct pipe *p, unsigned edges)
{
	for (int i = 0; i < 2; i++)
		if (edges & (1u << i))
			__atomic_add_fetch(&p->gen[i], 1, __ATOMIC_SEQ_CST);
	sched_wakeup(p);
	poll_notify();
}

/*
 * pipe_release - one end closed: count it gone and wake the other side
 * (EOF for readers, EPIPE for writers); the last end frees the ring.
 */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	int last;

	spin_lock(&p->lock);
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	last = p->readers == 0 && p->writers == 0;
	spin_unlock(&p->lock);
	pipe_wake(p, PIPE_EDGE_IN | PIPE_EDGE_OUT);
	if (last) {
		for (int i = 0; i < PIPE_PAGES; i++)
			kfree(p->page[i]);
		kfree(p);
	}
}

/*
 * pipe_read - wait for data (unless O_NONBLOCK: EAGAIN), then take what is
 * there, up to @n.  0 at end of file: empty and no writer left.
 */
static long pipe_read(struct file *f, unsigned long ubuf, size_t n)
{
	struct pipe *p = f->priv;
	char tmp[256];
	size_t got;

	if (!n)
		return 0;
	spin_lock(&p->lock);
	while (p->head == p->tail) {
		if (p->writers == 0) {
			spin_unlock(&p->lock);
			return 0;
		}
		if (f->flags & O_NONBLOCK) {
			spin_unlock(&p->lock);
			return -EAGAIN;
		}
		if (sched_sleep_intr(p, &p->lock)) {
			spin_unlock(&p->lock);
			return -ERESTARTSYS;
		}
	}
	/* Take what is there, up to n, in bounce-buffer sized pieces. */
	size_t done = 0;
	while (done < n && p->head != p->tail) {
		/* An output edge only when the write end becomes writable, as Linux's. */
		int was_full = PIPE_SIZE - (p->head - p->tail) < PIPE_BUF;

		got = 0;
		while (got < sizeof(tmp) && done + got < n && p->head != p->tail)
			tmp[got++] = *pipe_slot(p, p->tail++);
		spin_unlock(&p->lock);
		pipe_wake(p, was_full ? PIPE_EDGE_OUT : 0);
		if (uaccess_copy_to_user(ubuf + done, tmp, got))
			return done ? (long)done : -EFAULT;
		done += got;
		spin_lock(&p->lock);
	}
	spin_unlock(&p->lock);
	return (long)done;
}

/*
 * pipe_put - write @n bytes from user memory at @ubuf or, if @kbuf is
 * given, from kernel memory there (sendfile).  Writes of at most PIPE_BUF
 * bytes are atomic: they wait for room for all of it and go in under one
 * lock hold, so concurrent writers never interleave inside such a write.
 * Larger writes go in pieces.
 */
static long pipe_put(struct file *f, unsigned long ubuf, const char *kbuf, size_t n)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	char *tmp = kbuf ? 0 : kmalloc(PIPE_BUF);

	if (!kbuf && !tmp)
		return -ENOMEM;
	while (done < n) {
		size_t chunk = MIN(n - done, (size_t)PIPE_BUF);
		size_t need = n <= PIPE_BUF ? chunk : 1;	/* atomic: all of it at once */
		const char *src = kbuf ? kbuf + done : tmp;

		if (!kbuf && uaccess_copy_from_user(tmp, ubuf + done, chunk)) {
			kfree(tmp);
			return done ? (long)done : -EFAULT;
		}
		spin_lock(&p->lock);
		for (;;) {
			long err = 0;

			if (p->readers == 0)
				err = -EPIPE;
			else if (PIPE_SIZE - (p->head - p->tail) >= need)
				break;
			else if (f->flags & O_NONBLOCK)
				err = -EAGAIN;
			else if (sched_sleep_intr(p, &p->lock))
				err = -ERESTARTSYS;
			if (err) {
				spin_unlock(&p->lock);
				kfree(tmp);
				if (err == -EPIPE)
					signal_send(current(), SIGPIPE);
				return done ? (long)done : err;
			}
		}
		size_t put = MIN(chunk, PIPE_SIZE - (p->head - p->tail));
		for (size_t i = 0; i < put; i++)
			*pipe_slot(p, p->head++) = src[i];
		spin_unlock(&p->lock);
		pipe_wake(p, PIPE_EDGE_IN);
		done += put;
	}
	kfree(tmp);
	return (long)done;
}

/* pipe_write - file_ops.write: from user memory. */
static long pipe_write(struct file *f, unsigned long ubuf, size_t n)
{
	return pipe_put(f, ubuf, 0, n);
}

/* pipe_write_kernel - file_ops.write_kernel: from kernel memory (sendfile). */
static long pipe_write_kernel(struct file *f, const void *buf, size_t n)
{
	return pipe_put(f, 0, buf, n);
}

/*
 * pipe_poll - the read end is readable with data or without writers (then
 * also POLLHUP); the write end is writable with room for PIPE_BUF bytes,
 * and POLLERR once no reader is left.
 */
static unsigned pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned ev = 0;

	spin_lock(&p->lock);
	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		if (p->head != p->tail)
			ev |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			ev |= POLLHUP;
	} else {
		if (PIPE_SIZE - (p->head - p->tail) >= PIPE_BUF)
			ev |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			ev |= POLLERR;
	}
	spin_unlock(&p->lock);
	return ev;
}

/* pipe_poll_gen - the pipe's edge counters: both ends share them. */
static void pipe_poll_gen(struct file *f, unsigned gen[2])
{
	struct pipe *p = f->priv;

	for (int i = 0; i < 2; i++)
		gen[i] = __atomic_load_n(&p->gen[i], __ATOMIC_SEQ_CST);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read, .write = pipe_write, .release = pipe_release, .poll = pipe_poll,
	.poll_gen = pipe_poll_gen, .write_kernel = pipe_write_kernel,
};

/*
 * pipe_create - a new pipe's read end in *@rf and write end in *@wf, one
 * reference each, O_NONBLOCK from @flags.  0, or -ENOMEM with nothing made.
 */
int pipe_create(struct file **rf, struct file **wf, unsigned flags)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	int ok = 1;
	for (int i = 0; i < PIPE_PAGES; i++)
		ok &= (p->page[i] = kmalloc(4096)) != 0;
	*rf = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK));
	*wf = file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK));
	if (!ok || !*rf || !*wf) {
		for (int i = 0; i < PIPE_PAGES; i++)
			kfree(p->page[i]);
		kfree(*rf);
		kfree(*wf);
		kfree(p);
		return -ENOMEM;
	}
	p->lock = (struct spinlock)SPINLOCK_INIT("pipe");
	p->readers = p->writers = 1;
	(*rf)->priv = (*wf)->priv = p;
	(*rf)->mode = (*wf)->mode = 0010600;	/* S_IFIFO */
	return 0;
}

/*
 * pipe2(fds, flags) - a new pipe's read and write ends in the two lowest
 * free descriptors; O_CLOEXEC and O_NONBLOCK are the only flags.  On any
 * failure no descriptor is left behind.
 */
SYSCALL(pipe2)
{
	struct proc *p = current();
	struct file *rf, *wf;
	int fds[2];
	long r;

	if (a1 & ~(unsigned long)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if ((r = pipe_create(&rf, &wf, (unsigned)a1)))
		return r;
	fds[0] = fd_install(p, rf, 0, (a1 & O_CLOEXEC) != 0);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(p, wf, 0, (a1 & O_CLOEXEC) != 0);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			fd_remove(p, fds[0]);
		file_put(rf);
		file_put(wf);
		return -EMFILE;
	}
	if (uaccess_copy_to_user(a0, fds, sizeof(fds))) {
		fd_remove(p, fds[0]);
		fd_remove(p, fds[1]);
		file_put(rf);
		file_put(wf);
		return -EFAULT;
	}
	return 0;
}
