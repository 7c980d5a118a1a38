/*
 * ext4_inode.c - inodes: find one in its group's inode table, check its
 * checksum, parse it, and store it back with everything the parsed view
 * does not cover left as it was read (struct ext4_inode.raw).
 *
 * The large-inode fields (nanoseconds and epoch bits of the times, the
 * creation time, the upper half of the checksum) exist only as far as
 * i_extra_isize reaches; each is read and written only if it fits.
 */
#include "../kernel/string.h"
#include "../kernel/errno.h"
#include "ext4_int.h"
#include "ext4_mem.h"

#define S_IFMT_BITS	0170000
#define S_IFCHR_BITS	0020000
#define S_IFBLK_BITS	0060000

/* extra_isize - the large-inode bytes @raw says it uses (0 for a 128-byte inode). */
static uint32_t extra_isize(const struct ext4_fs *fs, const uint8_t *raw)
{
	return fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE ? ext4_le16(raw + I_EXTRA_ISIZE) : 0;
}

/* fits - does the field ending at byte @end lie inside the inode's extra part? */
static int fits(const struct ext4_fs *fs, const uint8_t *raw, uint32_t end)
{
	return end <= EXT4_GOOD_OLD_INODE_SIZE + extra_isize(fs, raw);
}

/*
 * inode_csum - the metadata_csum checksum of inode @ino: crc32c seeded
 * with the file system's seed, the inode number and generation, over
 * the whole inode with its checksum fields taken as zero.
 */
static uint32_t inode_csum(const struct ext4_fs *fs, uint32_t ino, const uint8_t *raw)
{
	uint8_t le[4], zero[2] = { 0, 0 };
	uint32_t c, at = I_CHECKSUM_LO + 2;

	ext4_put32(le, ino);
	c = crc32c(fs->csum_seed, le, 4);
	c = crc32c(c, raw + I_GENERATION, 4);
	c = crc32c(c, raw, I_CHECKSUM_LO);
	c = crc32c(c, zero, 2);
	c = crc32c(c, raw + at, EXT4_GOOD_OLD_INODE_SIZE - at);
	if (fs->inode_size <= EXT4_GOOD_OLD_INODE_SIZE)
		return c;
	c = crc32c(c, raw + EXT4_GOOD_OLD_INODE_SIZE, I_CHECKSUM_HI - EXT4_GOOD_OLD_INODE_SIZE);
	at = I_CHECKSUM_HI;
	if (fits(fs, raw, I_CHECKSUM_HI + 2)) {
		c = crc32c(c, zero, 2);
		at += 2;
	}
	return crc32c(c, raw + at, fs->inode_size - at);
}

/* locate - the inode table block of @ino and the byte offset in it; -EUCLEAN out of range. */
static int locate(const struct ext4_fs *fs, uint32_t ino, uint64_t *blk, uint32_t *off)
{
	uint32_t g, idx;
	uint64_t byte;

	if (ino < 1 || ino > fs->inodes_count)
		return -EUCLEAN;
	g = (ino - 1) / fs->inodes_per_group;
	idx = (ino - 1) % fs->inodes_per_group;
	byte = (uint64_t)idx * fs->inode_size;
	*blk = fs->groups[g].inode_table + byte / fs->block_size;
	*off = (uint32_t)(byte % fs->block_size);
	return 0;
}

/* time_get - seconds and nanoseconds from a 32-bit field and its extra word (if it fits). */
static int64_t time_get(const struct ext4_fs *fs, const uint8_t *raw, uint32_t at,
			uint32_t extra_at, uint32_t *ns)
{
	int64_t s = (int32_t)ext4_le32(raw + at);
	uint32_t extra;

	*ns = 0;
	if (!fits(fs, raw, extra_at + 4))
		return s;
	extra = ext4_le32(raw + extra_at);
	*ns = extra >> 2;
	return s + ((int64_t)(extra & 3) << 32);
}

/*
 * time_put - store @s and @ns: the low 32 bits, and epoch bits +
 * nanoseconds if they fit.  Times outside what the inode can hold are
 * clamped to its range (1901 to 2446 with the extra word, 1901 to 2038
 * without), as Linux truncates them to the file system's limits.
 */
static void time_put(const struct ext4_fs *fs, uint8_t *raw, uint32_t at, uint32_t extra_at,
		     int64_t s, uint32_t ns)
{
	int extra = fits(fs, raw, extra_at + 4);
	int64_t max = INT32_MAX + (extra ? 3ll << 32 : 0);

	if (s < INT32_MIN)
		s = INT32_MIN;
	if (s > max)
		s = max;
	ext4_put32(raw + at, (uint32_t)s);
	if (extra)
		ext4_put32(raw + extra_at,
			   (uint32_t)(((s - (int32_t)s) >> 32) & 3) | (ns % 1000000000u) << 2);
}

