/*
 * test_ext4_fuzz.c - corrupted ext4 images thrown at the on-disk library.
 *
 * Four small images made by mke2fs at test time (1 KiB and 4 KiB blocks,
 * with and without metadata_csum), each with a file of hundreds of
 * extents, a hashed directory, symlinks and small files.  A first walk
 * lists their metadata blocks: super block, descriptors, bitmaps, the
 * used part of the inode tables, extent tree blocks, directory blocks.
 * Each round flips random bytes in a few of them, and, half the time
 * with metadata_csum, seals extent and directory blocks with a right
 * checksum again so the damage reaches the parsers behind the checksums.
 * Then it opens the image, reads every inode, its extents and every
 * directory block, and puts the damaged blocks back.  One round in
 * eight also opens it read-write and rebuilds a file's extent tree.
 *
 * Built with ASan/UBSan without recovery: a read out of bounds, an
 * overflow or a leak fails the run; an alarm fails a hang.  The PRNG is
 * seeded with a constant, so a failure reproduces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "ext4_img.h"
#include "test_util.h"

#define FUZZ_SEED	0x6578743466757a7aull	/* "ext4fuzz" */
#define FUZZ_ROUNDS	1000			/* per base image */
#define FUZZ_MAX_INODES	600			/* inodes read per round */
#define FUZZ_MAX_DIRBLK	128			/* directory blocks read per directory */
#define FUZZ_ALARM	240			/* seconds: a hang fails the run */
#define MAX_META	4096

enum kind { K_SUPER, K_GDT, K_BITMAP, K_ITABLE, K_EXTENT, K_DIR };

/* A metadata block of a base image, and who owns it (for resealing). */
struct meta {
	uint64_t blk;
	enum kind kind;
	uint32_t ino, gen;
};

struct base {
	struct ext4_img im;
	uint8_t *pristine;
	struct meta meta[MAX_META];
	uint32_t nmeta;
	int csum;
};

static struct base bases[4];
static char srcdir[128];
static uint64_t rng = FUZZ_SEED;
static unsigned long rewrites_ok, opened, inodes_read, extents_ok, extents_bad, dirblocks_ok, dirblocks_bad;

static void add_meta(struct base *b, uint64_t blk, enum kind k, uint32_t ino, uint32_t gen)
{
	if (b->nmeta < MAX_META)
		b->meta[b->nmeta++] = (struct meta){ blk, k, ino, gen };
}

/* write_src - the small tree every base image is made from. */
static void write_src(void)
{
	char path[300];
	FILE *fp;

	snprintf(srcdir, sizeof(srcdir), "/tmp/ext4fuzz.%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/dir", srcdir);
	if (mkdir(srcdir, 0755) || mkdir(path, 0755))
		exit(2);
	snprintf(path, sizeof(path), "%s/holes", srcdir);
	fp = fopen(path, "wb");
	for (int i = 0; i < 400; i++) {	/* 400 extents: depth 2 at 1 KiB, 1 at 4 KiB */
		fseek(fp, (long)i * 8192, SEEK_SET);
		fprintf(fp, "block %d", i);
	}
	fclose(fp);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "%s/dir/a-rather-long-file-name-number-%04d", srcdir, i);
		fp = fopen(path, "w");
		fprintf(fp, "%d\n", i);
		fclose(fp);
	}
	snprintf(path, sizeof(path), "%s/small", srcdir);
	fp = fopen(path, "w");
	fprintf(fp, "hello\n");
	fclose(fp);
	img_run("ln -s small %s/fast%s", srcdir, "");
	img_run("ln -s %s/dir/a-rather-long-file-name-number-0001/../../../../../../../small %s/slow",
		srcdir, srcdir);
}

