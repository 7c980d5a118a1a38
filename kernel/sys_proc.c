/*
 * sys_proc.c - process and signal system calls.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "exec.h"
#include "time.h"
#include "syscall.h"
#include "../fs/fdtable.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"

SYSCALL(execve)
{
	return exec_user(a0, a1, a2);
}

SYSCALL(wait4)
{
	return proc_wait4((int)a0, a1, (int)a2, a3);
}

SYSCALL(waitid)
{
	return proc_waitid((int)a0, (int)a1, a2, (int)a3, a4);
}

SYSCALL(exit)
{
	proc_exit((int)((a0 & 0xff) << 8));
}

SYSCALL(exit_group)
{
	proc_exit_group((int)((a0 & 0xff) << 8));
}

SYSCALL(getpid)
{
	return proc_tgid(current());
}

SYSCALL(getppid)
{
	struct proc *p = current();
	int ppid;

	spin_lock(&sched_lock);
	p = proc_leader(p);
	ppid = p->parent ? p->parent->pid : 0;
	spin_unlock(&sched_lock);
	return ppid;
}

struct kill_all {
	int sig, n;
	struct proc *self;
};

static int kill_each(struct proc *p, void *arg)
{
	struct kill_all *k = arg;

	if (p == init_proc || p == k->self || proc_group_is_dead(p))
		return 0;
	if (k->sig)
		signal_send_locked(p, k->sig);
	return 1;
}

SYSCALL(kill)
{
	int pid = (int)a0, sig = (int)a1;
	struct proc *p;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == -1) {
		struct kill_all k = { sig, 0, proc_leader(current()) };
		spin_lock(&sched_lock);
		int n = proc_each(kill_each, &k);
		spin_unlock(&sched_lock);
		return n ? 0 : -ESRCH;
	}
	if (pid <= 0) {
		int pg = pid == 0 ? proc_leader(current())->pgid : -pid;
		if (!sig) {
			return signal_kill_pgrp(pg, 0) < 0 ? -ESRCH : 0;
		}
		return signal_kill_pgrp(pg, sig) < 0 ? -ESRCH : 0;
	}
	spin_lock(&sched_lock);
	p = proc_by_pid(pid);		/* a thread's id names its process too, as on Linux */
	if (!p || p->state == P_UNUSED) {
		spin_unlock(&sched_lock);
		return -ESRCH;
	}
	if (sig)
		signal_send_locked(p, sig);
	spin_unlock(&sched_lock);
	return 0;
}

SYSCALL(setpgid)
{
	struct proc *me = proc_leader(current()), *p;
	int pid = a0 ? (int)a0 : me->pid, pgid = a1 ? (int)a1 : pid;
	long r = 0;

	if ((long)a1 < 0)
		return -EINVAL;
	spin_lock(&sched_lock);
	p = proc_by_tgid(pid);
	if (!p || (p != me && p->parent != me))
		r = -ESRCH;
	else
		p->pgid = pgid;
	spin_unlock(&sched_lock);
	return r;
}

/* group_of - the process group (or, with @sid, the session) of @pid (0: ourselves). */
static long group_of(ul pid, int sid)
{
	struct proc *p;
	long r;

	spin_lock(&sched_lock);
	p = pid ? proc_by_pid((int)pid) : current();
	p = p ? proc_leader(p) : 0;
	r = !p ? -ESRCH : sid ? p->sid : p->pgid;
	spin_unlock(&sched_lock);
	return r;
}

SYSCALL(getpgid)
{
	return group_of(a0, 0);
}

SYSCALL(getsid)
{
	return group_of(a0, 1);
}

SYSCALL(setsid)
{
	struct proc *p;
	long r;

	spin_lock(&sched_lock);
	p = proc_leader(current());
	if (p->pgid == p->pid) {
		r = -EPERM;
	} else {
		p->sid = p->pgid = p->pid;
		r = p->sid;
	}
	spin_unlock(&sched_lock);
	return r;
}

