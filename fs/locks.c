/*
 * locks.c - advisory locks: flock(2) and fcntl record locks (see locks.h).
 *
 * One spinlock, locks_lock, guards every inode's lock lists and the list
 * of waiting lockers.  Lock calls are rare and short, so one lock costs
 * nothing, and it lets deadlock detection follow a chain of waits across
 * files.  A locker that must wait sleeps on its inode's flock_state with
 * locks_lock handed to sched_sleep_intr; whatever removes or weakens a
 * lock wakes that channel, and every waiter looks again (so no wakeup is
 * lost, and no waiter is handed a lock it did not check for itself).
 * Lock order: level 1 (a lock handed to sched_sleep); under it only
 * sched_lock and kmalloc's lock are taken.  No user memory is touched
 * under it.
 *
 * A record lock covers [start, end], both inclusive; end OFFSET_MAX means
 * "to the end of the file and beyond".  One owner's record locks on a
 * file never overlap, and two of one type never abut: setting a lock cuts
 * the owner's others out of its range and swallows its same-type
 * neighbours, as Linux merges them (F_GETLK shows the merged range).
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/syscall.h"
#include "../vm/kmalloc.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
#include "locks.h"

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2
#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define OFFSET_MAX	INT64_MAX
#define DEADLOCK_STEPS	10	/* how far a chain of waits is followed (Linux's depth) */

/* One lock: a record lock on [start, end], or a flock() lock (the whole file). */
struct lk {
	struct lk *next;
	const void *owner;	/* the struct file (flock, OFD) or the struct fdtable */
	int pid;		/* F_GETLK's l_pid: the setter's process id; -1 for OFD locks */
	int type;		/* F_RDLCK or F_WRLCK */
	int64_t start, end;
};

struct flock_state {
	struct flock_state *next, **pprev;	/* all_states */
	struct lk *flocks;			/* flock() locks: one per open file at most */
	struct lk *ranges;			/* record locks, by start */
};

/* A classic record locker asleep in F_SETLKW: @owner waits for @blocker's lock. */
struct waiter {
	struct waiter *next;
	const void *owner, *blocker;
};

/* struct flock, as riscv64 Linux lays it out. */
struct uflock {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid, pad;
};

static struct spinlock locks_lock = SPINLOCK_INIT("locks");
static struct flock_state *all_states;	/* every inode's state: locks_table_gone looks at each */
static struct waiter *waiters;
static unsigned long nranges;		/* record locks anywhere; 0 spares a dying table the scan */

/*
 * state_of - @ip's lock state.  Without one, NULL unless @make: then it is
 * made (NULL if memory is short).  The state lives as long as the inode.
 */
static struct flock_state *state_of(struct inode *ip, int make)
{
	struct flock_state *st = __atomic_load_n(&ip->locks, __ATOMIC_ACQUIRE), *n;

	if (st || !make)
		return st;
	if (!(n = kzalloc(sizeof(*n))))
		return 0;
	spin_lock(&locks_lock);
	if (!(st = ip->locks)) {
		st = n;
		n = 0;
		st->next = all_states;
		if (all_states)
			all_states->pprev = &st->next;
		st->pprev = &all_states;
		all_states = st;
		__atomic_store_n(&ip->locks, st, __ATOMIC_RELEASE);
	}
	spin_unlock(&locks_lock);
	kfree(n);
	return st;
}

/* count_ranges - record locks appeared (+) or went (-).  locks_lock held. */
static void count_ranges(long d)
{
	__atomic_store_n(&nranges, nranges + (unsigned long)d, __ATOMIC_RELAXED);
}

/* conflicts - does lock @a stand in the way of @owner's lock of @type on [start, end]? */
static int conflicts(const struct lk *a, const void *owner, int type, int64_t start, int64_t end)
{
	return a->owner != owner && a->start <= end && start <= a->end &&
	       (a->type == F_WRLCK || type == F_WRLCK);
}

/* first_conflict - the first lock of @list that conflicts (see conflicts), or NULL. */
static struct lk *first_conflict(struct lk *list, const void *owner, int type, int64_t start,
				 int64_t end)
{
	while (list && !conflicts(list, owner, type, start, end))
		list = list->next;
	return list;
}

/* drop_owner - free every lock of @owner on list *@pp; whether any went.  locks_lock held. */
static int drop_owner(struct lk **pp, const void *owner, int ranges)
{
	struct lk *r;
	int gone = 0;

	while ((r = *pp)) {
		if (r->owner != owner) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		kfree(r);
		gone++;
	}
	if (ranges)
		count_ranges(-gone);
	return gone;
}

