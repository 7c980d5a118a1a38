/*
 * futex.c - futex wait queues: WAIT, WAKE, their _BITSET forms, REQUEUE,
 * CMP_REQUEUE and WAKE_OP, each with or without FUTEX_PRIVATE_FLAG.
 *
 * Keys.  A futex is named by a key: the shared-memory object and the offset
 * in it for MAP_SHARED memory (so processes sharing it meet there, whatever
 * their addresses), else the address space and the virtual address.  With
 * FUTEX_PRIVATE_FLAG the caller promises the word is not shared with
 * another process, so the key is the address space and address without
 * looking at the mappings (as on Linux, a private waiter on a MAP_SHARED
 * word therefore does not meet a shared waker).
 *
 * Buckets.  Waiters are records on their own kernel stacks, hashed by key
 * into FUTEX_NBUCKETS buckets, each a FIFO list under its own lock, so a
 * wake looks only at the waiters that hash with it.  A waiter's bucket
 * changes only when REQUEUE moves it, with both buckets' locks held; a
 * waiter therefore finds its own lock with futex_lock_own.
 *
 * No lost wakeups.  A waiter enqueues itself *before* it reads the user
 * word, and a waker takes the bucket lock *after* changing the word: the
 * lock orders the two, so either the waiter reads the new value or the
 * waker finds it queued.  No user memory is touched under a bucket lock
 * (spinlock.h), which is why CMP_REQUEUE compares and WAKE_OP modifies
 * the word just before taking the locks rather than under them: a waiter
 * that queued meanwhile has read the word after that, which is all the
 * ordering either operation promises.
 *
 * Sleeping.  An untimed waiter sleeps on its record and is woken exactly;
 * a timed one sleeps on jiffies, looks at the clock on every tick, and a
 * waker also wakes the jiffies sleepers for it, so a wake is not delayed
 * to the next tick.
 *
 * PI futexes (LOCK_PI, UNLOCK_PI, TRYLOCK_PI, WAIT_REQUEUE_PI,
 * CMP_REQUEUE_PI, LOCK_PI2) are ENOSYS: Holstein has no priorities to
 * inherit.  glibc probes for them and then refuses PTHREAD_PRIO_INHERIT
 * mutexes with ENOTSUP; every other mutex, condvar and join works without.
 *
 * Keys are compared, never dereferenced: a shared-memory object freed and
 * reused while someone still waits on it (a thread unmapped it) can cost
 * a spurious wakeup, which futex users must tolerate anyway.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "time.h"
#include "irq.h"
#include "futex.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"

#define FUTEX_HASH_BITS	6
#define FUTEX_NBUCKETS	(1 << FUTEX_HASH_BITS)

struct futex_key {
	const void *space;	/* the mm, or the shared-memory object */
	unsigned long addr;	/* the user address, or the offset in the object */
};

struct futex_waiter {
	struct futex_key key;
	struct futex_bucket *bucket;	/* changes only under both locks (requeue) */
	uint32_t bitset;
	int woken;			/* set by the waker, with the waiter dequeued */
	int timed;			/* sleeps on jiffies rather than on this record */
	struct futex_waiter *next, **pprev;
};

struct futex_bucket {
	struct spinlock lock;
	struct futex_waiter *head, **tail;	/* FIFO: the oldest waiter wakes first */
};

static struct futex_bucket futex_buckets[FUTEX_NBUCKETS] = {
	[0 ... FUTEX_NBUCKETS - 1] = { .lock = SPINLOCK_INIT("futex") },
};

/* futex_hash - the bucket of @k: a multiplicative hash of both halves. */
static struct futex_bucket *futex_hash(const struct futex_key *k)
{
	uint64_t h = ((uint64_t)(uintptr_t)k->space * 0x9e3779b97f4a7c15ULL) ^ (k->addr >> 2);

	h *= 0x9e3779b97f4a7c15ULL;
	return &futex_buckets[h >> (64 - FUTEX_HASH_BITS)];
}

