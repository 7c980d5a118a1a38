/*
 * fdtable.c - per-process file descriptor tables.
 *
 * A descriptor is a slot in proc->files holding one reference to a struct
 * file; bit fd of proc->cloexec says whether exec closes it.  A process
 * has one thread, and only it changes its table (or fork, before the child
 * runs), so no lock is taken.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/tty.h"
#include "file.h"
#include "fdtable.h"

/*
 * fd_install - put @f in the lowest free slot of @p at or above @min, with
 * close-on-exec set to @cloexec.  The caller's reference moves into the
 * table.  Returns the descriptor, or -EMFILE (the caller still owns @f).
 */
int fd_install(struct proc *p, struct file *f, int min, int cloexec)
{
	for (int fd = min; fd < NOFILE; fd++)
		if (!p->files[fd]) {
			p->files[fd] = f;
			if (cloexec)
				p->cloexec |= 1ULL << fd;
			else
				p->cloexec &= ~(1ULL << fd);
			return fd;
		}
	return -EMFILE;
}

/*
 * fd_file - the file behind @fd in the current process, or NULL if @fd is
 * out of range or closed.  No reference is taken: the caller is the only
 * one who can close it.
 */
struct file *fd_file(int fd)
{
	struct proc *p = current();

	if (fd < 0 || fd >= NOFILE)
		return 0;
	return p->files[fd];
}

/*
 * fd_install_console - stdin, stdout and stderr of @p (the first
 * process, whose table is empty) on one /dev/console file.  Panics if
 * memory is short: there is nothing to boot without them.
 */
void fd_install_console(struct proc *p)
{
	struct file *f = file_alloc(&tty_ops, O_RDWR);

	if (!f)
		panic("no memory for the console");
	f->mode = 0020620;
	p->files[0] = f;
	p->files[1] = file_get(f);
	p->files[2] = file_get(f);
}

/*
 * fd_dup_table - fork: each of @parent's files gains a reference in
 * @child's empty table, in the same slot, with the same cloexec bit.
 */
void fd_dup_table(struct proc *child, struct proc *parent)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (parent->files[fd])
			child->files[fd] = file_get(parent->files[fd]);
	child->cloexec = parent->cloexec;
}

/* fd_close_all - exit: drop every descriptor of @p, leaving its table empty. */
void fd_close_all(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd]) {
			file_put(p->files[fd]);
			p->files[fd] = 0;
		}
}

/* fd_close_on_exec - exec: drop @p's descriptors whose cloexec bit is set; clear the bits. */
void fd_close_on_exec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd] && (p->cloexec & (1ULL << fd))) {
			file_put(p->files[fd]);
			p->files[fd] = 0;
		}
	p->cloexec = 0;
}
