/*
 * sched.h - the scheduler: one run queue, sleep on a channel, wake it.
 *
 * sched_lock guards every process's state, the run queue, the sleep list
 * and the parent/child tree (see proc.h).
 */
#ifndef HOLSTEIN_SCHED_H
#define HOLSTEIN_SCHED_H

#include "cpu.h"
#include "spinlock.h"

struct proc;

extern struct spinlock sched_lock;

/* sched_loop - this hart's scheduler: run runnable processes forever. */
void sched_loop(void) __attribute__((noreturn));
/* sched_switch - back to the scheduler loop; sched_lock held, state already changed. */
void sched_switch(void);
/* sched_yield - give up the CPU, stay runnable. */
void sched_yield(void);
/* sched_sleep - release @lk, sleep until sched_wakeup(@chan), take @lk again. */
void sched_sleep(void *chan, struct spinlock *lk);
/* sched_sleep_intr - like sched_sleep, but a signal ends it: then -EINTR. */
int sched_sleep_intr(void *chan, struct spinlock *lk);
/* sched_wakeup - make every process sleeping on @chan runnable. */
void sched_wakeup(void *chan);
void sched_wakeup_locked(void *chan);		/* sched_lock held */
void sched_wakeup_proc(struct proc *p);		/* sched_lock held */
void sched_make_runnable(struct proc *p);
/* sched_need_resched[cpu] - the tick asks that hart to give up its CPU on the way to user. */
extern volatile int sched_need_resched[NCPU];
/* sched_fpu_switch_out - save @p's FP registers if it dirtied them (before it leaves this hart). */
void sched_fpu_switch_out(struct proc *p);

#endif
