/*
 * epoll.c - epoll instances: epoll_create1, epoll_ctl, epoll_pwait.
 *
 * An instance is a list of registrations (struct epitem), each naming a
 * file and the descriptor it was added under (Linux's key is the pair:
 * a dup'd descriptor is a separate registration of the same file).
 * Readiness is not tracked between calls: epoll_pwait asks every
 * registered file's poll method each time it scans, and sleeps on
 * poll.c's wait channel between scans, so any poll_notify wakes it.
 * That is ppoll's cost, O(registrations) per scan, and keeps the file
 * kinds free of per-waiter wakeup lists.
 *
 * Edge-triggered registrations (EPOLLET) remember the file's edge counters
 * (poll.h's poll_gen) as they were when last looked at, and are reported
 * only if the counter of a watched direction has moved since, or if the
 * registration was just added or modified (Linux reports what is ready
 * then, too).  A counter moves on every write to a pipe or eventfd, so a
 * second write to a still-readable pipe is a new edge, as on Linux, but a
 * partial read is not.  EPOLLONESHOT clears the events once reported;
 * EPOLL_CTL_MOD arms them again.
 *
 * One lock, epoll_lock, guards every instance and every file's list of
 * registrations.  It is held while scanning, across the files' poll
 * methods (which take their own kind's lock: a pipe's, tty_lock, an
 * eventfd's), and by file_put's epoll_file_gone, which unlinks a dying
 * file's registrations before the file is freed: so a scan can never meet
 * a freed file.  A registration holds no reference on its file.
 *
 * Limits: an epoll instance cannot be added to another (EINVAL; Linux
 * nests them), and one scan reports at most EPOLL_BATCH events.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "../kernel/time.h"
#include "../vm/kmalloc.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "poll.h"
#include "epoll.h"

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3
#define EPOLL_CLOEXEC	O_CLOEXEC

#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)
/* Flags about the registration, never reported as events. */
#define EPOLL_PRIVATE	(EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)
/* All EPOLLEXCLUSIVE may be combined with, as Linux allows. */
#define EPOLL_EXCL_OK	(POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | \
			 EPOLLEXCLUSIVE)
/* The events each edge counter stands for (poll.h, POLL_EDGE_IN and _OUT). */
#define EPOLL_IN_CLASS	(POLLIN | POLLPRI | POLLRDNORM | POLLRDHUP)
#define EPOLL_OUT_CLASS	(POLLOUT | POLLWRNORM)

#define EPOLL_BATCH	256		/* events one scan gathers at most */

/* struct epoll_event as riscv64 lays it out: not packed, 16 bytes. */
struct kepoll_event {
	uint32_t events;
	uint64_t data;
};
#define EPOLL_MAX_EVENTS	(0x7fffffff / (int)sizeof(struct kepoll_event))

struct epitem {
	struct epitem *prev, *next;	/* in the instance's circular list */
	struct epitem *file_next;	/* in file->epitems */
	struct file *file;		/* no reference: epoll_file_gone unlinks us first */
	int fd;
	uint32_t events;		/* wanted, with POLLERR|POLLHUP; only flags once a
					   ONESHOT has fired */
	uint64_t data;
	unsigned gen[2];		/* the file's edge counters when last looked at */
	int fresh;			/* added or modified since last looked at */
};

struct epoll {
	struct epitem head;		/* sentinel: a scan starts at head.next */
};

static struct spinlock epoll_lock = SPINLOCK_INIT("epoll");
static const struct file_ops epoll_ops;

/* epoll_unlink - take @it off its instance and its file's list, and free it.  epoll_lock held. */
static void epoll_unlink(struct epitem *it)
{
	struct epitem **pp = &it->file->epitems;

	it->prev->next = it->next;
	it->next->prev = it->prev;
	while (*pp != it)
		pp = &(*pp)->file_next;
	*pp = it->file_next;
	kfree(it);
}

/*
 * epoll_file_gone - @f is being freed: unlink its registrations.  The
 * unlocked look first is safe: only epoll_ctl adds to f->epitems, holding
 * a reference, and file_put's acquire-release count orders that before
 * the last reference's drop.
 */
