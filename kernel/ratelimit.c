/*
 * ratelimit.c - see ratelimit.h.  Windows are fixed, not sliding: the first
 * event after a window ends opens the next one, so a quiet system pays one
 * clock read per event and nothing else.
 */
#include "kernel.h"
#include "ratelimit.h"
#include "time.h"

int ratelimit_ok(struct ratelimit *rs, const char *what)
{
	uint64_t now = time_now_ns();
	unsigned int missed = 0;
	int ok;

	spin_lock(&rs->lock);
	if (!rs->begin || now - rs->begin >= rs->interval_ns) {
		missed = rs->missed;
		rs->begin = now ? now : 1;
		rs->printed = 0;
		rs->missed = 0;
	}
	ok = rs->printed < rs->burst;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	spin_unlock(&rs->lock);
	if (missed)
		pr_info("%s: %u lines suppressed\n", what, missed);
	return ok;
}
