/*
 * sys_time.c - setting the clocks: clock_settime and settimeofday, in
 * Linux 6.1's order of checks.  Every process is root here, so EPERM
 * comes only from the CPU-time clocks.  The new wall clock reaches the
 * vDSO's data page at once (time.c writes it under its sequence count).
 */
#include "kernel.h"
#include "syscall.h"
#include "time.h"
#include "../vm/uaccess.h"

#define NSEC_PER_SEC 1000000000LL
#define TZ_MAX_MINUTESWEST (15 * 60)

/* set_wall - the checks do_settimeofday64 makes, then the clock moves.  0 or -EINVAL. */
static long set_wall(int64_t sec, int64_t nsec)
{
	if (!time_settod_valid(sec, nsec))
		return -EINVAL;
	return time_set_realtime((uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec);
}

/* clock_settime(which, tp) - only CLOCK_REALTIME can be set; the CPU clocks say EPERM. */
SYSCALL(clock_settime)
{
	struct ktimespec ts;
	int clk = (int)a0;

	if (clk == 2 || clk == 3)
		return -EPERM;		/* Linux checks the clock first, then copies */
	if (clk != CLOCK_REALTIME)
		return -EINVAL;
	if (uaccess_copy_from_user(&ts, a1, sizeof(ts)))
		return -EFAULT;
	return set_wall(ts.sec, ts.nsec);
}

/* settimeofday(tv, tz) - either may be NULL; tz is kept for gettimeofday (no clock warp). */
SYSCALL(settimeofday)
{
	int64_t tv[2];
	int32_t tz[2];

	if (a0) {
		if (uaccess_copy_from_user(tv, a0, sizeof(tv)))
			return -EFAULT;
		if (tv[1] < 0 || tv[1] > 1000000)
			return -EINVAL;
	}
	if (a1 && uaccess_copy_from_user(tz, a1, sizeof(tz)))
		return -EFAULT;
	if (a0 && (tv[0] < 0 || tv[1] == 1000000))
		return -EINVAL;		/* timespec64_valid, after the copies */
	if (a1) {
		if (tz[0] > TZ_MAX_MINUTESWEST || tz[0] < -TZ_MAX_MINUTESWEST)
			return -EINVAL;
		time_set_tz(tz[0], tz[1]);
	}
	return a0 ? set_wall(tv[0], tv[1] * 1000) : 0;
}
