/*
 * vfs.c - which file system owns an absolute path, and open, stat and
 * readlink dispatched to it.
 *
 * There is no mount table: /dev's known names (devfs.c) and everything
 * under /proc (procfs.c) are decided by prefix, ahead of the initramfs
 * (ramfile.c), which holds the rest.  When real mounts arrive, this is the
 * one place that changes.
 */
#include "../kernel/kernel.h"
#include "initramfs.h"
#include "file.h"
#include "stat.h"
#include "devfs.h"
#include "procfs.h"
#include "ramfile.h"
#include "vfs.h"

/* vfs_is_proc - does @abs name /proc or something under it? */
static int vfs_is_proc(const char *abs)
{
	return !strcmp(abs, "/proc") || !strncmp(abs, "/proc/", 6);
}

/*
 * vfs_open - open absolute path @abs with open(2) @flags: 0 and a new file
 * (one reference) in *@out, or -errno.  /proc is read-only (EACCES for
 * write access); O_DIRECTORY on a non-directory is ENOTDIR everywhere.
 */
long vfs_open(const char *abs, unsigned flags, struct file **out)
{
	const struct file_ops *ops;
	struct file *f;
	uint32_t mode;
	uint64_t ino;
	int err = 0;

	if (devfs_lookup(abs, &mode, &ino, &ops)) {
		if ((flags & O_DIRECTORY) && !S_ISDIR(mode))
			return -ENOTDIR;
		f = file_alloc(ops, flags);
		if (!f)
			return -ENOMEM;
		f->mode = mode;
		f->ino = ino;
		*out = f;
		return 0;
	}
	if (vfs_is_proc(abs)) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EACCES;
		f = procfs_open(abs, &err);
		if (!f)
			return err;
		if ((flags & O_DIRECTORY) && !S_ISDIR(f->mode)) {
			file_put(f);
			return -ENOTDIR;
		}
		*out = f;
		return 0;
	}
	return ramfile_open(abs, flags, out);
}

/* vfs_stat - stat absolute path @abs into @st, a final symlink followed if @follow. 0 or -errno. */
int vfs_stat(const char *abs, int follow, struct kstat *st)
{
	const struct file_ops *ops;
	uint32_t mode;
	uint64_t ino;

	if (devfs_lookup(abs, &mode, &ino, &ops)) {
		stat_fill(st, ino, mode, 0, 0);
		return 0;
	}
	if (vfs_is_proc(abs))
		return procfs_stat(abs, follow, st);
	return ramfile_stat(abs, follow, st);
}

/*
 * vfs_readlink - the target of symlink @abs into @buf of @n bytes: its
 * full length (it may not all fit), or -errno.  /dev has no symlinks: a
 * /dev name is looked up in the initramfs like any other, as is "/proc".
 */
long vfs_readlink(const char *abs, char *buf, size_t n)
{
	if (!strncmp(abs, "/proc/", 6))
		return procfs_readlink(abs, buf, n);
	return ramfile_readlink(abs, buf, n);
}
