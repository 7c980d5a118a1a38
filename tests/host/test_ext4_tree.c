/*
 * test_ext4_tree.c - the extent tree and directory parts of the ext4
 * library (fs/ext4_extent.c, fs/ext4_extent_write.c, fs/ext4_dir.c) over
 * images Debian's mke2fs makes at test time, with 1 KiB and 4 KiB blocks.
 *
 * Reading: a file with a hole after every block (hundreds of extents, a
 * tree of depth 2 as mke2fs lays it out) and a big contiguous one come
 * back byte for byte; a directory of 2000 names, hashed by `e2fsck -D`
 * (dx_root and, with 1 KiB blocks, dx_node blocks), comes back name for
 * name.  Writing: a file's extents rebuilt as many pieces (depths 1 and
 * 2) and merged back (depth 0, the tree freed), a hashed directory
 * rewritten linear; each time `e2fsck -fn` must find the image clean and
 * `debugfs` must read the same bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "ext4_img.h"

#define NHOLES		700	/* one block of data, one of hole, this many times */
#define NNAMES		2000
#define BIG_BYTES	(6u << 20)	/* 6144 blocks of 1 KiB, 1536 of 4 KiB */

static char srcdir[128];	/* the tree mke2fs -d copies */
static char workdir[160];	/* where the images live */

/* pattern - the byte at @off of test file @salt: no two blocks alike. */
static uint8_t pattern(uint32_t salt, uint64_t off)
{
	return (uint8_t)((off * 131 + off / 1024 * 7 + salt) % 251);
}

