/*
 * swap.c - slot counts, the swap cache, and the two halves of moving a
 * page: out (reclaim turns PTEs into swap entries, the page is written
 * once) and in (a fault reads it once; every other mapper finds it in the
 * cache and shares the frame again).  Contracts: swap.h, swap_int.h.
 *
 * The life of a swapped COW page, mapped by N processes:
 *   swap_out_pte       the first mapper reclaim meets: a new slot, count 1
 *                      (+1 pinned for the write), the frame cached
 *   swap_out_pte       each further mapper met: the frame is cached, so
 *                      the entry names the same slot, count +1, no write
 *   swap_writeout      the write; then if the cache is the frame's only
 *                      owner the frame is freed (else the next mapper met
 *                      frees it: swap_try_drop)
 *   swap_fault         the first fault reads the page into a new cached
 *                      frame (FAULT_RETRY: the read happens with no lock
 *                      held, in swap_fault_wait); it and every later fault
 *                      map that frame, count -1 each, read-only + COW while
 *                      anyone else may still map it
 *   slot_put_locked    the count reaching 0 (the last entry faulted in or
 *                      unmapped) frees the slot and the cache's reference
 */
#include "swap_int.h"
#include "cow.h"
#include "phys.h"
#include "pt.h"
#include "ptshare.h"
#include "reclaim.h"
#include "vmstat.h"
#include "../kernel/sched.h"
#include "../arch/riscv/page.h"

/* cache_drop_locked - @sl's cached frame leaves the cache; returns it (the cache's reference) or 0. */
static phys_addr_t cache_drop_locked(struct swap_slot *sl)
{
	phys_addr_t f = slot_frame(sl);

	if (f) {
		*pmm_swap_tag(f) = 0;
		slot_set_frame(sl, 0);
		swap_cached_frames--;
	}
	return f;
}

/*
 * slot_put_locked - one reference to @s fewer.  At 0 the slot is free
 * again and the cache lets its frame go: returned, for the caller to
 * pmm_put (after swap_lock, or under it: pmm's lock nests inside).
 */
static phys_addr_t slot_put_locked(swp_t s, struct swap_slot *sl)
{
	phys_addr_t f = 0;

	if (slot_count(sl) == 0)
		panic("swap: slot %x put with count 0", s);
	if (--sl->word & SLOT_COUNT)
		return 0;
	f = cache_drop_locked(sl);
	if (sl->word & SLOT_ERR)
		sl->word |= SLOT_BAD;	/* the disk failed to give it back: never again */
	sl->word &= SLOT_BAD;
	swap_release_locked(s, sl);
	return f;
}

static struct swap_slot *slot_or_die(swp_t s)
{
	struct swap_slot *sl = swap_slot_locked(s);

	if (!sl || slot_count(sl) == 0)
		panic("swap: entry %x names no slot in use", s);
	return sl;
}

void swap_dup(swp_t s)
{
	spin_lock(&swap_lock);
	struct swap_slot *sl = slot_or_die(s);
	if (slot_count(sl) == SLOT_COUNT)
		panic("swap: slot %x count overflows", s);
	sl->word++;
	spin_unlock(&swap_lock);
}

void swap_free(swp_t s)
{
	spin_lock(&swap_lock);
	phys_addr_t f = slot_put_locked(s, slot_or_die(s));
	spin_unlock(&swap_lock);
	if (f)
		pmm_put(f);
}

swp_t swap_slot_of(phys_addr_t pa)
{
	return __atomic_load_n(pmm_swap_tag(pa), __ATOMIC_RELAXED);
}

/* --- in ------------------------------------------------------------------------------ */

/*
 * map_cached - the fault's PTE *@e takes the cached frame of @sl (no I/O
 * in flight): a reference for the PTE, the entry's count given back.
 * Returns the frame, and whether the mapping may be writable at once
 * (*@alone: nobody else can map the frame any more).
 */
static phys_addr_t map_cached_locked(swp_t s, struct swap_slot *sl, int *alone)
{
	phys_addr_t f = slot_frame(sl), last;

	pmm_get(f);
	last = slot_put_locked(s, sl);
	if (last)
		pmm_put(last);		/* the cache's reference: ours keeps the frame */
	*alone = pmm_refcount(f) == 1;
	return f;
}

/*
 * readahead_window - the swap entries of @e's area from @e on (at most
 * @max, within its level-0 table): their slots into w->slot[] and their
 * addresses into w->va[] (@e's first).  The slots need not follow on: the
 * read puts every run of them in flight at once.
 */
