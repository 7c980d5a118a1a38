/*
 * attr.c - changing a file's attributes and size: fchmodat, fchmod,
 * fchownat, fchown, utimensat, truncate, ftruncate, fallocate (the sync
 * calls are sync.c's).  Everyone is root for now, so no permission check
 * fails; a read-only mount refuses every change (EROFS).
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
#include "memfd.h"
#include "namei.h"
#include "vfs.h"

/*
 * attr_target - the inode (@dirfd, @upath) names, with a reference; a NULL
 * @upath (or AT_EMPTY_PATH and "") means @dirfd's own file.  /proc's files
 * cannot be changed: EPERM.
 */
static long attr_target(ul dirfd, ul upath, int follow, int empty, struct inode **out)
{
	struct nameidata nd;
	long r;

	if (!upath) {
		struct file *f = fd_file((int)dirfd);
		if (!f)
			return -EBADF;
		if (!f->inode)
			return -EPERM;
		*out = inode_get(f->inode);
		return 0;
	}
	r = namei_user((int)dirfd, upath, (follow ? LOOKUP_FOLLOW : 0) | (empty ? LOOKUP_EMPTY : 0),
		       &nd);
	if (r)
		return r;
	if (nd.proc) {
		nd_release(&nd);
		return -EPERM;
	}
	*out = inode_get(nd.inode);
	nd_release(&nd);
	return 0;
}

/* chmod_inode - the permission bits of @ip become @mode's. */
static long chmod_inode(struct inode *ip, ul mode)
{
	if (mnt_want_write(ip)) {
		inode_put(ip);
		return -EROFS;
	}
	spin_lock(&vfs_lock);
	ip->mode = (ip->mode & S_IFMT) | ((uint32_t)mode & 07777);
	inode_touch(ip, TOUCH_C);
	spin_unlock(&vfs_lock);
	inode_put(ip);
	return 0;
}

/* fchmodat(dirfd, path, mode) - a symlink is followed. */
SYSCALL(fchmodat)
{
	struct inode *ip;
	long r = attr_target(a0, a1 ? a1 : 1 /* NULL is EFAULT */, 1, 0, &ip);

	return r ? r : chmod_inode(ip, a2);
}

/* fchmod(fd, mode) */
SYSCALL(fchmod)
{
	struct inode *ip;
	long r = attr_target(a0, 0, 0, 0, &ip);

	return r ? r : chmod_inode(ip, a1);
}

/* chown_inode - owner @uid and group @gid ((unsigned)-1: unchanged); set-id bits go, as Linux. */
static long chown_inode(struct inode *ip, ul uid, ul gid)
{
	if (mnt_want_write(ip)) {
		inode_put(ip);
		return -EROFS;
	}
	spin_lock(&vfs_lock);
	if ((uint32_t)uid != (uint32_t)-1)
		ip->uid = (uint32_t)uid;
	if ((uint32_t)gid != (uint32_t)-1)
		ip->gid = (uint32_t)gid;
	if (!S_ISDIR(ip->mode) && ((uint32_t)uid != (uint32_t)-1 || (uint32_t)gid != (uint32_t)-1)) {
		ip->mode &= ~(uint32_t)S_ISUID;
		if (ip->mode & 010)
			ip->mode &= ~(uint32_t)S_ISGID;
	}
	inode_touch(ip, TOUCH_C);
	spin_unlock(&vfs_lock);
	inode_put(ip);
	return 0;
}

