/*
 * itimer.h - ITIMER_REAL, the per-process alarm clock behind setitimer()
 * and glibc's alarm() (riscv64 has no alarm system call).
 */
#ifndef HOLSTEIN_ITIMER_H
#define HOLSTEIN_ITIMER_H

struct proc;

/* itimer_tick - on the timekeeping hart's tick: post SIGALRM to every due process. */
void itimer_tick(void);
/* itimer_cancel_locked - @p is exiting: forget its alarm (sched_lock held). */
void itimer_cancel_locked(struct proc *p);
/* itimer_move_locked - @to (a thread taking over the process at execve) gets @from's alarm. */
void itimer_move_locked(struct proc *from, struct proc *to);

#endif
