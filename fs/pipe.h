/* pipe.h - anonymous pipes. */
#ifndef HOLSTEIN_PIPE_H
#define HOLSTEIN_PIPE_H

struct file;
/* pipe_create - a read end and a write end (O_NONBLOCK honoured). 0 or -ENOMEM. */
int pipe_create(struct file **rf, struct file **wf, unsigned flags);

#endif
