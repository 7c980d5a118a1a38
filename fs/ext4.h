/*
 * ext4.h - the ext4 on-disk format as a library: pure logic over a block
 * reader/writer, so the host tests run it over real images (made by
 * Debian's mke2fs, checked by e2fsck) and over thousands of corrupted ones.
 *
 * The library knows nothing of the VFS.  It parses and checks what is on
 * the disk (super block, group descriptors, bitmaps, inodes, extent trees,
 * directory blocks, all with their crc32c checksums) and writes the same
 * structures back.  The VFS side (ext4_vfs.c, ext4_sync.c) keeps the tree
 * in memory, as every Holstein file system does, and uses this library to
 * load it at mount and to write back what changed at sync.
 *
 * Features: the images Debian 12's `mke2fs -t ext4` makes (has_journal,
 * extent, huge_file, flex_bg, metadata_csum, 64bit, dir_nlink, extra_isize,
 * sparse_super, large_file, filetype, resize_inode, dir_index, ext_attr),
 * 1 KiB to 64 KiB blocks.  The journal is never written: a file system
 * whose journal needs recovery is refused read-write.
 *
 * Errors: a structure that is not what the format allows is -EUCLEAN
 * (Linux's EFSCORRUPTED), a failed read or write -EIO, a feature we do
 * not know -EINVAL (read-only: unknown ro_compat features are fine).  No
 * input, however hostile, makes the library read or write out of bounds
 * or loop without end.
 *
 * Locking: none inside.  The caller serialises calls on one ext4_fs
 * (ext4_vfs.c holds the file system's sleeping lock).
 */
#ifndef HOLSTEIN_EXT4_H
#define HOLSTEIN_EXT4_H

#include <stdint.h>
#include <stddef.h>

#define EXT4_ROOT_INO		2
#define EXT4_NAME_MAX		255
#define EXT4_N_BLOCKS_BYTES	60	/* i_block: extent root or fast symlink */

/*
 * The device, in file-system blocks.  read/write move @n whole blocks at
 * @blk; 0 or -EIO.  flush makes everything written so far durable (may be
 * NULL).  @ctx is the caller's.
 *
 * The block size is only known once the super block is read, so the io
 * starts in 1 KiB blocks: ext4_fs_open reads the super block as block 1,
 * checks it, then calls set_block_size(ctx, bytes) (1024..65536, a power
 * of two), after which every blk and n are in those units.  0, or -EINVAL
 * if the device cannot (then ext4_fs_open fails with it).
 */
struct ext4_io {
	int (*read)(void *ctx, uint64_t blk, uint32_t n, void *buf);
	int (*write)(void *ctx, uint64_t blk, uint32_t n, const void *buf);
	int (*flush)(void *ctx);
	int (*set_block_size)(void *ctx, uint32_t bytes);
	void *ctx;
};

/* One block group, parsed from its descriptor. */
struct ext4_group {
	uint64_t block_bitmap, inode_bitmap, inode_table;
	uint32_t free_blocks, free_inodes, used_dirs, itable_unused;
	uint16_t flags;			/* EXT4_BG_INODE_UNINIT 1, BLOCK_UNINIT 2, ITABLE_ZEROED 4 */
	uint8_t *bbitmap, *ibitmap;	/* loaded on first use, block_size bytes each */
	uint8_t dirty;			/* descriptor or bitmaps to write at ext4_fs_flush */
};

struct ext4_fs {
	struct ext4_io io;
	uint32_t block_size;		/* bytes: 1024 << s_log_block_size */
	uint64_t blocks_count, free_blocks, first_data_block;
	uint32_t inodes_count, free_inodes;
	uint32_t inodes_per_group, blocks_per_group, inode_size, desc_size;
	uint32_t ngroups;
	uint32_t feat_compat, feat_incompat, feat_ro_compat;
	uint32_t first_ino;		/* first non-reserved inode (11) */
	int metadata_csum;		/* checksums are crc32c, seeded with csum_seed */
	uint32_t csum_seed;		/* crc32c of the uuid (or s_checksum_seed) */
	int rdonly;
	uint8_t sb[1024];		/* the super block as read: written back with new counts */
	uint8_t *gdt;			/* the descriptor table as read, ngroups * desc_size */
	struct ext4_group *groups;
	int sb_dirty;
	char volume_name[17];
	uint8_t uuid[16];
};

