/*
 * inode.h - the file system's objects: inodes, directory entries, super
 * blocks, and the one lock that guards the name space.
 *
 * Every file system here keeps its whole tree in memory (tmpfs, the /dev
 * tmpfs, the root the initramfs was unpacked into), so a directory's
 * entries are the directory: a list of (name, inode) in creation order,
 * each with a cookie that getdents uses as its offset (so a scan neither
 * repeats nor skips a name that stays put while others come and go).
 * /proc is the exception: its tree is generated (procfs.c), and the path
 * walk hands it the rest of a path as a string (namei.c).
 *
 * Locking: vfs_lock guards every directory's entries, every inode's
 * nlink, refs, parent and mounted, and the mount table.  It is never held
 * across a user copy or a page-cache operation; see docs/design.md for
 * its place in the lock order.
 *
 * Lifetime: an inode lives while it has links (nlink, from directory
 * entries) or references (refs: open files, mappings, cwds, walks in
 * progress); the last of both frees it and its pages.
 */
#ifndef HOLSTEIN_INODE_H
#define HOLSTEIN_INODE_H

#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		04000
#define S_ISGID		02000
#define S_ISVTX		01000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)

#define NAME_MAX	255
#define PATH_MAX	4096
#define SYMLOOP_MAX	40	/* symlinks one walk may follow (Linux's) */

struct shmem;
struct shmem_quota;
struct mount;

struct timespec64 {
	int64_t sec, nsec;
};

struct super;
struct inode;

/* What changed in an inode, for super_ops.dirty. */
#define DIRTY_ATTR	1	/* mode, owner, times, nlink */
#define DIRTY_DATA	2	/* contents or size (write, truncate, fallocate, a writable shared map) */
#define DIRTY_ENTRIES	4	/* a directory's entries, or its ".." */

/*
 * super_ops - what a file system kept on a device adds to the in-memory
 * tree (tmpfs, devtmpfs and proc have none: sb->ops NULL).  The VFS still
 * owns the tree; the fs only learns what changed and writes it back when
 * asked.  Any member may be NULL.  None is called once the super block is
 * unmounted (sb->detached) except put_super: an unmount syncs first.
 */
struct super_ops {
	/* A new inode @ip is being made in @dir, not linked yet: give it ip->ino, or -ENOSPC.  No lock held; may sleep. */
	int (*create)(struct inode *dir, struct inode *ip);
	/* @ip changed (@what: DIRTY_*).  Maybe under vfs_lock or an mm's lock: must not sleep. */
	void (*dirty)(struct inode *ip, unsigned what);
	/* @ip, with no links and no references, is being freed: release its disk inode at the next sync.  Must not sleep. */
	void (*evict)(struct inode *ip);
	/* Regular file @ip is being opened (open, exec, truncate by name): fill its page cache.  Sleeps; no lock held. */
	int (*open)(struct inode *ip);
	/* Write back everything changed.  Sleeps; no lock held. */
	int (*sync)(struct super *sb);
	/* Write back @ip's data and what reaches it (@datasync: not its times).  Sleeps; no lock held. */
	int (*fsync)(struct inode *ip, int datasync);
	/* statfs's counts, in blocks of *@bsize.  May sleep; no lock held. */
	int (*statfs)(struct super *sb, uint64_t *blocks, uint64_t *bfree, uint64_t *bavail,
		      uint64_t *files, uint64_t *ffree, uint32_t *bsize);
	/*
	 * A change was just made on this fs (a write, a create, an unlink):
	 * write back if enough time or changes have piled up, as Linux's
	 * flusher would.  No lock held; may sleep.
	 */
	void (*balance)(struct super *sb);
	/* stat of @ip: adjust *@size and *@blocks (512-byte units) to what the disk holds.  No lock held; must not sleep. */
	void (*getattr)(struct inode *ip, uint64_t *size, uint64_t *blocks);
	/* The super block's last inode is gone (after umount's final sync): free everything.  Must not sleep. */
	void (*put_super)(struct super *sb);
};

/* A super block: one mounted file system. */
struct super {
	const char *type;		/* "tmpfs", "devtmpfs", "proc", "rootfs", "ext4" */
	const struct super_ops *ops;	/* NULL for the memory file systems */
	void *priv;			/* the file system's own (ops != NULL) */
	int rdonly;			/* mounted read-only: every change is EROFS (mnt_want_write) */
	int force_rdonly;		/* the fs can only be read (set by its mount): remount,rw is EROFS */
	unsigned long writers;		/* regular files open for writing (atomic): remount,ro is EBUSY */
	uint64_t dev;			/* st_dev of its files */
	uint64_t magic;			/* statfs f_type */
	struct shmem_quota *quota;	/* tmpfs: the size= limit, in pages */
	/* Inodes alive (vfs_lock), and nr_inodes=.  The last one of an unmounted sb frees it. */
	unsigned long inodes, max_inodes;
	unsigned long active;		/* references held on its inodes (vfs_lock): umount's EBUSY */
	int detached;			/* unmounted: nothing new may be linked into it (vfs_lock) */
	struct inode *root;
	struct mount *mnt;		/* where it is mounted, NULL once unmounted */
};

