/*
 * jobctl.c - job control stops, for whole processes.
 *
 * A stop is decided when the signal is sent; it is not left pending.  The
 * group's stop_sig is set, and each of its threads parks itself on it at
 * the first of two stop points: entry_user_return() on its way to user
 * mode, or sched_sleep_intr() if it is asleep in a system call (the stop
 * wakes it, as a signal would).  Parked inside a sleep, a thread is off
 * its wait channel, so a stopped reader consumes no input; after SIGCONT
 * the sleep loop looks again, so the system call goes on with no spurious
 * EINTR.  The parent hears of the stop once every thread has parked (or
 * exited), so WUNTRACED never reports a process that can still run user
 * code.
 *
 * State, under sched_lock: the group's stop_sig, stop_gen (one per stop),
 * stop_unparked (threads yet to park for this stop) and stop_reported;
 * each thread's stop_gen says which stop it has parked for.  The
 * leader's wait_stopped and wait_continued are what wait has yet to
 * report to the parent.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "jobctl.h"

#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/* notify_parent - tell the parent of @g's process that it stopped or continued. */
static void notify_parent(struct tgroup *g, int why)
{
	struct proc *l = g->leader, *parent = l->parent;

	l->wait_stopped = why == CLD_STOPPED ? g->stop_sig : 0;
	l->wait_continued = why == CLD_CONTINUED;
	if (!(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		signal_send_locked(parent, SIGCHLD);
	sched_wakeup_locked(parent);		/* wait_child sleeps on the parent's leader */
}

/* one_parked - one more thread of @g is parked (or gone) for this stop. */
static void one_parked(struct tgroup *g)
{
	if (g->stop_unparked > 0 && --g->stop_unparked == 0) {
		g->stop_reported = 1;
		notify_parent(g, CLD_STOPPED);
	}
}

void jobctl_stop_locked(struct proc *p, int sig)
{
	struct tgroup *g = p->group;

	if (g->stop_sig || g->exiting)
		return;
	g->stop_sig = sig;
	g->stop_gen++;
	g->stop_unparked = g->live;
	g->stop_reported = 0;
	for (struct proc *t = g->threads; t; t = t->thread_next)
		if (t->state == P_SLEEPING && t->intr)
			sched_wakeup_proc(t);		/* it parks in sched_sleep_intr */
}

void jobctl_continue_locked(struct proc *p)
{
	struct tgroup *g = p->group;

	g->pending &= ~STOP_SIGNALS;
	for (struct proc *t = g->threads; t; t = t->thread_next)
		t->sig.pending &= ~STOP_SIGNALS;
	if (!g->stop_sig)
		return;
	if (g->stop_reported)
		notify_parent(g, CLD_CONTINUED);	/* else nobody saw it stop */
	g->stop_sig = 0;
	sched_wakeup_locked(&g->stop_sig);
}

void jobctl_kill_locked(struct proc *p)
{
	if (p->group->stop_sig)
		sched_wakeup_locked(&p->group->stop_sig);	/* parked threads let SIGKILL through */
}

void jobctl_exit_locked(struct proc *p)
{
	struct tgroup *g = p->group;

	if (g->stop_sig && p->stop_gen != g->stop_gen) {
		p->stop_gen = g->stop_gen;
		one_parked(g);
	}
}

void jobctl_orphaned_locked(struct proc *p)
{
	if (!p->group->stop_sig)
		return;
	signal_send_locked(p, SIGHUP);
	signal_send_locked(p, SIGCONT);
}

void jobctl_park_locked(struct proc *p)
{
	struct tgroup *g = p->group;

	while (g->stop_sig && !((p->sig.pending | g->pending) & sigbit(SIGKILL))) {
		if (p->stop_gen != g->stop_gen) {
			p->stop_gen = g->stop_gen;
			one_parked(g);
		}
		sched_sleep(&g->stop_sig, &sched_lock);
	}
}

void jobctl_stop_point(void)
{
	struct proc *p = current();

	/* A racy look: a stop posted just after it is caught at the next trap or sleep. */
	if (!__atomic_load_n(&p->group->stop_sig, __ATOMIC_RELAXED))
		return;
	spin_lock(&sched_lock);
	jobctl_park_locked(p);
	spin_unlock(&sched_lock);
}
