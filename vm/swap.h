/*
 * swap.h - swap: areas of disk pages, swap entries in page tables, and
 * the swap cache that lets a copy-on-write page come back from disk once
 * and be shared again.
 *
 * A SLOT is one page of one area (swp_t: area and page offset; page 0 of
 * an area is its header and never a slot, so 0 names no slot).  A slot's
 * COUNT is the number of references to it: every PTE that holds its swap
 * entry (a shared level-0 table's entry counts once, as for frames,
 * ptshare.h), plus one per I/O in flight on it.  The count reaching 0 frees
 * the slot.
 *
 * A SWAP ENTRY is a leaf PTE with V clear that names a slot (swp_to_pte):
 * "this private page is on disk".  It carries no protection: the swap-in
 * fault takes it from the VMA, as a fresh page would.
 *
 * The SWAP CACHE maps a slot to a frame holding the same bytes, so that the
 * N mappers of a swapped-out COW page read it from disk once: the first
 * fault reads it into a frame and leaves it in the cache; the others find
 * it there and map the same frame read-only (COW), refcount N as before.
 * Rules:
 *  - The cache holds one pmm reference on each frame in it.  A frame is in
 *    the cache only while its slot's count is above 0; the count reaching 0
 *    drops the cache's reference.  So a frame in the cache always has
 *    another possible mapper: a write fault on it copies (cow.c sees a
 *    count above 1), and nobody ever writes a cached frame.
 *  - The frame remembers its slot (swap_slot_of), which is how reclaim,
 *    meeting the same frame through a second mapper, turns that PTE into
 *    the same swap entry without writing the page again.
 *
 * Lock order: mm->lock, then ptshare's table lock, then swap_lock (inside
 * swap.c); I/O is done with none of them held.
 */
#ifndef HOLSTEIN_SWAP_H
#define HOLSTEIN_SWAP_H

#include "pmm.h"
#include "../arch/riscv/pte.h"

#define SWAP_MAX_AREAS	32		/* Linux's MAX_SWAPFILES */
#define SWP_AREA_SHIFT	27		/* page offsets below 2^27: 512 GiB per area */

typedef uint32_t swp_t;

static inline swp_t swp_make(unsigned area, unsigned long off)
{
	return ((swp_t)area << SWP_AREA_SHIFT) | (swp_t)off;
}
static inline unsigned swp_area(swp_t s) { return s >> SWP_AREA_SHIFT; }
static inline unsigned long swp_off(swp_t s) { return s & ((1U << SWP_AREA_SHIFT) - 1); }

/* A swap entry in a PTE: V clear, the slot in the PPN bits, never 0. */
static inline int pte_is_swap(pte_t e) { return e != 0 && !(e & PTE_V); }
static inline pte_t swp_to_pte(swp_t s) { return (pte_t)s << 10; }
static inline swp_t pte_to_swp(pte_t e) { return (swp_t)(e >> 10); }

/*
 * The device under an area, provided by whoever turns it on (fs/swapon.c):
 * @rw moves the @n pages of the area from page @off on (bytes off*4096 ..
 * (off+n)*4096 of the device) from or to the frames @pa[0..n-1], in one
 * request where the device allows (n is at most SWAP_IO_MAX).  Sleeps; 0
 * or -EIO.  Never called holding a lock.
 */
#define SWAP_IO_MAX	32
struct swap_io {
	int (*rw)(void *dev, int write, unsigned long off, const phys_addr_t *pa, unsigned n);
};

/*
 * swap_area_add - swapon: pages 1..@npages-1 of @dev become slots, but for
 * the @nbad page offsets in @bad.  Slots come from the area of highest
 * @prio first; areas of equal priority take turns.  Returns the area's
 * index, or -EPERM when SWAP_MAX_AREAS are on, -EINVAL when no page is
 * usable, -ENOMEM.  May sleep.
 */
int swap_area_add(const struct swap_io *io, void *dev, unsigned long npages, const uint32_t *bad,
		  unsigned nbad, int prio);

/*
 * swap_area_remove - swapoff: no new slots come from @area; every swap
 * entry of it, in every address space, becomes a present page again (read
 * once per slot, shared again as it was); then the area is gone.  0;
 * -ENOMEM when memory ran out (the area stays on and is used again);
 * -EIO when a page could not be read (it
 * stays on, those entries SIGBUS).  No lock held; sleeps.
 */
