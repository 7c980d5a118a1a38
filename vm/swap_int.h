/*
 * swap_int.h - inside swap: the slot map and its lock, shared by
 * swap_area.c (areas, which slot is free) and swap.c (counts, the cache,
 * I/O).  Nothing outside vm/swap*.c and vm/reclaim.c includes it.
 */
#ifndef HOLSTEIN_SWAP_INT_H
#define HOLSTEIN_SWAP_INT_H

#include "swap.h"
#include "../kernel/spinlock.h"

/* Guards every slot, every area's bookkeeping and every frame's swap tag. */
extern struct spinlock swap_lock;

/*
 * One slot.  @word: the count (PTEs holding the slot + I/O pinning it) in
 * the low 24 bits, SLOT_* flags above.  @frame: the cached frame, as
 * (pfn - pmm_base_pfn + 1), 0 for none.  A free slot is all zeros.
 */
struct swap_slot {
	uint32_t word;
	uint32_t frame;
};

#define SLOT_COUNT	0x00ffffffu
#define SLOT_BAD	0x80000000u	/* never handed out: in the bad list, or a write failed */
#define SLOT_IO		0x40000000u	/* a read into the cached frame is in flight: wait */
#define SLOT_ERR	0x20000000u	/* that read failed: the page is lost, its users SIGBUS */
#define SLOT_DIRTY	0x10000000u	/* the cached frame is not on disk yet */

static inline unsigned slot_count(const struct swap_slot *sl) { return sl->word & SLOT_COUNT; }

static inline phys_addr_t slot_frame(const struct swap_slot *sl)
{
	return sl->frame ? (phys_addr_t)(pmm_base_pfn + sl->frame - 1) << 12 : 0;
}

static inline void slot_set_frame(struct swap_slot *sl, phys_addr_t pa)
{
	sl->frame = pa ? (uint32_t)((pa >> 12) - pmm_base_pfn + 1) : 0;
}

/* swap_slot_locked - the slot @s names, or NULL if no area holds it.  swap_lock held. */
struct swap_slot *swap_slot_locked(swp_t s);

/*
 * swap_alloc_locked - a free slot, from the highest-priority area that is
 * not being turned off, with its count set to @count; 0 when every area is
 * full.  swap_lock held.
 */
swp_t swap_alloc_locked(unsigned count);

/* swap_release_locked - @s (count 0, no frame) is free again; a bad slot stays out.  swap_lock held. */
void swap_release_locked(swp_t s, struct swap_slot *sl);

/* swap_io_locked - the device of @s's area, to call with no lock held (areas outlive their slots). */
const struct swap_io *swap_io_locked(swp_t s, void **dev);

/* swap_area_in_use - slots of @area in use, bad ones not counted.  swap_lock held. */
unsigned long swap_area_in_use(unsigned area);
/* Frames in the swap cache now (swap.c counts, swap_totals reports).  swap_lock. */
extern unsigned long swap_cached_frames;

/*
 * swap_unuse - swapoff's work (swap.c): every swap entry of @area in every
 * address space becomes a present page.  0, -ENOMEM or -EIO.  No lock held.
 */
int swap_unuse(unsigned area);

#endif
