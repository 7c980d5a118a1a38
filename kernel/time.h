/* time.h - the timebase, the clocks and their conversions (time.c). */
#ifndef HOLSTEIN_TIME_H
#define HOLSTEIN_TIME_H

#include <stdint.h>
#include "../arch/riscv/vdso_data.h"

#define HZ 100		/* scheduler ticks per second */

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_REALTIME_COARSE	5

/* The user's struct timespec on riscv64. */
struct ktimespec {
	int64_t sec, nsec;
};

extern uint64_t timebase_hz;
/* time_init - the timebase (@hz, 0: keep the default) and the boot instant, on the boot hart, first thing. */
void time_init(uint64_t hz);
/* time_vdso_publish - from now on the clocks live in the vDSO's data page @page (vm/vdso.c), at boot. */
void time_vdso_publish(struct vdso_data *page);
/* time_ticks_to_ns - @t time-CSR ticks in ns, with the vDSO's arithmetic. */
uint64_t time_ticks_to_ns(uint64_t t);
/* time_now_ns - ns since boot: CLOCK_MONOTONIC (and BOOTTIME, MONOTONIC_RAW). */
uint64_t time_now_ns(void);
/* time_clock_ns - clock @clk, one of VDSO_FAST_CLOCKS, in ns, as the vDSO reads it. */
uint64_t time_clock_ns(int clk);
/* time_realtime_ns - CLOCK_REALTIME in ns since 1970. */
uint64_t time_realtime_ns(void);
/*
 * time_set_realtime - the wall clock reads @epoch_ns (ns since 1970) now
 * (else it starts at 2026-01-01).  0, or -EINVAL for a time before boot.
 */
int time_set_realtime(uint64_t epoch_ns);
/* time_settod_valid - whether Linux's settimeofday/clock_settime accept the time @sec.@nsec. */
int time_settod_valid(int64_t sec, int64_t nsec);
/* time_set_tz/time_get_tz - the time zone settimeofday sets and gettimeofday returns. */
void time_set_tz(int32_t minuteswest, int32_t dsttime);
void time_get_tz(int32_t tz[2]);

#endif