/* name_of - the @i-th name of the big directory: long enough to need dx_node blocks at 1 KiB. */
static void name_of(char *buf, size_t len, int i)
{
	snprintf(buf, len, "entry-%05d-%.*s", i, 20 + i % 40,
		 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

/* write_src - the source tree: holes, big, d/ with NNAMES files, small. */
static void write_src(void)
{
	char path[300];
	FILE *fp;
	uint8_t blk[1024];

	snprintf(srcdir, sizeof(srcdir), "/tmp/ext4tree.%d", (int)getpid());
	snprintf(workdir, sizeof(workdir), "%s.img", srcdir);
	snprintf(path, sizeof(path), "%s/d", srcdir);
	if (mkdir(srcdir, 0755) || mkdir(workdir, 0755) || mkdir(path, 0755))
		exit(2);
	snprintf(path, sizeof(path), "%s/holes", srcdir);
	fp = fopen(path, "wb");
	for (int i = 0; i < NHOLES; i++) {
		for (int j = 0; j < 1024; j++)
			blk[j] = pattern(1, (uint64_t)i * 2048 + j);
		fseek(fp, (long)i * 2048 * 4, SEEK_SET);	/* a hole at either block size */
		fwrite(blk, 1, sizeof(blk), fp);
	}
	fclose(fp);
	snprintf(path, sizeof(path), "%s/big", srcdir);
	fp = fopen(path, "wb");
	for (uint64_t off = 0; off < BIG_BYTES; off++)
		fputc(pattern(2, off), fp);
	fclose(fp);
	for (int i = 0; i < NNAMES; i++) {
		char name[96];

		name_of(name, sizeof(name), i);
		snprintf(path, sizeof(path), "%s/d/%s", srcdir, name);
		fp = fopen(path, "w");
		fprintf(fp, "%d\n", i);
		fclose(fp);
	}
}

/* expect_file - the bytes of @name in the source tree, malloc'd. */
static uint8_t *expect_file(const char *name, size_t *len)
{
	char path[300];
	FILE *fp;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", srcdir, name);
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		exit(2);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		exit(2);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* One image, opened read-write, with its source. */
struct env {
	struct ext4_img im;
	struct ext4_fs fs;
	uint32_t bs;
};

static struct env *env_open(uint32_t bs, const char *tag)
{
	struct env *e = calloc(1, sizeof(*e));
	char path[300], why[128];
	struct ext4_io io;

	snprintf(path, sizeof(path), "%s/%s-%u.img", workdir, tag, bs);
	img_make(&e->im, path, srcdir, bs, bs == 1024 ? "24M" : "48M", "", 1);
	io = img_io(&e->im);
	if (ext4_fs_open(&e->fs, &io, 0, why, sizeof(why)) || ext4_bitmaps_load(&e->fs)) {
		fprintf(stderr, "ext4_fs_open: %s\n", why);
		exit(2);
	}
	e->bs = bs;
	return e;
}

static void env_close(struct env *e)
{
	ext4_fs_close(&e->fs);
	free(e->im.data);
	unlink(e->im.path);
	free(e);
}

/* check_same - the library, and then debugfs on the saved image, read @name as the source has it. */
static void check_same(struct env *e, const char *name)
{
	char path[300];
	size_t want_len, got_len, dbg_len;
	uint8_t *want = expect_file(name, &want_len), *got, *dbg;
	uint32_t ino;

	snprintf(path, sizeof(path), "/%s", name);
	ino = img_lookup(&e->fs, path);
	assert_true(ino != 0);
	got = img_read_file(&e->fs, ino, &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	img_save(&e->im);
	dbg = img_debugfs_cat(&e->im, path, &dbg_len);
	assert_int_equal(dbg_len, want_len);
	assert_memory_equal(dbg, want, want_len);
	free(want);
	free(got);
	free(dbg);
}

/* tree_depth - the depth in @in's extent root. */
static unsigned tree_depth(const struct ext4_inode *in)
{
	return in->block[6] | in->block[7] << 8;
}

/* --- reading ------------------------------------------------------------- */

/* Files with hundreds of extents and a big one come back byte for byte. */
static void read_files(uint32_t bs)
{
	struct env *e = env_open(bs, "read");
	struct ext4_inode in;
	struct ext4_extents x;

	assert_int_equal(ext4_inode_read(&e->fs, img_lookup(&e->fs, "/holes"), &in), 0);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	assert_int_equal(x.n, NHOLES);
	assert_true(x.ntree > 0 && tree_depth(&in) >= 1);
	for (uint32_t i = 0; i < x.n; i++)
		assert_int_equal(x.ext[i].lblk, i * (8192 / bs));
	assert_int_equal(ext4_extents_map(&x, 1), 0);		/* a hole */
	assert_int_equal(ext4_extents_map(&x, 0), x.ext[0].pblk);
	ext4_extents_free(&x);
	check_same(e, "holes");
	check_same(e, "big");
	assert_int_equal(e->im.writes, 0);
	env_close(e);
}

static void test_read_files_1k(void **state) { (void)state; read_files(1024); }
static void test_read_files_4k(void **state) { (void)state; read_files(4096); }

/* What a walk over the big directory saw. */
struct seen {
	uint8_t got[NNAMES];
	int dots, other;
};

static int seen_cb(void *arg, const struct ext4_dirent *d)
{
	struct seen *s = arg;
	char want[96];
	int i;

	if ((d->name_len == 1 && d->name[0] == '.') ||
	    (d->name_len == 2 && !memcmp(d->name, "..", 2))) {
		s->dots++;
		return 0;
	}
	if (d->name_len < 11 || sscanf(d->name + 6, "%5d", &i) != 1 || i < 0 || i >= NNAMES) {
		s->other++;
		return 0;
	}
	name_of(want, sizeof(want), i);
	if (strlen(want) != d->name_len || memcmp(want, d->name, d->name_len) || d->type != 1)
		s->other++;
	else
		s->got[i]++;
	return 0;
}

/* check_names - directory /d holds exactly the NNAMES names, ".", "..". */
static void check_names(struct env *e, struct ext4_inode *dir)
{
	struct seen *s = calloc(1, sizeof(*s));

	assert_int_equal(img_dir_walk(&e->fs, dir, seen_cb, s), 0);
	assert_int_equal(s->dots, 2);
	assert_int_equal(s->other, 0);
	for (int i = 0; i < NNAMES; i++)
		assert_int_equal(s->got[i], 1);
	free(s);
}

/* The hashed directory, index blocks skipped, gives every name once. */
static void read_dir(uint32_t bs)
{
	struct env *e = env_open(bs, "dir");
	struct ext4_inode in;
	struct ext4_extents x;
	uint8_t *blk = malloc(bs);

	assert_int_equal(ext4_inode_read(&e->fs, img_lookup(&e->fs, "/d"), &in), 0);
	assert_true(in.flags & 0x1000);		/* INDEX_FL: e2fsck -D hashed it */
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	assert_int_equal(e->fs.io.read(e->fs.io.ctx, ext4_extents_map(&x, 0), 1, blk), 0);
	if (bs == 1024)
		assert_int_equal(blk[24 + 6], 1);	/* indirect levels: dx_node blocks too */
	check_names(e, &in);
	/* A flipped bit in the dx_root is caught by its dx_tail checksum. */
	blk[40] ^= 1;
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &(struct seen){0}), -117);
	ext4_extents_free(&x);
	free(blk);
	env_close(e);
}

static void test_read_dir_1k(void **state) { (void)state; read_dir(1024); }
static void test_read_dir_4k(void **state) { (void)state; read_dir(4096); }

/* --- writing ------------------------------------------------------------- */

/*
 * reshape - @x's extents merged wherever logically and physically
 * contiguous, then (@piece > 0) cut into pieces of at most @piece blocks.
 */
static void reshape(struct ext4_extents *x, uint32_t piece)
{
	struct ext4_extent *m = malloc(sizeof(*m) * (x->n + 1)), *out;
	uint32_t n = 0, total = 0, k = 0;

	for (uint32_t i = 0; i < x->n; i++) {
		struct ext4_extent c = x->ext[i], *l = n ? &m[n - 1] : NULL;

		if (l && l->lblk + l->len == c.lblk && l->pblk + l->len == c.pblk &&
		    l->len + c.len <= 32768 && !l->uninit && !c.uninit)
			l->len += c.len;
		else
			m[n++] = c;
		total += c.len;
	}
	if (!piece) {
		out = m;
		k = n;
	} else {
		out = malloc(sizeof(*out) * (total + 1));
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t done = 0; done < m[i].len; done += piece) {
				out[k] = m[i];
				out[k].lblk += done;
				out[k].pblk += done;
				out[k].len = m[i].len - done < piece ? m[i].len - done : piece;
				k++;
			}
		free(m);
	}
	free(x->ext);
	x->ext = out;
	x->n = x->cap = k;
}

/* rewrite - give /@name the extents @piece makes, write all back; the new depth. */
static unsigned rewrite(struct env *e, const char *name, uint32_t piece, uint32_t *n)
{
	char path[64];
	struct ext4_inode in;
	struct ext4_extents x;
	uint64_t blocks;

	snprintf(path, sizeof(path), "/%s", name);
	assert_int_equal(ext4_inode_read(&e->fs, img_lookup(&e->fs, path), &in), 0);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	blocks = in.blocks;
	reshape(&x, piece);
	assert_int_equal(ext4_extents_write(&e->fs, &in, &x), 0);
	/* i_blocks: data blocks plus the tree's, in 512-byte units. */
	blocks = x.ntree;
	for (uint32_t i = 0; i < x.n; i++)
		blocks += x.ext[i].len;
	assert_int_equal(in.blocks, blocks * (e->bs / 512));
	assert_int_equal(ext4_inode_write(&e->fs, &in), 0);
	assert_int_equal(ext4_fs_flush(&e->fs, 1700000000), 0);
	*n = x.n;
	ext4_extents_free(&x);
	/* Read back through the library: the same count, every header checked. */
	assert_int_equal(ext4_inode_read(&e->fs, in.ino, &in), 0);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	assert_int_equal(x.n, *n);
	ext4_extents_free(&x);
	check_same(e, name);
	assert_int_equal(img_fsck(&e->im), 0);
	return tree_depth(&in);
}

/* A file's tree rebuilt deeper and shallower: e2fsck clean, the bytes unchanged. */
static void rebuild_extents(uint32_t bs)
{
	struct env *e = env_open(bs, "ext");
	uint32_t nblk = BIG_BYTES / bs, per = (bs - 16) / 12, n;

	assert_int_equal(rewrite(e, "big", 1, &n), 2);		/* one extent a block */
	assert_int_equal(n, nblk);
	assert_int_equal(rewrite(e, "big", nblk / (2 * per), &n), 1);
	assert_true(n > 4 && n <= 4 * per);
	assert_int_equal(rewrite(e, "big", 0, &n), 0);		/* merged: the tree is freed */
	assert_true(n <= 4);
	assert_int_equal(rewrite(e, "holes", 1, &n), bs == 1024 ? 2 : 1);
	assert_int_equal(n, NHOLES);
	env_close(e);
}

static void test_rebuild_extents_1k(void **state) { (void)state; rebuild_extents(1024); }
static void test_rebuild_extents_4k(void **state) { (void)state; rebuild_extents(4096); }

/* Entries collected from a directory, names copied. */
struct coll {
	struct ext4_dirent d[NNAMES + 2];
	char names[NNAMES + 2][256];
	uint32_t n;
};

static int coll_cb(void *arg, const struct ext4_dirent *d)
{
	struct coll *c = arg;

	if (c->n == NNAMES + 2)
		return -1;
	memcpy(c->names[c->n], d->name, d->name_len);
	c->d[c->n] = *d;
	c->d[c->n].name = c->names[c->n];
	c->n++;
	return 0;
}

/*
 * A hashed directory rewritten linear with ext4_dir_build in its first
 * blocks, the rest freed, INDEX_FL cleared: e2fsck clean, every name back.
 */
static void rewrite_dir(uint32_t bs)
{
	struct env *e = env_open(bs, "wdir");
	struct coll *c = calloc(1, sizeof(*c));
	struct ext4_inode in;
	struct ext4_extents x;
	uint32_t need, ndata = 0;
	uint8_t *buf;

	assert_int_equal(ext4_inode_read(&e->fs, img_lookup(&e->fs, "/d"), &in), 0);
	assert_int_equal(img_dir_walk(&e->fs, &in, coll_cb, c), 0);
	assert_int_equal(c->n, NNAMES + 2);
	assert_int_equal(c->d[0].name_len, 1);		/* "." and ".." come first */
	assert_int_equal(c->d[1].name_len, 2);
	need = ext4_dir_blocks_needed(&e->fs, c->d, c->n);
	assert_true(need < in.size / bs);		/* packed tighter than the hashed one */
	buf = calloc(need, bs);
	assert_int_equal(ext4_dir_build(&e->fs, &in, c->d, c->n, buf, need - 1), -28);
	assert_int_equal(ext4_dir_build(&e->fs, &in, c->d, c->n, buf, need), (int)need);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	for (uint32_t i = 0; i < need; i++)
		assert_int_equal(e->fs.io.write(e->fs.io.ctx, ext4_extents_map(&x, i), 1,
						buf + (size_t)i * bs), 0);
	/* Cut the extent list at block @need and give the rest back. */
	for (uint32_t i = 0; i < x.n; i++) {
		struct ext4_extent *t = &x.ext[i];
		uint32_t keep = t->lblk >= need ? 0 : (need - t->lblk < t->len ? need - t->lblk : t->len);

		if (keep < t->len)
			assert_int_equal(ext4_block_free(&e->fs, t->pblk + keep, t->len - keep), 0);
		t->len = keep;
		if (keep)
			ndata = i + 1;
	}
	x.n = ndata;
	in.flags &= ~0x1000u;
	in.size = (uint64_t)need * bs;
	assert_int_equal(ext4_extents_write(&e->fs, &in, &x), 0);
	assert_int_equal(ext4_inode_write(&e->fs, &in), 0);
	assert_int_equal(ext4_fs_flush(&e->fs, 1700000000), 0);
	ext4_extents_free(&x);
	img_save(&e->im);
	assert_int_equal(img_fsck(&e->im), 0);
	assert_int_equal(ext4_inode_read(&e->fs, in.ino, &in), 0);
	check_names(e, &in);
	memcpy(c->names[0], "d/", 2);
	name_of(c->names[0] + 2, sizeof(c->names[0]) - 2, 1234);
	check_same(e, c->names[0]);
	free(buf);
	free(c);
	env_close(e);
}

static void test_rewrite_dir_1k(void **state) { (void)state; rewrite_dir(1024); }
static void test_rewrite_dir_4k(void **state) { (void)state; rewrite_dir(4096); }

/*
 * An extent marked unwritten (fallocate's kind) is written with the
 * length flag, read back flagged, maps to a hole, and reads as zeros in
 * debugfs too; e2fsck accepts it.
 */
static void test_uninit_extent(void **state)
{
	struct env *e = env_open(1024, "uninit");
	struct ext4_inode in;
	struct ext4_extents x;
	uint32_t ino = img_lookup(&e->fs, "/holes"), lblk;
	size_t want_len, dbg_len;
	uint8_t *want, *dbg;

	(void)state;
	assert_int_equal(ext4_inode_read(&e->fs, ino, &in), 0);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	x.ext[5].uninit = 1;
	lblk = x.ext[5].lblk;
	assert_int_equal(ext4_extents_write(&e->fs, &in, &x), 0);
	assert_int_equal(ext4_inode_write(&e->fs, &in), 0);
	assert_int_equal(ext4_fs_flush(&e->fs, 1700000000), 0);
	ext4_extents_free(&x);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), 0);
	assert_int_equal(x.n, NHOLES);
	assert_true(x.ext[5].uninit && !x.ext[4].uninit && !x.ext[6].uninit);
	assert_int_equal(ext4_extents_map(&x, lblk), 0);
	assert_true(ext4_extents_map(&x, x.ext[6].lblk) != 0);
	ext4_extents_free(&x);
	img_save(&e->im);
	assert_int_equal(img_fsck(&e->im), 0);
	want = expect_file("holes", &want_len);
	memset(want + (size_t)lblk * 1024, 0, 1024);
	dbg = img_debugfs_cat(&e->im, "/holes", &dbg_len);
	assert_int_equal(dbg_len, want_len);
	assert_memory_equal(dbg, want, want_len);
	free(want);
	free(dbg);
	env_close(e);
}

