/*
 * namei_sys.c - the system calls that change names: mkdirat, mknodat,
 * symlinkat, unlinkat, renameat2, linkat.  Each copies its path(s) in and
 * hands them to vfs_ops.c.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/uaccess.h"
#include "inode.h"
#include "namei.h"
#include "vfs.h"

/*
 * path_in - copy the user path at @upath into a fresh page (*@pg). 0, or
 * -EFAULT, -ENAMETOOLONG, -ENOMEM (nothing to free then).
 */
static long path_in(unsigned long upath, phys_addr_t *pg)
{
	long r;

	if (!(*pg = pmm_alloc()))
		return -ENOMEM;
	r = uaccess_strncpy_from_user(phys_to_virt(*pg), upath, PATH_MAX);
	if (r < 0) {
		pmm_put(*pg);
		return r;
	}
	return 0;
}

/* umask_of - the caller's umask. */
static unsigned umask_of(void)
{
	return current()->fs->umask;
}

/* mkdirat(dirfd, path, mode) */
SYSCALL(mkdirat)
{
	phys_addr_t pg;
	long r = path_in(a1, &pg);

	if (r)
		return r;
	r = vfs_mknod((int)a0, phys_to_virt(pg), S_IFDIR | (a2 & 07777 & ~umask_of()), 0, 0, 0);
	pmm_put(pg);
	return r;
}

/* mknodat(dirfd, path, mode, dev) - regular files, FIFOs and devices; EPERM for the rest. */
SYSCALL(mknodat)
{
	uint32_t type = (uint32_t)a2 & S_IFMT;
	phys_addr_t pg;
	long r;

	if (type == S_IFDIR)
		return -EPERM;
	if (type && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	if ((r = path_in(a1, &pg)))
		return r;
	r = vfs_mknod((int)a0, phys_to_virt(pg), (type ? type : S_IFREG) | (a2 & 07777 & ~umask_of()),
		      (uint32_t)a3, 0, 0);
	pmm_put(pg);
	return r;
}

/* symlinkat(target, newdirfd, linkpath) - the target is stored as given, even dangling. */
SYSCALL(symlinkat)
{
	phys_addr_t tg, pg;
	long r = path_in(a0, &tg);

	if (r)
		return r;
	if (!*(char *)phys_to_virt(tg)) {
		pmm_put(tg);
		return -ENOENT;
	}
	if (!(r = path_in(a2, &pg))) {
		r = vfs_mknod((int)a1, phys_to_virt(pg), S_IFLNK | 0777, 0, phys_to_virt(tg), 0);
		pmm_put(pg);
	}
	pmm_put(tg);
	return r;
}

/* unlinkat(dirfd, path, flags) - AT_REMOVEDIR makes it rmdir. */
SYSCALL(unlinkat)
{
	phys_addr_t pg;
	long r;

	if (a2 & ~(ul)AT_REMOVEDIR)
		return -EINVAL;
	if ((r = path_in(a1, &pg)))
		return r;
	r = vfs_unlink((int)a0, phys_to_virt(pg), (a2 & AT_REMOVEDIR) != 0);
	pmm_put(pg);
	return r;
}

/* two_paths - copy in two user paths, then rename (@rename) or link them. */
static long two_paths(ul d1, ul u1, ul d2, ul u2, ul flags, int rename)
{
	phys_addr_t p1, p2;
	long r = path_in(u1, &p1);

	if (r)
		return r;
	if (!(r = path_in(u2, &p2))) {
		r = rename ? vfs_rename((int)d1, phys_to_virt(p1), (int)d2, phys_to_virt(p2),
					(unsigned)flags)
			   : vfs_link((int)d1, phys_to_virt(p1), (int)d2, phys_to_virt(p2), (int)flags);
		pmm_put(p2);
	}
	pmm_put(p1);
	return r;
}

/* renameat2(olddirfd, old, newdirfd, new, flags) */
SYSCALL(renameat2)
{
	return two_paths(a0, a1, a2, a3, a4, 1);
}

/* linkat(olddirfd, old, newdirfd, new, flags) */
SYSCALL(linkat)
{
	return two_paths(a0, a1, a2, a3, a4, 0);
}
