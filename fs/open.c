/*
 * open.c - opening and closing, and the working directory: openat, close,
 * faccessat, chdir, fchdir, getcwd.
 *
 * A name is walked (namei.c), created if asked (vfs_ops.c), opened by its
 * inode's kind (regfile.c) or by /proc (procfs.c), and the file put in the
 * descriptor table (fdtable.c).
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/syscall.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
#include "namei.h"
#include "procfs.h"
#include "mount.h"
#include "stat.h"
#include "vfs.h"

/* umask_now - the caller's umask (a racy read is fine: another thread's umask call is a race anyway). */
static unsigned umask_now(void)
{
	return current()->fs->umask;
}

/*
 * open_proc - open /proc path @pp: an fd/N link to a nameless file opens
 * that file again (procfs_fd.c); the rest is read-only, O_DIRECTORY checked.
 */
static long open_proc(const char *pp, unsigned flags, struct file **out)
{
	int err = 0;
	struct file *f;
	long r = procfs_reopen(pp, flags, out);

	if (r != 1)
		return r;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	f = procfs_open(pp, &err);
	if (!f)
		return err;
	if ((flags & O_DIRECTORY) && !S_ISDIR(f->mode)) {
		file_put(f);
		return -ENOTDIR;
	}
	*out = f;
	return 0;
}

/* open_checks - may @ip be opened with @flags? The order of Linux's checks. */
static long open_checks(struct nameidata *nd, struct inode *ip, unsigned flags)
{
	unsigned acc = flags & O_ACCMODE;

	if (S_ISLNK(ip->mode) && !(flags & O_PATH))
		return -ELOOP;		/* O_NOFOLLOW */
	if (nd->trailing && !S_ISDIR(ip->mode))
		return -ENOTDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ip->mode))
		return -ENOTDIR;
	if (S_ISDIR(ip->mode) && !(flags & O_PATH) &&
	    (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT))))
		return -EISDIR;
	if (acc == 3 && !(flags & O_PATH))
		return -EINVAL;
	return 0;
}

/*
 * open_rofs - EROFS if opening @ip with @flags would change a read-only
 * file system: writing or truncating a regular file (devices and FIFOs may
 * be written anywhere, as on Linux; a directory was EISDIR already).
 */
static long open_rofs(struct inode *ip, unsigned flags)
{
	if (!S_ISREG(ip->mode) || (flags & O_PATH))
		return 0;
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC))
		return 0;
	return mnt_want_write(ip);
}

long vfs_open(int dirfd, const char *path, unsigned flags, uint32_t mode, struct file **out)
{
	unsigned lf = LOOKUP_PARENT | ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	struct nameidata nd;
	struct inode *ip;
	long r;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return (flags & O_ACCMODE) == O_RDONLY ? -EINVAL : -EOPNOTSUPP;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		lf &= ~LOOKUP_FOLLOW;	/* O_EXCL: a final symlink is "exists" */
	if ((r = namei(dirfd, path, lf, &nd)))
		return r;
	if (nd.proc) {
		r = (flags & O_CREAT) && (flags & O_EXCL) ? -EEXIST : open_proc(nd.proc, flags, out);
		nd_release(&nd);
		return r;
	}
	ip = nd.inode;
	if (!ip && !(flags & O_CREAT)) {
		r = -ENOENT;
	} else if (!ip) {
		if (nd.trailing)
			r = -EISDIR;
		else if (!strcmp(nd.dir->sb->type, "proc"))
			r = -EACCES;
		else
			r = vfs_create_in(nd.dir, nd.last, S_IFREG | (mode & 07777 & ~umask_now()), 0, 0, &ip);
		if (r == -EEXIST && !(flags & O_EXCL)) {
			nd_release(&nd);
			return vfs_open(dirfd, path, flags & ~O_CREAT, mode, out);	/* lost a race: open it */
		}
		flags &= ~O_TRUNC;	/* it is new */
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		r = -EEXIST;
	} else if (nd.last_type != LAST_NORM && (flags & O_CREAT)) {
		r = -EISDIR;
	} else {
		inode_get(ip);
	}
	if (!r && (r = open_checks(&nd, ip, flags)))
		inode_put(ip);
	if (!r && (r = open_rofs(ip, flags)))
		inode_put(ip);
	if (!r && (flags & O_TRUNC) && S_ISREG(ip->mode) && (flags & O_ACCMODE) != O_RDONLY) {
		/* Filled first: a disk fs's later fill would bring back the old contents. */
		if ((r = inode_fill(ip)) || (r = vfs_truncate(ip, 0)))	/* or a memfd's F_SEAL_SHRINK */
			inode_put(ip);
	}
	if (!r && (r = vfs_open_inode(ip, flags, out)))
		inode_put(ip);
	nd_release(&nd);
	return r;
}

