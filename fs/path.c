/*
 * path.c - the absolute name of a directory or of what a walk found:
 * getcwd, /proc/PID/cwd and fd links, a new file's remembered name.  A
 * directory has one name, found from its parent's entries; the walk up
 * crosses out of mounted file systems at their mount points.
 */
#include "../kernel/kernel.h"
#include "inode.h"
#include "mount.h"
#include "namei.h"

long path_of_locked(struct inode *dir, char *buf, size_t n)
{
	size_t len = 0;
	long r = 0;

	/* Built backwards from the end of buf, then moved to the front. */
	for (struct inode *ip = dir; ip != vfs_root;) {
		while (ip == ip->sb->root && ip->sb->mnt && ip->sb->mnt->mountpoint)
			ip = ip->sb->mnt->mountpoint;
		if (ip == vfs_root)
			break;
		const char *name = dir_name_of(ip);
		if (!name) {
			r = -ENOENT;		/* removed: getcwd's ENOENT */
			break;
		}
		size_t nl = strlen(name);
		if (len + nl + 2 > n) {
			r = -ERANGE;
			break;
		}
		len += nl + 1;
		memcpy(buf + n - len, "/", 1);
		memcpy(buf + n - len + 1, name, nl);
		ip = ip->parent;
	}
	if (r)
		return r;
	if (!len) {
		if (n < 2)
			return -ERANGE;
		memcpy(buf, "/", 2);
		return 1;
	}
	memmove(buf, buf + n - len, len);
	buf[len] = 0;
	return (long)len;
}

long path_of(struct inode *dir, char *buf, size_t n)
{
	long r;

	spin_lock(&vfs_lock);
	r = path_of_locked(dir, buf, n);
	spin_unlock(&vfs_lock);
	return r;
}

long nd_path(struct nameidata *nd, char *buf, size_t n)
{
	long len = path_of(nd->dir, buf, n - NAME_MAX - 2);

	if (len < 0)
		return len;
	if (nd->last_type != LAST_NORM)
		return path_of(nd->inode, buf, n);
	if (len > 1)
		buf[len++] = '/';
	strlcpy(buf + len, nd->last, n - (size_t)len);
	return len + (long)strlen(nd->last);
}
