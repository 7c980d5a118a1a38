/*
 * proc.h - threads and the processes (thread groups) they make up.
 *
 * A struct proc is one thread: a kernel stack, user registers, a signal
 * mask, a state the scheduler knows.  What clone() lets threads share
 * hangs off it by pointer, each with a count of the threads using it:
 * the address space (mm, CLONE_VM), the descriptor table (fdt,
 * CLONE_FILES), the cwd and umask (fs, CLONE_FS), the signal actions
 * (sighand, CLONE_SIGHAND) and the thread group (group, CLONE_THREAD).
 *
 * A process is a thread group.  Its first thread, the leader, carries the
 * process-wide identity: its pid is the tgid, and the parent/child tree,
 * the process group and session, wait status and job-control reports live
 * in the leader's struct.  The leader stays (as a zombie if it exited
 * early) until the last thread of the group is gone; only then does the
 * parent hear of the exit, once.  Other threads free themselves when they
 * exit (the scheduler frees them once they are off their stacks).
 *
 * Locking: sched_lock guards every thread's state, the run queue, the
 * sleep list, the parent/child tree, the group's thread list and counts,
 * signal pending sets and actions.  A thread's own fields (tf, fp, mask
 * outside sched_lock reads) are touched only by that thread.
 */
#ifndef HOLSTEIN_PROC_H
#define HOLSTEIN_PROC_H

#include "kernel.h"
#include "cpu.h"
#include "spinlock.h"
#include "signal.h"
#include "cputime.h"

#define NPROC		512
#define PROC_NAME	16
#define PATH_MAX_K	256

/* P_DEAD: a thread other than the leader that exited; the scheduler frees it once off its stack. */
enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE, P_DEAD };

struct mm;
struct file;
struct fdtable;
struct inode;

/*
 * The signal actions, which CLONE_SIGHAND shares.  sched_lock guards them.
 * A process's own are inside its struct tgroup (no allocation at fork);
 * only when CLONE_SIGHAND shares them with another process do they move
 * to a standalone copy, counted by refs (proc_sighand_is_own says which).
 */
struct sighand {
	int refs;			/* threads pointing at a standalone copy */
	struct k_sigaction action[NSIG];
};

/* What CLONE_FS shares: the cwd (a directory inode) and the umask. sched_lock guards them. */
struct proc_fs {
	int refs;
	unsigned umask;
	struct inode *cwd;		/* a reference; changed under sched_lock */
};

/*
 * A thread group (a process): what CLONE_THREAD shares beyond the
 * pointers above.  Under sched_lock.
 */
struct tgroup {
	int refs;			/* threads pointing here, exited or not */
	int live;			/* threads that have not exited */
	struct proc *leader;		/* the first thread; its pid is the tgid */
	struct proc *threads;		/* every thread not yet freed, via thread_next */
	uint64_t pending;		/* process-directed signals */
	int exiting;			/* exit_group or a fatal signal: every thread is on its way out */
	int exit_status;		/* the group's wait status once exiting */
	struct proc *execer;		/* a thread in execve waiting for the others to go */
	struct cputime dead;		/* CPU time of threads already gone */
	/* Job control (jobctl.c): the group stops and continues as one. */
	int stop_sig;			/* the signal that stopped the group, or 0 */
	unsigned stop_gen;		/* counts stops, so a thread parks once per stop */
	int stop_unparked;		/* threads yet to park; the parent hears at 0 */
	int stop_reported;		/* the parent was told of this stop */
	/*
	 * RLIMIT_NOFILE (fs/fdtable.h): written by prlimit64 under sched_lock,
	 * read without it (fd_limit); cur <= max <= FD_NR_OPEN.  Fork copies it.
	 */
	uint64_t nofile_cur, nofile_max;
	/* Last, and not zeroed by new_group (clone.c): filled in whole. */
	char exe[PATH_MAX_K];		/* /proc/self/exe */
	struct sighand sighand;		/* the actions, unless shared with another process */
};

struct fpstate {
	uint64_t f[32];
	uint32_t fcsr;
};

struct proc {
	struct context ctx;		/* switch_to's save area */
	unsigned long kstack;		/* lowest address of the kernel stack */
	struct trapframe *tf;		/* user registers, at the top of the kernel stack */
	struct cputime_acct cpu;	/* our CPU time (cputime.h); near the top: charged per trap */

	int pid;			/* the thread id; the tgid is group->leader->pid */
	int slot;			/* index in the process table */
	enum proc_state state;
	void *chan;			/* what a sleeping process waits for */
	int intr;			/* that sleep may be ended by a signal */
	struct proc *run_next;		/* run queue / sleep list link */

	struct tgroup *group;
	struct proc *thread_next;	/* next thread of the group */
	unsigned stop_gen;		/* the group stop this thread last parked for (jobctl.c) */
	unsigned long affinity;		/* harts (cpus[] indices) it may run on */
	int sched_policy;		/* SCHED_OTHER, _BATCH or _IDLE (kernel/sys_sched.c) */
	unsigned int personality;	/* personality(2)'s value; inherited */
	unsigned long robust_list, robust_len;	/* set_robust_list */

	/* The process: meaningful in the group leader (the tree links point at leaders). */
	struct proc *parent;
	struct proc *children;		/* first child */
	struct proc *sibling;		/* next child of the same parent */
	int exit_status;		/* wait4 encoding, valid in P_ZOMBIE */
	int exit_signal;		/* signal sent to the parent on exit (SIGCHLD or 0) */
	int pgid, sid;