/* is_dev - is @mode a character or block device? */
static int is_dev(uint16_t mode)
{
	return (mode & S_IFMT_BITS) == S_IFCHR_BITS || (mode & S_IFMT_BITS) == S_IFBLK_BITS;
}

/* parse - fill @in's fields from in->raw. */
static void parse(const struct ext4_fs *fs, struct ext4_inode *in)
{
	const uint8_t *raw = in->raw;

	in->mode = ext4_le16(raw + I_MODE);
	in->uid = ext4_le16(raw + I_UID) | (uint32_t)ext4_le16(raw + I_UID_HIGH) << 16;
	in->gid = ext4_le16(raw + I_GID) | (uint32_t)ext4_le16(raw + I_GID_HIGH) << 16;
	in->links = ext4_le16(raw + I_LINKS_COUNT);
	in->size = ext4_le32(raw + I_SIZE_LO) | (uint64_t)ext4_le32(raw + I_SIZE_HIGH) << 32;
	in->flags = ext4_le32(raw + I_FLAGS);
	in->blocks = ext4_le32(raw + I_BLOCKS_LO);
	if (fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_HUGE_FILE) {
		in->blocks |= (uint64_t)ext4_le16(raw + I_BLOCKS_HIGH) << 32;
		if (in->flags & EXT4_HUGE_FILE_FL)
			in->blocks *= fs->block_size / 512;
	}
	in->generation = ext4_le32(raw + I_GENERATION);
	in->atime = time_get(fs, raw, I_ATIME, I_ATIME_EXTRA, &in->atime_ns);
	in->mtime = time_get(fs, raw, I_MTIME, I_MTIME_EXTRA, &in->mtime_ns);
	in->ctime = time_get(fs, raw, I_CTIME, I_CTIME_EXTRA, &in->ctime_ns);
	in->crtime = 0;
	in->crtime_ns = 0;
	if (fits(fs, raw, I_CRTIME + 4))
		in->crtime = time_get(fs, raw, I_CRTIME, I_CRTIME_EXTRA, &in->crtime_ns);
	in->dtime = ext4_le32(raw + I_DTIME);
	memcpy(in->block, raw + I_BLOCK, EXT4_N_BLOCKS_BYTES);
	in->rdev = 0;
	if (is_dev(in->mode)) {
		uint32_t old = ext4_le32(raw + I_BLOCK);

		/* Old encoding (8-bit major and minor) in i_block[0], else the new one in [1]. */
		in->rdev = old ? (old & 0xffff) : ext4_le32(raw + I_BLOCK + 4);
	}
}

/* all_zero - is the inode never written (mke2fs leaves unused ones zero, and valid)? */
static int all_zero(const uint8_t *raw, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (raw[i])
			return 0;
	return 1;
}

/* ext4_inode_read - see ext4.h. */
int ext4_inode_read(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *in)
{
	uint64_t blk;
	uint32_t off, extra, c;
	uint8_t *buf;
	int err = locate(fs, ino, &blk, &off);

	if (err)
		return err;
	buf = ext4_alloc_mem(fs->block_size);
	if (!buf)
		return -ENOMEM;
	memset(in, 0, sizeof(*in));
	in->ino = ino;
	if (fs->io.read(fs->io.ctx, blk, 1, buf))
		err = -EIO;
	else
		memcpy(in->raw, buf + off, fs->inode_size);
	ext4_free_mem(buf);
	if (err)
		return err;
	extra = extra_isize(fs, in->raw);
	if (EXT4_GOOD_OLD_INODE_SIZE + extra > fs->inode_size || (extra & 3))
		return -EUCLEAN;
	if (fs->metadata_csum && !all_zero(in->raw, fs->inode_size)) {
		c = inode_csum(fs, ino, in->raw);
		if (ext4_le16(in->raw + I_CHECKSUM_LO) != (c & 0xffff) ||
		    (fits(fs, in->raw, I_CHECKSUM_HI + 2) &&
		     ext4_le16(in->raw + I_CHECKSUM_HI) != c >> 16))
			return -EUCLEAN;
	}
	parse(fs, in);
	return 0;
}

/* ext4_inode_init - see ext4.h: the extra part sized as Linux sizes a new inode's. */
void ext4_inode_init(struct ext4_fs *fs, struct ext4_inode *in, uint32_t ino, uint16_t mode)
{
	memset(in, 0, sizeof(*in));
	in->ino = ino;
	in->mode = mode;
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		uint32_t room = fs->inode_size - EXT4_GOOD_OLD_INODE_SIZE;

		ext4_put16(in->raw + I_EXTRA_ISIZE,
			   room < EXT4_WANT_EXTRA_ISIZE ? room : EXT4_WANT_EXTRA_ISIZE);
	}
}