/* --- layout rules ---------------------------------------------------------- */

/* Hand-made blocks: overruns, bad rec_len, names with '/', a broken tail. */
static void test_dir_hostile(void **state)
{
	struct env *e = env_open(1024, "hostile");
	struct ext4_inode in;
	struct ext4_dirent d[3] = {
		{ 12, 2, 1, "." }, { 2, 2, 2, ".." }, { 13, 1, 3, "abc" },
	};
	uint8_t blk[1024];
	struct seen s;

	(void)state;
	assert_int_equal(ext4_inode_read(&e->fs, img_lookup(&e->fs, "/d"), &in), 0);
	in.flags &= ~0x1000u;
	assert_int_equal(ext4_dir_build(&e->fs, &in, d, 3, blk, 1), 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &s), 0);
	assert_int_equal(s.dots, 2);
	blk[24 + 8] = '/';					/* "a/c" */
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &s), -117);
	assert_int_equal(ext4_dir_build(&e->fs, &in, d, 3, blk, 1), 1);
	blk[24 + 4] = 0xF0; blk[24 + 5] = 0x03;			/* rec_len past the tail */
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &s), -117);
	assert_int_equal(ext4_dir_build(&e->fs, &in, d, 3, blk, 1), 1);
	blk[24 + 6] = 200;					/* name_len past rec_len */
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &s), -117);
	assert_int_equal(ext4_dir_build(&e->fs, &in, d, 3, blk, 1), 1);
	blk[1023] ^= 0x40;					/* the checksum */
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &s), -117);
	assert_int_equal(ext4_dir_build(&e->fs, &in, d + 1, 2, blk, 1), 1);
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 0, blk, seen_cb, &s), -117);	/* no "." */
	assert_int_equal(ext4_dir_parse(&e->fs, &in, 1, blk, seen_cb, &s), -117);	/* ".." later */
	env_close(e);
}

