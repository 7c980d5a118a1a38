/*
 * proc.h - processes.  Holstein has no threads: one process, one address
 * space, one kernel stack.  (A vfork child borrows its parent's address
 * space while the parent sleeps.)
 *
 * Locking: sched_lock guards every process's state, the run queue, the
 * sleep list and the parent/child tree.  A process's own fields (files,
 * signal actions, mm pointer) are touched only by that process, except
 * where noted.
 */
#ifndef HOLSTEIN_PROC_H
#define HOLSTEIN_PROC_H

#include "kernel.h"
#include "cpu.h"
#include "spinlock.h"
#include "signal.h"
#include "cputime.h"

#define NPROC		512
#define NOFILE		64
#define PROC_NAME	16
#define PATH_MAX_K	256

enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

struct mm;
struct file;

struct fpstate {
	uint64_t f[32];
	uint32_t fcsr;
};

struct proc {
	struct context ctx;		/* switch_to's save area */
	unsigned long kstack;		/* lowest address of the kernel stack */
	struct trapframe *tf;		/* user registers, at the top of the kernel stack */
	struct cputime_acct cpu;	/* our CPU time (cputime.h); near the top: charged per trap */

	int pid;
	int slot;			/* index in the process table */
	enum proc_state state;
	void *chan;			/* what a sleeping process waits for */
	int intr;			/* that sleep may be ended by a signal */
	struct proc *run_next;		/* run queue / sleep list link */

	struct proc *parent;
	struct proc *children;		/* first child */
	struct proc *sibling;		/* next child of the same parent */
	int exit_status;		/* wait4 encoding, valid in P_ZOMBIE */
	int exit_signal;		/* signal sent to the parent on exit (SIGCHLD or 0) */
	int pgid, sid;

	struct mm *mm;
	struct proc *vfork_parent;	/* sleeping until we exec or exit */
	int vfork_done;
	unsigned long set_child_tid, clear_child_tid;

	struct file *files[NOFILE];
	uint64_t cloexec;		/* bit fd = FD_CLOEXEC */
	char cwd[PATH_MAX_K];
	char name[PROC_NAME];
	char exe[PATH_MAX_K];		/* /proc/self/exe */
	unsigned umask;

	struct sigstate sig;
	struct fpstate fp;
	int fp_dirty_saved;
	uint64_t start_time;
	/* CPU time of our reaped children, summed when each is reaped (cputime.h). */
	struct cputime cpu_children;
	uint64_t alarm_at, alarm_every;	/* ITIMER_REAL, time_now_ns(); itimer.c */
	/* Job control (jobctl.c), under sched_lock. */
	int stop_sig;			/* the signal that stopped us, or 0 */
	int stop_unreported;		/* stopped while running: the parent is told at the stop */
	int wait_stopped;		/* stop signal for WUNTRACED to report, or 0 */
	int wait_continued;		/* a SIGCONT for WCONTINUED to report */
};

extern struct proc *init_proc;

static inline struct proc *current(void)
{
	return this_cpu()->proc;
}

/* proc.c */
struct proc *proc_alloc(void);
void proc_free(struct proc *p);
void proc_first_run(struct proc *p);	/* entry_thread_start: @p's first moments on its stack */
struct proc *proc_by_pid(int pid);		/* caller holds sched_lock */
int proc_each(int (*fn)(struct proc *p, void *arg), void *arg); /* under sched_lock */
void proc_start_init(const char *path, char **argv);
void proc_exit(int status) __attribute__((noreturn));
long proc_fork(unsigned long flags, unsigned long newsp, unsigned long ptid,
	       unsigned long tls, unsigned long ctid);
long proc_wait4(int pid, unsigned long ustatus, int options, unsigned long urusage);
long proc_waitid(int idtype, int id, unsigned long uinfo, int options, unsigned long urusage);
void proc_set_name(struct proc *p, const char *path);
void proc_vfork_release(struct proc *p);

#endif
