/*
 * blk.c - the block layer: the table of disks, and the range checks and
 * request splitting every driver would otherwise repeat.
 *
 * The table is filled at boot, before any process runs, and never shrinks:
 * lookups need no lock.  Requests need none here either: each driver
 * serialises its own queue.
 */
#include "blk.h"
#include "../kernel/kernel.h"
#include "../arch/riscv/layout.h"

static struct blkdev *blk_devs[BLK_MAX_DEVS];
static int blk_ndevs, blk_nvirtio;

int blk_register(struct blkdev *bd)
{
	if (blk_ndevs >= BLK_MAX_DEVS)
		return -ENOSPC;
	if (!bd->name[0] && !bd->rdev) {
		/* vda..vdz, then Linux goes on with vdaa; 16 disks never get there. */
		snprintf(bd->name, sizeof(bd->name), "vd%c", 'a' + blk_nvirtio);
		bd->rdev = BLK_VIRTIO_MAJOR << 8 | (uint32_t)(BLK_VIRTIO_MINORS * blk_nvirtio);
		blk_nvirtio++;
	}
	if (!bd->max_sectors)
		bd->max_sectors = 128;
	blk_devs[blk_ndevs++] = bd;
	pr_info("blk: %s (%u:%u) %lu sectors (%lu MiB)%s\n", bd->name, bd->rdev >> 8,
		bd->rdev & 0xff, (unsigned long)bd->sectors, (unsigned long)(bd->sectors >> 11),
		bd->readonly ? " read-only" : "");
	return 0;
}

struct blkdev *blk_by_rdev(uint32_t rdev)
{
	for (int i = 0; i < blk_ndevs; i++)
		if (blk_devs[i]->rdev == rdev)
			return blk_devs[i];
	return 0;
}

struct blkdev *blk_by_name(const char *name)
{
	for (int i = 0; i < blk_ndevs; i++)
		if (!strcmp(blk_devs[i]->name, name))
			return blk_devs[i];
	return 0;
}

struct blkdev *blk_nth(int i)
{
	return i >= 0 && i < blk_ndevs ? blk_devs[i] : 0;
}

/*
 * blk_rw - the range check, then @nsect sectors in requests of at most
 * max_sectors each, in order; the first failure ends the transfer.
 */
static int blk_rw(struct blkdev *bd, int write, uint64_t sector, void *buf, uint32_t nsect)
{
	uint32_t n;
	int r;

	if (!bd || sector > bd->sectors || nsect > bd->sectors - sector)
		return -EINVAL;
	if (write && bd->readonly)
		return -EROFS;
	while (nsect) {
		n = nsect < bd->max_sectors ? nsect : bd->max_sectors;
		r = bd->ops->rw(bd, write, sector, buf, n);
		if (r) {
			__atomic_fetch_add(&bd->nr_errors, 1, __ATOMIC_RELAXED);
			return -EIO;
		}
		__atomic_fetch_add(write ? &bd->nr_writes : &bd->nr_reads, 1, __ATOMIC_RELAXED);
		sector += n;
		buf = (char *)buf + (size_t)n * BLK_SECTOR;
		nsect -= n;
	}
	return 0;
}

int blk_read(struct blkdev *bd, uint64_t sector, void *buf, uint32_t nsect)
{
	return blk_rw(bd, 0, sector, buf, nsect);
}

int blk_write(struct blkdev *bd, uint64_t sector, const void *buf, uint32_t nsect)
{
	return blk_rw(bd, 1, sector, (void *)buf, nsect);
}

int blk_rw_pages(struct blkdev *bd, int write, uint64_t sector, const uint64_t *pages, unsigned n)
{
	const uint32_t spp = PAGE_SIZE / BLK_SECTOR;
	unsigned per;
	int r;

	if (!bd || sector > bd->sectors || (uint64_t)n * spp > bd->sectors - sector)
		return -EINVAL;
	if (write && bd->readonly)
		return -EROFS;
	per = bd->ops->rw_pages ? bd->max_sectors / spp : 0;
	while (n) {
		unsigned k = per ? (n < per ? n : per) : 1;
		r = per ? bd->ops->rw_pages(bd, write, sector, pages, k)
			: bd->ops->rw(bd, write, sector, pa_to_va(pages[0]), spp);
		if (r) {
			__atomic_fetch_add(&bd->nr_errors, 1, __ATOMIC_RELAXED);
			return -EIO;
		}
		__atomic_fetch_add(write ? &bd->nr_writes : &bd->nr_reads, 1, __ATOMIC_RELAXED);
		sector += (uint64_t)k * spp;
		pages += k;
		n -= k;
	}
	return 0;
}

int blk_flush(struct blkdev *bd)
{
	if (!bd)
		return -EINVAL;
	if (bd->readonly || !bd->ops->flush)
		return 0;	/* nothing can be dirty, or the device has no volatile cache */
	__atomic_fetch_add(&bd->nr_flushes, 1, __ATOMIC_RELAXED);
	if (bd->ops->flush(bd)) {
		__atomic_fetch_add(&bd->nr_errors, 1, __ATOMIC_RELAXED);
		return -EIO;
	}
	return 0;
}
