/*
 * sigwait.c - waiting for signals: rt_sigsuspend (until one is delivered)
 * and rt_sigtimedwait (until one of a set is pending, then take it
 * without running a handler).  Both are per thread: each waits with its
 * own mask, for signals sent to it or to its process.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "irq.h"
#include "time.h"
#include "../vm/uaccess.h"

#define UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP))

/* The first fields of siginfo_t, the rest zero. */
struct k_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint64_t si_addr;
	uint8_t rest[128 - 24];
};

/*
 * signal_suspend - rt_sigsuspend: wait with @mask blocked until a signal
 * is delivered.  Always -EINTR; the mask is restored after the handler
 * (through its frame) or on the way out.
 */
long signal_suspend(uint64_t mask)
{
	struct proc *p = current();
	static int chan;

	spin_lock(&sched_lock);
	p->sig.saved_blocked = p->sig.blocked;
	p->sig.restore_blocked = 1;
	p->sig.blocked = mask & ~UNBLOCKABLE;
	signal_unblocked_locked(p);
	while (!((p->sig.pending | p->group->pending) & (~p->sig.blocked | UNBLOCKABLE)))
		sched_sleep_intr(&chan, &sched_lock);	/* only a signal wakes us */
	spin_unlock(&sched_lock);
	return -EINTR;
}

long signal_timedwait(uint64_t set, unsigned long uinfo, const uint64_t *deadline)
{
	struct proc *p = current();
	struct k_siginfo info;
	static int chan;
	long r = 0;
	int sig = 0;

	set &= ~UNBLOCKABLE;
	spin_lock(&sched_lock);
	p->sig.waiting = set;
	for (;;) {
		if (signal_dequeue_locked(p, set, &sig))
			break;
		if ((p->sig.pending | p->group->pending) & (~p->sig.blocked | UNBLOCKABLE)) {
			r = -EINTR;	/* another signal is to be delivered */
			break;
		}
		if (deadline && time_now_ns() >= *deadline) {
			r = -EAGAIN;
			break;
		}
		/* With a deadline, wake on every tick to look at the clock. */
		sched_sleep_intr(deadline ? (void *)&jiffies : (void *)&chan, &sched_lock);
	}
	p->sig.waiting = 0;
	spin_unlock(&sched_lock);
	if (sig && uinfo) {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;	/* si_code SI_USER: where it came from is not kept */
		if (uaccess_copy_to_user(uinfo, &info, sizeof(info)))
			return -EFAULT;
	}
	return sig ? sig : r;
}

