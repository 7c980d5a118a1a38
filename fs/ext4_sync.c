/*
 * ext4_sync.c - write-back: what changed in the in-memory tree since the
 * last sync goes to the disk (the model is in ext4_vfs.h).
 *
 * Order: every dirty inode in turn (its data blocks, then its extent tree,
 * then the inode itself; a directory is rewritten whole as linear blocks),
 * then the inodes deleted since (their blocks and numbers freed), then the
 * bitmaps, descriptors and super block, then a device flush.  Blocks are
 * allocated here, not at write() (delayed allocation), so a file written
 * in many small writes still lands in few extents.
 */
#include "../kernel/kernel.h"
#include "../kernel/time.h"
#include "../drivers/blk.h"
#include "../vm/kmalloc.h"
#include "../vm/pmm.h"
#include "../vm/phys.h"
#include "../vm/shmem.h"
#include "ext4_vfs.h"
#include "ext4_mem.h"

#define EXT4_EXTENTS_FL	0x80000
#define EXT4_INDEX_FL	0x1000
#define EXT4_LINK_MAX	65000
#define MAX_EXTENT_LEN	32768

/* A run of blocks allocated ahead: the next data blocks come from it. */
struct run {
	uint64_t next;
	uint32_t left;
};

static int64_t now_sec(void)
{
	return (int64_t)(time_realtime_ns() / 1000000000ULL);
}

/* ext4_wb_push - append logical @lb -> physical @pb to @e, merging with the last extent. */
int ext4_wb_push(struct ext4_extents *e, uint32_t lb, uint64_t pb)
{
	struct ext4_extent *last = e->n ? &e->ext[e->n - 1] : 0;

	if (last && !last->uninit && last->lblk + last->len == lb && last->pblk + last->len == pb &&
	    last->len < MAX_EXTENT_LEN) {
		last->len++;
		return 0;
	}
	if (e->n == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 16;
		struct ext4_extent *x = ext4_alloc_mem(cap * sizeof(*x));

		if (!x)
			return -ENOMEM;
		if (e->n)
			memcpy(x, e->ext, e->n * sizeof(*x));
		ext4_free_mem(e->ext);
		e->ext = x;
		e->cap = cap;
	}
	e->ext[e->n++] = (struct ext4_extent){ .lblk = lb, .len = 1, .pblk = pb };
	return 0;
}

/* run_take - the next block of @run, allocating a new run of up to @want near @goal. */
static int run_take(struct ext4_fs *fs, struct run *run, uint64_t goal, uint64_t want,
		    uint64_t *pb)
{
	if (!run->left) {
		uint32_t got;
		int r = ext4_block_alloc(fs, goal, (uint32_t)(want < MAX_EXTENT_LEN ? want : MAX_EXTENT_LEN),
					 &run->next, &got);
		if (r)
			return r;
		run->left = got;
	}
	*pb = run->next++;
	run->left--;
	return 0;
}

/* free_unkept - free each block of @from that @to does not map to the same place. */
static void free_unkept(struct ext4_fs *fs, const struct ext4_extents *from,
			const struct ext4_extents *to)
{
	for (uint32_t i = 0; i < from->n; i++)
		for (uint32_t k = 0; k < from->ext[i].len; k++) {
			uint32_t lb = from->ext[i].lblk + k;
			uint64_t pb = from->ext[i].pblk + k;

			if (ext4_extents_map(to, lb) != pb)
				ext4_block_free(fs, pb, 1);
		}
}

/*
 * ext4_wb_plan - the new extents of a file of @nblk blocks: @next(@arg,
 * lb) is the first block >= lb that holds data (>= @nblk: none); its old
 * block (@old) is kept, a missing one is allocated.  On an error every
 * block it allocated is given back.  0 or -ENOSPC, -ENOMEM.
 */
int ext4_wb_plan(struct ext4_fs *fs, struct ext4_extents *old, uint64_t nblk,
		 uint64_t (*next)(void *arg, uint64_t lb), void *arg, struct ext4_extents *new)
{
	struct run run = { 0, 0 };
	uint64_t goal = old->n ? old->ext[0].pblk : 0;
	int r = 0;

	for (uint64_t lb = next(arg, 0); lb < nblk && !r; lb = next(arg, lb + 1)) {
		uint64_t pb;
		int fresh = 0;

		if (!(pb = ext4_extents_map(old, (uint32_t)lb))) {
			r = run_take(fs, &run, goal, nblk - lb, &pb);
			fresh = !r;
		}
		if (!r && (r = ext4_wb_push(new, (uint32_t)lb, pb)) && fresh)
			ext4_block_free(fs, pb, 1);
		goal = pb + 1;
	}
	if (run.left)
		ext4_block_free(fs, run.next, run.left);
	if (r)
		free_unkept(fs, new, old);
	return r;
}

