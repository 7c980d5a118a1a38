/*
 * ext4_group.c - the block groups: parse and check the descriptor table,
 * encode a descriptor back (counts, flags, bitmap checksums, its own
 * checksum), and load the bitmaps, checked against their checksums and
 * the descriptor's free counts.
 *
 * A descriptor that passes here points at bitmaps and an inode table
 * inside the file system and outside the primary super block and
 * descriptor area; its counts are within the group's size.  Bitmaps
 * that pass agree with those counts and mark every group's metadata in
 * use, so the allocator can trust a zero bit.
 */
#include "../kernel/string.h"
#include "../kernel/errno.h"
#include "ext4_int.h"
#include "ext4_mem.h"

/* desc_get - a lo/hi pair of descriptor fields; the hi half exists with 64-byte descriptors. */
static uint64_t desc_get(const struct ext4_fs *fs, const uint8_t *d, unsigned lo, unsigned hi,
			 int wide)
{
	uint64_t v = wide ? ext4_le32(d + lo) : ext4_le16(d + lo);

	if (fs->desc_size >= EXT4_DESC_SIZE_64BIT)
		v |= (wide ? (uint64_t)ext4_le32(d + hi) : (uint64_t)ext4_le16(d + hi)) <<
		     (wide ? 32 : 16);
	return v;
}

/* ext4_group_of - the group holding block @blk: 0, or -EUCLEAN outside the groups. */
int ext4_group_of(const struct ext4_fs *fs, uint64_t blk, uint32_t *g)
{
	if (blk < fs->first_data_block || blk >= fs->blocks_count)
		return -EUCLEAN;
	*g = (uint32_t)((blk - fs->first_data_block) / fs->blocks_per_group);
	return 0;
}

/*
 * meta_ok - may group @g's metadata run [@blk, @blk+@n) sit there: inside
 * the file system, past the primary super block and descriptors, and
 * (without flex_bg) inside its own group.
 */
static int meta_ok(const struct ext4_fs *fs, uint32_t g, uint64_t blk, uint64_t n)
{
	uint64_t lo = fs->first_data_block + ext4_group_super_blocks(fs, 0);
	uint64_t first = ext4_group_first(fs, g);

	if (blk < lo || blk >= fs->blocks_count || n > fs->blocks_count - blk)
		return 0;
	if (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_FLEX_BG)
		return 1;
	return blk >= first && blk + n <= first + ext4_group_nblocks(fs, g);
}

/* parse_one - check and parse descriptor @g into fs->groups[g]. */
static int parse_one(struct ext4_fs *fs, uint32_t g, char *why, size_t len)
{
	const uint8_t *d = fs->gdt + (size_t)g * fs->desc_size;
	struct ext4_group *grp = &fs->groups[g];

	if (fs->metadata_csum && ext4_le16(d + BG_CHECKSUM) != ext4_desc_csum(fs, g, d)) {
		ext4_set_why(why, len, "group descriptor checksum does not match");
		return -EUCLEAN;
	}
	grp->block_bitmap = desc_get(fs, d, BG_BLOCK_BITMAP_LO, BG_BLOCK_BITMAP_HI, 1);
	grp->inode_bitmap = desc_get(fs, d, BG_INODE_BITMAP_LO, BG_INODE_BITMAP_HI, 1);
	grp->inode_table = desc_get(fs, d, BG_INODE_TABLE_LO, BG_INODE_TABLE_HI, 1);
	grp->free_blocks = (uint32_t)desc_get(fs, d, BG_FREE_BLOCKS_LO, BG_FREE_BLOCKS_HI, 0);
	grp->free_inodes = (uint32_t)desc_get(fs, d, BG_FREE_INODES_LO, BG_FREE_INODES_HI, 0);
	grp->used_dirs = (uint32_t)desc_get(fs, d, BG_USED_DIRS_LO, BG_USED_DIRS_HI, 0);
	grp->itable_unused = (uint32_t)desc_get(fs, d, BG_ITABLE_UNUSED_LO, BG_ITABLE_UNUSED_HI, 0);
	/* Without descriptor checksums the UNINIT flags are not to be trusted (nor kept). */
	grp->flags = ext4_group_has_csum(fs) ? ext4_le16(d + BG_FLAGS) : 0;
	if (!meta_ok(fs, g, grp->block_bitmap, 1) || !meta_ok(fs, g, grp->inode_bitmap, 1) ||
	    !meta_ok(fs, g, grp->inode_table, ext4_itable_blocks(fs))) {
		ext4_set_why(why, len, "group bitmaps or inode table outside the file system");
		return -EUCLEAN;
	}
	if (grp->free_blocks > ext4_group_nblocks(fs, g) ||
	    grp->free_inodes > fs->inodes_per_group || grp->used_dirs > fs->inodes_per_group ||
	    grp->itable_unused > fs->inodes_per_group) {
		ext4_set_why(why, len, "group descriptor counts out of range");
		return -EUCLEAN;
	}
	fs->free_blocks += grp->free_blocks;
	fs->free_inodes += grp->free_inodes;
	return 0;
}

