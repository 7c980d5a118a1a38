/*
 * cputime.c - reading the CPU-time account (see cputime.h) in each
 * interface's units.  The charging itself is inline in cputime.h.
 *
 * Only the process itself (on its own hart) and the scheduler that just
 * switched it out (under sched_lock, before anyone may reap it) write a
 * process's account; others read it, a 64-bit load at a time.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "time.h"
#include "cputime.h"
#include "../vm/uaccess.h"

/* cputime_self - the current process's account, charged up to now (we are in the kernel). */
struct cputime cputime_self(void)
{
	struct proc *p = current();

	cputime_charge(&p->cpu, &p->cpu.used.sys);
	return p->cpu.used;
}

/*
 * cputime_group_locked - the time of @g's threads: those already freed
 * (dead) and each one still listed, as last charged.  sched_lock held.
 */
struct cputime cputime_group_locked(const struct tgroup *g)
{
	struct cputime t = g->dead;

	for (const struct proc *p = g->threads; p; p = p->thread_next) {
		t.user += p->cpu.used.user;
		t.sys += p->cpu.used.sys;
	}
	return t;
}

/* cputime_group - the current process's time, ours charged up to now. */
struct cputime cputime_group(void)
{
	struct cputime t;

	cputime_self();		/* brings our own account up to now */
	spin_lock(&sched_lock);
	t = cputime_group_locked(current()->group);
	spin_unlock(&sched_lock);
	return t;
}

/* cputime_children - the time of the current process's reaped children (and theirs). */
struct cputime cputime_children(void)
{
	struct cputime t;

	spin_lock(&sched_lock);
	t = proc_leader(current())->cpu_children;
	spin_unlock(&sched_lock);
	return t;
}

/* cputime_total_ns - user plus system time in nanoseconds, converted once (no double rounding). */
uint64_t cputime_total_ns(const struct cputime *t)
{
	return time_ticks_to_ns(t->user + t->sys);
}

/* cputime_clock_t - time-CSR units in clock ticks (1/HZ s), rounded down like Linux's times(). */
uint64_t cputime_clock_t(uint64_t ticks)
{
	return time_ticks_to_ns(ticks) / (1000000000ULL / HZ);
}

/* cputime_put_rusage - a struct rusage with @t's times as timevals, the other fields 0. */
long cputime_put_rusage(unsigned long urusage, const struct cputime *t)
{
	int64_t ru[18] = { 0 };	/* ru_utime, ru_stime (timevals), then 14 longs */
	uint64_t u = time_ticks_to_ns(t->user) / 1000, s = time_ticks_to_ns(t->sys) / 1000;

	ru[0] = (int64_t)(u / 1000000);
	ru[1] = (int64_t)(u % 1000000);
	ru[2] = (int64_t)(s / 1000000);
	ru[3] = (int64_t)(s % 1000000);
	return uaccess_copy_to_user(urusage, ru, sizeof(ru)) ? -EFAULT : 0;
}
