/*
 * poll.c - ppoll and pselect6, and the waiting they share with epoll.
 *
 * There is one wait channel for all pollers.  A poller samples poll_seq,
 * scans its files, then announces itself in poll_sleepers and sleeps only
 * if poll_seq has not moved since.  A notifier bumps poll_seq and then
 * wakes the channel if anyone is announced.  Both orders are sequentially
 * consistent (the store-then-load pattern), so either the poller sees the
 * new poll_seq or the notifier sees the poller: no wakeup is lost, and a
 * pipe write costs one atomic add when nobody polls.  Pollers are few, so
 * waking them all on any change keeps each file kind free of per-poller
 * bookkeeping.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "file.h"
#include "fdtable.h"
#include "poll.h"
#include "../kernel/syscall.h"
#include "../kernel/time.h"
#include "../vm/kmalloc.h"
#include "../vm/uaccess.h"

#define FDSET_MAX	1024		/* FD_SETSIZE */

static unsigned poll_seq;
static int poll_chan;
static int poll_sleepers;	/* pollers about to sleep or asleep */
static int poll_timed;		/* those of them with a deadline */

/* poll_notify - some file's readiness may have changed: every poller scans again. */
void poll_notify(void)
{
	__atomic_add_fetch(&poll_seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&poll_sleepers, __ATOMIC_SEQ_CST))
		sched_wakeup(&poll_chan);
}

/* poll_tick - from the tick: if any poller has a deadline, wake them all to check it. */
void poll_tick(void)
{
	if (__atomic_load_n(&poll_timed, __ATOMIC_RELAXED))
		sched_wakeup(&poll_chan);
}

/* poll_file - @f's readiness: POLLIN/POLLOUT/POLLHUP/POLLERR bits. */
unsigned poll_file(struct file *f)
{
	if (f->ops->poll)
		return f->ops->poll(f);
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

/*
 * poll_edges - @f's edge counters into @gen (POLL_EDGE_IN, POLL_EDGE_OUT).
 * A kind without its own counters shares poll_seq, which moves on every
 * notify in the system: an edge-triggered watcher of such a file may see
 * an event again without a change of its own, but never misses one.
 */
void poll_edges(struct file *f, unsigned gen[2])
{
	if (f->ops->poll_gen) {
		f->ops->poll_gen(f, gen);
		return;
	}
	gen[POLL_EDGE_IN] = gen[POLL_EDGE_OUT] = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
}

/*
 * poll_wait - call @scan until it reports readiness (> 0) or an error (< 0),
 * @deadline (time_now_ns) passes (0), or a signal arrives (-EINTR).  A deadline
 * of 0 scans once.
 */
long poll_wait(poll_scan_fn scan, void *arg, uint64_t deadline)
{
	for (;;) {
		unsigned seq = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
		long n = scan(arg);	/* after the sample: a change during the scan moves poll_seq */
		int r = 0;

		if (n)
			return n;
		if (deadline != POLL_NO_DEADLINE && time_now_ns() >= deadline)
			return 0;
		int timed = deadline != POLL_NO_DEADLINE;
		spin_lock(&sched_lock);
		__atomic_add_fetch(&poll_sleepers, 1, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&poll_timed, timed, __ATOMIC_RELAXED);
		if (seq == __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST))
			r = sched_sleep_intr(&poll_chan, &sched_lock);
		__atomic_sub_fetch(&poll_timed, timed, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&poll_sleepers, 1, __ATOMIC_SEQ_CST);
		spin_unlock(&sched_lock);
		if (r)
			return -EINTR;
	}
}

/*
 * poll_sigmask - install the temporary signal mask @umask of @masksize
 * bytes (NULL: keep the mask) for a wait, restored after a handler as
 * rt_sigsuspend's is, or on the way out if no signal came.  0 or -errno.
 */
