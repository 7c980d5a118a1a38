/*
 * blkfile.c - a disk as a file: read, write, pread/pwrite, lseek
 * (SEEK_END is its size), fsync (the device's cache flushed) and Linux's
 * size ioctls, so dd, mkfs and mkswap work on /dev/vdX.
 *
 * There is no block-device page cache: every call goes to the disk
 * through a bounce page of whole sectors (user memory may not be touched
 * while a request is in flight, and the driver wants kernel addresses).
 * A write that covers only part of a sector reads it first
 * (read-modify-write), so two writes to disjoint bytes of one sector
 * could each put back the other's old bytes: a write waits until no other
 * write to an overlapping sector range is in progress (blkfile_busy), and
 * both land, as through Linux's buffered block devices.  Writes are
 * write-through, so fsync only needs the device's flush.
 */
#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "../kernel/sched.h"
#include "../drivers/blk.h"
#include "../vm/pmm.h"
#include "../vm/uaccess.h"
#include "../arch/riscv/layout.h"
#include "inode.h"
#include "file.h"
#include "blkfile.h"
#include "swapon.h"

#define BLKSSZGET	0x1268			/* _IO(0x12, 104): int, logical sector size */
#define BLKGETSIZE	0x1260			/* _IO(0x12, 96): unsigned long, 512-byte sectors */
#define BLKFLSBUF	0x1261			/* _IO(0x12, 97): flush buffers */
#define BLKROGET	0x125e			/* _IO(0x12, 94): int, read-only? */
#define BLKPBSZGET	0x127b			/* _IO(0x12, 123): unsigned int, physical sector size */
#define BLKBSZGET	0x80081270		/* _IOR(0x12, 112, size_t): int, soft block size */
#define BLKGETSIZE64	0x80081272		/* _IOR(0x12, 114, size_t): u64, bytes */

/* Sector ranges being written, on every disk; a slot is free when bd is NULL. */
#define BLKFILE_BUSY	64
static struct spinlock blkfile_lock = SPINLOCK_INIT("blkfile");
static struct {
	struct blkdev *bd;
	uint64_t lo, hi;
} blkfile_busy[BLKFILE_BUSY];

/*
 * blkfile_range_take - wait until no write to sectors [@lo, @hi) of @bd is
 * in progress and a slot is free, then claim the range.  Returns the slot.
 */
static int blkfile_range_take(struct blkdev *bd, uint64_t lo, uint64_t hi)
{
	spin_lock(&blkfile_lock);
	for (;;) {
		int slot = -1, clash = 0;

		for (int i = 0; i < BLKFILE_BUSY; i++) {
			if (!blkfile_busy[i].bd)
				slot = slot < 0 ? i : slot;
			else if (blkfile_busy[i].bd == bd && blkfile_busy[i].lo < hi &&
				 lo < blkfile_busy[i].hi)
				clash = 1;
		}
		if (!clash && slot >= 0) {
			blkfile_busy[slot].bd = bd;
			blkfile_busy[slot].lo = lo;
			blkfile_busy[slot].hi = hi;
			spin_unlock(&blkfile_lock);
			return slot;
		}
		sched_sleep(blkfile_busy, &blkfile_lock);
	}
}

/* blkfile_range_put - the write in @slot is done: wake whoever waits for a range. */
static void blkfile_range_put(int slot)
{
	spin_lock(&blkfile_lock);
	blkfile_busy[slot].bd = 0;
	sched_wakeup(blkfile_busy);
	spin_unlock(&blkfile_lock);
}

/* blkfile_size - the disk's size in bytes. */
static uint64_t blkfile_size(struct blkdev *bd)
{
	return bd->sectors * BLK_SECTOR;
}

/*
 * blkfile_chunk - the piece of a transfer at byte @pos that fits the
 * bounce page: its first sector, its offset in that sector, how many
 * bytes (at most @left) and how many sectors it spans.
 */
static void blkfile_chunk(uint64_t pos, size_t left, uint64_t *sect, size_t *off, size_t *k,
			  uint32_t *nsect)
{
	*sect = pos / BLK_SECTOR;
	*off = pos % BLK_SECTOR;
	*k = PAGE_SIZE - *off < left ? PAGE_SIZE - *off : left;
	*nsect = (uint32_t)((*off + *k + BLK_SECTOR - 1) / BLK_SECTOR);
}

/* blkfile_bounce - a page to move sectors through, or NULL (then -ENOMEM). */
static char *blkfile_bounce(void)
{
	phys_addr_t pa = pmm_alloc();

	return pa ? pa_to_va(pa) : 0;
}

static void blkfile_bounce_free(char *b)
{
	pmm_put(va_to_pa(b));
}

/*
 * blkfile_read - up to @n bytes at f->pos; 0 at or past the end.  A device
 * error after some bytes moved returns what moved, as read(2) does.
 */
