/*
 * locks.c - advisory locks: flock(2) and fcntl record locks (see locks.h):
 * the lock lists, waiting, and the release hooks.  The system calls and
 * their argument checks are locks_sys.c's.
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
#include "../kernel/sched.h"
#include "../vm/kmalloc.h"
#include "file.h"
#include "inode.h"
#include "locks.h"
#include "locks_int.h"

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
	struct flock_state *next, **pprev;	/* on busy (pprev set) while it has record locks */
	struct lk *flocks;			/* flock() locks: one per open file at most */
	struct lk *ranges;			/* record locks, by start */
};

/* A classic record locker asleep in F_SETLKW: @owner waits for @blocker's lock. */
struct waiter {
	struct waiter *next;
	const void *owner, *blocker;
};

static struct spinlock locks_lock = SPINLOCK_INIT("locks");
static struct flock_state *busy;	/* the states with record locks: locks_table_gone's scan */
static struct waiter *waiters;

struct flock_state *locks_state(struct inode *ip, int make)
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
		__atomic_store_n(&ip->locks, st, __ATOMIC_RELEASE);
	}
	spin_unlock(&locks_lock);
	kfree(n);
	return st;
}

/*
 * relist - @st's record locks changed: keep it on the busy list exactly
 * while it has some.  So a dying table scans only files that have record
 * locks, and an inode is freed (possibly under mm->lock, where locks_lock
 * may not be taken) with its state off the list.  locks_lock held.
 */
static void relist(struct flock_state *st)
{
	if (st->ranges && !st->pprev) {
		st->next = busy;
		if (busy)
			busy->pprev = &st->next;
		st->pprev = &busy;
		__atomic_store_n(&busy, st, __ATOMIC_RELAXED);
	} else if (!st->ranges && st->pprev) {
		if (st->next)
			st->next->pprev = st->pprev;
		__atomic_store_n(st->pprev, st->next, __ATOMIC_RELAXED);
		st->pprev = 0;
	}
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
static int drop_owner(struct lk **pp, const void *owner)
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
		gone = 1;
	}
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
 * locks_flock_set - a lock of another type is converted in place when
 * nothing conflicts; otherwise, as on Linux, the old lock goes first (so a
 * refused LOCK_NB conversion leaves none).
 */
long locks_flock_set(struct file *f, int type, int nb)
{
	struct flock_state *st = locks_state(f->inode, type != F_UNLCK);
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
			r->end = req->start - 1;
		} else if (r->start < req->start) {
			r->end = req->start - 1;
		} else if (r->end > req->end) {
			r->start = req->end + 1;
		} else {
			kfree(r);
			continue;
		}
		r->next = keep;
		keep = r;
	}
	for (r = keep; r; r = next) {
		next = r->next;
		range_insert(st, r);
	}
	if (req->type == F_UNLCK)
		kfree(req);
	else
		range_insert(st, req);
	relist(st);
}

/* locks_range_set - waits sleep on @st; a classic lock's wait is checked for deadlock first. */
long locks_range_set(struct flock_state *st, const void *owner, int pid, int type,
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

int locks_range_test(struct flock_state *st, const void *owner, int type, int64_t start,
		     int64_t end, struct lock_desc *out)
{
	struct lk *c;

	spin_lock(&locks_lock);
	if ((c = first_conflict(st->ranges, owner, type, start, end)))
		*out = (struct lock_desc){ c->type, c->pid, c->start, c->end };
	spin_unlock(&locks_lock);
	return c != 0;
}

void locks_close(struct file *f, struct fdtable *t)
{
	struct flock_state *st = f->inode ? __atomic_load_n(&f->inode->locks, __ATOMIC_ACQUIRE) : 0;

	if (!st)
		return;
	spin_lock(&locks_lock);
	if (drop_owner(&st->ranges, t)) {
		relist(st);
		sched_wakeup(st);
	}
	spin_unlock(&locks_lock);
}

/*
 * locks_table_gone - only the busy states can hold @t's locks.  An empty
 * list read without the lock is safe: @t's locks were set by its users,
 * whose last table_put ordered them before ours.
 */
void locks_table_gone(struct fdtable *t)
{
	struct flock_state *st, *next;

	if (!__atomic_load_n(&busy, __ATOMIC_RELAXED))
		return;
	spin_lock(&locks_lock);
	for (st = busy; st; st = next) {
		next = st->next;
		if (drop_owner(&st->ranges, t)) {
			relist(st);
			sched_wakeup(st);
		}
	}
	spin_unlock(&locks_lock);
}

void locks_file_gone(struct file *f)
{
	struct flock_state *st = f->inode ? __atomic_load_n(&f->inode->locks, __ATOMIC_ACQUIRE) : 0;

	if (!st)
		return;
	spin_lock(&locks_lock);
	if (drop_owner(&st->flocks, f) | drop_owner(&st->ranges, f)) {
		relist(st);
		sched_wakeup(st);
	}
	spin_unlock(&locks_lock);
}

/*
 * locks_free - no lock can be left on a dying inode: a flock or OFD lock
 * holds its file, which holds the inode, and a classic lock goes with the
 * close of its table's last descriptor of the file (which locks_fcntl
 * rechecks after setting one).  So the state is off the busy list and
 * freed without locks_lock, which inode_put's callers under mm->lock could
 * not take.  Were a lock left after all (a bug), the state is kept, as
 * the busy list may still name it.
 */
void locks_free(struct flock_state *st)
{
	if (!st)
		return;
	if (__atomic_load_n(&st->pprev, __ATOMIC_RELAXED) || st->flocks) {
		pr_warn("locks: an inode died with locks held; its lock state is kept\n");
		return;
	}
	kfree(st);
}
