/*
 * futex.c - futex wait queues.
 *
 * A futex is named by a key: the shared-memory object and the offset in
 * it for MAP_SHARED memory (so processes sharing it meet there, whatever
 * their addresses and whether or not the page is mapped yet), else the
 * address space and the virtual address.  Waiters are records on their own
 * kernel stacks, on one list under futex_lock.  A waiter enqueues itself *before* it reads the
 * user word, so a waker that changes the word after that read finds it in
 * the queue: no wakeup is lost, and no user memory is touched under the lock.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "time.h"
#include "irq.h"
#include "futex.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"

struct futex_waiter {
	/*
	 * The mm, or the shared-memory object.  Neither is pinned: a waiter's own
	 * mapping keeps the object alive while it sleeps, since no other process
	 * can unmap it from under a waiter (threads will change that).
	 */
	const void *space;
	unsigned long addr;		/* the user address, or the offset in the object */
	uint32_t bitset;
	int woken;
	struct futex_waiter *next;
};

static struct spinlock futex_lock = SPINLOCK_INIT("futex");
static struct futex_waiter *waiters;

/* futex_key - fill @w's key for @uaddr in the current address space. */
static void futex_key(struct futex_waiter *w, unsigned long uaddr)
{
	struct mm *mm = current()->mm;

	if (!mm_shared_key(mm, uaddr, &w->space, &w->addr)) {
		w->space = mm;
		w->addr = uaddr;
	}
}

/* unlink_waiter - take @w off the list if it is still there. futex_lock held. */
static void unlink_waiter(struct futex_waiter *w)
{
	for (struct futex_waiter **pp = &waiters; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

long futex_wait(unsigned long uaddr, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset };
	uint32_t now;
	long r = 0;

	if ((uaddr & 3) || !bitset)
		return -EINVAL;
	if (uaccess_copy_from_user(&now, uaddr, sizeof(now)))	/* EFAULT before anything is queued */
		return -EFAULT;
	futex_key(&w, uaddr);
	spin_lock(&futex_lock);
	w.next = waiters;
	waiters = &w;
	spin_unlock(&futex_lock);

	if (uaccess_copy_from_user(&now, uaddr, sizeof(now)))
		r = -EFAULT;
	else if (now != val)
		r = -EAGAIN;
	spin_lock(&futex_lock);
	while (!r && !w.woken) {
		if (deadline && time_now_ns() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		/* With a deadline, wake on every tick to look at the clock. */
		if (sched_sleep_intr(deadline ? (void *)&jiffies : (void *)&w, &futex_lock))
			r = deadline ? -EINTR : -ERESTARTSYS;	/* as Linux: restart an untimed wait */
	}
	if (w.woken)
		r = 0;
	unlink_waiter(&w);
	spin_unlock(&futex_lock);
	return r;
}

long futex_wake(unsigned long uaddr, int n, uint32_t bitset)
{
	struct futex_waiter key;
	int woke = 0;

	if ((uaddr & 3) || !bitset)
		return -EINVAL;
	futex_key(&key, uaddr);
	spin_lock(&futex_lock);
	for (struct futex_waiter **pp = &waiters; *pp && woke < n;) {
		struct futex_waiter *w = *pp;

		if (w->space != key.space || w->addr != key.addr || !(w->bitset & bitset)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		w->woken = 1;
		sched_wakeup(w);		/* an untimed waiter sleeps on its record */
		woke++;
	}
	spin_unlock(&futex_lock);
	return woke;
}

/* futex_exit_robust - a dying thread's robust futexes (stub until the robust walk lands). */
void futex_exit_robust(unsigned long head, unsigned long len, int tid)
{
	(void)head; (void)len; (void)tid;
}
