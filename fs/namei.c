/*
 * namei.c - the path walk (see namei.h).
 *
 * The walk keeps the rest of the path in a page of its own.  A symlink met
 * on the way is spliced in front of what remains ("target/rest") and the
 * walk goes on from the root or from the link's directory; SYMLOOP_MAX of
 * them in one walk is ELOOP.  ".." at the root of a mounted file system
 * climbs to the directory it is mounted on first; a directory with a
 * mount on it is entered at the mounted root.
 *
 * In-memory directories are read under vfs_lock, held for the whole walk
 * through them: nothing can be unlinked under our feet, so no reference is
 * taken until the end.  /proc is generated: reaching its root, the walk
 * hands the rest of the path to procfs.c as a string (proc_walk), and
 * follows /proc's symlinks the same way (a link out of /proc, such as exe
 * or cwd, restarts the walk at its target).
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../vm/pmm.h"
#include "../vm/phys.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "fdtable.h"
#include "mount.h"
#include "procfs.h"
#include "stat.h"
#include "namei.h"

struct walk {
	char *rest;		/* the path still to walk, in buf */
	char *buf, *tmp;	/* the path, and a page to splice a link into (made on demand) */
	const char *orig;	/* the caller's path: buf until the first link, never ours to free */
	int links;		/* symlinks followed so far */
	unsigned flags;
	struct inode *jump;	/* a /proc fd link followed: walk on from this inode (a reference) */
};

struct inode *cwd_get(void)
{
	struct inode *ip;

	spin_lock(&sched_lock);		/* another thread may chdir (CLONE_FS) */
	ip = inode_get(current()->fs->cwd);
	spin_unlock(&sched_lock);
	return ip;
}

/*
 * splice - the walk met symlink @target with @rest still to go: make the
 * path "target/rest".  0, -ELOOP or -ENAMETOOLONG.
 */
static int splice(struct walk *w, const char *target, const char *rest)
{
	size_t tl = strlen(target), rl = strlen(rest);

	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	if (tl + 1 + rl + 1 > PAGE_SIZE)
		return -ENAMETOOLONG;
	if (!w->tmp) {
		/* The first link of the walk: its second page, kept to the end (freed by namei). */
		phys_addr_t pg = pmm_alloc();
		if (!pg)
			return -ENOMEM;
		w->tmp = phys_to_virt(pg);
	}
	memcpy(w->tmp, target, tl);
	w->tmp[tl] = '/';
	memcpy(w->tmp + tl + 1, rest, rl + 1);
	if (!rl)
		w->tmp[tl] = 0;
	char *t = w->buf;
	w->buf = w->tmp;
	w->tmp = t == w->orig ? 0 : t;	/* the caller's string is read-only to us */
	w->rest = w->buf;
	return 0;
}

/* up - the directory ".." of @ip names, crossing out of mounted file systems. vfs_lock held. */
static struct inode *up(struct inode *ip)
{
	if (ip == vfs_root)
		return ip;	/* "/.." is "/", even with the rootfs beneath a disk root */
	while (ip == ip->sb->root && ip->sb->mnt && ip->sb->mnt->mountpoint)
		ip = ip->sb->mnt->mountpoint;
	return ip->parent;
}

/* down - @ip, or the root of what is mounted on it. vfs_lock held. */
static struct inode *down(struct inode *ip)
{
	while (ip->mounted)
		ip = ip->mounted->sb->root;
	return ip;
}

/*
 * proc_link - component @pp (of n bytes) of a /proc walk is a symlink with
 * @after still to go.  An fd/N link to a file with an inode jumps to that
 * inode (w->jump), whatever name the link shows (the file may have none):
 * 2 if it was the last component, else 1, the walk going on from there.
 * A target out of /proc restarts the walk there (1); a relative one
 * ("self" -> "42") replaces the component (0, *n updated); a target that
 * is no path ("pipe:[3]") leads nowhere unless it is last (procfs.c opens
 * the link itself then).
 */
static long proc_link(struct walk *w, char *pp, size_t *n, char *after, int last)
{
	char *t = pp + PAGE_SIZE / 2;	/* the target, in the page's second half */
	struct inode *ip = procfs_fd_inode(pp);
	long r;

	if (ip) {
		if (++w->links > SYMLOOP_MAX) {
			inode_put(ip);
			return -ELOOP;
		}
		w->jump = ip;
		w->rest = after;
		return last ? 2 : 1;
	}
	r = procfs_readlink(pp, t, PAGE_SIZE / 2);

	if (r < 0)
		return r;
	if (r >= (long)PAGE_SIZE / 2)
		return -ENAMETOOLONG;
	if (t[0] == '/')
		return splice(w, t, after) ? -ELOOP : 1;
	if (strchr(t, ':'))
		return last ? 0 : -ENOENT;
	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	while (pp[*n - 1] != '/')
		(*n)--;
	if (*n + (size_t)r + 1 > PAGE_SIZE / 2)
		return -ENAMETOOLONG;
	memmove(pp + *n, t, (size_t)r + 1);
	*n += (size_t)r;
	return 0;
}

