/*
 * poll.h - waiting for several files at once (ppoll, pselect6).
 *
 * A file kind that can block gives file_ops.poll, and calls poll_notify()
 * whenever its readiness may have changed.  Kinds without .poll never
 * block: they are always readable and writable.
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

/* poll_notify - some file's readiness changed: every poller looks again. */
void poll_notify(void);
/* poll_tick - from the tick: pollers with a timeout look at the clock. */
void poll_tick(void);

#endif