static unsigned readahead_window(struct swap_wait *w, const pte_t *e, unsigned long va,
				 unsigned max)
{
	unsigned left = PT_ENTRIES - (unsigned)(((uintptr_t)e / sizeof(pte_t)) % PT_ENTRIES);
	swp_t s = pte_to_swp(*e);
	unsigned n = 0;

	for (unsigned j = 0; j < left && n < max; j++)
		if (pte_is_swap(e[j]) && swp_area(pte_to_swp(e[j])) == swp_area(s)) {
			w->slot[n] = pte_to_swp(e[j]);
			w->va[n++] = va + j * PAGE_SIZE;
		}
	return n;
}

/*
 * start_read_locked - of the window's @n slots, those nobody has cached
 * or is reading take the frames @w->frame as cached frames being read
 * (SLOT_IO), each pinned; the window keeps just them (the first, the
 * faulting page's, is free to read: the caller checked).  swap_lock held.
 */
static void start_read_locked(struct swap_wait *w, unsigned n)
{
	unsigned k = 0;

	for (unsigned j = 0; j < n; j++) {
		struct swap_slot *sl = swap_slot_locked(w->slot[j]);
		if (!sl || !slot_count(sl) || slot_frame(sl) || (sl->word & (SLOT_IO | SLOT_ERR)))
			continue;
		w->slot[k] = w->slot[j];
		w->va[k] = w->va[j];
		slot_set_frame(sl, w->frame[k]);
		*pmm_swap_tag(w->frame[k]) = w->slot[k];
		swap_cached_frames++;
		sl->word = (sl->word + 1) | SLOT_IO;
		k++;
	}
	w->n = k;
}

/* pte_for_cached - the PTE mapping cached frame @f in area @v: shared again (COW) unless @alone. */
static pte_t pte_for_cached(const struct vma *v, phys_addr_t f, int alone)
{
	uint64_t flags = mm_prot_to_pte(v->prot);

	if ((flags & PTE_W) && !alone)
		flags = cow_wrprotect(flags);	/* shared again, as before it left */
	return pa_to_pte(f) | flags | PTE_V;
}

/*
 * swap_fault_locked - swap_fault's decision, under swap_lock: the page is
 * lost (FAULT_SIGBUS), being read by another (FAULT_RETRY, pinned, w->n
 * 0), cached (FAULT_OK, *@f mapped and *@alone set), or ours to read with
 * the @got frames of w->frame (FAULT_RETRY, w->n set), for which we have
 * no frames yet (FAULT_OOM, @got 0).
 */
static enum fault_result swap_fault_locked(struct swap_wait *w, unsigned got, phys_addr_t *f,
					   int *alone)
{
	struct swap_slot *sl = slot_or_die(w->slot[0]);

	if (sl->word & SLOT_ERR)
		return FAULT_SIGBUS;
	if (slot_frame(sl) && (sl->word & SLOT_IO)) {
		sl->word++;	/* pinned while we wait for the reader */
		return FAULT_RETRY;
	}
	if (slot_frame(sl)) {
		*f = map_cached_locked(w->slot[0], sl, alone);
		return FAULT_OK;
	}
	if (!got)
		return FAULT_OOM;
	start_read_locked(w, got);	/* w->n >= 1: the faulting page's slot is free to read */
	return FAULT_RETRY;
}

enum fault_result swap_fault(struct tlb_batch *b, struct mm *mm, struct vma *v, pte_t *e,
			     unsigned long va, int write, struct swap_wait *w)
{
	unsigned want, got = 0;
	enum fault_result r;
	phys_addr_t f = 0;
	int alone = 0;

	w->mm = mm;
	/* Below the low watermark, the faulting page alone: readahead must not eat the reserve. */
	want = readahead_window(w, e, va, pmm_free_frames() < reclaim_low ? 1 : SWAP_IO_MAX);
	for (;;) {
		w->n = 0;
		spin_lock(&swap_lock);
		r = swap_fault_locked(w, got, &f, &alone);
		spin_unlock(&swap_lock);
		if (r != FAULT_OOM)
			break;
		/* Ours to read, and no frames yet: take them (never under swap_lock), then decide again. */
		while (got < want && (w->frame[got] = pmm_alloc()))
			got++;
		if (!got)
			return FAULT_OOM;
	}
	for (unsigned j = w->n; j < got; j++)
		pmm_put(w->frame[j]);	/* not needed: the run was cut short, or it was not ours */
	if (r != FAULT_OK)
		return r;
	*e = pte_for_cached(v, f, alone);
	if (*e & PTE_X)
		tlb_batch_icache(b);
	if (write && !(*e & PTE_W))
		return cow_fault(b, e, va);
	return FAULT_OK;
}

