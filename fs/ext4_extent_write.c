/*
 * ext4_extent_write.c - rebuild a file's extent tree whole from its list
 * of extents (ext4_extents_write, contract in ext4.h).
 *
 * The VFS writes back with delayed allocation: at sync it knows every
 * extent of a file, so rather than editing the tree in place we lay out a
 * fresh one: up to 4 extents in the inode, else leaves packed full under
 * index levels packed full, as shallow as the count allows.  The old
 * tree's blocks are reused first, so a tree that does not grow needs no
 * allocation; surplus ones are freed only once the new tree is written.
 */
#include "ext4.h"
#include "ext4_tree.h"
#include "../kernel/string.h"
#include "ext4_mem.h"

/* A node being built: the first logical block under it, and where it is. */
struct ext4x_slot {
	uint32_t lblk;
	uint64_t blk;
};

/*
 * ext4x_check_list - 0 if @e is a list the format can hold: lengths
 * 1..32768 (unwritten: 1..32767), in logical order, not overlapping,
 * below 2^32.  -EINVAL otherwise (the caller's bug, not the disk's).
 */
static int ext4x_check_list(const struct ext4_extents *e)
{
	uint64_t next = 0;

	for (uint32_t i = 0; i < e->n; i++) {
		const struct ext4_extent *x = &e->ext[i];

		if (x->len == 0 || x->len > EXT4X_INIT_MAX - (x->uninit ? 1 : 0) ||
		    x->lblk < next || x->lblk + (uint64_t)x->len > (uint64_t)1 << 32)
			return -EINVAL;
		next = x->lblk + (uint64_t)x->len;
	}
	return 0;
}

/*
 * ext4x_shape - how deep the tree for @n extents is, and how many blocks
 * it needs below the inode (*@nblocks): leaves packed full, then index
 * levels packed full, until what is left fits in the inode's 4 entries.
 */
static int ext4x_shape(uint32_t n, uint32_t per_block, uint32_t *nblocks)
{
	int depth = 0;

	*nblocks = 0;
	while (n > EXT4X_ROOT_MAX) {
		n = (n + per_block - 1) / per_block;
		*nblocks += n;
		if (++depth > EXT4X_MAX_DEPTH)
			return -EINVAL;
	}
	return depth;
}

/*
 * ext4x_get_blocks - the @need tree blocks of the new tree, into @blks:
 * the old tree's blocks first (no allocation when the tree does not
 * grow), then fresh ones near @goal.  On failure the fresh ones are given
 * back and the old tree is untouched.
 */
static int ext4x_get_blocks(struct ext4_fs *fs, const struct ext4_extents *old, uint64_t goal,
			    uint64_t *blks, uint32_t need)
{
	uint32_t have = old->ntree < need ? old->ntree : need;
	int err = 0;

	if (have)
		memcpy(blks, old->tree, (size_t)have * sizeof(*blks));
	while (have < need) {
		uint64_t start;
		uint32_t got;

		err = ext4_block_alloc(fs, goal, need - have, &start, &got);
		if (err)
			break;
		for (uint32_t i = 0; i < got && have < need; i++)
			blks[have++] = start + i;
		goal = start + got;
	}
	if (err)
		for (uint32_t i = old->ntree; i < have; i++)
			ext4_block_free(fs, blks[i], 1);
	return err;
}

/* ext4x_put_header - a node header: @n entries of @max, at @depth. */
static void ext4x_put_header(uint8_t *p, uint32_t n, uint32_t max, uint32_t depth)
{
	ext4_put16(p, EXT4X_MAGIC);
	ext4_put16(p + 2, n);
	ext4_put16(p + 4, max);
	ext4_put16(p + 6, depth);
	ext4_put32(p + 8, 0);		/* eh_generation: unused */
}

/*
 * ext4x_put_entries - @n entries at @p: extents from @x (depth 0) or
 * index entries from @s.  Returns the first logical block they cover.
 */
static uint32_t ext4x_put_entries(uint8_t *p, uint32_t depth, const struct ext4_extent *x,
				  const struct ext4x_slot *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++, p += EXT4X_ENT) {
		if (depth == 0) {
			ext4_put32(p, x[i].lblk);
			ext4_put16(p + 4, x[i].len + (x[i].uninit ? EXT4X_INIT_MAX : 0));
			ext4_put16(p + 6, (uint32_t)(x[i].pblk >> 32));
			ext4_put32(p + 8, (uint32_t)x[i].pblk);
		} else {
			ext4_put32(p, s[i].lblk);
			ext4_put32(p + 4, (uint32_t)s[i].blk);
			ext4_put16(p + 8, (uint32_t)(s[i].blk >> 32));
			ext4_put16(p + 10, 0);
		}
	}
	return depth == 0 ? x[0].lblk : s[0].lblk;
}

