/*
 * swapon.c - swapon(2) and swapoff(2): a block device made by mkswap
 * becomes a swap area of vm/ (swap.h), and /proc/swaps lists the areas.
 *
 * vm/ knows no device: this file hands it a struct swap_io whose rw moves
 * whole pages with blk_rw_vec (8 sectors a page, at page offset * 8).  Only a
 * block device can be an area: a swap file on ext4 or tmpfs is refused
 * with EINVAL (docs/design.md), as Linux refuses a file its file system
 * cannot map to blocks.  Holstein has no credentials (everyone is root),
 * so neither call ever says EPERM for want of privilege.
 *
 * A device is either a swap area or mounted, never both: swapon checks the
 * mount list, and a mount holds the device (swapon_hold_dev) while it reads
 * it, so whichever comes second sees EBUSY.
 *
 * Priorities are Linux's: SWAP_FLAG_PREFER gives 0..32767; without it the
 * areas get -2, -3 ... in the order they are turned on, and turning one of
 * those off moves the later ones up by one.
 *
 * Locking: swapon_lock (a spinlock, level 1: nothing taken inside it but
 * swap.c's lock through swap_area_info) guards the table; swapon and
 * swapoff take turns through swapon_busy, as they sleep (disk I/O, swapping
 * every page back in).
 */
#include "../kernel/kernel.h"
#include "../kernel/sched.h"
#include "../kernel/spinlock.h"
#include "../kernel/syscall.h"
#include "../drivers/blk.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/swap.h"
#include "../vm/swap_hdr.h"
#include "../vm/uaccess.h"
#include "inode.h"
#include "mount.h"
#include "namei.h"
#include "procfs_int.h"
#include "swapon.h"

#define SWAP_FLAG_PREFER	0x8000
#define SWAP_FLAG_PRIO_MASK	0x7fff
#define SWAP_FLAG_DISCARD	0x10000
#define SWAP_FLAG_DISCARD_ONCE	0x20000
#define SWAP_FLAG_DISCARD_PAGES	0x40000
#define SWAP_FLAGS_VALID	(SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
				 SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)

enum { SW_FREE, SW_CLAIMED, SW_ON };

struct swapon_area {
	int state;		/* SW_CLAIMED: being turned on; its device is taken */
	int area;		/* swap_area_add's index */
	uint32_t rdev;
	int prio;		/* as /proc/swaps shows it */
	char *name;		/* kmalloc'd: the device's absolute path */
};

static struct spinlock swapon_lock = SPINLOCK_INIT("swapon");
static struct swapon_area swapon_areas[SWAP_MAX_AREAS];
static struct { uint32_t rdev; int n; } swapon_holds[BLK_MAX_DEVS];	/* mounts under way */
static int swapon_least_prio = -1;	/* the last automatic priority given */
static int swapon_busy;

/* swapon_enter/swapon_leave - one swapon or swapoff at a time (they sleep). */
static void swapon_enter(void)
{
	spin_lock(&swapon_lock);
	while (swapon_busy)
		sched_sleep(&swapon_busy, &swapon_lock);
	swapon_busy = 1;
	spin_unlock(&swapon_lock);
}

static void swapon_leave(void)
{
	spin_lock(&swapon_lock);
	swapon_busy = 0;
	sched_wakeup(&swapon_busy);
	spin_unlock(&swapon_lock);
}

/* swapon_find_locked - the entry whose device is @rdev (claimed or on), or NULL. */
static struct swapon_area *swapon_find_locked(uint32_t rdev)
{
	for (int i = 0; i < SWAP_MAX_AREAS; i++)
		if (swapon_areas[i].state != SW_FREE && swapon_areas[i].rdev == rdev)
			return &swapon_areas[i];
	return 0;
}

int swapon_dev_active(uint32_t rdev)
{
	int on;

	spin_lock(&swapon_lock);
	on = swapon_find_locked(rdev) != 0;
	spin_unlock(&swapon_lock);
	return on;
}

int swapon_hold_dev(uint32_t rdev)
{
	int r = -EBUSY;

	spin_lock(&swapon_lock);
	if (!swapon_find_locked(rdev))
		for (int i = 0; i < BLK_MAX_DEVS && r; i++)
			if (!swapon_holds[i].n || swapon_holds[i].rdev == rdev) {
				swapon_holds[i].rdev = rdev;
				swapon_holds[i].n++;
				r = 0;
			}
	spin_unlock(&swapon_lock);
	return r;
}

void swapon_release_dev(uint32_t rdev)
{
	spin_lock(&swapon_lock);
	for (int i = 0; i < BLK_MAX_DEVS; i++)
		if (swapon_holds[i].n && swapon_holds[i].rdev == rdev) {
			swapon_holds[i].n--;
			break;
		}
	spin_unlock(&swapon_lock);
}

/*
 * swapon_claim - take device @rdev for a new area: -EBUSY if it is an area
 * already, or a mount holds it, or is on it; -EPERM when every entry is
 * taken (Linux's MAX_SWAPFILES).  The entry, SW_CLAIMED, into *@out.
 */
