/*
 * stat.c - file attributes: struct stat and statx filled from an inode or
 * from what a nameless file (a pipe, a /proc file) recorded, and the
 * system calls that read attributes, symlinks and file-system statistics
 * (fstat, newfstatat, statx, readlinkat, statfs, fstatfs).
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
#include "namei.h"
#include "devfs.h"
#include "procfs.h"
#include "mount.h"
#include "stat.h"

/*
 * stat_fill - the whole of @st for a nameless file of inode @ino and
 * @mode, @size bytes long, modified at @mtime (seconds; also its access
 * and change times).  A character device gets its /dev entry's number.
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

/* stat_inode - @st for inode @ip.  st_blocks counts the pages held, as tmpfs does. */
void stat_inode(struct inode *ip, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	spin_lock(&vfs_lock);		/* nlink and the times change under it */
	st->st_dev = ip->sb->dev;
	st->st_ino = ip->ino;
	st->st_mode = ip->mode;
	st->st_nlink = ip->nlink;
	st->st_uid = ip->uid;
	st->st_gid = ip->gid;
	st->st_rdev = ip->rdev;
	st->st_atime = ip->atime.sec;
	st->st_atime_nsec = ip->atime.nsec;
	st->st_mtime = ip->mtime.sec;
	st->st_mtime_nsec = ip->mtime.nsec;
	st->st_ctime = ip->ctime.sec;
	st->st_ctime_nsec = ip->ctime.nsec;
	spin_unlock(&vfs_lock);
	st->st_size = (int64_t)inode_size(ip);
	st->st_blksize = 4096;
	st->st_blocks = ip->mem ? (int64_t)shmem_pages(ip->mem) * 8 : 0;
	if (ip->sb->ops && ip->sb->ops->getattr) {	/* a disk fs: what its blocks say */
		uint64_t size = (uint64_t)st->st_size, blocks = (uint64_t)st->st_blocks;

		ip->sb->ops->getattr(ip, &size, &blocks);
		st->st_size = (int64_t)size;
		st->st_blocks = (int64_t)blocks;
	}
}

/* stat_file - fstat of @f: its inode's, or what its opener recorded. */
void stat_file(struct file *f, struct kstat *st)
{
	if (f->inode)
		stat_inode(f->inode, st);
	else
		stat_fill(st, f->ino, f->mode, f->size, 0);
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

/* stat_at - the stat of (@dirfd, @upath) by *at(2) @flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
static long stat_at(ul dirfd, ul upath, ul flags, struct kstat *st)
{
	struct nameidata nd;
	long r;

	if (flags & ~(ul)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */ |
			  0x6000 /* AT_STATX_SYNC_TYPE */))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && (int)dirfd != AT_FDCWD) {
		char c;
		struct file *f = fd_file((int)dirfd);
		if (uaccess_copy_from_user(&c, upath, 1))
			return -EFAULT;
		if (!c) {		/* fstat: glibc's fstat is fstatat(fd, "", AT_EMPTY_PATH) */
			if (!f)
				return -EBADF;
			stat_file(f, st);
			return 0;
		}
	}
	r = namei_user((int)dirfd, upath, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &nd);
	if (r)
		return r;
	if (nd.proc)
		r = procfs_stat(nd.proc, !(flags & AT_SYMLINK_NOFOLLOW), st);
	else
		stat_inode(nd.inode, st);
	nd_release(&nd);
	return r;
}

/* stat_path - stat of absolute path @abs, symlinks followed (a /proc link's target). */
long stat_path(const char *abs, struct kstat *st)
{
	struct nameidata nd;
	long r = namei(AT_FDCWD, abs, LOOKUP_FOLLOW, &nd);

	if (r)
		return r;
	if (nd.proc)
		r = procfs_stat(nd.proc, 1, st);
	else
		stat_inode(nd.inode, st);
	nd_release(&nd);
	return r;
}

/* newfstatat(dirfd, path, statbuf, flags) - an empty path with AT_EMPTY_PATH is fstat(dirfd). */
SYSCALL(newfstatat)
{
	struct kstat st;
	long r = stat_at(a0, a1, a3, &st);

	return r ? r : uaccess_copy_to_user(a2, &st, sizeof(st));
}

/* The statx record (256 bytes), and the fields we fill (STATX_BASIC_STATS | STATX_BTIME). */
struct statx_ts {
	int64_t sec;
	uint32_t nsec, pad;
};
struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint64_t spare[13];
};
#define STATX_BASIC_STATS	0x7ffU
#define STATX_BTIME		0x800U