/* list_meta - walk base @b with the library, noting every metadata block. */
static void list_meta(struct base *b, struct ext4_fs *fs)
{
	uint32_t bs = fs->block_size, per = bs / fs->inode_size;
	uint32_t itb = (fs->inodes_per_group * fs->inode_size + bs - 1) / bs;

	add_meta(b, fs->first_data_block, K_SUPER, 0, 0);
	add_meta(b, fs->first_data_block + 1, K_GDT, 0, 0);
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		add_meta(b, fs->groups[g].block_bitmap, K_BITMAP, 0, 0);
		add_meta(b, fs->groups[g].inode_bitmap, K_BITMAP, 0, 0);
	}
	for (uint32_t ino = 1; ino <= fs->inodes_count && ino <= FUZZ_MAX_INODES; ino++) {
		struct ext4_inode in;
		struct ext4_extents x;
		uint32_t g = (ino - 1) / fs->inodes_per_group, idx = (ino - 1) % fs->inodes_per_group;

		if ((ino - 1) % per == 0 && idx / per < itb)
			add_meta(b, fs->groups[g].inode_table + idx / per, K_ITABLE, 0, 0);
		if (ext4_inode_read(fs, ino, &in) || in.links == 0 || ext4_extents_read(fs, &in, &x))
			continue;
		for (uint32_t i = 0; i < x.ntree; i++)
			add_meta(b, x.tree[i], K_EXTENT, ino, in.generation);
		if ((in.mode & 0170000) == 0040000)
			for (uint32_t i = 0; i < in.size / bs; i++)
				add_meta(b, ext4_extents_map(&x, i), K_DIR, ino, in.generation);
		ext4_extents_free(&x);
	}
}

static void make_base(struct base *b, const char *tag, uint32_t bs, int csum)
{
	char path[300], why[128];
	struct ext4_fs fs;
	struct ext4_io io;

	snprintf(path, sizeof(path), "%s.%s.img", srcdir, tag);
	img_make(&b->im, path, srcdir, bs, bs == 1024 ? "4M" : "8M",
		 csum ? "" : "-O ^metadata_csum", 1);
	unlink(path);
	b->csum = csum;
	b->pristine = malloc(b->im.len);
	memcpy(b->pristine, b->im.data, b->im.len);
	io = img_io(&b->im);
	if (ext4_fs_open(&fs, &io, 1, why, sizeof(why))) {
		fprintf(stderr, "base %s: %s\n", tag, why);
		exit(2);
	}
	list_meta(b, &fs);
	ext4_fs_close(&fs);
}

