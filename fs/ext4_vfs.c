/*
 * ext4_vfs.c - ext4 as the VFS sees it: mount, the hooks the VFS calls
 * when a file is created, changed, freed or opened, and statfs.  The model
 * and the locks are in ext4_vfs.h; the tree's load is ext4_load.c, filling
 * and dropping a file's page cache ext4_pcache.c, write-back ext4_sync.c.
 */
#include "../kernel/kernel.h"
#include "../kernel/sched.h"
#include "../kernel/time.h"
#include "../drivers/blk.h"
#include "../vm/kmalloc.h"
#include "../vm/shmem.h"
#include "ext4_vfs.h"
#include "mount.h"


void ext4_lock(struct ext4_mount *m)
{
	spin_lock(&m->mutex_lock);
	while (m->busy)
		sched_sleep(&m->busy, &m->mutex_lock);
	m->busy = 1;
	spin_unlock(&m->mutex_lock);
}

int ext4_trylock(struct ext4_mount *m)
{
	int busy;

	spin_lock(&m->mutex_lock);
	busy = m->busy;
	m->busy = 1;
	spin_unlock(&m->mutex_lock);
	return !busy;
}

void ext4_unlock(struct ext4_mount *m)
{
	spin_lock(&m->mutex_lock);
	m->busy = 0;
	spin_unlock(&m->mutex_lock);
	sched_wakeup(&m->busy);
}

/* The library's device: whole file-system blocks (1 KiB until it says), as 512-byte sectors. */
static int io_read(void *ctx, uint64_t blk, uint32_t n, void *buf)
{
	struct ext4_mount *m = ctx;
	uint64_t spb = m->io_bs / 512;

	return blk_read(m->bd, blk * spb, buf, (uint32_t)(n * spb)) ? -EIO : 0;
}

static int io_write(void *ctx, uint64_t blk, uint32_t n, const void *buf)
{
	struct ext4_mount *m = ctx;
	uint64_t spb = m->io_bs / 512;

	return blk_write(m->bd, blk * spb, buf, (uint32_t)(n * spb)) ? -EIO : 0;
}

static int io_flush(void *ctx)
{
	struct ext4_mount *m = ctx;

	return blk_flush(m->bd) ? -EIO : 0;
}

static int io_set_block_size(void *ctx, uint32_t bytes)
{
	struct ext4_mount *m = ctx;

	if (bytes < 1024 || bytes > PAGE_SIZE)
		return -EINVAL;		/* Linux 6.1 too mounts no block larger than a page */
	m->io_bs = bytes;
	return 0;
}

void ext4_io_init(struct ext4_io *io, struct ext4_mount *m)
{
	m->io_bs = 1024;
	*io = (struct ext4_io){ .read = io_read, .write = io_write, .flush = io_flush,
				.set_block_size = io_set_block_size, .ctx = m };
}

void ext4_quota_reset(struct ext4_mount *m)
{
	struct shmem_quota *q = m->sb->quota;
	unsigned long used = __atomic_load_n(&q->used, __ATOMIC_RELAXED);

	__atomic_store_n(&q->max, used + (unsigned long)(m->fs.free_blocks /
							(PAGE_SIZE / m->fs.block_size)),
			 __ATOMIC_RELAXED);
}

void ext4_inode_to_vfs(const struct ext4_inode *di, struct inode *ip)
{
	uint32_t r = di->rdev;

	ip->mode = di->mode;
	ip->uid = di->uid;
	ip->gid = di->gid;
	ip->atime = (struct timespec64){ di->atime, di->atime_ns };
	ip->mtime = (struct timespec64){ di->mtime, di->mtime_ns };
	ip->ctime = (struct timespec64){ di->ctime, di->ctime_ns };
	ip->btime = (struct timespec64){ di->crtime, di->crtime_ns };
	/* Linux's new device encoding on disk; the VFS keeps major << 8 | minor. */
	ip->rdev = ((r >> 8) & 0xfff) << 8 | (r & 0xff);
}

/* --- The hooks (struct super_ops) ------------------------------------------ */

struct ext4_node *ext4_node_new(struct inode *ip, unsigned flags)
{
	struct ext4_node *n = kzalloc(sizeof(*n));

	if (n) {
		n->ip = ip;
		n->flags = flags;
		ip->fsdata = n;
	}
	return n;
}

