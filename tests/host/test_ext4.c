/*
 * test_ext4.c - host test of the ext4 on-disk library core: crc32c, the
 * super block and descriptors (ext4_super.c, ext4_group.c), the allocator
 * (ext4_alloc.c) and inodes (ext4_inode.c).
 *
 * The oracle is Debian's e2fsprogs: images are made at test time by
 * mke2fs (1 KiB and 4 KiB blocks, one filled with `-d`), what we parse is
 * compared with dumpe2fs and debugfs, and what we write must leave
 * `e2fsck -fn` silent.  Each image lives in memory behind an ext4_io and
 * is saved to a file for the tools.  Corrupted copies (deterministic
 * PRNG; some with their checksums recomputed so the checks behind the
 * checksums are reached) must be refused or parsed, never crash (ASan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "fs/ext4.h"
#include "fs/ext4_disk.h"
#include "kernel/errno.h"

#define FUZZ_SEED	0x486f6c737465696eull	/* "Holstein" */
#define FUZZ_RUNS	1500

static char tmpdir[256];
static int have_tools;

/* The image in memory, and the io over it. */
struct memdisk {
	uint8_t *data;
	size_t len;
	uint32_t bs;		/* the io's block size: 1024 until set_block_size */
	int writes;
};

static int md_read(void *ctx, uint64_t blk, uint32_t n, void *buf)
{
	struct memdisk *m = ctx;
	uint64_t off = blk * m->bs, len = (uint64_t)n * m->bs;

	if (blk > m->len || off > m->len || len > m->len - off)
		return -EIO;
	memcpy(buf, m->data + off, len);
	return 0;
}

static int md_write(void *ctx, uint64_t blk, uint32_t n, const void *buf)
{
	struct memdisk *m = ctx;
	uint64_t off = blk * m->bs, len = (uint64_t)n * m->bs;

	if (blk > m->len || off > m->len || len > m->len - off)
		return -EIO;
	memcpy(m->data + off, buf, len);
	m->writes++;
	return 0;
}

static int md_set_block_size(void *ctx, uint32_t bytes)
{
	((struct memdisk *)ctx)->bs = bytes;
	return 0;
}

static struct ext4_io md_io(struct memdisk *m)
{
	struct ext4_io io = { md_read, md_write, NULL, md_set_block_size, m };

	m->bs = 1024;
	return io;
}

/* sh - run a shell command (printf-style); its exit status. */
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* sh_out - the first line of a command's output that starts with @prefix, after it. */
static int sh_line(const char *cmd, const char *prefix, char *out, size_t outlen)
{
	FILE *fp = popen(cmd, "r");
	char line[512];
	int found = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		if (!found && !strncmp(line, prefix, strlen(prefix))) {
			const char *v = line + strlen(prefix);

			while (*v == ' ' || *v == '\t')
				v++;
			snprintf(out, outlen, "%s", v);
			found = 1;
		}
	}
	pclose(fp);
	return found;
}

/* img_path - the file name of image @name in the scratch directory. */
static const char *img_path(const char *name)
{
	static char path[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", tmpdir, name);
	return path[k];
}

static void md_load(struct memdisk *m, const char *name)
{
	FILE *fp = fopen(img_path(name), "rb");

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	m->len = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	m->data = malloc(m->len);
	assert_non_null(m->data);
	assert_int_equal(fread(m->data, 1, m->len, fp), m->len);
	fclose(fp);
	m->writes = 0;
}

static void md_save(const struct memdisk *m, const char *name)
{
	FILE *fp = fopen(img_path(name), "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(m->data, 1, m->len, fp), m->len);
	fclose(fp);
}

/* fsck_clean - does `e2fsck -fn` find nothing to say about image @name? */
static int fsck_clean(const char *name)
{
	int rc = sh("e2fsck -fn %s > %s.fsck 2>&1", img_path(name), img_path(name));

	if (rc)
		sh("cat %s.fsck >&2", img_path(name));
	return rc == 0;
}

/* find_sub - @needle in @hay, or NULL (<string.h> is the kernel's here: no strstr). */
static const char *find_sub(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return NULL;
}

#define SKIP_WITHOUT_TOOLS() do { if (!have_tools) skip(); } while (0)

/* open_img - load image @name and open it (@rdonly); asserts success. */
static void open_img(struct memdisk *m, struct ext4_fs *fs, const char *name, int rdonly)
{
	struct ext4_io io;
	char why[128];
	int err;

	md_load(m, name);
	io = md_io(m);
	err = ext4_fs_open(fs, &io, rdonly, why, sizeof(why));
	if (err)
		fail_msg("open %s: %d (%s)", name, err, why);
	if (!rdonly)
		assert_int_equal(ext4_bitmaps_load(fs), 0);
}

static void close_img(struct memdisk *m, struct ext4_fs *fs)
{
	ext4_fs_close(fs);
	free(m->data);
	m->data = NULL;
}

/* dump_u64 - a numeric field of `dumpe2fs -h` for image @name. */
static uint64_t dump_u64(const char *name, const char *field)
{
	char cmd[600], val[256];

	snprintf(cmd, sizeof(cmd), "dumpe2fs -h %s 2>/dev/null", img_path(name));
	if (!sh_line(cmd, field, val, sizeof(val)))
		fail_msg("dumpe2fs has no '%s'", field);
	return strtoull(val, NULL, 0);
}

/* debugfs_ino - the inode number of @path in image @name, by debugfs. */
static uint32_t debugfs_ino(const char *name, const char *path)
{
	char cmd[600], val[256];

	snprintf(cmd, sizeof(cmd), "debugfs -R 'stat %s' %s 2>/dev/null", path, img_path(name));
	if (!sh_line(cmd, "Inode:", val, sizeof(val)))
		fail_msg("debugfs cannot stat %s", path);
	return (uint32_t)strtoul(val, NULL, 0);
}

/* debugfs_field - the rest of the line of `debugfs stat <ino>` that starts with @prefix. */
static void debugfs_field(const char *name, uint32_t ino, const char *prefix, char *out,
			  size_t len)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "debugfs -R 'stat <%u>' %s 2>/dev/null", ino, img_path(name));
	if (!sh_line(cmd, prefix, out, len))
		fail_msg("debugfs stat <%u> has no '%s'", ino, prefix);
}