/*
 * put_blocks - i_blocks: 512-byte units in 32 bits, or 48 with huge_file;
 * beyond that, file-system blocks with HUGE_FILE_FL.  -EFBIG if even that
 * does not hold it.
 */
static int put_blocks(const struct ext4_fs *fs, struct ext4_inode *in)
{
	uint64_t b = in->blocks;
	int huge = !!(fs->feat_ro_compat & EXT4_FEATURE_RO_COMPAT_HUGE_FILE);

	in->flags &= ~(uint32_t)EXT4_HUGE_FILE_FL;
	if (b >> 32 && !huge)
		return -EFBIG;
	if (b >> 48) {
		b = (b + fs->block_size / 512 - 1) / (fs->block_size / 512);
		if (b >> 48)
			return -EFBIG;
		in->flags |= EXT4_HUGE_FILE_FL;
	}
	ext4_put32(in->raw + I_BLOCKS_LO, (uint32_t)b);
	if (huge)
		ext4_put16(in->raw + I_BLOCKS_HIGH, (uint32_t)(b >> 32));
	return 0;
}

/* put_rdev - a device's number into i_block as Linux stores it (old encoding when it fits). */
static void put_rdev(struct ext4_inode *in)
{
	uint32_t major = (in->rdev >> 8) & 0xfff;
	uint32_t minor = (in->rdev & 0xff) | ((in->rdev >> 12) & 0xfff00);

	if (major < 256 && minor < 256) {
		ext4_put32(in->block, major << 8 | minor);
		ext4_put32(in->block + 4, 0);
	} else {
		ext4_put32(in->block, 0);
		ext4_put32(in->block + 4, in->rdev);
		ext4_put32(in->block + 8, 0);
	}
}

/* store - @in's fields into in->raw (not the checksum). */
static int store(struct ext4_fs *fs, struct ext4_inode *in)
{
	uint8_t *raw = in->raw;
	int err = put_blocks(fs, in);

	if (err)
		return err;
	if (is_dev(in->mode))
		put_rdev(in);
	ext4_put16(raw + I_MODE, in->mode);
	ext4_put16(raw + I_UID, in->uid);
	ext4_put16(raw + I_UID_HIGH, in->uid >> 16);
	ext4_put16(raw + I_GID, in->gid);
	ext4_put16(raw + I_GID_HIGH, in->gid >> 16);
	ext4_put16(raw + I_LINKS_COUNT, in->links);
	ext4_put32(raw + I_SIZE_LO, (uint32_t)in->size);
	ext4_put32(raw + I_SIZE_HIGH, (uint32_t)(in->size >> 32));
	ext4_put32(raw + I_FLAGS, in->flags);
	ext4_put32(raw + I_GENERATION, in->generation);
	time_put(fs, raw, I_ATIME, I_ATIME_EXTRA, in->atime, in->atime_ns);
	time_put(fs, raw, I_MTIME, I_MTIME_EXTRA, in->mtime, in->mtime_ns);
	time_put(fs, raw, I_CTIME, I_CTIME_EXTRA, in->ctime, in->ctime_ns);
	if (fits(fs, raw, I_CRTIME + 4))
		time_put(fs, raw, I_CRTIME, I_CRTIME_EXTRA, in->crtime, in->crtime_ns);
	ext4_put32(raw + I_DTIME, (uint32_t)in->dtime);
	memcpy(raw + I_BLOCK, in->block, EXT4_N_BLOCKS_BYTES);
	return 0;
}

/* ext4_inode_write - see ext4.h; the inode table block is read, patched and written. */
int ext4_inode_write(struct ext4_fs *fs, struct ext4_inode *in)
{
	uint64_t blk;
	uint32_t off, c;
	uint8_t *buf;
	int err = locate(fs, in->ino, &blk, &off);

	if (!err && fs->rdonly)
		err = -EROFS;
	if (!err && fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
	    EXT4_GOOD_OLD_INODE_SIZE + extra_isize(fs, in->raw) > fs->inode_size)
		err = -EUCLEAN;
	if (!err)
		err = store(fs, in);
	if (err)
		return err;
	if (fs->metadata_csum) {
		c = inode_csum(fs, in->ino, in->raw);
		ext4_put16(in->raw + I_CHECKSUM_LO, c);
		if (fits(fs, in->raw, I_CHECKSUM_HI + 2))
			ext4_put16(in->raw + I_CHECKSUM_HI, c >> 16);
	}
	buf = ext4_alloc_mem(fs->block_size);
	if (!buf)
		return -ENOMEM;
	err = fs->io.read(fs->io.ctx, blk, 1, buf) ? -EIO : 0;
	if (!err) {
		memcpy(buf + off, in->raw, fs->inode_size);
		err = fs->io.write(fs->io.ctx, blk, 1, buf) ? -EIO : 0;
	}
	ext4_free_mem(buf);
	return err;
}
