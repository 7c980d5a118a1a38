/*
 * ext4_pcache.c - the page cache of ext4's regular files: filled from the
 * disk when a file is opened, given back when memory runs low.
 *
 * Filling (ext4_fill, from the open hook): the first open reads the whole
 * file in, and from then on it is a tmpfs file (ext4_vfs.h).  When memory
 * runs low meanwhile, the fill lets the mount's mutex go and reclaims.
 *
 * Dropping (a shrinker, vm/reclaim.h, which reclaim asks before it swaps
 * anything): each mount keeps its regular files on an LRU, the least
 * recently opened at the head.  A scan walks it from the head.  A file
 * nobody references (so nobody has it open, maps it, or is walking to it)
 * loses every frame of its cache (shmem_drop, its size kept) and N_FILLED,
 * so the next open fills it again from the disk, as the first did; a
 * dirty one is written back alone first (ext4_sync_idle).  A file in use
 * goes to the tail: it will be among the last closed, which makes the
 * order an approximation of last close without a close hook.
 *
 * Why no one sees a page vanish: the scan holds the mount's mutex (by
 * trylock only: the task that reclaims may hold it already, or hold a lock
 * a sync takes under it), and clears N_FILLED under vfs_lock while its own
 * reference is the inode's only one.  Whoever uses the pages later takes a
 * reference under vfs_lock first and then opens: op_open sees N_FILLED
 * clear and waits for the mutex, so it fills after the drop.  Write-back
 * only touches dirty files, which are cleaned under the same mutex first.
 *
 * The quota (the cache may grow by the disk's free blocks:
 * ext4_quota_reset): a fill raises its max by each page it reads, a drop
 * lowers it by each page dropped, so the room for new data stays the same.
 *
 * Limits: a file open or mapped stays cached whole; a mount whose mutex is
 * busy is skipped by that scan.  While a scan pins a mount (a reference
 * on its root), an umount of it is EBUSY, as while a sync runs.
 */
#include "../kernel/kernel.h"
#include "../drivers/blk.h"
#include "../vm/kmalloc.h"
#include "../vm/pmm.h"
#include "../vm/phys.h"
#include "../vm/shmem.h"
#include "../vm/reclaim.h"
#include "ext4_vfs.h"
#include "mount.h"

/* --- Filling ---------------------------------------------------------------- */

/*
 * fill_page - read the blocks of page @idx of @ip from extents @e into the
 * page cache (a page with no block stays a hole).  0 or -errno.
 */
static int fill_page(struct ext4_mount *m, struct inode *ip, const struct ext4_extents *e,
		     unsigned long idx, uint64_t nblocks)
{
	uint32_t bs = m->fs.block_size, bpp = PAGE_SIZE / bs;
	unsigned long *max = &m->sb->quota->max;
	phys_addr_t fr = 0;
	int err = 0;

	for (uint32_t j = 0, n; j < bpp; j += n) {
		uint64_t lb = (uint64_t)idx * bpp + j;
		uint64_t pb = lb < nblocks ? ext4_extents_map(e, (uint32_t)lb) : 0;

		/* The page's blocks that lie end to end on the disk come in one request. */
		for (n = 1; pb && j + n < bpp && lb + n < nblocks &&
			    ext4_extents_map(e, (uint32_t)(lb + n)) == pb + n; n++)
			;
		if (!pb)
			continue;
		/*
		 * What the disk already holds is no new space: the quota makes
		 * room for each page read, exactly, so that dropping the page
		 * again (drop, below) takes back just as much.
		 */
		if (!fr) {
			__atomic_add_fetch(max, 1, __ATOMIC_RELAXED);
			if (!(fr = shmem_page(ip->mem, idx, 1, &err))) {
				__atomic_sub_fetch(max, 1, __ATOMIC_RELAXED);
				return err ? err : -ENOMEM;
			}
		}
		if (m->fs.io.read(m->fs.io.ctx, pb, n, (char *)phys_to_virt(fr) + j * bs)) {
			err = -EIO;
			break;
		}
	}
	if (fr)
		pmm_put(fr);
	return err;
}