static long swapon_claim(uint32_t rdev, struct swapon_area **out)
{
	struct swapon_area *a = 0;
	long r = 0;

	spin_lock(&swapon_lock);
	if (swapon_find_locked(rdev))
		r = -EBUSY;
	for (int i = 0; i < BLK_MAX_DEVS && !r; i++)
		if (swapon_holds[i].n && swapon_holds[i].rdev == rdev)
			r = -EBUSY;
	for (int i = 0; i < SWAP_MAX_AREAS && !r && !a; i++)
		if (swapon_areas[i].state == SW_FREE)
			a = &swapon_areas[i];
	if (!r && !a)
		r = -EPERM;
	if (!r) {
		a->state = SW_CLAIMED;
		a->rdev = rdev;
	}
	spin_unlock(&swapon_lock);
	/* Held by us now, a device a mount finished with earlier shows in the list. */
	if (!r && mount_dev_busy(rdev)) {
		spin_lock(&swapon_lock);
		a->state = SW_FREE;
		spin_unlock(&swapon_lock);
		r = -EBUSY;
	}
	*out = a;
	return r;
}

/*
 * swapon_rw - struct swap_io's rw: page off[i] of the area is sectors
 * off[i]*8 .. +8 of the disk; blk_rw_vec puts them all in flight, pages
 * that follow on in one request.
 */
static int swapon_rw(void *dev, int write, const uint32_t *off, const phys_addr_t *pa, unsigned n)
{
	uint64_t sectors[SWAP_IO_MAX];

	for (unsigned i = 0; i < n; i++)
		sectors[i] = (uint64_t)off[i] * (PAGE_SIZE / BLK_SECTOR);
	/* a read-only disk's EROFS is a failed write too */
	return blk_rw_vec(dev, write, sectors, pa, n) ? -EIO : 0;
}

static const struct swap_io swapon_io = { .rw = swapon_rw };

/*
 * swapon_name - the name /proc/swaps shows for the device @ip that @path
 * names: its absolute path, or, reached through a symlink, the /dev name
 * of its disk @bd (Linux shows the file the link led to).  Into @buf of
 * PATH_MAX bytes.
 */
static void swapon_name(const char *path, struct inode *ip, struct blkdev *bd, char *buf)
{
	struct nameidata nd;
	long r = -ENOENT;

	if (!namei(AT_FDCWD, path, LOOKUP_PARENT, &nd)) {
		if (nd.inode == ip && nd.last_type == LAST_NORM)
			r = nd_path(&nd, buf, PATH_MAX);
		nd_release(&nd);
	}
	if (r < 0) {
		strlcpy(buf, "/dev/", PATH_MAX);
		strlcpy(buf + 5, bd->name, PATH_MAX - 5);
	}
}

/*
 * swapon_open - what @path names, as swapon and swapoff take it: a block
 * device with a disk behind it.  ENOENT (and namei's other errors), EISDIR
 * for a directory (Linux opens it for writing), EINVAL for any other
 * file, ENXIO for a device number without a disk.  With @name, the name to
 * show into it (PATH_MAX bytes).
 */
static long swapon_open(const char *path, uint32_t *rdev, struct blkdev **bd, char *name)
{
	struct nameidata nd;
	long r;

	if (!path[0])
		return -ENOENT;
	if ((r = namei(AT_FDCWD, path, LOOKUP_FOLLOW, &nd)))
		return r;
	if (nd.proc || !nd.inode)
		r = -EINVAL;
	else if (S_ISDIR(nd.inode->mode))
		r = -EISDIR;
	else if (!S_ISBLK(nd.inode->mode))
		r = -EINVAL;		/* a swap file: not yet (docs/design.md) */
	else if (!(*bd = blk_by_rdev(nd.inode->rdev)))
		r = -ENXIO;
	if (!r) {
		*rdev = nd.inode->rdev;
		if (name)
			swapon_name(path, nd.inode, *bd, name);
	}
	nd_release(&nd);
	return r;
}

/*
 * swapon_start - read and judge the header of @bd and turn it on as @a
 * (claimed), named @name, with swapon's @flags.  Sleeps.  0 or -errno.
 */
static long swapon_start(struct swapon_area *a, struct blkdev *bd, const char *name, int flags)
{
	struct swap_hdr *h = kmalloc(sizeof(*h));
	phys_addr_t pg = pmm_alloc();
	char *copy = kmalloc(strlen(name) + 1);
	int prio = flags & SWAP_FLAG_PREFER ? flags & SWAP_FLAG_PRIO_MASK : swapon_least_prio - 1;
	long r = h && pg && copy ? 0 : -ENOMEM;

	if (!r)
		r = blk_read(bd, 0, phys_to_virt(pg), PAGE_SIZE / BLK_SECTOR);
	if (!r && (r = swap_hdr_parse(phys_to_virt(pg), bd->sectors / (PAGE_SIZE / BLK_SECTOR), h)))
		pr_err("swapon: %s: no swap area Linux would take (mkswap makes one)\n", name);
	if (!r && h->truncated)
		pr_warn("Truncating oversized swap area, only using %luk out of %luk\n",
			h->npages * 4, h->last_page * 4);
	if (!r)
		r = swap_area_add(&swapon_io, bd, h->npages, h->bad, h->nbad, prio);
	if (r >= 0) {
		strlcpy(copy, name, strlen(name) + 1);
		spin_lock(&swapon_lock);
		a->area = (int)r;
		a->prio = prio;
		a->name = copy;
		a->state = SW_ON;
		if (!(flags & SWAP_FLAG_PREFER))
			swapon_least_prio = prio;
		spin_unlock(&swapon_lock);
		/* Linux's line; a whole disk is one extent spanning the usable pages. */
		pr_info("Adding %luk swap on %s.  Priority:%d extents:1 across:%luk\n",
			h->good * 4, name, prio, h->good * 4);
		copy = 0;
		r = 0;
	}
	kfree(copy);
	kfree(h);
	if (pg)
		pmm_put(pg);
	return r;
}