/*
 * ext4_groups_parse - read the descriptor table (after the primary super
 * block) into fs->gdt and parse every descriptor into fs->groups; the
 * free counts of fs are their sums, as Linux counts them at mount.
 */
int ext4_groups_parse(struct ext4_fs *fs, char *why, size_t len)
{
	size_t bytes = (size_t)fs->ngroups * fs->desc_size;
	uint32_t nblk = ext4_gdt_blocks(fs);
	uint8_t *blk = ext4_alloc_mem(fs->block_size);
	int err = 0;

	fs->gdt = ext4_alloc_mem(bytes);
	fs->groups = ext4_alloc_mem((size_t)fs->ngroups * sizeof(*fs->groups));
	if (!blk || !fs->gdt || !fs->groups) {
		ext4_free_mem(blk);
		return -ENOMEM;
	}
	memset(fs->groups, 0, (size_t)fs->ngroups * sizeof(*fs->groups));
	for (uint32_t i = 0; i < nblk && !err; i++) {
		size_t off = (size_t)i * fs->block_size;
		size_t n = bytes - off < fs->block_size ? bytes - off : fs->block_size;

		if (fs->io.read(fs->io.ctx, fs->first_data_block + 1 + i, 1, blk))
			err = -EIO;
		else
			memcpy(fs->gdt + off, blk, n);
	}
	ext4_free_mem(blk);
	fs->free_blocks = 0;
	fs->free_inodes = 0;
	for (uint32_t g = 0; g < fs->ngroups && !err; g++)
		err = parse_one(fs, g, why, len);
	return err;
}

/* desc_put - store a lo/hi pair (the hi half only in 64-byte descriptors). */
static void desc_put(const struct ext4_fs *fs, uint8_t *d, unsigned lo, unsigned hi, uint32_t v)
{
	ext4_put16(d + lo, v);
	if (fs->desc_size >= EXT4_DESC_SIZE_64BIT)
		ext4_put16(d + hi, v >> 16);
}

/*
 * ext4_group_encode - store group @g's counts, flags and bitmap checksums
 * into its raw descriptor and checksum it.  The bitmaps must be loaded
 * if the group is to carry their checksums (metadata_csum).
 */
void ext4_group_encode(struct ext4_fs *fs, uint32_t g)
{
	uint8_t *d = fs->gdt + (size_t)g * fs->desc_size;
	struct ext4_group *grp = &fs->groups[g];

	desc_put(fs, d, BG_FREE_BLOCKS_LO, BG_FREE_BLOCKS_HI, grp->free_blocks);
	desc_put(fs, d, BG_FREE_INODES_LO, BG_FREE_INODES_HI, grp->free_inodes);
	desc_put(fs, d, BG_USED_DIRS_LO, BG_USED_DIRS_HI, grp->used_dirs);
	desc_put(fs, d, BG_ITABLE_UNUSED_LO, BG_ITABLE_UNUSED_HI, grp->itable_unused);
	if (ext4_group_has_csum(fs))
		ext4_put16(d + BG_FLAGS, grp->flags);
	if (!fs->metadata_csum)
		return;
	if (grp->bbitmap)
		desc_put(fs, d, BG_BLOCK_BITMAP_CSUM_LO, BG_BLOCK_BITMAP_CSUM_HI,
			 crc32c(fs->csum_seed, grp->bbitmap, fs->blocks_per_group / 8));
	if (grp->ibitmap)
		desc_put(fs, d, BG_INODE_BITMAP_CSUM_LO, BG_INODE_BITMAP_CSUM_HI,
			 crc32c(fs->csum_seed, grp->ibitmap, fs->inodes_per_group / 8));
	ext4_put16(d + BG_CHECKSUM, ext4_desc_csum(fs, g, d));
}

/* csum_ok - does bitmap @bm (@bytes of it) match the checksum at @lo/@hi of @g's descriptor? */
static int csum_ok(const struct ext4_fs *fs, uint32_t g, const uint8_t *bm, uint32_t bytes,
		   unsigned lo, unsigned hi)
{
	const uint8_t *d = fs->gdt + (size_t)g * fs->desc_size;
	uint32_t c = crc32c(fs->csum_seed, bm, bytes);

	if (!fs->metadata_csum)
		return 1;
	if (fs->desc_size < EXT4_DESC_SIZE_64BIT)
		return ext4_le16(d + lo) == (c & 0xffff);
	return ext4_le16(d + lo) == (c & 0xffff) && ext4_le16(d + hi) == c >> 16;
}

