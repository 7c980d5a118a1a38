/*
 * itimer.c - ITIMER_REAL: a per-process deadline in time_now_ns() nanoseconds,
 * checked on every tick by the timekeeping hart.  Resolution is therefore
 * one tick (1/HZ), as on a Linux kernel without high-resolution timers.
 *
 * The alarm belongs to the process: its fields live in the group leader.
 *
 * Locking: a process's alarm_at/alarm_every and the armed count are guarded
 * by sched_lock, because the tick reads them for every process.  When no
 * process has an alarm the tick costs one load.
 *
 * A child starts with no alarm (fork); exec keeps it (POSIX); exit drops it.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "time.h"
#include "itimer.h"
#include "../vm/uaccess.h"

#define ITIMER_REAL	0
#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_SEC	1000000000ULL

/* struct itimerval on riscv64: two struct timevals of two longs. */
struct kitimerval {
	int64_t interval_sec, interval_usec;
	int64_t value_sec, value_usec;
};

static int armed;	/* processes with alarm_at != 0 */

static void arm_locked(struct proc *p, uint64_t at, uint64_t every)
{
	armed += (at != 0) - (p->alarm_at != 0);
	p->alarm_at = at;
	p->alarm_every = every;
}

void itimer_cancel_locked(struct proc *p)
{
	arm_locked(p, 0, 0);
}

void itimer_move_locked(struct proc *from, struct proc *to)
{
	to->alarm_at = from->alarm_at;
	to->alarm_every = from->alarm_every;
	from->alarm_at = from->alarm_every = 0;
}

static int fire_if_due(struct proc *p, void *arg)
{
	uint64_t now = *(uint64_t *)arg;

	if (!p->alarm_at || now < p->alarm_at || proc_group_is_dead(p))
		return 0;
	signal_send_locked(p, SIGALRM);
	/* A periodic timer that fell behind skips the missed periods, like Linux. */
	if (p->alarm_every) {
		uint64_t next = p->alarm_at + p->alarm_every;
		arm_locked(p, next > now ? next : now + p->alarm_every, p->alarm_every);
	} else {
		arm_locked(p, 0, 0);
	}
	return 1;
}

void itimer_tick(void)
{
	uint64_t now;

	if (!__atomic_load_n(&armed, __ATOMIC_RELAXED))
		return;
	now = time_now_ns();
	spin_lock(&sched_lock);
	proc_each(fire_if_due, &now);
	spin_unlock(&sched_lock);
}

/* tv_to_ns - a timeval to nanoseconds; -1 if it is not a valid timeval. */
static int64_t tv_to_ns(int64_t sec, int64_t usec)
{
	if (sec < 0 || usec < 0 || usec >= 1000000 || (uint64_t)sec > 100000000000ULL)
		return -1;
	return (int64_t)((uint64_t)sec * NSEC_PER_SEC + (uint64_t)usec * NSEC_PER_USEC);
}

/* current_value_locked - @p's alarm as a struct itimerval (time left, period). */
static void current_value_locked(struct proc *p, struct kitimerval *v)
{
	uint64_t now = time_now_ns(), left = 0;

	if (p->alarm_at)	/* an armed timer never reads as 0: that would mean disarmed */
		left = p->alarm_at > now ? p->alarm_at - now : NSEC_PER_USEC;
	left = (left + NSEC_PER_USEC - 1) / NSEC_PER_USEC;
	v->value_sec = (int64_t)(left / 1000000);
	v->value_usec = (int64_t)(left % 1000000);
	v->interval_sec = (int64_t)(p->alarm_every / NSEC_PER_SEC);
	v->interval_usec = (int64_t)(p->alarm_every % NSEC_PER_SEC / NSEC_PER_USEC);
}

/* getitimer(which, curr) - ITIMER_REAL only; the CPU-time timers are EINVAL. */
SYSCALL(getitimer)
{
	struct proc *p = proc_leader(current());
	struct kitimerval v;

	if (a0 != ITIMER_REAL)
		return -EINVAL;
	spin_lock(&sched_lock);
	current_value_locked(p, &v);
	spin_unlock(&sched_lock);
	return uaccess_copy_to_user(a1, &v, sizeof(v)) ? -EFAULT : 0;
}

/* setitimer(which, new, old) - arm (value != 0) or disarm ITIMER_REAL; old gets the previous setting. */
SYSCALL(setitimer)
{
	struct proc *p = proc_leader(current());
	struct kitimerval nv, ov;
	int64_t value, every;

	if (a0 != ITIMER_REAL)
		return -EINVAL;
	if (!a1)
		memset(&nv, 0, sizeof(nv));	/* Linux treats a NULL new value as "disarm" */
	else if (uaccess_copy_from_user(&nv, a1, sizeof(nv)))
		return -EFAULT;
	value = tv_to_ns(nv.value_sec, nv.value_usec);
	every = tv_to_ns(nv.interval_sec, nv.interval_usec);
	if (value < 0 || every < 0)
		return -EINVAL;
	spin_lock(&sched_lock);
	current_value_locked(p, &ov);
	arm_locked(p, value ? time_now_ns() + (uint64_t)value : 0, value ? (uint64_t)every : 0);
	spin_unlock(&sched_lock);
	if (a2 && uaccess_copy_to_user(a2, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}
