/*
 * ext4_int.h - what the parts of the ext4 library share and callers do
 * not see: group geometry, checksums, bitmap loading.  Private to
 * fs/ext4_*.c; the contract is fs/ext4.h.
 */
#ifndef HOLSTEIN_EXT4_INT_H
#define HOLSTEIN_EXT4_INT_H

#include "ext4.h"
#include "ext4_disk.h"

/* ext4_sb_le32 - field @off of the super block as read. */
static inline uint32_t ext4_sb_le32(const struct ext4_fs *fs, unsigned off)
{
	return ext4_le32(fs->sb + off);
}

/* ext4_group_first - the first block of group @g. */
static inline uint64_t ext4_group_first(const struct ext4_fs *fs, uint32_t g)
{
	return fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
}

/* ext4_group_nblocks - how many blocks group @g has (the last one may be short). */
static inline uint32_t ext4_group_nblocks(const struct ext4_fs *fs, uint32_t g)
{
	uint64_t left = fs->blocks_count - ext4_group_first(fs, g);

	return left < fs->blocks_per_group ? (uint32_t)left : fs->blocks_per_group;
}

/* ext4_itable_blocks - the blocks of one group's inode table. */
static inline uint32_t ext4_itable_blocks(const struct ext4_fs *fs)
{
	return (uint32_t)(((uint64_t)fs->inodes_per_group * fs->inode_size + fs->block_size - 1) /
			  fs->block_size);
}

/* ext4_group_has_csum - do descriptors carry checksums (and so UNINIT flags mean something)? */
static inline int ext4_group_has_csum(const struct ext4_fs *fs)
{
	return fs->metadata_csum || (fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_GDT_CSUM);
}

int ext4_group_has_super(const struct ext4_fs *fs, uint32_t g);
uint32_t ext4_group_super_blocks(const struct ext4_fs *fs, uint32_t g);
uint32_t ext4_gdt_blocks(const struct ext4_fs *fs);
uint16_t ext4_desc_csum(const struct ext4_fs *fs, uint32_t g, const uint8_t *desc);

/* ext4_bit / ext4_set_bit / ext4_clear_bit - bit @i of bitmap @bm (ext4's order: LSB first). */
static inline int ext4_bit(const uint8_t *bm, uint32_t i)
{
	return bm[i >> 3] >> (i & 7) & 1;
}

static inline void ext4_set_bit(uint8_t *bm, uint32_t i)
{
	bm[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static inline void ext4_clear_bit(uint8_t *bm, uint32_t i)
{
	bm[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

/* ext4_group.c: descriptors and bitmaps */
int ext4_groups_parse(struct ext4_fs *fs, char *why, size_t len);
void ext4_group_encode(struct ext4_fs *fs, uint32_t g);
int ext4_group_of(const struct ext4_fs *fs, uint64_t blk, uint32_t *g);

/* ext4_alloc.c */
void ext4_block_bitmap_compute(const struct ext4_fs *fs, uint32_t g, uint8_t *bm);

/* ext4_set_why - copy @msg into @why (at most @len bytes, NUL-terminated). */
static inline void ext4_set_why(char *why, size_t len, const char *msg)
{
	size_t i = 0;

	if (!why || !len)
		return;
	for (; msg[i] && i + 1 < len; i++)
		why[i] = msg[i];
	why[i] = 0;
}

#endif