/* seal - give tree block @blk (1 KiB, 84 entries) of @in its checksum and write it at @at. */
static void seal(struct env *e, const struct ext4_inode *in, uint64_t at, uint8_t *blk)
{
	uint8_t b[4];
	uint32_t seed, c;

	for (int k = 0; k < 4; k++)
		b[k] = (uint8_t)(in->ino >> (8 * k));
	seed = crc32c(e->fs.csum_seed, b, 4);
	for (int k = 0; k < 4; k++)
		b[k] = (uint8_t)(in->generation >> (8 * k));
	seed = crc32c(seed, b, 4);
	c = crc32c(seed, blk, 12 + 12 * 84);
	for (int k = 0; k < 4; k++)
		blk[12 + 12 * 84 + k] = (uint8_t)(c >> (8 * k));
	assert_int_equal(e->fs.io.write(e->fs.io.ctx, at, 1, blk), 0);
}

/* seal_index - point entry @i of index block @top at block @to, checksum made right. */
static void seal_index(struct env *e, const struct ext4_inode *in, uint64_t top, int i, uint64_t to)
{
	uint8_t blk[1024];

	assert_int_equal(e->fs.io.read(e->fs.io.ctx, top, 1, blk), 0);
	for (int k = 0; k < 4; k++)
		blk[12 + 12 * i + 4 + k] = (uint8_t)(to >> (8 * k));
	seal(e, in, top, blk);
}

