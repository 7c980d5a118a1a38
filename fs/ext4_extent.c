/*
 * ext4_extent.c - a file's extent tree: read and check it, rebuild it.
 *
 * The tree's root lives in the inode's 60-byte i_block: a 12-byte header
 * and up to 4 twelve-byte entries.  Entries of a node of depth 0 are
 * extents (logical block, length, 48-bit physical block); of a deeper
 * node, index entries (first logical block, child block).  Tree blocks
 * below the inode hold a header, as many entries as fit, and a 4-byte
 * tail: crc32c over the bytes before it, seeded per inode.
 *
 * Everything read from the disk is hostile: each header is checked
 * before its entries are used, each block number before it is read, and
 * a block met twice ends the walk, so no image makes us read out of
 * bounds or loop.  Depth is bounded by EXT4X_MAX_DEPTH, so the recursion
 * is too.
 */
#include "ext4.h"
#include "ext4_tree.h"
#include "../kernel/string.h"
#include "../kernel/errno.h"
#include "ext4_mem.h"

#define EXT4X_S_IFMT		0170000
#define EXT4X_S_IFREG		0100000
#define EXT4X_S_IFDIR		0040000
#define EXT4X_S_IFLNK		0120000
#define EXT4X_FAST_LINK_MAX	60	/* shorter targets live in i_block */

