/*
 * jobctl.c - job control stops.
 *
 * A stop is decided when the signal is sent; it is not left pending.  The
 * process then parks itself on its own p->stop_sig, which is where it is
 * "stopped", at the first of two stop points: entry_user_return() on its way
 * to user mode, or sched_sleep_intr() if it is asleep in a system call (the stop
 * wakes it, as a signal would).  Parked inside a sleep, it is off the wait
 * channel, so a stopped reader consumes no input; after SIGCONT the sleep
 * loop looks again, so the system call goes on with no spurious EINTR.
 * The parent hears of the stop only once the process has parked, so
 * WUNTRACED never reports a process that can still run user code.
 *
 * State, under sched_lock: p->stop_sig is the signal that stopped p, or 0;
 * p->stop_unreported says p has not parked yet; p->wait_stopped and
 * p->wait_continued are what wait has yet to report to the parent.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
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
	sched_wakeup_locked(parent);		/* wait_child sleeps on the parent */
}

void jobctl_stop_locked(struct proc *p, int sig)
{
	if (p->stop_sig)
		return;
	p->stop_sig = sig;
	p->stop_unreported = 1;
	if (p->state == P_SLEEPING && p->intr)
		sched_wakeup_proc(p);		/* it parks in sched_sleep_intr */
}

void jobctl_continue_locked(struct proc *p)
{
	p->sig.pending &= ~STOP_SIGNALS;
	if (!p->stop_sig)
		return;
	p->stop_sig = 0;
	if (p->stop_unreported)
		p->stop_unreported = 0;		/* it never parked: nobody saw it stop */
	else
		notify_parent(p, CLD_CONTINUED);
	sched_wakeup_locked(&p->stop_sig);
}

void jobctl_kill_locked(struct proc *p)
{
	if (p->stop_sig)
		sched_wakeup_locked(&p->stop_sig);	/* jobctl_park_locked lets SIGKILL through */
}

void jobctl_orphaned_locked(struct proc *p)
{
	if (!p->stop_sig)
		return;
	signal_send_locked(p, SIGHUP);
	signal_send_locked(p, SIGCONT);
}

void jobctl_park_locked(struct proc *p)
{
	if (!p->stop_sig)
		return;
	if (p->stop_unreported) {
		p->stop_unreported = 0;
		notify_parent(p, CLD_STOPPED);
	}
	while (p->stop_sig && !(p->sig.pending & sigbit(SIGKILL)))
		sched_sleep(&p->stop_sig, &sched_lock);
}

void jobctl_stop_point(void)
{
	struct proc *p = current();

	/* A racy look: a stop posted just after it is caught at the next trap or sleep. */
	if (!__atomic_load_n(&p->stop_sig, __ATOMIC_RELAXED))
		return;
	spin_lock(&sched_lock);
	jobctl_park_locked(p);
	spin_unlock(&sched_lock);
}
