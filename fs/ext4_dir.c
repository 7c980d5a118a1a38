/*
 * ext4_dir.c - directory blocks: parse and check them, lay them out.
 *
 * A directory is a file of blocks, each a chain of entries: inode (4
 * bytes), rec_len (2: the distance to the next entry), name_len (1),
 * file type (1), the name, padding to 4 bytes.  Entries never cross a
 * block; the last one of a block reaches its end; inode 0 marks a free
 * record.  With metadata_csum every block ends in a 12-byte fake entry
 * (inode 0, rec_len 12, name_len 0, type 0xDE) holding crc32c of the
 * bytes before it, seeded per inode.
 *
 * A hashed directory (INDEX_FL) hides its index in blocks that look
 * empty to a linear reader: block 0 holds "." and ".." (which spans the
 * block) with the dx_root after them; interior dx_node blocks start with
 * a free record spanning the whole block.  Their counts are followed by
 * an 8-byte dx_tail with a checksum over the used part.  Every name
 * lives in an ordinary leaf block, so reading each block linearly, and
 * skipping index blocks once checked, yields the whole directory: no
 * hash function is needed to read, and we write directories back linear.
 */
#include "ext4.h"
#include "ext4_tree.h"
#include "../kernel/string.h"

#define EXT4D_HDR		8	/* inode, rec_len, name_len, file type */
#define EXT4D_MIN_REC		12	/* a header and a 1..4-byte name */
#define EXT4D_TAIL		12	/* the checksum tail's fake entry */
#define EXT4D_TAIL_FT		0xDE
#define EXT4D_FT_MAX		7	/* EXT4_FT_SYMLINK */
#define EXT4D_DX_INFO		24	/* dx_root_info: after "." (12) and ".." (12 + name) */
#define EXT4D_DX_ROOT_COUNT	32	/* limit, count in the dx_root */
#define EXT4D_DX_NODE_COUNT	8	/* limit, count in a dx_node, after its fake entry */
#define EXT4D_DX_ENT		8	/* hash, block */
#define EXT4D_DX_TAIL		8	/* dt_reserved, dt_checksum */
#define EXT4D_DX_MAX_LEVELS	3	/* 2, or 3 with largedir */

/* ext4d_rec_len - decode a rec_len: 65536-byte blocks store a whole-block record specially. */
static uint32_t ext4d_rec_len(const struct ext4_fs *fs, const uint8_t *p)
{
	uint32_t v = ext4_le16(p);

	if (fs->block_size < 65536)
		return v;
	if (v == 65535 || v == 0)
		return 65536;
	return (v & 65532) | ((v & 3) << 16);
}

/* ext4d_put_rec_len - encode @len as ext4d_rec_len reads it. */
static void ext4d_put_rec_len(uint8_t *p, uint32_t len)
{
	ext4_put16(p, len >= 65536 ? 65535 : ((len & 65532) | ((len >> 16) & 3)));
}

/* ext4d_rec_size - the smallest record holding a name of @nl bytes. */
static uint32_t ext4d_rec_size(uint32_t nl)
{
	return (EXT4D_HDR + nl + 3) & ~3u;
}

/*
 * ext4d_dx_check - check the index counts at @buf + @off (limit, count,
 * then limit 8-byte entries) and, with metadata_csum, the dx_tail after
 * them: crc32c over the block up to the last used entry, then over the
 * whole tail with its checksum field taken as zero.  0 or -EUCLEAN.
 */
static int ext4d_dx_check(struct ext4_fs *fs, const struct ext4_inode *in, const uint8_t *buf,
			  uint32_t off)
{
	uint32_t limit = ext4_le16(buf + off), count = ext4_le16(buf + off + 2);
	uint32_t want = (fs->block_size - off - (fs->metadata_csum ? EXT4D_DX_TAIL : 0)) /
			EXT4D_DX_ENT;
	static const uint8_t zero[4];
	uint32_t used, tail, c;

	if (limit != want || count == 0 || count > limit)
		return -EUCLEAN;
	if (!fs->metadata_csum)
		return 0;
	used = off + count * EXT4D_DX_ENT;
	tail = off + limit * EXT4D_DX_ENT;
	c = crc32c(ext4_tree_seed(fs, in), buf, used);
	c = crc32c(c, buf + tail, 4);
	c = crc32c(c, zero, 4);		/* the checksum field itself, as zero */
	return c == ext4_le32(buf + tail + 4) ? 0 : -EUCLEAN;
}

