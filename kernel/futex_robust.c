/*
 * futex_robust.c - robust futexes: what a dying thread does for the locks
 * it still holds.
 *
 * A thread registers (set_robust_list) the head of a list that lives in
 * its own memory: struct robust_list_head { next; futex_offset;
 * list_op_pending; }.  Each entry is the list link inside a lock; the lock
 * word sits futex_offset bytes from the link.  The low bit of a link marks
 * a PI lock.  list_op_pending names the lock the thread was in the middle
 * of taking or releasing, which may or may not be on the list yet.
 *
 * When the thread dies, every lock word that still names it as owner (the
 * low 30 bits are the TID) gets FUTEX_OWNER_DIED, keeps FUTEX_WAITERS, and
 * loses the TID, in one compare-and-swap so a concurrent locker in user
 * space is never overwritten; if someone was waiting, one waiter is woken
 * to find the lock dead (pthread_mutex_lock then returns EOWNERDEAD).
 *
 * The list is user memory and may be garbage or circular: the walk stops
 * after FUTEX_ROBUST_MAX entries or at the first fault.
 */
#include "kernel.h"
#include "futex.h"
#include "../vm/uaccess.h"

#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define FUTEX_TID_MASK		0x3fffffffU
#define FUTEX_ROBUST_MAX	2048

/* The user's struct robust_list_head on a 64-bit ABI. */
struct futex_robust_head {
	uint64_t next;
	int64_t futex_offset;
	uint64_t pending;
};

/*
 * futex_robust_death - the lock word at @uaddr, if thread @tid owns it:
 * mark the owner dead and wake a waiter.  @pending: it came from
 * list_op_pending; @pi: a PI lock (whose waiters the kernel would track,
 * had it PI futexes: none here, so nobody to wake).  0, or -1 on a fault
 * or misalignment (the walk stops).
 */
static int futex_robust_death(unsigned long uaddr, int tid, int pending, int pi)
{
	uint32_t val, cur;

	if (uaddr & 3)
		return -1;
	for (;;) {
		if (uaccess_copy_from_user(&val, uaddr, sizeof(val)))
			return -1;
		/*
		 * Died between releasing the word (now 0) and the FUTEX_WAKE, or
		 * woken and died before taking it: pass the wake on, or a waiter
		 * may sleep forever.  Only for the pending op, where this can be.
		 */
		if (pending && !pi && !val) {
			futex_wake(uaddr, 1, FUTEX_BITSET_ANY);
			return 0;
		}
		if ((val & FUTEX_TID_MASK) != (uint32_t)tid)
			return 0;
		if (uaccess_cmpxchg_u32(uaddr, val, (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED, &cur))
			return -1;
		if (cur == val)
			break;		/* else a waiter set FUTEX_WAITERS meanwhile: again */
	}
	if (!pi && (val & FUTEX_WAITERS))
		futex_wake(uaddr, 1, FUTEX_BITSET_ANY);
	return 0;
}

void futex_exit_robust(unsigned long head, unsigned long len, int tid)
{
	struct futex_robust_head h;
	unsigned long entry, pending;
	uint64_t next;
	int n, more = 1;

	if (!head || len != sizeof(h) || uaccess_copy_from_user(&h, head, sizeof(h)))
		return;
	pending = h.pending & ~1UL;
	entry = h.next;
	for (n = 0; more && (entry & ~1UL) != head && n < FUTEX_ROBUST_MAX; n++) {
		unsigned long e = entry & ~1UL;

		/* Fetch the link first: the lock may be freed once it is marked. */
		more = !uaccess_get_u64(e, &next);
		if (e != pending &&
		    futex_robust_death(e + (unsigned long)h.futex_offset, tid, 0, entry & 1))
			return;
		entry = next;
	}
	if (pending)
		futex_robust_death(pending + (unsigned long)h.futex_offset, tid, 1, h.pending & 1);
}