/* An entry of an in-memory directory. */
struct dentry {
	struct dentry *next;
	struct inode *inode;		/* holds one of its nlink */
	uint64_t cookie;		/* getdents offset: rises with creation order */
	char name[];
};

struct inode {
	int refs;			/* in-memory references (vfs_lock) */
	uint32_t nlink;
	uint32_t mode, uid, gid;
	uint32_t rdev;			/* devices: major << 8 | minor (Linux's old encoding) */
	uint64_t ino;
	struct timespec64 atime, mtime, ctime, btime;
	struct super *sb;
	struct shmem *mem;		/* regular files: the page cache (shmem.h) */
	char *link;			/* symlinks: the target */
	/* Directories. */
	struct dentry *entries, **tail;
	uint64_t next_cookie;
	unsigned long nentries;
	struct inode *parent;		/* the directory holding this one (itself for a root) */
	struct mount *mounted;		/* a file system mounted on this directory */
	char *path;			/* the name it was last opened by, for /proc/PID/maps */
	struct flock_state *locks;	/* advisory locks (locks.c), NULL if none ever */
	void *priv;			/* a FIFO's pipe */
	void *fsdata;			/* the file system's own (ext4: its node, fs/ext4_vfs.h) */
	unsigned seals;			/* memfd seals (fs/memfd.h), atomic; 0 for other files */
	int writing;			/* a write or size change holds it (inode_wlock) */
};

extern struct spinlock vfs_lock;

/* inode_new - a fresh inode of @sb with @mode, one reference, nlink 0; NULL if out of memory. */
struct inode *inode_new(struct super *sb, uint32_t mode);
/* inode_get - another reference to @ip; returns @ip.  Takes vfs_lock. */
struct inode *inode_get(struct inode *ip);
/* inode_get_locked - the same, vfs_lock held. */
struct inode *inode_get_locked(struct inode *ip);
/* inode_unref_locked - drop a reference that cannot be the last (the inode stays linked). vfs_lock held. */
void inode_unref_locked(struct inode *ip);
/* inode_put - drop a reference; with no links and no references left, free it.  No lock held. */
void inode_put(struct inode *ip);
/* inode_size - bytes: a regular file's data, a symlink's target, a directory's entries. */
uint64_t inode_size(struct inode *ip);
/* inode_touch - set @ip's times to now: bit 1 atime, 2 mtime, 4 ctime (and DIRTY_ATTR them). */
void inode_touch(struct inode *ip, unsigned which);
#define TOUCH_A	1
#define TOUCH_M	2
#define TOUCH_C	4
/* inode_set_path - remember @path as @ip's name (/proc/PID/maps and fd) unless it has one. */
void inode_set_path(struct inode *ip, const char *path);
/*
 * inode_wlock - wait until no other write or size change of regular file
 * @ip runs, then hold it: writes are atomic with respect to each other and
 * an O_APPEND write lands at the end, as under Linux's inode lock.  May
 * sleep (not interruptibly); no lock held.  inode_wunlock lets the next go.
 */
void inode_wlock(struct inode *ip);
void inode_wunlock(struct inode *ip);
/* inode_wtrylock - hold it if nobody does: 1, else 0 at once (reclaim must not wait for a writer). */
int inode_wtrylock(struct inode *ip);
/*
 * inode_dirty - tell @ip's file system that @what (DIRTY_*) changed, if it
 * keeps the tree on a device and is still mounted.  Any context.
 */
void inode_dirty(struct inode *ip, unsigned what);
/* mnt_want_write - may @ip's file system be changed?  0, or -EROFS on a read-only mount. */
long mnt_want_write(struct inode *ip);
/* inode_fill - the fs's open hook for regular file @ip (its pages from the disk). 0 or -errno. Sleeps. */
long inode_fill(struct inode *ip);
/* inode_now - the wall clock, as a file time. */
struct timespec64 inode_now(void);

/* dir_find - the entry @name (of @len bytes) of directory @dir, or NULL.  vfs_lock held. */
struct dentry *dir_find(struct inode *dir, const char *name, size_t len);
/* dir_add - add entry @name -> @ip (a link: nlink++), vfs_lock held.  0 or -ENOMEM. */
int dir_add(struct inode *dir, const char *name, size_t len, struct inode *ip);
/*
 * dir_remove - unlink entry @d from @dir (nlink--), vfs_lock held.  The
 * inode is returned with a reference the caller must inode_put after
 * dropping the lock (so the last unlink frees it outside the lock).
 */
struct inode *dir_remove(struct inode *dir, struct dentry *d);
/* dir_name_of - the name under which directory @ip appears in its parent, or NULL.  vfs_lock held. */
const char *dir_name_of(struct inode *ip);

/* tmpfs_super - a new tmpfs instance of @type with a @max_pages limit (0: half of RAM). NULL: ENOMEM. */
struct super *tmpfs_super(const char *type, unsigned long max_pages, unsigned long max_inodes);
/* tmpfs_super_free - free a super block nobody uses (refs 0). */
void tmpfs_super_free(struct super *sb);

/* The root of the name space: the tmpfs the initramfs was unpacked into. */
extern struct inode *vfs_root;

/* inode_pager - the pager (vm/pager.h) whose objects are inodes: mappings hold and name them. */
struct vm_pager;
extern const struct vm_pager inode_pager;

#endif
