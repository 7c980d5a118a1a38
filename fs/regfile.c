/*
 * regfile.c - open files on inodes: regular files read and written
 * through their page cache, in-memory directories listed, and the choice
 * of file_ops when an inode is opened (vfs_open_inode).
 *
 * read() and write() copy between the user buffer and the very frames
 * mmap maps (vm/shmem.h), a page at a time, holding a reference on the
 * frame and no lock while the copy runs (it may fault).  A hole reads as
 * zeros without being filled in.
 */
#include "../kernel/kernel.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "../vm/zero.h"
#include "../vm/reclaim.h"
#include "devfs.h"
#include "file.h"
#include "blkfile.h"
#include "inode.h"
#include "sync.h"
#include "memfd.h"
#include "pipe.h"
#include "readdir.h"
#include "vfs.h"

/* regfile_pread - read() of a regular file at @pos: bytes copied, 0 at the end, or -EFAULT. */
long regfile_pread(struct file *f, unsigned long ubuf, size_t n, uint64_t pos)
{
	struct shmem *mem = f->inode->mem;
	uint64_t size = shmem_size(mem);
	size_t done = 0;

	if (pos >= size)
		return 0;
	n = MIN(n, size - pos);
	while (done < n) {
		size_t in = pos % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - in);
		int err;
		phys_addr_t fr = shmem_page(mem, pos / PAGE_SIZE, 0, &err);
		const char *src = phys_to_virt(fr ? fr : zero_frame);
		long r = uaccess_copy_to_user(ubuf + done, src + in, chunk);

		if (fr)
			pmm_put(fr);
		if (r)
			return done ? (long)done : -EFAULT;
		done += chunk;
		pos += chunk;
	}
	return (long)done;
}

/*
 * regfile_pwrite - write() of a regular file at @pos, allocating pages as
 * it goes and growing the size: bytes written, or EFBIG past the largest
 * file, ENOSPC when the tmpfs is full, ENOMEM, EFAULT (a short count if
 * some bytes went in first), EPERM when a memfd's seals refuse it.
 */
long regfile_pwrite(struct file *f, unsigned long ubuf, size_t n, uint64_t pos)
{
	struct shmem *mem = f->inode->mem;
	size_t done = 0;
	long err = 0;

	if (mnt_want_write(f->inode))
		return -EROFS;		/* open for writing, then remounted read-only */
	if (pos >= SHMEM_MAX_SIZE)
		return n ? -EFBIG : 0;
	n = MIN(n, SHMEM_MAX_SIZE - pos);
	if (__atomic_load_n(&f->inode->seals, __ATOMIC_ACQUIRE)) {
		long ok = memfd_write_ok(f->inode, pos, n, shmem_size(mem));	/* a sealed memfd */
		if (ok < 0)
			return ok;
		n = (size_t)ok;
	}
	for (int tries = 0; done < n;) {
		size_t in = pos % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - in);
		int e;
		phys_addr_t fr;

		/* Only this file's write lock is held, which reclaim never waits for. */
		reclaim_maybe();
		if (!(fr = shmem_page(mem, pos / PAGE_SIZE, 1, &e)) && e == -ENOMEM && ++tries <= 8 &&
		    reclaim_retry())
			continue;
		if (!fr) {
			err = e;
			break;
		}
		tries = 0;
		long r = uaccess_copy_from_user((char *)phys_to_virt(fr) + in, ubuf + done, chunk);
		pmm_put(fr);
		if (r) {
			err = -EFAULT;
			break;
		}
		done += chunk;
		pos += chunk;
		shmem_extend(mem, pos);
	}
	if (done) {
		inode_touch(f->inode, TOUCH_M | TOUCH_C);
		inode_dirty(f->inode, DIRTY_DATA);
	}
	return done ? (long)done : err;
}

/* regfile_read - file_ops.read: from pos. */
static long regfile_read(struct file *f, unsigned long ubuf, size_t n)
{
	long r = regfile_pread(f, ubuf, n, f->pos);

	if (r > 0)
		f->pos += (uint64_t)r;
	return r;
}

/*
 * regfile_write - file_ops.write: at pos, or at the end with O_APPEND.
 * The place is found, written and pos moved past it under the inode's
 * write lock, so neither appends by several processes (`cmd >> log &`
 * twice) nor writers sharing one open file (`xargs -P4 cmd > out`) land
 * on each other.
 */
static long regfile_write(struct file *f, unsigned long ubuf, size_t n)
{
	long r;

	inode_wlock(f->inode);
	if (f->flags & O_APPEND)
		f->pos = shmem_size(f->inode->mem);
	r = regfile_pwrite(f, ubuf, n, f->pos);
	if (r > 0)
		f->pos += (uint64_t)r;
	inode_wunlock(f->inode);
	if (r > 0)
		vfs_balance(f->inode->sb);
	return r;
}

