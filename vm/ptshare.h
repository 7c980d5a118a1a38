/*
 * ptshare.h - level-0 page tables shared between address spaces after fork.
 *
 * Fork of a large process shares whole level-0 tables (2 MiB of address
 * space each) instead of copying their 512 entries: the per-page work of
 * fork and exit disappears, which is what makes COW fork of a big process
 * two orders of magnitude cheaper than an eager copy.
 *
 * The rules:
 *  - A table's owners are counted in its frame's pmm count.  A table with
 *    more than one owner is read-only: every private writable entry in it
 *    was made read-only + PTE_COW before it was first shared.
 *  - A shared table holds ONE reference on each frame it maps, whatever
 *    the number of address spaces sharing it.
 *  - Whoever wants to change an entry calls ptshare_walk_private() (or, for a
 *    range, ptshare_make_private()) first, which gives the address space
 *    its own copy of the table (taking a reference on every frame in it).  So by the time cow_fault looks at a frame's
 *    count, the count is the number of tables that map the frame, and
 *    "count 1: reuse" still means "no one else can see this frame".
 *  - Small tables (fewer than PTSHARE_MIN_PAGES mapped pages) are copied
 *    entry by entry as before: for them the copy is cheap, and the first
 *    write fault stays a plain COW fault instead of an unshare.
 */
#ifndef HOLSTEIN_PTSHARE_H
#define HOLSTEIN_PTSHARE_H

#include "mm.h"
#include "tlb.h"
#include "swap.h"
#include "../kernel/spinlock.h"

#define PTSHARE_MIN_PAGES 256
#define PTSHARE_REGION	PT_LEVEL_SIZE(1)	/* what one level-0 table maps: 2 MiB */

/*
 * ptshare_walk_private - the level-0 PTE for @va in @mm, for a caller about to
 * change it: a shared level-0 table is copied first.  With @alloc, missing
 * tables are allocated.  NULL when absent (no @alloc) or out of memory.
 * mm->lock held.  The old table of an unshare goes to @b, which the
 * caller finishes (tlb.h) before it drops the lock.
 */
pte_t *ptshare_walk_private(struct mm *mm, unsigned long va, int alloc, struct tlb_batch *b);

/*
 * ptshare_make_private - unshare every shared table that covers part of
 * [start, end), before a change that must not fail halfway (munmap,
 * mprotect, madvise).  0, or -ENOMEM with nothing else changed (tables
 * unshared before the failure stay so, their old tables in @b).
 */
int ptshare_make_private(struct mm *mm, unsigned long start, unsigned long end,
			 struct tlb_batch *b);

/*
 * ptshare_share_table - fork: hang the parent's level-0 table (under its
 * level-1 entry @pl1e) in the child at @cl1e too, as one more owner.  The
 * first time a table is shared, its private writable entries become
 * read-only + PTE_COW (cow_wrprotect).  The parent's lock held.
 */
void ptshare_share_table(pte_t *pl1e, pte_t *cl1e);

/* ptshare_teardown - drop every page and table of @mm (nobody runs it any more). */
void ptshare_teardown(struct mm *mm);

/*
 * ptshare_table_release - drop one owner of level-0 table @t; the last one
 * drops the table's frames and frees it.  Only after every hart that ran
 * an address space hanging it has flushed (tlb_batch_free_table).
 */
void ptshare_table_release(phys_addr_t t);

/*
 * ptshare_lock - held while the entries of a shared table are copied
 * (unshare) or changed in place.  Reclaim is the one that changes them:
 * present -> swap entry is the same change for every sharer, so it needs
 * no unshare, but it must not race a copy.  Lock order: mm->lock, then
 * this, then swap's.
 */
extern struct spinlock ptshare_lock;

/*
 * ptshare_entry_put - drop what leaf entry @e holds: its frame's reference
 * or its swap slot's (inline: exit runs it on every entry of a table).
 */
static inline void ptshare_entry_put(pte_t e)
{
	if (e & PTE_V)
		pmm_put(pte_to_pa(e));
	else if (__builtin_expect(e != 0, 0))
		swap_free(pte_to_swp(e));
}

/* ptshare_is_shared - is the level-0 table holding the entry @e shared? */
int ptshare_is_shared(const pte_t *e);

#endif
