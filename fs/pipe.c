/*
 * pipe.c - pipes: a 64 KiB ring (PIPE_SIZE), one lock, readers and writers
 * sleeping on the pipe.  Data goes through a small kernel bounce buffer so
 * no lock is held while touching user memory (which may fault, and break
 * COW).  pipe2 makes an anonymous one.
 *
 * Named pipes (FIFOs) are the same object hung off the FIFO's inode
 * (inode->priv) while some file has it open: the first opener makes it,
 * the last close frees it with whatever was left unread, as on Linux.  An
 * open for reading waits for a writer and one for writing for a reader
 * (pipe_attach); /proc/PID/fd/N of an anonymous pipe opens another end of
 * the same pipe the same way (pipe_reopen).
 *
 * Lifetime: files counts the open files on the pipe.  For a FIFO it
 * changes under vfs_lock, which also guards inode->priv, so an opener
 * either finds the pipe and counts itself in, or finds none (vfs_lock is
 * never held with the pipe's lock); for an anonymous pipe it is atomic,
 * and only grows while some file holds the pipe.  Every file also counts
 * as a reader, a writer or both (under pipe->lock).
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../vm/kmalloc.h"
#include "../kernel/syscall.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
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
	unsigned ropens, wopens;	/* opens for reading, for writing, ever (pipe_attach) */
	int files;			/* open files on it: see the top of the file */
	struct inode *inode;		/* a FIFO's inode (held by each file), NULL if anonymous */
	uint64_t ino;			/* an anonymous pipe's inode number ("pipe:[ino]") */
};

/* Inode numbers of anonymous pipes: their own sequence (their st_dev is no file system's). */
static uint64_t pipe_next_ino = 1;

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

/* pipe_free - free @p and its ring (some pages may be missing: a failed pipe_alloc). */
static void pipe_free(struct pipe *p)
{
	for (int i = 0; i < PIPE_PAGES; i++)
		kfree(p->page[i]);
	kfree(p);
}

/* pipe_alloc - a new, empty pipe with nobody on it; NULL if out of memory. */
static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));
	int ok = p != 0;

	for (int i = 0; ok && i < PIPE_PAGES; i++)
		ok = (p->page[i] = kmalloc(4096)) != 0;
	if (!ok) {
		if (p)
			pipe_free(p);
		return 0;
	}
	p->lock = (struct spinlock)SPINLOCK_INIT("pipe");
	return p;
}

/*
 * pipe_unref - a file on @p is gone (or an open failed): 1 if it was the
 * last, when @p is no FIFO's any more and the caller frees it.
 */
static int pipe_unref(struct pipe *p)
{
	int last;

	if (!p->inode)
		return __atomic_sub_fetch(&p->files, 1, __ATOMIC_ACQ_REL) == 0;
	spin_lock(&vfs_lock);
	last = --p->files == 0;
	if (last)
		p->inode->priv = 0;	/* the next opener makes a new pipe */
	spin_unlock(&vfs_lock);
	return last;
}

/* pipe_reads / pipe_writes - does a file opened with @flags count as a reader / a writer? */
static int pipe_reads(unsigned flags)
{
	return (flags & O_ACCMODE) != O_WRONLY;
}

static int pipe_writes(unsigned flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

/*
 * pipe_release - one end closed: count it gone and wake the other side
 * (EOF for readers, EPIPE for writers); the last file frees the ring.
 */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;

	spin_lock(&p->lock);
	if (pipe_reads(f->flags))
		p->readers--;
	if (pipe_writes(f->flags))
		p->writers--;
	spin_unlock(&p->lock);
	pipe_wake(p, PIPE_EDGE_IN | PIPE_EDGE_OUT);
	if (pipe_unref(p))
		pipe_free(p);
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
 * also POLLHUP; a FIFO's reader only once a writer came after its open, as
 * Linux's: pos holds the writer opens it saw); the write end is writable
 * with room for PIPE_BUF bytes, and POLLERR once no reader is left.  A
 * FIFO open for both is both.
 */
static unsigned pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned ev = 0;

	spin_lock(&p->lock);
	if (pipe_reads(f->flags)) {
		if (p->head != p->tail)
			ev |= POLLIN | POLLRDNORM;
		if (p->writers == 0 && (!p->inode || f->pos != p->wopens))
			ev |= POLLHUP;
	}
	if (pipe_writes(f->flags)) {
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
	struct pipe *p = pipe_alloc();

	*rf = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK));
	*wf = file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK));
	if (!p || !*rf || !*wf) {
		if (p)
			pipe_free(p);
		kfree(*rf);
		kfree(*wf);
		return -ENOMEM;
	}
	p->readers = p->writers = p->ropens = p->wopens = 1;
	p->files = 2;
	p->ino = __atomic_fetch_add(&pipe_next_ino, 1, __ATOMIC_RELAXED);
	(*rf)->priv = (*wf)->priv = p;
	(*rf)->mode = (*wf)->mode = 0010600;	/* S_IFIFO */
	(*rf)->ino = (*wf)->ino = p->ino;
	return 0;
}