/*
 * would_deadlock - would @owner waiting for @blocker close a circle of
 * classic record lockers, each waiting for the next?  Followed for
 * DEADLOCK_STEPS waits, as Linux does.  locks_lock held.
 */
static int would_deadlock(const void *owner, const void *blocker)
{
	for (int i = 0; i < DEADLOCK_STEPS; i++) {
		struct waiter *w = waiters;

		if (blocker == owner)
			return 1;
		while (w && w->owner != blocker)
			w = w->next;
		if (!w)
			return 0;
		blocker = w->blocker;
	}
	return 0;
}

/*
 * wait_on - sleep until @st's locks change (or a signal comes), listed in
 * waiters as @w meanwhile if @w is given.  0, or -ERESTARTSYS after a
 * signal (SA_RESTART restarts flock and F_SETLKW, as on Linux).
 * locks_lock held, and held again on return.
 */
static int wait_on(struct flock_state *st, struct waiter *w)
{
	struct waiter **pp;
	int r;

	if (w) {
		w->next = waiters;
		waiters = w;
	}
	r = sched_sleep_intr(st, &locks_lock);
	if (w) {
		for (pp = &waiters; *pp != w; pp = &(*pp)->next)
			;
		*pp = w->next;
	}
	return r ? -ERESTARTSYS : 0;
}

/*
 * flock_set - open file @f takes a flock() lock of @type (F_UNLCK: drops
 * its lock), waiting unless @nb.  A lock of another type is converted in
 * place when nothing conflicts; otherwise, as on Linux, the old lock goes
 * first (so a refused LOCK_NB conversion leaves none).  0, -EAGAIN (EWOULDBLOCK),
 * -ERESTARTSYS or -ENOLCK.
 */
static long flock_set(struct file *f, int type, int nb)
{
	struct flock_state *st = state_of(f->inode, type != F_UNLCK);
	struct lk *spare = 0, **pp, *mine;
	long r = 0;

	if (!st)
		return type == F_UNLCK ? 0 : -ENOLCK;
	if (type != F_UNLCK && !(spare = kzalloc(sizeof(*spare))))
		return -ENOLCK;
	spin_lock(&locks_lock);
	for (;;) {
		for (pp = &st->flocks; (mine = *pp) && mine->owner != f; pp = &mine->next)
			;
		if (mine && mine->type == type)
			break;
		if (type == F_UNLCK || !first_conflict(st->flocks, f, type, 0, OFFSET_MAX)) {
			if (mine && type == F_UNLCK) {
				*pp = mine->next;
				kfree(mine);
			} else if (mine) {
				mine->type = type;
			} else if (type != F_UNLCK) {
				*spare = (struct lk){ st->flocks, f, -1, type, 0, OFFSET_MAX };
				st->flocks = spare;
				spare = 0;
			}
			sched_wakeup(st);	/* an unlock or a downgrade may let waiters in */
			break;
		}
		if (mine) {
			*pp = mine->next;
			kfree(mine);
			sched_wakeup(st);
		}
		if (nb) {
			r = -EAGAIN;
			break;
		}
		if ((r = wait_on(st, 0)))
			break;
	}
	spin_unlock(&locks_lock);
	kfree(spare);
	return r;
}

