/*
 * jobctl.h - job control stops: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU with
 * their default action stop a process, every thread of it; SIGCONT resumes it.
 */
#ifndef HOLSTEIN_JOBCTL_H
#define HOLSTEIN_JOBCTL_H

#include "signal.h"

struct proc;

#define STOP_SIGNALS	(sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU))

/* jobctl_stop_locked - stop @p for @sig (a default-action stop signal). sched_lock held. */
void jobctl_stop_locked(struct proc *p, int sig);
/* jobctl_continue_locked - SIGCONT was sent to @p: resume it if stopped. sched_lock held. */
void jobctl_continue_locked(struct proc *p);
/* jobctl_kill_locked - SIGKILL was sent to @p: a stopped process must wake to die. */
void jobctl_kill_locked(struct proc *p);
/* jobctl_exit_locked - thread @p exits: a stop in progress no longer waits for it to park. */
void jobctl_exit_locked(struct proc *p);
/* jobctl_orphaned_locked - @p lost its parent: if stopped, SIGHUP and SIGCONT (nobody can continue it). */
void jobctl_orphaned_locked(struct proc *p);
/*
 * jobctl_park_locked - @p is current() and at a stop point: if it is stopped, tell the
 * parent (once) and wait until SIGCONT or SIGKILL.  sched_lock held, dropped while parked.
 */
void jobctl_park_locked(struct proc *p);
/* jobctl_stop_point - on the way to user mode: jobctl_park_locked without the lock. */
void jobctl_stop_point(void);

#endif
