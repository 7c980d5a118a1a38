/*
 * eventfd.c - eventfd2: a 64-bit counter behind a descriptor, for one
 * process or thread to signal another through read, write and poll.
 *
 * A write adds its 8-byte value to the counter; a read takes the whole
 * counter (or just 1 in semaphore mode) and leaves it 0.  Reads wait
 * while the counter is 0, writes while the sum would reach the largest
 * value, UINT64_MAX - 1 (UINT64_MAX itself is never a count, so a write
 * of it is EINVAL).  Like a pipe, one lock guards the counter, sleepers
 * wait on the object, and every change notifies pollers.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/syscall.h"
#include "../vm/kmalloc.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "poll.h"

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK

#define EVENTFD_MAX	(UINT64_MAX - 1)	/* the largest count */

struct eventfd {
	struct spinlock lock;
	uint64_t count;
	int semaphore;			/* EFD_SEMAPHORE: a read takes 1 */
	unsigned gen[2];		/* edge counters (poll.h): added to, taken from */
};

/* eventfd_changed - count an edge on side @edge, then wake sleepers and pollers. */
static void eventfd_changed(struct eventfd *e, int edge)
{
	__atomic_add_fetch(&e->gen[edge], 1, __ATOMIC_SEQ_CST);
	sched_wakeup(e);
	poll_notify();
}

/*
 * eventfd_read - the 8-byte count (1 in semaphore mode) into @ubuf, taken
 * off the counter; waits while it is 0 unless O_NONBLOCK (EAGAIN).  EINVAL
 * for a buffer under 8 bytes.  Returns 8.
 */
static long eventfd_read(struct file *f, unsigned long ubuf, size_t n)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (n < sizeof(v))
		return -EINVAL;
	spin_lock(&e->lock);
	while (e->count == 0) {
		int err = (f->flags & O_NONBLOCK) ? -EAGAIN :
			  sched_sleep_intr(e, &e->lock) ? -ERESTARTSYS : 0;
		if (err) {
			spin_unlock(&e->lock);
			return err;
		}
	}
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	spin_unlock(&e->lock);
	eventfd_changed(e, POLL_EDGE_OUT);
	/* Taken already, as in Linux: a bad buffer loses the value. */
	return uaccess_copy_to_user(ubuf, &v, sizeof(v)) ? -EFAULT : (long)sizeof(v);
}

/*
 * eventfd_write - add the 8-byte value at @ubuf to the counter, waiting
 * (unless O_NONBLOCK: EAGAIN) until it fits under EVENTFD_MAX.  EINVAL for
 * a buffer under 8 bytes or the value UINT64_MAX.  Returns 8.
 */
static long eventfd_write(struct file *f, unsigned long ubuf, size_t n)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (n < sizeof(v))
		return -EINVAL;
	if (uaccess_copy_from_user(&v, ubuf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	spin_lock(&e->lock);
	while (EVENTFD_MAX - e->count < v) {
		int err = (f->flags & O_NONBLOCK) ? -EAGAIN :
			  sched_sleep_intr(e, &e->lock) ? -ERESTARTSYS : 0;
		if (err) {
			spin_unlock(&e->lock);
			return err;
		}
	}
	e->count += v;
	spin_unlock(&e->lock);
	eventfd_changed(e, POLL_EDGE_IN);	/* even for 0: Linux wakes its pollers too */
	return sizeof(v);
}

/*
 * eventfd_poll - readable while the count is above 0, writable while a
 * write of 1 would not wait.  No POLLRDNORM/POLLWRNORM: Linux sets neither.
 */
static unsigned eventfd_poll(struct file *f)
{
	struct eventfd *e = f->priv;
	unsigned ev = 0;

	spin_lock(&e->lock);
	if (e->count > 0)
		ev |= POLLIN;
	if (e->count < EVENTFD_MAX)
		ev |= POLLOUT;
	spin_unlock(&e->lock);
	return ev;
}

/* eventfd_poll_gen - the edge counters: a write is an input edge, a read an output one. */
static void eventfd_poll_gen(struct file *f, unsigned gen[2])
{
	struct eventfd *e = f->priv;

	for (int i = 0; i < 2; i++)
		gen[i] = __atomic_load_n(&e->gen[i], __ATOMIC_SEQ_CST);
}

/* eventfd_release - the last descriptor is gone: nobody can sleep on it any more. */
static void eventfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read, .write = eventfd_write, .release = eventfd_release,
	.poll = eventfd_poll, .poll_gen = eventfd_poll_gen, .anon_name = "[eventfd]",
};

/*
 * eventfd2(initval, flags) - a new eventfd counting from @initval, in the
 * lowest free descriptor.  Flags: EFD_SEMAPHORE, EFD_CLOEXEC, EFD_NONBLOCK;
 * anything else is EINVAL.
 */
SYSCALL(eventfd2)
{
	unsigned flags = (unsigned)a1;
	struct eventfd *e;
	struct file *f;
	int fd;

	if (flags & ~(unsigned)(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	f = e ? file_alloc(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK)) : 0;
	if (!f) {
		kfree(e);
		return -ENOMEM;
	}
	e->lock = (struct spinlock)SPINLOCK_INIT("eventfd");
	e->count = a0;
	e->semaphore = (flags & EFD_SEMAPHORE) != 0;
	f->priv = e;
	f->mode = 0600;		/* an anonymous inode: no file type bits, as Linux */
	fd = fd_install(current(), f, 0, (flags & EFD_CLOEXEC) != 0);
	if (fd < 0)
		file_put(f);
	return fd;
}