/* report_once - the first I/O error of each kind goes to the log; the rest are counted. */
static void report_once(int *done, const char *what, swp_t s)
{
	if (!__atomic_exchange_n(done, 1, __ATOMIC_RELAXED))
		pr_err("swap: %s failed at area %u page %lu (reported once)\n", what, swp_area(s),
		       swp_off(s));
}

/*
 * map_readahead - the pages read with the faulting one go straight into
 * their PTEs, if these still name them, with A clear: the clock takes
 * back first what nobody touches.  Not into a table that became shared
 * meanwhile (fork): those wait for their own fault.
 */
static void map_readahead(struct swap_wait *w, const int *ok)
{
	struct mm *mm = w->mm;
	int code = 0;

	spin_lock(&mm->lock);
	for (unsigned j = 1; j < w->n; j++) {
		pte_t *e = pt_walk(mm->root, w->va[j], 0);
		struct vma *v = vma_find(mm, w->va[j]);
		phys_addr_t f;
		int alone;

		if (!ok[j] || !e || !v || *e != swp_to_pte(w->slot[j]) || ptshare_is_shared(e))
			continue;
		spin_lock(&swap_lock);
		struct swap_slot *sl = swap_slot_locked(w->slot[j]);
		/* (Reclaim's sweep may have taken it back already: then its own fault reads it.) */
		f = slot_frame(sl) && !(sl->word & SLOT_IO) ? map_cached_locked(w->slot[j], sl, &alone) : 0;
		spin_unlock(&swap_lock);
		if (!f)
			continue;
		*e = pte_for_cached(v, f, alone) & ~PTE_A;
		code |= (*e & PTE_X) != 0;
	}
	spin_unlock(&mm->lock);
	if (code)
		tlb_icache_mm(mm);
}

/* swap_offsets - the area offsets of @n slots (one area), for swap_io.rw. */
static void swap_offsets(const swp_t *s, unsigned n, uint32_t *off)
{
	for (unsigned j = 0; j < n; j++)
		off[j] = (uint32_t)swp_off(s[j]);
}

/*
 * read_window - read the window's pages; when the one request fails, each
 * page again alone, so that only the pages the disk cannot give back are
 * lost (ok[j] says which came in).  0 when all did.
 */
static int read_window(struct swap_wait *w, int *ok)
{
	uint32_t off[SWAP_IO_MAX];
	void *dev;
	int err;

	spin_lock(&swap_lock);
	const struct swap_io *io = swap_io_locked(w->slot[0], &dev);
	spin_unlock(&swap_lock);
	swap_offsets(w->slot, w->n, off);
	err = io->rw(dev, 0, off, w->frame, w->n);
	vmstat_add(pswpin, w->n);
	for (unsigned j = 0; j < w->n; j++)
		ok[j] = !err || (w->n > 1 && !io->rw(dev, 0, &off[j], &w->frame[j], 1));
	return err;
}

/* unpin_locked - drop the window's pins on slots [from, to); frames let go into @put. */
static unsigned unpin_locked(struct swap_wait *w, unsigned from, unsigned to, phys_addr_t *put)
{
	unsigned n = 0;

	for (unsigned j = from; j < to; j++)
		if ((put[n] = slot_put_locked(w->slot[j], swap_slot_locked(w->slot[j]))))
			n++;
	return n;
}

void swap_fault_wait(struct swap_wait *w)
{
	static int read_failed;
	phys_addr_t put[2 * SWAP_IO_MAX];
	int ok[SWAP_IO_MAX];
	unsigned nput = 0;

	if (!w->n) {
		/* Another's read: wait for it, then let go of our pin. */
		spin_lock(&swap_lock);
		struct swap_slot *sl = swap_slot_locked(w->slot[0]);
		while (sl->word & SLOT_IO)
			sched_sleep(sl, &swap_lock);
		nput = unpin_locked(w, 0, 1, put);
		spin_unlock(&swap_lock);
	} else {
		if (read_window(w, ok))
			report_once(&read_failed, "read", w->slot[0]);
		spin_lock(&swap_lock);
		for (unsigned j = 0; j < w->n; j++) {
			struct swap_slot *sl = swap_slot_locked(w->slot[j]);
			sl->word &= ~SLOT_IO;
			if (!ok[j]) {
				sl->word |= SLOT_ERR;
				put[nput++] = cache_drop_locked(sl);
			}
			sched_wakeup(sl);
		}
		/* The readahead pins go before the mapping, so a page mapped alone is writable. */
		nput += unpin_locked(w, 1, w->n, put + nput);
		spin_unlock(&swap_lock);
		map_readahead(w, ok);
		spin_lock(&swap_lock);
		nput += unpin_locked(w, 0, 1, put + nput);
		spin_unlock(&swap_lock);
	}
	for (unsigned j = 0; j < nput; j++)
		pmm_put(put[j]);
}