/*
 * An inode, parsed.  raw keeps every byte as read (inode_size of them),
 * so that ext4_inode_write preserves the fields the library does not
 * interpret (xattrs in the inode body, i_file_acl, the project id...).
 */
struct ext4_inode {
	uint32_t ino;
	uint16_t mode;
	uint32_t uid, gid;
	uint16_t links;
	uint64_t size;
	uint64_t blocks;		/* i_blocks in 512-byte units (huge_file honoured) */
	uint32_t flags;			/* EXT4_EXTENTS_FL 0x80000, EXT4_INDEX_FL 0x1000, HUGE_FILE 0x40000 */
	uint32_t generation;
	int64_t atime, mtime, ctime, crtime, dtime;	/* seconds */
	uint32_t atime_ns, mtime_ns, ctime_ns, crtime_ns;
	uint32_t rdev;			/* devices: Linux's new encoding, from i_block */
	uint8_t block[EXT4_N_BLOCKS_BYTES];	/* i_block, as on disk */
	uint8_t raw[1024];		/* the whole on-disk inode (inode_size <= 1024) */
};

/* One run of a file's blocks: logical @lblk.. maps to physical @pblk... */
struct ext4_extent {
	uint32_t lblk;
	uint32_t len;			/* blocks, 1..32768 */
	uint64_t pblk;
	int uninit;			/* allocated but unwritten: reads as zeros */
};

/* A file's extents in logical order, and the tree blocks that held them. */
struct ext4_extents {
	struct ext4_extent *ext;	/* kmalloc'd (host: malloc'd); NULL when n == 0 */
	uint32_t n, cap;
	uint64_t *tree;			/* index and leaf blocks below the inode */
	uint32_t ntree, tree_cap;
};

/* A directory entry, as ext4_dir_parse reports it and ext4_dir_build takes it. */
struct ext4_dirent {
	uint32_t ino;
	uint8_t type;			/* EXT4_FT_*: 1 reg, 2 dir, 3 chr, 4 blk, 5 fifo, 6 sock, 7 symlink */
	uint8_t name_len;
	const char *name;		/* not NUL-terminated */
};

/* --- ext4_super.c: mount, flush, counts ---------------------------------- */

/*
 * ext4_fs_open - read and check the super block and the group descriptors
 * of the device behind @io.  @rdonly: refuse nothing a read-only mount
 * can do; otherwise also refuse unknown ro_compat features and a journal
 * that needs recovery (-EINVAL, with the reason in @why for the log).
 * 0 with @fs filled, or -EINVAL (not ext4 / unsupported), -EUCLEAN, -EIO,
 * -ENOMEM.
 */
int ext4_fs_open(struct ext4_fs *fs, const struct ext4_io *io, int rdonly, char *why,
		 size_t whylen);
/*
 * ext4_bitmaps_load - read every group's bitmaps now (checked against
 * their checksums; BLOCK_UNINIT/INODE_UNINIT ones computed), so that the
 * allocator below never does I/O: the VFS calls it at a read-write mount
 * and then allocates under a spinlock.  0 or -EUCLEAN, -EIO, -ENOMEM.
 */
int ext4_bitmaps_load(struct ext4_fs *fs);
/* ext4_fs_close - free what ext4_fs_open and the allocator made (no I/O). */
void ext4_fs_close(struct ext4_fs *fs);
/*
 * ext4_fs_flush - write every dirty bitmap (with its checksum in the
 * descriptor), every dirty descriptor and the super block (free counts,
 * write time @now, checksum), then io.flush.  0 or -EIO.
 */
int ext4_fs_flush(struct ext4_fs *fs, int64_t now);

/* --- ext4_alloc.c: blocks and inodes ----------------------------------- */

/*
 * ext4_block_alloc - allocate up to @want (>= 1) contiguous free blocks,
 * trying @goal first, then anywhere.  The first in *@start, how many in
 * *@got.  Groups still BLOCK_UNINIT get their bitmap computed first.
 * 0 or -ENOSPC, -EUCLEAN, -EIO.  Counts (group, super) follow.
 */
int ext4_block_alloc(struct ext4_fs *fs, uint64_t goal, uint32_t want, uint64_t *start,
		     uint32_t *got);
