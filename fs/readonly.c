/*
 * readonly.c - the system calls that would change the file system, which
 * is read-only (initramfs, /dev, /proc): each fails as it fails on a
 * read-only Linux mount, with the same error for the same case.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "initramfs.h"
#include "file.h"
#include "fdtable.h"
#include "namei.h"
#include "stat.h"
#include "vfs.h"

/*
 * The file system is read-only (initramfs, /dev, /proc), and calls that
 * would change it fail as they fail on a read-only Linux mount: a missing
 * name is ENOENT, except that a call creating it needs only its parent
 * directory; a name to be created that exists is EEXIST; the rest EROFS.
 */
enum ro_op { RO_CHANGE, RO_CREATE };

/* ro_path - the error @op on the name at @upath (relative to @dirfd) gets, by the rule above. */
static long ro_path(ul dirfd, ul upath, enum ro_op op)
{
	char abs[PATH_MAX_K];
	struct kstat st;
	long r = path_from_user((int)dirfd, upath, abs, sizeof(abs));

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

/* Each takes its (dirfd, path) pair and says whether it would create the name. */
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
