/*
 * epoll.h - epoll instances (epoll_create1, epoll_ctl, epoll_pwait live in
 * epoll.c) and the one thing the rest of fs/ must do for them.
 *
 * A registration names its file without holding a reference, as Linux's
 * does: it lasts until the open file is finally released.  So the file's
 * last reference must unlink it before the file is freed.
 */
#ifndef HOLSTEIN_EPOLL_H
#define HOLSTEIN_EPOLL_H

struct file;

/*
 * epoll_file_gone - @f's last reference is gone (file_put): drop every
 * epoll registration of it, so no epoll instance keeps a pointer to it.
 * Takes epoll_lock: call it holding no spinlock.
 */
void epoll_file_gone(struct file *f);

#endif
