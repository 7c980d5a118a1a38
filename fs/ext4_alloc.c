/*
 * ext4_alloc.c - blocks and inodes: allocate and free them in the loaded
 * bitmaps, keeping every count e2fsck compares (the group's free blocks,
 * free inodes, used directories and unused inode table tail, the UNINIT
 * flags, the super block's totals) exact.  No I/O once ext4_bitmaps_load
 * has run: the changes reach the disk at ext4_fs_flush.
 *
 * A free that names a block already free, or the file system's own
 * metadata, is refused whole (-EUCLEAN) before any bit changes: a
 * corrupted extent tree must not make things worse.
 */
#include "../kernel/string.h"
#include "../kernel/errno.h"
#include "ext4_int.h"

/* mark_range - set the bits of blocks [@blk, @blk+@n) that fall in group @g's bitmap @bm. */
static void mark_range(const struct ext4_fs *fs, uint32_t g, uint8_t *bm, uint64_t blk,
		       uint64_t n)
{
	uint64_t first = ext4_group_first(fs, g), end = first + ext4_group_nblocks(fs, g);

	for (uint64_t b = blk < first ? first : blk; b < blk + n && b < end; b++)
		ext4_set_bit(bm, (uint32_t)(b - first));
}

/* flex_span - the groups [*@lo, *@hi) whose metadata may sit in group @g. */
static void flex_span(const struct ext4_fs *fs, uint32_t g, uint32_t *lo, uint32_t *hi)
{
	uint32_t log = fs->sb[SB_LOG_GROUPS_PER_FLEX];

	*lo = g;
	*hi = g + 1;
	if (!(fs->feat_incompat & EXT4_FEATURE_INCOMPAT_FLEX_BG))
		return;
	if (log >= 31) {
		*lo = 0;
		*hi = fs->ngroups;
		return;
	}
	*lo = g >> log << log;
	*hi = *lo + (1u << log) > fs->ngroups || *lo + (1u << log) < *lo ? fs->ngroups
									 : *lo + (1u << log);
}

/*
 * ext4_block_bitmap_compute - the bitmap of BLOCK_UNINIT group @g as
 * mke2fs meant it: in use are the group's super block copy, descriptors
 * and reserved GDT blocks, and the bitmaps and inode tables of its flex
 * group that lie inside it.  Padding is the caller's.
 */
void ext4_block_bitmap_compute(const struct ext4_fs *fs, uint32_t g, uint8_t *bm)
{
	uint32_t lo, hi;

	memset(bm, 0, fs->block_size);
	mark_range(fs, g, bm, ext4_group_first(fs, g), ext4_group_super_blocks(fs, g));
	flex_span(fs, g, &lo, &hi);
	for (uint32_t h = lo; h < hi; h++) {
		const struct ext4_group *o = &fs->groups[h];

		mark_range(fs, g, bm, o->block_bitmap, 1);
		mark_range(fs, g, bm, o->inode_bitmap, 1);
		mark_range(fs, g, bm, o->inode_table, ext4_itable_blocks(fs));
	}
}

/* loaded - load the bitmaps if nobody did yet (the VFS does it at mount). */
static int loaded(struct ext4_fs *fs)
{
	if (fs->rdonly)
		return -EROFS;
	return fs->groups[0].bbitmap ? 0 : ext4_bitmaps_load(fs);
}

/* find_zero - the first clear bit of @bm in [@from, @to), or @to. */
static uint32_t find_zero(const uint8_t *bm, uint32_t from, uint32_t to)
{
	uint32_t i = from;

	while (i < to && (i & 7))
		if (!ext4_bit(bm, i++))
			return i - 1;
	while (i + 8 <= to && bm[i >> 3] == 0xff)
		i += 8;
	for (; i < to; i++)
		if (!ext4_bit(bm, i))
			return i;
	return to;
}

/* take_blocks - mark up to @want blocks from bit @bit of group @g used; how many. */
static uint32_t take_blocks(struct ext4_fs *fs, uint32_t g, uint32_t bit, uint32_t want)
{
	struct ext4_group *grp = &fs->groups[g];
	uint32_t nb = ext4_group_nblocks(fs, g), n = 0;

	while (n < want && bit + n < nb && !ext4_bit(grp->bbitmap, bit + n)) {
		ext4_set_bit(grp->bbitmap, bit + n);
		n++;
	}
	grp->free_blocks -= n;
	grp->flags &= (uint16_t)~EXT4_BG_BLOCK_UNINIT;
	grp->dirty = 1;
	fs->free_blocks -= n;
	fs->sb_dirty = 1;
	return n;
}

/* ext4_block_alloc - see ext4.h: first fit from @goal, then group by group, wrapping. */
int ext4_block_alloc(struct ext4_fs *fs, uint64_t goal, uint32_t want, uint64_t *start,
		     uint32_t *got)
{
	uint32_t g0 = 0, from = 0;
	int err = loaded(fs);

	if (err)
		return err;
	if (!want)
		return -EINVAL;
	if (!ext4_group_of(fs, goal, &g0))
		from = (uint32_t)(goal - ext4_group_first(fs, g0));
	for (uint32_t i = 0; i <= fs->ngroups && fs->free_blocks; i++) {
		uint32_t g = (uint32_t)(((uint64_t)g0 + i) % fs->ngroups);
		uint32_t nb = ext4_group_nblocks(fs, g), bit;

		if (!fs->groups[g].free_blocks)
			continue;
		bit = find_zero(fs->groups[g].bbitmap, i == 0 ? from : 0, nb);
		if (bit >= nb)
			continue;
		*start = ext4_group_first(fs, g) + bit;
		*got = take_blocks(fs, g, bit, want);
		return 0;
	}
	return -ENOSPC;
}

