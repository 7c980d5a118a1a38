/*
 * ext4_vfs.h - the glue between the VFS's in-memory tree and the ext4
 * library (ext4.h): what ext4_vfs.c (mount, the tree's load, filling the
 * page cache, the hooks) and ext4_sync.c (write-back) share.
 *
 * The model.  A mount loads the whole tree: every directory's entries and
 * every inode's attributes and symlink become VFS inodes and dentries, as
 * tmpfs would hold them.  A regular file's data comes in from the disk the
 * first time it is opened (the page cache then holds all of it, until
 * reclaim drops the cache of a file nobody uses: ext4_pcache.c).  Changes
 * only mark inodes dirty; sync writes back what changed: data with blocks
 * allocated then (delayed allocation), extent trees rebuilt, changed
 * directories rewritten whole as linear blocks, inodes, then the bitmaps,
 * descriptors and super block.  Deleted inodes are freed on disk at the
 * next sync too.
 *
 * Locking: `mutex` (a sleeping lock, taken with no spinlock held)
 * serialises every use of the library: a mount's load, each fill, each
 * sync, and the inode allocation of a create.  `list_lock` is a leaf
 * spinlock guarding the dirty list and the list of inodes to free; the
 * hooks take it under vfs_lock.
 */
#ifndef HOLSTEIN_EXT4_VFS_H
#define HOLSTEIN_EXT4_VFS_H

#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "ext4.h"
#include "inode.h"

struct blkdev;

/* An ext4 inode in memory: the VFS inode's fsdata. */
struct ext4_node {
	struct inode *ip;
	unsigned flags;			/* N_* below */
	struct ext4_node *next_dirty;	/* on the mount's dirty list (list_lock) */
	uint64_t disk_blocks;		/* i_blocks (512-byte units) at the last load or write-back */
	uint64_t dir_size;		/* a directory's size on the disk, as stat shows it */
	struct ext4_node *lru_prev, *lru_next;	/* the mount's page-cache LRU (list_lock) */
};

#define N_NEW		1	/* not on the disk yet: no inode, no blocks */
#define N_FILLED	2	/* the page cache holds the whole file */
#define N_ATTR		4	/* attributes, links changed (dirty) */
#define N_DATA		8	/* contents or size changed */
#define N_ENTRIES	16	/* a directory's entries changed */
#define N_ONLIST	32	/* on the dirty list */
#define N_GONE		64	/* freed on the disk already (unlinked, still open) */
#define N_LRU		128	/* on the mount's LRU: its page cache may be dropped (ext4_pcache.c) */
#define N_DIRTY		(N_ATTR | N_DATA | N_ENTRIES)

/* An inode to free on the disk at the next sync. */
struct ext4_gone {
	uint32_t ino;
	uint8_t dir, fresh;		/* was a directory; never reached the disk */
	struct ext4_gone *next;
};

struct ext4_mount {
	struct ext4_fs fs;
	struct blkdev *bd;
	struct super *sb;
	struct spinlock mutex_lock;	/* guards `busy` (level 1: handed to sched_sleep) */
	int busy;
	struct spinlock list_lock;	/* leaf: dirty and gone */
	struct ext4_node *dirty;
	struct ext4_node *syncing;	/* taken by the sync in progress, not yet written */
	uint32_t io_bs;			/* the library's block size for the device */
	struct ext4_gone *gone;
	int error;			/* the last write-back error, for the next fsync */
	int loading;			/* the tree is being built or torn down: nothing is a change */
	unsigned long queued;		/* inodes queued since the last sync (list_lock) */
	uint64_t last_sync;		/* when the last sync ended (time_now_ns) */
	/* Regular files whose cache reclaim may drop, least recently opened first (list_lock). */
	struct ext4_node *lru_head, *lru_tail;
	unsigned long lru_count;
	struct ext4_mount *pcache_next;	/* on ext4_pcache.c's list of mounts */
};

#define EXT4_SUPER_MAGIC	0xEF53

/* ext4_lock/ext4_unlock - the mount's sleeping mutex.  No spinlock held. */
void ext4_lock(struct ext4_mount *m);
void ext4_unlock(struct ext4_mount *m);
/* ext4_trylock - take the mutex if nobody holds it: 1, else 0 at once. */
int ext4_trylock(struct ext4_mount *m);
/* ext4_mount_of - the ext4_mount behind super block @sb. */
static inline struct ext4_mount *ext4_mount_of(struct super *sb)
{
	return sb->priv;
}
/* ext4_node_of - the ext4 node of @ip (NULL for an inode of another fs). */
static inline struct ext4_node *ext4_node_of(struct inode *ip)
{
	return ip->fsdata;
}
/* ext4_node_flags - set @set and clear @clear in @n's flags, under the list lock (op_dirty races). */
static inline void ext4_node_flags(struct ext4_mount *m, struct ext4_node *n, unsigned set,
				   unsigned clear)
{
	spin_lock(&m->list_lock);
	n->flags = (n->flags & ~clear) | set;
	spin_unlock(&m->list_lock);
}
/* ext4_node_queue - add @what (N_*) to @n's flags and put it on the dirty list.  Never sleeps. */
void ext4_node_queue(struct ext4_mount *m, struct ext4_node *n, unsigned what);
/*
 * ext4_read_inode_extents - inode @ino into a new *@di (kfree it, also on
 * error) and its extents into @e (ext4_extents_free it).  0 or -errno.
 */
