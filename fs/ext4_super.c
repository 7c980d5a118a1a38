/*
 * ext4_super.c - the super block and the group descriptors: open (check
 * everything before trusting it), load the bitmaps, flush the counts
 * back, close.
 *
 * Nothing read from the disk is used before it is checked: the geometry
 * (block size, group sizes and counts), the features, the checksums, and
 * every descriptor's bitmap and inode table locations, so that the rest
 * of the library can index bitmaps and inode tables without re-checking.
 * The descriptor table is kept as read (fs->gdt) and rewritten in place
 * at flush, so fields this library does not interpret survive.
 */
#include "../kernel/string.h"
#include "../kernel/errno.h"
#include "ext4_int.h"
#include "ext4_mem.h"

/* power_of(g, b) - is @g a power of @b (1 counts)? */
static int power_of(uint32_t g, uint32_t b)
{
	while (g > 1 && g % b == 0)
		g /= b;
	return g == 1;
}

/*
 * ext4_group_has_super - does group @g hold a copy of the super block
 * and descriptors?  All do, unless sparse_super keeps only 0, 1 and the
 * powers of 3, 5 and 7.
 */
int ext4_group_has_super(const struct ext4_fs *fs, uint32_t g)
{
	if (g <= 1 || !(fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return 1;
	if (!(g & 1))
		return 0;
	return power_of(g, 3) || power_of(g, 5) || power_of(g, 7);
}

/* ext4_gdt_blocks - the blocks the descriptor table fills. */
uint32_t ext4_gdt_blocks(const struct ext4_fs *fs)
{
	return (uint32_t)(((uint64_t)fs->ngroups * fs->desc_size + fs->block_size - 1) /
			  fs->block_size);
}

/*
 * ext4_group_super_blocks - the blocks at the start of group @g taken by
 * a super block copy, the descriptors and the GDT blocks reserved for
 * growth (resize_inode): 0 in a group without a copy.
 */
uint32_t ext4_group_super_blocks(const struct ext4_fs *fs, uint32_t g)
{
	if (!ext4_group_has_super(fs, g))
		return 0;
	return 1 + ext4_gdt_blocks(fs) + ext4_le16(fs->sb + SB_RESERVED_GDT_BLOCKS);
}

/*
 * ext4_desc_csum - the metadata_csum checksum of descriptor @desc of
 * group @g: crc32c over the group number and the descriptor with its
 * checksum field taken as zero, low 16 bits.
 */
uint16_t ext4_desc_csum(const struct ext4_fs *fs, uint32_t g, const uint8_t *desc)
{
	uint8_t le[4], zero[2] = { 0, 0 };
	uint32_t c;

	ext4_put32(le, g);
	c = crc32c(fs->csum_seed, le, 4);
	c = crc32c(c, desc, BG_CHECKSUM);
	c = crc32c(c, zero, 2);
	c = crc32c(c, desc + BG_CHECKSUM + 2, fs->desc_size - BG_CHECKSUM - 2);
	return (uint16_t)c;
}

/* sb_csum - the super block's checksum: crc32c(~0) of everything before it. */
static uint32_t sb_csum(const uint8_t *sb)
{
	return crc32c(~0u, sb, SB_CHECKSUM);
}

/*
 * check_features - what the feature words allow: unknown incompat ones
 * never, and for read-write neither unknown ro_compat ones nor a journal
 * that needs replaying.  0 or -EINVAL with @why.
 */
static int check_features(struct ext4_fs *fs, char *why, size_t len)
{
	uint32_t bad_incompat = fs->feat_incompat & ~EXT4_INCOMPAT_KNOWN;

	if (bad_incompat) {
		ext4_set_why(why, len, "unsupported incompat features");
		return -EINVAL;
	}
	if (fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_BIGALLOC) {
		ext4_set_why(why, len, "bigalloc is not supported");
		return -EINVAL;
	}
	if (fs->rdonly)
		return 0;
	if (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_RECOVER) {
		ext4_set_why(why, len, "journal needs recovery: mount read-only or run e2fsck");
		return -EINVAL;
	}
	if (fs->feat_ro_compat & ~EXT4_RO_COMPAT_KNOWN) {
		ext4_set_why(why, len, "unsupported ro_compat features: mount read-only");
		return -EINVAL;
	}
	if (fs->feat_compat & EXT4_FEATURE_COMPAT_SPARSE_SUPER2) {
		ext4_set_why(why, len, "sparse_super2 is not supported read-write");
		return -EINVAL;
	}
	return 0;
}

/*
 * check_sizes - block size, group sizes, inode size, descriptor size of
 * the super block in fs->sb.  0 or -EUCLEAN with @why.
 */
static int check_sizes(struct ext4_fs *fs, char *why, size_t len)
{
	const uint8_t *sb = fs->sb;
	uint32_t log = ext4_le32(sb + SB_LOG_BLOCK_SIZE);

	if (log > 6 || ext4_le32(sb + SB_LOG_CLUSTER_SIZE) != log) {
		ext4_set_why(why, len, "bad block size");
		return -EUCLEAN;
	}
	fs->block_size = 1024u << log;
	fs->blocks_per_group = ext4_le32(sb + SB_BLOCKS_PER_GROUP);
	fs->inodes_per_group = ext4_le32(sb + SB_INODES_PER_GROUP);
	if (fs->blocks_per_group < 8 || fs->blocks_per_group > fs->block_size * 8 ||
	    fs->blocks_per_group % 8 || ext4_le32(sb + SB_CLUSTERS_PER_GROUP) != fs->blocks_per_group ||
	    fs->inodes_per_group < 8 || fs->inodes_per_group > fs->block_size * 8 ||
	    fs->inodes_per_group % 8) {
		ext4_set_why(why, len, "bad blocks or inodes per group");
		return -EUCLEAN;
	}
	fs->inode_size = EXT4_GOOD_OLD_INODE_SIZE;
	fs->first_ino = EXT4_GOOD_OLD_FIRST_INO;
	if (ext4_le32(sb + SB_REV_LEVEL) >= 1) {
		fs->inode_size = ext4_le16(sb + SB_INODE_SIZE);
		fs->first_ino = ext4_le32(sb + SB_FIRST_INO);
	}
	if (fs->inode_size < EXT4_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
	    fs->inode_size > sizeof(((struct ext4_inode *)0)->raw) ||
	    (fs->inode_size & (fs->inode_size - 1))) {
		ext4_set_why(why, len, "bad inode size");
		return -EUCLEAN;
	}
	fs->desc_size = EXT4_DESC_SIZE_MIN;
	if (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_64BIT) {
		fs->desc_size = ext4_le16(sb + SB_DESC_SIZE);
		if (fs->desc_size < EXT4_DESC_SIZE_64BIT || fs->desc_size > 1024 ||
		    (fs->desc_size & (fs->desc_size - 1))) {
			ext4_set_why(why, len, "bad group descriptor size");
			return -EUCLEAN;
		}
	}
	return 0;
}

/*
 * check_counts - blocks and inodes counts against the group geometry;
 * sets ngroups.  The group count is bounded (a million groups is a
 * 128 PiB file system at 4 KiB blocks) so that no hostile count makes
 * the tables below enormous.  0 or -EUCLEAN with @why.
 */
static int check_counts(struct ext4_fs *fs, char *why, size_t len)
{
	const uint8_t *sb = fs->sb;
	uint64_t ngroups;
	uint32_t reserved = ext4_le16(sb + SB_RESERVED_GDT_BLOCKS);

	fs->blocks_count = ext4_le32(sb + SB_BLOCKS_COUNT_LO);
	if (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)ext4_le32(sb + SB_BLOCKS_COUNT_HI) << 32;
	fs->first_data_block = ext4_le32(sb + SB_FIRST_DATA_BLOCK);
	fs->inodes_count = ext4_le32(sb + SB_INODES_COUNT);
	if (fs->first_data_block != (fs->block_size == 1024 ? 1u : 0u) ||
	    fs->blocks_count <= fs->first_data_block || fs->blocks_count >> 60) {
		ext4_set_why(why, len, "bad blocks count or first data block");
		return -EUCLEAN;
	}
	ngroups = (fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) /
		  fs->blocks_per_group;
	if (ngroups > (1u << 20) || ngroups * fs->inodes_per_group != fs->inodes_count) {
		ext4_set_why(why, len, "inodes count does not match the groups");
		return -EUCLEAN;
	}
	fs->ngroups = (uint32_t)ngroups;
	if (fs->first_ino < EXT4_GOOD_OLD_FIRST_INO || fs->first_ino >= fs->inodes_count) {
		ext4_set_why(why, len, "bad first inode");
		return -EUCLEAN;
	}
	/* The primary descriptors and reserved GDT blocks must fit in group 0. */
	if (reserved > fs->block_size / 4 ||
	    ext4_group_super_blocks(fs, 0) > ext4_group_nblocks(fs, 0)) {
		ext4_set_why(why, len, "descriptor table does not fit in group 0");
		return -EUCLEAN;
	}
	return 0;
}

/*
 * read_super - read the super block (the io in 1 KiB units), check magic,
 * checksum, features and geometry, then switch the io to the block size.
 */
static int read_super(struct ext4_fs *fs, char *why, size_t len)
{
	uint8_t *sb = fs->sb;
	int err;

	if (fs->io.read(fs->io.ctx, EXT4_SB_OFFSET / 1024, 1, sb))
		return -EIO;
	if (ext4_le16(sb + SB_MAGIC) != EXT4_SB_MAGIC) {
		ext4_set_why(why, len, "not an ext2/3/4 file system");
		return -EINVAL;
	}
	fs->feat_compat = ext4_le32(sb + SB_FEATURE_COMPAT);
	fs->feat_incompat = ext4_le32(sb + SB_FEATURE_INCOMPAT);
	fs->feat_ro_compat = ext4_le32(sb + SB_FEATURE_RO_COMPAT);
	fs->metadata_csum = !!(fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_METADATA_CSUM);
	if (fs->metadata_csum && (sb[SB_CHECKSUM_TYPE] != 1 ||
				  sb_csum(sb) != ext4_le32(sb + SB_CHECKSUM))) {
		ext4_set_why(why, len, "super block checksum does not match");
		return -EUCLEAN;
	}
	err = check_features(fs, why, len);
	if (!err)
		err = check_sizes(fs, why, len);
	if (!err)
		err = check_counts(fs, why, len);
	if (err)
		return err;
	memcpy(fs->uuid, sb + SB_UUID, 16);
	memcpy(fs->volume_name, sb + SB_VOLUME_NAME, 16);
	fs->volume_name[16] = 0;
	if (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_CSUM_SEED)
		fs->csum_seed = ext4_le32(sb + SB_CHECKSUM_SEED);
	else
		fs->csum_seed = crc32c(~0u, fs->uuid, 16);
	err = fs->io.set_block_size(fs->io.ctx, fs->block_size);
	if (err)
		ext4_set_why(why, len, "block size not supported here");
	return err;
}

/* ext4_fs_open - see ext4.h: read_super, then the descriptors. */
int ext4_fs_open(struct ext4_fs *fs, const struct ext4_io *io, int rdonly, char *why,
		 size_t whylen)
{
	int err;

	memset(fs, 0, sizeof(*fs));
	ext4_set_why(why, whylen, "");
	if (!io || !io->read || !io->set_block_size || (!rdonly && !io->write))
		return -EINVAL;
	fs->io = *io;
	fs->rdonly = rdonly;
	err = read_super(fs, why, whylen);
	if (!err)
		err = ext4_groups_parse(fs, why, whylen);
	if (err) {
		if (err == -EIO)
			ext4_set_why(why, whylen, "read error");
		else if (err == -ENOMEM)
			ext4_set_why(why, whylen, "out of memory");
		ext4_fs_close(fs);
	}
	return err;
}

/* ext4_fs_close - see ext4.h. */
void ext4_fs_close(struct ext4_fs *fs)
{
	if (fs->groups) {
		for (uint32_t g = 0; g < fs->ngroups; g++) {
			ext4_free_mem(fs->groups[g].bbitmap);
			ext4_free_mem(fs->groups[g].ibitmap);
		}
	}
	ext4_free_mem(fs->groups);
	ext4_free_mem(fs->gdt);
	fs->groups = 0;
	fs->gdt = 0;
}

/*
 * write_super - the super block with the current free counts, write time
 * @now and checksum.  It sits at byte 1024: block 1 with 1 KiB blocks,
 * else inside block 0, whose first KiB (boot code) is read back first.
 */
static int write_super(struct ext4_fs *fs, uint8_t *blk, int64_t now)
{
	uint8_t *sb = fs->sb;
	uint64_t where = fs->block_size == 1024 ? 1 : 0;
	uint32_t off = fs->block_size == 1024 ? 0 : EXT4_SB_OFFSET;

	ext4_put32(sb + SB_FREE_BLOCKS_LO, (uint32_t)fs->free_blocks);
	if (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_64BIT)
		ext4_put32(sb + SB_FREE_BLOCKS_HI, (uint32_t)(fs->free_blocks >> 32));
	ext4_put32(sb + SB_FREE_INODES, fs->free_inodes);
	ext4_put32(sb + SB_WTIME, (uint32_t)now);
	sb[SB_WTIME_HI] = (uint8_t)((uint64_t)now >> 32);
	if (fs->metadata_csum)
		ext4_put32(sb + SB_CHECKSUM, sb_csum(sb));
	if (off && fs->io.read(fs->io.ctx, where, 1, blk))
		return -EIO;
	memcpy(blk + off, sb, 1024);
	return fs->io.write(fs->io.ctx, where, 1, blk) ? -EIO : 0;
}

/*
 * write_groups - every dirty group's bitmaps and descriptor; then the
 * descriptor blocks that hold a dirty descriptor.  A group stays dirty
 * until all of it is written.
 */
static int write_groups(struct ext4_fs *fs, uint8_t *blk)
{
	uint32_t per = fs->block_size / fs->desc_size, nblk = ext4_gdt_blocks(fs);

	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext4_group *grp = &fs->groups[g];

		if (!grp->dirty)
			continue;
		if (grp->bbitmap && fs->io.write(fs->io.ctx, grp->block_bitmap, 1, grp->bbitmap))
			return -EIO;
		if (grp->ibitmap && fs->io.write(fs->io.ctx, grp->inode_bitmap, 1, grp->ibitmap))
			return -EIO;
		ext4_group_encode(fs, g);
	}
	for (uint32_t i = 0; i < nblk; i++) {
		uint32_t first = i * per, n = fs->ngroups - first < per ? fs->ngroups - first : per;
		int dirty = 0;

		for (uint32_t g = first; g < first + n; g++)
			dirty |= fs->groups[g].dirty;
		if (!dirty)
			continue;
		memset(blk, 0, fs->block_size);
		memcpy(blk, fs->gdt + (size_t)first * fs->desc_size, (size_t)n * fs->desc_size);
		if (fs->io.write(fs->io.ctx, fs->first_data_block + 1 + i, 1, blk))
			return -EIO;
		for (uint32_t g = first; g < first + n; g++)
			fs->groups[g].dirty = 0;
	}
	return 0;
}

/* ext4_fs_flush - see ext4.h.  Nothing to do on a read-only file system. */
int ext4_fs_flush(struct ext4_fs *fs, int64_t now)
{
	uint8_t *blk;
	int err;

	if (fs->rdonly)
		return 0;
	blk = ext4_alloc_mem(fs->block_size);
	if (!blk)
		return -ENOMEM;
	err = write_groups(fs, blk);
	if (!err)
		err = write_super(fs, blk, now);
	ext4_free_mem(blk);
	if (!err && fs->io.flush && fs->io.flush(fs->io.ctx))
		err = -EIO;
	if (!err)
		fs->sb_dirty = 0;
	return err;
}
