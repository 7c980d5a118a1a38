/*
 * fdtable.h - file descriptor tables.  A table is NOFILE slots, each
 * holding one reference to a struct file, with a close-on-exec bit per
 * slot.  Threads made with CLONE_FILES share one table (refs counts them);
 * fork copies it.
 *
 * Borrowing: fd_file() hands out a file for the rest of the current
 * system call.  While the table is private nobody else can close it, so no
 * reference is taken; while it is shared, another thread may close the
 * descriptor at any moment, so fd_file() pins the file (a reference the
 * thread holds until fd_unpin_all() at the end of the system call, as
 * Linux's fdget/fdput do).  Loops over many descriptors (poll, epoll) use
 * fd_get() and put each file themselves.
 */
#ifndef HOLSTEIN_FDTABLE_H
#define HOLSTEIN_FDTABLE_H

#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"

#define NOFILE		64
#define FD_PINS		4	/* files one system call may borrow from a shared table */

struct file;
struct proc;

struct fdtable {
	struct spinlock lock;		/* the slots and bits; never held across file_put */
	int refs;			/* threads using the table */
	int end;			/* slots at or past it are empty (and never read) */
	struct file *fd[NOFILE];
	uint64_t cloexec;		/* bit fd = FD_CLOEXEC */
};

/* fd_table_new - an empty table with one user; NULL if out of memory. */
struct fdtable *fd_table_new(void);
/* fd_table_copy - fork: a new table whose slots share @t's files, cloexec bits too. */
struct fdtable *fd_table_copy(struct fdtable *t);
/* fd_table_put - a thread stops using @t; the last one closes every descriptor. */
void fd_table_put(struct fdtable *t);
/* fd_unshare - execve: give @p a private copy of its table if it shares one. 0 or -ENOMEM. */
int fd_unshare(struct proc *p);

/* fd_install - the lowest free descriptor >= @min for @f (reference taken over), or -EMFILE. */
int fd_install(struct proc *p, struct file *f, int min, int cloexec);
/* fd_install_at - put @f (reference taken over) in slot @fd, closing what was there (dup3). */
void fd_install_at(struct proc *p, int fd, struct file *f, int cloexec);
/* fd_remove - empty slot @fd and return the file it held (the caller puts it), or NULL. */
struct file *fd_remove(struct proc *p, int fd);
/* fd_cloexec / fd_set_cloexec - read or set @fd's close-on-exec bit. */
int fd_cloexec(struct proc *p, int fd);
void fd_set_cloexec(struct proc *p, int fd, int on);

/* fd_file - the file behind @fd of the current thread for this system call, or NULL. */
struct file *fd_file(int fd);
/* fd_get - @fd's file with a reference of the caller's own (file_put it), or NULL. */
struct file *fd_get(int fd);
/* fd_unpin_all - the system call is over: drop what fd_file pinned. */
void fd_unpin_all(struct proc *p);

/*
 * Another process's table (/proc/PID/fd): its reader takes a reference on
 * the table (refs) under sched_lock while the process's fdt still points
 * at it (a thread changes its fdt under sched_lock and puts the old table
 * after), reads it with these, and puts it with fd_table_put.
 */
/* fd_table_next - the lowest open descriptor >= @fd of @t, or -1. */
int fd_table_next(struct fdtable *t, int fd);
/* fd_table_file - @fd's file in @t with a reference of the caller's (file_put it), or NULL. */
struct file *fd_table_file(struct fdtable *t, int fd);

/* fd_install_console - fds 0, 1 and 2 of @p on one /dev/console file (the first process). */
void fd_install_console(struct proc *p);
/* fd_close_on_exec - exec: close @p's descriptors marked close-on-exec. */
void fd_close_on_exec(struct proc *p);

#endif
