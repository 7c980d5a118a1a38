/*
 * pipe.c - pipes: a 4 KiB ring, one lock, readers and writers sleeping on
 * the pipe.  Data goes through a small kernel bounce buffer so no lock is
 * held while touching user memory (which may fault, and break COW).
 */
#include "kernel.h"
#include "file.h"
#include "proc.h"
#include "kmalloc.h"
#include "pipe.h"
#include "../vm/uaccess.h"

#define PIPE_SIZE 4096

struct pipe {
	struct spinlock lock;
	char *buf;
	size_t head, tail;		/* bytes written, bytes read (free-running) */
	int readers, writers;
};

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
	wakeup(p);
	if (last) {
		kfree(p->buf);
		kfree(p);
	}
}

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
		if (sleep_on_intr(p, &p->lock)) {
			spin_unlock(&p->lock);
			return -ERESTARTSYS;
		}
	}
	/* Take what is there, up to n, in bounce-buffer sized pieces. */
	size_t done = 0;
	while (done < n && p->head != p->tail) {
		got = 0;
		while (got < sizeof(tmp) && done + got < n && p->head != p->tail)
			tmp[got++] = p->buf[p->tail++ % PIPE_SIZE];
		spin_unlock(&p->lock);
		wakeup(p);
		if (copy_to_user(ubuf + done, tmp, got))
			return done ? (long)done : -EFAULT;
		done += got;
		spin_lock(&p->lock);
	}
	spin_unlock(&p->lock);
	return (long)done;
}

static long pipe_write(struct file *f, unsigned long ubuf, size_t n)
{
	struct pipe *p = f->priv;
	char tmp[256];
	size_t done = 0;

	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(tmp)), put = 0;

		if (copy_from_user(tmp, ubuf + done, chunk))
			return done ? (long)done : -EFAULT;
		spin_lock(&p->lock);
		while (put < chunk) {
			if (p->readers == 0) {
				spin_unlock(&p->lock);
				signal_send(current(), SIGPIPE);
				return done + put ? (long)(done + put) : -EPIPE;
			}
			if (p->head - p->tail == PIPE_SIZE) {
				if (f->flags & O_NONBLOCK) {
					spin_unlock(&p->lock);
					done += put;
					return done ? (long)done : -EAGAIN;
				}
				wakeup(p);
				if (sleep_on_intr(p, &p->lock)) {
					spin_unlock(&p->lock);
					done += put;
					return done ? (long)done : -ERESTARTSYS;
				}
				continue;
			}
			p->buf[p->head++ % PIPE_SIZE] = tmp[put++];
		}
		spin_unlock(&p->lock);
		wakeup(p);
		done += put;
	}
	return (long)done;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read, .write = pipe_write, .release = pipe_release,
};

int pipe_create(struct file **rf, struct file **wf, unsigned flags)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->buf = kmalloc(PIPE_SIZE);
	*rf = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK));
	*wf = file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK));
	if (!p->buf || !*rf || !*wf) {
		kfree(p->buf);
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