/* ext4_block_free - give back @n blocks from @start: -EUCLEAN if any was free or is metadata. */
int ext4_block_free(struct ext4_fs *fs, uint64_t start, uint32_t n);
/*
 * ext4_inode_alloc - a free inode number, near @parent's group; @dir
 * counts it in used_dirs.  INODE_UNINIT groups and itable_unused are kept
 * right.  0 with *@ino, or -ENOSPC, -EUCLEAN, -EIO.
 */
int ext4_inode_alloc(struct ext4_fs *fs, uint32_t parent, int dir, uint32_t *ino);
/* ext4_inode_free - mark @ino free (@dir: it was a directory). */
int ext4_inode_free(struct ext4_fs *fs, uint32_t ino, int dir);

/* --- ext4_inode.c: inodes ------------------------------------------------- */

/* ext4_inode_read - read inode @ino and check its checksum: 0, -EUCLEAN, -EIO. */
int ext4_inode_read(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *in);
/*
 * ext4_inode_init - a fresh in-memory inode @ino (mode, times zero, raw
 * zeroed with extra_isize set): what ext4_inode_write of a new file starts from.
 */
void ext4_inode_init(struct ext4_fs *fs, struct ext4_inode *in, uint32_t ino, uint16_t mode);
/* ext4_inode_write - store @in's fields into its raw bytes, checksum, write. 0 or -EIO. */
int ext4_inode_write(struct ext4_fs *fs, struct ext4_inode *in);

/* --- ext4_extent.c: a file's blocks --------------------------------------- */

/*
 * ext4_extents_read - every extent of @in (EXTENTS_FL set), in logical
 * order, checked: depth within bounds, no loop, no overlap, every block
 * inside the file system.  0 or -EUCLEAN, -EIO, -ENOMEM.  An inode with
 * no EXTENTS_FL and no blocks (a fast symlink, a device) gives n == 0.
 */
int ext4_extents_read(struct ext4_fs *fs, const struct ext4_inode *in, struct ext4_extents *out);
/*
 * ext4_extents_write - make @in's tree hold exactly @ext (in logical
 * order, non-overlapping): frees the old tree's blocks (@ext->tree),
 * allocates and writes what the new tree needs (near @ext's first block),
 * sets in->block, EXTENTS_FL, and in->blocks (data + tree).  The caller
 * then writes the inode.  0 or -ENOSPC, -EIO.
 */
int ext4_extents_write(struct ext4_fs *fs, struct ext4_inode *in, struct ext4_extents *ext);
/* ext4_extents_free - free the memory (not the blocks) of @e. */
void ext4_extents_free(struct ext4_extents *e);
/* ext4_extents_map - the physical block of logical @lblk, 0 for a hole (or uninit). */
uint64_t ext4_extents_map(const struct ext4_extents *e, uint32_t lblk);

/* --- ext4_dir.c: directory blocks ----------------------------------------- */

/*
 * ext4_dir_parse - the entries of directory block @buf (block @lblk of
 * directory @in), checked (rec_len, name_len, the checksum tail, or a
 * dx_root/dx_node block of a hashed directory, whose index is skipped:
 * its leaves hold every name).  @cb is called for each live entry,
 * including "." and ".."; a non-zero return stops the walk and is
 * returned.  0, or -EUCLEAN.
 */
int ext4_dir_parse(struct ext4_fs *fs, const struct ext4_inode *in, uint32_t lblk,
		   const uint8_t *buf, int (*cb)(void *arg, const struct ext4_dirent *d),
		   void *arg);
/*
 * ext4_dir_build - lay out @n entries (the first two "." and "..") as
 * linear directory blocks with checksum tails, into @buf (room for @nblk
 * blocks).  Returns the number of blocks used (>= 1), or -ENOSPC if they
 * need more than @nblk.  The caller clears INDEX_FL on the directory.
 */
int ext4_dir_build(struct ext4_fs *fs, const struct ext4_inode *in, const struct ext4_dirent *d,
		   uint32_t n, uint8_t *buf, uint32_t nblk);
/* ext4_dir_blocks_needed - how many blocks ext4_dir_build needs for @n entries @d. */
uint32_t ext4_dir_blocks_needed(struct ext4_fs *fs, const struct ext4_dirent *d, uint32_t n);

/* --- crc32c.c ---------------------------------------------------------------- */

/* crc32c - the Castagnoli CRC of @len bytes, continuing @crc, without pre/post inversion (ext4's use). */
uint32_t crc32c(uint32_t crc, const void *p, size_t len);

#endif