static void test_crc32c(void **state)
{
	static const uint8_t zeros[32], ones[32] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff };
	uint32_t c;

	(void)state;
	/* The standard CRC-32C check values (RFC 3720 B.4 and the "123456789" one). */
	assert_int_equal(~crc32c(~0u, "123456789", 9), 0xE3069283u);
	assert_int_equal(~crc32c(~0u, zeros, 32), 0x8A9136AAu);
	assert_int_equal(~crc32c(~0u, ones, 32), 0x62A8AB43u);
	/* Chaining: two pieces give what one does. */
	c = crc32c(~0u, "1234", 4);
	assert_int_equal(crc32c(c, "56789", 5), crc32c(~0u, "123456789", 9));
	assert_int_equal(crc32c(7, "", 0), 7);
}

/* check_counts - what open parsed against dumpe2fs's view of image @name. */
static void check_counts(const char *name)
{
	struct memdisk m;
	struct ext4_fs fs;

	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, name, 1);
	assert_int_equal(fs.inodes_count, dump_u64(name, "Inode count:"));
	assert_int_equal(fs.blocks_count, dump_u64(name, "Block count:"));
	assert_int_equal(fs.free_blocks, dump_u64(name, "Free blocks:"));
	assert_int_equal(fs.free_inodes, dump_u64(name, "Free inodes:"));
	assert_int_equal(fs.first_data_block, dump_u64(name, "First block:"));
	assert_int_equal(fs.block_size, dump_u64(name, "Block size:"));
	assert_int_equal(fs.blocks_per_group, dump_u64(name, "Blocks per group:"));
	assert_int_equal(fs.inodes_per_group, dump_u64(name, "Inodes per group:"));
	assert_int_equal(fs.inode_size, dump_u64(name, "Inode size:"));
	assert_int_equal(fs.desc_size, dump_u64(name, "Group descriptor size:"));
	assert_int_equal(fs.first_ino, dump_u64(name, "First inode:"));
	assert_int_equal(fs.ngroups, (fs.blocks_count - fs.first_data_block + fs.blocks_per_group - 1) /
				     fs.blocks_per_group);
	assert_true(fs.metadata_csum);
	/* The bitmaps, computed or read, agree with every descriptor's counts. */
	fs.rdonly = 0;
	assert_int_equal(ext4_bitmaps_load(&fs), 0);
	close_img(&m, &fs);
}

static void test_counts_1k(void **state) { (void)state; check_counts("1k.img"); }
static void test_counts_4k(void **state) { (void)state; check_counts("4k.img"); }
static void test_counts_d(void **state) { (void)state; check_counts("d.img"); }
static void test_counts_nf(void **state) { (void)state; check_counts("nf.img"); }
static void test_counts_64k(void **state) { (void)state; check_counts("64k.img"); }

/*
 * test_csum_seed - metadata_csum_seed: after tune2fs gives the file
 * system a new UUID, checksums still start from s_checksum_seed.
 */
static void test_csum_seed(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;

	(void)state;
	check_counts("cs.img");
	open_img(&m, &fs, "cs.img", 1);
	assert_true(fs.csum_seed != crc32c(~0u, fs.uuid, 16));
	assert_int_equal(fs.csum_seed, dump_u64("cs.img", "Checksum seed:"));
	close_img(&m, &fs);
}

/* ext4_group_first_block - the first block of group @g. */
static uint64_t ext4_group_first_block(const struct ext4_fs *fs, uint32_t g)
{
	return fs->first_data_block + (uint64_t)g * fs->blocks_per_group;
}

/* pat - byte @i of the test file of inode @ino. */
static uint8_t pat(uint32_t ino, uint64_t i)
{
	return (uint8_t)(ino * 7 + i * 13 + (i >> 10));
}

/*
 * make_file - a regular file of up to 4 runs of @want blocks each (from
 * @goal), filled with pat(): an inode (near @parent) whose i_block is an
 * extent tree root with one leaf entry per run.  Returns its inode.
 */
