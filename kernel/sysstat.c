/*
 * sysstat.c - the load average, as Linux computes it.
 *
 * Every LOADAVG_FREQ ticks the number of threads running or waiting for a
 * hart is sampled, and each average decays toward it by a fixed factor:
 * exp(-5 s / 1 min), exp(-5 s / 5 min), exp(-5 s / 15 min), in 11-bit fixed
 * point (1884, 2014, 2037 out of 2048).  An average that rises is rounded
 * up, as Linux's calc_load does, so a steady load of 1 reaches 1.00.
 * Linux also counts uninterruptible sleepers (disk waits); Holstein has
 * none of those.
 */
#include "kernel.h"
#include "spinlock.h"
#include "proc.h"
#include "sched.h"
#include "time.h"
#include "irq.h"
#include "sysstat.h"

#define LOADAVG_FREQ	(5 * HZ + 1)	/* Linux's LOAD_FREQ: 5 s and one tick */

static const unsigned long loadavg_exp[3] = { 1884, 2014, 2037 };
static unsigned long avenrun[3];
static unsigned long loadavg_next = LOADAVG_FREQ;

/* loadavg_decay - @load moved toward @active (both fixed point) by factor @exp. */
static unsigned long loadavg_decay(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long n = load * exp + active * (LOADAVG_FIXED_1 - exp);

	if (active >= load)
		n += LOADAVG_FIXED_1 - 1;
	return n / LOADAVG_FIXED_1;
}

void loadavg_tick(void)
{
	int running, threads, last;

	if (jiffies < loadavg_next)
		return;
	loadavg_next += LOADAVG_FREQ;
	spin_lock(&sched_lock);
	proc_count(&running, &threads, &last);
	spin_unlock(&sched_lock);
	for (int i = 0; i < 3; i++)
		avenrun[i] = loadavg_decay(avenrun[i], loadavg_exp[i],
					   (unsigned long)running * LOADAVG_FIXED_1);
}

void loadavg_get(unsigned long avg[3])
{
	for (int i = 0; i < 3; i++)
		avg[i] = __atomic_load_n(&avenrun[i], __ATOMIC_RELAXED);
}
