/*
 * sysstat.h - the system-wide numbers /proc/loadavg and /proc/stat show
 * (kernel/sysstat.c); the per-hart times and counts are in struct cpu.
 */
#ifndef HOLSTEIN_SYSSTAT_H
#define HOLSTEIN_SYSSTAT_H

#include <stdint.h>

/* Linux's fixed point for load averages: 11 fraction bits. */
#define LOADAVG_FSHIFT	11
#define LOADAVG_FIXED_1	(1UL << LOADAVG_FSHIFT)

/* loadavg_tick - hart 0's tick: every 5 s, fold the number of runnable threads into the averages. */
void loadavg_tick(void);
/* loadavg_get - the 1, 5 and 15 minute averages, in LOADAVG_FIXED_1 units. */
void loadavg_get(unsigned long avg[3]);

#endif
