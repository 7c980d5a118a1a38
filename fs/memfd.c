/*
 * memfd.c - memfd_create(2), and file sealing (see memfd.h).
 *
 * A memfd is an inode of a tmpfs instance that is mounted nowhere, made
 * at boot so that no memfd_create ever allocates (or leaks) it.  The inode
 * has no links: it lives while open files and mappings hold it, and its
 * pages go back with the last of them.  Its name for /proc ("/memfd:NAME",
 * shown with " (deleted)" like any unlinked file) is the path the open
 * file records.
 *
 * Seals only ever grow.  They are read without a lock by the checks
 * (atomically: a write racing F_ADD_SEALS may still go in, as one that
 * started just before it would); adding them is serialised by vfs_lock.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/syscall.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "fdtable.h"
#include "file.h"
#include "inode.h"
#include "memfd.h"
#include "vfs.h"

#define MFD_CLOEXEC		1u
#define MFD_ALLOW_SEALING	2u
#define MFD_PREFIX		"/memfd:"
#define MFD_NAME_MAX		(NAME_MAX - 6)	/* "memfd:NAME" is one file name, as Linux */
#define F_SEAL_ALL		(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
				 F_SEAL_FUTURE_WRITE)
/* In inode->seals: the file may be sealed (MFD_ALLOW_SEALING).  Without it, F_SEAL_SEAL. */
#define MEMFD_SEALABLE		0x80000000u
/* The seals that limit write(). */
#define SEALS_WRITE		(F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

static struct super *memfd_sb;

void memfd_init(void)
{
	memfd_sb = tmpfs_super("tmpfs", 0, 0);
	if (!memfd_sb)
		pr_err("memfd: no memory for its tmpfs: memfd_create will fail\n");
}

/* seals_of - the seals F_GET_SEALS reports for regular file @ip. */
static unsigned seals_of(struct inode *ip)
{
	unsigned s = __atomic_load_n(&ip->seals, __ATOMIC_ACQUIRE);

	return (s & MEMFD_SEALABLE) ? s & F_SEAL_ALL : (s & F_SEAL_ALL) | F_SEAL_SEAL;
}

/*
 * add_seals - F_ADD_SEALS, in Linux's order of checks: the file must be
 * open for writing (EPERM), the bits known (EINVAL), the file sealable
 * and not F_SEAL_SEAL'd (EPERM), and F_SEAL_WRITE needs no writable
 * shared mapping (EBUSY).  That last test counts every mapping of the
 * file, private and read-only ones too (shmem_mapcount), so it refuses
 * more than Linux does; no test of Holstein's makes the difference.  Nor
 * does it stop an mmap that checked the seals just before: that mapping
 * may still come to be, as a write() already past its check may go in.
 */
static long add_seals(struct file *f, unsigned seals)
{
	struct inode *ip = f->inode;
	long r = 0;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (seals & ~(unsigned)F_SEAL_ALL)
		return -EINVAL;
	spin_lock(&vfs_lock);
	unsigned s = ip->seals;
	if (!(s & MEMFD_SEALABLE) || (s & F_SEAL_SEAL))
		r = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(s & F_SEAL_WRITE) && shmem_mapcount(ip->mem))
		r = -EBUSY;
	else
		__atomic_store_n(&ip->seals, s | seals, __ATOMIC_RELEASE);
	spin_unlock(&vfs_lock);
	return r;
}

long memfd_fcntl(struct file *f, unsigned cmd, unsigned arg)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -EINVAL;		/* every regular file is a tmpfs (shmem) file here */
	if (cmd == F_GET_SEALS)
		return seals_of(f->inode);
	return add_seals(f, arg);
}

long memfd_write_ok(struct inode *ip, uint64_t pos, size_t n, uint64_t size)
{
	unsigned s = __atomic_load_n(&ip->seals, __ATOMIC_ACQUIRE);

	if (!n || !(s & (SEALS_WRITE | F_SEAL_GROW)))
		return (long)n;
	if (s & SEALS_WRITE)
		return -EPERM;
	if (pos + n <= size)
		return (long)n;
	return pos < size ? (long)(size - pos) : -EPERM;	/* up to the end, never past it */
}

long memfd_resize_ok(struct inode *ip, uint64_t old, uint64_t size)
{
	unsigned s = __atomic_load_n(&ip->seals, __ATOMIC_ACQUIRE);

	if ((s & F_SEAL_SHRINK) && size < old)
		return -EPERM;
	if ((s & F_SEAL_GROW) && size > old)
		return -EPERM;
	return 0;
}

int memfd_write_sealed(struct inode *ip)
{
	return (__atomic_load_n(&ip->seals, __ATOMIC_ACQUIRE) & SEALS_WRITE) != 0;
}

/*
 * memfd_create(name, flags) - a new, empty, nameless regular file open
 * for reading and writing on the lowest free descriptor.  flags:
 * MFD_CLOEXEC, MFD_ALLOW_SEALING (others, MFD_HUGETLB too, are EINVAL);
 * a name longer than 249 bytes is EINVAL.  Its mode is 0777, as Linux's.
 */
SYSCALL(memfd_create)
{
	char name[sizeof(MFD_PREFIX) + MFD_NAME_MAX];
	unsigned flags = (unsigned)a1;
	size_t pre = sizeof(MFD_PREFIX) - 1;
	struct inode *ip;
	struct file *f;
	long r;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	memcpy(name, MFD_PREFIX, pre);
	r = uaccess_strncpy_from_user(name + pre, a0, MFD_NAME_MAX + 1);
	if (r < 0)
		return r == -EFAULT ? r : -EINVAL;
	if (!memfd_sb || !(ip = inode_new(memfd_sb, S_IFREG | 0777)))
		return -ENOMEM;
	if (!(ip->mem = shmem_create_file(memfd_sb->quota))) {
		inode_put(ip);
		return -ENOMEM;
	}
	if (flags & MFD_ALLOW_SEALING)
		ip->seals = MEMFD_SEALABLE;
	inode_set_path(ip, name);
	if ((r = vfs_open_inode(ip, O_RDWR, &f))) {
		inode_put(ip);
		return r;
	}
	r = fd_install(current(), f, 0, (flags & MFD_CLOEXEC) != 0);
	if (r < 0)
		file_put(f);
	return r;
}