static uint32_t make_file(struct ext4_fs *fs, struct memdisk *m, uint32_t parent, uint64_t goal,
			  uint32_t want, int runs)
{
	struct ext4_inode in;
	uint32_t ino, lblk = 0;
	uint8_t *blk = malloc(fs->block_size);

	(void)m;
	assert_non_null(blk);
	assert_int_equal(ext4_inode_alloc(fs, parent, 0, &ino), 0);
	ext4_inode_init(fs, &in, ino, 0100644);
	ext4_put16(in.block, 0xF30A);		/* extent header: magic, entries, max 4, depth 0 */
	ext4_put16(in.block + 4, 4);
	for (int r = 0; r < runs && want; r++) {
		uint64_t start;
		uint32_t got;
		uint8_t *e = in.block + 12 + 12 * r;

		assert_int_equal(ext4_block_alloc(fs, goal, want, &start, &got), 0);
		assert_true(got >= 1 && got <= want);
		for (uint32_t b = 0; b < got; b++) {
			for (uint32_t i = 0; i < fs->block_size; i++)
				blk[i] = pat(ino, (uint64_t)(lblk + b) * fs->block_size + i);
			assert_int_equal(fs->io.write(fs->io.ctx, start + b, 1, blk), 0);
		}
		ext4_put32(e, lblk);
		ext4_put16(e + 4, got);
		ext4_put16(e + 6, (uint32_t)(start >> 32));
		ext4_put32(e + 8, (uint32_t)start);
		ext4_put16(in.block + 2, r + 1);
		lblk += got;
		goal = start + got + 5;		/* leave a gap: the next run is a new extent */
	}
	in.flags = EXT4_EXTENTS_FL;
	in.links = 1;
	in.size = (uint64_t)lblk * fs->block_size;
	in.blocks = in.size / 512;
	in.atime = in.mtime = in.ctime = in.crtime = 1700000000;
	assert_int_equal(ext4_inode_write(fs, &in), 0);
	free(blk);
	return ino;
}

/* link_in - give inode @ino the name /@fname in image @name (debugfs ln). */
static void link_in(const char *name, uint32_t ino, const char *fname)
{
	assert_int_equal(sh("debugfs -w -R 'ln <%u> /%s' %s >/dev/null 2>&1", ino, fname,
			    img_path(name)), 0);
}

/* check_content - debugfs reads back /@fname of image @name as make_file wrote inode @ino. */
static void check_content(const char *name, const char *fname, uint32_t ino, uint64_t size)
{
	char out[600];
	FILE *fp;
	uint64_t i = 0;
	int c;

	snprintf(out, sizeof(out), "%s.dump", img_path(name));
	assert_int_equal(sh("debugfs -R 'dump /%s %s' %s >/dev/null 2>&1", fname, out,
			    img_path(name)), 0);
	fp = fopen(out, "rb");
	assert_non_null(fp);
	while ((c = fgetc(fp)) != EOF) {
		if ((uint8_t)c != pat(ino, i))
			fail_msg("%s byte %llu: %02x, wrote %02x", fname, (unsigned long long)i, c,
				 pat(ino, i));
		i++;
	}
	fclose(fp);
	assert_int_equal(i, size);
}

/* first_flagged - the first group with @flag set (the last group if none). */
static uint32_t first_flagged(const struct ext4_fs *fs, uint16_t flag)
{
	for (uint32_t g = 0; g < fs->ngroups; g++)
		if (fs->groups[g].flags & flag)
			return g;
	return fs->ngroups - 1;
}

/* check_padding - on disk, group @g's inode bitmap has every bit past the group's inodes set. */
static void check_padding(const struct ext4_fs *fs, const struct memdisk *m, uint32_t g)
{
	const uint8_t *ib = m->data + fs->groups[g].inode_bitmap * fs->block_size;

	for (uint32_t i = fs->inodes_per_group / 8; i < fs->block_size; i++)
		assert_int_equal(ib[i], 0xff);
}

/*
 * check_alloc_files - files made by our allocator in image @base: one in
 * group 0, one whose blocks come from the first BLOCK_UNINIT group and
 * whose inode from the first INODE_UNINIT one, one in the last group;
 * e2fsck must be silent and debugfs must read the bytes back.
 */
static void check_alloc_files(const char *base, const char *work)
{
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_inode in;
	uint32_t ino[3], bg, ig, last;
	static const char *names[3] = { "f1", "f2", "f3" };

	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, base, 0);
	last = fs.ngroups - 1;
	bg = first_flagged(&fs, EXT4_BG_BLOCK_UNINIT);
	ig = first_flagged(&fs, EXT4_BG_INODE_UNINIT);
	ino[0] = make_file(&fs, &m, EXT4_ROOT_INO, 0, 40, 3);
	ino[1] = make_file(&fs, &m, ig * fs.inodes_per_group + 1,
			   ext4_group_first_block(&fs, bg) + 600, 9, 2);
	ino[2] = make_file(&fs, &m, last * fs.inodes_per_group + 1,
			   ext4_group_first_block(&fs, last) + 100, 7, 2);
	assert_int_equal((ino[1] - 1) / fs.inodes_per_group, ig);
	assert_int_equal(fs.groups[bg].flags & EXT4_BG_BLOCK_UNINIT, 0);
	assert_int_equal(fs.groups[ig].flags & EXT4_BG_INODE_UNINIT, 0);
	assert_int_equal(ext4_fs_flush(&fs, 1800000000), 0);
	check_padding(&fs, &m, ig);
	md_save(&m, work);
	for (int i = 0; i < 3; i++)
		link_in(work, ino[i], names[i]);
	assert_true(fsck_clean(work));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ext4_inode_read(&fs, ino[i], &in), 0);
		check_content(work, names[i], ino[i], in.size);
	}
	assert_int_equal(dump_u64(work, "Free blocks:"), fs.free_blocks);
	assert_int_equal(dump_u64(work, "Free inodes:"), fs.free_inodes);
	close_img(&m, &fs);
}