#define RLIMIT_STACK	3
#define RLIMIT_NOFILE	7
#define RLIM_NLIMITS	16

/*
 * prlimit64(pid, resource, new, old) - RLIMIT_NOFILE is kept per process
 * (struct tgroup) and enforced by the descriptor table (fs/fdtable.h):
 * its hard limit may not exceed FD_NR_OPEN (EPERM, as Linux's nr_open).
 * RLIMIT_STACK reads as the fixed stack size; setting any other limit is
 * accepted and ignored.  The checks come in Linux's order: the new value's
 * copy, the pid, the resource, then the values.
 */
SYSCALL(prlimit64)
{
	uint64_t lim[2] = { ~0ULL, ~0ULL }, nl[2];
	struct proc *t = current();
	long r = 0;

	if (a2 && uaccess_copy_from_user(nl, a2, sizeof(nl)))
		return -EFAULT;
	spin_lock(&sched_lock);
	if (a0 && !(t = proc_by_tgid((int)a0)))
		r = -ESRCH;
	else if (a1 >= RLIM_NLIMITS || (a2 && nl[0] > nl[1]))
		r = -EINVAL;
	else if (a1 == RLIMIT_NOFILE && a2 && nl[1] > FD_NR_OPEN)
		r = -EPERM;
	if (!r && a1 == RLIMIT_NOFILE) {
		struct tgroup *g = t->group;
		lim[0] = g->nofile_cur;
		lim[1] = g->nofile_max;
		if (a2) {
			__atomic_store_n(&g->nofile_cur, nl[0], __ATOMIC_RELAXED);
			__atomic_store_n(&g->nofile_max, nl[1], __ATOMIC_RELAXED);
		}
	}
	spin_unlock(&sched_lock);
	if (r)
		return r;
	if (a1 == RLIMIT_STACK)
		lim[0] = lim[1] = USER_STACK_SIZE;
	if (a3 && uaccess_copy_to_user(a3, lim, sizeof(lim)))
		return -EFAULT;
	return 0;
}

/* getrlimit(resource, rlim) and setrlimit(resource, rlim): prlimit64 on ourselves. */
SYSCALL(getrlimit)
{
	return sys_prlimit64(0, a0, 0, a1, 0, 0);
}

SYSCALL(setrlimit)
{
	return sys_prlimit64(0, a0, a1, 0, 0, 0);
}

