/*
 * ext4_img.h - what the ext4 host tests share (header-only): images made
 * by Debian's mke2fs at test time, held in memory behind a struct ext4_io,
 * saved back for e2fsck and debugfs, and small walks over the library
 * (look a path up, read a file through its extents).
 *
 * Exits the program when a tool is missing or fails to make an image:
 * that is a broken host, not a failed test.
 */
#ifndef HOLSTEIN_EXT4_IMG_H
#define HOLSTEIN_EXT4_IMG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/ext4.h"

/* An image in memory; @bs is the unit the library asked for (1 KiB until the super block is read). */
struct ext4_img {
	uint8_t *data;
	size_t len;
	uint32_t bs;
	char path[200];		/* where it was made and where img_save writes it */
	unsigned writes;	/* blocks written through the io: a read-only walk writes none */
};

static int img_read(void *ctx, uint64_t blk, uint32_t n, void *buf)
{
	struct ext4_img *im = ctx;
	uint64_t off = blk * im->bs, len = (uint64_t)n * im->bs;

	if (blk > im->len / im->bs || len > im->len - off)
		return -5;	/* EIO: past the end of the device */
	memcpy(buf, im->data + off, len);
	return 0;
}

static int img_write(void *ctx, uint64_t blk, uint32_t n, const void *buf)
{
	struct ext4_img *im = ctx;
	uint64_t off = blk * im->bs, len = (uint64_t)n * im->bs;

	if (blk > im->len / im->bs || len > im->len - off)
		return -5;
	memcpy(im->data + off, buf, len);
	im->writes += n;
	return 0;
}

static int img_set_block_size(void *ctx, uint32_t bytes)
{
	((struct ext4_img *)ctx)->bs = bytes;
	return 0;
}

/* img_io - the struct ext4_io over @im, starting in 1 KiB blocks. */
static inline struct ext4_io img_io(struct ext4_img *im)
{
	struct ext4_io io = { img_read, img_write, NULL, img_set_block_size, im };

	im->bs = 1024;
	return io;
}

/* img_run - run a shell command; its exit status. */
static inline int img_run(const char *fmt, const char *a, const char *b)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	st = system(cmd);
	return st == -1 ? -1 : WEXITSTATUS(st);
}

/* img_load - read @im->path into memory. */
static inline void img_load(struct ext4_img *im)
{
	FILE *fp = fopen(im->path, "rb");
	long n;

	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", im->path);
		exit(2);
	}
	free(im->data);
	im->data = malloc((size_t)n);
	if (!im->data || fread(im->data, 1, (size_t)n, fp) != (size_t)n)
		exit(2);
	fclose(fp);
	im->len = (size_t)n;
}

/* img_save - write the image back to @im->path (for e2fsck, debugfs). */
static inline void img_save(const struct ext4_img *im)
{
	FILE *fp = fopen(im->path, "wb");

	if (!fp || fwrite(im->data, 1, im->len, fp) != im->len || fclose(fp)) {
		fprintf(stderr, "cannot write %s\n", im->path);
		exit(2);
	}
}

/*
 * img_make - `mke2fs -t ext4` an image of @size (e.g. "8M") with @bs-byte
 * blocks at @path from directory @src, plus @opts (e.g. "-O ^metadata_csum");
 * @htree: then let `e2fsck -fyD` index every directory, as a hashed
 * directory made by Linux would be.  Loads it into @im.
 */
static inline void img_make(struct ext4_img *im, const char *path, const char *src, uint32_t bs,
			    const char *size, const char *opts, int htree)
{
	char args[512], where[300];

	snprintf(im->path, sizeof(im->path), "%.199s", path);
	snprintf(args, sizeof(args), "-q -F -t ext4 -b %u %s -d %s", bs, opts, src);
	snprintf(where, sizeof(where), "%.199s %.32s", path, size);
	unlink(path);
	if (img_run("mke2fs %s %s >/dev/null", args, where) != 0) {
		fprintf(stderr, "mke2fs failed for %s\n", path);
		exit(2);
	}
	/* e2fsck -D exits 1 when it rewrote directories: that is the point. */
	if (htree && img_run("e2fsck -fyD %s%s >/dev/null 2>&1", path, "") > 1) {
		fprintf(stderr, "e2fsck -D failed on %s\n", path);
		exit(2);
	}
	img_load(im);
}