static void test_files_1k(void **state) { (void)state; check_alloc_files("1k.img", "w1k.img"); }
static void test_files_4k(void **state) { (void)state; check_alloc_files("4k.img", "w4k.img"); }
static void test_files_nf(void **state) { (void)state; check_alloc_files("nf.img", "wnf.img"); }
static void test_files_cs(void **state) { (void)state; check_alloc_files("cs.img", "wcs.img"); }
static void test_files_64k(void **state) { (void)state; check_alloc_files("64k.img", "w64k.img"); }

/*
 * test_enospc - allocate every free block (the count must be exactly the
 * free count), see -ENOSPC, free it all again and flush: e2fsck silent,
 * counts back to mke2fs's.
 */
static void test_enospc(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	uint64_t free0, total = 0, start, *runs = NULL;
	uint32_t got, *lens = NULL, n = 0, cap = 0, ino[64];
	int err;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, "1k.img", 0);
	free0 = fs.free_blocks;
	while ((err = ext4_block_alloc(&fs, 0, 777, &start, &got)) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			runs = realloc(runs, cap * sizeof(*runs));
			lens = realloc(lens, cap * sizeof(*lens));
			assert_true(runs && lens);
		}
		runs[n] = start;
		lens[n++] = got;
		total += got;
	}
	assert_int_equal(err, -ENOSPC);
	assert_int_equal(total, free0);
	assert_int_equal(fs.free_blocks, 0);
	for (uint32_t i = 0; i < 64; i++)
		assert_int_equal(ext4_inode_alloc(&fs, 0, i & 1, &ino[i]), 0);
	for (uint32_t i = 0; i < 64; i++)
		assert_int_equal(ext4_inode_free(&fs, ino[i], i & 1), 0);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(ext4_block_free(&fs, runs[i], lens[i]), 0);
	assert_int_equal(fs.free_blocks, free0);
	assert_int_equal(ext4_fs_flush(&fs, 1800000000), 0);
	md_save(&m, "enospc.img");
	assert_true(fsck_clean("enospc.img"));
	assert_int_equal(dump_u64("enospc.img", "Free blocks:"), free0);
	free(runs);
	free(lens);
	close_img(&m, &fs);
}

/* test_free_refused - frees of metadata, free blocks and reserved inodes change nothing. */
static void test_free_refused(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	uint64_t start, free0;
	uint32_t got, ino, freei;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, "1k.img", 0);
	assert_int_equal(ext4_block_alloc(&fs, 0, 4, &start, &got), 0);
	assert_int_equal(ext4_inode_alloc(&fs, 0, 1, &ino), 0);
	free0 = fs.free_blocks;
	freei = fs.free_inodes;
	assert_int_equal(ext4_block_free(&fs, fs.groups[0].block_bitmap, 1), -EUCLEAN);
	assert_int_equal(ext4_block_free(&fs, fs.groups[1].inode_table + 3, 1), -EUCLEAN);
	assert_int_equal(ext4_block_free(&fs, fs.first_data_block, 1), -EUCLEAN);	/* super */
	assert_int_equal(ext4_block_free(&fs, start + got, 1), -EUCLEAN);	/* free */
	assert_int_equal(ext4_block_free(&fs, start, got + 1), -EUCLEAN);	/* half free */
	assert_int_equal(ext4_block_free(&fs, fs.blocks_count - 1, 2), -EUCLEAN);
	assert_int_equal(ext4_block_free(&fs, 0, 1), -EUCLEAN);
	assert_int_equal(ext4_inode_free(&fs, 5, 0), -EUCLEAN);		/* reserved */
	assert_int_equal(ext4_inode_free(&fs, ino + 1, 0), -EUCLEAN);	/* free */
	assert_int_equal(ext4_inode_free(&fs, fs.inodes_count + 1, 0), -EUCLEAN);
	assert_int_equal(fs.free_blocks, free0);
	assert_int_equal(fs.free_inodes, freei);
	assert_int_equal(ext4_block_free(&fs, start, got), 0);
	assert_int_equal(ext4_inode_free(&fs, ino, 1), 0);
	assert_int_equal(ext4_block_alloc(&fs, 0, 0, &start, &got), -EINVAL);
	close_img(&m, &fs);
}

/*
 * test_inode_roundtrip - every inode in use in the -d image, read and
 * written back unchanged, leaves the image byte for byte as it was: the
 * parse/store pair loses nothing and the checksums agree with mke2fs's.
 */
static void test_inode_roundtrip(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_inode in;
	uint8_t *orig;
	uint32_t used = 0;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, "d.img", 0);
	orig = malloc(m.len);
	assert_non_null(orig);
	memcpy(orig, m.data, m.len);
	for (uint32_t ino = 1; ino <= fs.inodes_count; ino++) {
		uint32_t g = (ino - 1) / fs.inodes_per_group, bit = (ino - 1) % fs.inodes_per_group;

		if (!(fs.groups[g].ibitmap[bit / 8] >> (bit % 8) & 1))
			continue;
		assert_int_equal(ext4_inode_read(&fs, ino, &in), 0);
		assert_int_equal(ext4_inode_write(&fs, &in), 0);
		used++;
	}
	assert_int_equal(used, fs.inodes_count - fs.free_inodes);
	assert_true(memcmp(orig, m.data, m.len) == 0);
	free(orig);
	close_img(&m, &fs);
}

