/* pipe.h - anonymous pipes, and the pipes of FIFOs. */
#ifndef HOLSTEIN_PIPE_H
#define HOLSTEIN_PIPE_H

#include "../kernel/kernel.h"

struct file;
struct inode;

/* pipe_create - a read end and a write end (O_NONBLOCK honoured). 0 or -ENOMEM. */
int pipe_create(struct file **rf, struct file **wf, unsigned flags);
/*
 * pipe_fifo_open - open FIFO @ip with @flags (O_ACCMODE, O_NONBLOCK),
 * waiting for the other side as open(2) does: a new file in *@out that
 * holds the caller's reference on @ip, or -ENXIO, -ERESTARTSYS, -ENOMEM
 * (the caller keeps its reference).
 */
long pipe_fifo_open(struct inode *ip, unsigned flags, struct file **out);
/*
 * pipe_reopen - open another end of the anonymous pipe @end is an end of
 * (/proc/PID/fd/N), with @flags, waiting as a FIFO's open does.  0 with
 * a new file in *@out, or -ENXIO (not an anonymous pipe), -ERESTARTSYS...
 */
long pipe_reopen(struct file *end, unsigned flags, struct file **out);

#endif