/*
 * fill_reclaim - memory is low (@failed: an allocation just failed): let
 * the mutex go while reclaim runs, so that it may drop other files of this
 * mount too, then take it again.  0: go on; 1: another open filled @ip
 * meanwhile (nothing left to do); -ENOMEM: nothing could be freed.
 */
static int fill_reclaim(struct ext4_mount *m, struct inode *ip, int failed)
{
	int ok = 1;

	ext4_unlock(m);
	if (failed)
		ok = reclaim_retry();
	else
		reclaim_run();
	ext4_lock(m);
	if (ext4_node_of(ip)->flags & N_FILLED)
		return 1;
	return ok ? 0 : -ENOMEM;
}

/*
 * fill_pages - the pages below @npages of extents @e that the cache lacks
 * (page by page of each extent: a sparse file's holes cost nothing).  With
 * @may_unlock, low memory reclaims between pages, and a page that found
 * none is tried again after reclaim (a few times).  0, 1 (fill_reclaim:
 * filled by another) or -errno.
 */
static int fill_pages(struct ext4_mount *m, struct inode *ip, const struct ext4_extents *e,
		      unsigned long npages, uint64_t nblocks, int may_unlock)
{
	uint32_t bpp = PAGE_SIZE / m->fs.block_size;
	int r = 0, tries = 0;

	for (uint32_t x = 0; x < e->n && !r; x++) {
		unsigned long first = (unsigned long)(e->ext[x].lblk / bpp);
		unsigned long last = (unsigned long)(((uint64_t)e->ext[x].lblk + e->ext[x].len - 1) / bpp);

		for (unsigned long i = first; i <= last && i < npages && !r; i++) {
			if (e->ext[x].uninit || shmem_lookup(ip->mem, i))
				continue;
			if (may_unlock && pmm_free_frames() < reclaim_low)
				r = fill_reclaim(m, ip, 0);
			if (!r && (r = fill_page(m, ip, e, i, nblocks)) == -ENOMEM && may_unlock &&
			    ++tries <= 8 && !(r = fill_reclaim(m, ip, 1)))
				i--;	/* the same page again (the loop's i++ brings it back) */
			else if (!r)
				tries = 0;
		}
	}
	return r;
}

int ext4_fill(struct ext4_mount *m, struct inode *ip, int may_unlock)
{
	struct ext4_node *n = ext4_node_of(ip);
	struct ext4_inode *di;
	struct ext4_extents e;
	int r;

	if (!n || (n->flags & N_FILLED))
		return 0;
	if ((n->flags & (N_NEW | N_GONE)) || !S_ISREG(ip->mode)) {
		ext4_node_flags(m, n, N_FILLED, 0);
		return 0;
	}
	r = ext4_read_inode_extents(&m->fs, (uint32_t)ip->ino, &di, &e);
	if (!r) {
		/* Only what the disk holds: a truncate since then already shrank the cache. */
		uint64_t size = di->size < shmem_size(ip->mem) ? di->size : shmem_size(ip->mem);
		uint64_t nblocks = (size + m->fs.block_size - 1) / m->fs.block_size;

		r = fill_pages(m, ip, &e, (unsigned long)((size + PAGE_SIZE - 1) / PAGE_SIZE),
			       nblocks, may_unlock);
	}
	ext4_extents_free(&e);
	kfree(di);
	if (r == 1)
		return 0;		/* another open filled it while this one reclaimed */
	if (!r)
		ext4_node_flags(m, n, N_FILLED, 0);
	else
		pr_err("EXT4-fs (%s): error %d reading inode %lu\n", m->bd->name, r,
		       (unsigned long)ip->ino);
	return r;
}

/* --- Dropping --------------------------------------------------------------- */

/* The mounts a scan visits (ext4_pcache_add_mount/del_mount).  A leaf lock. */
static struct spinlock pcache_lock = SPINLOCK_INIT("ext4_pcache");
static struct ext4_mount *pcache_mounts;
static int pcache_registered;

static unsigned long pcache_scan(unsigned long want);
static unsigned long pcache_count(void);
static struct shrinker pcache_shrinker = { .scan = pcache_scan, .count = pcache_count };

