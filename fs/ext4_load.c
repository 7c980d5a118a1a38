/*
 * ext4_load.c - mounting an ext4 file system: open it with the library,
 * then load its whole tree into VFS inodes and dentries (ext4_vfs.h).
 *
 * The load trusts nothing it reads.  An entry naming an inode out of range
 * or unreadable, a directory reached twice (a loop, or a hard link to a
 * directory), a symlink whose target does not fit: each is logged and
 * left out, and the mount becomes read-only, because a later write-back
 * would rewrite that directory from what was loaded and drop the damaged
 * names for good.  Only an unreadable root fails the mount.
 */
#include "../kernel/kernel.h"
#include "../kernel/time.h"
#include "../drivers/blk.h"
#include "../vm/kmalloc.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "ext4_vfs.h"
#include "ext4_mem.h"
#include "mount.h"

#define SEEN_BUCKETS	509	/* fits a page of pointers */

/* An inode loaded so far: hard links find it, a second visit of a directory is a loop. */
struct seen {
	uint32_t ino;
	struct inode *ip;
	struct seen *next;
};

/* A directory still to read. */
struct todo {
	struct inode *dir;
	struct todo *next;
};

struct load {
	struct ext4_mount *m;
	struct seen **seen;		/* SEEN_BUCKETS chains */
	struct todo *todo;
	struct inode *dir;		/* the directory being read */
	struct ext4_inode di;		/* scratch: the child being loaded */
	int damaged;			/* something was left out: mount read-only */
	int err;			/* fatal: out of memory */
};

static struct seen *seen_find(struct load *l, uint32_t ino)
{
	for (struct seen *s = l->seen[ino % SEEN_BUCKETS]; s; s = s->next)
		if (s->ino == ino)
			return s;
	return 0;
}

/* damage - log what is wrong with inode @ino and remember to mount read-only. */
static void damage(struct load *l, uint32_t ino, const char *what, int err)
{
	pr_err("EXT4-fs error (device %s): inode #%u: %s (%d)\n", l->m->bd->name, ino, what, err);
	l->damaged = 1;
}

/*
 * load_symlink - @ip's target: in i_block for a short one, else the first
 * data block.  0, or -EUCLEAN if it does not fit where it claims to be.
 */
static int load_symlink(struct ext4_mount *m, struct inode *ip, const struct ext4_inode *di)
{
	uint64_t len = di->size;
	char *t;
	int r = 0;

	if (len == 0 || len >= m->fs.block_size || len >= PAGE_SIZE)
		return -EUCLEAN;
	if (!(t = kmalloc(len + 1)))
		return -ENOMEM;
	if (!(di->flags & 0x80000) && len < EXT4_N_BLOCKS_BYTES) {
		memcpy(t, di->block, len);
	} else {
		struct ext4_extents e = { 0 };
		char *buf = ext4_alloc_mem(PAGE_SIZE);
		uint64_t pb;

		r = buf ? ext4_extents_read(&m->fs, di, &e) : -ENOMEM;
		if (!r && !(pb = ext4_extents_map(&e, 0)))
			r = -EUCLEAN;
		if (!r)
			r = m->fs.io.read(m->fs.io.ctx, pb, 1, buf);
		if (!r)
			memcpy(t, buf, len);
		ext4_extents_free(&e);
		ext4_free_mem(buf);
	}
	t[len] = 0;
	if (r || strlen(t) != len) {
		kfree(t);
		return r ? r : -EUCLEAN;
	}
	ip->link = t;
	return 0;
}

/* new_vfs_inode - a VFS inode for on-disk inode @di of the mount's super block. */
static struct inode *new_vfs_inode(struct load *l, const struct ext4_inode *di, int *err)
{
	struct ext4_mount *m = l->m;
	struct inode *ip = inode_new(m->sb, di->mode);

	*err = -ENOMEM;
	if (!ip)
		return 0;
	ip->ino = di->ino;
	ext4_inode_to_vfs(di, ip);
	*err = ext4_node_new(ip, 0) ? 0 : -ENOMEM;
	if (!*err) {
		ext4_node_of(ip)->disk_blocks = di->blocks;
		ext4_node_of(ip)->dir_size = S_ISDIR(di->mode) ? di->size : 0;
	}
	if (!*err && S_ISREG(di->mode)) {
		if (!(ip->mem = shmem_create_file(m->sb->quota)))
			*err = -ENOMEM;
		else if (di->size > SHMEM_MAX_SIZE || shmem_set_size(ip->mem, di->size))
			*err = -EUCLEAN;
	}
	if (!*err && S_ISLNK(di->mode))
		*err = load_symlink(m, ip, di);
	if (*err) {
		inode_put(ip);		/* no links: freed, and its node with it */
		return 0;
	}
	return ip;
}

