/*
 * mremap.c - mremap(2): an area shrinks, grows in place, or moves with its
 * pages.  The decisions, in Linux 6.1's order (mm_remap):
 *
 *   flags, then addr alignment, then the lengths (page rounded; a new
 *   length of 0 is EINVAL); with MREMAP_FIXED the target's alignment,
 *   bounds and overlap with the old range (EINVAL).  Under mm->lock:
 *   no area at addr: EFAULT.
 *   MREMAP_FIXED  the target is unmapped, a shrink drops the tail first,
 *                 then the old range moves there (check_resize, move_area)
 *   shrinking     the tail is unmapped, whatever it spans (EINVAL if it
 *                 runs past the user half, as munmap); addr stays
 *   growing       check_resize: the old range must lie in one area
 *                 (EFAULT), and an old length of 0 (make a second mapping
 *                 of the same pages) only works on shared memory (EINVAL);
 *                 if the range ends the area and the room after it is
 *                 free, the area just grows; else with MREMAP_MAYMOVE it
 *                 moves to a free range, and without it: ENOMEM
 *
 * Moving moves page-table entries, not data: every present PTE goes from
 * the old address to the new one with its frame and its reference, so a
 * COW page stays COW (shared with a fork child), a shared page stays the
 * object's, a page-cache page stays the cache's.  The area's VMA goes
 * along whole (its reference on the backing object with it), and its
 * address-valued fields follow (vma_move_to).  Each old address that lost
 * its entry is flushed on every hart of the mm in the operation's batch
 * (tlb.h) before mm->lock goes; no frame is dropped by a move, so no frame
 * waits on the round except those the unmapping parts gave up.
 *
 * Everything that can fail (splitting the area, making the old range's
 * level-0 tables private, the new range's tables) happens before the
 * first PTE moves: a move that has begun always completes.
 *
 * MREMAP_DONTUNMAP is not supported: EINVAL.
 */
#include "mm.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "ptshare.h"
#include "../arch/riscv/layout.h"

