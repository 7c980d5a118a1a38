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

/* vec_runs - @pages at @sectors cut into runs of pages whose sectors follow on, at most @max pages. */
static unsigned vec_runs(const uint64_t *sectors, const uint64_t *pages, unsigned n, unsigned max,
			 struct blk_run *runs)
{
	const uint32_t spp = PAGE_SIZE / BLK_SECTOR;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		struct blk_run *r = &runs[k - 1];
		if (k && r->n < max && sectors[i] == r->sector + (uint64_t)r->n * spp)
			r->n++;
		else
			runs[k++] = (struct blk_run){ sectors[i], &pages[i], 1 };
	}
	return k;
}

int blk_rw_vec(struct blkdev *bd, int write, const uint64_t *sectors, const uint64_t *pages,
	       unsigned n)
{
	const uint32_t spp = PAGE_SIZE / BLK_SECTOR;
	struct blk_run runs[BLK_VEC_MAX];
	unsigned k;
	int r = 0;

	if (!bd || n > BLK_VEC_MAX)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		if (sectors[i] > bd->sectors || spp > bd->sectors - sectors[i])
			return -EINVAL;
	if (write && bd->readonly)
		return -EROFS;
	k = vec_runs(sectors, pages, n, bd->ops->rw_runs ? bd->max_sectors / spp : 1, runs);
	if (bd->ops->rw_runs)
		r = bd->ops->rw_runs(bd, write, runs, k);
	else
		for (unsigned i = 0; i < k && !r; i++)
			r = bd->ops->rw(bd, write, runs[i].sector, pa_to_va(runs[i].pages[0]), spp);
	if (r) {
		__atomic_fetch_add(&bd->nr_errors, 1, __ATOMIC_RELAXED);
		return -EIO;
	}
	__atomic_fetch_add(write ? &bd->nr_writes : &bd->nr_reads, k, __ATOMIC_RELAXED);
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