/* load_entry - ext4_dir_parse's callback: link one name of the directory being read. */
static int load_entry(void *arg, const struct ext4_dirent *d)
{
	struct load *l = arg;
	struct ext4_fs *fs = &l->m->fs;
	struct seen *s;
	struct inode *ip;
	int r, fresh = 0;

	if ((d->name_len == 1 && d->name[0] == '.') ||
	    (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	if (d->ino < EXT4_ROOT_INO || d->ino > fs->inodes_count ||
	    (d->ino < fs->first_ino && d->ino != EXT4_ROOT_INO)) {
		damage(l, (uint32_t)l->dir->ino, "entry names a reserved or out-of-range inode", -EUCLEAN);
		return 0;
	}
	if ((s = seen_find(l, d->ino))) {
		if (S_ISDIR(s->ip->mode)) {
			damage(l, d->ino, "directory reached twice", -EUCLEAN);
			return 0;
		}
		ip = s->ip;
	} else {
		if ((r = ext4_inode_read(fs, d->ino, &l->di)) || !l->di.links || !l->di.mode) {
			damage(l, d->ino, "unreadable or unused inode", r ? r : -EUCLEAN);
			return 0;
		}
		if (!(ip = new_vfs_inode(l, &l->di, &r))) {
			if (r == -ENOMEM)
				return l->err = r;
			damage(l, d->ino, "bad inode", r);
			return 0;
		}
		fresh = 1;
		if (!(s = kmalloc(sizeof(*s)))) {
			inode_put(ip);
			return l->err = -ENOMEM;
		}
		s->ino = d->ino;
		s->ip = ip;
		s->next = l->seen[d->ino % SEEN_BUCKETS];
		l->seen[d->ino % SEEN_BUCKETS] = s;	/* keeps the creation reference till the end */
	}
	spin_lock(&vfs_lock);
	r = dir_find(l->dir, d->name, d->name_len) ? -EEXIST : dir_add(l->dir, d->name, d->name_len, ip);
	spin_unlock(&vfs_lock);
	if (r == -ENOMEM)
		return l->err = r;
	if (r)
		damage(l, (uint32_t)l->dir->ino, "a name twice in one directory", -EUCLEAN);
	if (!r && fresh && S_ISDIR(ip->mode)) {
		struct todo *t = kmalloc(sizeof(*t));

		if (!t)
			return l->err = -ENOMEM;
		t->dir = ip;
		t->next = l->todo;
		l->todo = t;
	}
	return 0;
}

/*
 * load_dir - read every block of directory l->dir and link its names.
 * 0, or -ENOMEM (fatal); damage is logged and the mount made read-only.
 */
static int load_dir(struct load *l, void *buf)
{
	struct ext4_fs *fs = &l->m->fs;
	struct ext4_inode *di;
	struct ext4_extents e;
	uint32_t ino = (uint32_t)l->dir->ino;
	int r = ext4_read_inode_extents(fs, ino, &di, &e);

	if (r == -ENOMEM)
		goto out;
	if (r) {
		damage(l, ino, "cannot read the directory", r);
		r = 0;
		goto out;
	}
	/* Block by block of each extent (not of the size, which a hostile inode makes huge). */
	for (uint32_t x = 0; x < e.n && !l->err; x++)
		for (uint32_t k = 0; k < e.ext[x].len && !l->err && !e.ext[x].uninit; k++) {
			uint64_t lb = (uint64_t)e.ext[x].lblk + k;

			if (lb * fs->block_size >= di->size)
				break;
			if ((r = fs->io.read(fs->io.ctx, e.ext[x].pblk + k, 1, buf)) ||
			    ((r = ext4_dir_parse(fs, di, (uint32_t)lb, buf, load_entry, l)) && !l->err)) {
				damage(l, ino, "bad directory block", r);
				r = 0;
			}
		}
	r = l->err;
out:
	ext4_extents_free(&e);
	kfree(di);
	return r;
}

/* load_finish - drop the creation references: what failed to link is freed. */
static void load_finish(struct load *l)
{
	for (int b = 0; b < SEEN_BUCKETS; b++)
		while (l->seen[b]) {
			struct seen *s = l->seen[b];

			l->seen[b] = s->next;
			inode_put(s->ip);
			kfree(s);
		}
	while (l->todo) {
		struct todo *t = l->todo;

		l->todo = t->next;
		kfree(t);
	}
}

int ext4_load_tree(struct ext4_mount *m)
{
	struct load *l = kzalloc(sizeof(*l));
	void *buf = ext4_alloc_mem(PAGE_SIZE);
	int r = 0;

	if (!l || !buf || !(l->seen = ext4_alloc_mem(PAGE_SIZE))) {
		r = -ENOMEM;
		goto out;
	}
	memset(l->seen, 0, SEEN_BUCKETS * sizeof(*l->seen));
	l->m = m;
	l->dir = m->sb->root;
	for (;;) {
		struct todo *t;

		if ((r = load_dir(l, buf)))
			break;
		if (!(t = l->todo))
			break;
		l->todo = t->next;
		l->dir = t->dir;
		kfree(t);
	}
	if (!r && l->damaged && !m->fs.rdonly) {
		pr_err("EXT4-fs (%s): errors found while mounting: read-only; run e2fsck\n",
		       m->bd->name);
		m->fs.rdonly = 1;
	}
	load_finish(l);
out:
	if (l)
		ext4_free_mem(l->seen);
	kfree(l);
	ext4_free_mem(buf);
	return r;
}

/* load_root - the root directory's VFS inode, from inode 2: it must be a directory. */
static int load_root(struct ext4_mount *m)
{
	struct ext4_inode *di = kmalloc(sizeof(*di));
	struct inode *root;
	int r;

	if (!di)
		return -ENOMEM;
	r = ext4_inode_read(&m->fs, EXT4_ROOT_INO, di);
	if (!r && (!S_ISDIR(di->mode) || !di->links))
		r = -EUCLEAN;
	if (!r && !(root = inode_new(m->sb, di->mode)))
		r = -ENOMEM;
	if (!r) {
		root->ino = EXT4_ROOT_INO;
		ext4_inode_to_vfs(di, root);
		root->nlink = 2;		/* its own "." and ".." */
		m->sb->root = root;
		if (!ext4_node_new(root, N_FILLED))
			r = -ENOMEM;
		else
			ext4_node_of(root)->dir_size = di->size;
	}
	kfree(di);
	return r;
}

/* new_super - the super block of mount @m: ext4's numbers, and a page quota for its cache. */
static struct super *new_super(struct ext4_mount *m, uint32_t rdev)
{
	struct super *sb = kzalloc(sizeof(*sb));
	struct shmem_quota *q = kzalloc(sizeof(*q));

	if (!sb || !q) {
		kfree(sb);
		kfree(q);
		return 0;
	}
	q->max = 0;		/* ext4_quota_reset, once the tree is loaded */
	sb->type = "ext4";
	sb->dev = rdev;
	sb->magic = EXT4_SUPER_MAGIC;
	sb->quota = q;
	sb->ops = &ext4_super_ops;
	sb->priv = m;
	return sb;
}

long ext4_mount(uint32_t rdev, unsigned long flags, const char *data, struct super **out)
{
	struct blkdev *bd = blk_by_rdev(rdev);
	struct ext4_mount *m;
	struct ext4_io io;
	char why[96] = "";
	int r;

	(void)data;
	if (!bd)
		return -ENXIO;
	if (!(m = kzalloc(sizeof(*m))))
		return -ENOMEM;
	m->bd = bd;
	m->mutex_lock = (struct spinlock)SPINLOCK_INIT("ext4_mutex");
	m->list_lock = (struct spinlock)SPINLOCK_INIT("ext4_list");
	ext4_io_init(&io, m);
	/*
	 * Open it writable whenever the disk allows, even for a read-only
	 * mount, so that remount,rw can follow; a mount that must stay
	 * read-only (a read-only disk, a journal to replay, an unknown
	 * ro_compat feature, damage found while loading) is force_rdonly.
	 */
	r = bd->readonly ? -EROFS : ext4_fs_open(&m->fs, &io, 0, why, sizeof(why));
	if (r && (flags & MS_RDONLY || bd->readonly) && r != -EIO && r != -ENOMEM) {
		if (!bd->readonly)
			pr_info("EXT4-fs (%s): %s: mounting read-only\n", bd->name, why);
		why[0] = 0;
		ext4_io_init(&io, m);
		r = ext4_fs_open(&m->fs, &io, 1, why, sizeof(why));
	}
	if (!r && m->fs.block_size > PAGE_SIZE) {
		ext4_fs_close(&m->fs);
		strlcpy(why, "block size larger than a page", sizeof(why));
		r = -EINVAL;
	}
	if (r) {
		pr_err("EXT4-fs (%s): %s\n", bd->name, why[0] ? why : "cannot mount");
		kfree(m);
		return r;
	}
	if (!(m->sb = new_super(m, rdev))) {
		ext4_fs_close(&m->fs);
		kfree(m);
		return -ENOMEM;
	}
	m->loading = 1;		/* dir_add and inode_touch below change nothing on the disk */
	if (!m->fs.rdonly)
		r = ext4_bitmaps_load(&m->fs);
	if (!r)
		r = load_root(m);
	if (!r)
		r = ext4_load_tree(m);
	if (r) {
		pr_err("EXT4-fs (%s): mount failed (%d)\n", bd->name, r);
		ext4_unload(m);
		return r;
	}
	m->loading = 0;
	m->last_sync = time_now_ns();
	ext4_quota_reset(m);
	m->sb->force_rdonly = m->fs.rdonly;
	ext4_pcache_add_mount(m);
	pr_info("EXT4-fs (%s): mounted filesystem %s, without journalling\n", bd->name,
		m->fs.rdonly || (flags & MS_RDONLY) ? "read-only" : "read-write");
	*out = m->sb;
	return 0;
}