long poll_sigmask(unsigned long umask, unsigned long masksize)
{
	struct proc *p = current();
	uint64_t mask;

	if (!umask)
		return 0;
	if (masksize != sizeof(mask))
		return -EINVAL;
	if (uaccess_copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	spin_lock(&sched_lock);
	p->sig.saved_blocked = p->sig.blocked;
	p->sig.restore_blocked = 1;
	p->sig.blocked = mask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	signal_unblocked_locked(p);
	spin_unlock(&sched_lock);
	return 0;
}

/*
 * poll_begin - the common ppoll/pselect6 prologue: the deadline from the
 * user's timespec @uts (NULL: none), then poll_sigmask(@umask, @masksize).
 * 0 or -errno.
 */
static long poll_begin(unsigned long uts, unsigned long umask, unsigned long masksize,
		       uint64_t *deadline)
{
	struct ktimespec ts;

	*deadline = POLL_NO_DEADLINE;
	if (uts) {
		if (uaccess_copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
		*deadline = time_now_ns() + (uint64_t)ts.sec * 1000000000ULL + (uint64_t)ts.nsec;
	}
	return poll_sigmask(umask, masksize);
}

/* poll_end - write the time left back to @uts, as Linux does. */
static void poll_end(unsigned long uts, uint64_t deadline)
{
	if (uts && deadline != POLL_NO_DEADLINE) {
		uint64_t now = time_now_ns(), left = deadline > now ? deadline - now : 0;
		struct ktimespec ts = { (int64_t)(left / 1000000000ULL),
					(int64_t)(left % 1000000000ULL) };
		uaccess_copy_to_user(uts, &ts, sizeof(ts));
	}
}

struct kpollfd {
	int32_t fd;
	int16_t events, revents;
};

/* ppoll copies the user's array into pages of POLL_CHUNK entries: nfds may reach FD_NR_OPEN. */
#define POLL_CHUNK	(4096 / sizeof(struct kpollfd))

struct ppoll_args {
	struct kpollfd **chunk;	/* entry i is chunk[i / POLL_CHUNK][i % POLL_CHUNK] */
	unsigned long n;
};

static inline struct kpollfd *ppoll_entry(struct ppoll_args *a, unsigned long i)
{
	return &a->chunk[i / POLL_CHUNK][i % POLL_CHUNK];
}

/* ppoll_scan - fill every pollfd's revents; the count of those with any, as poll(2) returns. */
static long ppoll_scan(void *arg)
{
	struct ppoll_args *a = arg;
	long ready = 0;

	for (unsigned long i = 0; i < a->n; i++) {
		struct kpollfd *pf = ppoll_entry(a, i);
		struct file *f;
		unsigned want = (unsigned)(uint16_t)pf->events | POLLERR | POLLHUP;

		pf->revents = 0;
		if (pf->fd < 0)
			continue;
		f = fd_get(pf->fd);	/* many files: a reference each, not fd_file's pins */
		pf->revents = (int16_t)(f ? poll_file(f) & want : POLLNVAL);
		if (f)
			file_put(f);
		ready += pf->revents != 0;
	}
	return ready;
}

/* ppoll_free - the pages of @a (those allocated so far) and their index. */
static void ppoll_free(struct ppoll_args *a, unsigned long chunks)
{
	for (unsigned long c = 0; c < chunks; c++)
		kfree(a->chunk[c]);
	kfree(a->chunk);
}

/* ppoll_copy_in - the user's @n pollfds at @ufds into pages. 0, -ENOMEM or -EFAULT. */
static long ppoll_copy_in(struct ppoll_args *a, unsigned long ufds)
{
	unsigned long chunks = (a->n + POLL_CHUNK - 1) / POLL_CHUNK;

	if (!(a->chunk = kzalloc(chunks * sizeof(*a->chunk))))
		return -ENOMEM;
	for (unsigned long c = 0; c < chunks; c++) {
		unsigned long first = c * POLL_CHUNK, cnt = MIN(a->n - first, POLL_CHUNK);
		if (!(a->chunk[c] = kmalloc(cnt * sizeof(struct kpollfd))))
			return -ENOMEM;
		if (uaccess_copy_from_user(a->chunk[c], ufds + first * sizeof(struct kpollfd),
					   cnt * sizeof(struct kpollfd)))
			return -EFAULT;
	}
	return 0;
}

/*
 * ppoll(fds, nfds, timeout, sigmask, sigsetsize) - the number of fds with
 * events, 0 on timeout.  More fds than RLIMIT_NOFILE is EINVAL, as on Linux.
 */
SYSCALL(ppoll)
{
	struct ppoll_args a = { 0, a1 };
	uint64_t deadline;
	long r = 0;

	if (a1 > (unsigned long)fd_limit(current()))
		return -EINVAL;
	if (a1)
		r = ppoll_copy_in(&a, a0);
	if (!r)
		r = poll_begin(a2, a3, a4, &deadline);
	if (!r) {
		r = poll_wait(ppoll_scan, &a, deadline);
		poll_end(a2, deadline);
	}
	for (unsigned long i = 0; r >= 0 && i < a1; i++)
		if (uaccess_copy_to_user(a0 + i * sizeof(struct kpollfd) +
					 offsetof(struct kpollfd, revents),
					 &ppoll_entry(&a, i)->revents, sizeof(int16_t)))
			r = -EFAULT;
	if (a.chunk)
		ppoll_free(&a, (a1 + POLL_CHUNK - 1) / POLL_CHUNK);
	return r;
}

struct select_args {
	int nfds;
	uint64_t in[3][FDSET_MAX / 64];		/* read, write, except: what was asked */
	uint64_t out[3][FDSET_MAX / 64];	/* what is ready */
};

/* select_scan - the ready descriptors of the three sets into out; the number of bits set. */
static long select_scan(void *arg)
{
	static const unsigned ready_for[3] = { POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI };
	struct select_args *a = arg;
	long ready = 0;

	memset(a->out, 0, sizeof(a->out));
	for (int fd = 0; fd < a->nfds; fd++) {
		uint64_t bit = 1ULL << (fd % 64);
		int w = fd / 64;
		if (!((a->in[0][w] | a->in[1][w] | a->in[2][w]) & bit))
			continue;
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		unsigned ev = poll_file(f);
		file_put(f);
		for (int s = 0; s < 3; s++)
			if ((a->in[s][w] & bit) && (ev & ready_for[s])) {
				a->out[s][w] |= bit;
				ready++;
			}
	}
	return ready;
}

/* pselect6(nfds, readfds, writefds, exceptfds, timeout, {sigmask, size}) - the ready bits, counted. */
SYSCALL(pselect6)
{
	struct select_args *a;
	unsigned long sets[3] = { a1, a2, a3 }, sigarg[2] = { 0, 0 };
	size_t bytes;
	uint64_t deadline;
	long r = 0;

	if ((long)a0 < 0 || (long)a0 > FDSET_MAX)
		return -EINVAL;
	if (a5 && uaccess_copy_from_user(sigarg, a5, sizeof(sigarg)))
		return -EFAULT;
	if (!(a = kzalloc(sizeof(*a))))
		return -ENOMEM;
	a->nfds = (int)a0;
	bytes = (a0 + 63) / 64 * 8;
	for (int s = 0; s < 3 && !r; s++)
		if (sets[s] && uaccess_copy_from_user(a->in[s], sets[s], bytes))
			r = -EFAULT;
	if (!r)
		r = poll_begin(a4, sigarg[0], sigarg[1], &deadline);
	if (!r) {
		r = poll_wait(select_scan, a, deadline);
		poll_end(a4, deadline);
	}
	for (int s = 0; s < 3 && r >= 0; s++)
		if (sets[s] && uaccess_copy_to_user(sets[s], a->out[s], bytes))
			r = -EFAULT;
	kfree(a);
	return r;
}