void ext4_pcache_add_mount(struct ext4_mount *m)
{
	int first;

	spin_lock(&pcache_lock);
	m->pcache_next = pcache_mounts;
	pcache_mounts = m;
	first = !pcache_registered;
	pcache_registered = 1;
	spin_unlock(&pcache_lock);
	if (first)
		reclaim_register_shrinker(&pcache_shrinker);
}

void ext4_pcache_del_mount(struct ext4_mount *m)
{
	spin_lock(&pcache_lock);
	for (struct ext4_mount **pp = &pcache_mounts; *pp; pp = &(*pp)->pcache_next)
		if (*pp == m) {
			*pp = m->pcache_next;
			break;
		}
	spin_unlock(&pcache_lock);
}

void ext4_pcache_unlink(struct ext4_mount *m, struct ext4_node *n)
{
	*(n->lru_prev ? &n->lru_prev->lru_next : &m->lru_head) = n->lru_next;
	*(n->lru_next ? &n->lru_next->lru_prev : &m->lru_tail) = n->lru_prev;
	n->lru_prev = n->lru_next = 0;
	n->flags &= ~(unsigned)N_LRU;
	m->lru_count--;
}

/* lru_append - @n to the tail of @m's LRU (not on it now).  list_lock held. */
static void lru_append(struct ext4_mount *m, struct ext4_node *n)
{
	n->lru_prev = m->lru_tail;
	n->lru_next = 0;
	*(m->lru_tail ? &m->lru_tail->lru_next : &m->lru_head) = n;
	m->lru_tail = n;
	n->flags |= N_LRU;
	m->lru_count++;
}

void ext4_pcache_touch(struct ext4_mount *m, struct ext4_node *n)
{
	spin_lock(&m->list_lock);
	if (n->flags & N_LRU)
		ext4_pcache_unlink(m, n);
	if (!(n->flags & N_GONE))
		lru_append(m, n);
	spin_unlock(&m->list_lock);
}

/*
 * idle - may @n's cache go?  A linked regular file that nobody maps and
 * nobody but @refs references hold (filled, or left half filled by an
 * open that failed: the next open reads what is missing).  vfs_lock (the
 * references) and list_lock (the flags) held.  A new mapping or open needs
 * a reference first, so with @refs the scan's own, this stays true while
 * it holds them.
 */
static int idle(struct ext4_node *n, int refs)
{
	struct inode *ip = n->ip;

	return ip->refs == refs && ip->nlink && S_ISREG(ip->mode) && !shmem_mapcount(ip->mem) &&
	       !(n->flags & N_GONE);
}

/*
 * mount_pin - the @k-th mount on the list, with a reference on its root so
 * that it outlives the scan (put it with inode_put); NULL past the last,
 * and *@skip for one being unmounted (no reference then).  Its inodes are
 * freed only after `detached` is set, under vfs_lock, and it leaves the
 * list only after that, so a mount found there and not detached is whole.
 */
static struct ext4_mount *mount_pin(unsigned k, int *skip)
{
	struct ext4_mount *m;

	spin_lock(&vfs_lock);
	spin_lock(&pcache_lock);
	for (m = pcache_mounts; m && k; m = m->pcache_next)
		k--;
	*skip = m && (m->sb->detached || !m->sb->root);
	if (m && !*skip)
		inode_get_locked(m->sb->root);
	spin_unlock(&pcache_lock);
	spin_unlock(&vfs_lock);
	return m;
}

/*
 * pick - the next idle file of @m's LRU, with a reference; NULL once
 * @budget looks are spent or the list is empty.  Every file looked at goes
 * to the tail, so one scan looks at each once.  Mutex held.
 */
static struct inode *pick(struct ext4_mount *m, unsigned long *budget)
{
	struct inode *ip = 0;