/*
 * proc_walk - the walk reached /proc's root with @w->rest to go: resolve
 * the rest by name through procfs.c.  0 with nd->proc set (or nd->inode,
 * when it ended at an fd link), 1 if a symlink out of /proc restarted the
 * walk (w->rest is the new path, from w->jump or else from the root), or
 * -errno.
 */
static long proc_walk(struct walk *w, struct nameidata *nd)
{
	phys_addr_t pg = pmm_alloc();
	size_t n = strlen("/proc");
	long r = 0;

	if (!pg)
		return -ENOMEM;
	char *pp = phys_to_virt(pg);		/* the /proc path so far */
	memcpy(pp, "/proc", n + 1);
	for (;;) {
		char *s = w->rest, *e, *after;
		struct kstat st;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != '/'; e++)
			;
		size_t len = (size_t)(e - s);
		for (after = e; *after == '/'; after++)
			;
		int last = !*after;
		w->rest = e;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (pp[n - 1] != '/')
				n--;
			pp[--n] = 0;
			if (n < 5) {		/* out of /proc again: walk the rest from "/" */
				r = splice(w, "/", after) ? -ELOOP : 1;
				break;
			}
			continue;
		}
		if (len == 1 && s[0] == '.')
			continue;
		if (n + 1 + len + 1 > PAGE_SIZE / 2) {
			r = -ENAMETOOLONG;
			break;
		}
		pp[n++] = '/';
		memcpy(pp + n, s, len);
		n += len;
		pp[n] = 0;
		if ((r = procfs_stat(pp, 0, &st)))
			break;
		if (S_ISLNK(st.st_mode) && (!last || (w->flags & LOOKUP_FOLLOW) || *e)) {
			if ((r = proc_link(w, pp, &n, after, last)) == 2) {
				/* Ended at the inode an fd link is open on: the walk's result. */
				nd->inode = w->jump;
				nd->trailing = *e == '/';
				w->jump = 0;
				pmm_put(pg);
				return 0;
			}
			if (r)
				break;
		} else if (!last && !S_ISDIR(st.st_mode)) {
			r = -ENOTDIR;
			break;
		}
	}
	if (r) {
		pmm_put(pg);
		return r;
	}
	nd->proc = pp;
	return 0;
}

/*
 * walk_end - the walk used up its path at @cur: the results in @nd (1 if
 * @cur is /proc's root, which procfs.c answers for).  vfs_lock held.
 */
static long walk_end(struct walk *w, struct inode *cur, struct nameidata *nd, struct inode **at)
{
	if (!strcmp(cur->sb->type, "proc")) {
		*at = cur;		/* "/proc" itself: procfs.c lists and stats it */
		if (nd->dir)
			inode_unref_locked(nd->dir);	/* /proc's parent: linked, never the last */
		nd->dir = 0;
		return 1;
	}
	if (!nd->dir && (w->flags & LOOKUP_PARENT)) {
		/* The path ended at ".", "..", or the root: no name to act on. */
		if (nd->last_type == LAST_NORM)
			nd->last_type = LAST_ROOT;
		nd->dir = inode_get_locked(up(cur));
	}
	if (w->rest[0] == '/' || (nd->dir && nd->trailing))
		nd->trailing = 1;
	if (nd->trailing && !(w->flags & LOOKUP_PARENT) && !S_ISDIR(cur->mode))
		return -ENOTDIR;	/* "file/" */
	nd->inode = inode_get_locked(cur);
	return 0;
}

/*
 * walk - the loop of namei: from @cur, component by component.  vfs_lock
 * held on entry and on return.  0 with nd filled (references taken), or
 * 1 when the walk entered /proc (rest in w->rest, cur in *@at), or -errno.
 */
static long walk(struct walk *w, struct inode *cur, struct nameidata *nd, struct inode **at)
{
	for (;;) {
		char *s = w->rest, *e, *after;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		if (!S_ISDIR(cur->mode))
			return -ENOTDIR;
		if (!strcmp(cur->sb->type, "proc")) {
			*at = cur;
			w->rest = s;
			return 1;
		}
		for (e = s; *e && *e != '/'; e++)
			;
		size_t len = (size_t)(e - s);
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		for (after = e; *after == '/'; after++)
			;
		int last = !*after;
		w->rest = e;
		if (len == 1 && s[0] == '.') {
			nd->last_type = LAST_DOT;
			continue;
		}
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			cur = up(cur);
			nd->last_type = LAST_DOTDOT;
			continue;
		}
		nd->last_type = LAST_NORM;
		struct dentry *d = dir_find(cur, s, len);
		if (last && (w->flags & LOOKUP_PARENT)) {
			memcpy(nd->last, s, len);
			nd->last[len] = 0;
			nd->trailing = *e != 0;
		}
		if (!d) {
			if (!last || !(w->flags & LOOKUP_PARENT))
				return -ENOENT;
			nd->dir = inode_get_locked(cur);
			nd->inode = 0;
			return 0;
		}
		struct inode *ip = d->inode;
		if (S_ISLNK(ip->mode) && (!last || *e || (w->flags & LOOKUP_FOLLOW))) {
			long r = splice(w, ip->link, e);	/* a trailing slash stays */
			if (r)
				return r;
			if (ip->link[0] == '/')
				cur = vfs_root;
			continue;
		}
		if (last && (w->flags & LOOKUP_PARENT))
			nd->dir = inode_get_locked(cur);
		cur = down(ip);
		if (last)
			break;
	}
	return walk_end(w, cur, nd, at);
}

