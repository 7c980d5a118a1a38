/*
 * jobctl.c - job control stops.
 *
 * A stop takes effect when the signal is sent; it is not left pending.
 * A process that is not running on a hart stops at once: it cannot reach
 * user mode without passing jobctl_stop_point() in user_return().  One
 * running on another hart stops at its next trap (a tick at most), and its
 * parent hears of the stop only then, so WUNTRACED never reports a process
 * that can still run user code.  A sleep in the kernel is not broken by a
 * stop: the system call may finish, but its result reaches user mode only
 * after SIGCONT.  So a stop never turns into a spurious EINTR.
 *
 * State (all under sched_lock): p->stop_sig is the signal that stopped p,
 * or 0; p->stop_unreported says the parent has not been told yet;
 * p->wait_stopped / p->wait_continued are what wait has yet to report.
 */
#include "kernel.h"
#include "proc.h"
#include "jobctl.h"

#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/* notify_parent - tell @p's parent that @p stopped or continued: wait status and SIGCHLD. */
static void notify_parent(struct proc *p, int why)
{
	struct proc *parent = p->parent;

	p->wait_stopped = why == CLD_STOPPED ? p->stop_sig : 0;
	p->wait_continued = why == CLD_CONTINUED;
	if (!(parent->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		signal_send_locked(parent, SIGCHLD);
	wakeup_locked(parent);		/* wait_child sleeps on the parent */
}

void jobctl_stop_locked(struct proc *p, int sig)
{
	p->sig.pending &= ~sigbit(SIGCONT);
	if (p->stop_sig)
		return;
	p->stop_sig = sig;
	if (p->state == P_RUNNING)
		p->stop_unreported = 1;		/* reported from jobctl_stop_point */
	else
		notify_parent(p, CLD_STOPPED);
}

void jobctl_continue_locked(struct proc *p)
{
	p->sig.pending &= ~STOP_SIGNALS;
	if (!p->stop_sig)
		return;
	p->stop_sig = 0;
	if (p->stop_unreported)
		p->stop_unreported = 0;		/* it never stopped as far as anyone saw */
	else
		notify_parent(p, CLD_CONTINUED);
	wakeup_locked(&p->stop_sig);
}

void jobctl_kill_locked(struct proc *p)
{
	if (p->stop_sig)
		wakeup_locked(&p->stop_sig);	/* jobctl_stop_point lets SIGKILL through */
}

void jobctl_orphaned_locked(struct proc *p)
{
	if (!p->stop_sig)
		return;
	signal_send_locked(p, SIGHUP);
	signal_send_locked(p, SIGCONT);
}

void jobctl_stop_point(void)
{
	struct proc *p = current();

	/* A racy look: a stop posted just after it is still unreported, and the next trap sees it. */
	if (!__atomic_load_n(&p->stop_sig, __ATOMIC_RELAXED))
		return;
	spin_lock(&sched_lock);
	if (p->stop_sig && p->stop_unreported) {
		p->stop_unreported = 0;
		notify_parent(p, CLD_STOPPED);
	}
	while (p->stop_sig && !(p->sig.pending & sigbit(SIGKILL)))
		sleep_on(&p->stop_sig, &sched_lock);
	spin_unlock(&sched_lock);
}
