/*
 * vfs.h - operations on names, shared by the system calls and the kernel's
 * own users (the initramfs unpack, boot's /dev): create, remove, rename,
 * link, and open.  Each walks its path(s) with namei and changes the
 * directories under vfs_lock, checking again there what the walk saw.
 */
#ifndef HOLSTEIN_VFS_H
#define HOLSTEIN_VFS_H

#include "../kernel/kernel.h"
#include "inode.h"

struct file;

#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#define RENAME_WHITEOUT		4

/*
 * vfs_mknod - create @path (from @dirfd): a file, directory, device, FIFO
 * (@mode's type, permission bits already masked) or, with @link, a
 * symlink to @link.  The new inode with a reference in *@out if @out.
 * 0, or EEXIST, ENOENT, ENOTDIR, ENOSPC, ENOMEM...
 */
long vfs_mknod(int dirfd, const char *path, uint32_t mode, uint32_t rdev, const char *link,
	       struct inode **out);
/* vfs_create_in - the same, in directory @dir by @name; the caller checked the name. */
long vfs_create_in(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
		   const char *link, struct inode **out);
/* vfs_unlink - unlink(2) (@rmdir 0) or rmdir(2) of @path. */
long vfs_unlink(int dirfd, const char *path, int rmdir);
/* vfs_rename - renameat2(2). */
long vfs_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		unsigned flags);
/* vfs_link - linkat(2): @flags AT_SYMLINK_FOLLOW, AT_EMPTY_PATH. */
long vfs_link(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
/* vfs_open - open(2) of @path from @dirfd with @flags, @mode: a new file in *@out, or -errno. */
long vfs_open(int dirfd, const char *path, unsigned flags, uint32_t mode, struct file **out);
/* vfs_open_inode - a new open file on @ip (reference taken over). */
long vfs_open_inode(struct inode *ip, unsigned flags, struct file **out);
/* vfs_truncate - set regular file @ip's size: EISDIR, EINVAL, EFBIG, ENOSPC... */
long vfs_truncate(struct inode *ip, int64_t size);

#endif