/* dtype - the d_type of an inode of @mode. */
static unsigned char dtype(uint32_t mode)
{
	static const unsigned char t[16] = { [S_IFDIR >> 12] = 4, [S_IFREG >> 12] = 8,
		[S_IFLNK >> 12] = 10, [S_IFCHR >> 12] = 2, [S_IFBLK >> 12] = 6,
		[S_IFIFO >> 12] = 1, [S_IFSOCK >> 12] = 12 };
	return t[(mode & S_IFMT) >> 12];
}

struct dirent_rec {
	uint64_t ino, cookie;
	unsigned char type;
	char name[NAME_MAX + 1];
};

/*
 * next_entry - the entry after offset @pos of directory @dir into @e: "."
 * (offset 1), ".." (2), then the entries by cookie.  0 when none is left.
 */
static int next_entry(struct inode *dir, uint64_t pos, struct dirent_rec *e)
{
	int found = 0;

	spin_lock(&vfs_lock);
	if (pos < 2) {
		struct inode *ip = pos == 0 ? dir : dir->parent;
		e->ino = ip->ino;
		e->cookie = pos + 1;
		e->type = 4;
		strlcpy(e->name, pos == 0 ? "." : "..", sizeof(e->name));
		found = 1;
	} else {
		for (struct dentry *d = dir->entries; d; d = d->next)
			if (d->cookie > pos) {
				e->ino = d->inode->ino;
				e->cookie = d->cookie;
				e->type = dtype(d->inode->mode);
				strlcpy(e->name, d->name, sizeof(e->name));
				found = 1;
				break;
			}
	}
	spin_unlock(&vfs_lock);
	return found;
}

/*
 * dir_getdents - file_ops.getdents of an in-memory directory: pos is the
 * offset (cookie) of the last entry handed out, so a scan resumes after it
 * whatever was created or removed meanwhile.
 */
static long dir_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	struct dirent_rec e;
	size_t used = 0;

	while (next_entry(f->inode, f->pos, &e)) {
		long r = readdir_emit(ubuf, n, &used, e.ino, e.cookie, e.type, e.name);
		if (r < 0)
			return r;
		if (r == 0)
			return used ? (long)used : -EINVAL;
		f->pos = e.cookie;
	}
	inode_touch(f->inode, TOUCH_A);
	return (long)used;
}

/* regfile_release - file_ops.release: a writer no longer holds its fs writable. */
static void regfile_release(struct file *f)
{
	if (f->sb_writer)
		__atomic_sub_fetch(&f->inode->sb->writers, 1, __ATOMIC_SEQ_CST);
}

/*
 * sb_writer_get - count an open for writing of regular file @ip in its
 * super block, unless the fs is read-only (EROFS).  With remount's store
 * of rdonly then load of writers, one of the two sees the other.
 */
static long sb_writer_get(struct inode *ip)
{
	struct super *sb = ip->sb;

	__atomic_add_fetch(&sb->writers, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&sb->rdonly, __ATOMIC_SEQ_CST))
		return 0;
	__atomic_sub_fetch(&sb->writers, 1, __ATOMIC_SEQ_CST);
	return -EROFS;
}

const struct file_ops regfile_ops = { .read = regfile_read, .write = regfile_write,
				      .release = regfile_release };
static const struct file_ops dir_ops = { .getdents = dir_getdents };
static const struct file_ops path_ops = { 0 };

/*
 * vfs_open_inode - the file_ops by the inode's type: a regular file's page
 * cache, a directory's entries, a device's driver (devfs.c) by its number,
 * a FIFO's pipe (pipe.c: the open may wait there for the other side).
 * A disk file system first fills a regular file's pages (inode_fill).
 * The file holds the reference on @ip (file_put drops it).
 */
long vfs_open_inode(struct inode *ip, unsigned flags, struct file **out)
{
	const struct file_ops *ops = &path_ops;
	struct file *f;
	long r;

	if (!(flags & O_PATH) && (r = inode_fill(ip)))
		return r;		/* a disk fs could not read the file in (EIO) */
	if (flags & O_PATH)
		;
	else if (S_ISFIFO(ip->mode))
		return pipe_fifo_open(ip, flags, out);	/* it sets *out only on success */
	else if (S_ISREG(ip->mode))
		ops = &regfile_ops;
	else if (S_ISDIR(ip->mode))
		ops = &dir_ops;
	else if (S_ISBLK(ip->mode))
		return blkfile_open(ip, flags, out);	/* it sets *out only on success */
	else if (S_ISCHR(ip->mode) && !(ops = devfs_ops(ip->rdev)))
		return -ENXIO;
	else if (!S_ISCHR(ip->mode))
		return -ENXIO;		/* sockets: not here yet */
	int writer = ops == &regfile_ops && (flags & O_ACCMODE) != O_RDONLY;
	if (writer && (r = sb_writer_get(ip)))
		return r;
	f = file_alloc(ops, flags);
	if (!f) {
		if (writer)
			__atomic_sub_fetch(&ip->sb->writers, 1, __ATOMIC_SEQ_CST);
		return -ENOMEM;
	}
	f->sb_writer = writer;
	f->inode = ip;
	f->mode = ip->mode;
	f->ino = ip->ino;
	f->seekable = S_ISREG(ip->mode);
	*out = f;
	return 0;
}
