/*
 * stat.c - file attributes: filling struct stat, and the system calls that
 * read attributes or symlinks (fstat, newfstatat, statx, readlinkat).
 *
 * Every file lives on one device (st_dev 1), has one link, and belongs to
 * root: there is no owner or link count to keep, so stat_fill makes the
 * whole record from the few fields a file kind has.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "initramfs.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "namei.h"
#include "devfs.h"
#include "vfs.h"
#include "stat.h"

/*
 * stat_fill - the whole of @st for a file of inode @ino and @mode, @size
 * bytes long, modified at @mtime (seconds; also its access and change
 * times).  A character device gets its /dev entry's device number.
 */
void stat_fill(struct kstat *st, uint64_t ino, uint32_t mode, uint64_t size, uint64_t mtime)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = ino;
	st->st_mode = mode;
	st->st_nlink = 1;
	st->st_size = (int64_t)size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)((size + 511) / 512);
	st->st_mtime = st->st_atime = st->st_ctime = (int64_t)mtime;
	if ((mode & S_IFMT) == S_IFCHR)
		st->st_rdev = devfs_rdev(ino);
}

/* stat_file - fstat of @f from what its opener recorded; initramfs files add their mtime. */
void stat_file(struct file *f, struct kstat *st)
{
	stat_fill(st, f->ino, f->mode, f->size, f->inode ? f->inode->mtime : 0);
}

/* fstat(fd, statbuf) */
SYSCALL(fstat)
{
	struct file *f = fd_file((int)a0);
	struct kstat st;

	if (!f)
		return -EBADF;
	stat_file(f, &st);
	return uaccess_copy_to_user(a1, &st, sizeof(st));
}

/* newfstatat(dirfd, path, statbuf, flags) - an empty path with AT_EMPTY_PATH is fstat(dirfd). */
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

/* readlinkat(dirfd, path, buf, bufsiz) - the target, cut to bufsiz, without a NUL. */
SYSCALL(readlinkat)
{
	char abs[PATH_MAX_K], target[PATH_MAX_K];
	long r = path_from_user((int)a0, a1, abs, sizeof(abs));
	long n;

	if (r)
		return r;
	if ((long)a3 <= 0)
		return -EINVAL;
	n = vfs_readlink(abs, target, sizeof(target));
	if (n < 0)
		return n;
	/* vfs_readlink returns the full length, which may exceed what fit in target[]. */
	n = MIN(MIN(n, (long)a3), (long)sizeof(target) - 1);
	if (uaccess_copy_to_user(a2, target, (size_t)n))
		return -EFAULT;
	return n;
}
