/*
 * sys_file.c - file descriptor system calls.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "file.h"
#include "pipe.h"
#include "../kernel/syscall.h"
#include "../kernel/initramfs.h"
#include "../vm/uaccess.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* read_check - may @f be read into the user buffer @ubuf of @n bytes? 0 or -errno. */
static long read_check(struct file *f, ul ubuf, size_t n)
{
	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (S_ISDIR(f->mode))
		return -EISDIR;
	if (!f->ops->read)
		return -EINVAL;
	if (!uaccess_ok(ubuf, n))
		return -EFAULT;
	return 0;
}

SYSCALL(read)
{
	struct file *f = fd_file((int)a0);
	long r = read_check(f, a1, a2);

	return r ? r : f->ops->read(f, a1, a2);
}

SYSCALL(write)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write)
		return -EBADF;
	if (!uaccess_ok(a1, a2))
		return -EFAULT;
	return f->ops->write(f, a1, a2);
}

SYSCALL(pread64)
{
	struct file *f = fd_file((int)a0);
	long r;

	if (f && !f->seekable)
		return -ESPIPE;		/* before the other checks, as Linux does */
	if ((r = read_check(f, a1, a2)))
		return r;
	if ((long)a3 < 0)
		return -EINVAL;
	uint64_t save = f->pos;
	f->pos = a3;
	r = f->ops->read(f, a1, a2);
	f->pos = save;
	return r;
}

/* rw_vec - readv/writev: one call per iovec until a short transfer. */
static long rw_vec(ul fd, ul uiov, ul cnt, int is_write)
{
	long total = 0;

	if (cnt > 1024)
		return -EINVAL;
	if (!fd_file((int)fd))
		return -EBADF;
	for (ul i = 0; i < cnt; i++) {
		uint64_t iov[2];
		long r;

		if (uaccess_copy_from_user(iov, uiov + 16 * i, sizeof(iov)))
			return total ? total : -EFAULT;
		if (!iov[1])
			continue;
		r = is_write ? sys_write(fd, iov[0], iov[1], 0, 0, 0)
			     : sys_read(fd, iov[0], iov[1], 0, 0, 0);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((uint64_t)r < iov[1])
			break;
	}
	return total;
}

SYSCALL(readv)
{
	return rw_vec(a0, a1, a2, 0);
}

SYSCALL(writev)
{
	return rw_vec(a0, a1, a2, 1);
}

/* user_path - copy a path argument and make it absolute against @dirfd. */
static long user_path(int dirfd, ul upath, char *abs, size_t size)
{
	char path[PATH_MAX_K];
	long r = uaccess_strncpy_from_user(path, upath, sizeof(path));

	if (r < 0)
		return r;
	return path_resolve(dirfd, path, abs, size);
}

SYSCALL(openat)
{
	char abs[PATH_MAX_K];
	struct file *f;
	long r = user_path((int)a0, a1, abs, sizeof(abs));

	if (r)
		return r;
	if ((r = vfs_open(abs, (unsigned)a2, &f)))
		return r;
	f->flags = (unsigned)a2 & (O_ACCMODE | O_NONBLOCK | O_APPEND);
	r = fd_install(current(), f, 0, (a2 & O_CLOEXEC) != 0);
	if (r < 0)
		file_put(f);
	return r;
}

SYSCALL(close)
{
	struct proc *p = current();
	int fd = (int)a0;

	if (fd < 0 || fd >= NOFILE || !p->files[fd])
		return -EBADF;
	file_put(p->files[fd]);
	p->files[fd] = 0;
	return 0;
}

