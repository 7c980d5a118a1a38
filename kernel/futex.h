/*
 * futex.h - futex(2): FUTEX_WAIT and FUTEX_WAKE (and their _BITSET forms),
 * which glibc uses even in a single-threaded program (pthread_once, hence
 * every C++ static initialiser guard), and across processes in MAP_SHARED
 * memory for process-shared locks.
 */
#ifndef HOLSTEIN_FUTEX_H
#define HOLSTEIN_FUTEX_H

/* futex_wait - sleep while the u32 at @uaddr holds @val, until a wake, @deadline (time_now_ns, 0 = none) or a signal. */
long futex_wait(unsigned long uaddr, uint32_t val, uint64_t deadline, uint32_t bitset);
/* futex_wake - wake up to @n waiters on @uaddr whose bitset meets @bitset; how many woke. */
long futex_wake(unsigned long uaddr, int n, uint32_t bitset);

/* futex_exit_robust - walk a dying thread's robust list: owners marked dead, one waiter woken each. */
void futex_exit_robust(unsigned long head, unsigned long len, int tid);

#endif