/* fchownat(dirfd, path, uid, gid, flags) */
SYSCALL(fchownat)
{
	struct inode *ip;
	long r;

	if (a4 & ~(ul)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = attr_target(a0, a1 ? a1 : 1, !(a4 & AT_SYMLINK_NOFOLLOW), (a4 & AT_EMPTY_PATH) != 0, &ip);
	return r ? r : chown_inode(ip, a2, a3);
}

/* fchown(fd, uid, gid) */
SYSCALL(fchown)
{
	struct inode *ip;
	long r = attr_target(a0, 0, 0, 0, &ip);

	return r ? r : chown_inode(ip, a1, a2);
}

#define UTIME_NOW	((1L << 30) - 1)
#define UTIME_OMIT	((1L << 30) - 2)

/* utimensat(dirfd, path, times[2], flags) - a NULL path is dirfd's file (futimens). */
SYSCALL(utimensat)
{
	struct timespec64 t[2], now = inode_now();
	struct inode *ip;
	long r;

	if (a3 & ~(ul)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (a2) {
		if (uaccess_copy_from_user(t, a2, sizeof(t)))
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if (t[i].nsec != UTIME_NOW && t[i].nsec != UTIME_OMIT &&
			    (t[i].nsec < 0 || t[i].nsec >= 1000000000))
				return -EINVAL;
		if (t[0].nsec == UTIME_OMIT && t[1].nsec == UTIME_OMIT)
			return 0;
	} else {
		t[0].nsec = t[1].nsec = UTIME_NOW;
	}
	if ((r = attr_target(a0, a1, !(a3 & AT_SYMLINK_NOFOLLOW), (a3 & AT_EMPTY_PATH) != 0, &ip)))
		return r;
	if ((r = mnt_want_write(ip))) {
		inode_put(ip);
		return r;
	}
	spin_lock(&vfs_lock);
	if (t[0].nsec != UTIME_OMIT)
		ip->atime = t[0].nsec == UTIME_NOW ? now : t[0];
	if (t[1].nsec != UTIME_OMIT)
		ip->mtime = t[1].nsec == UTIME_NOW ? now : t[1];
	ip->ctime = now;
	inode_dirty(ip, DIRTY_ATTR);
	spin_unlock(&vfs_lock);
	inode_put(ip);
	return 0;
}

long vfs_truncate(struct inode *ip, int64_t size)
{
	long r;

	if (S_ISDIR(ip->mode))
		return -EISDIR;
	if (!S_ISREG(ip->mode))
		return -EINVAL;
	if (size < 0)
		return -EINVAL;
	if ((r = mnt_want_write(ip)) || (r = inode_fill(ip)))
		return r;	/* filled: a shrink by name must cut the disk's contents, not an empty cache */
	inode_wlock(ip);	/* not in the middle of a write (an append would land past the end) */
	if (!(r = memfd_resize_ok(ip, shmem_size(ip->mem), (uint64_t)size)) &&
	    !(r = shmem_set_size(ip->mem, (uint64_t)size))) {
		inode_touch(ip, TOUCH_M | TOUCH_C);
		inode_dirty(ip, DIRTY_DATA);
	}
	inode_wunlock(ip);
	return r;
}

/* truncate(path, length) */
SYSCALL(truncate)
{
	struct inode *ip;
	long r;

	if ((long)a1 < 0)
		return -EINVAL;
	if ((r = attr_target(AT_FDCWD, a0 ? a0 : 1, 1, 0, &ip)))
		return r;
	r = vfs_truncate(ip, (int64_t)a1);
	inode_put(ip);
	return r;
}

/* ftruncate(fd, length) - EINVAL unless a regular file open for writing. */
SYSCALL(ftruncate)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if ((long)a1 < 0)
		return -EINVAL;
	if (!f->inode || !S_ISREG(f->inode->mode) || (f->flags & O_ACCMODE) == O_RDONLY ||
	    (f->flags & O_PATH))
		return -EINVAL;
	return vfs_truncate(f->inode, (int64_t)a1);
}

/*
 * fallocate(fd, mode, offset, len) - mode 0 only: the pages of the range
 * are made (so a later write cannot fail with ENOSPC) and the file grows
 * to cover it.  Other modes EOPNOTSUPP.
 */
SYSCALL(fallocate)
{
	struct file *f = fd_file((int)a0);
	int64_t off = (int64_t)a2, len = (int64_t)a3;

	if (!f)
		return -EBADF;
	if (off < 0 || len <= 0)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (a1)
		return -EOPNOTSUPP;
	if (!f->inode)
		return -ESPIPE;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!S_ISREG(f->inode->mode))
		return -ENODEV;
	if ((uint64_t)off + (uint64_t)len > SHMEM_MAX_SIZE || off + len < off)
		return -EFBIG;
	if (mnt_want_write(f->inode))
		return -EROFS;
	inode_wlock(f->inode);		/* a truncate must not cut the range while it is made */
	uint64_t size = shmem_size(f->inode->mem);
	long r = memfd_resize_ok(f->inode, size, MAX(size, (uint64_t)(off + len)));
	for (uint64_t p = (uint64_t)off & ~(PAGE_SIZE - 1); !r && p < (uint64_t)(off + len);
	     p += PAGE_SIZE) {
		int err;
		phys_addr_t fr = shmem_page(f->inode->mem, p / PAGE_SIZE, 1, &err);
		if (!fr)
			r = err;
		else
			pmm_put(fr);
	}
	if (!r) {
		shmem_extend(f->inode->mem, (uint64_t)(off + len));
		inode_touch(f->inode, TOUCH_C);
		inode_dirty(f->inode, DIRTY_DATA);
	}
	inode_wunlock(f->inode);
	return r;
}

/*
 * fadvise64(fd, offset, len, advice) - a hint about future reads.  Every
 * file here lives in memory, so there is nothing to read ahead or drop:
 * check the arguments as Linux does for a memory file system and return 0.
 */
SYSCALL(fadvise64)
{
	struct file *f = fd_file((int)a0);

	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (S_ISFIFO(f->inode ? f->inode->mode : f->mode))
		return -ESPIPE;
	if ((long)a2 < 0 || a3 > 5)	/* POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE */
		return -EINVAL;
	return 0;
}
