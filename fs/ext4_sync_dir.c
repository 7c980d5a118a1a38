/*
 * ext4_sync_dir.c - write-back of directories and symlinks (ext4_sync.c
 * does the rest).  A changed directory is written whole, as linear blocks
 * laid out by the library from a snapshot of its in-memory entries: no
 * incremental edits of on-disk blocks, and a hashed directory simply
 * loses its index, as Linux allows.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "ext4_mem.h"
#include "ext4_vfs.h"

#define EXT4_EXTENTS_FL	0x80000
#define EXT4_INDEX_FL	0x1000

/* A directory's entries, copied out from under vfs_lock. */
struct dir_snap {
	struct ext4_dirent *d;
	uint32_t n;
	char *names;
};

static uint8_t ft_of(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return 1;
	case S_IFDIR: return 2;
	case S_IFCHR: return 3;
	case S_IFBLK: return 4;
	case S_IFIFO: return 5;
	case S_IFSOCK: return 6;
	case S_IFLNK: return 7;
	}
	return 0;
}

/*
 * dir_snapshot - "." and ".." and every entry of @dir, into @s.  Sizes
 * are measured, the memory allocated without the lock, and the copy made
 * under it if the directory has not grown meanwhile (else again).
 */
static int dir_snapshot(struct inode *dir, struct dir_snap *s)
{
	for (;;) {
		unsigned long n, bytes = 0;

		spin_lock(&vfs_lock);
		n = dir->nentries + 2;
		for (struct dentry *e = dir->entries; e; e = e->next)
			bytes += strlen(e->name);
		spin_unlock(&vfs_lock);
		s->d = ext4_alloc_mem(n * sizeof(*s->d));
		s->names = ext4_alloc_mem(bytes + 4);
		if (!s->d || !s->names) {
			ext4_free_mem(s->d);
			ext4_free_mem(s->names);
			return -ENOMEM;
		}
		spin_lock(&vfs_lock);
		unsigned long used = 0, i = 2;
		int fits = dir->nentries + 2 <= n;

		for (struct dentry *e = dir->entries; e && fits; e = e->next) {
			size_t len = strlen(e->name);

			if (used + len > bytes || i >= n) {
				fits = 0;
				break;
			}
			memcpy(s->names + used, e->name, len);
			s->d[i++] = (struct ext4_dirent){ (uint32_t)e->inode->ino, ft_of(e->inode->mode),
							  (uint8_t)len, s->names + used };
			used += len;
		}
		s->d[0] = (struct ext4_dirent){ (uint32_t)dir->ino, 2, 1, "." };
		s->d[1] = (struct ext4_dirent){ (uint32_t)dir->parent->ino, 2, 2, ".." };
		s->n = (uint32_t)i;
		spin_unlock(&vfs_lock);
		if (fits)
			return 0;
		ext4_free_mem(s->d);
		ext4_free_mem(s->names);
	}
}

static uint64_t dir_next(void *arg, uint64_t lb)
{
	(void)arg;
	return lb;		/* every block of a directory holds entries */
}

/* ext4_wb_dir - directory @ip rewritten whole as linear blocks (its hash index, if any, dropped). */
int ext4_wb_dir(struct ext4_mount *m, struct inode *ip, struct ext4_inode *di, int fresh)
{
	struct ext4_fs *fs = &m->fs;
	struct ext4_extents old = { 0 }, new = { 0 };
	struct dir_snap s = { 0 };
	uint64_t nblk;
	uint8_t *buf = 0;
	int r = dir_snapshot(ip, &s);

	if (r)
		return r;
	nblk = ext4_dir_blocks_needed(fs, s.d, s.n);
	if (!(buf = ext4_alloc_mem(nblk * fs->block_size)))
		r = -ENOMEM;
	if (!r && ext4_dir_build(fs, di, s.d, s.n, buf, (uint32_t)nblk) < 0)
		r = -EUCLEAN;
	if (!r && !fresh)
		r = ext4_extents_read(fs, di, &old);
	if (!r && !(r = ext4_wb_plan(fs, &old, nblk, dir_next, 0, &new))) {
		ext4_wb_take_tree(&old, &new);
		for (uint64_t lb = 0; lb < nblk && !r; lb++)
			r = fs->io.write(fs->io.ctx, ext4_extents_map(&new, (uint32_t)lb), 1,
					 buf + lb * fs->block_size);
		if (!r)
			r = ext4_extents_write(fs, di, &new);
		ext4_wb_commit(fs, &old, &new, !r);
	}
	if (!r) {
		di->size = nblk * fs->block_size;
		di->flags &= ~EXT4_INDEX_FL;
	}
	ext4_extents_free(&old);
	ext4_extents_free(&new);
	ext4_free_mem(buf);
	ext4_free_mem(s.d);
	ext4_free_mem(s.names);
	return r;
}

/* ext4_wb_symlink - a new symlink's target: in i_block when short, else in one block. */
int ext4_wb_symlink(struct ext4_mount *m, struct inode *ip, struct ext4_inode *di)
{
	struct ext4_fs *fs = &m->fs;
	size_t len = strlen(ip->link);
	struct ext4_extents e = { 0 };
	uint32_t got;
	uint64_t pb;
	char *buf;
	int r;

	di->size = len;
	if (len < EXT4_N_BLOCKS_BYTES) {
		memset(di->block, 0, sizeof(di->block));
		memcpy(di->block, ip->link, len);
		di->flags &= ~EXT4_EXTENTS_FL;
		di->blocks = 0;
		return 0;
	}
	if (len >= fs->block_size || !(buf = ext4_alloc_mem(PAGE_SIZE)))
		return len >= fs->block_size ? -ENAMETOOLONG : -ENOMEM;
	memset(buf, 0, fs->block_size);
	memcpy(buf, ip->link, len);
	r = ext4_block_alloc(fs, 0, 1, &pb, &got);
	if (!r)
		r = fs->io.write(fs->io.ctx, pb, 1, buf);
	if (!r)
		r = ext4_wb_push(&e, 0, pb);
	if (!r)
		r = ext4_extents_write(fs, di, &e);
	ext4_extents_free(&e);
	ext4_free_mem(buf);
	return r;
}

