/*
 * futex.h - futex(2): wait, wake, requeue and wake-op on user words, and the
 * robust-list cleanup a dying thread owes the locks it held.  glibc uses
 * futexes even in a single-threaded program (pthread_once, hence every C++
 * static initialiser guard), across processes in MAP_SHARED memory for
 * process-shared locks, and for every mutex, condvar and join once there
 * are threads.
 */
#ifndef HOLSTEIN_FUTEX_H
#define HOLSTEIN_FUTEX_H

#include <stdint.h>

/* futex(2)'s operations (the low bits of op), as numbered by Linux. */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_ANY	0xffffffffU

/* futex_has_timeout - does operation @cmd read a timespec from futex(2)'s fourth argument? */
int futex_has_timeout(int cmd);

/*
 * futex_do - futex(2) once the caller has turned the timespec into
 * @deadline (time_now_ns(); 0 = none): FUTEX_WAIT's is relative, WAIT_BITSET's
 * absolute on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, the wall clock.
 * @val2 is the fourth argument's low 32 bits for the operations that take
 * a count there (REQUEUE, CMP_REQUEUE, WAKE_OP).  Returns what futex(2) does.
 */
long futex_do(unsigned long uaddr, int op, uint32_t val, uint64_t deadline,
	      unsigned long uaddr2, uint32_t val2, uint32_t val3);

/*
 * futex_wake - wake up to @n (at least 1) waiters on the u32 at @uaddr in
 * the current address space whose bitset meets @bitset, with the shared
 * key (the one a MAP_SHARED word has in every process): how many woke, or
 * -EINVAL/-EFAULT.  For the exit paths: clear_child_tid, robust lists.
 */
long futex_wake(unsigned long uaddr, int n, uint32_t bitset);

/*
 * futex_exit_robust - the robust-futex cleanup of a dying thread: walk the
 * struct robust_list_head at @head (@len its registered size) in the
 * current address space, and for each lock word whose owner TID is @tid
 * set FUTEX_OWNER_DIED, keep FUTEX_WAITERS, clear the TID, and wake one
 * waiter if there were waiters.  Call it in the thread's own address space,
 * before the mm is dropped.  Faults end the walk quietly.  (futex_robust.c)
 */
void futex_exit_robust(unsigned long head, unsigned long len, int tid);

#endif
