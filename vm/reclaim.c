/*
 * reclaim.c - taking frames back when memory runs low (contract:
 * reclaim.h).  Told top-down:
 *
 *   reclaim_maybe      below the low watermark, with no lock held (a fault
 *                      before it takes mm->lock): reclaim_run
 *   reclaim_retry      an allocation failed outright: reclaim, and say
 *                      whether trying again can help (else: OOM)
 *   reclaim_work       one task at a time; the others sleep until it is
 *                      done and take its result as theirs
 *     shrinkers        caches that cost no write come back first
 *     swap_sweep       then frames left in the swap cache that nobody maps
 *                      any more: on disk already, nothing to unmap
 *     swap_scan        then anonymous pages, by a clock: the hand goes
 *                      address space by address space (mm_next_pinned),
 *                      area by area, from where it stopped last time
 *       scan_mm        a stretch of one address space under its lock:
 *         A set        clear it: a second chance, the page is old only if
 *                      nothing touches it before the hand comes back
 *         A clear      swap_out_pte (swap.c): the entry becomes a swap
 *                      entry; a frame another mapper already sent to swap
 *                      is found through its slot and not written again
 *                      then one TLB round on every hart (the entry may sit
 *                      in a level-0 table shared after fork, whose sharers
 *                      we do not know), and the entries' references go
 *       finish         each new slot written once (swap_writeout); each
 *                      frame that nothing but the swap cache holds any
 *                      more is freed
 */
#include "reclaim.h"
#include "swap.h"
#include "mm.h"
#include "pt.h"
#include "kvm.h"
#include "ptshare.h"
#include "shmem.h"
#include "zero.h"
#include "../kernel/sched.h"
#include "../arch/riscv/page.h"

#define VICTIMS		64	/* pages taken from one address space per lock hold */
#define SCAN_PTES	2048	/* entries looked at per lock hold */
#define REGION		PT_LEVEL_SIZE(1)
#define SWEEP_SLOTS	8192	/* swap cache slots looked at per run for unmapped frames */

unsigned long reclaim_low;
static unsigned long reclaim_min = 64, reclaim_high;	/* (boot sets them: reclaim_init) */

static struct spinlock reclaim_lock = SPINLOCK_INIT("reclaim");
static struct shrinker *shrinkers;
static int reclaiming;			/* a task is in reclaim_work */
static unsigned long reclaim_gen;	/* runs finished */
static unsigned long last_freed;	/* what the last run freed */

/* The clock's hand: the address space before the one it is in (compared, never used), and where. */
static const struct mm *hand_prev;
static unsigned long hand_va;

void reclaim_init(void)
{
	unsigned long total = pmm_total_frames();

	reclaim_min = MAX(64UL, total / 128);
	reclaim_low = reclaim_min * 2;
	reclaim_high = reclaim_min * 3;
}

void reclaim_register_shrinker(struct shrinker *s)
{
	spin_lock(&reclaim_lock);
	s->next = shrinkers;
	__atomic_store_n(&shrinkers, s, __ATOMIC_RELEASE);
	spin_unlock(&reclaim_lock);
}

struct victim {
	phys_addr_t frame;
	swp_t slot;
	int fresh;		/* a new slot: to be written */
};

struct scan {
	struct victim v[VICTIMS];
	int n;
	int full;		/* swap is full */
};

/*
 * swappable - may the pages of @v go to swap?  Private memory, anonymous
 * or a file's COW copies, unless mlocked.
 */
static int swappable(const struct vma *v)
{
	return (v->kind == VMA_ANON || v->kind == VMA_FILE) && !(v->flags & (VMA_SHARED | VMA_LOCKED));
}

/* anon_frame - is present entry @e at @va of @v a private page (not the zero frame or the file's)? */
static int anon_frame(const struct vma *v, unsigned long va, pte_t e)
{
	phys_addr_t pa = pte_to_pa(e);

	if ((e & PTE_SHARED) || pa == zero_frame)
		return 0;
	if (v->kind == VMA_FILE)
		return shmem_lookup(v->mem, (v->file_off + (va - v->start)) / PAGE_SIZE) != pa;
	return 1;
}

/* scan_entry - the hand passes entry @e of @v at @va: a second chance, or a victim into @sc. */
static void scan_entry(struct scan *sc, const struct vma *v, pte_t *e, unsigned long va)
{
	phys_addr_t f;
	swp_t s;

	if (!(*e & PTE_V) || !anon_frame(v, va, *e))
		return;
	if (*e & PTE_A) {
		*e &= ~PTE_A;	/* the U74 faults to set it again (fault.c), QEMU sets it itself */
		return;
	}
	f = pte_to_pa(*e);
	switch (swap_out_pte(e, &s)) {
	case SWAP_OUT_NONE:
		sc->full = 1;
		return;
	case SWAP_OUT_NEW:
		sc->v[sc->n++] = (struct victim){ f, s, 1 };
		return;
	case SWAP_OUT_CACHED:
		sc->v[sc->n++] = (struct victim){ f, s, 0 };
		return;
	case SWAP_OUT_SKIP:
		return;
	}
}

/*
 * scan_mm - the hand's stretch of @mm from *@pva: up to SCAN_PTES entries
 * or VICTIMS victims.  *@pva is where to go on, ~0 when @mm is done.  The
 * TLB round runs before mm->lock goes; the victims' references are the
 * caller's to drop after.
 */
