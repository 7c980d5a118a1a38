/*
 * namei.h - the path walk: from what a system call was given (a string,
 * relative to a directory descriptor, the cwd or the root) to the inode it
 * names, following symlinks and crossing mounts on the way.
 */
#ifndef HOLSTEIN_NAMEI_H
#define HOLSTEIN_NAMEI_H

#include "../kernel/kernel.h"
#include "inode.h"

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_EMPTY_PATH		0x1000

/* namei flags */
#define LOOKUP_FOLLOW	1	/* follow a final symlink */
#define LOOKUP_PARENT	2	/* the last component may be missing: report its directory */
#define LOOKUP_EMPTY	4	/* an empty path names the starting directory (AT_EMPTY_PATH) */

/* What the last component was, for calls that act on a name (mkdir, unlink, rename). */
enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

struct nameidata {
	struct inode *inode;	/* what the path names (a reference), NULL if the last is missing */
	struct inode *dir;	/* LOOKUP_PARENT: the directory of the last component (a reference) */
	char last[NAME_MAX + 1];	/* LOOKUP_PARENT: the last component */
	enum last_type last_type;
	int trailing;		/* the path ended in '/' */
	char *proc;		/* inside /proc: the path for procfs.c ("/proc/..."), inode NULL */
	struct inode *proc_root;	/* with proc: the root of the proc mount walked into (a reference) */
};

/*
 * namei - walk @path from @dirfd (AT_FDCWD: the cwd; ignored for an
 * absolute path).  0 with @nd filled (release it with nd_release), or
 * -errno: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EBADF.
 */
long namei(int dirfd, const char *path, unsigned flags, struct nameidata *nd);
/* namei_user - namei of the user string at @upath: EFAULT, ENAMETOOLONG (> PATH_MAX) too. */
long namei_user(int dirfd, unsigned long upath, unsigned flags, struct nameidata *nd);
/* nd_release - drop what a successful namei holds. */
void nd_release(struct nameidata *nd);

/* path_of - the absolute name of directory @dir into @buf of @n bytes: its length, or -ERANGE/-ENOENT. */
long path_of(struct inode *dir, char *buf, size_t n);
/* path_of_locked - the same, vfs_lock held (the caller keeps what it read stable). */
long path_of_locked(struct inode *dir, char *buf, size_t n);

/* nd_path - the absolute name of what a LOOKUP_PARENT walk @nd found, into @buf: its length or -errno. */
long nd_path(struct nameidata *nd, char *buf, size_t n);

/* cwd_get - the current thread's cwd, with a reference. */
struct inode *cwd_get(void);

#endif