	struct mm *mm;
	struct proc *vfork_parent;	/* sleeping until we exec or exit */
	int vfork_done;			/* our vfork child has let us go */
	unsigned long set_child_tid, clear_child_tid;

	struct fdtable *fdt;		/* descriptors (fs/fdtable.h) */
	struct file *fd_pins[4];	/* borrowed from a shared fdt for this system call */
	int fd_npins;
	struct proc_fs *fs;
	struct sighand *sighand;
	char name[PROC_NAME];

	struct sigstate sig;		/* this thread's mask, pending set, altstack */
	struct fpstate fp;
	int fp_dirty_saved;
	uint64_t start_time;
	int last_cpu;			/* the hart it ran on last: /proc/PID/stat's processor */
	/* CPU time of our reaped children, summed when each is reaped (cputime.h). */
	struct cputime cpu_children;
	uint64_t alarm_at, alarm_every;	/* ITIMER_REAL, time_now_ns(); itimer.c */
	/* Job control reports for wait (jobctl.c), under sched_lock; in the leader. */
	int wait_stopped;		/* stop signal for WUNTRACED to report, or 0 */
	int wait_continued;		/* a SIGCONT for WCONTINUED to report */
};

extern struct proc *init_proc;

static inline struct proc *current(void)
{
	return this_cpu()->proc;
}

/* proc_has_exited - has thread @p run proc_exit (a zombie leader, or a thread being freed)? */
static inline int proc_has_exited(const struct proc *p)
{
	return p->state == P_ZOMBIE || p->state == P_DEAD;
}

/* proc_leader - the thread that stands for @p's process. */
static inline struct proc *proc_leader(struct proc *p)
{
	return p->group->leader;
}

/* proc_sighand_is_own - does @p use its process's own actions (not a standalone copy)? */
static inline int proc_sighand_is_own(struct proc *p)
{
	return p->sighand == &p->group->sighand;
}

/* proc_tgid - @p's process id. */
static inline int proc_tgid(struct proc *p)
{
	return p->group->leader->pid;
}

/* proc.c */
struct proc *proc_alloc(void);
void proc_free(struct proc *p);
void proc_first_run(struct proc *p);	/* entry_thread_start: @p's first moments on its stack */
/* proc_by_pid - the thread with id @pid, or NULL. sched_lock held. */
struct proc *proc_by_pid(int pid);
/* proc_by_tgid - the leader of process @pid (NULL if @pid is no process's id). sched_lock held. */
struct proc *proc_by_tgid(int pid);
/*
 * proc_count - the threads that run or wait for a hart, all threads (zombies too), and the
 * last pid handed out: /proc/loadavg's and /proc/stat's counts.  sched_lock held.
 */
void proc_count(int *running, int *threads, int *last_pid);
/* proc_each - @fn on every process (group leader), summing what it returns. sched_lock held. */
int proc_each(int (*fn)(struct proc *p, void *arg), void *arg);
void proc_start_init(const char *path, char **argv);
/*
 * proc_start_init_late - the same, but init's program is chosen later:
 * init first runs @first in its own context (where it may sleep, e.g. to
 * mount the root), which must exec a program (exec_kernel on current())
 * or stop the machine.
 */
void proc_start_init_late(const char *path, char **argv, void (*first)(void));
/* What clone() and clone3() ask for (clone.c). */
struct clone_req {
	unsigned long flags;		/* CLONE_*, without the exit signal */
	int exit_signal;
	unsigned long stack;		/* the child's sp, or 0: ours */
	unsigned long ptid, ctid, tls;
};
/* proc_clone - a new thread or process as @r asks; its tid, or -errno. */
long proc_clone(const struct clone_req *r);
/* proc_group_is_dead - has every thread of leader @p's process exited? sched_lock held. */
static inline int proc_group_is_dead(struct proc *p)
{
	return p->state == P_ZOMBIE && p->group->live == 0;
}
/*
 * proc_drop_shared - let go of @p's mm, descriptors and fs (exit, a failed
 * clone).  The signal actions stay until the struct is freed: signals to
 * a process whose leader has exited still consult them.
 */
void proc_drop_shared(struct proc *p);

/* proc_release_user_state - exit or execve: robust futexes released, CLONE_CHILD_CLEARTID done. */
void proc_release_user_state(struct proc *p);
/* proc_exit - end the current thread with wait status @status (exit(2)). */
void proc_exit(int status) __attribute__((noreturn));
/* proc_exit_group - end every thread of the current process with @status (exit_group(2)). */
void proc_exit_group(int status) __attribute__((noreturn));
/* proc_kill_others_locked - SIGKILL every other thread of @p's group (not @p). sched_lock held. */
void proc_kill_others_locked(struct proc *p);
/* proc_exec_takeover - execve: kill the other threads, wait for them, take over the tgid. 0 or -EINTR. */
int proc_exec_takeover(void);
void proc_release_dead(struct proc *p);	/* the scheduler: free an exited non-leader thread */
long proc_wait4(int pid, unsigned long ustatus, int options, unsigned long urusage);
long proc_waitid(int idtype, int id, unsigned long uinfo, int options, unsigned long urusage);
void proc_set_name(struct proc *p, const char *path);
void proc_vfork_release(struct proc *p);
/* The parent/child tree, between leaders; sched_lock held. */
void proc_link_child(struct proc *parent, struct proc *c);
void proc_unlink_child(struct proc *c);
/* proc_free_locked - drop @p (off every list but procs[]) from procs[] and free it. sched_lock held. */
void proc_free_locked(struct proc *p);
/* proc_group_put - a thread no longer points at @g; the last one frees it. */
void proc_group_put(struct tgroup *g);

#endif
