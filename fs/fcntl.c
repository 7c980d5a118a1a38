/*
 * fcntl.c - descriptor operations: dup, dup3, fcntl and ioctl.
 *
 * These act on descriptors and open-file flags, never on a file's data or
 * name, so they need only the table (fdtable.h) and struct file.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "file.h"
#include "fdtable.h"
#include "locks.h"
#include "memfd.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

/* dup(fd) - the lowest free descriptor on the same file, close-on-exec clear. */
SYSCALL(dup)
{
	struct file *f = fd_file((int)a0);
	long r;

	if (!f)
		return -EBADF;
	r = fd_install(current(), file_get(f), 0, 0);
	if (r < 0)
		file_put(f);
	return r;
}

/*
 * dup3(oldfd, newfd, flags) - @newfd on @oldfd's file, closing what it
 * held; O_CLOEXEC is the only flag, and oldfd == newfd is EINVAL.  A
 * @newfd at or past RLIMIT_NOFILE is EBADF, as on Linux.
 */
SYSCALL(dup3)
{
	struct proc *p = current();
	struct file *f;
	unsigned nfd = (unsigned)a1;

	if (a2 & ~(unsigned long)O_CLOEXEC)
		return -EINVAL;
	if (a0 == a1)
		return -EINVAL;
	if (nfd >= (unsigned)fd_limit(p))
		return -EBADF;
	if (!(f = fd_file((int)a0)))
		return -EBADF;
	file_get(f);
	if (fd_install_at(p, (int)nfd, f, (a2 & O_CLOEXEC) != 0)) {
		file_put(f);
		return -ENOMEM;
	}
	return nfd;
}

/*
 * fcntl(fd, cmd, arg) - F_DUPFD(_CLOEXEC), F_GETFD/F_SETFD (close-on-exec),
 * F_GETFL/F_SETFL (only O_NONBLOCK and O_APPEND can change), the record
 * locks (locks.c), and a memfd's F_ADD_SEALS/F_GET_SEALS (memfd.c).
 */
SYSCALL(fcntl)
{
	struct proc *p = current();
	struct file *f = fd_file((int)a0);
	int fd = (int)a0;
	long r;

	if (!f)
		return -EBADF;
	switch (a1) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* arg is an unsigned long, but Linux's f_dupfd() takes it as an unsigned int */
		if ((uint32_t)a2 >= (uint32_t)fd_limit(p))
			return -EINVAL;
		r = fd_install(p, file_get(f), (int)a2, a1 == F_DUPFD_CLOEXEC);
		if (r < 0)
			file_put(f);
		return r;
	case F_GETFD:
		return fd_cloexec(p, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(p, fd, (a2 & FD_CLOEXEC) != 0);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(unsigned)(O_NONBLOCK | O_APPEND)) |
			   ((unsigned)a2 & (O_NONBLOCK | O_APPEND));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return locks_fcntl(fd, f, (unsigned)a1, a2);
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return memfd_fcntl(f, (unsigned)a1, (unsigned)a2);
	}
	return -EINVAL;
}

/* ioctl(fd, cmd, arg) - the kind's ioctl; ENOTTY for kinds without one. */
SYSCALL(ioctl)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, a1, a2);
}
