/*
 * devfs.c - /dev: the console (tty.c) and the memory-like devices null,
 * zero, full, random and urandom, whose file_ops are here.
 *
 * The devices are a fixed table, not a file system of their own: vfs.c
 * asks devfs_lookup before the initramfs, so these names hide any the
 * archive has.
 */
#include "../kernel/kernel.h"
#include "initramfs.h"
#include "../kernel/random.h"
#include "../kernel/tty.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "readdir.h"
#include "devfs.h"

/* devfs_null_read - /dev/null reads as end of file. */
static long devfs_null_read(struct file *f, unsigned long ubuf, size_t n)
{
	return 0;
}

/* devfs_sink_write - null, zero and random take and drop every byte. */
static long devfs_sink_write(struct file *f, unsigned long ubuf, size_t n)
{
	return (long)n;
}

/* devfs_full_write - /dev/full: every non-empty write fails with ENOSPC. */
static long devfs_full_write(struct file *f, unsigned long ubuf, size_t n)
{
	return n ? -ENOSPC : 0;
}

/* devfs_fill_read - give @n bytes made by @fill, a bounce buffer at a time. */
static long devfs_fill_read(unsigned long ubuf, size_t n, void (*fill)(void *, size_t))
{
	char tmp[256];
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		fill(tmp, k);
		if (uaccess_copy_to_user(ubuf + done, tmp, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

/* devfs_fill_zero - the filler of /dev/zero (and /dev/full's reads). */
static void devfs_fill_zero(void *buf, size_t n)
{
	memset(buf, 0, n);
}

/* devfs_zero_read - @n zero bytes. */
static long devfs_zero_read(struct file *f, unsigned long ubuf, size_t n)
{
	return devfs_fill_read(ubuf, n, devfs_fill_zero);
}

/* devfs_random_read - @n bytes from random.c (not cryptographic); never blocks. */
static long devfs_random_read(struct file *f, unsigned long ubuf, size_t n)
{
	return devfs_fill_read(ubuf, n, random_bytes);
}

static const struct file_ops null_ops = { .read = devfs_null_read, .write = devfs_sink_write };
static const struct file_ops zero_ops = { .read = devfs_zero_read, .write = devfs_sink_write };
static const struct file_ops full_ops = { .read = devfs_zero_read, .write = devfs_full_write };
static const struct file_ops random_ops = { .read = devfs_random_read,
					    .write = devfs_sink_write };

/* The character devices, with Linux's numbers; /dev/tty is the console too. */
static const struct devnode {
	const char *name;
	uint64_t ino;
	uint32_t mode, rdev;
	const struct file_ops *ops;
} devnodes[] = {
	{ "console", DEV_INO_CONSOLE, S_IFCHR | 0620, 0x501, &tty_ops },
	{ "null", 11, S_IFCHR | 0666, 0x103, &null_ops },
	{ "zero", DEV_INO_ZERO, S_IFCHR | 0666, 0x105, &zero_ops },
	{ "full", 13, S_IFCHR | 0666, 0x107, &full_ops },
	{ "random", 14, S_IFCHR | 0666, 0x108, &random_ops },
	{ "urandom", 15, S_IFCHR | 0666, 0x109, &random_ops },
	{ "tty", DEV_INO_CONSOLE, S_IFCHR | 0620, 0x501, &tty_ops },
};

/* devfs_rdev - the device number of the /dev entry with inode @ino, or 0 if there is none. */
uint32_t devfs_rdev(uint64_t ino)
{
	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++)
		if (devnodes[i].ino == ino)
			return devnodes[i].rdev;
	return 0;
}

/* devfs_getdents - list /dev: one entry per table row; pos is the row to hand out next. */
static long devfs_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	size_t used = 0;

	while (f->pos < ARRAY_SIZE(devnodes)) {
		const struct devnode *d = &devnodes[f->pos];
		long r = readdir_emit(ubuf, n, &used, d->ino, f->pos + 1, DT_CHR, d->name);
		if (r < 0)
			return r;
		if (r == 0)
			return used ? (long)used : -EINVAL;
		f->pos++;
	}
	return (long)used;
}

static const struct file_ops devdir_ops = { .getdents = devfs_getdents };

/*
 * devfs_lookup - /dev itself or one of its devices, by absolute path @abs:
 * 1 with its mode, inode number and file_ops, or 0 if @abs names neither
 * (the caller then tries the initramfs).
 */
int devfs_lookup(const char *abs, uint32_t *mode, uint64_t *ino, const struct file_ops **ops)
{
	if (!strcmp(abs, "/dev")) {
		*mode = S_IFDIR | 0755;
		*ino = 2;
		*ops = &devdir_ops;
		return 1;
	}
	if (strncmp(abs, "/dev/", 5))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++)
		if (!strcmp(abs + 5, devnodes[i].name)) {
			*mode = devnodes[i].mode;
			*ino = devnodes[i].ino;
			*ops = devnodes[i].ops;
			return 1;
		}
	return 0;
}
