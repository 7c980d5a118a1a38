/*
 * reclaim.h - taking frames back when memory runs low.
 *
 * Three watermarks over the free frames (pmm_free_frames): below LOW, the
 * next task that may sleep with no lock held (a page fault before it takes
 * mm->lock, reclaim_maybe) reclaims until free frames pass HIGH.  Between
 * MIN and LOW the kernel's own allocations, and fault paths holding a
 * spinlock, still succeed: they never wait on disk I/O.  Only when an
 * allocation fails outright does the caller ask reclaim_retry, and only
 * when that finds nothing at all to free does the OOM killer run.
 *
 * What is reclaimed, cheapest first: caches other subsystems can rebuild
 * (shrinkers: clean page cache of files on disk), then anonymous pages,
 * COW-shared or not, to swap (chosen by a clock over the accessed bit).
 */
#ifndef HOLSTEIN_RECLAIM_H
#define HOLSTEIN_RECLAIM_H

#include "pmm.h"

/*
 * A cache another subsystem can give back (fs/ registers one for the clean
 * page cache of disk files).  @scan frees up to @want frames and returns
 * how many it freed; it runs with no lock held and may sleep, but must
 * only trylock a lock that a path allocating memory may hold (the caller
 * of reclaim may hold it).  @count says how many frames it could free now
 * (for MemAvailable); it must not sleep.
 */
struct shrinker {
	unsigned long (*scan)(unsigned long want);
	unsigned long (*count)(void);
	struct shrinker *next;
};
/* reclaim_register_shrinker - add @s (static storage) for good.  Boot or mount time. */
void reclaim_register_shrinker(struct shrinker *s);

extern unsigned long reclaim_low;	/* frames; set by reclaim_init */

/* reclaim_init - set the watermarks from the frames there are (after pmm_init). */
void reclaim_init(void);

/*
 * reclaim_run - reclaim until free frames reach the high watermark or
 * nothing more can be freed.  One task reclaims at a time; others wait for
 * it and return.  No lock held; sleeps.
 */
void reclaim_run(void);

/* reclaim_maybe - reclaim_run if free frames are below the low watermark. */
static inline void reclaim_maybe(void)
{
	if (__builtin_expect(pmm_free_frames() < reclaim_low, 0))
		reclaim_run();
}

/*
 * reclaim_retry - an allocation failed: reclaim what can be.  1 if frames
 * were freed (or another task freed some meanwhile): try again; 0 when
 * nothing is reclaimable (no swap, swap full, no cache): out of memory.
 * No lock held; sleeps.
 */
int reclaim_retry(void);

#endif