static void scan_mm(struct mm *mm, unsigned long *pva, struct scan *sc)
{
	unsigned long va = *pva;
	unsigned looked = 0;

	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->end <= va || !swappable(v))
			continue;
		for (va = MAX(va, v->mapped_lo); va < v->mapped_hi; va += PAGE_SIZE) {
			if (looked++ == SCAN_PTES || sc->n == VICTIMS || sc->full)
				goto out;
			pte_t *e = pt_walk(mm->root, va, 0);
			if (!e) {
				va = ALIGN_DOWN(va, REGION) + REGION - PAGE_SIZE;
				continue;
			}
			/* A shared table is changed in place, for all its sharers (ptshare.h). */
			int shared = ptshare_is_shared(e);
			if (shared)
				spin_lock(&ptshare_lock);
			scan_entry(sc, v, e, va);
			if (shared)
				spin_unlock(&ptshare_lock);
		}
	}
	va = ~0UL;
out:
	if (sc->n) {
		/* Every hart, not only this mm's: sharers of a table may run anywhere. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		kvm_fence_all(0, ~0UL);
	}
	spin_unlock(&mm->lock);
	*pva = va;
}

/*
 * finish - the victims' entries are gone everywhere: drop their
 * references, write the new slots (up to SWAP_IO_MAX of one area at
 * once), free what nothing maps any more.  Frames freed.
 */
static unsigned long finish(struct scan *sc)
{
	unsigned long freed = 0;
	swp_t out[SWAP_IO_MAX];
	unsigned n = 0;

	for (int i = 0; i < sc->n; i++)
		pmm_put(sc->v[i].frame);	/* the entry's: the cache still holds the frame */
	for (int i = 0; i < sc->n; i++) {
		if (!sc->v[i].fresh) {
			freed += (unsigned long)swap_try_drop(sc->v[i].frame);
			continue;
		}
		if (n && (n == SWAP_IO_MAX || swp_area(sc->v[i].slot) != swp_area(out[0]))) {
			freed += swap_writeout(out, n);
			n = 0;
		}
		out[n++] = sc->v[i].slot;
	}
	if (n)
		freed += swap_writeout(out, n);
	return freed;
}

/*
 * swap_scan - move the hand until @want frames are freed, swap is full,
 * or it has gone round every address space twice (once to clear accessed
 * bits, once to take what stayed clear) without getting there.
 */
static unsigned long swap_scan(unsigned long want)
{
	unsigned long freed = 0;
	int laps = 0;

	while (freed < want) {
		struct mm *mm = mm_next_pinned(hand_prev);
		struct scan sc;

		if (!mm) {
			hand_prev = 0;
			hand_va = 0;
			if (++laps > 2)
				break;
			continue;
		}
		sc.n = sc.full = 0;
		if (__atomic_load_n(&mm->reclaimable, __ATOMIC_ACQUIRE))
			scan_mm(mm, &hand_va, &sc);
		else
			hand_va = ~0UL;
		if (hand_va == ~0UL) {
			hand_prev = mm;
			hand_va = 0;
		}
		mm_put(mm);
		freed += finish(&sc);
		if (sc.full)
			break;
	}
	return freed;
}

/* run - free up to @want frames: shrinkers first, then swap. */
static unsigned long run(unsigned long want)
{
	unsigned long freed = 0;

	for (struct shrinker *s = __atomic_load_n(&shrinkers, __ATOMIC_ACQUIRE); s && freed < want;
	     s = s->next)
		freed += s->scan(want - freed);
	if (freed < want && swap_active())
		freed += swap_sweep(SWEEP_SLOTS, want - freed);
	if (freed < want && swap_active())
		freed += swap_scan(want - freed);
	return freed;
}

/*
 * reclaim_work - reclaim up to the high watermark, and at least
 * @at_least frames.  One task at a time: a second one waits for the first
 * and returns what it freed.  Frames freed.
 */
static unsigned long reclaim_work(unsigned long at_least)
{
	unsigned long free, want, freed;

	spin_lock(&reclaim_lock);
	if (reclaiming) {
		unsigned long gen = reclaim_gen;
		while (reclaiming && reclaim_gen == gen)
			sched_sleep(&reclaiming, &reclaim_lock);
		freed = last_freed;
		spin_unlock(&reclaim_lock);
		return freed;
	}
	reclaiming = 1;
	spin_unlock(&reclaim_lock);

	free = pmm_free_frames();
	want = MAX(free < reclaim_high ? reclaim_high - free : 0, at_least);
	freed = want ? run(want) : 0;

	spin_lock(&reclaim_lock);
	reclaiming = 0;
	reclaim_gen++;
	last_freed = want ? freed : 1;	/* nothing wanted: memory was there, a waiter may try again */
	sched_wakeup(&reclaiming);
	spin_unlock(&reclaim_lock);
	return freed;
}

void reclaim_run(void)
{
	reclaim_work(0);
}

int reclaim_retry(void)
{
	/* A run can come back empty-handed while others race for the frames: try a few. */
	for (int i = 0; i < 3; i++)
		if (reclaim_work(VICTIMS) > 0)
			return 1;
	return pmm_free_frames() > reclaim_min;
}
