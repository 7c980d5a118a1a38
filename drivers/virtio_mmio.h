/*
 * virtio_mmio.h - the virtio-mmio transport (virtio 1.1, section 4.2) in
 * its legacy (version 1: QueuePFN) and modern (version 2: split queue
 * addresses) forms, and the split virtqueue (section 2.6) drivers put
 * their requests on.
 *
 * No locking here: a device driver serialises every call on one device
 * with its own lock.  Ring memory is one virtio_mmio_queue allocation.
 */
#ifndef HOLSTEIN_VIRTIO_MMIO_H
#define HOLSTEIN_VIRTIO_MMIO_H

#include <stdint.h>

#define VIRTIO_ID_BLOCK		2
#define VIRTIO_F_VERSION_1	(1ULL << 32)

/* Split virtqueue layout, little-endian (Holstein runs little-endian). */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2	/* the device writes this buffer */

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

struct virtq {
	uint16_t num;			/* power of two, <= VIRTQ_MAX */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint16_t free_head;		/* free descriptors, chained through .next */
	uint16_t nfree;
	uint16_t last_used;		/* used->idx we have consumed up to */
	uint16_t avail_idx;		/* our copy of avail->idx */
};
#define VIRTQ_MAX	128		/* fits the two-page layout below */

/* One piece of a request: @len bytes at physical @pa, written by the device if @dev_writes. */
struct virtq_seg {
	uint64_t pa;
	uint32_t len;
	int dev_writes;
};

struct virtio_mmio {
	uintptr_t regs;			/* the register window, mapped */
	uint32_t version;		/* 1 legacy, 2 modern */
	uint32_t device_id;
	uint32_t irq;			/* PLIC source, 0 if none */
};

/*
 * virtio_mmio_init - look at the transport at @base_pa (mapped by the
 * kernel table): magic and version checked, the device reset and told we
 * saw it (ACKNOWLEDGE | DRIVER).  Returns the device ID (VIRTIO_ID_*), 0
 * for an empty slot, or -ENODEV for no virtio-mmio transport.
 */
int virtio_mmio_init(struct virtio_mmio *vm, uint64_t base_pa, uint32_t irq);
/*
 * virtio_mmio_features - offer the device's features that are also in
 * @supported (plus VERSION_1 on a modern transport, which requires it) and
 * have them accepted (FEATURES_OK).  Stores what was agreed in @agreed.
 * 0, or -EIO if the device refused (the device is then marked FAILED).
 */
int virtio_mmio_features(struct virtio_mmio *vm, uint64_t supported, uint64_t *agreed);
/*
 * virtio_mmio_queue - set up queue @idx with at most VIRTQ_MAX entries in
 * @mem, VIRTIO_RING_BYTES of zeroed, physically contiguous, page-aligned
 * memory at kernel address @mem (physical @mem_pa).  0 or -EIO.
 */
#define VIRTIO_RING_BYTES	8192
int virtio_mmio_queue(struct virtio_mmio *vm, struct virtq *q, uint32_t idx, void *mem,
		      uint64_t mem_pa);
/* virtio_mmio_ready - DRIVER_OK: the device may start using its queues. */
void virtio_mmio_ready(struct virtio_mmio *vm);
/* virtio_mmio_fail - give up on the device: FAILED. */
void virtio_mmio_fail(struct virtio_mmio *vm);
/* virtio_mmio_broken - true if the device asks for a reset (DEVICE_NEEDS_RESET). */
int virtio_mmio_broken(struct virtio_mmio *vm);
/* virtio_mmio_config32/64 - device-specific configuration at byte offset @off. */
uint32_t virtio_mmio_config32(struct virtio_mmio *vm, uint32_t off);
uint64_t virtio_mmio_config64(struct virtio_mmio *vm, uint32_t off);
/* virtio_mmio_notify - tell the device queue @idx has new buffers. */
void virtio_mmio_notify(struct virtio_mmio *vm, uint32_t idx);
/* virtio_mmio_irq_ack - read and acknowledge the interrupt status (bit 0 used ring, 1 config). */
uint32_t virtio_mmio_irq_ack(struct virtio_mmio *vm);

/*
 * virtq_add - chain @n segments into free descriptors and make the chain
 * available (the caller then notifies).  Returns the head descriptor (the
 * request's id in the used ring), or -1 if fewer than @n are free.
 */
int virtq_add(struct virtq *q, const struct virtq_seg *segs, int n);
/*
 * virtq_used - the next completed chain's head (its written length in
 * *@len); -1 if there is none; -2 for an entry naming no descriptor (skip it).
 */
int virtq_used(struct virtq *q, uint32_t *len);
/* virtq_free - give the chain starting at @head back to the free list. */
void virtq_free(struct virtq *q, int head);

/*
 * virtio_pa - the physical address of kernel virtual address @va: the
 * direct map, the image or a kernel stack.  Valid for the rest of @va's
 * page only (physical contiguity is per page).
 */
uint64_t virtio_pa(const void *va);

#endif
