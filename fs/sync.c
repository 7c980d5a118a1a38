/*
 * sync.c - sync, syncfs, fsync, fdatasync and the kernel's own syncs
 * (umount, remount,ro, power-off): each calls the super_ops of a file
 * system kept on a device (inode.h); the memory ones have none.
 *
 * A super block is kept alive across a sync by a reference on its root
 * (an umount2 meanwhile is EBUSY, a lazy one leaves it to the last file).
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "file.h"
#include "fdtable.h"
#include "inode.h"
#include "mount.h"
#include "sync.h"

long vfs_sync_super(struct super *sb)
{
	if (!sb->ops || !sb->ops->sync || sb->detached)
		return 0;
	return sb->ops->sync(sb);
}

/* nth_syncable - the root of the @i-th mount whose fs has a sync op, with a reference; NULL past the last. */
static struct inode *nth_syncable(int i)
{
	struct inode *root = 0;

	spin_lock(&vfs_lock);
	for (struct mount *m = mount_list(); m; m = m->next)
		if (m->sb->ops && m->sb->ops->sync && i-- == 0) {
			root = inode_get_locked(m->sb->root);
			break;
		}
	spin_unlock(&vfs_lock);
	return root;
}

void vfs_sync_all(void)
{
	/* The table may change while a sync sleeps: walk it again for each, by position. */
	for (int i = 0;; i++) {
		struct inode *root = nth_syncable(i);
		if (!root)
			return;
		long r = vfs_sync_super(root->sb);
		if (r)
			pr_err("sync: %s: error %ld\n", root->sb->type, r);
		inode_put(root);
	}
}

long vfs_fsync_inode(struct inode *ip, int datasync)
{
	struct super *sb = ip->sb;

	if (!sb->ops || sb->detached)
		return 0;
	if (sb->ops->fsync)
		return sb->ops->fsync(ip, datasync);
	return vfs_sync_super(sb);
}

void vfs_balance(struct super *sb)
{
	if (sb->ops && sb->ops->balance && !sb->detached && !sb->rdonly)
		sb->ops->balance(sb);
}

/*
 * fsync_fd - fsync(fd) and fdatasync(fd): as on Linux only files with a
 * place to write back may be synced: regular files and directories.
 * Pipes, devices, eventfds and /proc files: EINVAL.
 */
static long fsync_fd(int fd, int datasync)
{
	struct file *f = fd_file(fd);

	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (f->ops->fsync)
		return f->ops->fsync(f);	/* a block device: its cache flushed */
	if (!f->inode || !(S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode)))
		return -EINVAL;
	return vfs_fsync_inode(f->inode, datasync);
}

/* fsync(fd) - returns when the file's data and what reaches it are on the device. */
SYSCALL(fsync)
{
	return fsync_fd((int)a0, 0);
}

/* fdatasync(fd) - the same, but times alone need not be written. */
SYSCALL(fdatasync)
{
	return fsync_fd((int)a0, 1);
}

/*
 * syncfs(fd), sync_file_range(fd, ...) - the whole file system of @fd's
 * file; a file with no inode (a pipe, a socket, /proc) has nothing to write.
 */
SYSCALL(syncfs)
{
	struct file *f = fd_file((int)a0);

	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return f->inode ? vfs_sync_super(f->inode->sb) : 0;
}

/* sync() - every file system; never fails. */
SYSCALL(sync)
{
	vfs_sync_all();
	return 0;
}