SYSCALL(rt_sigaction)
{
	struct proc *p = current();
	int sig = (int)a0;
	struct k_sigaction act;

	if (sig < 1 || sig > NSIG || a3 != 8)
		return -EINVAL;
	struct k_sigaction old = p->sighand->action[sig - 1];
	if (a2 && uaccess_copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	if (a1) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (uaccess_copy_from_user(&act, a1, sizeof(act)))
			return -EFAULT;
		spin_lock(&sched_lock);
		p->sighand->action[sig - 1] = act;
		if (act.handler == SIG_IGN || (act.handler == SIG_DFL && sig_default_ignored(sig)))
			signal_discard_locked(p, sig);	/* from every thread, as POSIX says */
		spin_unlock(&sched_lock);
	}
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	struct proc *p = current();
	uint64_t set, old = p->sig.blocked;

	if (a3 != 8)
		return -EINVAL;
	if (a1) {
		if (uaccess_copy_from_user(&set, a1, sizeof(set)))
			return -EFAULT;
		spin_lock(&sched_lock);
		switch (a0) {
		case 0:
			p->sig.blocked |= set;
			break;
		case 1:
			p->sig.blocked &= ~set;
			break;
		case 2:
			p->sig.blocked = set;
			break;
		default:
			spin_unlock(&sched_lock);
			return -EINVAL;
		}
		p->sig.blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
		signal_unblocked_locked(p);
		spin_unlock(&sched_lock);
	}
	if (a2 && uaccess_copy_to_user(a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(rt_sigpending)
{
	struct proc *p = current();
	uint64_t set = (p->sig.pending | p->group->pending) & p->sig.blocked;

	return uaccess_copy_to_user(a0, &set, sizeof(set));
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize) - the signal taken, -EAGAIN at the timeout. */
SYSCALL(rt_sigtimedwait)
{
	struct ktimespec ts;
	uint64_t set, deadline;

	if (a3 != 8)
		return -EINVAL;
	if (uaccess_copy_from_user(&set, a0, sizeof(set)))
		return -EFAULT;
	if (a2) {
		if (uaccess_copy_from_user(&ts, a2, sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
		deadline = time_now_ns() + (uint64_t)ts.sec * 1000000000ULL + (uint64_t)ts.nsec;
	}
	return signal_timedwait(set, a1, a2 ? &deadline : 0);
}

SYSCALL(rt_sigsuspend)
{
	uint64_t mask;

	if (a1 != 8)
		return -EINVAL;
	if (uaccess_copy_from_user(&mask, a0, sizeof(mask)))
		return -EFAULT;
	return signal_suspend(mask);
}

SYSCALL(rt_sigreturn)
{
	return signal_return();
}

SYSCALL(sigaltstack)
{
	return signal_altstack(a0, a1);
}

/* getcpu(cpu, node, cache) - the hart we run on now (it may change at once), node 0. */
SYSCALL(getcpu)
{
	uint32_t cpu = (uint32_t)this_cpu()->id, node = 0;

	if (a0 && uaccess_copy_to_user(a0, &cpu, sizeof(cpu)))
		return -EFAULT;
	if (a1 && uaccess_copy_to_user(a1, &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

#define PR_SET_NAME	15
#define PR_GET_NAME	16

/* prctl(option, ...) - the process name (ps, /proc/PID/status); other options EINVAL. */
SYSCALL(prctl)
{
	struct proc *p = current();
	char name[PROC_NAME];

	switch (a0) {
	case PR_SET_NAME:
		if (uaccess_strncpy_from_user(name, a1, sizeof(name)) == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;	/* a longer name is cut to 15 bytes, as on Linux */
		spin_lock(&sched_lock);		/* /proc readers copy it under the lock */
		memcpy(p->name, name, sizeof(name));
		spin_unlock(&sched_lock);
		return 0;
	case PR_GET_NAME:
		return uaccess_copy_to_user(a1, p->name, sizeof(p->name)) ? -EFAULT : 0;
	}
	return -EINVAL;
}

/*
 * getpriority(which, who) - every process has nice 0, which the raw call
 * reports as 20 - nice; setpriority accepts only that (lowering the
 * priority is allowed and ignored: there is one priority).
 */
static long priority_target(ul which, ul who)
{
	if (which > 2)		/* PRIO_PROCESS, PRIO_PGRP, PRIO_USER */
		return -EINVAL;
	if (which == 0 && who) {
		spin_lock(&sched_lock);
		struct proc *t = proc_by_tgid((int)who);
		spin_unlock(&sched_lock);
		if (!t)
			return -ESRCH;
	}
	return 0;
}

SYSCALL(getpriority)
{
	long r = priority_target(a0, a1);

	return r ? r : 20;
}

SYSCALL(setpriority)
{
	long r = priority_target(a0, a1);

	if (r)
		return r;
	return (long)a2 >= 0 ? 0 : -EACCES;	/* raising it would need a scheduler that has levels */
}

SYSCALL(sched_yield)
{
	sched_yield();
	return 0;
}

/*
 * getrusage(who, usage) - CPU time only: our process's (RUSAGE_SELF),
 * this thread's (RUSAGE_THREAD) or our reaped children's.
 */
SYSCALL(getrusage)
{
	struct cputime t;

	if ((long)a0 == 0)		/* RUSAGE_SELF */
		t = cputime_group();
	else if ((long)a0 == 1)		/* RUSAGE_THREAD */
		t = cputime_self();
	else if ((long)a0 == -1)	/* RUSAGE_CHILDREN: the reaped ones */
		t = cputime_children();
	else
		return -EINVAL;
	return cputime_put_rusage(a1, &t);
}