/* --- out ----------------------------------------------------------------------------- */

enum swap_out_result swap_out_pte(pte_t *e, swp_t *s)
{
	phys_addr_t f = pte_to_pa(*e);
	enum swap_out_result r = SWAP_OUT_CACHED;

	spin_lock(&swap_lock);
	*s = *pmm_swap_tag(f);
	if (*s && swap_draining_locked(*s)) {
		r = SWAP_OUT_SKIP;	/* its area is going away: swapoff brings its pages in */
	} else if (*s) {
		slot_or_die(*s)->word++;
	} else if ((*s = swap_alloc_locked(2))) {	/* this entry, and the writer's pin */
		struct swap_slot *sl = swap_slot_locked(*s);
		sl->word |= SLOT_DIRTY;
		slot_set_frame(sl, f);
		*pmm_swap_tag(f) = *s;
		swap_cached_frames++;
		pmm_get(f);			/* the cache's reference */
		r = SWAP_OUT_NEW;
	} else {
		r = SWAP_OUT_NONE;
	}
	spin_unlock(&swap_lock);
	if (r == SWAP_OUT_NEW || r == SWAP_OUT_CACHED)
		*e = swp_to_pte(*s);
	return r;
}

phys_addr_t swap_drop_unused_locked(struct swap_slot *sl)
{
	phys_addr_t f = slot_frame(sl);

	if (!f || (sl->word & (SLOT_DIRTY | SLOT_IO)) || pmm_refcount(f) != 1)
		return 0;
	return cache_drop_locked(sl);
}

unsigned swap_writeout(const swp_t *s, unsigned n)
{
	static int write_failed;
	phys_addr_t f[SWAP_IO_MAX], put[2 * SWAP_IO_MAX];
	uint32_t off[SWAP_IO_MAX];
	unsigned nput = 0, freed = 0;
	int needed = 0, err = 0;
	void *dev;

	spin_lock(&swap_lock);
	const struct swap_io *io = swap_io_locked(s[0], &dev);
	for (unsigned j = 0; j < n; j++) {
		struct swap_slot *sl = swap_slot_locked(s[j]);
		f[j] = slot_frame(sl);
		needed |= slot_count(sl) > 1;	/* else every entry is gone already */
	}
	spin_unlock(&swap_lock);
	if (needed) {
		swap_offsets(s, n, off);
		err = io->rw(dev, 1, off, f, n);
		vmstat_add(pswpout, n);
	}
	if (err)
		report_once(&write_failed, "write", s[0]);
	spin_lock(&swap_lock);
	for (unsigned j = 0; j < n; j++) {
		struct swap_slot *sl = swap_slot_locked(s[j]);
		if (err)
			sl->word |= SLOT_BAD;	/* keeps SLOT_DIRTY: the frame stays, the slot is never reused */
		else if (needed)
			sl->word &= ~SLOT_DIRTY;
		phys_addr_t drop = swap_drop_unused_locked(sl);
		phys_addr_t last = slot_put_locked(s[j], sl);	/* the writer's pin */
		if (drop)
			put[nput++] = drop;
		if (last)
			put[nput++] = last;
	}
	spin_unlock(&swap_lock);
	for (unsigned j = 0; j < nput; j++) {
		freed += pmm_refcount(put[j]) == 1;
		pmm_put(put[j]);
	}
	return freed;
}

int swap_try_drop(phys_addr_t pa)
{
	phys_addr_t f = 0;

	spin_lock(&swap_lock);
	swp_t s = *pmm_swap_tag(pa);
	if (s)
		f = swap_drop_unused_locked(swap_slot_locked(s));
	spin_unlock(&swap_lock);
	if (!f)
		return 0;
	int freed = pmm_refcount(f) == 1;
	pmm_put(f);
	return freed;
}