void epoll_file_gone(struct file *f)
{
	if (!__atomic_load_n(&f->epitems, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&epoll_lock);
	while (f->epitems)
		epoll_unlink(f->epitems);
	spin_unlock(&epoll_lock);
}

/* epoll_edge_moved - has a counter that @it watches moved since @it last looked? */
static int epoll_edge_moved(const struct epitem *it, const unsigned gen[2])
{
	int in = gen[POLL_EDGE_IN] != it->gen[POLL_EDGE_IN];
	int out = gen[POLL_EDGE_OUT] != it->gen[POLL_EDGE_OUT];

	if (!(it->events & (EPOLL_IN_CLASS | EPOLL_OUT_CLASS)))
		return in || out;		/* only POLLERR/POLLHUP: any change */
	return (in && (it->events & EPOLL_IN_CLASS)) || (out && (it->events & EPOLL_OUT_CLASS));
}

/*
 * epoll_check - the events @it reports now, 0 for none.  With @consume,
 * looking counts: an edge-triggered registration forgets the edges seen,
 * and a one-shot one is disarmed if it reports.  The counters are read
 * before the state, so a change racing with the look moves them again
 * afterwards: at worst one extra report, never a lost one.  epoll_lock held.
 */
static unsigned epoll_check(struct epitem *it, int consume)
{
	unsigned gen[2], rev;

	if (!(it->events & ~EPOLL_PRIVATE))
		return 0;			/* a one-shot that fired, or nothing asked */
	poll_edges(it->file, gen);
	if ((it->events & EPOLLET) && !it->fresh && !epoll_edge_moved(it, gen))
		return 0;
	rev = poll_file(it->file) & it->events & ~EPOLL_PRIVATE;
	if (consume) {
		it->fresh = 0;
		it->gen[0] = gen[0];
		it->gen[1] = gen[1];
		if (rev && (it->events & EPOLLONESHOT))
			it->events &= EPOLL_PRIVATE;
	}
	return rev;
}

struct epoll_wait_args {
	struct epoll *ep;
	struct kepoll_event *out;
	int max;
};

/*
 * epoll_scan - poll_wait's scan: up to max events into out, their count.
 * When it stops at max, the list turns so that the next scan starts after
 * the last registration reported: a busy file cannot starve the others.
 */
static long epoll_scan(void *arg)
{
	struct epoll_wait_args *a = arg;
	struct epitem *head = &a->ep->head, *it, *last = 0;
	int n = 0;

	spin_lock(&epoll_lock);
	for (it = head->next; it != head && n < a->max; it = it->next) {
		unsigned rev = epoll_check(it, 1);

		if (rev) {
			a->out[n].events = rev;
			a->out[n].data = it->data;
			n++;
			last = it;
		}
	}
	if (n == a->max && last->next != head) {
		head->prev->next = head->next;		/* the sentinel out ... */
		head->next->prev = head->prev;
		head->next = last->next;		/* ... and in after last */
		head->prev = last;
		last->next->prev = head;
		last->next = head;
	}
	spin_unlock(&epoll_lock);
	return n;
}

/* epoll_poll - an epoll file is readable while some registration would report. */
static unsigned epoll_poll(struct file *f)
{
	struct epoll *ep = f->priv;
	unsigned ev = 0;

	spin_lock(&epoll_lock);
	for (struct epitem *it = ep->head.next; it != &ep->head && !ev; it = it->next)
		if (epoll_check(it, 0))
			ev = POLLIN | POLLRDNORM;
	spin_unlock(&epoll_lock);
	return ev;
}

/* epoll_release - the instance's last descriptor is gone: drop every registration. */
static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;

	spin_lock(&epoll_lock);
	while (ep->head.next != &ep->head)
		epoll_unlink(ep->head.next);
	spin_unlock(&epoll_lock);
	kfree(ep);
}

static const struct file_ops epoll_ops = { .release = epoll_release, .poll = epoll_poll,
					   .anon_name = "[eventpoll]" };