static long blkfile_read(struct file *f, unsigned long ubuf, size_t n)
{
	struct blkdev *bd = f->priv;
	uint64_t size = blkfile_size(bd), sect;
	size_t done = 0, off, k;
	uint32_t nsect;
	long r = 0;
	char *b;

	if (f->pos >= size || n == 0)
		return 0;
	if (n > size - f->pos)
		n = size - f->pos;
	if (!(b = blkfile_bounce()))
		return -ENOMEM;
	while (done < n) {
		blkfile_chunk(f->pos + done, n - done, &sect, &off, &k, &nsect);
		if ((r = blk_read(bd, sect, b, nsect)))
			break;
		if (uaccess_copy_to_user(ubuf + done, b + off, k)) {
			r = -EFAULT;
			break;
		}
		done += k;
	}
	blkfile_bounce_free(b);
	f->pos += done;
	return done ? (long)done : r;
}

/*
 * blkfile_write_chunk - @k bytes at @b + @off (in the bounce page) to the
 * @nsect sectors at @sect, reading first the parts of the first and last
 * sector that are not written.  0 or -errno.
 */
static long blkfile_write_chunk(struct blkdev *bd, char *b, uint64_t sect, size_t off, size_t k,
				uint32_t nsect)
{
	char head[BLK_SECTOR];
	size_t end = off + k, last = (size_t)(nsect - 1) * BLK_SECTOR;
	int slot = blkfile_range_take(bd, sect, sect + nsect);
	long r = 0;

	if (off) {
		memcpy(head, b + off, BLK_SECTOR - off < k ? BLK_SECTOR - off : k);
		if (!(r = blk_read(bd, sect, b, 1)))
			memcpy(b + off, head, BLK_SECTOR - off < k ? BLK_SECTOR - off : k);
	}
	if (!r && end % BLK_SECTOR && (nsect > 1 || !off)) {
		size_t keep = end - last;	/* the user's bytes in the last sector */

		memcpy(head, b + last, keep);
		if (!(r = blk_read(bd, sect + nsect - 1, b + last, 1)))
			memcpy(b + last, head, keep);
	}
	if (!r)
		r = blk_write(bd, sect, b, nsect);
	blkfile_range_put(slot);
	return r;
}

/*
 * blkfile_write - up to @n bytes at f->pos, cut at the end of the disk;
 * ENOSPC at or past it, EPERM on a read-only disk (Linux's answers).
 */
static long blkfile_write(struct file *f, unsigned long ubuf, size_t n)
{
	struct blkdev *bd = f->priv;
	uint64_t size = blkfile_size(bd), sect;
	size_t done = 0, off, k;
	uint32_t nsect;
	long r = 0;
	char *b;

	if (bd->readonly)
		return -EPERM;
	if (swapon_dev_active(bd->rdev))
		return -ETXTBSY;	/* as Linux: a swap area's pages are the kernel's now */
	if (n == 0)
		return 0;
	if (f->pos >= size)
		return -ENOSPC;
	if (n > size - f->pos)
		n = size - f->pos;
	if (!(b = blkfile_bounce()))
		return -ENOMEM;
	while (done < n) {
		blkfile_chunk(f->pos + done, n - done, &sect, &off, &k, &nsect);
		/* The user's bytes first: no range is held across a fault. */
		if (uaccess_copy_from_user(b + off, ubuf + done, k)) {
			r = -EFAULT;
			break;
		}
		r = blkfile_write_chunk(bd, b, sect, off, k, nsect);
		if (r)
			break;
		done += k;
	}
	blkfile_bounce_free(b);
	f->pos += done;
	return done ? (long)done : r;
}

/* blkfile_fsync - writes are already on the device: make them durable there. */
static long blkfile_fsync(struct file *f)
{
	return blk_flush(f->priv);
}

/* blkfile_ioctl - the size and sector-size questions mkfs asks, and BLKFLSBUF. */
static long blkfile_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
	struct blkdev *bd = f->priv;

	switch (cmd) {
	case BLKGETSIZE64:
		return uaccess_put_u64(arg, blkfile_size(bd)) ? -EFAULT : 0;
	case BLKGETSIZE:
		return uaccess_put_u64(arg, bd->sectors) ? -EFAULT : 0;
	case BLKSSZGET:
	case BLKPBSZGET:
		return uaccess_put_u32(arg, BLK_SECTOR) ? -EFAULT : 0;
	case BLKBSZGET:
		return uaccess_put_u32(arg, PAGE_SIZE) ? -EFAULT : 0;
	case BLKROGET:
		return uaccess_put_u32(arg, bd->readonly ? 1 : 0) ? -EFAULT : 0;
	case BLKFLSBUF:
		return blk_flush(bd);	/* no cache of ours to drop: write the device's back */
	default:
		return -ENOTTY;
	}
}

static const struct file_ops blkfile_ops = { .read = blkfile_read, .write = blkfile_write,
					     .ioctl = blkfile_ioctl, .fsync = blkfile_fsync };

long blkfile_open(struct inode *ip, unsigned flags, struct file **out)
{
	struct blkdev *bd = blk_by_rdev(ip->rdev);
	struct file *f;

	if (!bd)
		return -ENXIO;
	f = file_alloc(&blkfile_ops, flags);
	if (!f)
		return -ENOMEM;
	f->inode = ip;
	f->mode = ip->mode;
	f->ino = ip->ino;
	f->seekable = 1;
	f->size = blkfile_size(bd);
	f->priv = bd;
	*out = f;
	return 0;
}