/* range_insert - put @n among @st's record locks, which stay sorted by start. */
static void range_insert(struct flock_state *st, struct lk *n)
{
	struct lk **pp = &st->ranges;

	while (*pp && (*pp)->start <= n->start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

/* touches - do @a and @b overlap or abut? */
static int touches(const struct lk *a, const struct lk *b)
{
	return (a->start <= b->end && b->start <= a->end) ||
	       (a->end < OFFSET_MAX && a->end + 1 == b->start) ||
	       (b->end < OFFSET_MAX && b->end + 1 == a->start);
}

/*
 * range_apply - make @req its owner's lock over its range (F_UNLCK: no
 * lock there).  The owner's locks are taken out; those of @req's type
 * that touch it are swallowed into it; the others lose what it covers
 * (one that covers more on both sides splits, taking *@spare); the rest
 * go back in order.  @req is inserted, or freed for F_UNLCK.  Given the
 * invariant (an owner's locks neither overlap nor, of one type, abut),
 * the order in which the owner's locks are met does not matter.
 * locks_lock held.
 */
static void range_apply(struct flock_state *st, struct lk *req, struct lk **spare)
{
	struct lk *mine = 0, *keep = 0, **pp = &st->ranges, *r, *next;

	while ((r = *pp)) {
		if (r->owner == req->owner) {
			*pp = r->next;
			r->next = mine;
			mine = r;
		} else {
			pp = &r->next;
		}
	}
	for (r = mine; r; r = next) {
		next = r->next;
		if (r->type == req->type && touches(r, req)) {
			req->start = MIN(req->start, r->start);
			req->end = MAX(req->end, r->end);
			kfree(r);
			count_ranges(-1);
			continue;
		}
		if (r->end < req->start || r->start > req->end) {
			/* untouched */
		} else if (r->start < req->start && r->end > req->end) {
			struct lk *t = *spare;

			*spare = 0;
			*t = *r;
			t->start = req->end + 1;
			t->next = keep;
			keep = t;
			count_ranges(1);
			r->end = req->start - 1;
		} else if (r->start < req->start) {
			r->end = req->start - 1;
		} else if (r->end > req->end) {
			r->start = req->end + 1;
		} else {
			kfree(r);
			count_ranges(-1);
			continue;
		}
		r->next = keep;
		keep = r;
	}
	for (r = keep; r; r = next) {
		next = r->next;
		range_insert(st, r);
	}
	if (req->type == F_UNLCK) {
		kfree(req);
	} else {
		range_insert(st, req);
		count_ranges(1);
	}
}

/*
 * range_set - @owner (process id @pid, -1 for an OFD lock) sets a record
 * lock of @type on [start, end] of @st's file, waiting for conflicting
 * locks to go if @wait.  0, -EAGAIN, -EDEADLK (a classic lock whose wait
 * would close a circle), -ERESTARTSYS or -ENOLCK.
 */
static long range_set(struct flock_state *st, const void *owner, int pid, int type,
		      int64_t start, int64_t end, int wait)
{
	struct lk *req = kzalloc(sizeof(*req)), *spare = kzalloc(sizeof(*spare)), *c;
	struct waiter w = { .owner = owner };
	long r = 0;

	if (!req || !spare) {
		kfree(req);
		kfree(spare);
		return -ENOLCK;
	}
	spin_lock(&locks_lock);
	while (type != F_UNLCK && (c = first_conflict(st->ranges, owner, type, start, end))) {
		if (!wait) {
			r = -EAGAIN;
			break;
		}
		if (pid >= 0 && c->pid >= 0 && would_deadlock(owner, c->owner)) {
			r = -EDEADLK;
			break;
		}
		w.blocker = c->owner;
		if ((r = wait_on(st, pid >= 0 ? &w : 0)))
			break;
	}
	if (!r) {
		*req = (struct lk){ 0, owner, pid, type, start, end };
		range_apply(st, req, &spare);
		req = 0;
		sched_wakeup(st);	/* what was unlocked or downgraded may let waiters in */
	}
	spin_unlock(&locks_lock);
	kfree(req);
	kfree(spare);
	return r;
}

/*
 * range_of - the byte range [*start, *end] that @fl names in @f: from
 * l_whence's base plus l_start, l_len bytes on (backwards when negative;
 * 0: to the end and beyond).  0, -EINVAL (bad whence, a start before 0)
 * or -EOVERFLOW (past the largest offset).
 */
static long range_of(struct file *f, const struct uflock *fl, int64_t *start, int64_t *end)
{
	int64_t base, s;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = (int64_t)inode_size(f->inode);
		break;
	default:
		return -EINVAL;
	}
	if (fl->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	s = base + fl->l_start;
	if (s < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - s)
			return -EOVERFLOW;
		*end = s + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		*end = s - 1;
		s += fl->l_len;
		if (s < 0)
			return -EINVAL;
	} else {
		*end = OFFSET_MAX;
	}
	*start = s;
	return 0;
}

/*
 * get_lock - F_GETLK: the first lock in the way of the one *@fl describes
 * (its type, range from SEEK_SET, 0 for "to the end", and owner's process
 * id, -1 for an OFD lock), or l_type F_UNLCK alone; copied out to @uarg.
 */
static long get_lock(struct file *f, const void *owner, struct uflock *fl, unsigned long uarg)
{
	struct flock_state *st = state_of(f->inode, 0);
	int64_t start, end;
	struct lk *c = 0;
	long r;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	if ((r = range_of(f, fl, &start, &end)))
		return r;
	if (st) {
		spin_lock(&locks_lock);
		if ((c = first_conflict(st->ranges, owner, fl->l_type, start, end))) {
			fl->l_type = (int16_t)c->type;
			fl->l_whence = SEEK_SET;
			fl->l_start = c->start;
			fl->l_len = c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
			fl->l_pid = c->pid;
		}
		spin_unlock(&locks_lock);
	}
	if (!c)
		fl->l_type = F_UNLCK;
	return uaccess_copy_to_user(uarg, fl, sizeof(*fl));
}

long locks_fcntl(int fd, struct file *f, unsigned cmd, unsigned long uarg)
{
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	const void *owner = ofd ? (const void *)f : (const void *)current()->fdt;
	int pid = ofd ? -1 : proc_tgid(current());
	struct flock_state *st;
	struct uflock fl;
	int64_t start, end;
	unsigned acc = f->flags & O_ACCMODE;
	long r;

	if (f->flags & O_PATH)
		return -EBADF;
	if (uaccess_copy_from_user(&fl, uarg, sizeof(fl)))
		return -EFAULT;
	if (!f->inode)
		return -EINVAL;		/* pipes and the like: nothing to hang locks on */
	if (ofd && fl.l_pid)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK)
		return get_lock(f, owner, &fl, uarg);
	if ((r = range_of(f, &fl, &start, &end)))
		return r;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	if ((fl.l_type == F_RDLCK && acc == O_WRONLY) || (fl.l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	if (!(st = state_of(f->inode, fl.l_type != F_UNLCK)))
		return fl.l_type == F_UNLCK ? 0 : -ENOLCK;
	r = range_set(st, owner, pid, fl.l_type, start, end, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
	if (!r && !ofd && fl.l_type != F_UNLCK) {
		/* The descriptor was closed meanwhile: that close missed this lock, so undo it. */
		struct file *now = fd_get(fd);

		if (now != f) {
			range_set(st, owner, pid, F_UNLCK, start, end, 0);
			r = -EBADF;
		}
		if (now)
			file_put(now);
	}
	return r;
}

void locks_close(struct file *f, struct fdtable *t)
{
	struct flock_state *st = f->inode ? __atomic_load_n(&f->inode->locks, __ATOMIC_ACQUIRE) : 0;

	if (!st)
		return;
	spin_lock(&locks_lock);
	if (drop_owner(&st->ranges, t, 1))
		sched_wakeup(st);
	spin_unlock(&locks_lock);
}

void locks_table_gone(struct fdtable *t)
{
	if (!__atomic_load_n(&nranges, __ATOMIC_RELAXED))
		return;
	spin_lock(&locks_lock);
	for (struct flock_state *st = all_states; st; st = st->next)
		if (drop_owner(&st->ranges, t, 1))
			sched_wakeup(st);
	spin_unlock(&locks_lock);
}

void locks_file_gone(struct file *f)
{
	struct flock_state *st = f->inode ? __atomic_load_n(&f->inode->locks, __ATOMIC_ACQUIRE) : 0;

	if (!st)
		return;
	spin_lock(&locks_lock);
	if (drop_owner(&st->flocks, f, 0) | drop_owner(&st->ranges, f, 1))
		sched_wakeup(st);
	spin_unlock(&locks_lock);
}

void locks_free(struct flock_state *st)
{
	if (!st)
		return;
	spin_lock(&locks_lock);
	*st->pprev = st->next;
	if (st->next)
		st->next->pprev = st->pprev;
	while (st->flocks)
		drop_owner(&st->flocks, st->flocks->owner, 0);
	while (st->ranges)
		drop_owner(&st->ranges, st->ranges->owner, 1);
	spin_unlock(&locks_lock);
	kfree(st);
}

/*
 * flock(fd, operation) - LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB not to
 * wait (then EWOULDBLOCK).  EINVAL for anything else, and for files that
 * have no inode (pipes, eventfds): they have nothing to hang a lock on.
 */
SYSCALL(flock)
{
	struct file *f = fd_file((int)a0);
	int type;

	if (!f || (f->flags & O_PATH))
		return -EBADF;
	switch (a1 & ~(ul)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	if (!f->inode)
		return -EINVAL;
	return flock_set(f, type, (a1 & LOCK_NB) != 0);
}