/*
 * ext4_wb_commit - @new is about to replace @old: the old tree's blocks go
 * to @new for ext4_extents_write to free, and once that succeeded
 * (@written) the old data blocks @new does not keep are freed; if it
 * failed, the blocks @new allocated are given back instead.
 */
void ext4_wb_commit(struct ext4_fs *fs, struct ext4_extents *old, struct ext4_extents *new,
		    int written)
{
	if (!written) {
		free_unkept(fs, new, old);
		return;
	}
	free_unkept(fs, old, new);
}

/* ext4_wb_take_tree - move @old's tree blocks to @new (ext4_extents_write frees them). */
void ext4_wb_take_tree(struct ext4_extents *old, struct ext4_extents *new)
{
	new->tree = old->tree;
	new->ntree = old->ntree;
	new->tree_cap = old->tree_cap;
	old->tree = 0;
	old->ntree = old->tree_cap = 0;
}

/* --- Regular files --------------------------------------------------------- */

struct data_ctx {
	struct shmem *mem;
	uint32_t bpp;			/* blocks per page */
};

/* data_next - the first block >= @lb in a page the cache holds (holes are skipped whole). */
static uint64_t data_next(void *arg, uint64_t lb)
{
	struct data_ctx *c = arg;
	int64_t off;

	if (shmem_lookup(c->mem, (unsigned long)(lb / c->bpp)))
		return lb;
	off = shmem_seek(c->mem, lb / c->bpp * PAGE_SIZE, 1);
	return off < 0 ? UINT64_MAX : (uint64_t)off / PAGE_SIZE * c->bpp;
}

/* write_pages - every cached page of @ip to its blocks under map @e (@nblk blocks in all). */
static int write_pages(struct ext4_fs *fs, struct inode *ip, const struct ext4_extents *e,
		       uint64_t nblk)
{
	uint32_t bs = fs->block_size, bpp = PAGE_SIZE / bs;
	unsigned long npages = (unsigned long)((nblk + bpp - 1) / bpp);
	int r = 0;

	for (int64_t off = shmem_seek(ip->mem, 0, 1); off >= 0 && !r;
	     off = shmem_seek(ip->mem, off + PAGE_SIZE, 1)) {
		unsigned long p = (unsigned long)(off / PAGE_SIZE);
		int err;
		phys_addr_t fr;

		if (p >= npages)
			break;
		if (!(fr = shmem_page(ip->mem, p, 0, &err)))
			continue;
		for (uint32_t j = 0, n; j < bpp && !r; j += n) {
			uint64_t lb = (uint64_t)p * bpp + j;
			uint64_t pb = lb < nblk ? ext4_extents_map(e, (uint32_t)lb) : 0;

			/* The page's blocks that lie end to end on the disk go in one request. */
			for (n = 1; pb && j + n < bpp && lb + n < nblk &&
				    ext4_extents_map(e, (uint32_t)(lb + n)) == pb + n; n++)
				;
			if (pb)
				r = fs->io.write(fs->io.ctx, pb, n, (char *)phys_to_virt(fr) + j * bs);
		}
		pmm_put(fr);
	}
	return r;
}

/*
 * write_data - regular file @ip's contents: blocks planned, data written,
 * the extent tree rebuilt, di->size set.  The caller holds the inode's
 * write lock, so no write() or truncate changes the pages meanwhile.
 */
static int write_data(struct ext4_mount *m, struct inode *ip, struct ext4_inode *di, int fresh)
{
	struct ext4_fs *fs = &m->fs;
	struct ext4_extents old = { 0 }, new = { 0 };
	uint64_t size = shmem_size(ip->mem);
	uint64_t nblk = (size + fs->block_size - 1) / fs->block_size;
	struct data_ctx c = { ip->mem, (uint32_t)(PAGE_SIZE / fs->block_size) };
	int r = 0;

	if (nblk > 0xffffffffULL)
		return -EFBIG;
	if (!fresh)
		r = ext4_extents_read(fs, di, &old);
	if (!r && !(r = ext4_wb_plan(fs, &old, nblk, data_next, &c, &new))) {
		ext4_wb_take_tree(&old, &new);
		r = write_pages(fs, ip, &new, nblk);
		if (!r)
			r = ext4_extents_write(fs, di, &new);
		ext4_wb_commit(fs, &old, &new, !r);
	}
	if (!r)
		di->size = size;
	ext4_extents_free(&old);
	ext4_extents_free(&new);
	return r;
}