/* ext4x_overlaps - do [a, a+alen) and [b, b+blen) share a block? */
static int ext4x_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* ext4x_has_super - does group @g hold a copy of the super block (sparse_super: 0, 1, powers of 3, 5, 7)? */
static int ext4x_has_super(const struct ext4_fs *fs, uint32_t g)
{
	static const uint32_t base[3] = { 3, 5, 7 };

	if (g <= 1 || !(fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return 1;
	for (int i = 0; i < 3; i++) {
		uint64_t p = base[i];

		while (p < g)
			p *= base[i];
		if (p == g)
			return 1;
	}
	return 0;
}

/*
 * ext4x_bad_range - 1 if blocks [@start, @start+@len) are not all data
 * blocks of the file system: outside it, or over a super block copy, a
 * descriptor table (and its reserve), a bitmap or an inode table.  Why:
 * a file whose extent points at metadata would let a write through the
 * page cache overwrite the file system's own structures.
 */
static int ext4x_bad_range(const struct ext4_fs *fs, uint64_t start, uint64_t len)
{
	uint64_t itb, gdt, first, last;

	if (len == 0 || start < fs->first_data_block || start >= fs->blocks_count ||
	    len > fs->blocks_count - start || fs->blocks_per_group == 0)
		return 1;
	itb = ((uint64_t)fs->inodes_per_group * fs->inode_size + fs->block_size - 1) /
	      fs->block_size;
	for (uint32_t g = 0; fs->groups && g < fs->ngroups; g++) {
		const struct ext4_group *gr = &fs->groups[g];

		if (ext4x_overlaps(start, len, gr->block_bitmap, 1) ||
		    ext4x_overlaps(start, len, gr->inode_bitmap, 1) ||
		    ext4x_overlaps(start, len, gr->inode_table, itb))
			return 1;
	}
	/* Super block copies sit at the start of their group: only the groups the range touches. */
	gdt = ((uint64_t)fs->ngroups * fs->desc_size + fs->block_size - 1) / fs->block_size;
	gdt += ext4_le16(fs->sb + SB_RESERVED_GDT_BLOCKS);		/* s_reserved_gdt_blocks */
	first = (start - fs->first_data_block) / fs->blocks_per_group;
	last = (start + len - 1 - fs->first_data_block) / fs->blocks_per_group;
	for (uint64_t g = first; g <= last && g < fs->ngroups; g++) {
		uint64_t gs = fs->first_data_block + g * fs->blocks_per_group;

		if (ext4x_has_super(fs, (uint32_t)g) && ext4x_overlaps(start, len, gs, 1 + gdt))
			return 1;
	}
	return 0;
}

/* ext4x_grow - make room for one more element in the array *@arr (@n used of *@cap). */
static int ext4x_grow(void **arr, uint32_t n, uint32_t *cap, size_t elem)
{
	uint32_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap <= *cap || (size_t)ncap > (size_t)-1 / elem)
		return -ENOMEM;
	p = ext4_alloc_mem((size_t)ncap * elem);
	if (!p)
		return -ENOMEM;
	if (*arr)
		memcpy(p, *arr, (size_t)n * elem);
	ext4_free_mem(*arr);
	*arr = p;
	*cap = ncap;
	return 0;
}

/* The state of one walk down a tree. */
struct ext4x_walk {
	struct ext4_fs *fs;
	struct ext4_extents *out;
	uint32_t seed;			/* for the blocks' tails */
	uint64_t next;			/* the first logical block the next extent may use */
	uint8_t *buf[EXT4X_MAX_DEPTH];	/* one block buffer per level below the root */
};

/*
 * ext4x_check_header - check the node header at @p, in @room bytes,
 * expected at depth @depth (-1 for the root: any depth up to the
 * maximum).  0 with *@n entries, or -EUCLEAN.
 */
static int ext4x_check_header(const uint8_t *p, uint32_t room, int depth, uint32_t *n,
			      uint32_t *d)
{
	uint32_t max = ext4_le16(p + 4);

	*n = ext4_le16(p + 2);
	*d = ext4_le16(p + 6);
	if (ext4_le16(p) != EXT4X_MAGIC || max == 0 || *n > max ||
	    EXT4X_HDR + (uint64_t)max * EXT4X_ENT > room)
		return -EUCLEAN;
	if (depth < 0 ? *d > EXT4X_MAX_DEPTH : *d != (uint32_t)depth)
		return -EUCLEAN;
	if (*n == 0 && *d > 0)
		return -EUCLEAN;	/* an index node must point somewhere */
	return 0;
}

/*
 * ext4x_leaf - take the @n extents at @e, each of which must lie in the
 * logical range [@lo, @hi) allotted by the parent, after every extent
 * taken so far, and on data blocks.  0, -EUCLEAN or -ENOMEM.
 */
static int ext4x_leaf(struct ext4x_walk *w, const uint8_t *e, uint32_t n, uint64_t lo,
		      uint64_t hi)
{
	struct ext4_extents *out = w->out;

	for (uint32_t i = 0; i < n; i++, e += EXT4X_ENT) {
		uint32_t lblk = ext4_le32(e), raw = ext4_le16(e + 4);
		uint64_t pblk = (uint64_t)ext4_le16(e + 6) << 32 | ext4_le32(e + 8);
		uint32_t len = raw > EXT4X_INIT_MAX ? raw - EXT4X_INIT_MAX : raw;
		struct ext4_extent *x;

		if (len == 0 || lblk < lo || lblk < w->next || lblk + (uint64_t)len > hi ||
		    ext4x_bad_range(w->fs, pblk, len))
			return -EUCLEAN;
		if (ext4x_grow((void **)&out->ext, out->n, &out->cap, sizeof(*out->ext)))
			return -ENOMEM;
		x = &out->ext[out->n++];
		x->lblk = lblk;
		x->len = len;
		x->pblk = pblk;
		x->uninit = raw > EXT4X_INIT_MAX;
		w->next = lblk + (uint64_t)len;
	}
	return 0;
}

static int ext4x_node(struct ext4x_walk *w, const uint8_t *p, uint32_t room, int depth,
		      uint64_t lo, uint64_t hi);

/*
 * ext4x_child - read tree block @blk (the child of an index entry, at
 * depth @depth) and walk it for the range [@lo, @hi).  The block must be
 * a data block never met before in this tree (a loop or a shared block
 * is corruption), and its tail must hold its checksum.
 */
static int ext4x_child(struct ext4x_walk *w, uint64_t blk, int depth, uint64_t lo, uint64_t hi)
{
	struct ext4_fs *fs = w->fs;
	struct ext4_extents *out = w->out;
	uint8_t *buf = w->buf[depth];
	uint32_t tail;
	int err;

	/*
	 * No list search for blocks met before: a loop cannot pass the
	 * depth check, and a block shared by two index entries fails the
	 * logical order at its first extent the second time round.  Only
	 * shared empty leaves pass; the bound stops their fan-out and
	 * ext4x_dedup catches them at the end.
	 */
	if (ext4x_bad_range(fs, blk, 1) || out->ntree >= fs->blocks_count)
		return -EUCLEAN;
	if (ext4x_grow((void **)&out->tree, out->ntree, &out->tree_cap, sizeof(*out->tree)))
		return -ENOMEM;
	out->tree[out->ntree++] = blk;
	if (fs->io.read(fs->io.ctx, blk, 1, buf))
		return -EIO;
	/* The tail follows eh_max entries; check the header's max before trusting it. */
	if (ext4_le16(buf) != EXT4X_MAGIC)
		return -EUCLEAN;
	tail = EXT4X_HDR + (uint32_t)ext4_le16(buf + 4) * EXT4X_ENT;
	if (tail + EXT4X_TAIL > fs->block_size)
		return -EUCLEAN;
	if (fs->metadata_csum && crc32c(w->seed, buf, tail) != ext4_le32(buf + tail))
		return -EUCLEAN;
	err = ext4x_node(w, buf, tail, depth, lo, hi);
	return err;
}

/*
 * ext4x_node - walk the node at @p (@room bytes for header and entries;
 * @depth expected, -1 for the root) whose entries must fall in the
 * logical range [@lo, @hi).  Index entries must be increasing; each
 * child gets the range up to the next entry's start.
 */
static int ext4x_node(struct ext4x_walk *w, const uint8_t *p, uint32_t room, int depth,
		      uint64_t lo, uint64_t hi)
{
	uint32_t n, d;
	const uint8_t *e = p + EXT4X_HDR;
	int err = ext4x_check_header(p, room, depth, &n, &d);

	if (err)
		return err;
	if (d == 0)
		return ext4x_leaf(w, e, n, lo, hi);
	for (uint32_t i = 0; i < n; i++, e += EXT4X_ENT) {
		uint64_t start = ext4_le32(e), end = hi;
		uint64_t leaf = (uint64_t)ext4_le16(e + 8) << 32 | ext4_le32(e + 4);

		if (i + 1 < n)
			end = ext4_le32(e + EXT4X_ENT);
		if (start < lo || start >= end || end > hi)
			return -EUCLEAN;
		err = ext4x_child(w, leaf, (int)d - 1, start, end);
		if (err)
			return err;
	}
	return 0;
}

/* ext4x_sift - restore the heap property below @i in @a[0..@n). */
static void ext4x_sift(uint64_t *a, uint32_t i, uint32_t n)
{
	for (;;) {
		uint32_t big = i, l = 2 * i + 1, r = l + 1;
		uint64_t t;

		if (l < n && a[l] > a[big])
			big = l;
		if (r < n && a[r] > a[big])
			big = r;
		if (big == i)
			return;
		t = a[i], a[i] = a[big], a[big] = t;
		i = big;
	}
}

/*
 * ext4x_dedup - sort the tree blocks (heapsort: no allocation, n log n
 * even for a hostile count) and refuse a block listed twice: freeing it
 * twice at the next rebuild would corrupt the bitmap.
 */
static int ext4x_dedup(uint64_t *a, uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;)
		ext4x_sift(a, i, n);
	for (uint32_t end = n; end > 1; end--) {
		uint64_t t = a[0];

		a[0] = a[end - 1], a[end - 1] = t;
		ext4x_sift(a, 0, end - 1);
	}
	for (uint32_t i = 1; i < n; i++)
		if (a[i] == a[i - 1])
			return -EUCLEAN;
	return 0;
}

