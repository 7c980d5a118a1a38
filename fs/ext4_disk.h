/*
 * ext4_disk.h - the ext4 on-disk layouts this library reads and writes:
 * byte offsets into the super block, a group descriptor and an inode,
 * the feature flags, and little-endian accessors.
 *
 * Offsets rather than packed structs: every field is read through le16/
 * le32 from a byte buffer of a known length, so a hostile image can make
 * no unaligned or out-of-bounds access, and host and RISC-V agree.
 * Extent and directory layouts live with their code (ext4_extent.c,
 * ext4_dir.c).  Private to fs/ext4_*.c.
 */
#ifndef HOLSTEIN_EXT4_DISK_H
#define HOLSTEIN_EXT4_DISK_H

#include <stdint.h>

#ifndef EUCLEAN
#define EUCLEAN		117	/* Linux's EFSCORRUPTED */
#endif

/* --- little-endian access ---------------------------------------------- */

static inline uint16_t ext4_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t ext4_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void ext4_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void ext4_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* --- the super block: 1024 bytes at byte 1024 of the device -------------- */

#define EXT4_SB_OFFSET		1024
#define EXT4_SB_MAGIC		0xEF53

#define SB_INODES_COUNT		0x000
#define SB_BLOCKS_COUNT_LO	0x004
#define SB_R_BLOCKS_COUNT_LO	0x008
#define SB_FREE_BLOCKS_LO	0x00C
#define SB_FREE_INODES		0x010
#define SB_FIRST_DATA_BLOCK	0x014
#define SB_LOG_BLOCK_SIZE	0x018
#define SB_LOG_CLUSTER_SIZE	0x01C
#define SB_BLOCKS_PER_GROUP	0x020
#define SB_CLUSTERS_PER_GROUP	0x024
#define SB_INODES_PER_GROUP	0x028
#define SB_MTIME		0x02C
#define SB_WTIME		0x030
#define SB_MAGIC		0x038	/* le16 */
#define SB_STATE		0x03A	/* le16: 1 clean, 2 errors */
#define SB_REV_LEVEL		0x04C
#define SB_FIRST_INO		0x054
#define SB_INODE_SIZE		0x058	/* le16 */
#define SB_FEATURE_COMPAT	0x05C
#define SB_FEATURE_INCOMPAT	0x060
#define SB_FEATURE_RO_COMPAT	0x064
#define SB_UUID			0x068	/* 16 bytes */
#define SB_VOLUME_NAME		0x078	/* 16 bytes */
#define SB_RESERVED_GDT_BLOCKS	0x0CE	/* le16 */
#define SB_JOURNAL_INUM		0x0E0
#define SB_LAST_ORPHAN		0x0E8
#define SB_DESC_SIZE		0x0FE	/* le16 */
#define SB_FIRST_META_BG	0x104
#define SB_BLOCKS_COUNT_HI	0x150
#define SB_R_BLOCKS_COUNT_HI	0x154
#define SB_FREE_BLOCKS_HI	0x158
#define SB_WANT_EXTRA_ISIZE	0x15E	/* le16 */
#define SB_LOG_GROUPS_PER_FLEX	0x174	/* u8 */
#define SB_CHECKSUM_TYPE	0x175	/* u8: 1 = crc32c */
#define SB_CHECKSUM_SEED	0x270
#define SB_WTIME_HI		0x274	/* u8 */
#define SB_CHECKSUM		0x3FC

/* Feature flags (the names are mke2fs's). */
#define EXT4_FEATURE_COMPAT_HAS_JOURNAL		0x0004
#define EXT4_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT4_FEATURE_COMPAT_RESIZE_INODE	0x0010
#define EXT4_FEATURE_COMPAT_DIR_INDEX		0x0020
#define EXT4_FEATURE_COMPAT_SPARSE_SUPER2	0x0200

#define EXT4_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT4_FEATURE_INCOMPAT_RECOVER		0x0004
#define EXT4_FEATURE_INCOMPAT_JOURNAL_DEV	0x0008
#define EXT4_FEATURE_INCOMPAT_META_BG		0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS		0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT		0x0080
#define EXT4_FEATURE_INCOMPAT_MMP		0x0100
#define EXT4_FEATURE_INCOMPAT_FLEX_BG		0x0200
#define EXT4_FEATURE_INCOMPAT_CSUM_SEED		0x2000
#define EXT4_FEATURE_INCOMPAT_INLINE_DATA	0x8000

#define EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT4_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE	0x0008
#define EXT4_FEATURE_RO_COMPAT_GDT_CSUM		0x0010
#define EXT4_FEATURE_RO_COMPAT_DIR_NLINK	0x0020
#define EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE	0x0040
#define EXT4_FEATURE_RO_COMPAT_BIGALLOC		0x0200
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM	0x0400