/* seed_of - the per-inode checksum seed, computed here independently of the library. */
static uint32_t seed_of(uint32_t fs_seed, uint32_t ino, uint32_t gen)
{
	uint8_t b[4] = { (uint8_t)ino, (uint8_t)(ino >> 8), (uint8_t)(ino >> 16), (uint8_t)(ino >> 24) };
	uint32_t c = crc32c(fs_seed, b, 4);

	b[0] = (uint8_t)gen, b[1] = (uint8_t)(gen >> 8), b[2] = (uint8_t)(gen >> 16);
	b[3] = (uint8_t)(gen >> 24);
	return crc32c(c, b, 4);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static uint32_t get16(const uint8_t *p) { return p[0] | p[1] << 8; }

/*
 * reseal - give the damaged extent or directory block @p (@bs bytes) a
 * right checksum again, where its (damaged) header still says where the
 * checksum goes: the extent tail, the directory tail, or a dx_tail.
 */
static void reseal(uint8_t *p, uint32_t bs, const struct meta *m, uint32_t fs_seed)
{
	static const uint8_t zero[4];
	uint32_t seed = seed_of(fs_seed, m->ino, m->gen), off, limit, count, c;

	if (m->kind == K_EXTENT) {
		off = 12 + 12 * get16(p + 4);
		if (off + 4 <= bs)
			put32(p + off, crc32c(seed, p, off));
		return;
	}
	if (get16(p + bs - 12 + 4) == 12 && p[bs - 12 + 7] == 0xDE) {
		put32(p + bs - 4, crc32c(seed, p, bs - 12));
		return;
	}
	off = get16(p + 4) == 12 ? 32 : 8;		/* dx_root after "." and "..", or dx_node */
	limit = get16(p + off);
	count = get16(p + off + 2);
	if (count > limit || off + limit * 8 + 8 > bs)
		return;
	c = crc32c(seed, p, off + count * 8);
	c = crc32c(c, p + off + limit * 8, 4);
	put32(p + off + limit * 8 + 4, crc32c(c, zero, 4));
}

static int touch_cb(void *arg, const struct ext4_dirent *d)
{
	unsigned *sum = arg;

	for (unsigned i = 0; i < d->name_len; i++)
		*sum += (unsigned char)d->name[i];	/* ASan sees any byte past the block */
	*sum += d->ino + d->type;
	return 0;
}

/* walk_dir - every block of directory @in, each in a buffer of exactly one block. */
static void walk_dir(struct ext4_fs *fs, const struct ext4_inode *in, const struct ext4_extents *x)
{
	uint32_t bs = fs->block_size;
	uint8_t *buf = malloc(bs);
	unsigned sum = 0;

	for (uint64_t l = 0; l < in->size / bs && l < FUZZ_MAX_DIRBLK; l++) {
		uint64_t p = ext4_extents_map(x, (uint32_t)l);

		if (!p || fs->io.read(fs->io.ctx, p, 1, buf))
			continue;
		if (ext4_dir_parse(fs, in, (uint32_t)l, buf, touch_cb, &sum) == 0)
			dirblocks_ok++;
		else
			dirblocks_bad++;
	}
	free(buf);
}

/* walk - open the (damaged) image read-only and read all it holds; errors are fine, crashes not. */
static void walk(struct base *b)
{
	struct ext4_fs fs;
	struct ext4_io io = img_io(&b->im);
	char why[128];

	if (ext4_fs_open(&fs, &io, 1, why, sizeof(why)))
		return;
	opened++;
	ext4_bitmaps_load(&fs);
	for (uint32_t ino = 1; ino <= fs.inodes_count && ino <= FUZZ_MAX_INODES; ino++) {
		struct ext4_inode in;
		struct ext4_extents x;

		if (ext4_inode_read(&fs, ino, &in))
			continue;
		inodes_read++;
		if (ext4_extents_read(&fs, &in, &x)) {
			extents_bad++;
			continue;
		}
		extents_ok++;
		ext4_extents_map(&x, (uint32_t)test_rand(&rng));
		if ((in.mode & 0170000) == 0040000)
			walk_dir(&fs, &in, &x);
		ext4_extents_free(&x);
	}
	ext4_fs_close(&fs);
}

/*
 * pick - a metadata block: a kind first, uniformly among the kinds the
 * image has, then a block of that kind, so the few extent blocks are hit
 * as often as the many inode table blocks.
 */
static const struct meta *pick(struct base *b)
{
	for (;;) {
		enum kind k = (enum kind)test_below(&rng, K_DIR + 1);
		uint32_t n = 0, want;

		for (uint32_t i = 0; i < b->nmeta; i++)
			n += b->meta[i].kind == k;
		if (n == 0)
			continue;
		want = test_below(&rng, n);
		for (uint32_t i = 0; i < b->nmeta; i++)
			if (b->meta[i].kind == k && want-- == 0)
				return &b->meta[i];
	}
}

/*
 * rewrite - every eighth round: open the damaged image read-write and
 * rebuild the holes file's tree (inode 12 or wherever it is) as it
 * reads: the allocator and the writer must cope with what the damage
 * left.  The caller puts the whole image back.
 */
static void rewrite(struct base *b)
{
	struct ext4_fs fs;
	struct ext4_io io = img_io(&b->im);
	struct ext4_inode in;
	struct ext4_extents x;
	char why[128];
	uint32_t ino;

	if (ext4_fs_open(&fs, &io, 0, why, sizeof(why)))
		return;
	ino = img_lookup(&fs, "/holes");
	if (ino && ext4_bitmaps_load(&fs) == 0 && ext4_inode_read(&fs, ino, &in) == 0 &&
	    ext4_extents_read(&fs, &in, &x) == 0) {
		if (ext4_extents_write(&fs, &in, &x) == 0 && ext4_inode_write(&fs, &in) == 0)
			rewrites_ok++;
		ext4_extents_free(&x);
		ext4_fs_flush(&fs, 1700000000);
	}
	ext4_fs_close(&fs);
}

/* fuzz_round - damage 1..3 metadata blocks of @b, walk, repair. */
static void fuzz_round(struct base *b, uint32_t bs, uint32_t fs_seed)
{
	const struct meta *hit[3];
	uint32_t nhit = 1 + test_below(&rng, 3);

	for (uint32_t k = 0; k < nhit; k++) {
		const struct meta *m = pick(b);
		uint8_t *p = b->im.data + m->blk * bs;
		uint32_t flips = 1 + test_below(&rng, 8);

		hit[k] = m;
		for (uint32_t f = 0; f < flips; f++) {
			uint32_t off = test_below(&rng, bs);

			if (test_below(&rng, 4) == 0 && off + 4 <= bs)	/* a whole word: sizes, counts */
				put32(p + off, (uint32_t)test_rand(&rng));
			else
				p[off] ^= (uint8_t)(1 + test_below(&rng, 255));
		}
		if (b->csum && (m->kind == K_EXTENT || m->kind == K_DIR) && test_below(&rng, 2))
			reseal(p, bs, m, fs_seed);
	}
	walk(b);
	if (test_below(&rng, 8) == 0) {
		rewrite(b);
		memcpy(b->im.data, b->pristine, b->im.len);
		b->im.writes = 0;
		return;
	}
	for (uint32_t k = 0; k < nhit; k++)
		memcpy(b->im.data + hit[k]->blk * bs, b->pristine + hit[k]->blk * bs, bs);
}

static void fuzz_base(int i, const char *tag, uint32_t bs, int csum)
{
	struct base *b = &bases[i];
	struct ext4_fs fs;
	struct ext4_io io;
	char why[128];
	uint32_t fs_seed;

	make_base(b, tag, bs, csum);
	assert_true(b->nmeta > 20);
	io = img_io(&b->im);
	assert_int_equal(ext4_fs_open(&fs, &io, 1, why, sizeof(why)), 0);
	fs_seed = fs.csum_seed;
	ext4_fs_close(&fs);
	for (int r = 0; r < FUZZ_ROUNDS; r++)
		fuzz_round(b, bs, fs_seed);
	/* Reading never writes, and the image is whole again: it still reads. */
	assert_int_equal(b->im.writes, 0);
	assert_memory_equal(b->im.data, b->pristine, b->im.len);
	free(b->im.data);
	free(b->pristine);
}

static void test_fuzz_1k_csum(void **state) { (void)state; fuzz_base(0, "1k-csum", 1024, 1); }
static void test_fuzz_1k_plain(void **state) { (void)state; fuzz_base(1, "1k-plain", 1024, 0); }
static void test_fuzz_4k_csum(void **state) { (void)state; fuzz_base(2, "4k-csum", 4096, 1); }
static void test_fuzz_4k_plain(void **state) { (void)state; fuzz_base(3, "4k-plain", 4096, 0); }

/* The parsers were reached: enough damaged images opened and got past their checks. */
static void test_fuzz_reached(void **state)
{
	(void)state;
	fprintf(stderr, "fuzz: %lu opened, %lu inodes, extent trees %lu read %lu refused, "
		"directory blocks %lu read %lu refused, %lu trees rewritten\n", opened, inodes_read,
		extents_ok, extents_bad, dirblocks_ok, dirblocks_bad, rewrites_ok);
	assert_true(opened > FUZZ_ROUNDS);
	assert_true(extents_ok > 1000 && dirblocks_ok > 1000);
	assert_true(extents_bad > 100 && dirblocks_bad > 100);
	assert_true(rewrites_ok > 100);
}

static int group_setup(void **state)
{
	(void)state;
	alarm(FUZZ_ALARM);
	write_src();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	img_run("rm -rf %s%s", srcdir, "");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_1k_csum),
		cmocka_unit_test(test_fuzz_1k_plain),
		cmocka_unit_test(test_fuzz_4k_csum),
		cmocka_unit_test(test_fuzz_4k_plain),
		cmocka_unit_test(test_fuzz_reached),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