/* img_fsck - `e2fsck -fn` on the saved image: 0 when it has nothing to say (output shown otherwise). */
static inline int img_fsck(const struct ext4_img *im)
{
	char out[300];
	int st;

	snprintf(out, sizeof(out), "%s.fsck", im->path);
	st = img_run("e2fsck -fn %s >%s 2>&1", im->path, out);
	if (st != 0)
		img_run("cat %s >&2%s", out, "");
	unlink(out);
	return st;
}

/* img_debugfs_cat - the bytes `debugfs -R "cat @file"` gives, malloc'd, in *@len. */
static inline uint8_t *img_debugfs_cat(const struct ext4_img *im, const char *file, size_t *len)
{
	char cmd[600];
	FILE *fp;
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'cat %s' %s 2>/dev/null", file, im->path);
	fp = popen(cmd, "r");
	if (!fp)
		exit(2);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				exit(2);
		}
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
	} while (r > 0);
	pclose(fp);
	*len = n;
	return buf;
}

/* img_dir_walk - every block of directory @in through ext4_dir_parse: 0, an error, or @cb's stop value. */
static inline int img_dir_walk(struct ext4_fs *fs, const struct ext4_inode *in,
			       int (*cb)(void *arg, const struct ext4_dirent *d), void *arg)
{
	struct ext4_extents e;
	uint8_t *buf = malloc(fs->block_size);
	int err = ext4_extents_read(fs, in, &e);

	for (uint64_t lblk = 0; !err && lblk < in->size / fs->block_size; lblk++) {
		uint64_t p = ext4_extents_map(&e, (uint32_t)lblk);

		if (!p)
			err = -117;	/* a hole in a directory */
		else if (fs->io.read(fs->io.ctx, p, 1, buf))
			err = -5;
		else
			err = ext4_dir_parse(fs, in, (uint32_t)lblk, buf, cb, arg);
	}
	if (e.n || e.ntree)
		ext4_extents_free(&e);
	free(buf);
	return err;
}

struct img_find {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int img_find_cb(void *arg, const struct ext4_dirent *d)
{
	struct img_find *f = arg;

	if (d->name_len != f->len || memcmp(d->name, f->name, f->len))
		return 0;
	f->ino = d->ino;
	return 1;
}

/* img_lookup - the inode number of absolute @path ("/a/b"), 0 if not found. */
static inline uint32_t img_lookup(struct ext4_fs *fs, const char *path)
{
	uint32_t ino = EXT4_ROOT_INO;

	while (*path == '/')
		path++;
	while (*path) {
		struct ext4_inode in;
		struct img_find f = { path, 0, 0 };

		while (path[f.len] && path[f.len] != '/')
			f.len++;

		if (ext4_inode_read(fs, ino, &in) || img_dir_walk(fs, &in, img_find_cb, &f) != 1)
			return 0;
		ino = f.ino;
		path += f.len;
		while (*path == '/')
			path++;
	}
	return ino;
}

/* img_read_file - the contents of inode @ino through its extents (holes as zeros), malloc'd. */
static inline uint8_t *img_read_file(struct ext4_fs *fs, uint32_t ino, size_t *len)
{
	struct ext4_inode in;
	struct ext4_extents e;
	uint32_t bs = fs->block_size;
	uint8_t *buf, *blk = malloc(bs);

	if (ext4_inode_read(fs, ino, &in) || ext4_extents_read(fs, &in, &e))
		return NULL;
	buf = calloc(1, in.size + 1);
	for (uint64_t off = 0; off < in.size; off += bs) {
		uint64_t p = ext4_extents_map(&e, (uint32_t)(off / bs));
		size_t n = in.size - off < bs ? in.size - off : bs;

		if (p && fs->io.read(fs->io.ctx, p, 1, blk) == 0)
			memcpy(buf + off, blk, n);
	}
	ext4_extents_free(&e);
	free(blk);
	*len = in.size;
	return buf;
}

#endif