/*
 * ext4x_build - write the tree blocks of @e bottom up into @blks (@nblk
 * of them), level by level: each level's nodes become the entries of the
 * level above, @slot (room for the leaves' count) holding them in place.
 * Leaves the root's entries in @slot[0..*@nroot).
 */
static int ext4x_build(struct ext4_fs *fs, const struct ext4_inode *in,
		       const struct ext4_extents *e, const uint64_t *blks, struct ext4x_slot *slot,
		       uint8_t *buf, uint32_t *nroot)
{
	uint32_t per = ext4_tree_block_entries(fs), n = e->n, used = 0, seed = ext4_tree_seed(fs, in);
	uint32_t tail = EXT4X_HDR + per * EXT4X_ENT;

	for (uint32_t depth = 0; n > EXT4X_ROOT_MAX; depth++) {
		uint32_t nodes = (n + per - 1) / per;

		for (uint32_t k = 0; k < nodes; k++) {
			uint32_t cnt = n - k * per < per ? n - k * per : per;

			memset(buf, 0, fs->block_size);
			ext4x_put_header(buf, cnt, per, depth);
			slot[k].lblk = ext4x_put_entries(buf + EXT4X_HDR, depth, e->ext + k * per,
							 slot + k * per, cnt);
			slot[k].blk = blks[used++];
			if (fs->metadata_csum)
				ext4_put32(buf + tail, crc32c(seed, buf, tail));
			if (fs->io.write(fs->io.ctx, slot[k].blk, 1, buf))
				return -EIO;
		}
		n = nodes;
	}
	*nroot = n;
	return 0;
}

/* ext4x_xattr_block - 1 if @in has an extended-attribute block (it counts in i_blocks). */
static uint32_t ext4x_xattr_block(const struct ext4_inode *in)
{
	return (ext4_le32(in->raw + I_FILE_ACL_LO) | ext4_le16(in->raw + I_FILE_ACL_HIGH)) ? 1 : 0;
}

/* ext4x_root - the root in @in->block: @n entries of depth @depth (extents of @e, or @slot). */
static void ext4x_root(struct ext4_inode *in, int depth, const struct ext4_extents *e,
		       const struct ext4x_slot *slot, uint32_t n)
{
	memset(in->block, 0, sizeof(in->block));
	ext4x_put_header(in->block, n, EXT4X_ROOT_MAX, (uint32_t)depth);
	if (n)
		ext4x_put_entries(in->block + EXT4X_HDR, (uint32_t)depth, e->ext, slot, n);
}

int ext4_extents_write(struct ext4_fs *fs, struct ext4_inode *in, struct ext4_extents *ext)
{
	uint32_t per = ext4_tree_block_entries(fs), need = 0, nroot = 0, nleaves;
	uint64_t *blks = NULL, goal, data = 0;
	struct ext4x_slot *slot = NULL;
	uint8_t *buf = NULL;
	int depth, err = ext4x_check_list(ext);

	depth = err ? err : ext4x_shape(ext->n, per, &need);
	if (depth < 0)
		return depth;
	nleaves = depth ? (ext->n + per - 1) / per : 1;
	blks = ext4_alloc_mem((size_t)(need ? need : 1) * sizeof(*blks));
	slot = ext4_alloc_mem((size_t)nleaves * sizeof(*slot));
	buf = ext4_alloc_mem(fs->block_size);
	goal = ext->n ? ext->ext[0].pblk : (ext->ntree ? ext->tree[0] : 0);
	err = !blks || !slot || !buf ? -ENOMEM : ext4x_get_blocks(fs, ext, goal, blks, need);
	if (err)
		goto out;
	err = ext4x_build(fs, in, ext, blks, slot, buf, &nroot);
	if (err) {
		/* The inode still points at the old tree: give back only the fresh blocks. */
		for (uint32_t i = ext->ntree; i < need; i++)
			ext4_block_free(fs, blks[i], 1);
		goto out;
	}
	/*
	 * The new tree is on the disk: the old blocks it did not reuse go
	 * back.  A refusal (the bitmap already had one free) is not ours to
	 * report: the inode must still be written to point at the new tree.
	 */
	for (uint32_t i = need; i < ext->ntree; i++)
		ext4_block_free(fs, ext->tree[i], 1);
	ext4x_root(in, depth, ext, slot, depth ? nroot : ext->n);
	in->flags |= EXT4_EXTENTS_FL;
	for (uint32_t i = 0; i < ext->n; i++)
		data += ext->ext[i].len;
	in->blocks = (data + need + ext4x_xattr_block(in)) * (fs->block_size / 512);
	ext4_free_mem(ext->tree);
	ext->tree = need ? blks : NULL;
	ext->ntree = ext->tree_cap = need;
	if (need)
		blks = NULL;
out:
	ext4_free_mem(blks);
	ext4_free_mem(slot);
	ext4_free_mem(buf);
	return err;
}
