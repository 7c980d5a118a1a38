/*
 * poll.h - waiting for several files at once (ppoll, pselect6, epoll).
 *
 * A file kind that can block gives file_ops.poll, and calls poll_notify()
 * whenever its readiness may have changed.  Kinds without .poll never
 * block: they are always readable and writable (and epoll refuses them,
 * as Linux refuses files without a poll method).  A kind may also give
 * file_ops.poll_gen, two counters it bumps (before it notifies) when input
 * may have arrived and when room to write may have appeared: epoll's
 * edge-triggered mode reports a file again only when one of them moved.
 */
#ifndef HOLSTEIN_POLL_H
#define HOLSTEIN_POLL_H

#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020
#define POLLRDNORM	0x040
#define POLLWRNORM	0x100
#define POLLRDHUP	0x2000

/* The two edge counters of poll_gen: input, hang-up and errors; room to write. */
#define POLL_EDGE_IN	0
#define POLL_EDGE_OUT	1

#define POLL_NO_DEADLINE	UINT64_MAX	/* poll_wait: no timeout */

struct file;
typedef long (*poll_scan_fn)(void *arg);

/* poll_notify - some file's readiness changed: every poller looks again. */
void poll_notify(void);
/* poll_tick - from the tick: pollers with a timeout look at the clock. */
void poll_tick(void);
/* poll_file - @f's readiness now (POLLIN etc.); a kind without .poll is always ready. */
unsigned poll_file(struct file *f);
/* poll_edges - @f's edge counters (POLL_EDGE_IN/OUT) into @gen; see poll_gen above. */
void poll_edges(struct file *f, unsigned gen[2]);
/*
 * poll_wait - call @scan until it returns non-zero (a count, or -errno),
 * until time_now_ns() reaches @deadline (then 0; 0 scans once), or until a
 * signal (-EINTR).  Sleeps between scans; any poll_notify rescans.
 */
long poll_wait(poll_scan_fn scan, void *arg, uint64_t deadline);
/* poll_sigmask - the temporary signal mask of a wait (ppoll's, epoll_pwait's). 0 or -errno. */
long poll_sigmask(unsigned long umask, unsigned long masksize);

#endif