/* op_create - a new inode in @dir: an inode number from the bitmaps, and a node. */
static int op_create(struct inode *dir, struct inode *ip)
{
	struct ext4_mount *m = ext4_mount_of(dir->sb);
	uint32_t ino = 0;
	int r;

	if (!ext4_node_new(ip, N_NEW | N_FILLED))
		return -ENOMEM;
	ext4_lock(m);
	r = ext4_inode_alloc(&m->fs, (uint32_t)dir->ino, S_ISDIR(ip->mode), &ino);
	ext4_unlock(m);
	if (r) {
		kfree(ip->fsdata);
		ip->fsdata = 0;
		return r;
	}
	ip->ino = ino;
	return 0;
}

/* op_dirty - @ip changed (DIRTY_* bits): queue it for the next sync.  Never sleeps. */
static void op_dirty(struct inode *ip, unsigned what)
{
	struct ext4_node *n = ext4_node_of(ip);
	struct ext4_mount *m = ext4_mount_of(ip->sb);

	if (!n || ip->sb->detached || m->loading)
		return;
	ext4_node_queue(m, n, (what & DIRTY_ATTR ? N_ATTR : 0) | (what & DIRTY_DATA ? N_DATA : 0) |
			      (what & DIRTY_ENTRIES ? N_ENTRIES : 0));
}

void ext4_node_queue(struct ext4_mount *m, struct ext4_node *n, unsigned what)
{
	spin_lock(&m->list_lock);
	n->flags |= what;
	if (!(n->flags & N_ONLIST)) {
		n->flags |= N_ONLIST;
		n->next_dirty = m->dirty;
		m->dirty = n;
		m->queued++;
	}
	spin_unlock(&m->list_lock);
}

int ext4_read_inode_extents(struct ext4_fs *fs, uint32_t ino, struct ext4_inode **di,
			    struct ext4_extents *e)
{
	int r;

	*e = (struct ext4_extents){ 0 };
	if (!(*di = kmalloc(sizeof(**di))))
		return -ENOMEM;
	r = ext4_inode_read(fs, ino, *di);
	if (!r)
		r = ext4_extents_read(fs, *di, e);
	return r;
}

/* op_evict - @ip is being freed: its on-disk inode and blocks go at the next sync. */
static void op_evict(struct inode *ip)
{
	struct ext4_node *n = ext4_node_of(ip), **pp;
	struct ext4_mount *m = ext4_mount_of(ip->sb);
	struct ext4_gone *g = 0;

	if (!n)
		return;
	if (!ip->sb->detached && !m->loading && !(n->flags & N_GONE) && (g = kzalloc(sizeof(*g)))) {
		g->ino = (uint32_t)ip->ino;
		g->dir = S_ISDIR(ip->mode);
		g->fresh = !!(n->flags & N_NEW);
	}
	spin_lock(&m->list_lock);
	if (n->flags & N_LRU)
		ext4_pcache_unlink(m, n);
	if (n->flags & N_ONLIST)	/* on the dirty list, or on the one a sync is taking */
		for (int l = 0; l < 2; l++)
			for (pp = l ? &m->syncing : &m->dirty; *pp; pp = &(*pp)->next_dirty)
				if (*pp == n) {
					*pp = n->next_dirty;
					l = 2;
					break;
				}
	if (g) {
		g->next = m->gone;
		m->gone = g;
		m->queued++;
	}
	spin_unlock(&m->list_lock);
	ip->fsdata = 0;
	kfree(n);
}

/*
 * op_open - a regular file is being opened (the caller holds a reference):
 * bring its data in, and make it the most recently used file of the mount
 * for reclaim, whose LRU holds every regular file opened.  A reclaim that
 * dropped the cache cleared N_FILLED under vfs_lock before this reference
 * was taken, and drops with the mutex held, so the fill below waits for
 * the drop to end.
 */
static int op_open(struct inode *ip)
{
	struct ext4_mount *m = ext4_mount_of(ip->sb);
	struct ext4_node *n = ext4_node_of(ip);
	int r = 0;

	if (!n)
		return 0;
	if (!(n->flags & N_FILLED)) {
		ext4_lock(m);
		r = ext4_fill(m, ip, 1);
		ext4_unlock(m);
	}
	ext4_pcache_touch(m, n);	/* a failed fill's pages may go too */
	return r;
}

static int op_sync(struct super *sb)
{
	struct ext4_mount *m = ext4_mount_of(sb);
	int r;

	if (m->fs.rdonly)
		return 0;
	ext4_lock(m);
	r = ext4_sync_all(m);
	ext4_unlock(m);
	return r;
}