/*
 * test_inode_blocks - i_blocks past 32 bits uses i_blocks_high (huge_file),
 * past 48 bits file-system blocks with HUGE_FILE_FL, past that -EFBIG.
 */
static void test_inode_blocks(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_inode in, back;
	uint32_t ino;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, "1k.img", 0);
	assert_int_equal(ext4_inode_alloc(&fs, EXT4_ROOT_INO, 0, &ino), 0);
	ext4_inode_init(&fs, &in, ino, 0100644);
	in.links = 1;
	in.blocks = 5ull << 32 | 6;
	assert_int_equal(ext4_inode_write(&fs, &in), 0);
	assert_int_equal(ext4_inode_read(&fs, ino, &back), 0);
	assert_true(back.blocks == in.blocks && !(back.flags & EXT4_HUGE_FILE_FL));
	assert_int_equal(ext4_le16(back.raw + I_BLOCKS_HIGH), 5);
	in.blocks = (1ull << 48) + 2;		/* 2^47 + 1 KiB blocks */
	assert_int_equal(ext4_inode_write(&fs, &in), 0);
	assert_int_equal(ext4_inode_read(&fs, ino, &back), 0);
	assert_true(back.blocks == in.blocks && (back.flags & EXT4_HUGE_FILE_FL));
	assert_int_equal(ext4_le32(back.raw + I_BLOCKS_LO), 1);
	assert_int_equal(ext4_le16(back.raw + I_BLOCKS_HIGH), 0x8000);
	in.blocks = 1ull << 60;
	assert_int_equal(ext4_inode_write(&fs, &in), -EFBIG);
	/* Times past what the inode holds are clamped, not wrapped. */
	in.blocks = 0;
	in.mtime = INT64_MAX;
	in.atime = INT64_MIN;
	in.ctime = (3ll << 32) + 100;	/* 2446: within the range */
	assert_int_equal(ext4_inode_write(&fs, &in), 0);
	assert_int_equal(ext4_inode_read(&fs, ino, &back), 0);
	assert_int_equal(back.mtime, INT32_MAX + (3ll << 32));
	assert_int_equal(back.atime, INT32_MIN);
	assert_int_equal(back.ctime, (3ll << 32) + 100);
	close_img(&m, &fs);
}

/* hexpair - the "0x%x:%x" words after a debugfs time label. */
static void hexpair(const char *s, uint32_t *a, uint32_t *b)
{
	char *end;

	*a = (uint32_t)strtoul(s, &end, 16);
	assert_true(*end == ':');
	*b = (uint32_t)strtoul(end + 1, NULL, 16);
}

/* test_inode_read_d - inodes mke2fs -d and debugfs made, as debugfs reports them. */
static void test_inode_read_d(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_inode in;
	char val[256];
	uint32_t ino, lo, extra;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, "d.img", 1);
	assert_int_equal(ext4_inode_read(&fs, EXT4_ROOT_INO, &in), 0);
	assert_int_equal(in.mode & 0170000, 0040000);
	ino = debugfs_ino("d.img", "/a.txt");
	assert_int_equal(ext4_inode_read(&fs, ino, &in), 0);
	assert_int_equal(in.size, 6);
	assert_int_equal(in.mode, 0100644);
	assert_int_equal(in.links, 1);
	assert_true(in.flags & EXT4_EXTENTS_FL);
	debugfs_field("d.img", ino, " mtime:", val, sizeof(val));
	hexpair(val, &lo, &extra);
	assert_int_equal((uint32_t)in.mtime, lo);
	assert_int_equal(in.mtime_ns, extra >> 2);
	ino = debugfs_ino("d.img", "/sub/big");
	assert_int_equal(ext4_inode_read(&fs, ino, &in), 0);
	assert_int_equal(in.size, 70000);
	debugfs_field("d.img", ino, "Links:", val, sizeof(val));
	assert_non_null(find_sub(val, "Blockcount:"));
	assert_int_equal(in.blocks, strtoull(find_sub(val, "Blockcount:") + 11, NULL, 10));
	assert_int_equal(ext4_inode_read(&fs, debugfs_ino("d.img", "/cdev"), &in), 0);
	assert_int_equal(in.rdev, 4 << 8 | 64);
	assert_int_equal(ext4_inode_read(&fs, debugfs_ino("d.img", "/bdev"), &in), 0);
	assert_int_equal(in.rdev, (300 & 0xff) | 8 << 8 | (300 & ~0xff) << 12);
	assert_int_equal(ext4_inode_read(&fs, 0, &in), -EUCLEAN);
	assert_int_equal(ext4_inode_read(&fs, fs.inodes_count + 1, &in), -EUCLEAN);
	assert_int_equal(ext4_inode_write(&fs, &in), -EROFS);
	close_img(&m, &fs);
}

/*
 * test_inode_write_fields - new inodes with times past 2038 and before
 * 1970, nanoseconds, 32-bit ids and both device encodings: debugfs shows
 * the words Linux would store, we read back what we wrote, e2fsck is
 * silent.
 */