/* count_zero - the clear bits among the first @n of @bm. */
static uint32_t count_zero(const uint8_t *bm, uint32_t n)
{
	uint32_t z = 0;

	for (uint32_t i = 0; i < n; i++)
		z += !ext4_bit(bm, i);
	return z;
}

/*
 * load_group - read (or compute, for UNINIT) group @g's two bitmaps,
 * check their checksums and that they agree with the descriptor's free
 * counts, and set the padding bits e2fsck expects.
 */
static int load_group(struct ext4_fs *fs, uint32_t g)
{
	struct ext4_group *grp = &fs->groups[g];
	uint32_t bs = fs->block_size, nb = ext4_group_nblocks(fs, g);

	grp->bbitmap = ext4_alloc_mem(bs);
	grp->ibitmap = ext4_alloc_mem(bs);
	if (!grp->bbitmap || !grp->ibitmap)
		return -ENOMEM;
	if (grp->flags & EXT4_BG_BLOCK_UNINIT) {
		ext4_block_bitmap_compute(fs, g, grp->bbitmap);
	} else {
		if (fs->io.read(fs->io.ctx, grp->block_bitmap, 1, grp->bbitmap))
			return -EIO;
		if (!csum_ok(fs, g, grp->bbitmap, fs->blocks_per_group / 8,
			     BG_BLOCK_BITMAP_CSUM_LO, BG_BLOCK_BITMAP_CSUM_HI))
			return -EUCLEAN;
	}
	if (grp->flags & EXT4_BG_INODE_UNINIT) {
		memset(grp->ibitmap, 0, bs);
	} else {
		if (fs->io.read(fs->io.ctx, grp->inode_bitmap, 1, grp->ibitmap))
			return -EIO;
		if (!csum_ok(fs, g, grp->ibitmap, fs->inodes_per_group / 8,
			     BG_INODE_BITMAP_CSUM_LO, BG_INODE_BITMAP_CSUM_HI))
			return -EUCLEAN;
	}
	/* Padding: blocks past the file system's end, and past a group's inodes. */
	for (uint32_t i = nb; i < bs * 8; i++)
		ext4_set_bit(grp->bbitmap, i);
	for (uint32_t i = fs->inodes_per_group; i < bs * 8; i++)
		ext4_set_bit(grp->ibitmap, i);
	if (count_zero(grp->bbitmap, nb) != grp->free_blocks ||
	    count_zero(grp->ibitmap, fs->inodes_per_group) != grp->free_inodes)
		return -EUCLEAN;
	return 0;
}

/* marked - are blocks [@blk, @blk+@n) all in use in their groups' bitmaps? */
static int marked(const struct ext4_fs *fs, uint64_t blk, uint64_t n)
{
	for (uint64_t b = blk; b < blk + n; b++) {
		uint32_t g;

		if (ext4_group_of(fs, b, &g) ||
		    !ext4_bit(fs->groups[g].bbitmap, (uint32_t)(b - ext4_group_first(fs, g))))
			return 0;
	}
	return 1;
}

/*
 * ext4_bitmaps_load - load every group's bitmaps (see load_group), then
 * check that every group's bitmaps, inode table and super block copy are
 * marked in use: only then is a clear bit safe to allocate.
 */
int ext4_bitmaps_load(struct ext4_fs *fs)
{
	int err = 0;

	for (uint32_t g = 0; g < fs->ngroups && !err; g++)
		if (!fs->groups[g].bbitmap)
			err = load_group(fs, g);
	for (uint32_t g = 0; g < fs->ngroups && !err; g++) {
		struct ext4_group *grp = &fs->groups[g];

		if (!marked(fs, grp->block_bitmap, 1) || !marked(fs, grp->inode_bitmap, 1) ||
		    !marked(fs, grp->inode_table, ext4_itable_blocks(fs)) ||
		    !marked(fs, ext4_group_first(fs, g), ext4_group_super_blocks(fs, g)))
			err = -EUCLEAN;
	}
	if (err) {
		for (uint32_t g = 0; g < fs->ngroups; g++) {
			ext4_free_mem(fs->groups[g].bbitmap);
			ext4_free_mem(fs->groups[g].ibitmap);
			fs->groups[g].bbitmap = fs->groups[g].ibitmap = 0;
		}
	}
	return err;
}