int ext4_read_inode_extents(struct ext4_fs *fs, uint32_t ino, struct ext4_inode **di,
			    struct ext4_extents *e);
/*
 * ext4_quota_reset - the page cache may grow by what the disk has free:
 * max = pages cached now + free blocks, so a write() past the free space
 * is ENOSPC then, not a failed write-back later.  Mutex held.
 */
void ext4_quota_reset(struct ext4_mount *m);

/* ext4_load_tree - build the VFS tree of mount @m under sb->root.  Mutex held.  0 or -errno. */
int ext4_load_tree(struct ext4_mount *m);
/* ext4_inode_to_vfs - copy @di's attributes into VFS inode @ip. */
void ext4_inode_to_vfs(const struct ext4_inode *di, struct inode *ip);
/*
 * ext4_fill - read regular file @ip's data into its page cache, once.
 * Mutex held.  With @may_unlock (an open: nothing else of the caller's
 * needs the mutex kept) it lets the mutex go between pages when memory
 * runs low and reclaims (reclaim may drop other files of this mount), and
 * takes it again; the caller holds a reference on @ip.  0 or -errno.
 */
int ext4_fill(struct ext4_mount *m, struct inode *ip, int may_unlock);

/*
 * The page cache under memory pressure (ext4_pcache.c): a shrinker
 * (vm/reclaim.h) drops the pages of regular files nobody has open or maps,
 * least recently opened first, writing dirty ones back first; the next
 * open fills them again from the disk.
 *
 * ext4_pcache_add_mount - mount @m (loaded) joins; the shrinker is
 * registered with the first.  ext4_pcache_del_mount - @m leaves, before it
 * is freed (put_super; any context).  ext4_pcache_touch - @n was just
 * opened: to the LRU's tail (list_lock taken; never sleeps).
 * ext4_pcache_unlink - take @n off the LRU; list_lock held.
 */
void ext4_pcache_add_mount(struct ext4_mount *m);
void ext4_pcache_del_mount(struct ext4_mount *m);
void ext4_pcache_touch(struct ext4_mount *m, struct ext4_node *n);
void ext4_pcache_unlink(struct ext4_mount *m, struct ext4_node *n);
/*
 * ext4_sync_idle - write back regular file @ip alone (reclaim: a reference
 * held, nobody else had it open), with the allocation it needs flushed to
 * the bitmaps.  Mutex held.  Never waits for a writer: -EAGAIN if one
 * holds the inode's write lock.  0 or -errno (it stays dirty then).
 */
int ext4_sync_idle(struct ext4_mount *m, struct inode *ip);

/*
 * Rewriting a file's blocks (ext4_sync.c), in three steps so that a failure
 * anywhere leaves the bitmaps matching what the disk's inode still says:
 * ext4_wb_plan makes the new extents @new of a file of @nblk blocks, of
 * which @next(@arg, lb) gives the first at or after lb that holds data
 * (blocks of @old kept, missing ones allocated; all given back on its own
 * error); ext4_wb_take_tree hands @old's tree blocks to @new before
 * ext4_extents_write; ext4_wb_commit then frees the old blocks not kept
 * (@written) or the new ones (not).  0 or -ENOSPC, -ENOMEM.
 */
int ext4_wb_plan(struct ext4_fs *fs, struct ext4_extents *old, uint64_t nblk,
		 uint64_t (*next)(void *arg, uint64_t lb), void *arg, struct ext4_extents *new);
void ext4_wb_take_tree(struct ext4_extents *old, struct ext4_extents *new);
void ext4_wb_commit(struct ext4_fs *fs, struct ext4_extents *old, struct ext4_extents *new,
		    int written);
/* ext4_wb_push - append logical @lb -> physical @pb to @e, merging runs.  0 or -ENOMEM. */
int ext4_wb_push(struct ext4_extents *e, uint32_t lb, uint64_t pb);
/* ext4_wb_dir - rewrite directory @ip whole into @di's blocks; sets size, clears INDEX_FL. */
int ext4_wb_dir(struct ext4_mount *m, struct inode *ip, struct ext4_inode *di, int fresh);
/* ext4_wb_symlink - a new symlink's target into @di (i_block or one block). */
int ext4_wb_symlink(struct ext4_mount *m, struct inode *ip, struct ext4_inode *di);
/* ext4_node_new - a node for VFS inode @ip with N_* @flags, as ip->fsdata; NULL: no memory. */
struct ext4_node *ext4_node_new(struct inode *ip, unsigned flags);
/* ext4_io_init - the library's device for mount @m (its block device). */
void ext4_io_init(struct ext4_io *io, struct ext4_mount *m);
/* ext4_unload - undo a mount that failed after its super block was made. */
void ext4_unload(struct ext4_mount *m);
extern const struct super_ops ext4_super_ops;

/* ext4_sync_all - write back everything of @m (ext4_sync.c).  Mutex held.  0 or -errno. */
int ext4_sync_all(struct ext4_mount *m);

#endif