static void test_inode_write_fields(void **state)
{
	static const struct { uint16_t mode; uint32_t rdev; const char *name, *want; } dev[] = {
		{ 0020644, 4 << 8 | 64, "c1", "04:64" },
		{ 0060600, (300 & 0xff) | 8 << 8 | (300 & ~0xff) << 12, "b1", "08:300" },
	};
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_inode in, back;
	char val[256];
	uint32_t ino, lo, extra;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	open_img(&m, &fs, "1k.img", 0);
	assert_int_equal(ext4_inode_alloc(&fs, EXT4_ROOT_INO, 0, &ino), 0);
	ext4_inode_init(&fs, &in, ino, 0100600);
	ext4_put16(in.block, 0xF30A);
	ext4_put16(in.block + 4, 4);
	in.flags = EXT4_EXTENTS_FL;
	in.links = 1;
	in.uid = 100000;
	in.gid = 70001;
	in.mtime = (1ll << 32) + 5;
	in.mtime_ns = 123456789;
	in.atime = -1;
	in.atime_ns = 5;
	in.ctime = 1800000000;
	in.crtime = 1700000000;
	in.crtime_ns = 999999999;
	assert_int_equal(ext4_inode_write(&fs, &in), 0);
	assert_int_equal(ext4_inode_read(&fs, ino, &back), 0);
	assert_true(back.mtime == in.mtime && back.mtime_ns == in.mtime_ns);
	assert_true(back.atime == -1 && back.atime_ns == 5);
	assert_true(back.crtime == in.crtime && back.crtime_ns == in.crtime_ns);
	assert_true(back.uid == 100000 && back.gid == 70001);
	for (int i = 0; i < 2; i++) {
		uint32_t d;
		struct ext4_inode di;

		assert_int_equal(ext4_inode_alloc(&fs, EXT4_ROOT_INO, 0, &d), 0);
		ext4_inode_init(&fs, &di, d, dev[i].mode);
		di.links = 1;
		di.rdev = dev[i].rdev;
		di.ctime = di.mtime = di.atime = 1700000000;
		assert_int_equal(ext4_inode_write(&fs, &di), 0);
		assert_int_equal(ext4_inode_read(&fs, d, &back), 0);
		assert_int_equal(back.rdev, dev[i].rdev);
		assert_int_equal(ext4_fs_flush(&fs, 1800000000), 0);
		md_save(&m, "fields.img");
		link_in("fields.img", d, dev[i].name);
		debugfs_field("fields.img", d, i ? "(New-style) Device major/minor number:" :
				"Device major/minor number:", val, sizeof(val));
		assert_int_equal(strncmp(val, dev[i].want, strlen(dev[i].want)), 0);
		free(m.data);
		md_load(&m, "fields.img");	/* keep debugfs's directory entry */
	}
	md_save(&m, "fields.img");
	link_in("fields.img", ino, "t");
	debugfs_field("fields.img", ino, " mtime:", val, sizeof(val));
	hexpair(val, &lo, &extra);
	assert_int_equal(lo, 5);
	assert_int_equal(extra, 1 | 123456789u << 2);
	debugfs_field("fields.img", ino, " atime:", val, sizeof(val));
	hexpair(val, &lo, &extra);
	assert_int_equal(lo, 0xffffffffu);
	assert_int_equal(extra, 5u << 2);
	debugfs_field("fields.img", ino, "User:", val, sizeof(val));
	assert_int_equal(strtoul(val, NULL, 10), 100000);
	assert_true(fsck_clean("fields.img"));
	close_img(&m, &fs);
}

/* sb_fix - recompute the super block checksum of the image in @m. */
static void sb_fix(struct memdisk *m)
{
	uint8_t *sb = m->data + EXT4_SB_OFFSET;

	ext4_put32(sb + SB_CHECKSUM, crc32c(~0u, sb, SB_CHECKSUM));
}

/* try_open - open the image in @m (@rdonly): the error, the reason in @why. */
static int try_open(struct memdisk *m, struct ext4_fs *fs, int rdonly, char *why, size_t len)
{
	struct ext4_io io = md_io(m);
	int err = ext4_fs_open(fs, &io, rdonly, why, len);

	if (!err)
		ext4_fs_close(fs);
	return err;
}

/* sb_or - OR @bits into super block field @off, fixing the checksum. */
static void sb_or(struct memdisk *m, unsigned off, uint32_t bits)
{
	uint8_t *p = m->data + EXT4_SB_OFFSET + off;

	ext4_put32(p, ext4_le32(p) | bits);
	sb_fix(m);
}

