/*
 * signal.h - Linux signal numbers, actions and the per-thread signal state.
 */
#ifndef HOLSTEIN_SIGNAL_H
#define HOLSTEIN_SIGNAL_H

#include <stdint.h>

#define NSIG		64
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGWINCH	28

#define SIG_DFL		0UL
#define SIG_IGN		1UL

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define sigbit(s)	(1ULL << ((s) - 1))

/* The kernel's struct sigaction on riscv64 (no sa_restorer). */
struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	uint64_t mask;
};

/* A thread's own signal state (the actions are shared: struct sighand, proc.h). */
struct sigstate {
	uint64_t pending;		/* thread-directed: tkill, tgkill, faults */
	uint64_t blocked;
	uint64_t saved_blocked;		/* rt_sigsuspend: the mask to restore ... */
	int restore_blocked;		/* ... once a signal has been taken */
	uint64_t waiting;		/* rt_sigtimedwait's set while it waits */
	unsigned long ss_sp, ss_size;	/* sigaltstack; ss_size 0 = disabled */
	int ss_autodisarm;		/* SS_AUTODISARM: disable while a handler runs on it */
};

struct proc;
struct trapframe;

/*
 * signal_send - post @sig to @p's process; a thread that does not block it
 * is woken from an interruptible sleep to take it.  Takes sched_lock.
 */
void signal_send(struct proc *p, int sig);
void signal_send_locked(struct proc *p, int sig);
/* signal_dequeue_locked - take into *@sig a pending signal of @set for @p (its own first). 0 if none. */
int signal_dequeue_locked(struct proc *p, uint64_t set, int *sig);
/*
 * signal_force_kills - would signal_force(@sig) end the current process
 * (no handler runs: none is set, or it is ignored or blocked, which a
 * forced signal overrides)?  What decides whether a fault is worth a log line.
 */
int signal_force_kills(int sig);

/* sig_default_ignored - is doing nothing @sig's default action? */
int sig_default_ignored(int sig);
/* signal_discard_locked - @sig is now ignored: drop it from @p's process and all its threads. */
void signal_discard_locked(struct proc *p, int sig);
/* signal_send_thread_locked - post @sig to thread @t only (tkill, tgkill). sched_lock held. */
void signal_send_thread_locked(struct proc *t, int sig);
/*
 * signal_unblocked_locked - @p's mask just lost bits: drop pending signals
 * that are now unblocked but ignored, as delivery would, so that no
 * interruptible sleep ends for them.  sched_lock held.
 */
void signal_unblocked_locked(struct proc *p);
/* signal_pending - does current() have a deliverable signal? */
int signal_pending(void);
/* signal_deliver - on the way back to user mode: run default actions or set up a handler frame. */
void signal_deliver(struct trapframe *tf);
/* signal_force - a synchronous fault: deliver @sig (si_code @code, si_addr @addr) now, killing if blocked or ignored. */
void signal_force(int sig, int code, unsigned long addr);
long signal_return(void);
/*
 * signal_restart_syscall - a system call cut short with -ERESTARTSYS runs
 * again on return to user mode (no handler, or an SA_RESTART one, runs).
 */
void signal_restart_syscall(struct trapframe *tf);
/* signal_timedwait - rt_sigtimedwait: take a signal of @set; @deadline (time_now_ns) or NULL. */
long signal_timedwait(uint64_t set, unsigned long uinfo, const uint64_t *deadline);
/* signal_altstack - sigaltstack(@uss, @uoss) for current(): 0 or -errno. */
long signal_altstack(unsigned long uss, unsigned long uoss);
long signal_suspend(uint64_t mask);
/* signal_kill_pgrp - @sig to every process of group @pgid. Returns count or -ESRCH. */
int signal_kill_pgrp(int pgid, int sig);

#endif
