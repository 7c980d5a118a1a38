/*
 * fdtable.h - file descriptor tables.  A table is a growable array of
 * slots, each holding one reference to a struct file and the descriptor's
 * close-on-exec bit.  Threads made with CLONE_FILES share one table (refs
 * counts them); fork copies it at its current size.
 *
 * Size.  A table starts with FD_SMALL slots inside struct fdtable itself
 * (no allocation at fork for the common process) and grows on demand, a
 * page of FD_CHUNK slots at a time, up to FD_NR_OPEN.  Which descriptors
 * a process may use is its RLIMIT_NOFILE soft limit (fd_limit): opening
 * past it is EMFILE.  The limit lives in the thread group (kernel/proc.h)
 * and is inherited by fork; its default soft value is FD_NOFILE_DEFAULT,
 * its hard ceiling FD_NR_OPEN (Linux's nr_open).
 *
 * Borrowing: fd_file() hands out a file for the rest of the current
 * system call.  While the table is private nobody else can close it, so no
 * reference is taken; while it is shared, another thread may close the
 * descriptor at any moment, so fd_file() pins the file (a reference the
 * thread holds until fd_unpin_all() at the end of the system call, as
 * Linux's fdget/fdput do).  Loops over many descriptors (poll, epoll) use
 * fd_get() and put each file themselves.
 *
 * Locking: the table's lock guards its slots, its size and its pages;
 * another thread reads a shared table only under it (the owner of a
 * private table may read its own slots without it).  It is a leaf: pages
 * are allocated and freed with it dropped, files put after it is dropped.
 */
#ifndef HOLSTEIN_FDTABLE_H
#define HOLSTEIN_FDTABLE_H

#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"

#define FD_PINS			4	/* files one system call may borrow from a shared table */
#define FD_SMALL		64	/* slots inside struct fdtable: a table that never grows */
#define FD_CHUNK		512	/* slots per page once it grows */
#define FD_NR_OPEN		65536	/* the most slots a table may have: RLIMIT_NOFILE's ceiling */
#define FD_NOFILE_DEFAULT	1024	/* RLIMIT_NOFILE's soft limit at boot */

struct file;
struct proc;

struct fdtable {
	struct spinlock lock;
	int refs;			/* threads using the table */
	int end;			/* slots at or past it are empty */
	int size;			/* slots that exist: FD_SMALL, or a multiple of FD_CHUNK */
	int next;			/* every slot below it is in use: where a search starts */
	/*
	 * Slot fd is chunk[fd / FD_CHUNK][fd % FD_CHUNK]: the file's address
	 * with bit 0 its close-on-exec bit (0 is an empty slot).  While size
	 * is FD_SMALL, chunk[0] points at small; after that every chunk[i]
	 * below size / FD_CHUNK is a zeroed page of its own.
	 */
	unsigned long *chunk[FD_NR_OPEN / FD_CHUNK];
	unsigned long small[FD_SMALL];
};

/* fd_table_new - an empty table with one user; NULL if out of memory. */
struct fdtable *fd_table_new(void);
/* fd_table_copy - fork: a new table of @t's size whose slots share @t's files, cloexec bits too. */
struct fdtable *fd_table_copy(struct fdtable *t);
/* fd_table_put - a thread stops using @t; the last one closes every descriptor. */
void fd_table_put(struct fdtable *t);
/* fd_unshare - execve: give @p a private copy of its table if it shares one. 0 or -ENOMEM. */
int fd_unshare(struct proc *p);

/* fd_limit - @p's RLIMIT_NOFILE soft limit: descriptors must lie below it. */
int fd_limit(struct proc *p);
/*
 * fd_install - the lowest free descriptor >= @min (and below fd_limit)
 * for @f (reference taken over), or -EMFILE, or -ENOMEM if the table
 * could not grow; on failure the caller still owns @f.
 */
int fd_install(struct proc *p, struct file *f, int min, int cloexec);
/*
 * fd_install_at - put @f (reference taken over) in slot @fd, which the
 * caller checked against fd_limit, closing what was there (dup3).  0, or
 * -ENOMEM if the table could not grow to @fd (the caller still owns @f).
 */
int fd_install_at(struct proc *p, int fd, struct file *f, int cloexec);
/*
 * fd_remove - empty slot @fd and return the file it held (the caller puts
 * it), or NULL.  A close: the table's record locks on the file go (locks.h).
 */
struct file *fd_remove(struct proc *p, int fd);
/* fd_cloexec / fd_set_cloexec - read or set @fd's close-on-exec bit (an open @fd). */
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
