/*
 * ext4_tree.h - what ext4_extent.c, ext4_extent_write.c and ext4_dir.c
 * share (internal to the ext4 library): the per-inode checksum seed and
 * the extent format's constants.
 */
#ifndef HOLSTEIN_EXT4_TREE_H
#define HOLSTEIN_EXT4_TREE_H

#include "ext4.h"
#include "ext4_disk.h"
#include "../kernel/errno.h"

#define EXT4X_MAGIC		0xF30A
#define EXT4X_HDR		12	/* node header */
#define EXT4X_ENT		12	/* one extent or index entry */
#define EXT4X_TAIL		4	/* crc32c after eh_max entries */
#define EXT4X_MAX_DEPTH		5	/* Linux's EXT4_MAX_EXTENT_DEPTH */
#define EXT4X_INIT_MAX		32768u	/* ee_len above this: unwritten, len - 32768 */
#define EXT4X_ROOT_MAX		4	/* (60 - 12) / 12 entries in i_block */

/*
 * ext4_tree_seed - the checksum seed of @in's extent and directory
 * blocks: the file system's seed continued over the inode number, then
 * over the generation (both little-endian), so a block moved to another
 * inode, or left from a deleted one, fails its check.
 */
static inline uint32_t ext4_tree_seed(const struct ext4_fs *fs, const struct ext4_inode *in)
{
	uint8_t b[4];
	uint32_t c;

	ext4_put32(b, in->ino);
	c = crc32c(fs->csum_seed, b, 4);
	ext4_put32(b, in->generation);
	return crc32c(c, b, 4);
}

/* ext4_tree_block_entries - entries in an extent tree block, leaving room for the tail. */
static inline uint32_t ext4_tree_block_entries(const struct ext4_fs *fs)
{
	return (fs->block_size - EXT4X_HDR - EXT4X_TAIL) / EXT4X_ENT;
}

#endif
