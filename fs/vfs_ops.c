/*
 * vfs_ops.c - creating, removing, renaming and linking names (see vfs.h).
 *
 * Each operation walks with LOOKUP_PARENT (namei.c), which hands back the
 * directory and the last component; the change itself is made under
 * vfs_lock after looking the name up again there, since another process
 * may have changed the directory since the walk.  The errors and their
 * order are Linux's.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "inode.h"
#include "sync.h"
#include "mount.h"
#include "namei.h"
#include "vfs.h"

/* kstrdup - a kmalloc'd copy of @s, or NULL. */
static char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* name_in - a kmalloc'd absolute name for @name in @dir, or NULL. */
static char *name_in(struct inode *dir, const char *name)
{
	phys_addr_t pg = pmm_alloc();
	char *buf, *r = 0;
	long n;

	if (!pg)
		return 0;
	buf = phys_to_virt(pg);
	n = path_of(dir, buf, PAGE_SIZE - NAME_MAX - 2);
	if (n >= 0) {
		if (n > 1)
			buf[n++] = '/';
		strlcpy(buf + n, name, PAGE_SIZE - (size_t)n);
		r = kstrdup(buf);
	}
	pmm_put(pg);
	return r;
}

/*
 * dir_alive - may @dir still get entries: not removed, and its file system
 * not unmounted (whose tree is being emptied)?  vfs_lock held.
 */
static int dir_alive(struct inode *dir)
{
	return dir->nlink > 0 && !dir->sb->detached;
}

long vfs_create_in(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
		   const char *link, struct inode **out)
{
	struct inode *ip;
	long r = mnt_want_write(dir);

	if (r)
		return r;		/* the callers checked EEXIST first, as Linux */
	if (!(ip = inode_new(dir->sb, mode)))
		return -ENOSPC;		/* nr_inodes, or memory */
	ip->rdev = rdev;
	if (dir->mode & S_ISGID) {	/* a set-gid directory hands down its group (and, to directories, the bit) */
		ip->gid = dir->gid;
		if (S_ISDIR(mode))
			ip->mode |= S_ISGID;
	}
	if (S_ISREG(mode) && !(ip->mem = shmem_create_file(dir->sb->quota)))
		r = -ENOMEM;
	if ((S_ISREG(mode) || S_ISFIFO(mode)) && !r)
		ip->path = name_in(dir, name);	/* for /proc/PID/maps and fd; none if memory is short */
	if (link && !(ip->link = kstrdup(link)))
		r = -ENOMEM;
	if (!r && dir->sb->ops && dir->sb->ops->create)
		r = dir->sb->ops->create(dir, ip);	/* a disk fs numbers it (or is full) */
	if (!r) {
		spin_lock(&vfs_lock);
		if (!dir_alive(dir))
			r = -ENOENT;
		else if (dir_find(dir, name, strlen(name)))
			r = -EEXIST;
		else
			r = dir_add(dir, name, strlen(name), ip);
		if (!r)
			inode_touch(dir, TOUCH_M | TOUCH_C);
		spin_unlock(&vfs_lock);
	}
	if (r || !out)
		inode_put(ip);
	else
		*out = ip;
	if (!r)
		vfs_balance(dir->sb);
	return r;
}

long vfs_mknod(int dirfd, const char *path, uint32_t mode, uint32_t rdev, const char *link,
	       struct inode **out)
{
	struct nameidata nd;
	long r = namei(dirfd, path, LOOKUP_PARENT, &nd);

	if (r)
		return r;
	if (nd.proc || !strcmp(nd.dir->sb->type, "proc"))
		r = nd.inode || nd.proc ? -EEXIST : -EACCES;
	else if (nd.inode || nd.last_type != LAST_NORM)
		r = -EEXIST;
	else if (nd.trailing && !S_ISDIR(mode))
		r = -ENOENT;
	else
		r = vfs_create_in(nd.dir, nd.last, mode, rdev, link, out);
	nd_release(&nd);
	return r;
}

/* busy - is @ip a mount point or the root of a file system? vfs_lock held. */
static int busy(struct inode *ip)
{
	return ip->mounted || ip == ip->sb->root;
}

/* unlink_check - may entry @d of @dir go, by unlink (@rmdir 0) or rmdir? vfs_lock held. */
static long unlink_check(struct dentry *d, int rmdir, int trailing)
{
	struct inode *ip = d->inode;

	if (rmdir) {
		if (!S_ISDIR(ip->mode))
			return -ENOTDIR;
		if (busy(ip))
			return -EBUSY;
		if (ip->entries)
			return -ENOTEMPTY;
		return 0;
	}
	if (S_ISDIR(ip->mode))
		return -EISDIR;
	if (trailing)
		return -ENOTDIR;
	return 0;
}