	spin_lock(&vfs_lock);
	spin_lock(&m->list_lock);
	/*
	 * A read-only mount's umount takes no mutex (it has nothing to sync):
	 * once it is detached, its inodes go without evict.
	 */
	while (!ip && *budget && m->lru_head && !m->sb->detached) {
		struct ext4_node *n = m->lru_head;

		(*budget)--;
		ext4_pcache_unlink(m, n);
		lru_append(m, n);
		if (idle(n, 0))
			ip = inode_get_locked(n->ip);
	}
	spin_unlock(&m->list_lock);
	spin_unlock(&vfs_lock);
	return ip;
}

/* node_flags - @n's flags now (list_lock). */
static unsigned node_flags(struct ext4_mount *m, struct ext4_node *n)
{
	unsigned f;

	spin_lock(&m->list_lock);
	f = n->flags;
	spin_unlock(&m->list_lock);
	return f;
}

/*
 * drop - write back @ip if dirty, then drop its cache if it is still idle
 * with the scan's reference (@ip's, held) the only one.  The frames freed.
 * Mutex held.
 */
static unsigned long drop(struct ext4_mount *m, struct inode *ip)
{
	struct ext4_node *n = ext4_node_of(ip);
	unsigned long pages, freed = 0;
	int go;

	if ((node_flags(m, n) & N_ONLIST) && (m->sb->detached || ext4_sync_idle(m, ip)))
		return 0;		/* stays cached: a writer holds it, or the write-back failed */
	spin_lock(&vfs_lock);
	spin_lock(&m->list_lock);
	go = !m->sb->detached && idle(n, 1) && !(n->flags & (N_ONLIST | N_DIRTY));
	if (go) {
		n->flags &= ~(unsigned)N_FILLED;
		ext4_pcache_unlink(m, n);	/* back on it at the next open */
	}
	spin_unlock(&m->list_lock);
	spin_unlock(&vfs_lock);
	if (!go)
		return 0;
	pages = shmem_drop(ip->mem, &freed);
	__atomic_sub_fetch(&m->sb->quota->max, pages, __ATOMIC_RELAXED);
	return freed;
}

/* scan_mount - drop idle files of @m, oldest first, until @want frames are freed.  Mutex held. */
static unsigned long scan_mount(struct ext4_mount *m, unsigned long want)
{
	unsigned long freed = 0, budget;
	struct inode *ip;

	spin_lock(&m->list_lock);
	budget = m->lru_count;
	spin_unlock(&m->list_lock);
	while (freed < want && (ip = pick(m, &budget))) {
		freed += drop(m, ip);
		inode_put(ip);		/* unlinked meanwhile: it is freed now */
	}
	return freed;
}

/* pcache_scan - the shrinker's scan: mount after mount, each whose mutex is free. */
static unsigned long pcache_scan(unsigned long want)
{
	struct ext4_mount *m;
	unsigned long freed = 0;
	int skip;

	for (unsigned k = 0; freed < want && (m = mount_pin(k, &skip)); k++) {
		struct inode *root = m->sb->root;

		if (skip)
			continue;
		if (ext4_trylock(m)) {
			freed += scan_mount(m, want - freed);
			ext4_unlock(m);
		}
		inode_put(root);	/* may be the mount's last inode: m is gone after it */
	}
	return freed;
}

/* pcache_count - the shrinker's count: pages of idle files, mount after mount.  Never sleeps. */
static unsigned long pcache_count(void)
{
	unsigned long sum = 0;

	spin_lock(&vfs_lock);		/* held throughout: no mount not detached now can go */
	for (unsigned k = 0;; k++) {
		struct ext4_mount *m;
		unsigned i = k;
		int live;

		spin_lock(&pcache_lock);
		for (m = pcache_mounts; m && i; m = m->pcache_next)
			i--;
		live = m && !m->sb->detached;
		spin_unlock(&pcache_lock);
		if (!m)
			break;
		if (!live)
			continue;
		spin_lock(&m->list_lock);
		for (struct ext4_node *n = m->lru_head; n; n = n->lru_next)
			if (idle(n, 0))
				sum += shmem_pages(n->ip->mem);
		spin_unlock(&m->list_lock);
	}
	spin_unlock(&vfs_lock);
	return sum;
}

unsigned long ext4_pcache_count(void)
{
	return pcache_count();
}