/* test_refusals - features, checksums and geometry that open must refuse, and how. */
static void test_refusals(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_inode in;
	char why[128];
	uint8_t *save;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	md_load(&m, "1k.img");
	save = malloc(8192);
	assert_non_null(save);
	memcpy(save, m.data, 8192);
#define RESTORE() memcpy(m.data, save, 8192)
	sb_or(&m, SB_FEATURE_INCOMPAT, EXT4_FEATURE_INCOMPAT_RECOVER);
	assert_int_equal(try_open(&m, &fs, 0, why, sizeof(why)), -EINVAL);
	assert_non_null(find_sub(why, "recovery"));
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), 0);
	RESTORE();
	sb_or(&m, SB_FEATURE_INCOMPAT, 0x10000);	/* encrypt: not ours */
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), -EINVAL);
	RESTORE();
	sb_or(&m, SB_FEATURE_RO_COMPAT, 0x8000);	/* verity: read-only is fine */
	assert_int_equal(try_open(&m, &fs, 0, why, sizeof(why)), -EINVAL);
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), 0);
	RESTORE();
	m.data[EXT4_SB_OFFSET + SB_MAGIC] ^= 1;
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), -EINVAL);
	RESTORE();
	m.data[EXT4_SB_OFFSET + SB_VOLUME_NAME] ^= 1;	/* checksum no longer matches */
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), -EUCLEAN);
	RESTORE();
	sb_or(&m, SB_LOG_BLOCK_SIZE, 7);
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), -EUCLEAN);
	RESTORE();
	sb_or(&m, SB_INODES_COUNT, 0x8);
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), -EUCLEAN);
	RESTORE();
	m.data[2048 + BG_INODE_TABLE_LO] ^= 0x10;	/* descriptor 0: checksum no longer matches */
	assert_int_equal(try_open(&m, &fs, 1, why, sizeof(why)), -EUCLEAN);
	RESTORE();
	{	/* no set_block_size: the io cannot follow */
		struct ext4_io io = md_io(&m);

		io.set_block_size = NULL;
		assert_int_equal(ext4_fs_open(&fs, &io, 1, why, sizeof(why)), -EINVAL);
	}
	/* A flipped bit in the root inode or in a bitmap: caught by their checksums. */
	{
		struct ext4_io io = md_io(&m);
		uint64_t it, bb;

		assert_int_equal(ext4_fs_open(&fs, &io, 0, why, sizeof(why)), 0);
		it = fs.groups[0].inode_table;
		bb = fs.groups[0].block_bitmap;
		m.data[it * 1024 + 256 + 0x10] ^= 1;		/* inode 2's mtime */
		assert_int_equal(ext4_inode_read(&fs, EXT4_ROOT_INO, &in), -EUCLEAN);
		m.data[it * 1024 + 256 + 0x10] ^= 1;
		assert_int_equal(ext4_inode_read(&fs, EXT4_ROOT_INO, &in), 0);
		m.data[bb * 1024 + 1000] ^= 1;
		assert_int_equal(ext4_bitmaps_load(&fs), -EUCLEAN);
		m.data[bb * 1024 + 1000] ^= 1;
		assert_int_equal(ext4_bitmaps_load(&fs), 0);
		ext4_fs_close(&fs);
	}
#undef RESTORE
	free(save);
	free(m.data);
}

/*
 * test_boot_block_kept - with 4 KiB blocks the super block shares block
 * 0 with the boot sector: a flush keeps the first KiB as it was.
 */
static void test_boot_block_kept(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	uint8_t boot[1024];

	(void)state;
	SKIP_WITHOUT_TOOLS();
	md_load(&m, "4k.img");
	for (int i = 0; i < 1024; i++)
		boot[i] = m.data[i] = (uint8_t)(i * 3 + 1);
	md_save(&m, "boot.img");
	free(m.data);
	open_img(&m, &fs, "boot.img", 0);
	assert_int_equal(ext4_fs_flush(&fs, 1800000000), 0);
	assert_true(memcmp(m.data, boot, 1024) == 0);
	md_save(&m, "boot.img");
	assert_true(fsck_clean("boot.img"));
	/* A write time past 2106 keeps its high bits in s_wtime_hi. */
	assert_int_equal(ext4_fs_flush(&fs, (1ll << 32) + 7), 0);
	assert_int_equal(ext4_le32(m.data + EXT4_SB_OFFSET + SB_WTIME), 7);
	assert_int_equal(m.data[EXT4_SB_OFFSET + SB_WTIME_HI], 1);
	close_img(&m, &fs);
}

static uint64_t rng_state;

/* rng - xorshift64*: deterministic, so a failing mutant is found again. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

/* desc_fix - recompute every descriptor checksum of the 1 KiB-block image in @m. */
static void desc_fix(struct memdisk *m, uint32_t ngroups, uint32_t ds)
{
	const uint8_t *sb = m->data + EXT4_SB_OFFSET;
	uint32_t seed = crc32c(~0u, sb + SB_UUID, 16);

	for (uint32_t g = 0; g < ngroups && 2048 + (g + 1) * ds <= 3072; g++) {
		uint8_t *d = m->data + 2048 + g * ds, le[4], zero[2] = { 0, 0 };
		uint32_t c;

		ext4_put32(le, g);
		c = crc32c(seed, le, 4);
		c = crc32c(c, d, BG_CHECKSUM);
		c = crc32c(c, zero, 2);
		c = crc32c(c, d + BG_CHECKSUM + 2, ds - BG_CHECKSUM - 2);
		ext4_put16(d + BG_CHECKSUM, c);
	}
}

/* exercise - what a mount would do with an image that opened: no crash, sane errors. */
static void exercise(struct ext4_fs *fs)
{
	struct ext4_inode in;
	uint64_t start;
	uint32_t got, ino;
	int err;

	for (uint32_t i = 1; i <= fs->inodes_count && i <= 40; i++) {
		err = ext4_inode_read(fs, i, &in);
		assert_true(err == 0 || err == -EUCLEAN || err == -EIO);
	}
	fs->rdonly = 0;		/* the allocator, in memory: nothing is flushed */
	err = ext4_bitmaps_load(fs);
	assert_true(err == 0 || err == -EUCLEAN || err == -EIO);
	if (err)
		return;
	for (int i = 0; i < 4; i++) {
		err = ext4_block_alloc(fs, rng() % (fs->blocks_count + 10), 1 + rng() % 300, &start,
				       &got);
		assert_true(err == 0 || err == -ENOSPC);
		if (!err)
			assert_int_equal(ext4_block_free(fs, start, got), 0);
		err = ext4_inode_alloc(fs, (uint32_t)rng(), i & 1, &ino);
		assert_true(err == 0 || err == -ENOSPC);
		if (!err)
			assert_int_equal(ext4_inode_free(fs, ino, i & 1), 0);
		err = ext4_block_free(fs, rng() % (fs->blocks_count + 10), 1 + rng() % 8);
		assert_true(err == 0 || err == -EUCLEAN);
	}
}

