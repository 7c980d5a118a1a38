/*
 * sys_sched.c - the scheduling-policy calls (sched_setscheduler and
 * friends).  Holstein's scheduler has one class, round robin among equals;
 * SCHED_OTHER, SCHED_BATCH and SCHED_IDLE are all it, and are remembered
 * per thread so a program reads back what it set.  The real-time classes
 * (SCHED_FIFO, SCHED_RR) answer EPERM, what an unprivileged Linux process
 * gets, because a real-time promise the scheduler cannot keep would be a
 * lie; programs that ask for them handle EPERM.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "time.h"
#include "../vm/uaccess.h"

#define SCHED_OTHER		0
#define SCHED_FIFO		1
#define SCHED_RR		2
#define SCHED_BATCH		3
#define SCHED_IDLE		5
#define SCHED_DEADLINE		6
#define SCHED_RESET_ON_FORK	0x40000000

/* policy_target - thread @pid (0: ourselves) under sched_lock, or NULL (ESRCH). */
static struct proc *policy_target(long pid)
{
	struct proc *t = pid ? proc_by_pid((int)pid) : current();

	return t && !proc_has_exited(t) ? t : 0;
}

/* is_rt - a real-time policy (priorities 1..99)? */
static int is_rt(long policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/*
 * set_policy - sched_setscheduler's and sched_setparam's common part:
 * @policy (-1: keep the thread's) with the priority at @uparam for thread
 * @pid.  Linux's order of checks: EINVAL for a bad pid, pointer or
 * policy/priority pair, ESRCH, then EPERM.
 */
static long set_policy(long pid, long policy, ul uparam)
{
	int prio;
	struct proc *t;

	if (pid < 0 || !uparam)
		return -EINVAL;
	if (uaccess_copy_from_user(&prio, uparam, sizeof(prio)))
		return -EFAULT;
	spin_lock(&sched_lock);
	t = policy_target(pid);
	long cur = t ? t->sched_policy : 0;
	spin_unlock(&sched_lock);
	if (policy < 0)
		policy = cur;
	policy &= ~(long)SCHED_RESET_ON_FORK;
	if (is_rt(policy) ? prio < 1 || prio > 99 :
	    (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE) || prio)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	if (is_rt(policy))
		return -EPERM;
	spin_lock(&sched_lock);
	t = policy_target(pid);
	if (t)
		t->sched_policy = (int)policy;
	spin_unlock(&sched_lock);
	return t ? 0 : -ESRCH;
}

/* sched_setscheduler(pid, policy, param) */
SYSCALL(sched_setscheduler)
{
	if ((long)(int)a1 < 0)
		return -EINVAL;
	return set_policy((long)(int)a0, (long)(int)a1, a2);
}

/* sched_setparam(pid, param): the priority within the thread's own policy. */
SYSCALL(sched_setparam)
{
	return set_policy((long)(int)a0, -1, a1);
}

/* sched_getscheduler(pid) - the policy last set (SCHED_OTHER by default). */
SYSCALL(sched_getscheduler)
{
	long r;

	if ((long)(int)a0 < 0)
		return -EINVAL;
	spin_lock(&sched_lock);
	struct proc *t = policy_target((long)(int)a0);
	r = t ? t->sched_policy : -ESRCH;
	spin_unlock(&sched_lock);
	return r;
}

/*
 * answer_for - copy @len bytes at @v to @uaddr for a question about thread
 * @pid: EINVAL for a negative pid, ESRCH for none, EFAULT for a bad address.
 */
static long answer_for(long pid, ul uaddr, const void *v, size_t len)
{
	if (pid < 0)
		return -EINVAL;
	spin_lock(&sched_lock);
	struct proc *t = policy_target(pid);
	spin_unlock(&sched_lock);
	if (!t)
		return -ESRCH;
	return uaccess_copy_to_user(uaddr, v, len) ? -EFAULT : 0;
}

/* sched_getparam(pid, param) - priority 0: no thread has a real-time policy. */
SYSCALL(sched_getparam)
{
	int prio = 0;

	if (!a1)
		return -EINVAL;
	return answer_for((long)(int)a0, a1, &prio, sizeof(prio));
}

/* sched_get_priority_max(policy) and _min: 1..99 for the real-time ones, 0 for the rest. */
static long priority_bound(long policy, int max)
{
	if (is_rt(policy))
		return max ? 99 : 1;
	if (policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ||
	    policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

SYSCALL(sched_get_priority_max)
{
	return priority_bound((long)(int)a0, 1);
}

SYSCALL(sched_get_priority_min)
{
	return priority_bound((long)(int)a0, 0);
}

/* sched_rr_get_interval(pid, tp) - the time slice: one scheduler tick. */
SYSCALL(sched_rr_get_interval)
{
	struct ktimespec ts = { 0, 1000000000 / HZ };

	return answer_for((long)(int)a0, a1, &ts, sizeof(ts));
}
