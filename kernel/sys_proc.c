/*
 * sys_proc.c - process and signal system calls.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "exec.h"
#include "time.h"
#include "syscall.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"

SYSCALL(clone)
{
	/* riscv64 order: flags, newsp, parent_tid, tls, child_tid */
	return proc_fork(a0, a1, a2, a3, a4);
}

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
	proc_exit((int)((a0 & 0xff) << 8));
}

SYSCALL(getpid)
{
	return current()->pid;
}

SYSCALL(gettid)
{
	return current()->pid;
}

SYSCALL(getppid)
{
	struct proc *p = current();
	int ppid;

	spin_lock(&sched_lock);
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

	if (p == init_proc || p == k->self || p->state == P_ZOMBIE)
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
		struct kill_all k = { sig, 0, current() };
		spin_lock(&sched_lock);
		int n = proc_each(kill_each, &k);
		spin_unlock(&sched_lock);
		return n ? 0 : -ESRCH;
	}
	if (pid <= 0) {
		int pg = pid == 0 ? current()->pgid : -pid;
		if (!sig) {
			return signal_kill_pgrp(pg, 0) < 0 ? -ESRCH : 0;
		}
		return signal_kill_pgrp(pg, sig) < 0 ? -ESRCH : 0;
	}
	spin_lock(&sched_lock);
	p = proc_by_pid(pid);
	if (!p || p->state == P_UNUSED) {
		spin_unlock(&sched_lock);
		return -ESRCH;
	}
	if (sig)
		signal_send_locked(p, sig);
	spin_unlock(&sched_lock);
	return 0;
}

/*
 * tkill(tid, sig) - kill() aimed at one thread, which here is one process.
 * As on Linux, a tid of 0 or below (kill()'s groups and "everyone") is EINVAL.
 */
SYSCALL(tkill)
{
	if ((long)a0 <= 0)
		return -EINVAL;
	return sys_kill(a0, a1, 0, 0, 0, 0);
}

/* tgkill(tgid, tid, sig) - tkill(), but ESRCH unless tid is in thread group tgid (itself). */
SYSCALL(tgkill)
{
	if ((long)a0 <= 0 || (long)a1 <= 0)
		return -EINVAL;
	if (a0 != a1)
		return -ESRCH;
	return sys_kill(a1, a2, 0, 0, 0, 0);
}

SYSCALL(setpgid)
{
	struct proc *me = current(), *p;
	int pid = a0 ? (int)a0 : me->pid, pgid = a1 ? (int)a1 : pid;
	long r = 0;

	if ((long)a1 < 0)
		return -EINVAL;
	spin_lock(&sched_lock);
	p = proc_by_pid(pid);
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
	struct proc *p = current();

	if (p->pgid == p->pid)
		return -EPERM;
	p->sid = p->pgid = p->pid;
	return p->sid;
}

SYSCALL(set_tid_address)
{
	current()->clear_child_tid = a0;
	return current()->pid;
}

SYSCALL(set_robust_list)
{
	return 0;	/* no futexes to clean up: there are no threads */
}

SYSCALL(prlimit64)
{
	/* Report the limits Holstein enforces; setting them is accepted and ignored. */
	uint64_t lim[2] = { ~0ULL, ~0ULL };

	if (a0 && (int)a0 != current()->pid)
		return -ESRCH;
	if (a1 >= 16)
		return -EINVAL;
	if (a1 == 3)		/* RLIMIT_STACK */
		lim[0] = lim[1] = USER_STACK_SIZE;
	if (a1 == 7)		/* RLIMIT_NOFILE */
		lim[0] = lim[1] = NOFILE;
	if (a3 && uaccess_copy_to_user(a3, lim, sizeof(lim)))
		return -EFAULT;
	return 0;
}

SYSCALL(rt_sigaction)
{
	struct proc *p = current();
	int sig = (int)a0;
	struct k_sigaction act;

	if (sig < 1 || sig > NSIG || a3 != 8)
		return -EINVAL;
	if (a2 && uaccess_copy_to_user(a2, &p->sig.action[sig - 1], sizeof(act)))
		return -EFAULT;
	if (a1) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (uaccess_copy_from_user(&act, a1, sizeof(act)))
			return -EFAULT;
		spin_lock(&sched_lock);
		p->sig.action[sig - 1] = act;
		if (act.handler == SIG_IGN)
			p->sig.pending &= ~sigbit(sig);
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
	uint64_t set = current()->sig.pending & current()->sig.blocked;

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

/*
 * sched_getaffinity(pid, len, mask) - every online hart: Holstein runs any
 * process anywhere.  Returns the bytes written (one unsigned long), like Linux.
 */
SYSCALL(sched_getaffinity)
{
	unsigned long mask = 0;

	if (a1 < sizeof(mask) || (a1 & (sizeof(mask) - 1)))
		return -EINVAL;
	if ((long)a0 < 0)
		return -ESRCH;
	if (a0) {
		spin_lock(&sched_lock);
		struct proc *p = proc_by_pid((int)a0);
		spin_unlock(&sched_lock);
		if (!p)
			return -ESRCH;
	}
	for (int i = 0; i < ncpus; i++)
		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			mask |= 1UL << i;
	return uaccess_copy_to_user(a2, &mask, sizeof(mask)) ? -EFAULT : (long)sizeof(mask);
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
		struct proc *t = proc_by_pid((int)who);
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
 * getrusage(who, usage) - CPU time only: ours (RUSAGE_SELF, and RUSAGE_THREAD:
 * a process is one thread) or our reaped children's.
 */
SYSCALL(getrusage)
{
	struct cputime t;

	if ((long)a0 == 0 || (long)a0 == 1)	/* RUSAGE_SELF, RUSAGE_THREAD */
		t = cputime_self();
	else if ((long)a0 == -1)	/* RUSAGE_CHILDREN: the reaped ones */
		t = current()->cpu_children;
	else
		return -EINVAL;
	return cputime_put_rusage(a1, &t);
}
