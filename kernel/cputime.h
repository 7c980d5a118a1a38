/*
 * cputime.h - one precise account of the CPU time each process uses.
 *
 * A process's user and system time are kept in time-CSR units (the DT
 * timebase) and charged from the time CSR at every crossing: entering the
 * kernel from user mode charges the user stint, leaving for user mode and
 * being switched out charge the kernel stint.  The account's stamp is the
 * time of the last crossing.  No tick sampling: every interface (times,
 * getrusage, wait4's rusage, the CPUTIME clocks, /proc/PID/stat) reads this
 * account and only converts units.
 *
 * The two user-mode crossings are on every system call's path, so they are
 * inline here: a time-CSR read, two loads, two stores.
 */
#ifndef HOLSTEIN_CPUTIME_H
#define HOLSTEIN_CPUTIME_H

#include <stdint.h>
#include "../arch/riscv/hart.h"

/* User and system time, in time-CSR units (ticks of the DT timebase). */
struct cputime {
	uint64_t user, sys;
};

/* A running account: the time used so far and when it was last charged. */
struct cputime_acct {
	struct cputime used;
	uint64_t stamp;
};

/* cputime_charge - add the time since @a's last crossing to @bucket (one of @a's) and restart. */
static inline void cputime_charge(struct cputime_acct *a, uint64_t *bucket)
{
	uint64_t now = arch_read_time();

	*bucket += now - a->stamp;
	a->stamp = now;
}

/* cputime_user_exit - the process trapped from user mode just now: charge its user stint. */
static inline void cputime_user_exit(struct cputime_acct *a)
{
	cputime_charge(a, &a->used.user);
}

/* cputime_user_enter - the process returns to user mode now: charge its kernel stint. */
static inline void cputime_user_enter(struct cputime_acct *a)
{
	cputime_charge(a, &a->used.sys);
}

/* cputime_switch_in - the scheduler is about to run it: its time counts from now. */
static inline void cputime_switch_in(struct cputime_acct *a)
{
	a->stamp = arch_read_time();
}

/* cputime_switch_out - it just gave up its hart, always from the kernel: charge system time. */
static inline void cputime_switch_out(struct cputime_acct *a)
{
	cputime_charge(a, &a->used.sys);
}

/* cputime_self - the current thread's time, up to this moment (the running call included). */
struct cputime cputime_self(void);
/* cputime_group - the current process's time, all its threads, exited ones too. */
struct cputime cputime_group(void);
struct tgroup;
/* cputime_group_locked - any process's time, as last charged. sched_lock held. */
struct cputime cputime_group_locked(const struct tgroup *g);
/* cputime_children - the current process's reaped children's time. */
struct cputime cputime_children(void);
/* cputime_total_ns - user plus system time in nanoseconds (the CPUTIME clocks). */
uint64_t cputime_total_ns(const struct cputime *t);
/* cputime_clock_t - time-CSR units in clock ticks of 1/HZ s (times(), /proc/PID/stat). */
uint64_t cputime_clock_t(uint64_t ticks);
/* cputime_put_rusage - write a struct rusage with @t's user and system time (the rest 0). */
long cputime_put_rusage(unsigned long urusage, const struct cputime *t);

#endif