/*
 * ext4x_no_extents - an inode without EXTENTS_FL: nothing to map unless
 * it is a file, directory or slow symlink with data, which would be the
 * old indirect-block format (ext3), which we do not read.
 */
static int ext4x_no_extents(const struct ext4_inode *in)
{
	uint32_t fmt = in->mode & EXT4X_S_IFMT;

	if ((fmt == EXT4X_S_IFREG || fmt == EXT4X_S_IFDIR) && in->size > 0)
		return -EINVAL;
	if (fmt == EXT4X_S_IFLNK && in->size >= EXT4X_FAST_LINK_MAX)
		return -EINVAL;
	return 0;
}

int ext4_extents_read(struct ext4_fs *fs, const struct ext4_inode *in, struct ext4_extents *out)
{
	struct ext4x_walk w;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!(in->flags & EXT4_EXTENTS_FL))
		return ext4x_no_extents(in);
	memset(&w, 0, sizeof(w));
	w.fs = fs;
	w.out = out;
	w.seed = ext4_tree_seed(fs, in);
	for (int i = 0; i < EXT4X_MAX_DEPTH && !err; i++) {
		w.buf[i] = ext4_alloc_mem(fs->block_size);
		if (!w.buf[i])
			err = -ENOMEM;
	}
	if (!err)
		err = ext4x_node(&w, in->block, EXT4_N_BLOCKS_BYTES, -1, 0, (uint64_t)1 << 32);
	if (!err)
		err = ext4x_dedup(out->tree, out->ntree);
	for (int i = 0; i < EXT4X_MAX_DEPTH; i++)
		ext4_free_mem(w.buf[i]);
	if (err)
		ext4_extents_free(out);
	return err;
}

void ext4_extents_free(struct ext4_extents *e)
{
	ext4_free_mem(e->ext);
	ext4_free_mem(e->tree);
	memset(e, 0, sizeof(*e));
}

uint64_t ext4_extents_map(const struct ext4_extents *e, uint32_t lblk)
{
	uint32_t lo = 0, hi = e->n;

	/* Binary search: the extents are sorted and do not overlap. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct ext4_extent *x = &e->ext[mid];

		if (lblk < x->lblk)
			hi = mid;
		else if (lblk - x->lblk >= x->len)
			lo = mid + 1;
		else
			return x->uninit ? 0 : x->pblk + (lblk - x->lblk);
	}
	return 0;
}
