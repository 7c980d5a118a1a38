/*
 * virtio_mmio.c - the virtio-mmio transport and the split virtqueue.
 *
 * Register offsets and status bits are those of the virtio 1.1
 * specification, section 4.2.2 (modern) and 4.2.4 (legacy).  The same ring
 * layout serves both forms: descriptors at the start of the first page,
 * the available ring right after them, the used ring at the second page,
 * which is where a legacy device computes it (QueueAlign 4096).
 */
#include "virtio_mmio.h"
#include "../kernel/kernel.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/pte.h"
#include "../arch/riscv/csr.h"
#include "../vm/kvm.h"
#include "../vm/pt.h"

#define VM_MAGIC		0x000
#define VM_VERSION		0x004
#define VM_DEVICE_ID		0x008
#define VM_DEVICE_FEATURES	0x010
#define VM_DEVICE_FEATURES_SEL	0x014
#define VM_DRIVER_FEATURES	0x020
#define VM_DRIVER_FEATURES_SEL	0x024
#define VM_GUEST_PAGE_SIZE	0x028	/* legacy */
#define VM_QUEUE_SEL		0x030
#define VM_QUEUE_NUM_MAX	0x034
#define VM_QUEUE_NUM		0x038
#define VM_QUEUE_ALIGN		0x03c	/* legacy */
#define VM_QUEUE_PFN		0x040	/* legacy */
#define VM_QUEUE_READY		0x044
#define VM_QUEUE_NOTIFY		0x050
#define VM_INTERRUPT_STATUS	0x060
#define VM_INTERRUPT_ACK	0x064
#define VM_STATUS		0x070
#define VM_QUEUE_DESC		0x080	/* low, high at +4 */
#define VM_QUEUE_DRIVER		0x090
#define VM_QUEUE_DEVICE		0x0a0
#define VM_CONFIG_GENERATION	0x0fc
#define VM_CONFIG		0x100

#define VIRTIO_MAGIC		0x74726976	/* "virt" */

#define ST_ACKNOWLEDGE		1
#define ST_DRIVER		2
#define ST_DRIVER_OK		4
#define ST_FEATURES_OK		8
#define ST_NEEDS_RESET		64
#define ST_FAILED		128

static uint32_t rd(struct virtio_mmio *vm, uint32_t off)
{
	return *(volatile uint32_t *)(vm->regs + off);
}

static void wr(struct virtio_mmio *vm, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(vm->regs + off) = v;
}