SYSCALL(lseek)
{
	struct file *f = fd_file((int)a0);
	long off = (long)a1, base;

	if (!f)
		return -EBADF;
	if (!f->seekable) {
		if (S_ISDIR(f->mode) && a2 == SEEK_SET && off == 0) {
			f->pos = 0;	/* rewinddir */
			return 0;
		}
		return -ESPIPE;
	}
	switch (a2) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (long)f->pos;
		break;
	case SEEK_END:
		base = (long)f->size;
		break;
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

SYSCALL(fstat)
{
	struct file *f = fd_file((int)a0);
	struct kstat st;

	if (!f)
		return -EBADF;
	file_stat(f, &st);
	return uaccess_copy_to_user(a1, &st, sizeof(st));
}

SYSCALL(newfstatat)
{
	char path[PATH_MAX_K], abs[PATH_MAX_K];
	struct kstat st;
	long r = uaccess_strncpy_from_user(path, a1, sizeof(path));

	if (r < 0)
		return r;
	if (r == 0 && (a3 & AT_EMPTY_PATH))
		return sys_fstat(a0, a2, 0, 0, 0, 0);
	if ((r = path_resolve((int)a0, path, abs, sizeof(abs))))
		return r;
	if ((r = vfs_stat(abs, !(a3 & AT_SYMLINK_NOFOLLOW), &st)))
		return r;
	return uaccess_copy_to_user(a2, &st, sizeof(st));
}

/* statx: glibc falls back to newfstatat when it is missing. */
SYSCALL(statx)
{
	return -ENOSYS;
}

SYSCALL(faccessat)
{
	char abs[PATH_MAX_K];
	struct kstat st;
	long r = user_path((int)a0, a1, abs, sizeof(abs));

	if (r)
		return r;
	if ((r = vfs_stat(abs, 1, &st)))
		return r;
	if ((a2 & 2) && !S_ISCHR(st.st_mode))	/* W_OK: the file system is read-only */
		return -EROFS;
	if ((a2 & 1) && !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

SYSCALL(getdents64)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (!uaccess_ok(a1, a2))
		return -EFAULT;
	return f->ops->getdents(f, a1, a2);
}

SYSCALL(pipe2)
{
	struct proc *p = current();
	struct file *rf, *wf;
	int fds[2];
	long r;

	if (a1 & ~(unsigned long)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if ((r = pipe_create(&rf, &wf, (unsigned)a1)))
		return r;
	fds[0] = fd_install(p, rf, 0, (a1 & O_CLOEXEC) != 0);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(p, wf, 0, (a1 & O_CLOEXEC) != 0);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			p->files[fds[0]] = 0;
		file_put(rf);
		file_put(wf);
		return -EMFILE;
	}
	if (uaccess_copy_to_user(a0, fds, sizeof(fds))) {
		p->files[fds[0]] = p->files[fds[1]] = 0;
		file_put(rf);
		file_put(wf);
		return -EFAULT;
	}
	return 0;
}

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

SYSCALL(dup3)
{
	struct proc *p = current();
	struct file *f = fd_file((int)a0);
	int nfd = (int)a1;

	if (!f || nfd < 0 || nfd >= NOFILE)
		return -EBADF;
	if (a0 == a1 || (a2 & ~(unsigned long)O_CLOEXEC))
		return -EINVAL;
	file_get(f);
	if (p->files[nfd])
		file_put(p->files[nfd]);
	p->files[nfd] = f;
	if (a2 & O_CLOEXEC)
		p->cloexec |= 1ULL << nfd;
	else
		p->cloexec &= ~(1ULL << nfd);
	return nfd;
}

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
		if ((uint32_t)a2 >= NOFILE)
			return -EINVAL;
		r = fd_install(p, file_get(f), (int)a2, a1 == F_DUPFD_CLOEXEC);
		if (r < 0)
			file_put(f);
		return r;
	case F_GETFD:
		return (p->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (a2 & FD_CLOEXEC)
			p->cloexec |= 1ULL << fd;
		else
			p->cloexec &= ~(1ULL << fd);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(unsigned)(O_NONBLOCK | O_APPEND)) |
			   ((unsigned)a2 & (O_NONBLOCK | O_APPEND));
		return 0;
	}
	return -EINVAL;
}

SYSCALL(ioctl)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, a1, a2);
}

SYSCALL(readlinkat)
{
	char abs[PATH_MAX_K], target[PATH_MAX_K];
	long r = user_path((int)a0, a1, abs, sizeof(abs));
	long n;

	if (r)
		return r;
	if ((long)a3 <= 0)
		return -EINVAL;
	if (!strncmp(abs, "/proc/", 6)) {
		n = procfs_readlink(abs, target, sizeof(target));
		if (n < 0)
			return n;
	} else {
		struct inode *ip = inode_lookup(abs, 0);
		if (!ip)
			return -ENOENT;
		if (!S_ISLNK(ip->mode) || !ip->link)
			return -EINVAL;
		n = (long)strlcpy(target, ip->link, sizeof(target));
	}
	n = MIN(n, (long)a3);
	if (uaccess_copy_to_user(a2, target, (size_t)n))
		return -EFAULT;
	return n;
}

