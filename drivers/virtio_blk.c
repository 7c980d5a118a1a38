/*
 * virtio_blk.c - virtio block devices (virtio 1.1, section 5.2): read,
 * write and flush requests on one split virtqueue, many in flight.
 *
 * A request is a descriptor chain: the 16-byte header (type, sector), the
 * data split at page boundaries (only a page is known to be physically
 * contiguous), and the status byte the device writes.  Header and status
 * live on the submitter's kernel stack: it sleeps on them until the
 * interrupt handler sees the chain in the used ring, marks the request done
 * and wakes it.  A submitter that finds too few free descriptors sleeps on
 * the queue until a completion frees some.  vb->lock guards the queue and
 * the in-flight table; the handler takes it too (spinlocks keep interrupts
 * off, so the hart holding it cannot be interrupted into it).
 */
#include "virtio_blk.h"
#include "virtio_mmio.h"
#include "blk.h"
#include "plic.h"
#include "../kernel/kernel.h"
#include "../kernel/devtree.h"
#include "../kernel/spinlock.h"
#include "../kernel/sched.h"
#include "../kernel/irq.h"
#include "../kernel/cpu.h"
#include "../vm/kvm.h"

#define VIRTIO_BLK_F_SEG_MAX	(1ULL << 2)
#define VIRTIO_BLK_F_RO		(1ULL << 5)
#define VIRTIO_BLK_F_BLK_SIZE	(1ULL << 6)
#define VIRTIO_BLK_F_FLUSH	(1ULL << 9)

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4

#define VIRTIO_BLK_S_OK		0
#define VBLK_S_NONE		0xff	/* not written by the device: a failure too */

#define VBLK_CFG_CAPACITY	0
#define VBLK_CFG_SEG_MAX	12

#define VBLK_MAX_SECTORS	128	/* 64 KiB a request */
/* header + data (a misaligned 64 KiB buffer touches 17 pages) + status */
#define VBLK_MAX_SEGS		(2 + VBLK_MAX_SECTORS * BLK_SECTOR / PAGE_SIZE + 1)

struct vblk_req {
	struct {
		uint32_t type;
		uint32_t reserved;
		uint64_t sector;
	} hdr __attribute__((aligned(16)));	/* 16 aligned: never crosses a page */
	volatile uint8_t status;
	volatile int done;
};

struct vblk {
	/* Page aligned in every element of vblks[], physically contiguous (the image is). */
	uint8_t ring[VIRTIO_RING_BYTES] __attribute__((aligned(4096)));
	struct virtio_mmio vm;
	struct virtq q;
	struct spinlock lock;
	struct blkdev bd;
	int dead;				/* the device asked for a reset: fail everything */
	struct vblk_req *inflight[VIRTQ_MAX];	/* by head descriptor */
};

static struct vblk vblks[DT_MAX_VIRTIO];
static int vblk_count;

/*
 * vblk_reap - every completed chain: its request marked done and woken,
 * its descriptors freed (and waiters for descriptors woken).  A device
 * that needs a reset fails every request in flight.  vb->lock held.
 */
static void vblk_reap(struct vblk *vb)
{
	struct vblk_req *r;
	uint32_t len;
	int head, freed = 0;

	while ((head = virtq_used(&vb->q, &len)) != -1) {
		if (head < 0 || !(r = vb->inflight[head])) {
			pr_err("virtio_blk: %s: used id %d not in flight (used %u)\n", vb->bd.name, head,
			       vb->q.last_used);
			continue;	/* an id we never gave out: ignore it */
		}
		vb->inflight[head] = 0;
		virtq_free(&vb->q, head);
		r->done = 1;
		sched_wakeup(r);
		freed = 1;
	}
	if (!vb->dead && virtio_mmio_broken(&vb->vm)) {
		pr_err("virtio_blk: %s: device needs a reset; failing its requests\n", vb->bd.name);
		vb->dead = 1;
	}
	if (vb->dead)
		for (int i = 0; i < VIRTQ_MAX; i++)
			if ((r = vb->inflight[i])) {
				vb->inflight[i] = 0;
				r->done = 1;
				sched_wakeup(r);
			}
	if (freed || vb->dead)
		sched_wakeup(&vb->q);
}