/*
 * openat(dirfd, path, flags, mode) - the lowest free descriptor on a new
 * file; only the access mode, O_NONBLOCK, O_APPEND and O_PATH stay in its flags.
 */
SYSCALL(openat)
{
	phys_addr_t pg = pmm_alloc();
	struct file *f;
	long r;

	if (!pg)
		return -ENOMEM;
	r = uaccess_strncpy_from_user(phys_to_virt(pg), a1, PATH_MAX);
	if (r >= 0)
		r = vfs_open((int)a0, phys_to_virt(pg), (unsigned)a2, (uint32_t)a3, &f);
	pmm_put(pg);
	if (r)
		return r;
	f->flags = (unsigned)a2 & (O_ACCMODE | O_NONBLOCK | O_APPEND | O_PATH);
	r = fd_install(current(), f, 0, (a2 & O_CLOEXEC) != 0);
	if (r < 0)
		file_put(f);
	return r;
}

/* close(fd) - drop the descriptor; the file goes with its last reference. */
SYSCALL(close)
{
	struct file *f = fd_remove(current(), (int)a0);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/*
 * access_check - faccessat's rule for @mode (R_OK 4, W_OK 2, X_OK 1) on an
 * inode of @imode: everyone is root here, so only X_OK can fail: it needs
 * some execute bit, or a directory.
 */
static long access_check(uint32_t imode, unsigned long mode)
{
	if ((mode & 1) && !S_ISDIR(imode) && !(imode & 0111))
		return -EACCES;
	return 0;
}

/* faccessat2(dirfd, path, mode, flags) and faccessat (flags 0). */
static long do_faccessat(ul dirfd, ul upath, ul mode, ul flags)
{
	struct nameidata nd;
	long r;

	if (mode & ~7UL)
		return -EINVAL;
	if (flags & ~(ul)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x200 /* AT_EACCESS */))
		return -EINVAL;
	r = namei_user((int)dirfd, upath, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &nd);
	if (r)
		return r;
	if (nd.proc) {
		struct kstat st;
		r = procfs_stat(nd.proc, 1, &st);
		if (!r && (mode & 2))
			r = -EACCES;
		if (!r)
			r = access_check(st.st_mode, mode);
	} else {
		r = access_check(nd.inode->mode, mode);
	}
	nd_release(&nd);
	return r;
}

SYSCALL(faccessat)
{
	return do_faccessat(a0, a1, a2, 0);
}

SYSCALL(faccessat2)
{
	return do_faccessat(a0, a1, a2, a3);
}

/* set_cwd - make directory @ip (reference taken over) the cwd. */
static void set_cwd(struct inode *ip)
{
	struct inode *old;

	spin_lock(&sched_lock);		/* threads sharing it read it under the lock */
	old = current()->fs->cwd;
	current()->fs->cwd = ip;
	spin_unlock(&sched_lock);
	inode_put(old);
}

/* chdir(path) - the new cwd, held as its inode. */
SYSCALL(chdir)
{
	struct nameidata nd;
	long r = namei_user(AT_FDCWD, a0, LOOKUP_FOLLOW, &nd);

	if (r)
		return r;
	if (nd.proc) {
		struct kstat st;
		if ((r = procfs_stat(nd.proc, 1, &st)) == 0 && !S_ISDIR(st.st_mode))
			r = -ENOTDIR;
		else if (!r && !strcmp(nd.proc, "/proc") && proc_super()->root)
			set_cwd(inode_get(proc_super()->root));
		else if (!r)
			r = -EACCES;	/* /proc's subdirectories have no inodes to hold */
	} else if (!S_ISDIR(nd.inode->mode))
		r = -ENOTDIR;
	else
		set_cwd(inode_get(nd.inode));
	nd_release(&nd);
	return r;
}

/* fchdir(fd) - the directory open at @fd becomes the cwd. */
SYSCALL(fchdir)
{
	struct file *f = fd_file((int)a0);

	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	set_cwd(inode_get(f->inode));
	return 0;
}

/* getcwd(buf, size) - the cwd with its NUL; the length including it, ERANGE, or ENOENT once removed. */
SYSCALL(getcwd)
{
	phys_addr_t pg = pmm_alloc();
	struct inode *cwd = cwd_get();
	long n;

	if (!pg) {
		inode_put(cwd);
		return -ENOMEM;
	}
	n = path_of(cwd, phys_to_virt(pg), PAGE_SIZE);
	inode_put(cwd);
	if (n >= 0) {
		n++;
		if (a1 < (ul)n)
			n = -ERANGE;
		else if (uaccess_copy_to_user(a0, phys_to_virt(pg), (size_t)n))
			n = -EFAULT;
	}
	pmm_put(pg);
	return n;
}