/*
 * pipe_attach - count a file opened with @flags in on @p (the caller
 * counted it in p->files), waiting as Linux's FIFOs do: for reading,
 * until some writer has opened (at once with O_NONBLOCK); for writing,
 * until some reader has (-ENXIO at once with O_NONBLOCK and none there);
 * for both, never.  "Has opened" counts opens, so a partner that came and
 * went already still ends the wait.  An anonymous pipe reopened through
 * /proc/PID/fd never waits nor refuses, as on Linux: its writer is often
 * gone already (`echo x | cat /dev/stdin`, `<(cmd)`) and none would come.
 * 0, -ENXIO or -ERESTARTSYS; *@seen gets the writer opens so far
 * (pipe_poll's POLLHUP).
 */
static long pipe_attach(struct pipe *p, unsigned flags, uint64_t *seen)
{
	int rd = pipe_reads(flags), wr = pipe_writes(flags), nb = (flags & O_NONBLOCK) != 0;
	int fifo = p->inode != 0;
	long r = 0;

	spin_lock(&p->lock);
	if (fifo && wr && !rd && nb && p->readers == 0) {
		spin_unlock(&p->lock);
		return -ENXIO;
	}
	p->readers += rd;
	p->ropens += (unsigned)rd;
	p->writers += wr;
	p->wopens += (unsigned)wr;
	unsigned r0 = p->ropens, w0 = p->wopens;
	*seen = w0;
	spin_unlock(&p->lock);
	sched_wakeup(p);		/* a partner waiting in its open */
	if (!fifo || nb || (rd && wr))
		return 0;
	spin_lock(&p->lock);
	while (rd ? p->writers == 0 && p->wopens == w0 : p->readers == 0 && p->ropens == r0)
		if (sched_sleep_intr(p, &p->lock)) {
			r = -ERESTARTSYS;
			if (rd)
				p->readers--;
			else
				p->writers--;
			break;
		}
	spin_unlock(&p->lock);
	if (r)
		pipe_wake(p, PIPE_EDGE_IN | PIPE_EDGE_OUT);	/* as if it had closed */
	return r;
}

/*
 * pipe_open_on - the end of @p (counted in its files by the caller) that
 * an open with @flags makes, into *@out.  On failure the count is given
 * back (freeing @p if it was the last).  0 or -errno.
 */
static long pipe_open_on(struct pipe *p, unsigned flags, struct file **out)
{
	struct file *f = file_alloc(&pipe_ops, flags & (O_ACCMODE | O_NONBLOCK));
	uint64_t seen;
	long r = f ? pipe_attach(p, flags, &seen) : -ENOMEM;

	if (r) {
		kfree(f);
		if (pipe_unref(p))
			pipe_free(p);
		return r;
	}
	f->priv = p;
	f->pos = seen;
	f->mode = 0010600;
	f->ino = p->ino;
	*out = f;
	return 0;
}

long pipe_fifo_open(struct inode *ip, unsigned flags, struct file **out)
{
	struct pipe *p, *fresh = 0;
	long r;

	for (;;) {
		spin_lock(&vfs_lock);
		if ((p = ip->priv)) {
			p->files++;
		} else if ((p = fresh)) {
			fresh = 0;
			p->inode = ip;
			p->files = 1;
			ip->priv = p;
		}
		spin_unlock(&vfs_lock);
		if (p)
			break;
		if (!(fresh = pipe_alloc()))
			return -ENOMEM;
	}
	if (fresh)
		pipe_free(fresh);	/* another opener made it meanwhile */
	if ((r = pipe_open_on(p, flags, out)))
		return r;
	(*out)->inode = ip;
	(*out)->mode = ip->mode;
	(*out)->ino = ip->ino;
	return 0;
}

long pipe_reopen(struct file *end, unsigned flags, struct file **out)
{
	struct pipe *p = end->priv;

	if (end->ops != &pipe_ops || p->inode)
		return -ENXIO;
	__atomic_add_fetch(&p->files, 1, __ATOMIC_RELAXED);	/* @end holds another */
	return pipe_open_on(p, flags, out);
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
