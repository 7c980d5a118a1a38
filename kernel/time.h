/* time.h - the timebase and conversions. */
#ifndef HOLSTEIN_TIME_H
#define HOLSTEIN_TIME_H

#include <stdint.h>

#define HZ 100		/* scheduler ticks per second */

/* The user's struct timespec on riscv64. */
struct ktimespec {
	int64_t sec, nsec;
};

extern uint64_t timebase_hz;
void time_init(uint64_t hz);
uint64_t time_ticks_to_ns(uint64_t t);
uint64_t time_now_ns(void);
/* time_set_realtime - the wall clock reads @epoch_ns (ns since 1970) now; else a fixed 2026-01-01 at boot. */
void time_set_realtime(uint64_t epoch_ns);
uint64_t time_realtime_ns(void);

#endif