/* overlaps - do [@a, @a+@an) and [@b, @b+@bn) share a block? */
static int overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

/* is_metadata - does [@start, @start+@n) touch a super block copy, descriptors, bitmap or inode table? */
static int is_metadata(const struct ext4_fs *fs, uint64_t start, uint64_t n)
{
	uint32_t gfirst, glast;

	ext4_group_of(fs, start, &gfirst);
	ext4_group_of(fs, start + n - 1, &glast);
	for (uint32_t g = gfirst; g <= glast; g++)
		if (overlaps(start, n, ext4_group_first(fs, g), ext4_group_super_blocks(fs, g)))
			return 1;
	for (uint32_t h = 0; h < fs->ngroups; h++) {
		const struct ext4_group *o = &fs->groups[h];

		if (overlaps(start, n, o->block_bitmap, 1) || overlaps(start, n, o->inode_bitmap, 1) ||
		    overlaps(start, n, o->inode_table, ext4_itable_blocks(fs)))
			return 1;
	}
	return 0;
}

/* ext4_block_free - see ext4.h.  Checks every block before changing any. */
int ext4_block_free(struct ext4_fs *fs, uint64_t start, uint32_t n)
{
	uint32_t g;
	int err = loaded(fs);

	if (err)
		return err;
	if (!n)
		return 0;
	if (start < fs->first_data_block || start >= fs->blocks_count ||
	    n > fs->blocks_count - start || is_metadata(fs, start, n))
		return -EUCLEAN;
	for (uint64_t b = start; b < start + n; b++) {
		ext4_group_of(fs, b, &g);
		if (!ext4_bit(fs->groups[g].bbitmap, (uint32_t)(b - ext4_group_first(fs, g))))
			return -EUCLEAN;
	}
	for (uint64_t b = start; b < start + n; b++) {
		ext4_group_of(fs, b, &g);
		ext4_clear_bit(fs->groups[g].bbitmap, (uint32_t)(b - ext4_group_first(fs, g)));
		fs->groups[g].free_blocks++;
		fs->groups[g].dirty = 1;
	}
	fs->free_blocks += n;
	fs->sb_dirty = 1;
	return 0;
}

/*
 * take_inode - mark inode @bit of group @g used.  The group's inode
 * table is in use up to ipg - itable_unused: past it, the boundary moves
 * (e2fsck reads inodes only below it); an INODE_UNINIT group becomes an
 * initialised one whose bitmap is the zeroed one we hold.  As Linux does,
 * a group that gets an inode also stops being BLOCK_UNINIT: its computed
 * block bitmap is written out with it.
 */
static void take_inode(struct ext4_fs *fs, uint32_t g, uint32_t bit, int dir)
{
	struct ext4_group *grp = &fs->groups[g];

	ext4_set_bit(grp->ibitmap, bit);
	grp->free_inodes--;
	if (dir)
		grp->used_dirs++;
	if (ext4_group_has_csum(fs)) {
		if (grp->flags & EXT4_BG_INODE_UNINIT)
			grp->itable_unused = fs->inodes_per_group;
		if (bit >= fs->inodes_per_group - grp->itable_unused)
			grp->itable_unused = fs->inodes_per_group - bit - 1;
		grp->flags &= (uint16_t)~(EXT4_BG_INODE_UNINIT | EXT4_BG_BLOCK_UNINIT);
	}
	grp->dirty = 1;
	fs->free_inodes--;
	fs->sb_dirty = 1;
}

/* ext4_inode_alloc - see ext4.h: the lowest free inode, from @parent's group on. */
int ext4_inode_alloc(struct ext4_fs *fs, uint32_t parent, int dir, uint32_t *ino)
{
	uint32_t g0 = 0, ipg = fs->inodes_per_group;
	int err = loaded(fs);

	if (err)
		return err;
	if (parent >= 1 && parent <= fs->inodes_count)
		g0 = (parent - 1) / ipg;
	for (uint32_t i = 0; i < fs->ngroups && fs->free_inodes; i++) {
		uint32_t g = (uint32_t)(((uint64_t)g0 + i) % fs->ngroups);
		uint32_t from = g == 0 ? fs->first_ino - 1 : 0, bit;

		if (!fs->groups[g].free_inodes || from >= ipg)
			continue;
		bit = find_zero(fs->groups[g].ibitmap, from, ipg);
		if (bit >= ipg)
			continue;
		take_inode(fs, g, bit, dir);
		*ino = g * ipg + bit + 1;
		return 0;
	}
	return -ENOSPC;
}

/* ext4_inode_free - see ext4.h: -EUCLEAN for a reserved, out-of-range or free inode. */
int ext4_inode_free(struct ext4_fs *fs, uint32_t ino, int dir)
{
	uint32_t g, bit;
	struct ext4_group *grp;
	int err = loaded(fs);

	if (err)
		return err;
	if (ino < fs->first_ino || ino > fs->inodes_count)
		return -EUCLEAN;
	g = (ino - 1) / fs->inodes_per_group;
	bit = (ino - 1) % fs->inodes_per_group;
	grp = &fs->groups[g];
	if (!ext4_bit(grp->ibitmap, bit) || (dir && !grp->used_dirs))
		return -EUCLEAN;
	ext4_clear_bit(grp->ibitmap, bit);
	grp->free_inodes++;
	if (dir)
		grp->used_dirs--;
	grp->dirty = 1;
	fs->free_inodes++;
	fs->sb_dirty = 1;
	return 0;
}