/* The walk over one block's records. */
struct ext4d_walk {
	struct ext4_fs *fs;
	uint32_t lblk, idx;		/* which block, which record in it */
	int (*cb)(void *arg, const struct ext4_dirent *d);
	void *arg;
};

/*
 * ext4d_entry - check the live record at @p (@nl name bytes, type @ft,
 * inode @ino) and hand it to the callback.  Block 0 must start with "."
 * and ".."; no other record may take those names, and no name may hold
 * '/' or NUL: the VFS would build a tree that is not a tree.
 */
static int ext4d_entry(struct ext4d_walk *w, const uint8_t *p, uint32_t ino, uint32_t nl,
		       uint32_t ft)
{
	struct ext4_dirent d;
	const char *name = (const char *)p + EXT4D_HDR;
	int dot = nl == 1 && name[0] == '.';
	int dotdot = nl == 2 && name[0] == '.' && name[1] == '.';

	if (nl == 0 || ino > w->fs->inodes_count || ft > EXT4D_FT_MAX)
		return -EUCLEAN;
	for (uint32_t i = 0; i < nl; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EUCLEAN;
	if (w->lblk == 0 && w->idx < 2 ? !(w->idx == 0 ? dot : dotdot) : (dot || dotdot))
		return -EUCLEAN;
	d.ino = ino;
	d.type = (uint8_t)ft;
	d.name_len = (uint8_t)nl;
	d.name = name;
	return w->cb(w->arg, &d);
}

/*
 * ext4d_records - walk the records of @buf[@off..@end): each inside the
 * range, 4-aligned, at least 12 bytes, its name inside it; the last one
 * ending exactly at @end.  Live ones go to ext4d_entry.
 */
static int ext4d_records(struct ext4d_walk *w, const uint8_t *buf, uint32_t off, uint32_t end)
{
	int filetype = !!(w->fs->feat_incompat & EXT4_FEATURE_INCOMPAT_FILETYPE);

	while (off < end) {
		const uint8_t *p = buf + off;
		uint32_t ino, rl, nl;
		int err;

		if (end - off < EXT4D_MIN_REC)
			return -EUCLEAN;
		ino = ext4_le32(p);
		rl = ext4d_rec_len(w->fs, p + 4);
		nl = p[6];
		if (rl < EXT4D_MIN_REC || (rl & 3) || rl > end - off || EXT4D_HDR + nl > rl)
			return -EUCLEAN;
		if (ino) {
			err = ext4d_entry(w, p, ino, nl, filetype ? p[7] : 0);
			if (err)
				return err;
		} else if (w->lblk == 0 && w->idx < 2) {
			return -EUCLEAN;	/* "." and ".." are never free */
		}
		w->idx++;
		off += rl;
	}
	return 0;
}

/*
 * ext4d_tail_ok - the 12-byte checksum tail at the end of @buf is well
 * formed and holds crc32c of the bytes before it.
 */
static int ext4d_tail_ok(struct ext4_fs *fs, const struct ext4_inode *in, const uint8_t *buf)
{
	const uint8_t *t = buf + fs->block_size - EXT4D_TAIL;

	if (ext4_le32(t) != 0 || ext4_le16(t + 4) != EXT4D_TAIL || t[6] != 0 ||
	    t[7] != EXT4D_TAIL_FT)
		return 0;
	return crc32c(ext4_tree_seed(fs, in), buf, fs->block_size - EXT4D_TAIL) == ext4_le32(t + 8);
}

/*
 * ext4d_root - block 0 of a hashed directory: "." (12 bytes), ".."
 * spanning the rest of the block, the dx_root_info (reserved zero, info
 * length 8, at most EXT4D_DX_MAX_LEVELS levels), then the checked counts.
 */
static int ext4d_root(struct ext4d_walk *w, const struct ext4_inode *in, const uint8_t *buf)
{
	struct ext4_fs *fs = w->fs;
	const uint8_t *info = buf + EXT4D_DX_INFO;
	int err;

	if (ext4d_rec_len(fs, buf + 4) != EXT4D_MIN_REC ||
	    ext4d_rec_len(fs, buf + 16) != fs->block_size - EXT4D_MIN_REC ||
	    ext4_le32(info) != 0 || info[5] != 8 || info[6] >= EXT4D_DX_MAX_LEVELS)
		return -EUCLEAN;
	err = ext4d_dx_check(fs, in, buf, EXT4D_DX_ROOT_COUNT);
	if (err)
		return err;
	/* The two records, with the index inside ".."'s record, as a linear reader sees them. */
	return ext4d_records(w, buf, 0, fs->block_size);
}

int ext4_dir_parse(struct ext4_fs *fs, const struct ext4_inode *in, uint32_t lblk,
		   const uint8_t *buf, int (*cb)(void *arg, const struct ext4_dirent *d),
		   void *arg)
{
	struct ext4d_walk w = { .fs = fs, .lblk = lblk, .idx = 0, .cb = cb, .arg = arg };
	uint32_t bs = fs->block_size;

	if (lblk == 0 && (in->flags & EXT4_INDEX_FL))
		return ext4d_root(&w, in, buf);
	/* A dx_node: a free record spanning the block; its index holds no names. */
	if (lblk != 0 && ext4_le32(buf) == 0 && ext4d_rec_len(fs, buf + 4) == bs) {
		if (!fs->metadata_csum)
			return 0;
		if (buf[6] != 0 || !(in->flags & EXT4_INDEX_FL))
			return -EUCLEAN;
		return ext4d_dx_check(fs, in, buf, EXT4D_DX_NODE_COUNT);
	}
	if (fs->metadata_csum && !ext4d_tail_ok(fs, in, buf))
		return -EUCLEAN;
	return ext4d_records(&w, buf, 0, fs->metadata_csum ? bs - EXT4D_TAIL : bs);
}

/*
 * ext4d_layout - place @n entries in blocks of @buf (NULL: only count),
 * room for @nblk.  A record goes in the current block if it fits before
 * the tail, else opens the next; the last record of each block is
 * stretched to the tail.  Returns the blocks used, or -ENOSPC, -EINVAL.
 */
static int ext4d_layout(struct ext4_fs *fs, const struct ext4_inode *in,
			const struct ext4_dirent *d, uint32_t n, uint8_t *buf, uint32_t nblk)
{
	uint32_t bs = fs->block_size, usable = bs - (fs->metadata_csum ? EXT4D_TAIL : 0);
	uint32_t blk = 0, off = 0, last = 0;
	uint8_t *b = buf;

	if (buf)
		memset(buf, 0, bs);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t size = ext4d_rec_size(d[i].name_len);

		if (d[i].name_len == 0)
			return -EINVAL;
		if (off + size > usable) {
			if (b)
				ext4d_put_rec_len(b + last + 4, usable - last);
			if (++blk >= nblk)
				return -ENOSPC;
			off = 0;
			if (buf) {
				b = buf + (size_t)blk * bs;
				memset(b, 0, bs);
			}
		}
		if (b) {
			ext4_put32(b + off, d[i].ino);
			ext4d_put_rec_len(b + off + 4, size);
			b[off + 6] = d[i].name_len;
			b[off + 7] = (fs->feat_incompat & EXT4_FEATURE_INCOMPAT_FILETYPE) ? d[i].type : 0;
			memcpy(b + off + EXT4D_HDR, d[i].name, d[i].name_len);
		}
		last = off;
		off += size;
	}
	if (b)	/* the last block's last record, or a free record filling an empty block */
		ext4d_put_rec_len(b + last + 4, usable - last);
	for (uint32_t k = 0; buf && fs->metadata_csum && k <= blk; k++) {
		uint8_t *t = buf + (size_t)k * bs + usable;

		ext4_put16(t + 4, EXT4D_TAIL);
		t[7] = EXT4D_TAIL_FT;
		ext4_put32(t + 8, crc32c(ext4_tree_seed(fs, in), t - usable, usable));
	}
	return (int)blk + 1;
}

int ext4_dir_build(struct ext4_fs *fs, const struct ext4_inode *in, const struct ext4_dirent *d,
		   uint32_t n, uint8_t *buf, uint32_t nblk)
{
	if (nblk == 0)
		return -ENOSPC;
	return ext4d_layout(fs, in, d, n, buf, nblk);
}

uint32_t ext4_dir_blocks_needed(struct ext4_fs *fs, const struct ext4_dirent *d, uint32_t n)
{
	int r = ext4d_layout(fs, NULL, d, n, NULL, (uint32_t)-1);

	return r > 0 ? (uint32_t)r : 1;
}