/*
 * start - where a walk of @path from @dirfd begins, with a reference. 0 or
 * -errno.  A /proc directory has no inode: the walk begins at the root,
 * with its path in *@prefix to put before @path.
 */
static long start(int dirfd, const char *path, struct inode **out, const char **prefix)
{
	if (path[0] == '/') {
		*out = inode_get(vfs_root);
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		*out = cwd_get();
		return 0;
	}
	struct file *d = fd_file(dirfd);
	if (!d)
		return -EBADF;
	if (!d->inode && (*prefix = procfs_dir_path(d))) {
		*out = inode_get(vfs_root);
		return 0;
	}
	if (!d->inode || !S_ISDIR(d->inode->mode))
		return path[0] ? -ENOTDIR : 0;
	*out = inode_get(d->inode);
	return 0;
}

long namei(int dirfd, const char *path, unsigned flags, struct nameidata *nd)
{
	struct walk w = { .flags = flags };
	struct inode *cur = 0, *at = 0;
	const char *prefix = 0;
	long r;

	memset(nd, 0, sizeof(*nd));
	if (!path[0] && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	if ((r = start(dirfd, path, &cur, &prefix)))
		return r;
	if (!cur) {
		/* AT_EMPTY_PATH on a file that is not a directory: the file itself. */
		struct file *f = fd_file(dirfd);
		if (!f->inode)
			return -ENOENT;
		nd->inode = inode_get(f->inode);
		return 0;
	}
	/* The walk reads the caller's string in place; only a symlink makes it copy. */
	w.orig = path;
	w.buf = (char *)path;
	if (prefix) {
		/* From a /proc directory (ls -l /proc/self/fd): walk "its path/path". */
		size_t pl = strlen(prefix), l = strlen(path);
		phys_addr_t pg = pl + 1 + l + 1 <= PAGE_SIZE ? pmm_alloc() : 0;
		if (!pg) {
			inode_put(cur);
			return pl + 1 + l + 1 > PAGE_SIZE ? -ENAMETOOLONG : -ENOMEM;
		}
		w.buf = phys_to_virt(pg);
		memcpy(w.buf, prefix, pl);
		w.buf[pl] = '/';
		memcpy(w.buf + pl + 1, path, l + 1);
	}
	w.rest = w.buf;
	for (;;) {
		spin_lock(&vfs_lock);
		r = walk(&w, cur, nd, &at);
		if (r == 1)
			inode_get_locked(at);
		spin_unlock(&vfs_lock);
		if (r != 1)
			break;
		inode_put(cur);
		cur = at;
		r = proc_walk(&w, nd);
		if (!r && nd->proc)
			nd->proc_root = inode_get(cur);	/* which proc mount: umount2 needs it */
		if (r != 1)
			break;
		inode_put(cur);
		/* A link out of /proc: start again at "/", or at an fd link's inode. */
		cur = w.jump ? w.jump : inode_get(vfs_root);
		w.jump = 0;
		nd_release(nd);
		memset(nd, 0, sizeof(*nd));
	}
	if (r) {
		nd_release(nd);
		memset(nd, 0, sizeof(*nd));
	}
	inode_put(cur);
	/* buf and tmp swap at each link: free whichever pages the walk holds. */
	if (w.buf && w.buf != w.orig)
		pmm_put(virt_to_phys(w.buf));
	if (w.tmp)
		pmm_put(virt_to_phys(w.tmp));
	return r;
}

long namei_user(int dirfd, unsigned long upath, unsigned flags, struct nameidata *nd)
{
	phys_addr_t pg = pmm_alloc();
	long r;

	memset(nd, 0, sizeof(*nd));
	if (!pg)
		return -ENOMEM;
	char *path = phys_to_virt(pg);
	r = uaccess_strncpy_from_user(path, upath, PATH_MAX);
	if (r >= 0)
		r = namei(dirfd, path, flags, nd);
	pmm_put(pg);
	return r;
}

void nd_release(struct nameidata *nd)
{
	if (nd->inode)
		inode_put(nd->inode);
	if (nd->dir)
		inode_put(nd->dir);
	if (nd->proc)
		pmm_put(virt_to_phys(nd->proc));
	if (nd->proc_root)
		inode_put(nd->proc_root);
	nd->inode = nd->dir = nd->proc_root = 0;
	nd->proc = 0;
}