/*
 * A loop (an index entry of the holes file's depth-2 tree pointing back
 * at its own block) and a shared leaf (two index entries naming the same
 * leaf, full, then empty), each with a right checksum: -EUCLEAN, not a
 * hang, no leak.
 */
static void test_extent_loop(void **state)
{
	struct env *e = env_open(1024, "loop");
	struct ext4_inode in;
	struct ext4_extents x;
	uint64_t top, leaf0;
	uint8_t blk[1024];

	(void)state;
	assert_int_equal(ext4_inode_read(&e->fs, img_lookup(&e->fs, "/holes"), &in), 0);
	assert_int_equal(tree_depth(&in), 2);
	top = (uint64_t)(in.block[16] | in.block[17] << 8 | in.block[18] << 16) |
	      (uint64_t)in.block[19] << 24;		/* the index block under the inode */
	assert_int_equal(e->fs.io.read(e->fs.io.ctx, top, 1, blk), 0);
	leaf0 = (uint64_t)blk[16] | blk[17] << 8 | blk[18] << 16 | (uint64_t)blk[19] << 24;
	seal_index(e, &in, top, 1, leaf0);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), -117);
	assert_int_equal(x.n, 0);
	/* The same, the shared leaf emptied: no order to break, the tree list catches it. */
	assert_int_equal(e->fs.io.read(e->fs.io.ctx, leaf0, 1, blk), 0);
	blk[2] = blk[3] = 0;
	seal(e, &in, leaf0, blk);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), -117);
	seal_index(e, &in, top, 0, top);
	assert_int_equal(ext4_extents_read(&e->fs, &in, &x), -117);
	assert_null(x.ext);
	env_close(e);
}

static int group_setup(void **state)
{
	(void)state;
	write_src();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	img_run("rm -rf %s %s", srcdir, workdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_files_1k),
		cmocka_unit_test(test_read_files_4k),
		cmocka_unit_test(test_read_dir_1k),
		cmocka_unit_test(test_read_dir_4k),
		cmocka_unit_test(test_rebuild_extents_1k),
		cmocka_unit_test(test_rebuild_extents_4k),
		cmocka_unit_test(test_rewrite_dir_1k),
		cmocka_unit_test(test_rewrite_dir_4k),
		cmocka_unit_test(test_uninit_extent),
		cmocka_unit_test(test_dir_hostile),
		cmocka_unit_test(test_extent_loop),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