static int futex_key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr;
}

/*
 * futex_key_of - the key of the u32 at @uaddr in the current address space.
 * 0, -EINVAL if misaligned, -EFAULT outside the user half or, for a shared
 * key, if the word cannot be read (Linux needs the page to name it).
 */
static long futex_key_of(unsigned long uaddr, int private, struct futex_key *k)
{
	struct mm *mm = current()->mm;
	const void *obj;
	unsigned long off;
	uint32_t probe;

	if (uaddr & 3)
		return -EINVAL;
	if (!uaccess_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	k->space = mm;
	k->addr = uaddr;
	if (private)
		return 0;
	if (uaccess_copy_from_user(&probe, uaddr, sizeof(probe)))
		return -EFAULT;
	if (mm_shared_key(mm, uaddr, &obj, &off)) {
		k->space = obj;
		k->addr = off;
	}
	return 0;
}

/* futex_enqueue - append @w to @b. @b's lock held. */
static void futex_enqueue(struct futex_bucket *b, struct futex_waiter *w)
{
	if (!b->tail)
		b->tail = &b->head;
	w->bucket = b;
	w->next = NULL;
	w->pprev = b->tail;
	*b->tail = w;
	b->tail = &w->next;
}

/* futex_dequeue - take @w off its bucket. Its bucket's lock held. */
static void futex_dequeue(struct futex_waiter *w)
{
	struct futex_bucket *b = w->bucket;

	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	else
		b->tail = w->pprev;
}

/*
 * futex_wake_one - dequeue @w and wake it. Its bucket's lock held, so @w
 * cannot return (and its stack record vanish) before this is done.
 */
static void futex_wake_one(struct futex_waiter *w)
{
	futex_dequeue(w);
	w->woken = 1;
	sched_wakeup(w->timed ? (void *)&jiffies : (void *)w);
}

/*
 * futex_lock_own - lock the bucket @w is queued on and return it.  REQUEUE
 * may move @w between reading w->bucket and locking it, so look again
 * under the lock: a move needs that lock, so once it matches it stays.
 */
static struct futex_bucket *futex_lock_own(struct futex_waiter *w)
{
	for (;;) {
		struct futex_bucket *b = READ_ONCE(w->bucket);

		spin_lock(&b->lock);
		if (READ_ONCE(w->bucket) == b)
			return b;
		spin_unlock(&b->lock);
	}
}

/* futex_lock2 - lock two buckets (maybe the same one), lower address first. */
static void futex_lock2(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a > b) {
		struct futex_bucket *t = a;

		a = b;
		b = t;
	}
	spin_lock(&a->lock);
	if (b != a)
		spin_lock(&b->lock);
}