/* swapon_path_in - the user's path at @upath into a fresh page *@pg: its text, or NULL and *@err. */
static char *swapon_path_in(unsigned long upath, phys_addr_t *pg, long *err)
{
	char *path;

	if (!(*pg = pmm_alloc())) {
		*err = -ENOMEM;
		return 0;
	}
	path = phys_to_virt(*pg);
	if ((*err = uaccess_strncpy_from_user(path, upath, PATH_MAX)) < 0) {
		pmm_put(*pg);
		return 0;
	}
	return path;
}

/* swapon(const char *path, int flags): turn the swap area on block device @path on. */
SYSCALL(swapon)
{
	int flags = (int)a1;
	phys_addr_t pg, npg;
	struct swapon_area *a = 0;
	struct blkdev *bd;
	uint32_t rdev;
	char *path;
	long r;

	if (flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	if (!(path = swapon_path_in(a0, &pg, &r)))
		return r;
	if (!(npg = pmm_alloc())) {
		pmm_put(pg);
		return -ENOMEM;
	}
	swapon_enter();
	r = swapon_open(path, &rdev, &bd, phys_to_virt(npg));
	if (!r)
		r = swapon_claim(rdev, &a);
	if (!r && (r = swapon_start(a, bd, phys_to_virt(npg), flags))) {
		spin_lock(&swapon_lock);
		a->state = SW_FREE;
		spin_unlock(&swapon_lock);
	}
	swapon_leave();
	pmm_put(npg);
	pmm_put(pg);
	return r;
}

/* swapon_forget - @a is off: free its entry; automatic priorities below it move up one. */
static void swapon_forget(struct swapon_area *a)
{
	char *name;

	spin_lock(&swapon_lock);
	if (a->prio < 0) {
		for (int i = 0; i < SWAP_MAX_AREAS; i++)
			if (swapon_areas[i].state == SW_ON && swapon_areas[i].prio < a->prio)
				swapon_areas[i].prio++;
		swapon_least_prio++;
	}
	name = a->name;
	a->name = 0;
	a->state = SW_FREE;
	spin_unlock(&swapon_lock);
	kfree(name);
}

/* swapoff(const char *path): turn the area on block device @path off, every page read back. */
SYSCALL(swapoff)
{
	struct swapon_area *a = 0;
	struct blkdev *bd;
	phys_addr_t pg;
	uint32_t rdev;
	char *path;
	long r;

	if (!(path = swapon_path_in(a0, &pg, &r)))
		return r;
	swapon_enter();
	r = swapon_open(path, &rdev, &bd, 0);
	if (r == -ENXIO)
		r = -EINVAL;		/* no disk: no area on it either */
	if (!r) {
		spin_lock(&swapon_lock);
		a = swapon_find_locked(rdev);
		if (!a || a->state != SW_ON)
			r = -EINVAL;
		spin_unlock(&swapon_lock);
	}
	if (!r && !(r = swap_area_remove(a->area)))
		swapon_forget(a);
	swapon_leave();
	pmm_put(pg);
	return r;
}

/* swapon_put_name - @s as seq_file_path shows it: space, tab, newline and backslash in octal. */
static int swapon_put_name(struct buffile_text *t, const char *s)
{
	int len = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\') {
			procfs_printf(t, "\\%03o", (unsigned char)*s);
			len += 4;
		} else {
			procfs_printf(t, "%c", *s);
			len++;
		}
	}
	return len;
}

void swapon_gen_proc(struct buffile_text *t)
{
	procfs_printf(t, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	spin_lock(&swapon_lock);
	for (int i = 0; i < SWAP_MAX_AREAS; i++) {
		struct swapon_area *a = &swapon_areas[i];
		struct swap_area_info info;
		if (a->state != SW_ON || swap_area_info(a->area, &info))
			continue;
		unsigned long size = info.size * 4, used = info.used * 4;
		int len = swapon_put_name(t, a->name);
		do		/* padded to 40 columns, at least one space (no %*s here) */
			procfs_printf(t, " ");
		while (++len < 40);
		procfs_printf(t, "%s\t%lu\t%s%lu\t%s%d\n",
			      "partition", size, size < 10000000 ? "\t" : "", used,
			      used < 10000000 ? "\t" : "", a->prio);
	}
	spin_unlock(&swapon_lock);
}