/* statx(dirfd, path, flags, mask, statxbuf) */
SYSCALL(statx)
{
	struct kstatx x;
	struct kstat st;
	long r;

	if (a3 & 0x80000000UL)		/* STATX__RESERVED */
		return -EINVAL;
	if ((r = stat_at(a0, a1, a2, &st)))
		return r;
	memset(&x, 0, sizeof(x));
	x.mask = STATX_BASIC_STATS;
	x.blksize = (uint32_t)st.st_blksize;
	x.nlink = st.st_nlink;
	x.uid = st.st_uid;
	x.gid = st.st_gid;
	x.mode = (uint16_t)st.st_mode;
	x.ino = st.st_ino;
	x.size = (uint64_t)st.st_size;
	x.blocks = (uint64_t)st.st_blocks;
	x.atime = (struct statx_ts){ st.st_atime, (uint32_t)st.st_atime_nsec, 0 };
	x.mtime = (struct statx_ts){ st.st_mtime, (uint32_t)st.st_mtime_nsec, 0 };
	x.ctime = (struct statx_ts){ st.st_ctime, (uint32_t)st.st_ctime_nsec, 0 };
	x.rdev_major = (uint32_t)(st.st_rdev >> 8) & 0xfff;
	x.rdev_minor = (uint32_t)(st.st_rdev & 0xff);
	x.dev_major = (uint32_t)(st.st_dev >> 8) & 0xfff;
	x.dev_minor = (uint32_t)(st.st_dev & 0xff);
	return uaccess_copy_to_user(a4, &x, sizeof(x)) ? -EFAULT : 0;
}

/* readlinkat(dirfd, path, buf, bufsiz) - the target, cut to bufsiz, without a NUL. */
SYSCALL(readlinkat)
{
	struct nameidata nd;
	long r, n;

	if ((r = namei_user((int)a0, a1, LOOKUP_EMPTY, &nd)))
		return r;
	if ((long)a3 <= 0) {
		nd_release(&nd);
		return -EINVAL;
	}
	if (nd.proc) {
		phys_addr_t pg = pmm_alloc();
		n = pg ? procfs_readlink(nd.proc, phys_to_virt(pg), PAGE_SIZE) : -ENOMEM;
		if (n >= 0) {
			n = MIN(MIN(n, (long)a3), (long)PAGE_SIZE - 1);
			if (uaccess_copy_to_user(a2, phys_to_virt(pg), (size_t)n))
				n = -EFAULT;
		}
		if (pg)
			pmm_put(pg);
	} else if (!S_ISLNK(nd.inode->mode)) {
		n = -EINVAL;
	} else {
		/* The target never changes once made: no lock needed to read it. */
		n = MIN((long)strlen(nd.inode->link), (long)a3);
		if (uaccess_copy_to_user(a2, nd.inode->link, (size_t)n))
			n = -EFAULT;
	}
	nd_release(&nd);
	return n;
}

/* The generic riscv64 struct statfs (120 bytes). */
struct kstatfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};

/* statfs_sb - the statistics of the file system of @sb: a disk fs's own counts (statfs op). */
static long statfs_sb(struct super *sb, struct kstatfs *s)
{
	memset(s, 0, sizeof(*s));
	if (sb->ops && sb->ops->statfs) {
		uint32_t bsize = 4096;
		long r = sb->ops->statfs(sb, &s->f_blocks, &s->f_bfree, &s->f_bavail, &s->f_files,
					 &s->f_ffree, &bsize);
		if (r)
			return r;
		s->f_bsize = s->f_frsize = bsize;
		s->f_type = (int64_t)sb->magic;
		s->f_fsid[0] = (int32_t)sb->dev;
		s->f_namelen = NAME_MAX;
		s->f_flags = 0x20 | 0x400 | (sb->rdonly ? 1 : 0);	/* ST_VALID, ST_RELATIME, ST_RDONLY */
		return 0;
	}
	s->f_type = (int64_t)sb->magic;
	s->f_bsize = s->f_frsize = 4096;
	if (sb->quota) {
		unsigned long used = __atomic_load_n(&sb->quota->used, __ATOMIC_RELAXED);
		s->f_blocks = sb->quota->max;
		s->f_bfree = s->f_bavail = sb->quota->max > used ? sb->quota->max - used : 0;
		s->f_files = sb->max_inodes;
		s->f_ffree = sb->max_inodes > sb->inodes ? sb->max_inodes - sb->inodes : 0;
	}
	s->f_fsid[0] = (int32_t)sb->dev;
	s->f_namelen = NAME_MAX;
	s->f_flags = 0x20 | (sb->rdonly ? 1 : 0);	/* ST_VALID, ST_RDONLY */
	return 0;
}

/* statfs(path, buf) */
SYSCALL(statfs)
{
	struct nameidata nd;
	struct kstatfs s;
	long r = namei_user(AT_FDCWD, a0, LOOKUP_FOLLOW, &nd);

	if (r)
		return r;
	r = statfs_sb(nd.inode ? nd.inode->sb : proc_super(), &s);
	nd_release(&nd);
	if (r)
		return r;
	return uaccess_copy_to_user(a1, &s, sizeof(s)) ? -EFAULT : 0;
}

/* fstatfs(fd, buf) */
SYSCALL(fstatfs)
{
	struct file *f = fd_file((int)a0);
	struct kstatfs s;

	if (!f)
		return -EBADF;
	long r = statfs_sb(f->inode ? f->inode->sb : proc_super(), &s);
	if (r)
		return r;
	return uaccess_copy_to_user(a1, &s, sizeof(s)) ? -EFAULT : 0;
}
