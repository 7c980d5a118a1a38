/*
 * locks_int.h - between locks.c (the lock lists, waits and the release
 * hooks) and locks_sys.c (flock and fcntl: their arguments and checks).
 */
#ifndef HOLSTEIN_LOCKS_INT_H
#define HOLSTEIN_LOCKS_INT_H

#include "../kernel/kernel.h"

struct file;
struct inode;
struct flock_state;

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2
#define OFFSET_MAX	INT64_MAX	/* a record lock's end: to the end of the file and beyond */

/* A lock as F_GETLK reports it: type, owner's process id (-1: OFD), [start, end]. */
struct lock_desc {
	int type, pid;
	int64_t start, end;
};

/*
 * locks_state - @ip's lock state.  Without one, NULL unless @make: then it
 * is made (NULL if memory is short).  It lives as long as the inode.
 */
struct flock_state *locks_state(struct inode *ip, int make);

/*
 * locks_flock_set - open file @f takes a flock() lock of @type (F_UNLCK:
 * drops its lock), waiting unless @nb.  0, -EAGAIN (EWOULDBLOCK),
 * -ERESTARTSYS or -ENOLCK.
 */
long locks_flock_set(struct file *f, int type, int nb);

/*
 * locks_range_set - @owner (process id @pid, -1 for an OFD lock) sets a
 * record lock of @type (F_UNLCK: clears) on [start, end] of @st's file,
 * waiting for conflicting locks to go if @wait.  0, -EAGAIN, -EDEADLK (a
 * classic lock whose wait would close a circle of waits), -ERESTARTSYS or
 * -ENOLCK.
 */
long locks_range_set(struct flock_state *st, const void *owner, int pid, int type,
		     int64_t start, int64_t end, int wait);

/*
 * locks_range_test - is there a record lock of another owner than @owner
 * in the way of a @type lock on [start, end]?  If so 1, the first one by
 * start in *@out; else 0.
 */
int locks_range_test(struct flock_state *st, const void *owner, int type, int64_t start,
		     int64_t end, struct lock_desc *out);

#endif
