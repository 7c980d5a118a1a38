/*
 * wait.c - wait4 and waitid: a process collects its children's exits,
 * stops and continues.
 *
 * Children are processes: the tree links leaders, and any thread of the
 * parent may wait for any child of its process.  Waiters sleep on their
 * process's leader; a child's exit or stop wakes it there.  A child is
 * reported as exited once its whole group is dead (proc_group_is_dead),
 * once.  Without __WALL a wait sees only the children that report with
 * SIGCHLD, or with __WCLONE only the others, as on Linux.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "cputime.h"
#include "../vm/uaccess.h"

#define WNOHANG		1
#define WUNTRACED	2
#define WSTOPPED	2	/* waitid's name for it */
#define WEXITED		4
#define WCONTINUED	8
#define WNOWAIT		0x01000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* child_time - the CPU time child @c reports: all its threads' and its reaped children's. */
static struct cputime child_time(struct proc *c)
{
	struct cputime t = cputime_group_locked(c->group);

	t.user += c->cpu_children.user;
	t.sys += c->cpu_children.sys;
	return t;
}

/*
 * reap - collect zombie leader @c, its group dead (sched_lock held,
 * dropped): the group's CPU time and its children's join our children's
 * total; unlink and free it.
 */
static void reap(struct proc *c)
{
	struct cputime t = child_time(c);

	c->parent->cpu_children.user += t.user;
	c->parent->cpu_children.sys += t.sys;
	proc_unlink_child(c);
	c->state = P_UNUSED;
	proc_free_locked(c);
	spin_unlock(&sched_lock);
}

struct wait_result {
	int pid, status;		/* status in wait4's encoding */
	struct cputime cpu;		/* its CPU time and its reaped children's */
};

#define P_ALL		0
#define P_PID		1
#define P_PGID		2

/*
 * wait_child_event - what a wait with @options may report of child @c:
 * its exit, a stop or a continue, as a wait4 status in @res.  Unless
 * @options has WNOWAIT the event is consumed (a zombie is reaped).
 * sched_lock held; 1 with it dropped if there was an event, else 0.
 */
static int wait_child_event(struct proc *c, int options, struct wait_result *res)
{
	int keep = options & WNOWAIT;

	res->pid = c->pid;
	res->cpu = child_time(c);
	if (proc_group_is_dead(c)) {
		if (!(options & WEXITED))
			return 0;
		res->status = c->exit_status;
		if (keep)
			spin_unlock(&sched_lock);
		else
			reap(c);
		return 1;
	}
	if ((options & WSTOPPED) && c->wait_stopped) {
		res->status = c->wait_stopped << 8 | 0x7f;
		if (!keep)
			c->wait_stopped = 0;
	} else if ((options & WCONTINUED) && c->wait_continued) {
		res->status = 0xffff;
		if (!keep)
			c->wait_continued = 0;
	} else {
		return 0;
	}
	spin_unlock(&sched_lock);
	return 1;
}

/*
 * wait_child - wait for an event (@options: WEXITED, WSTOPPED, WCONTINUED)
 * of a child selected by waitid's (@idtype, @id), and consume it unless
 * WNOWAIT.  1 with @res filled, 0 if WNOHANG and nothing has happened
 * yet, -ECHILD if no child matches, -ERESTARTSYS on a signal.
 */
static long wait_child(int idtype, int id, int options, struct wait_result *res)
{
	struct proc *p = current(), *me;

	spin_lock(&sched_lock);
	for (;;) {
		int found = 0;

		me = proc_leader(p);		/* re-read: an execve in another thread may change it */
		for (struct proc *c = me->children; c; c = c->sibling) {
			if ((idtype == P_PID && c->pid != id) || (idtype == P_PGID && c->pgid != id))
				continue;
			if (!(options & __WALL) && (c->exit_signal != SIGCHLD) != !!(options & __WCLONE))
				continue;
			found = 1;
			if (wait_child_event(c, options, res))
				return 1;
		}
		if (!found || (options & WNOHANG)) {
			spin_unlock(&sched_lock);
			return found ? 0 : -ECHILD;
		}
		if (sched_sleep_intr(me, &sched_lock)) {
			spin_unlock(&sched_lock);
			return -ERESTARTSYS;	/* like Linux: SA_RESTART restarts a wait */
		}
	}
}

long proc_wait4(int pid, unsigned long ustatus, int options, unsigned long urusage)
{
	struct wait_result res;
	long r;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	options = (options & (WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE)) | WEXITED;
	if (pid > 0)
		r = wait_child(P_PID, pid, options, &res);
	else if (pid == -1)
		r = wait_child(P_ALL, 0, options, &res);
	else
		r = wait_child(P_PGID, pid ? -pid : proc_leader(current())->pgid, options, &res);
	if (r <= 0)
		return r;
	if (ustatus && uaccess_put_u32(ustatus, (uint32_t)res.status))
		return -EFAULT;
	if (urusage && cputime_put_rusage(urusage, &res.cpu))
		return -EFAULT;
	return res.pid;
}

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/*
 * proc_waitid - waitid(): like wait4, but the child is chosen by
 * (@idtype, @id), the result is a siginfo, the events to wait for are
 * named (WEXITED, WSTOPPED, WCONTINUED), and WNOWAIT leaves them be.
 */
long proc_waitid(int idtype, int id, unsigned long uinfo, int options, unsigned long urusage)
{
	struct wait_result res;
	int32_t info[32] = { 0 };	/* siginfo_t: 128 bytes */
	long r;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		id = proc_leader(current())->pgid;
	if ((idtype != P_ALL && idtype != P_PID && idtype != P_PGID) || (idtype != P_ALL && id <= 0))
		return -EINVAL;
	r = wait_child(idtype, id, options, &res);
	if (r < 0)
		return r;
	if (r) {
		int sig = res.status & 0x7f;
		info[0] = SIGCHLD;	/* si_signo */
		info[4] = res.pid;	/* si_pid, si_uid 0 */
		if (res.status == 0xffff) {
			info[2] = CLD_CONTINUED;
			info[6] = SIGCONT;
		} else if (sig == 0x7f) {
			info[2] = CLD_STOPPED;
			info[6] = (res.status >> 8) & 0xff;
		} else {
			info[2] = !sig ? CLD_EXITED : (res.status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			info[6] = sig ? sig : (res.status >> 8) & 0xff;	/* si_status */
		}
	}
	if (uinfo && uaccess_copy_to_user(uinfo, info, sizeof(info)))
		return -EFAULT;
	if (!r)
		res.cpu = (struct cputime){ 0, 0 };
	if (urusage && cputime_put_rusage(urusage, &res.cpu))
		return -EFAULT;
	return 0;
}