/*
 * test_fuzz - corrupted copies of a small image: a few bytes changed in
 * the super block, the descriptors, or a group's bitmaps and inode
 * table; every other one with the super block and descriptor checksums
 * recomputed so that the checks behind them are reached.  Open must
 * fail cleanly or give a file system the rest of the library survives.
 */
static void test_fuzz(void **state)
{
	struct memdisk m;
	struct ext4_fs fs;
	struct ext4_io io;
	char why[128];
	uint8_t *save;
	size_t keep = 3072 + 64 * 1024;
	unsigned opened = 0, refused = 0;

	(void)state;
	SKIP_WITHOUT_TOOLS();
	md_load(&m, "fz.img");
	assert_true(m.len >= keep);
	save = malloc(keep);
	assert_non_null(save);
	memcpy(save, m.data, keep);
	rng_state = FUZZ_SEED;
	for (int run = 0; run < FUZZ_RUNS; run++) {
		int nflip = 1 + (int)(rng() % 6), region = (int)(rng() % 3), err;

		for (int k = 0; k < nflip; k++) {
			size_t at = region == 0 ? 1024 + rng() % 1024 :
				    region == 1 ? 2048 + rng() % 1024 : 3072 + rng() % (keep - 3072);

			if (rng() & 1)
				m.data[at] ^= (uint8_t)(1u << (rng() % 8));
			else
				m.data[at] = (uint8_t)rng();
		}
		if (run & 1) {
			desc_fix(&m, 3, 64);
			sb_fix(&m);
		}
		io = md_io(&m);
		err = ext4_fs_open(&fs, &io, (int)(rng() & 1), why, sizeof(why));
		assert_true(err == 0 || err == -EUCLEAN || err == -EINVAL || err == -EIO ||
			    err == -ENOMEM);
		if (!err) {
			opened++;
			exercise(&fs);
			ext4_fs_close(&fs);
		} else {
			refused++;
		}
		memcpy(m.data, save, keep);
	}
	/* Both outcomes happen: the fuzz reaches past the checks, and the checks catch. */
	assert_true(opened > FUZZ_RUNS / 20);
	assert_true(refused > FUZZ_RUNS / 20);
	free(save);
	free(m.data);
}

/* setup - the scratch directory and the images every test starts from. */
static int setup(void **state)
{
	const char *mk = "E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -t ext4 -F "
			 "-U 0b1e5e1f-0000-4000-8000-486f6c737465 -E hash_seed=0b1e5e1f-0000-4000-8000-"
			 "000000000015 >/dev/null 2>&1";

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/holstein-ext4-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	have_tools = sh("{ command -v mke2fs && command -v e2fsck && command -v debugfs && "
			"command -v dumpe2fs; } >/dev/null") == 0;
	if (!have_tools) {
		fprintf(stderr, "test_ext4: e2fsprogs missing: image tests skipped\n");
		return 0;
	}
	if (sh("mkdir -p %s/tree/sub && printf hello\\\\n > %s/tree/a.txt && "
	       "head -c 70000 /dev/zero | tr '\\\\0' 'x' > %s/tree/sub/big", tmpdir, tmpdir, tmpdir) ||
	    sh("%s %s 32M", mk, img_path("1k.img")) ||
	    sh("%s -b 4096 -g 8192 %s 128M", mk, img_path("4k.img")) ||
	    sh("%s -O ^flex_bg %s 32M", mk, img_path("nf.img")) ||
	    sh("%s -O metadata_csum_seed %s 16M && tune2fs -U 11111111-2222-3333-4444-555555555555 "
	       "%s >/dev/null 2>&1", mk, img_path("cs.img"), img_path("cs.img")) ||
	    sh("%s -b 65536 %s 32M", mk, img_path("64k.img")) ||
	    sh("%s -d %s/tree %s 16M", mk, tmpdir, img_path("d.img")) ||
	    sh("debugfs -w -R 'mknod cdev c 4 64' %s >/dev/null 2>&1", img_path("d.img")) ||
	    sh("debugfs -w -R 'mknod bdev b 8 300' %s >/dev/null 2>&1", img_path("d.img")) ||
	    sh("%s %s 20M", mk, img_path("fz.img")))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (tmpdir[0])
		sh("rm -rf %s", tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c),
		cmocka_unit_test(test_counts_1k),
		cmocka_unit_test(test_counts_4k),
		cmocka_unit_test(test_counts_d),
		cmocka_unit_test(test_counts_nf),
		cmocka_unit_test(test_counts_64k),
		cmocka_unit_test(test_csum_seed),
		cmocka_unit_test(test_files_1k),
		cmocka_unit_test(test_files_4k),
		cmocka_unit_test(test_files_nf),
		cmocka_unit_test(test_files_cs),
		cmocka_unit_test(test_files_64k),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_free_refused),
		cmocka_unit_test(test_inode_roundtrip),
		cmocka_unit_test(test_inode_read_d),
		cmocka_unit_test(test_inode_write_fields),
		cmocka_unit_test(test_inode_blocks),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_boot_block_kept),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
