/*
 * blk.h - the block layer: the disks the drivers found, by name and number,
 * and whole-sector reads, writes and flushes on them.
 *
 * A driver (virtio_blk.c; an SD/MMC controller next) fills a struct blkdev
 * and registers it; everything above (the block-device file, ext4) calls
 * blk_read/blk_write/blk_flush, which check the range, split the transfer
 * into requests the driver accepts and sleep until each is done.  Sectors
 * are 512 bytes.  None of these may be called holding a spinlock.
 */
#ifndef HOLSTEIN_BLK_H
#define HOLSTEIN_BLK_H

#include <stdint.h>

#define BLK_SECTOR	512
#define BLK_MAX_DEVS	16
#define BLK_VIRTIO_MAJOR 254	/* Linux's virtblk major (dynamic there, 254 in practice) */
#define BLK_VIRTIO_MINORS 16	/* minors per virtio disk: the whole disk and 15 partitions */

struct blkdev;

/*
 * What a driver provides.  @rw moves @nsect sectors (1..max_sectors, inside
 * the device) between the device and @buf, a kernel virtual address of any
 * alignment whose pages need not be physically contiguous; it sleeps until
 * the transfer is done and returns 0 or -EIO.  @flush makes every completed
 * write durable (0 or -EIO); NULL if the device has no volatile cache.
 */
struct blk_ops {
	int (*rw)(struct blkdev *bd, int write, uint64_t sector, void *buf, uint32_t nsect);
	/*
	 * @rw_pages (may be NULL): the same for @n whole pages at physical
	 * addresses @pages (n * 8 sectors, n <= max_sectors / 8), which need
	 * no kernel mapping in common: what swap writes and reads.
	 */
	int (*rw_pages)(struct blkdev *bd, int write, uint64_t sector, const uint64_t *pages,
			unsigned n);
	int (*flush)(struct blkdev *bd);
};

struct blkdev {
	char name[16];		/* "vda": the /dev name */
	uint32_t rdev;		/* major << 8 | minor, as fs/inode.h encodes it */
	uint64_t sectors;	/* capacity in 512-byte sectors */
	int readonly;
	const struct blk_ops *ops;
	void *priv;		/* the driver's */
	uint32_t max_sectors;	/* largest request @rw takes (0: 128, i.e. 64 KiB) */
	/* statistics, for /proc/diskstats-like reports: requests done and failed */
	uint64_t nr_reads, nr_writes, nr_flushes, nr_errors;
};

/*
 * blk_register - make @bd (which stays the driver's, for ever) known.
 * With name[0] == 0 and rdev == 0 it is a virtio disk: named vda, vdb... in
 * registration order, numbered 254:0, 254:16...  Another driver sets its
 * own name and number (mmcblk0, 179:0).  Returns 0, or -ENOSPC when
 * BLK_MAX_DEVS are registered.  Boot only (before /dev is populated).
 */
int blk_register(struct blkdev *bd);
/* blk_by_rdev - the disk with device number @rdev, or NULL. */
struct blkdev *blk_by_rdev(uint32_t rdev);
/* blk_by_name - the disk called @name ("vda", no "/dev/"), or NULL. */
struct blkdev *blk_by_name(const char *name);
/* blk_nth - the @i-th registered disk (0-based), NULL past the last: for /dev and /proc. */
struct blkdev *blk_nth(int i);

/*
 * blk_read/blk_write - move @nsect sectors at @sector between the disk
 * and @buf (any kernel virtual address; any size).  Sleep until done.
 * Return 0; -EINVAL if the range passes the end (nothing moved); -EROFS
 * writing a read-only disk; -EIO if the device failed (part of the range
 * may have moved).
 */
int blk_read(struct blkdev *bd, uint64_t sector, void *buf, uint32_t nsect);
int blk_write(struct blkdev *bd, uint64_t sector, const void *buf, uint32_t nsect);
/* blk_flush - every write completed before the call is durable on return: 0 or -EIO. */
int blk_flush(struct blkdev *bd);
/*
 * blk_rw_pages - move @n whole 4 KiB pages, physical addresses @pages,
 * from or to sector @sector on: as few requests as the driver allows.
 * 0, -EIO, -EROFS or -EINVAL.  Sleeps.
 */
int blk_rw_pages(struct blkdev *bd, int write, uint64_t sector, const uint64_t *pages, unsigned n);

#endif