int virtio_mmio_init(struct virtio_mmio *vm, uint64_t base_pa, uint32_t irq)
{
	vm->regs = (uintptr_t)pa_to_va(base_pa);
	vm->irq = irq;
	if (rd(vm, VM_MAGIC) != VIRTIO_MAGIC)
		return -ENODEV;
	vm->version = rd(vm, VM_VERSION);
	if (vm->version != 1 && vm->version != 2)
		return -ENODEV;
	vm->device_id = rd(vm, VM_DEVICE_ID);
	if (vm->device_id == 0)
		return 0;
	/* Reset first: a boot loader (U-Boot) may have left the device running. */
	wr(vm, VM_STATUS, 0);
	for (int i = 0; rd(vm, VM_STATUS) != 0; i++)
		if (i > 1000000)
			return -ENODEV;	/* a device that never finishes its reset is none */
	wr(vm, VM_STATUS, ST_ACKNOWLEDGE);
	wr(vm, VM_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	return (int)vm->device_id;
}

int virtio_mmio_features(struct virtio_mmio *vm, uint64_t supported, uint64_t *agreed)
{
	uint64_t dev;

	wr(vm, VM_DEVICE_FEATURES_SEL, 0);
	dev = rd(vm, VM_DEVICE_FEATURES);
	wr(vm, VM_DEVICE_FEATURES_SEL, 1);
	dev |= (uint64_t)rd(vm, VM_DEVICE_FEATURES) << 32;
	if (vm->version == 2)
		supported |= VIRTIO_F_VERSION_1;	/* required by a modern device */
	else
		supported &= 0xffffffffu;		/* legacy has 32 feature bits */
	*agreed = dev & supported;
	if (vm->version == 2 && !(*agreed & VIRTIO_F_VERSION_1)) {
		virtio_mmio_fail(vm);
		return -EIO;
	}
	wr(vm, VM_DRIVER_FEATURES_SEL, 0);
	wr(vm, VM_DRIVER_FEATURES, (uint32_t)*agreed);
	wr(vm, VM_DRIVER_FEATURES_SEL, 1);
	wr(vm, VM_DRIVER_FEATURES, (uint32_t)(*agreed >> 32));
	if (vm->version == 1) {
		/* Legacy has no FEATURES_OK; it needs the page size for QueuePFN instead. */
		wr(vm, VM_GUEST_PAGE_SIZE, PAGE_SIZE);
		return 0;
	}
	wr(vm, VM_STATUS, rd(vm, VM_STATUS) | ST_FEATURES_OK);
	if (!(rd(vm, VM_STATUS) & ST_FEATURES_OK)) {
		virtio_mmio_fail(vm);
		return -EIO;
	}
	return 0;
}

/* virtio_mmio_addr - write the 64-bit physical address @pa to the low/high pair at @off. */
static void virtio_mmio_addr(struct virtio_mmio *vm, uint32_t off, uint64_t pa)
{
	wr(vm, off, (uint32_t)pa);
	wr(vm, off + 4, (uint32_t)(pa >> 32));
}

int virtio_mmio_queue(struct virtio_mmio *vm, struct virtq *q, uint32_t idx, void *mem,
		      uint64_t mem_pa)
{
	uint32_t max;
	uint16_t num;

	wr(vm, VM_QUEUE_SEL, idx);
	if (vm->version == 1 ? rd(vm, VM_QUEUE_PFN) != 0 : rd(vm, VM_QUEUE_READY) != 0)
		return -EIO;	/* in use after a reset: the device is confused */
	max = rd(vm, VM_QUEUE_NUM_MAX);
	if (max == 0 || (mem_pa & (PAGE_SIZE - 1)))
		return -EIO;
	for (num = VIRTQ_MAX; num > max; num >>= 1)
		;
	q->num = num;
	q->desc = mem;
	q->avail = (void *)((char *)mem + 16 * num);
	q->used = (void *)((char *)mem + PAGE_SIZE);
	for (uint16_t i = 0; i < num; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->free_head = 0;
	q->nfree = num;
	q->last_used = q->avail_idx = 0;
	io_fence();
	wr(vm, VM_QUEUE_NUM, num);
	if (vm->version == 1) {
		wr(vm, VM_QUEUE_ALIGN, PAGE_SIZE);
		wr(vm, VM_QUEUE_PFN, (uint32_t)(mem_pa >> PAGE_SHIFT));
		return 0;
	}
	virtio_mmio_addr(vm, VM_QUEUE_DESC, mem_pa);
	virtio_mmio_addr(vm, VM_QUEUE_DRIVER, mem_pa + 16 * num);
	virtio_mmio_addr(vm, VM_QUEUE_DEVICE, mem_pa + PAGE_SIZE);
	wr(vm, VM_QUEUE_READY, 1);
	return 0;
}

void virtio_mmio_ready(struct virtio_mmio *vm)
{
	io_fence();
	wr(vm, VM_STATUS, rd(vm, VM_STATUS) | ST_DRIVER_OK);
}

void virtio_mmio_fail(struct virtio_mmio *vm)
{
	wr(vm, VM_STATUS, rd(vm, VM_STATUS) | ST_FAILED);
}

int virtio_mmio_broken(struct virtio_mmio *vm)
{
	return (rd(vm, VM_STATUS) & ST_NEEDS_RESET) != 0;
}

uint32_t virtio_mmio_config32(struct virtio_mmio *vm, uint32_t off)
{
	return rd(vm, VM_CONFIG + off);
}

/*
 * virtio_mmio_config64 - two 32-bit reads; a modern device's generation
 * counter says whether the field changed between them (then read again).
 * Legacy has no counter: its 64-bit fields are read as they are.
 */
uint64_t virtio_mmio_config64(struct virtio_mmio *vm, uint32_t off)
{
	uint32_t gen, lo, hi;

	do {
		gen = vm->version == 2 ? rd(vm, VM_CONFIG_GENERATION) : 0;
		lo = rd(vm, VM_CONFIG + off);
		hi = rd(vm, VM_CONFIG + off + 4);
	} while (vm->version == 2 && gen != rd(vm, VM_CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

void virtio_mmio_notify(struct virtio_mmio *vm, uint32_t idx)
{
	io_fence();
	wr(vm, VM_QUEUE_NOTIFY, idx);
}

uint32_t virtio_mmio_irq_ack(struct virtio_mmio *vm)
{
	uint32_t st = rd(vm, VM_INTERRUPT_STATUS);

	if (st)
		wr(vm, VM_INTERRUPT_ACK, st);
	return st;
}

int virtq_add(struct virtq *q, const struct virtq_seg *segs, int n)
{
	uint16_t head = q->free_head, d = head;

	if (n <= 0 || n > q->nfree)
		return -1;
	for (int i = 0; i < n; i++) {
		q->desc[d].addr = segs[i].pa;
		q->desc[d].len = segs[i].len;
		q->desc[d].flags = (uint16_t)((segs[i].dev_writes ? VIRTQ_DESC_F_WRITE : 0) |
					      (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		if (i + 1 < n)
			d = q->desc[d].next;
	}
	q->free_head = q->desc[d].next;
	q->nfree = (uint16_t)(q->nfree - n);
	q->avail->ring[q->avail_idx & (q->num - 1)] = head;
	io_fence();		/* the chain and the ring slot before the index */
	q->avail->idx = ++q->avail_idx;
	return head;
}

int virtq_used(struct virtq *q, uint32_t *len)
{
	volatile struct virtq_used_elem *e;

	if (q->last_used == q->used->idx)
		return -1;
	io_fence();		/* the index before the element it covers */
	e = &q->used->ring[q->last_used & (q->num - 1)];
	*len = e->len;
	q->last_used++;
	return e->id < q->num ? (int)e->id : -2;
}

void virtq_free(struct virtq *q, int head)
{
	uint16_t d = (uint16_t)head, n = 1;

	while ((q->desc[d].flags & VIRTQ_DESC_F_NEXT) && n < q->num) {
		d = q->desc[d].next;
		n++;
	}
	q->desc[d].next = q->free_head;
	q->free_head = (uint16_t)head;
	q->nfree = (uint16_t)(q->nfree + n);
}

uint64_t virtio_pa(const void *va)
{
	unsigned long v = (unsigned long)va;
	pte_t *pte;

	if (v >= DIRECT_MAP_BASE && v < DIRECT_MAP_END)
		return va_to_pa(va);
	if (v >= KERNEL_VBASE)
		return kvm_pa_of(va);
	/* A kernel stack: 4 KiB pages in the kernel table. */
	pte = pt_walk(kvm_root, v, 0);
	if (!pte || !(*pte & PTE_V))
		return 0;
	return pte_to_pa(*pte) | (v & (PAGE_SIZE - 1));
}