/* epoll_create1(flags) - a new, empty epoll instance; EPOLL_CLOEXEC is the only flag. */
SYSCALL(epoll_create1)
{
	struct epoll *ep;
	struct file *f;
	int fd;

	if ((int)a0 & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	f = ep ? file_alloc(&epoll_ops, O_RDWR) : 0;
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	ep->head.next = ep->head.prev = &ep->head;
	f->priv = ep;
	f->mode = 0600;		/* an anonymous inode, as Linux */
	fd = fd_install(current(), f, 0, (a0 & EPOLL_CLOEXEC) != 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* epoll_find - @ep's registration of (@f, @fd), or NULL.  epoll_lock held. */
static struct epitem *epoll_find(struct epoll *ep, struct file *f, int fd)
{
	for (struct epitem *it = ep->head.next; it != &ep->head; it = it->next)
		if (it->file == f && it->fd == fd)
			return it;
	return 0;
}

/* epoll_arm - (re)set @it's events and data from @ev; it reports what is ready at the next scan. */
static void epoll_arm(struct epitem *it, const struct kepoll_event *ev)
{
	it->events = ev->events | POLLERR | POLLHUP;
	it->data = ev->data;
	it->fresh = 1;
	poll_edges(it->file, it->gen);
}

/*
 * epoll_update - do @op for (@tf, @fd) in @ep under epoll_lock.  @fresh is
 * a new registration for ADD (NULL: no memory), freed if unused.  0,
 * -EEXIST, -ENOENT, -ENOMEM, or -EINVAL (a bad op, or MOD of an
 * EPOLLEXCLUSIVE registration).
 */
static long epoll_update(struct epoll *ep, int op, struct file *tf, int fd,
			 const struct kepoll_event *ev, struct epitem *fresh)
{
	struct epitem *it;
	long r = -EINVAL;

	spin_lock(&epoll_lock);
	it = epoll_find(ep, tf, fd);
	if (op == EPOLL_CTL_ADD) {
		r = it ? -EEXIST : !fresh ? -ENOMEM : 0;
		if (!r) {
			fresh->file = tf;
			fresh->fd = fd;
			epoll_arm(fresh, ev);
			fresh->prev = ep->head.prev;	/* at the tail */
			fresh->next = &ep->head;
			ep->head.prev->next = fresh;
			ep->head.prev = fresh;
			fresh->file_next = tf->epitems;
			__atomic_store_n(&tf->epitems, fresh, __ATOMIC_RELEASE);
			fresh = 0;
		}
	} else if (op == EPOLL_CTL_DEL) {
		r = it ? 0 : -ENOENT;
		if (it)
			epoll_unlink(it);
	} else if (op == EPOLL_CTL_MOD) {
		r = !it ? -ENOENT : (it->events & EPOLLEXCLUSIVE) ? -EINVAL : 0;
		if (!r)
			epoll_arm(it, ev);
	}
	spin_unlock(&epoll_lock);
	kfree(fresh);
	if (!r && op != EPOLL_CTL_DEL)
		poll_notify();	/* a waiter on @ep scans again: the file may be ready now */
	return r;
}

/*
 * epoll_ctl(epfd, op, fd, event) - add, modify or delete fd's registration
 * in epfd, with Linux's checks in Linux's order: EFAULT (the event, unless
 * DEL), EBADF, EPERM (a file without a poll method: regular files,
 * directories, /dev/null), EINVAL (epfd is fd or not an epoll; misused
 * EPOLLEXCLUSIVE; a bad op), then EEXIST or ENOENT.
 */
SYSCALL(epoll_ctl)
{
	int op = (int)a1, fd = (int)a2;
	struct kepoll_event ev = { 0, 0 };
	struct file *epf, *tf;

	if (op != EPOLL_CTL_DEL && uaccess_copy_from_user(&ev, a3, sizeof(ev)))
		return -EFAULT;
	epf = fd_file((int)a0);
	tf = fd_file(fd);
	if (!epf || !tf)
		return -EBADF;
	if (!tf->ops->poll)
		return -EPERM;
	if (epf == tf || epf->ops != &epoll_ops)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev.events & EPOLLEXCLUSIVE) &&
	    (op == EPOLL_CTL_MOD || tf->ops == &epoll_ops || (ev.events & ~EPOLL_EXCL_OK)))
		return -EINVAL;
	if (op == EPOLL_CTL_ADD && tf->ops == &epoll_ops)
		return -EINVAL;		/* Holstein does not nest epoll instances */
	return epoll_update(epf->priv, op, tf, fd, &ev,
			    op == EPOLL_CTL_ADD ? kzalloc(sizeof(struct epitem)) : 0);
}

/*
 * epoll_pwait(epfd, events, maxevents, timeout, sigmask, sigsetsize) -
 * wait up to @timeout ms (negative: for ever, 0: not at all) for events,
 * with @sigmask in force meanwhile.  The count stored, 0 on timeout,
 * EINTR on a signal (never restarted, as on Linux).
 */
SYSCALL(epoll_pwait)
{
	int maxevents = (int)a2, timeout = (int)a3;
	struct epoll_wait_args a;
	struct file *epf;
	uint64_t deadline;
	long r;

	if ((r = poll_sigmask(a4, a5)))
		return r;
	if (maxevents <= 0 || maxevents > EPOLL_MAX_EVENTS)
		return -EINVAL;
	if (!uaccess_ok(a1, (size_t)maxevents * sizeof(struct kepoll_event)))
		return -EFAULT;
	if (!(epf = fd_file((int)a0)))
		return -EBADF;
	if (epf->ops != &epoll_ops)
		return -EINVAL;
	a.ep = epf->priv;
	a.max = MIN(maxevents, EPOLL_BATCH);
	if (!(a.out = kzalloc((size_t)a.max * sizeof(*a.out))))	/* zero: no padding leaks */
		return -ENOMEM;
	deadline = timeout < 0 ? POLL_NO_DEADLINE :
		   timeout == 0 ? 0 : time_now_ns() + (uint64_t)timeout * 1000000ULL;
	file_get(epf);		/* the instance outlives a close of epfd while we sleep */
	r = poll_wait(epoll_scan, &a, deadline);
	file_put(epf);
	if (r > 0 && uaccess_copy_to_user(a1, a.out, (size_t)r * sizeof(*a.out)))
		r = -EFAULT;
	kfree(a.out);
	return r;
}