long vfs_unlink(int dirfd, const char *path, int rmdir)
{
	static const long rmdir_err[] = { [LAST_DOT] = -EINVAL, [LAST_DOTDOT] = -ENOTEMPTY,
					  [LAST_ROOT] = -EBUSY };
	struct inode *gone = 0;
	struct nameidata nd;
	long r = namei(dirfd, path, LOOKUP_PARENT, &nd);

	if (r)
		return r;
	if (nd.proc) {
		r = -EACCES;
	} else if (nd.last_type != LAST_NORM) {
		r = rmdir ? rmdir_err[nd.last_type] : -EISDIR;
	} else if ((r = mnt_want_write(nd.dir))) {
		;
	} else if (!nd.inode) {
		r = -ENOENT;
	} else {
		spin_lock(&vfs_lock);
		struct dentry *d = dir_find(nd.dir, nd.last, strlen(nd.last));
		if (!d)
			r = -ENOENT;
		else if (!strcmp(nd.dir->sb->type, "proc"))
			r = -EACCES;
		else if (!(r = unlink_check(d, rmdir, nd.trailing))) {
			gone = dir_remove(nd.dir, d);
			inode_touch(nd.dir, TOUCH_M | TOUCH_C);
			inode_touch(gone, TOUCH_C);
		}
		spin_unlock(&vfs_lock);
	}
	if (gone)
		inode_put(gone);	/* the last link and reference: freed now */
	if (!r)
		vfs_balance(nd.dir->sb);
	nd_release(&nd);
	return r;
}

/* is_under - is directory @ip @anc or inside it? vfs_lock held. */
static int is_under(struct inode *ip, struct inode *anc)
{
	for (;;) {
		if (ip == anc)
			return 1;
		if (ip->parent == ip)
			return 0;
		ip = ip->parent;
	}
}

/* rename_check - may @src's inode replace @dst's (NULL: none) in @ndir? vfs_lock held. */
static long rename_check(struct inode *s, struct inode *t, struct inode *odir, struct inode *ndir, unsigned flags)
{
	if (flags & RENAME_EXCHANGE) {
		if (!t)
			return -ENOENT;
	} else if (t && (flags & RENAME_NOREPLACE)) {
		return -EEXIST;
	}
	if (S_ISDIR(s->mode) && is_under(ndir, s))
		return -EINVAL;		/* a directory into itself */
	if (t && S_ISDIR(t->mode) && (flags & RENAME_EXCHANGE) && is_under(odir, t))
		return -EINVAL;
	if (!t || (flags & RENAME_EXCHANGE))
		return busy(s) || (t && busy(t)) ? -EBUSY : 0;
	if (S_ISDIR(s->mode) && !S_ISDIR(t->mode))
		return -ENOTDIR;
	if (!S_ISDIR(s->mode) && S_ISDIR(t->mode))
		return -EISDIR;
	if (busy(s) || busy(t))
		return -EBUSY;
	if (S_ISDIR(t->mode) && t->entries)
		return -ENOTEMPTY;
	return 0;
}

/* relink - entry @d of @dir now names @ip instead of its old inode (returned). vfs_lock held. */
static struct inode *relink(struct inode *dir, struct dentry *d, struct inode *ip)
{
	struct inode *old = d->inode;

	old->nlink--;
	if (S_ISDIR(old->mode)) {
		old->nlink--;
		dir->nlink--;
		old->parent = old;	/* gone, as in dir_remove */
	}
	d->inode = ip;
	ip->nlink++;
	if (S_ISDIR(ip->mode)) {
		ip->nlink++;
		dir->nlink++;
		ip->parent = dir;
		inode_dirty(ip, DIRTY_ENTRIES);		/* its ".." */
	}
	inode_dirty(dir, DIRTY_ENTRIES | DIRTY_ATTR);
	inode_dirty(old, DIRTY_ATTR);
	inode_dirty(ip, DIRTY_ATTR);
	return old;
}

/*
 * rename_locked - move entry @sd of @odir to name @name of @ndir (entry
 * @td if it exists), or swap the two (RENAME_EXCHANGE).  An inode whose
 * last name was replaced comes back in *@gone with a reference (the caller
 * puts it after the lock, which frees it).  vfs_lock held.  0, or -ENOMEM
 * with nothing changed.
 */
