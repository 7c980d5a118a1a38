/*
 * fdtable.h - a process's file descriptors: the table of NOFILE slots in
 * struct proc (files[], with the close-on-exec bits in cloexec), and what
 * fork, exec and exit do to it.
 */
#ifndef HOLSTEIN_FDTABLE_H
#define HOLSTEIN_FDTABLE_H

struct file;
struct proc;

/* fd_install - the lowest free descriptor >= @min for @f (reference taken over), or -EMFILE. */
int fd_install(struct proc *p, struct file *f, int min, int cloexec);
/* fd_file - the file behind @fd of the current process, or NULL. */
struct file *fd_file(int fd);

/* fd_install_console - fds 0, 1 and 2 of @p on one /dev/console file (the first process). */
void fd_install_console(struct proc *p);
/* fd_dup_table - fork: @child's descriptors share @parent's files, cloexec bits too. */
void fd_dup_table(struct proc *child, struct proc *parent);
/* fd_close_all - exit: close every descriptor of @p. */
void fd_close_all(struct proc *p);
/* fd_close_on_exec - exec: close @p's descriptors marked close-on-exec. */
void fd_close_on_exec(struct proc *p);

#endif
