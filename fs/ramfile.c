/*
 * ramfile.c - the initramfs seen through struct file: read for regular
 * files, getdents for directories, open and stat by name, and readlink.
 *
 * The tree and its page cache belong to fs/initramfs.c; this file is
 * only the file-object side, so that initramfs.c stays a plain in-memory
 * tree that vm/ maps pages from.
 */
#include "../kernel/kernel.h"
#include "initramfs.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "readdir.h"
#include "stat.h"
#include "ramfile.h"

/* ramfile_read - copy from the page cache at pos, through a bounce buffer; short at the end. */
static long ramfile_read(struct file *f, unsigned long ubuf, size_t n)
{
	char buf[512];
	size_t done = 0;

	while (done < n && f->pos < f->inode->size) {
		size_t chunk = MIN(n - done, sizeof(buf));
		size_t got = initramfs_read(f->inode, f->pos, buf, chunk);
		if (!got)
			break;
		if (uaccess_copy_to_user(ubuf + done, buf, got))
			return done ? (long)done : -EFAULT;
		f->pos += got;
		done += got;
	}
	return (long)done;
}

/* ramfile_dtype - the d_type of an inode of @mode: directory, symlink, or else regular. */
static unsigned char ramfile_dtype(uint32_t mode)
{
	if (S_ISDIR(mode))
		return DT_DIR;
	if (S_ISLNK(mode))
		return DT_LNK;
	return DT_REG;
}

/*
 * ramfile_getdents - "." and "..", then the children of an initramfs
 * directory (the root also shows the synthetic /dev and /proc); pos counts
 * the entries already handed out.
 */
static long ramfile_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	static const char *const fixed[] = { ".", "..", "dev", "proc" };
	int nfixed = f->inode == initramfs_root() ? 4 : 2;
	size_t used = 0;
	uint64_t idx = 0;
	struct inode *c = 0;

	for (;;) {
		const char *name;
		uint64_t ino;
		unsigned char type;

		if (idx < (uint64_t)nfixed) {
			name = fixed[idx];
			ino = idx == 0 ? f->inode->ino : idx == 1 && f->inode->parent ?
				f->inode->parent->ino : idx < 2 ? 1 : 2 + idx;
			type = DT_DIR;
		} else {
			c = initramfs_next_child(f->inode, c);
			if (!c)
				break;
			/* A /dev or /proc in the archive is hidden by the synthetic one. */
			if (nfixed == 4 && (!strcmp(c->name, "dev") || !strcmp(c->name, "proc")))
				continue;
			name = c->name;
			ino = c->ino;
			type = ramfile_dtype(c->mode);
		}
		if (idx++ < f->pos)
			continue;
		long r = readdir_emit(ubuf, n, &used, ino, idx, type, name);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!used)
				return -EINVAL;
			break;
		}
		f->pos = idx;
	}
	return (long)used;
}

static const struct file_ops ramfile_ops = { .read = ramfile_read };
static const struct file_ops ramdir_ops = { .getdents = ramfile_getdents };

/*
 * ramfile_open - open initramfs path @abs (symlinks followed unless
 * O_NOFOLLOW).  The checks and their order are a read-only Linux mount's:
 * ENOENT (EROFS with O_CREAT), EEXIST, then EISDIR/EROFS for any write
 * access or O_TRUNC, ENOTDIR, ELOOP for a final symlink.  0 with *@out.
 */
long ramfile_open(const char *abs, unsigned flags, struct file **out)
{
	struct inode *ip = initramfs_lookup(abs, !(flags & O_NOFOLLOW));
	struct file *f;

	if (!ip)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return S_ISDIR(ip->mode) ? -EISDIR : -EROFS;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ip->mode))
		return -ENOTDIR;
	if (S_ISLNK(ip->mode))
		return -ELOOP;
	f = file_alloc(S_ISDIR(ip->mode) ? &ramdir_ops : &ramfile_ops, flags);
	if (!f)
		return -ENOMEM;
	f->inode = ip;
	f->mode = ip->mode;
	f->ino = ip->ino;
	f->size = ip->size;
	f->seekable = !S_ISDIR(ip->mode);
	*out = f;
	return 0;
}

/* ramfile_stat - stat initramfs path @abs; a symlink's size is its target's length. */
int ramfile_stat(const char *abs, int follow, struct kstat *st)
{
	struct inode *ip = initramfs_lookup(abs, follow);

	if (!ip)
		return -ENOENT;
	stat_fill(st, ip->ino, ip->mode, S_ISLNK(ip->mode) ? strlen(ip->link) : ip->size,
		  ip->mtime);
	return 0;
}

/*
 * ramfile_readlink - copy the target of symlink @abs (not followed) into
 * @buf of @n bytes.  Returns the target's full length, as strlcpy does, or
 * -ENOENT, or -EINVAL if @abs is not a symlink.
 */
long ramfile_readlink(const char *abs, char *buf, size_t n)
{
	struct inode *ip = initramfs_lookup(abs, 0);

	if (!ip)
		return -ENOENT;
	if (!S_ISLNK(ip->mode) || !ip->link)
		return -EINVAL;
	return (long)strlcpy(buf, ip->link, n);
}