SYSCALL(chdir)
{
	char abs[PATH_MAX_K];
	struct kstat st;
	long r = user_path(AT_FDCWD, a0, abs, sizeof(abs));

	if (r)
		return r;
	if ((r = vfs_stat(abs, 1, &st)))
		return r;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	strlcpy(current()->cwd, abs, PATH_MAX_K);
	return 0;
}

SYSCALL(getcwd)
{
	const char *cwd = current()->cwd;
	size_t n = strlen(cwd) + 1;

	if (a1 < n)
		return -ERANGE;
	if (uaccess_copy_to_user(a0, cwd, n))
		return -EFAULT;
	return (long)n;
}

/*
 * The file system is read-only (initramfs, /dev, /proc), and calls that
 * would change it fail as they fail on a read-only Linux mount: a missing
 * name is ENOENT, except that a call creating it needs only its parent
 * directory; a name to be created that exists is EEXIST; the rest EROFS.
 */
enum ro_op { RO_CHANGE, RO_CREATE };

static long ro_path(ul dirfd, ul upath, enum ro_op op)
{
	char abs[PATH_MAX_K];
	struct kstat st;
	long r = user_path((int)dirfd, upath, abs, sizeof(abs));

	if (r)
		return r;
	r = vfs_stat(abs, 0, &st);
	if (!r)
		return op == RO_CREATE ? -EEXIST : -EROFS;
	if (r != -ENOENT || op != RO_CREATE)
		return r;
	char *slash = abs;		/* the parent: cut at the last '/' */
	for (char *c = abs; *c; c++)
		if (*c == '/')
			slash = c;
	slash[slash == abs] = 0;
	if ((r = vfs_stat(abs, 1, &st)))
		return r;
	return S_ISDIR(st.st_mode) ? -EROFS : -ENOTDIR;
}

SYSCALL(mkdirat)	{ return ro_path(a0, a1, RO_CREATE); }
SYSCALL(mknodat)	{ return ro_path(a0, a1, RO_CREATE); }
SYSCALL(symlinkat)	{ return ro_path(a1, a2, RO_CREATE); }
SYSCALL(unlinkat)	{ return ro_path(a0, a1, RO_CHANGE); }
SYSCALL(fchmodat)	{ return ro_path(a0, a1, RO_CHANGE); }
SYSCALL(fchownat)	{ return ro_path(a0, a1, RO_CHANGE); }
SYSCALL(truncate)	{ return ro_path(AT_FDCWD, a0, RO_CHANGE); }

/* renameat2(olddirfd, old, newdirfd, new, flags) and linkat: the source must exist. */
SYSCALL(renameat2)
{
	long r = ro_path(a0, a1, RO_CHANGE);

	if (r != -EROFS)
		return r;		/* no source */
	r = ro_path(a2, a3, RO_CREATE);
	return r == -EEXIST ? -EROFS : r;	/* replacing an existing name is a change too */
}

/* utimensat(dirfd, path, times, flags) - a NULL path means dirfd itself. */
SYSCALL(utimensat)
{
	if (!a1)
		return fd_file((int)a0) ? -EROFS : -EBADF;
	return ro_path(a0, a1, RO_CHANGE);
}

/* fd-based changes: fchmod, fchown; ftruncate needs a file open for writing, and none is. */
SYSCALL(fchmod)
{
	return fd_file((int)a0) ? -EROFS : -EBADF;
}

SYSCALL(ftruncate)
{
	return fd_file((int)a0) ? -EINVAL : -EBADF;
}

/* fsync(fd), fdatasync(fd), sync() - nothing is ever dirty. */
SYSCALL(fsync)
{
	return fd_file((int)a0) ? 0 : -EBADF;
}

SYSCALL(sync)
{
	return 0;
}
