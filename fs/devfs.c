/*
 * devfs.c - /dev: the console (tty.c) and the memory-like devices null,
 * zero, full, random and urandom, whose file_ops are here.
 *
 * The devices are a fixed table.  Their nodes live in /dev, a tmpfs
 * mounted at boot (devfs_populate); opening a character device node
 * anywhere finds its driver here by number (devfs_ops).
 */
#include "../kernel/kernel.h"
#include "inode.h"
#include "namei.h"
#include "vfs.h"
#include "../kernel/random.h"
#include "../kernel/tty.h"
#include "../vm/uaccess.h"
#include "file.h"
#include "devfs.h"
#include "../drivers/blk.h"

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

/* devfs_sink_write_kernel / devfs_full_write_kernel - the same, for sendfile. */
static long devfs_sink_write_kernel(struct file *f, const void *buf, size_t n)
{
	return (long)n;
}

static long devfs_full_write_kernel(struct file *f, const void *buf, size_t n)
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

static const struct file_ops null_ops = { .read = devfs_null_read, .write = devfs_sink_write,
					  .write_kernel = devfs_sink_write_kernel };
static const struct file_ops zero_ops = { .read = devfs_zero_read, .write = devfs_sink_write,
					  .write_kernel = devfs_sink_write_kernel };
static const struct file_ops full_ops = { .read = devfs_zero_read, .write = devfs_full_write,
					  .write_kernel = devfs_full_write_kernel };
static const struct file_ops random_ops = { .read = devfs_random_read,
					    .write = devfs_sink_write,
					    .write_kernel = devfs_sink_write_kernel };

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

const char *devfs_name(uint32_t rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++)
		if (devnodes[i].rdev == rdev)
			return devnodes[i].name;
	return 0;
}

/* devfs_ops - the driver of character device number @rdev, or NULL if there is none. */
const struct file_ops *devfs_ops(uint32_t rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++)
		if (devnodes[i].rdev == rdev)
			return devnodes[i].ops;
	return 0;
}

/*
 * devfs_populate - the device nodes, in the /dev tmpfs just mounted, the
 * links programs expect there (fd, stdin, stdout, stderr) and a block node
 * per disk (blk.h).  Boot only:
 * a failure is reported, not fatal.
 */
void devfs_populate(void)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" },	     { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
	};
	char path[32];
	long r;

	for (size_t i = 0; i < ARRAY_SIZE(devnodes); i++) {
		snprintf(path, sizeof(path), "/dev/%s", devnodes[i].name);
		if ((r = vfs_mknod(AT_FDCWD, path, devnodes[i].mode, devnodes[i].rdev, 0, 0)))
			pr_err("devfs: %s: %ld\n", path, r);
	}
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		vfs_mknod(AT_FDCWD, links[i][1], S_IFLNK | 0777, 0, links[i][0], 0);
	/* The disks the drivers found (vda ...), mode 0660 as udev makes them. */
	for (int i = 0; blk_nth(i); i++) {
		snprintf(path, sizeof(path), "/dev/%s", blk_nth(i)->name);
		if ((r = vfs_mknod(AT_FDCWD, path, S_IFBLK | 0660, blk_nth(i)->rdev, 0, 0)))
			pr_err("devfs: %s: %ld\n", path, r);
	}
}
