/*
 * ratelimit.h - let a burst of events through per interval, drop the rest:
 * for log lines a user program can cause at will (a fault loop must not
 * turn the console into the bottleneck of the whole machine).
 */
#ifndef HOLSTEIN_RATELIMIT_H
#define HOLSTEIN_RATELIMIT_H

#include <stdint.h>
#include "spinlock.h"

struct ratelimit {
	struct spinlock lock;
	uint64_t interval_ns;	/* length of a window */
	unsigned int burst;	/* events let through per window */
	uint64_t begin;		/* start of the current window (time_now_ns) */
	unsigned int printed;	/* let through in this window */
	unsigned int missed;	/* dropped in this window */
};

#define RATELIMIT_INIT(name, interval_ns_, burst_) \
	{ .lock = SPINLOCK_INIT(name), .interval_ns = (interval_ns_), .burst = (burst_) }

/*
 * ratelimit_ok - may one more event through @rs now?  When a new window
 * opens and the last one dropped events, says how many on the console.
 */
int ratelimit_ok(struct ratelimit *rs, const char *what);

#endif