int swap_area_remove(int area);

/* swap_area_info - what /proc/swaps shows of @area (pages).  0, or -ENOENT if it is off. */
struct swap_area_info {
	void *dev;
	int prio;
	unsigned long size, used;	/* usable slots, slots in use */
};
int swap_area_info(int area, struct swap_area_info *out);

/* swap_totals - for /proc/meminfo and sysinfo, in pages: slots, free slots, cached frames. */
struct swap_totals {
	unsigned long total, free, cached;
};
void swap_totals(struct swap_totals *t);

/* swap_active - is any area on (cheap: reclaim and the fault path ask it often)? */
int swap_active(void);

/*
 * The page-table side, for vm/ only.  All under the mm's lock of the PTE
 * concerned (or on a table nobody else can reach).
 */
/* swap_dup - one more PTE holds @s (fork, a table copied). */
void swap_dup(swp_t s);
/* swap_free - a PTE holding @s is gone (munmap, exit, exec, MADV_DONTNEED). */
void swap_free(swp_t s);
/* swap_slot_of - the slot whose cache holds frame @pa, or 0. */
swp_t swap_slot_of(phys_addr_t pa);

/*
 * The swap-in fault (fault.c).  swap_fault - the fault at @va hit swap
 * entry *@e, in a table private to the faulting mm (mm->lock held), inside
 * area @v, which allows the access.  FAULT_OK: *@e maps the page again,
 * from the cache, with @v's protection: read-only + COW while the frame is
 * shared, and a store goes on to cow_fault (batch @b).  FAULT_SIGBUS: the
 * page could not be read.  FAULT_OOM: no frame to read into.  FAULT_RETRY:
 * the page must be read, or is being read: the caller drops every lock,
 * calls swap_fault_wait(@w), and faults again.  The read takes the
 * following pages too when their entries name the following slots
 * (readahead, one request), and maps them in @mm at once, not yet
 * accessed: the clock takes them back first if nobody touches them.
 */
struct swap_wait {
	swp_t s;		/* the first slot read, or the one whose read we wait for */
	unsigned n;		/* pages read; 0: wait for another's read */
	struct mm *mm;		/* the address space, and where slot @s is mapped in it */
	unsigned long va;
	phys_addr_t frame[SWAP_IO_MAX];
};
struct tlb_batch;
struct vma;
struct mm;
enum fault_result swap_fault(struct tlb_batch *b, struct mm *mm, struct vma *v, pte_t *e,
			     unsigned long va, int write, struct swap_wait *w);
void swap_fault_wait(struct swap_wait *w);

/*
 * The swap-out half (reclaim.c).  swap_out_pte - present PTE *@e, mapping
 * a private anonymous page (the caller checked), becomes a swap entry:
 * SWAP_OUT_NEW, the frame got a new slot *@s, pinned for the write that
 * swap_writeout does next; SWAP_OUT_CACHED, the frame was cached already
 * (another mapper went first): the entry names that slot and there is
 * nothing to write; SWAP_OUT_NONE, swap is full and *@e is unchanged.
 * Under the lock of the table holding @e; the PTE's reference on the
 * frame is the caller's to drop after its TLB round.
 */
enum swap_out_result { SWAP_OUT_NONE, SWAP_OUT_NEW, SWAP_OUT_CACHED };
enum swap_out_result swap_out_pte(pte_t *e, swp_t *s);
/*
 * swap_writeout - write the frames cached for the @n pinned slots from @s
 * on (one area, consecutive, n <= SWAP_IO_MAX) in one request, unpin them,
 * and free each frame the cache is now the only owner of: the number
 * freed.  A failed write keeps the frames (and the slots, marked bad) for
 * good.  No lock held; sleeps.
 */
unsigned swap_writeout(swp_t s, unsigned n);
/* swap_try_drop - if the cache is the only owner of frame @pa and it is on disk, free it: 1 if so. */
int swap_try_drop(phys_addr_t pa);

/* swap_slots_used - slots in use in every area: the leak check's number (/proc/meminfo). */
unsigned long swap_slots_used(void);

#endif