/*
 * op_balance - a change was made: write back once changes are 5 s old or
 * a few thousand inodes wait, as Linux's flusher would, so that a run
 * that never calls sync still reaches the disk and deleted inodes do not
 * pile up in memory.  A sync already running is enough: never wait for it.
 */
static void op_balance(struct super *sb)
{
	struct ext4_mount *m = ext4_mount_of(sb);
	uint64_t now = time_now_ns();

	if (m->fs.rdonly || (!m->dirty && !m->gone))
		return;
	if (now - m->last_sync < 5000000000ULL && m->queued < 4096)
		return;
	if (!ext4_trylock(m))
		return;
	ext4_sync_all(m);
	ext4_unlock(m);
}

/* op_fsync - everything of the file system: the file's data and every name leading to it. */
static int op_fsync(struct inode *ip, int datasync)
{
	(void)datasync;
	return op_sync(ip->sb);
}

static int op_statfs(struct super *sb, uint64_t *blocks, uint64_t *bfree, uint64_t *bavail,
		     uint64_t *files, uint64_t *ffree, uint32_t *bsize)
{
	struct ext4_fs *fs = &ext4_mount_of(sb)->fs;
	/* s_r_blocks_count: root's reserve (lo at 0x8, hi at 0x154 with 64bit). */
	uint64_t resv = (uint64_t)fs->sb[8] | (uint64_t)fs->sb[9] << 8 | (uint64_t)fs->sb[10] << 16 |
			(uint64_t)fs->sb[11] << 24;

	struct shmem_quota *q = sb->quota;
	unsigned long used = __atomic_load_n(&q->used, __ATOMIC_RELAXED);
	uint64_t room = (q->max > used ? q->max - used : 0) * (PAGE_SIZE / fs->block_size) +
			fs->free_blocks % (PAGE_SIZE / fs->block_size);	/* what the page count rounds off */
	/* Free on the disk, less what written pages will take at the next write-back. */
	uint64_t free = fs->rdonly || room > fs->free_blocks ? fs->free_blocks : room;

	*bsize = fs->block_size;
	*blocks = fs->blocks_count;
	*bfree = free;
	*bavail = free > resv ? free - resv : 0;
	*files = fs->inodes_count;
	*ffree = fs->free_inodes;
	return 0;
}

/* op_put_super - the super block's last inode is gone (after umount's sync): free the mount. */
static void op_put_super(struct super *sb)
{
	struct ext4_mount *m = ext4_mount_of(sb);

	ext4_pcache_del_mount(m);	/* first: reclaim finds the mount through that list */
	while (m->gone) {
		struct ext4_gone *g = m->gone;

		m->gone = g->next;
		kfree(g);
	}
	ext4_fs_close(&m->fs);
	kfree(m);
	sb->priv = 0;
}

void ext4_unload(struct ext4_mount *m)
{
	struct super *sb = m->sb;

	m->loading = 1;			/* the hooks stay quiet while the tree goes (evict frees nodes) */
	if (!sb->root) {
		op_put_super(sb);
		tmpfs_super_free(sb);
		return;
	}
	mount_tree_free(sb->root);
	spin_lock(&vfs_lock);
	sb->root->nlink = 0;
	spin_unlock(&vfs_lock);
	inode_put(sb->root);		/* the last inode: the super block and @m go with it */
}

/*
 * op_getattr - stat's size and blocks as Linux shows them for ext4: a
 * directory's size is its blocks', and a file not read in yet counts the
 * blocks it has on the disk (the page cache holds none of it).
 */
static void op_getattr(struct inode *ip, uint64_t *size, uint64_t *blocks)
{
	struct ext4_node *n = ext4_node_of(ip);

	if (!n)
		return;
	if (S_ISDIR(ip->mode)) {
		*size = n->dir_size ? n->dir_size : ext4_mount_of(ip->sb)->fs.block_size;
		*blocks = *size / 512;
	} else if (!(n->flags & N_FILLED) || S_ISLNK(ip->mode)) {
		*blocks = n->disk_blocks;
	}
}

const struct super_ops ext4_super_ops = {
	.create = op_create, .dirty = op_dirty, .evict = op_evict, .open = op_open,
	.sync = op_sync, .fsync = op_fsync, .balance = op_balance, .statfs = op_statfs,
	.getattr = op_getattr,
	.put_super = op_put_super,
};