/* vma_insert - link @v into @mm's list, sorted by start.  mm->lock held, the range free. */
static void vma_insert(struct mm *mm, struct vma *v)
{
	struct vma **pp = &mm->vmas;

	while (*pp && (*pp)->start < v->start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
}

/* vma_unlink - take @v out of @mm's list.  mm->lock held. */
static void vma_unlink(struct mm *mm, struct vma *v)
{
	struct vma **pp = &mm->vmas;

	while (*pp != v)
		pp = &(*pp)->next;
	*pp = v->next;
	v->next = 0;
}

/*
 * vma_move_to - @v, whose start moves to @start and which now ends at
 * @end: every field that holds a user address follows it.  file_off does
 * not change (the first page still maps the same offset); file_end, the
 * address where an ELF segment's file data stops, keeps its distance from
 * start (an area wholly past the end of its file stays so).  The mapped range moves with
 * the pages (move_ptes moved exactly those).
 */
static void vma_move_to(struct vma *v, unsigned long start, unsigned long end)
{
	unsigned long old = v->start;

	if (v->file_end != VMA_NO_FILE_END)
		v->file_end = v->file_end > old ? start + (v->file_end - old) : start;
	if (v->mapped_lo < v->mapped_hi) {
		v->mapped_lo = start + (v->mapped_lo - old);
		v->mapped_hi = start + (v->mapped_hi - old);
	} else {
		v->mapped_lo = end;
		v->mapped_hi = start;
	}
	v->start = start;
	v->end = end;
}

/*
 * prepare_tables - every level-0 table the pages of [lo, hi) will move
 * into, from @lo - @from + @to on: present and private to @mm
 * (ptshare_walk_private allocates or unshares; an old table goes to @b).
 * 0 or -ENOMEM.  mm->lock held.
 */
static int prepare_tables(struct mm *mm, unsigned long lo, unsigned long hi, unsigned long from,
			  unsigned long to, struct tlb_batch *b)
{
	if (lo >= hi)
		return 0;
	unsigned long first = to + (lo - from), last = to + (hi - from) - PAGE_SIZE;

	for (unsigned long va = ALIGN_DOWN(first, PTSHARE_REGION); va <= last;
	     va += PTSHARE_REGION)
		if (!ptshare_walk_private(mm, va < first ? first : va, 1, b))
			return -ENOMEM;
	return 0;
}

/*
 * move_ptes - the present pages of @v in [lo, hi) move from @v->start to
 * @to: the entry is copied to its new place (which prepare_tables made
 * ready) and cleared at the old, which goes into @b's flush.  Frame
 * references move with the entries.  mm->lock held, the old tables
 * private.
 */
static void move_ptes(struct mm *mm, struct vma *v, unsigned long lo, unsigned long hi,
		      unsigned long to, struct tlb_batch *b)
{
	for (unsigned long va = lo; va < hi; va += PAGE_SIZE) {
		pte_t *e = pt_walk(mm->root, va, 0), *ne;

		if (!e) {
			/* No level-0 table: nothing mapped in this 2 MiB. */
			va = ALIGN_DOWN(va, PT_LEVEL_SIZE(1)) + PT_LEVEL_SIZE(1) - PAGE_SIZE;
			continue;
		}
		if (!*e)
			continue;	/* a swap entry moves like a page: it holds its slot */
		ne = pt_walk(mm->root, to + (va - v->start), 0);
		*ne = *e;
		*e = 0;
		if (!(*ne & PTE_V))
			continue;
		tlb_batch_page(b, va);
		if (*ne & PTE_X)
			tlb_batch_icache(b);	/* the code is fetched from a new address */
	}
}

/*
 * move_area - move [addr, addr + old_len), which lies in area @v, to
 * [to, to + new_len) (free; new_len >= old_len), the tail past old_len
 * being more of the same area.  An @old_len of 0 (shared memory only)
 * leaves the old mapping alone and adds a second one of the same pages.
 * @to, or -ENOMEM with nothing moved.  mm->lock held.
 */
static long move_area(struct mm *mm, struct vma *v, unsigned long addr, unsigned long old_len,
		      unsigned long to, unsigned long new_len, struct tlb_batch *b)
{
	unsigned long lo, hi;
	struct vma *n;
	int r;

	if (!old_len) {
		if (!(n = vma_dup(v)))
			return -ENOMEM;
		n->file_off += addr - v->start;
		n->start = addr;
		n->mapped_lo = n->mapped_hi = 0;	/* none of the pages is mapped there */
		vma_move_to(n, to, to + new_len);
		vma_insert(mm, n);
		return (long)to;
	}
	if ((r = mm_split_locked(mm, addr)) || (r = mm_split_locked(mm, addr + old_len)) ||
	    (r = ptshare_make_private(mm, addr, addr + old_len, b)))
		return r;
	v = vma_find(mm, addr);		/* [addr, addr + old_len) exactly, now */
	lo = MAX(v->mapped_lo, v->start);
	hi = MIN(v->mapped_hi, v->end);
	if ((r = prepare_tables(mm, lo, hi, v->start, to, b)))
		return r;
	vma_unlink(mm, v);
	move_ptes(mm, v, lo, hi, to, b);
	v->mapped_lo = lo;
	v->mapped_hi = hi;
	vma_move_to(v, to, to + new_len);
	vma_insert(mm, v);
	if (v->kind == VMA_VDSO && !v->file_off)
		__atomic_store_n(&mm->vdso_base, to, __ATOMIC_RELAXED);	/* signals follow (vdso.h) */
	return (long)to;
}

/*
 * check_resize - may [addr, addr + old_len) of area @v become @new_len
 * bytes, here or elsewhere?  Linux's vma_to_resize: 0, -EINVAL (a second
 * mapping of private memory) or -EFAULT (the range leaves the area, or
 * it would grow [vvar] or [vdso], which Linux never expands).
 */
static int check_resize(struct vma *v, unsigned long addr, unsigned long old_len,
			unsigned long new_len)
{
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;
	if (old_len > v->end - addr)
		return -EFAULT;
	if ((v->kind == VMA_VVAR || v->kind == VMA_VDSO) && new_len > old_len)
		return -EFAULT;
	return 0;
}

/* room_after - is [v->end, v->end + grow) free and user memory?  mm->lock held. */
static int room_after(struct vma *v, unsigned long grow)
{
	unsigned long end = v->end + grow;

	return end > v->end && end <= USER_TOP && (!v->next || v->next->start >= end);
}

/* remap_locked - mm_remap once the arguments are checked; mm->lock held. */
static long remap_locked(struct mm *mm, unsigned long addr, unsigned long old_len,
			 unsigned long new_len, unsigned long flags, unsigned long to,
			 struct tlb_batch *b)
{
	struct vma *v = vma_find(mm, addr);
	long r;

	if (!v)
		return -EFAULT;
	if (old_len > new_len && (addr + old_len < addr || addr + old_len > USER_TOP))
		return -EINVAL;		/* the tail to unmap is no user range: munmap's EINVAL */
	if (flags & MREMAP_FIXED) {
		if ((r = mm_unmap_locked(mm, to, to + new_len, b)))
			return r;
		if (old_len > new_len) {
			if ((r = mm_unmap_locked(mm, addr + new_len, addr + old_len, b)))
				return r;
			old_len = new_len;
		}
		if (!(v = vma_find(mm, addr)))
			return -EFAULT;		/* old_len 0, and the target began at addr */
		if ((r = check_resize(v, addr, old_len, new_len)))
			return r;
		return move_area(mm, v, addr, old_len, to, new_len, b);
	}
	if (old_len >= new_len) {
		if (old_len > new_len && (r = mm_unmap_locked(mm, addr + new_len, addr + old_len, b)))
			return r;
		return (long)addr;
	}
	if ((r = check_resize(v, addr, old_len, new_len)))
		return r;
	if (old_len && addr + old_len == v->end && room_after(v, new_len - old_len)) {
		v->end = addr + new_len;	/* the new pages arrive on first touch */
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE) || !to)
		return -ENOMEM;
	return move_area(mm, v, addr, old_len, to, new_len, b);
}

/*
 * mm_remap - see the top of the file.  A free range for a move is chosen
 * before mm->lock is taken (mm_find_free takes it); the caller's map_lock
 * keeps every other mapper out of it until the move is done.
 */
long mm_remap(struct mm *mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
	      unsigned long flags, unsigned long new_addr)
{
	struct tlb_batch b;
	long r;

	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL;		/* not supported (Linux allows it for private memory) */
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (PAGE_SIZE - 1)) || new_len > USER_TOP || new_addr > USER_TOP - new_len)
			return -EINVAL;
		if (addr + old_len > new_addr && new_addr + new_len > addr)
			return -EINVAL;		/* the ranges overlap */
	} else if (flags & MREMAP_MAYMOVE) {
		new_addr = new_len > old_len ? mm_find_free(mm, 0, new_len) : 0;
	}
	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	r = remap_locked(mm, addr, old_len, new_len, flags, new_addr, &b);
	tlb_batch_finish(&b);	/* one round: the old addresses, anything unmapped */
	spin_unlock(&mm->lock);
	return r;
}