/* vblk_irq - the device's interrupt, on whichever hart claimed it. */
static void vblk_irq(void *arg)
{
	struct vblk *vb = arg;

	spin_lock(&vb->lock);
	virtio_mmio_irq_ack(&vb->vm);
	vblk_reap(vb);
	spin_unlock(&vb->lock);
}

/*
 * vblk_wait - wait for a change on @chan (a request or the queue); vb->lock
 * held, and held again on return.  A process sleeps; without one (early
 * boot) or without an interrupt line, the used ring is polled.
 */
static void vblk_wait(struct vblk *vb, void *chan)
{
	if (this_cpu()->proc && vb->vm.irq && plic_present()) {
		sched_sleep(chan, &vb->lock);
		return;
	}
	spin_unlock(&vb->lock);		/* a moment for the interrupt handler */
	spin_lock(&vb->lock);
	vblk_reap(vb);
}

/*
 * vblk_segs - @r's header, @len bytes at @buf split at page boundaries,
 * and the status byte, as segments in @segs.  Returns how many, or -1 if
 * an address has no physical page (a caller's bug: not a kernel buffer).
 */
static int vblk_segs(struct vblk_req *r, void *buf, size_t len, int dev_writes,
		     struct virtq_seg *segs)
{
	char *p = buf;
	int n = 0;