/* What this library reads (incompat) and writes correctly (ro_compat). */
#define EXT4_INCOMPAT_KNOWN (EXT4_FEATURE_INCOMPAT_FILETYPE | EXT4_FEATURE_INCOMPAT_RECOVER | \
			     EXT4_FEATURE_INCOMPAT_EXTENTS | EXT4_FEATURE_INCOMPAT_64BIT | \
			     EXT4_FEATURE_INCOMPAT_FLEX_BG | EXT4_FEATURE_INCOMPAT_CSUM_SEED)
#define EXT4_RO_COMPAT_KNOWN (EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER | \
			      EXT4_FEATURE_RO_COMPAT_LARGE_FILE | \
			      EXT4_FEATURE_RO_COMPAT_HUGE_FILE | EXT4_FEATURE_RO_COMPAT_DIR_NLINK | \
			      EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE | \
			      EXT4_FEATURE_RO_COMPAT_METADATA_CSUM)

/* --- a group descriptor: 32 bytes, or desc_size (>= 64) with 64bit ------ */

#define EXT4_DESC_SIZE_MIN	32
#define EXT4_DESC_SIZE_64BIT	64

#define BG_BLOCK_BITMAP_LO	0x00
#define BG_INODE_BITMAP_LO	0x04
#define BG_INODE_TABLE_LO	0x08
#define BG_FREE_BLOCKS_LO	0x0C	/* le16 */
#define BG_FREE_INODES_LO	0x0E	/* le16 */
#define BG_USED_DIRS_LO		0x10	/* le16 */
#define BG_FLAGS		0x12	/* le16 */
#define BG_BLOCK_BITMAP_CSUM_LO	0x18	/* le16 */
#define BG_INODE_BITMAP_CSUM_LO	0x1A	/* le16 */
#define BG_ITABLE_UNUSED_LO	0x1C	/* le16 */
#define BG_CHECKSUM		0x1E	/* le16 */
#define BG_BLOCK_BITMAP_HI	0x20
#define BG_INODE_BITMAP_HI	0x24
#define BG_INODE_TABLE_HI	0x28
#define BG_FREE_BLOCKS_HI	0x2C	/* le16 */
#define BG_FREE_INODES_HI	0x2E	/* le16 */
#define BG_USED_DIRS_HI		0x30	/* le16 */
#define BG_ITABLE_UNUSED_HI	0x32	/* le16 */
#define BG_BLOCK_BITMAP_CSUM_HI	0x38	/* le16 */
#define BG_INODE_BITMAP_CSUM_HI	0x3A	/* le16 */

#define EXT4_BG_INODE_UNINIT	0x0001
#define EXT4_BG_BLOCK_UNINIT	0x0002
#define EXT4_BG_INODE_ZEROED	0x0004

/* --- an inode: 128 bytes, plus i_extra_isize of the large-inode fields --- */

#define EXT4_GOOD_OLD_INODE_SIZE 128
#define EXT4_GOOD_OLD_FIRST_INO	11

#define I_MODE			0x00	/* le16 */
#define I_UID			0x02	/* le16 */
#define I_SIZE_LO		0x04
#define I_ATIME			0x08
#define I_CTIME			0x0C
#define I_MTIME			0x10
#define I_DTIME			0x14
#define I_GID			0x18	/* le16 */
#define I_LINKS_COUNT		0x1A	/* le16 */
#define I_BLOCKS_LO		0x1C
#define I_FLAGS			0x20
#define I_BLOCK			0x28	/* 60 bytes */
#define I_GENERATION		0x64
#define I_FILE_ACL_LO		0x68
#define I_SIZE_HIGH		0x6C
#define I_BLOCKS_HIGH		0x74	/* le16 */
#define I_FILE_ACL_HIGH		0x76	/* le16 */
#define I_UID_HIGH		0x78	/* le16 */
#define I_GID_HIGH		0x7A	/* le16 */
#define I_CHECKSUM_LO		0x7C	/* le16 */
#define I_EXTRA_ISIZE		0x80	/* le16 */
#define I_CHECKSUM_HI		0x82	/* le16 */
#define I_CTIME_EXTRA		0x84
#define I_MTIME_EXTRA		0x88
#define I_ATIME_EXTRA		0x8C
#define I_CRTIME		0x90
#define I_CRTIME_EXTRA		0x94

/* The extra fields this library fills in a new inode: up to i_crtime_extra and beyond (32). */
#define EXT4_WANT_EXTRA_ISIZE	32

#define EXT4_INDEX_FL		0x00001000
#define EXT4_HUGE_FILE_FL	0x00040000
#define EXT4_EXTENTS_FL		0x00080000

#endif