static void futex_unlock2(struct futex_bucket *a, struct futex_bucket *b)
{
	if (b != a)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

/*
 * futex_sleep - the queued waiter @w sleeps until woken, @deadline or a
 * signal; it leaves the queue on every path.  0 if woken, -ETIMEDOUT,
 * -EINTR for a timed wait, -ERESTARTSYS for an untimed one (as Linux: an
 * SA_RESTART handler restarts it, a handler without returns EINTR).
 */
static long futex_sleep(struct futex_waiter *w, uint64_t deadline)
{
	struct futex_bucket *b = futex_lock_own(w);
	long r = 0;

	while (!r && !w->woken) {
		if (deadline && time_now_ns() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		if (sched_sleep_intr(w->timed ? (void *)&jiffies : (void *)w, &b->lock))
			r = deadline ? -EINTR : -ERESTARTSYS;
		if (READ_ONCE(w->bucket) != b) {	/* requeued while asleep */
			spin_unlock(&b->lock);
			b = futex_lock_own(w);
		}
	}
	if (w->woken)
		r = 0;		/* a wake that raced with the timeout or signal counts */
	else
		futex_dequeue(w);
	spin_unlock(&b->lock);
	return r;
}

/*
 * futex_wait - sleep while the u32 at @uaddr holds @val, until a wake that
 * meets @bitset, @deadline (0 = none) or a signal.  0, -EAGAIN if the word
 * differs, -ETIMEDOUT, -EINTR/-ERESTARTSYS, -EINVAL, -EFAULT.
 */
static long futex_wait(unsigned long uaddr, int private, uint32_t val, uint64_t deadline,
		       uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset, .timed = deadline != 0 };
	struct futex_bucket *b;
	uint32_t now;
	long r;

	if (!bitset)
		return -EINVAL;
	if ((r = futex_key_of(uaddr, private, &w.key)))
		return r;
	if (uaccess_copy_from_user(&now, uaddr, sizeof(now)))	/* EFAULT before anything is queued */
		return -EFAULT;
	b = futex_hash(&w.key);
	spin_lock(&b->lock);
	futex_enqueue(b, &w);
	spin_unlock(&b->lock);

	if (uaccess_copy_from_user(&now, uaddr, sizeof(now)))
		r = -EFAULT;
	else if (now != val)
		r = -EAGAIN;
	if (r) {
		b = futex_lock_own(&w);
		if (w.woken)
			r = 0;	/* a waker already counted us: do not lose its wake */
		else
			futex_dequeue(&w);
		spin_unlock(&b->lock);
		return r;
	}
	return futex_sleep(&w, deadline);
}

/*
 * futex_wake_key - wake up to @n waiters on @k whose bitset meets @bitset;
 * as Linux, @n <= 0 still wakes one.  @k's bucket locked.  How many woke.
 */
static long futex_wake_key(const struct futex_key *k, int n, uint32_t bitset)
{
	struct futex_bucket *b = futex_hash(k);
	struct futex_waiter *w, *next;
	long woke = 0;

	for (w = b->head; w; w = next) {
		next = w->next;
		if (!futex_key_eq(&w->key, k) || !(w->bitset & bitset))
			continue;
		futex_wake_one(w);
		if (++woke >= n)
			break;
	}
	return woke;
}

/* futex_wake_user - FUTEX_WAKE(_BITSET) on @uaddr with the key kind @private. */
static long futex_wake_user(unsigned long uaddr, int private, int n, uint32_t bitset)
{
	struct futex_key k;
	struct futex_bucket *b;
	long r;

	if (!bitset)
		return -EINVAL;
	if ((r = futex_key_of(uaddr, private, &k)))
		return r;
	b = futex_hash(&k);
	spin_lock(&b->lock);
	r = futex_wake_key(&k, n, bitset);
	spin_unlock(&b->lock);
	return r;
}

long futex_wake(unsigned long uaddr, int n, uint32_t bitset)
{
	return futex_wake_user(uaddr, 0, n, bitset);
}

/*
 * futex_requeue - wake @nwake waiters on @uaddr and move up to @nreq more
 * to @uaddr2 (bitsets are not looked at); with @cmpval, only if @uaddr
 * still holds *@cmpval, else -EAGAIN.  How many were woken or moved.
 */
static long futex_requeue(unsigned long uaddr, unsigned long uaddr2, int private,
			  int nwake, int nreq, const uint32_t *cmpval)
{
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	struct futex_waiter *w, *next;
	uint32_t now;
	long r, count = 0;

	if (nwake < 0 || nreq < 0)
		return -EINVAL;
	if ((r = futex_key_of(uaddr, private, &k1)) || (r = futex_key_of(uaddr2, private, &k2)))
		return r;
	if (cmpval) {
		if (uaccess_copy_from_user(&now, uaddr, sizeof(now)))
			return -EFAULT;
		if (now != *cmpval)
			return -EAGAIN;
	}
	b1 = futex_hash(&k1);
	b2 = futex_hash(&k2);
	futex_lock2(b1, b2);
	for (w = b1->head; w && count - nwake < nreq; w = next) {
		next = w->next;
		if (!futex_key_eq(&w->key, &k1))
			continue;
		if (++count <= nwake) {
			futex_wake_one(w);
			continue;
		}
		w->key = k2;
		if (b2 != b1) {		/* same bucket: the new key is enough */
			futex_dequeue(w);
			futex_enqueue(b2, w);
		}
	}
	futex_unlock2(b1, b2);
	return count;
}

/*
 * futex_op_cmp - the comparison of FUTEX_WAKE_OP's encoded @cmp between
 * the old value and @cmparg, signed: 1, 0, or -ENOSYS for an unknown one.
 */
static long futex_op_cmp(unsigned cmp, int32_t old, int32_t cmparg)
{
	switch (cmp) {
	case 0: return old == cmparg;	/* FUTEX_OP_CMP_EQ */
	case 1: return old != cmparg;	/* NE */
	case 2: return old < cmparg;	/* LT */
	case 3: return old <= cmparg;	/* LE */
	case 4: return old > cmparg;	/* GT */
	case 5: return old >= cmparg;	/* GE */
	default: return -ENOSYS;
	}
}

/* futex_sext12 - the 12-bit field @v as a signed number. */
static int32_t futex_sext12(uint32_t v)
{
	return (int32_t)(v << 20) >> 20;
}

/*
 * futex_wake_op - FUTEX_WAKE_OP: apply the operation encoded in @enc to
 * the word at @uaddr2 atomically, wake up to @nwake waiters on @uaddr and,
 * if the word's old value passes the encoded comparison, up to @nwake2 on
 * @uaddr2.  How many woke in all, or -EINVAL/-EFAULT/-ENOSYS.  As on
 * Linux, an unknown comparison is noticed only after the word changed.
 */
static long futex_wake_op(unsigned long uaddr, unsigned long uaddr2, int private,
			  int nwake, int nwake2, uint32_t enc)
{
	unsigned op = (enc >> 28) & 7, cmp = (enc >> 24) & 15;
	int32_t oparg = futex_sext12(enc >> 12), cmparg = futex_sext12(enc);
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	uint32_t old;
	long r, hit;

	if ((r = futex_key_of(uaddr, private, &k1)) || (r = futex_key_of(uaddr2, private, &k2)))
		return r;
	if (enc & (8U << 28))		/* FUTEX_OP_OPARG_SHIFT: the argument is a bit number */
		oparg = (int32_t)(1U << (oparg & 31));
	if (op > UACCESS_AMO_XOR)	/* FUTEX_OP_SET..XOR are numbered as enum uaccess_amo */
		return -ENOSYS;
	if ((r = uaccess_atomic_u32(uaddr2, (enum uaccess_amo)op, (uint32_t)oparg, &old)))
		return r;
	if ((hit = futex_op_cmp(cmp, (int32_t)old, cmparg)) < 0)
		return hit;
	b1 = futex_hash(&k1);
	b2 = futex_hash(&k2);
	futex_lock2(b1, b2);
	r = futex_wake_key(&k1, nwake, FUTEX_BITSET_ANY);
	if (hit)
		r += futex_wake_key(&k2, nwake2, FUTEX_BITSET_ANY);
	futex_unlock2(b1, b2);
	return r;
}

int futex_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
}

long futex_do(unsigned long uaddr, int op, uint32_t val, uint64_t deadline,
	      unsigned long uaddr2, uint32_t val2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK, private = (op & FUTEX_PRIVATE_FLAG) != 0;

	/* Linux 6.1 takes the wall clock only where a deadline is absolute. */
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, private, val, deadline, FUTEX_BITSET_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, private, val, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake_user(uaddr, private, (int)val, FUTEX_BITSET_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake_user(uaddr, private, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, private, (int)val, (int)val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, private, (int)val, (int)val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, private, (int)val, (int)val2, val3);
	default:	/* FUTEX_FD (gone since 2.6.26), the PI operations, unknown ones */
		return -ENOSYS;
	}
}