/* --- Inodes ------------------------------------------------------------------ */

/* attrs_to_disk - the VFS inode's attributes into @di. */
static void attrs_to_disk(struct inode *ip, struct ext4_inode *di)
{
	uint32_t major = ip->rdev >> 8, minor = ip->rdev & 0xff;

	di->mode = (uint16_t)ip->mode;
	di->uid = ip->uid;
	di->gid = ip->gid;
	/* dir_nlink: a directory with too many subdirectories counts 1, as Linux does. */
	di->links = (uint16_t)(ip->nlink > EXT4_LINK_MAX ? 1 : ip->nlink);
	di->atime = ip->atime.sec;
	di->atime_ns = (uint32_t)ip->atime.nsec;
	di->mtime = ip->mtime.sec;
	di->mtime_ns = (uint32_t)ip->mtime.nsec;
	di->ctime = ip->ctime.sec;
	di->ctime_ns = (uint32_t)ip->ctime.nsec;
	di->crtime = ip->btime.sec;
	di->crtime_ns = (uint32_t)ip->btime.nsec;
	if (S_ISCHR(ip->mode) || S_ISBLK(ip->mode))
		di->rdev = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* free_disk_inode - inode @ino's blocks and number go back; it stays marked deleted. */
static int free_disk_inode(struct ext4_fs *fs, uint32_t ino, int dir)
{
	struct ext4_inode *di;
	struct ext4_extents e;
	int r = ext4_read_inode_extents(fs, ino, &di, &e);

	if (!r) {
		for (uint32_t i = 0; i < e.n; i++)
			ext4_block_free(fs, e.ext[i].pblk, e.ext[i].len);
		for (uint32_t i = 0; i < e.ntree; i++)
			ext4_block_free(fs, e.tree[i], 1);
		di->links = 0;
		di->dtime = now_sec();
		di->blocks = 0;
		r = ext4_inode_write(fs, di);
	}
	if (!r)
		r = ext4_inode_free(fs, ino, dir);
	ext4_extents_free(&e);
	kfree(di);
	return r;
}

/*
 * write_inode - write back VFS inode @ip (a reference held) whose node
 * had @what of N_DIRTY set: its contents as @what and newness ask, then
 * the inode.  An unlinked inode still open is freed on the disk now (its
 * data lives on in the page cache until the last close).  With @try (for
 * reclaim) it never waits for the inode's write lock: -EAGAIN instead.
 */
static int write_inode(struct ext4_mount *m, struct inode *ip, struct ext4_node *n, unsigned what,
		       int try)
{
	struct ext4_fs *fs = &m->fs;
	int fresh = !!(n->flags & N_NEW);
	struct ext4_inode *di;
	int r = 0;

	if (n->flags & N_GONE)
		return 0;
	if (!ip->nlink) {
		if (fresh)
			return 0;	/* its number goes back when it is evicted */
		ext4_node_flags(m, n, N_GONE, 0);
		return free_disk_inode(fs, (uint32_t)ip->ino, S_ISDIR(ip->mode));
	}
	if (!(di = kmalloc(sizeof(*di))))
		return -ENOMEM;
	if (fresh)
		ext4_inode_init(fs, di, (uint32_t)ip->ino, (uint16_t)ip->mode);
	else
		r = ext4_inode_read(fs, (uint32_t)ip->ino, di);
	if (!r && S_ISREG(ip->mode) && (fresh || (what & N_DATA))) {
		if (!(n->flags & N_FILLED))
			r = ext4_fill(m, ip, 0);
		if (!r && try && !inode_wtrylock(ip))
			r = -EAGAIN;	/* the writer holding it may be the task reclaiming */
		else if (!r && !try)
			inode_wlock(ip);
		if (!r) {
			r = write_data(m, ip, di, fresh);
			inode_wunlock(ip);
		}
	}
	if (!r && S_ISDIR(ip->mode) && (fresh || (what & N_ENTRIES)))
		r = ext4_wb_dir(m, ip, di, fresh);
	if (!r && S_ISLNK(ip->mode) && fresh)
		r = ext4_wb_symlink(m, ip, di);
	if (!r) {
		attrs_to_disk(ip, di);
		r = ext4_inode_write(fs, di);
	}
	if (!r) {
		ext4_node_flags(m, n, 0, N_NEW);
		n->disk_blocks = di->blocks;
		if (S_ISDIR(ip->mode))
			n->dir_size = di->size;
	}
	kfree(di);
	return r;
}

/* next_dirty - take the next inode of the sync in progress, with a reference; NULL when done. */
static struct inode *next_dirty(struct ext4_mount *m, unsigned *what)
{
	struct inode *ip = 0;

	spin_lock(&vfs_lock);
	spin_lock(&m->list_lock);
	while (!ip && m->syncing) {
		struct ext4_node *n = m->syncing;

		m->syncing = n->next_dirty;
		*what = n->flags & N_DIRTY;
		n->flags &= ~(N_DIRTY | N_ONLIST);
		/* A dead inode (no links, no references) is being evicted: leave it. */
		if (n->ip->refs || n->ip->nlink)
			ip = inode_get_locked(n->ip);
	}
	spin_unlock(&m->list_lock);
	spin_unlock(&vfs_lock);
	return ip;
}

/* redirty - @ip's write-back failed: try again at the next sync. */
static void redirty(struct ext4_mount *m, struct inode *ip, unsigned what)
{
	ext4_node_queue(m, ext4_node_of(ip), what);
}

/* free_gone - the inodes evicted since the last sync leave the disk. */
static int free_gone(struct ext4_mount *m)
{
	struct ext4_gone *g;
	int err = 0;

	spin_lock(&m->list_lock);
	g = m->gone;
	m->gone = 0;
	spin_unlock(&m->list_lock);
	while (g) {
		struct ext4_gone *next = g->next;
		int r = g->fresh ? ext4_inode_free(&m->fs, g->ino, g->dir)
				 : free_disk_inode(&m->fs, g->ino, g->dir);

		if (r) {
			pr_err("EXT4-fs (%s): cannot free inode %u (%d)\n", m->bd->name, g->ino, r);
			err = r;
		}
		kfree(g);
		g = next;
	}
	return err;
}

int ext4_sync_idle(struct ext4_mount *m, struct inode *ip)
{
	struct ext4_node *n = ext4_node_of(ip), **pp;
	unsigned what = 0;
	int r;

	if (m->fs.rdonly)
		return -EROFS;
	spin_lock(&m->list_lock);
	/* With the mutex held no sync is running: a queued node is on the dirty list. */
	for (pp = &m->dirty; *pp && *pp != n; pp = &(*pp)->next_dirty)
		;
	if (*pp) {
		*pp = n->next_dirty;
		what = n->flags & N_DIRTY;
		n->flags &= ~(unsigned)(N_DIRTY | N_ONLIST);
	}
	spin_unlock(&m->list_lock);
	if (!what)
		return 0;
	r = write_inode(m, ip, n, what, 1);
	if (!r)
		r = ext4_fs_flush(&m->fs, now_sec());	/* the blocks it took, in the bitmaps */
	if (r) {
		redirty(m, ip, what);
		if (r != -EAGAIN && r != -ENOMEM) {	/* those only wait for the next sync */
			pr_err("EXT4-fs (%s): writing inode %lu failed (%d)\n", m->bd->name,
			       (unsigned long)ip->ino, r);
			m->error = r;
		}
	}
	return r;
}

int ext4_sync_all(struct ext4_mount *m)
{
	struct inode *ip;
	unsigned what = 0;
	int err = 0, r;

	if (m->fs.rdonly)
		return 0;
	spin_lock(&m->list_lock);
	m->syncing = m->dirty;
	m->dirty = 0;
	m->queued = 0;
	spin_unlock(&m->list_lock);
	/* Nothing changed: write nothing (a read-only mount's sync must not touch the disk). */
	if (!m->syncing && !m->gone)
		return 0;
	while ((ip = next_dirty(m, &what))) {
		if ((r = write_inode(m, ip, ext4_node_of(ip), what, 0))) {
			pr_err("EXT4-fs (%s): writing inode %lu failed (%d)\n", m->bd->name,
			       (unsigned long)ip->ino, r);
			redirty(m, ip, what);
			err = r;
		} else if (S_ISREG(ip->mode) && (what & N_DATA) && shmem_mapcount(ip->mem)) {
			/*
			 * Still mapped: a store through a shared mapping reaches
			 * the page cache without telling anyone, so a file whose
			 * data changed stays dirty until its last mapping is gone.
			 */
			redirty(m, ip, N_DATA);
		}
		inode_put(ip);
	}
	if ((r = free_gone(m)))
		err = r;
	if ((r = ext4_fs_flush(&m->fs, now_sec())))
		err = r;
	if (err)
		m->error = err;
	m->last_sync = time_now_ns();
	ext4_quota_reset(m);
	return err;
}
