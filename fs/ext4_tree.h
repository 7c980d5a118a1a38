/*
 * ext4_tree.h - what ext4_extent.c, ext4_extent_write.c and ext4_dir.c
 * share (internal to the ext4 library): little-endian field access, the
 * per-inode checksum seed, the extent format's constants.
 */
#ifndef HOLSTEIN_EXT4_TREE_H
#define HOLSTEIN_EXT4_TREE_H

#include "ext4.h"
#include "../kernel/errno.h"

#ifndef EUCLEAN
#define EUCLEAN		117	/* Linux's EFSCORRUPTED */
#endif

#define EXT4X_MAGIC		0xF30A
#define EXT4X_HDR		12	/* node header */
#define EXT4X_ENT		12	/* one extent or index entry */
#define EXT4X_TAIL		4	/* crc32c after eh_max entries */
#define EXT4X_MAX_DEPTH		5	/* Linux's EXT4_MAX_EXTENT_DEPTH */
#define EXT4X_INIT_MAX		32768u	/* ee_len above this: unwritten, len - 32768 */
#define EXT4X_ROOT_MAX		4	/* (60 - 12) / 12 entries in i_block */
#define EXT4X_EXTENTS_FL	0x80000u
#define EXT4X_INDEX_FL		0x1000u

static inline uint16_t x_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t x_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void x_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void x_put32(uint8_t *p, uint32_t v)
{
	x_put16(p, v & 0xFFFF);
	x_put16(p + 2, v >> 16);
}

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

	x_put32(b, in->ino);
	c = crc32c(fs->csum_seed, b, 4);
	x_put32(b, in->generation);
	return crc32c(c, b, 4);
}

/* ext4_tree_block_entries - entries in an extent tree block, leaving room for the tail. */
static inline uint32_t ext4_tree_block_entries(const struct ext4_fs *fs)
{
	return (fs->block_size - EXT4X_HDR - EXT4X_TAIL) / EXT4X_ENT;
}

#endif