	segs[n++] = (struct virtq_seg){ virtio_pa(&r->hdr), sizeof(r->hdr), 0 };
	while (len) {
		size_t chunk = PAGE_SIZE - ((uintptr_t)p & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		segs[n] = (struct virtq_seg){ virtio_pa(p), (uint32_t)chunk, dev_writes };
		if (!segs[n++].pa)
			return -1;
		p += chunk;
		len -= chunk;
	}
	segs[n++] = (struct virtq_seg){ virtio_pa((void *)&r->status), 1, 1 };
	return segs[0].pa ? n : -1;
}

/*
 * vblk_queue - request @r, whose @n segments are @segs, on @vb: queue it
 * (waiting for free descriptors), notify, sleep until done.  0, or -EIO
 * on any failure.
 */
static int vblk_queue(struct vblk *vb, struct vblk_req *r, struct virtq_seg *segs, int n)
{
	int head = -1;

	if (n < 0 || n > vb->q.num)
		return -EIO;
	spin_lock(&vb->lock);
	while (!vb->dead && (head = virtq_add(&vb->q, segs, n)) < 0)
		vblk_wait(vb, &vb->q);
	if (vb->dead) {
		spin_unlock(&vb->lock);
		return -EIO;
	}
	vb->inflight[head] = r;
	virtio_mmio_notify(&vb->vm, 0);
	while (!r->done)
		vblk_wait(vb, r);
	spin_unlock(&vb->lock);
	return r->status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

/* vblk_submit - one request of @type on @vb for @len bytes at kernel address @buf. */
static int vblk_submit(struct vblk *vb, uint32_t type, uint64_t sector, void *buf, size_t len)
{
	struct virtq_seg segs[VBLK_MAX_SEGS];
	struct vblk_req r = { .hdr = { type, 0, sector }, .status = VBLK_S_NONE, .done = 0 };

	return vblk_queue(vb, &r, segs, vblk_segs(&r, buf, len, type == VIRTIO_BLK_T_IN, segs));
}

/* vblk_rw_pages - blk_ops.rw_pages: one request whose data segments are the @n pages. */
static int vblk_rw_pages(struct blkdev *bd, int write, uint64_t sector, const uint64_t *pages,
			 unsigned n)
{
	struct virtq_seg segs[VBLK_MAX_SEGS];
	struct vblk_req r = { .hdr = { write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, 0, sector },
			      .status = VBLK_S_NONE, .done = 0 };
	int k = 0;

	if (n > VBLK_MAX_SEGS - 2)
		return -EIO;
	segs[k++] = (struct virtq_seg){ virtio_pa(&r.hdr), sizeof(r.hdr), 0 };
	for (unsigned i = 0; i < n; i++)
		segs[k++] = (struct virtq_seg){ pages[i], PAGE_SIZE, !write };
	segs[k++] = (struct virtq_seg){ virtio_pa((void *)&r.status), 1, 1 };
	return vblk_queue(bd->priv, &r, segs, k);
}

static int vblk_rw(struct blkdev *bd, int write, uint64_t sector, void *buf, uint32_t nsect)
{
	return vblk_submit(bd->priv, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector, buf,
			   (size_t)nsect * BLK_SECTOR);
}

static int vblk_flush(struct blkdev *bd)
{
	return vblk_submit(bd->priv, VIRTIO_BLK_T_FLUSH, 0, 0, 0);
}

static const struct blk_ops vblk_ops = { .rw = vblk_rw, .rw_pages = vblk_rw_pages,
					  .flush = vblk_flush };
static const struct blk_ops vblk_ops_noflush = { .rw = vblk_rw, .rw_pages = vblk_rw_pages };

/*
 * vblk_start - features, the queue, DRIVER_OK, then the disk's size and
 * limits.  0, or -EIO with the device marked FAILED.
 */
static int vblk_start(struct vblk *vb)
{
	uint64_t f;
	uint32_t seg_max;

	if (virtio_mmio_features(&vb->vm, VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO |
					      VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH, &f))
		return -EIO;
	memset(vb->ring, 0, sizeof(vb->ring));
	if (virtio_mmio_queue(&vb->vm, &vb->q, 0, vb->ring, kvm_pa_of(vb->ring))) {
		virtio_mmio_fail(&vb->vm);
		return -EIO;
	}
	vb->lock = (struct spinlock)SPINLOCK_INIT("virtio_blk");
	vb->bd.sectors = virtio_mmio_config64(&vb->vm, VBLK_CFG_CAPACITY);
	vb->bd.readonly = (f & VIRTIO_BLK_F_RO) != 0;
	vb->bd.ops = (f & VIRTIO_BLK_F_FLUSH) ? &vblk_ops : &vblk_ops_noflush;
	vb->bd.priv = vb;
	vb->bd.max_sectors = VBLK_MAX_SECTORS;
	/* A buffer of k pages may touch k + 1: keep the data segments under seg_max. */
	seg_max = (f & VIRTIO_BLK_F_SEG_MAX) ? virtio_mmio_config32(&vb->vm, VBLK_CFG_SEG_MAX) : 0;
	if (seg_max && seg_max < VBLK_MAX_SEGS - 2)
		vb->bd.max_sectors = seg_max > 1 ? (seg_max - 1) * (PAGE_SIZE / BLK_SECTOR) : 1;
	virtio_mmio_ready(&vb->vm);
	return 0;
}

void virtio_blk_probe(const struct dt_info *dt)
{
	for (int i = 0; i < dt->nvirtio; i++) {
		struct vblk *vb = &vblks[vblk_count];

		if (virtio_mmio_init(&vb->vm, dt->virtio[i].base, dt->virtio[i].irq) !=
		    VIRTIO_ID_BLOCK)
			continue;
		if (vblk_start(vb)) {
			pr_err("virtio_blk: device at %#lx failed to start\n",
			       (unsigned long)dt->virtio[i].base);
			continue;
		}
		if (blk_register(&vb->bd))
			break;
		/* No interrupt that reaches a hart: waiters poll the used ring instead. */
		if (vb->vm.irq && irq_register(vb->vm.irq, vblk_irq, vb))
			vb->vm.irq = 0;
		pr_info("virtio_blk: %s at %#lx irq %u, virtio-mmio v%u, %u descriptors%s\n",
			vb->bd.name, (unsigned long)dt->virtio[i].base, vb->vm.irq,
			vb->vm.version, vb->q.num, vb->bd.ops == &vblk_ops ? ", flush" : "");
		vblk_count++;
	}
}