static long rename_locked(struct inode *odir, struct dentry *sd, struct inode *ndir,
			  struct dentry *td, const char *name, unsigned flags, struct inode **gone)
{
	struct inode *s = sd->inode;
	long r;

	if (flags & RENAME_EXCHANGE) {
		struct inode *t = td->inode;
		relink(ndir, td, s);
		relink(odir, sd, t);
		if (S_ISDIR(s->mode))
			s->parent = ndir;	/* the second relink took s for gone: it lives on in ndir */
		return 0;
	}
	if (td)
		*gone = inode_get_locked(relink(ndir, td, s));
	else if ((r = dir_add(ndir, name, strlen(name), s)))
		return r;
	/* Named twice for a moment: drop the old name.  s stays linked, so its count is plain. */
	dir_remove(odir, sd);
	inode_unref_locked(s);
	return 0;
}

long vfs_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		unsigned flags)
{
	struct nameidata on, nn;
	struct inode *gone = 0;
	long r;

	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE) ||
	    (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE))
		return -EINVAL;
	if ((r = namei(olddirfd, oldpath, LOOKUP_PARENT, &on)))
		return r;
	if ((r = namei(newdirfd, newpath, LOOKUP_PARENT, &nn))) {
		nd_release(&on);
		return r;
	}
	if (on.proc || nn.proc)
		r = -EACCES;
	else if (on.last_type != LAST_NORM || nn.last_type != LAST_NORM)
		r = on.inode ? -EBUSY : -ENOENT;
	else if (on.dir->sb == nn.dir->sb && (r = mnt_want_write(on.dir)))
		;
	else if (!on.inode)
		r = -ENOENT;
	else if (on.dir->sb != nn.dir->sb)
		r = -EXDEV;
	else if ((on.trailing || nn.trailing) && !S_ISDIR(on.inode->mode))
		r = -ENOTDIR;
	if (r)
		goto out;
	spin_lock(&vfs_lock);
	struct dentry *sd = dir_find(on.dir, on.last, strlen(on.last));
	struct dentry *td = dir_find(nn.dir, nn.last, strlen(nn.last));
	if (!sd || !dir_alive(nn.dir))
		r = -ENOENT;
	else if (!(r = rename_check(sd->inode, td ? td->inode : 0, on.dir, nn.dir, flags)) &&
		 !(td && td->inode == sd->inode)) {	/* two names of one file: nothing to do */
		struct inode *s = sd->inode;
		r = rename_locked(on.dir, sd, nn.dir, td, nn.last, flags, &gone);
		if (!r) {
			inode_touch(s, TOUCH_C);
			inode_touch(on.dir, TOUCH_M | TOUCH_C);
			inode_touch(nn.dir, TOUCH_M | TOUCH_C);
		}
	}
	spin_unlock(&vfs_lock);
out:
	nd_release(&on);
	nd_release(&nn);
	if (gone)
		inode_put(gone);
	return r;
}

long vfs_link(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	struct nameidata on, nn;
	unsigned lf = ((flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0) |
		      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	long r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = namei(olddirfd, oldpath, lf, &on)))
		return r;
	if ((r = namei(newdirfd, newpath, LOOKUP_PARENT, &nn))) {
		nd_release(&on);
		return r;
	}
	if (on.proc || nn.proc)
		r = nn.proc ? -EEXIST : -EXDEV;
	else if (nn.inode || nn.last_type != LAST_NORM)
		r = -EEXIST;
	else if ((r = mnt_want_write(nn.dir)))
		;
	else if (on.inode->sb != nn.dir->sb)
		r = -EXDEV;
	else if (S_ISDIR(on.inode->mode))
		r = -EPERM;
	else if (nn.trailing)
		r = -ENOENT;
	if (!r) {
		spin_lock(&vfs_lock);
		if (!dir_alive(nn.dir))
			r = -ENOENT;
		else if (on.inode->nlink == 0)
			r = -ENOENT;		/* unlinked meanwhile (or an O_TMPFILE) */
		else if (dir_find(nn.dir, nn.last, strlen(nn.last)))
			r = -EEXIST;
		else if (!(r = dir_add(nn.dir, nn.last, strlen(nn.last), on.inode))) {
			inode_touch(on.inode, TOUCH_C);
			inode_touch(nn.dir, TOUCH_M | TOUCH_C);
		}
		spin_unlock(&vfs_lock);
	}
	nd_release(&on);
	nd_release(&nn);
	return r;
}
