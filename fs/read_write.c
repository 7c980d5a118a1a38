/*
 * read_write.c - moving bytes: read, write, pread64, pwrite64, readv,
 * writev, preadv, pwritev, lseek.
 *
 * The checks Linux makes before it reaches a file kind (open mode, a
 * directory, the user range) are made here once, so each kind's read and
 * write see only valid requests.
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "inode.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* read_check - may @f be read into the user buffer @ubuf of @n bytes? 0 or -errno. */
static long read_check(struct file *f, ul ubuf, size_t n)
{
	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
		return -EBADF;
	if (S_ISDIR(f->mode))
		return -EISDIR;
	if (!f->ops->read)
		return -EINVAL;
	if (!uaccess_ok(ubuf, n))
		return -EFAULT;
	return 0;
}

/* read(fd, buf, count) - the kind's read from pos; EBADF unless open for reading. */
SYSCALL(read)
{
	struct file *f = fd_file((int)a0);
	long r = read_check(f, a1, a2);

	return r ? r : f->ops->read(f, a1, a2);
}

/* write(fd, buf, count) - the kind's write; EBADF unless open for writing. */
SYSCALL(write)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write || (f->flags & O_PATH))
		return -EBADF;
	if (!uaccess_ok(a1, a2))
		return -EFAULT;
	if (f->seekable && (int64_t)(f->pos + a2) < 0)
		return -EINVAL;		/* the end would overflow a signed offset */
	return f->ops->write(f, a1, a2);
}

/* pread64(fd, buf, count, offset) - read at @offset, leaving pos where it was. */
SYSCALL(pread64)
{
	struct file *f = fd_file((int)a0);
	long r;

	/* An O_PATH file is no file to it; a directory reads as EISDIR; then ESPIPE, as Linux. */
	if (f && !f->seekable && !(f->flags & O_PATH) && !S_ISDIR(f->mode))
		return -ESPIPE;
	if ((r = read_check(f, a1, a2)))
		return r;
	if ((long)a3 < 0)
		return -EINVAL;
	if (f->ops == &regfile_ops)
		return regfile_pread(f, a1, a2, a3);
	uint64_t save = f->pos;
	f->pos = a3;
	r = f->ops->read(f, a1, a2);
	f->pos = save;
	return r;
}

/* pwrite64(fd, buf, count, offset) - write at @offset, leaving pos where it was. */
SYSCALL(pwrite64)
{
	struct file *f = fd_file((int)a0);

	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (S_ISDIR(f->mode))
		return -EISDIR;
	if (!f->seekable)
		return -ESPIPE;
	if ((long)a3 < 0 || (long)(a3 + a2) < 0)
		return -EINVAL;		/* negative, or the end overflows a signed offset */
	if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write || (f->flags & O_PATH))
		return -EBADF;
	if (!uaccess_ok(a1, a2))
		return -EFAULT;
	if (f->ops == &regfile_ops) {	/* O_APPEND too: Linux's pwrite appends then */
		inode_wlock(f->inode);
		long r = regfile_pwrite(f, a1, a2, (f->flags & O_APPEND) ? shmem_size(f->inode->mem) : a3);
		inode_wunlock(f->inode);
		return r;
	}
	uint64_t save = f->pos;
	f->pos = a3;
	long r = f->ops->write(f, a1, a2);
	f->pos = save;
	return r;
}

/*
 * rw_vec - readv/writev (@pos -1) and preadv/pwritev (at @pos): one call
 * per iovec until a short transfer.
 */
static long rw_vec(ul fd, ul uiov, ul cnt, int is_write, long pos)
{
	long total = 0;

	if (cnt > 1024)
		return -EINVAL;
	if (!fd_file((int)fd))
		return -EBADF;
	if (pos < -1)
		return -EINVAL;
	/* Every length is checked before any transfer, as Linux's import_iovec does. */
	for (ul i = 0; i < cnt; i++) {
		uint64_t iov[2];
		if (uaccess_copy_from_user(iov, uiov + 16 * i, sizeof(iov)))
			return -EFAULT;
		if ((long)iov[1] < 0)
			return -EINVAL;
	}
	for (ul i = 0; i < cnt; i++) {
		uint64_t iov[2];
		long r;

		if (uaccess_copy_from_user(iov, uiov + 16 * i, sizeof(iov)))
			return total ? total : -EFAULT;
		if (!iov[1])
			continue;
		if (pos >= 0)
			r = is_write ? sys_pwrite64(fd, iov[0], iov[1], (ul)pos + (ul)total, 0, 0)
				     : sys_pread64(fd, iov[0], iov[1], (ul)pos + (ul)total, 0, 0);
		else
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

/* readv(fd, iov, iovcnt) */
SYSCALL(readv)
{
	return rw_vec(a0, a1, a2, 0, -1);
}

/* writev(fd, iov, iovcnt) */
SYSCALL(writev)
{
	return rw_vec(a0, a1, a2, 1, -1);
}

/* preadv(fd, iov, iovcnt, pos_l, pos_h) and preadv2 (flags: RWF_*, only 0 and -1 pos here). */
SYSCALL(preadv)
{
	return rw_vec(a0, a1, a2, 0, (long)a3);
}

SYSCALL(pwritev)
{
	return rw_vec(a0, a1, a2, 1, (long)a3);
}

SYSCALL(preadv2)
{
	return a5 & ~0x1fUL ? -EOPNOTSUPP : rw_vec(a0, a1, a2, 0, (long)a3);
}

SYSCALL(pwritev2)
{
	return a5 & ~0x1fUL ? -EOPNOTSUPP : rw_vec(a0, a1, a2, 1, (long)a3);
}

/*
 * lseek(fd, offset, whence) - the new pos.  Pipes and devices are not
 * seekable (ESPIPE); a directory only rewinds to 0, for rewinddir.
 */
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
		base = (long)(f->ops == &regfile_ops ? shmem_size(f->inode->mem) : f->size);
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (f->ops != &regfile_ops)
			return -EINVAL;
		if (off < 0)
			return -ENXIO;
		base = shmem_seek(f->inode->mem, (uint64_t)off, a2 == SEEK_DATA);
		if (base < 0)
			return -ENXIO;
		f->pos = (uint64_t)base;
		return base;
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}
