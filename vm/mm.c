/*
 * mm.c - address spaces and their VMAs.  See mm.h for the contracts and
 * tlb.h for when a TLB flush is needed.
 */
#include "mm.h"
#include "cow.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "kvm.h"
#include "ptshare.h"
#include "shmem.h"
#include "zero.h"
#include "kmalloc.h"
#include "pager.h"
#include "../arch/riscv/layout.h"

uint64_t mm_prot_to_pte(unsigned prot)
{
	uint64_t f = PTE_U | PTE_A | PTE_D;

	if (prot & PROT_READ)
		f |= PTE_R;
	if (prot & PROT_WRITE)
		f |= PTE_R | PTE_W;
	if (prot & PROT_EXEC)
		f |= PTE_X;
	return f;
}

/*
 * Every address space, for mm_zap_object.  In the lock order between
 * sched_lock and mm->lock: a zap holds it while it takes each mm's lock.
 */
static struct spinlock mm_list_lock = SPINLOCK_INIT("mm_list");
static struct mm *mm_all;

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return 0;
	mm->root = pt_alloc_root();
	if (!mm->root) {
		kfree(mm);
		return 0;
	}
	/* Share the kernel half: root entries 256..511 never change after boot. */
	pte_t *kr = phys_to_virt(kvm_root), *ur = phys_to_virt(mm->root);
	for (int i = 0; i < kvm_root_nused; i++)
		ur[kvm_root_used[i]] = kr[kvm_root_used[i]];
	mm->lock = (struct spinlock)SPINLOCK_INIT("mm");
	mm->refs = 1;
	mm->stack_top = USER_STACK_TOP;
	spin_lock(&mm_list_lock);
	mm->all_next = mm_all;
	if (mm_all)
		mm_all->all_prev = mm;
	mm_all = mm;
	spin_unlock(&mm_list_lock);
	return mm;
}

struct mm *mm_next_pinned(const struct mm *prev)
{
	struct mm *mm;

	spin_lock(&mm_list_lock);
	mm = mm_all;
	if (prev) {
		for (mm = mm_all; mm && mm != prev; mm = mm->all_next)
			;
		mm = mm ? mm->all_next : mm_all;
	}
	for (; mm; mm = mm->all_next) {
		int refs = __atomic_load_n(&mm->refs, __ATOMIC_RELAXED);
		/* Only while someone else still holds it: at 0 mm_put is tearing it down. */
		while (refs > 0 && !__atomic_compare_exchange_n(&mm->refs, &refs, refs + 1, 0,
							       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			;
		if (refs > 0)
			break;
	}
	spin_unlock(&mm_list_lock);
	return mm;
}

void mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->refs, 1, __ATOMIC_RELAXED);
}

/*
 * unmap_pages - clear the PTEs of [start, end); batch @b drops their frames
 * once every hart has flushed.  mm->lock held, and the range's tables made
 * private (ptshare_make_private).
 */
static void unmap_pages(struct mm *mm, unsigned long start, unsigned long end,
			struct tlb_batch *b)
{
	for (unsigned long va = start; va < end;) {
		pte_t *e = pt_walk(mm->root, va, 0);

		if (!e) {
			/* No level-0 table here: skip to the next 2 MiB. */
			va = ALIGN_DOWN(va, PT_LEVEL_SIZE(1)) + PT_LEVEL_SIZE(1);
			continue;
		}
		for (; va < end; va += PAGE_SIZE, e++) {
			if (*e & PTE_V) {
				phys_addr_t pa = pte_to_pa(*e);
				*e = 0;
				tlb_batch_free_page(b, va, pa);
			} else if (*e) {
				ptshare_entry_put(*e);	/* a swap entry: no hart caches it */
				*e = 0;
			}
			if (pt_index(va + PAGE_SIZE, 0) == 0) {
				va += PAGE_SIZE;
				break;
			}
		}
	}
}

void mm_put(struct mm *mm)
{
	struct vma *v, *next;

	tlb_mm_forget(mm);
	if (__atomic_sub_fetch(&mm->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/*
	 * Nobody runs this address space any more: every user left it before
	 * dropping its reference, so no hart holds a translation (tlb.h) and
	 * nothing needs a flush.  A bit still set would break that.
	 */
	if (__atomic_load_n(&mm->tlb_harts, __ATOMIC_ACQUIRE))
		panic("mm_put: harts %#lx still in a dead address space", mm->tlb_harts);
	spin_lock(&mm_list_lock);	/* a zap can no longer find it */
	*(mm->all_prev ? &mm->all_prev->all_next : &mm_all) = mm->all_next;
	if (mm->all_next)
		mm->all_next->all_prev = mm->all_prev;
	spin_unlock(&mm_list_lock);
	ptshare_teardown(mm);
	for (v = mm->vmas; v; v = next) {
		next = v->next;
		vma_free(v);
	}
	pmm_put(mm->root);
	kfree(mm);
}

struct vma *vma_dup(const struct vma *v)
{
	struct vma *n = kmalloc(sizeof(*n));

	if (!n)
		return 0;
	*n = *v;
	n->next = 0;
	if (n->mem) {
		shmem_get(n->mem);
		shmem_mapped(n->mem);
	}
	if (n->pager)
		n->pager->hold(n->object);
	return n;
}

void vma_free(struct vma *v)
{
	if (v->mem) {
		shmem_unmapped(v->mem);
		shmem_put(v->mem);
	}
	if (v->pager)
		v->pager->release(v->object);
	kfree(v);
}

struct vma *vma_find(struct mm *mm, unsigned long addr)
{
	for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return 0;
}

/*
 * split - make @addr a VMA boundary if it falls inside a VMA.  -ENOMEM if
 * the new half cannot be allocated.  mm->lock held.
 */
static int split(struct mm *mm, unsigned long addr)
{
	struct vma *v = vma_find(mm, addr), *n;

	if (!v || v->start == addr)
		return 0;
	n = vma_dup(v);
	if (!n)
		return -ENOMEM;
	n->start = addr;
	n->file_off += addr - v->start;	/* the backing's offset, for files and shmem */
	v->end = addr;
	/* Both halves keep the old bounds, clamped: still a superset of what is mapped. */
	n->mapped_lo = MAX(n->mapped_lo, addr);
	v->mapped_hi = MIN(v->mapped_hi, addr);
	n->next = v->next;
	v->next = n;
	return 0;
}

/* remove_range - drop VMAs and pages in [start, end), frames through @b. Boundaries already split. */
static void remove_range(struct mm *mm, unsigned long start, unsigned long end,
			 struct tlb_batch *b)
{
	struct vma **pp = &mm->vmas;

	while (*pp) {
		struct vma *v = *pp;
		if (v->start >= start && v->end <= end) {
			unmap_pages(mm, v->start, v->end, b);
			*pp = v->next;
			vma_free(v);
			continue;
		}
		pp = &v->next;
	}
}

int mm_map(struct mm *mm, const struct vma *tmpl)
{
	struct vma *v = vma_dup(tmpl), **pp;
	unsigned long addr = tmpl->start, end = tmpl->end;
	struct tlb_batch b;

	if (!v)
		return -ENOMEM;
	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	if (split(mm, addr) || split(mm, end) || ptshare_make_private(mm, addr, end, &b)) {
		tlb_batch_finish(&b);
		spin_unlock(&mm->lock);
		vma_free(v);
		return -ENOMEM;
	}
	remove_range(mm, addr, end, &b);
	tlb_batch_finish(&b);
	v->mapped_lo = end;
	v->mapped_hi = addr;
	for (pp = &mm->vmas; *pp && (*pp)->start < addr; pp = &(*pp)->next)
		;
	v->next = *pp;
	*pp = v;
	spin_unlock(&mm->lock);
	return 0;
}

int mm_unmap_locked(struct mm *mm, unsigned long addr, unsigned long end, struct tlb_batch *b)
{
	int r = split(mm, addr);

	if (!r)
		r = split(mm, end);
	if (!r)
		r = ptshare_make_private(mm, addr, end, b);
	if (!r)
		remove_range(mm, addr, end, b);
	return r;
}

int mm_split_locked(struct mm *mm, unsigned long addr)
{
	return split(mm, addr);
}

int mm_unmap(struct mm *mm, unsigned long addr, unsigned long len)
{
	struct tlb_batch b;
	int r;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	r = mm_unmap_locked(mm, addr, addr + len, &b);
	tlb_batch_finish(&b);	/* one round for the whole range, before the lock goes */
	spin_unlock(&mm->lock);
	return r;
}

/* may_flags - the VMA_MAY* bits an area needs to take protection @prot. */
static unsigned may_flags(unsigned prot)
{
	return ((prot & PROT_READ) ? VMA_MAYREAD : 0) | ((prot & PROT_WRITE) ? VMA_MAYWRITE : 0) |
	       ((prot & PROT_EXEC) ? VMA_MAYEXEC : 0);
}

/*
 * protect_pte - give the present PTE @e protection @prot (the rules are
 * mm_protect's).  Returns whether it lost a right (R, W or X): then other
 * harts must flush it too; a gain needs only this hart's flush.
 */
static int protect_pte(pte_t *e, unsigned prot)
{
	pte_t old = *e;
	pte_t n = pa_to_pte(pte_to_pa(old)) | mm_prot_to_pte(prot & ~PROT_WRITE) | PTE_V |
		  (old & PTE_SHARED);

	if ((prot & PROT_WRITE) && ((old & PTE_SHARED) ||
	    ((old & PTE_W) && pmm_refcount(pte_to_pa(old)) == 1)))
		n |= PTE_R | PTE_W;	/* shared memory, or already ours and writable */
	else if (prot & PROT_WRITE)
		n = cow_wrprotect(n | PTE_R);
	*e = n;
	return (old & ~n & PTE_RWX) != 0;
}

/*
 * mm_protect - Every area of the range is checked before any changes.
 * Present pages follow the new protection at once.  Taking write away
 * clears W and PTE_COW (a later store is a real fault).  Giving write back
 * sets PTE_COW rather than W: the frame may be shared (a page cache page,
 * or after fork), and the COW fault decides copy or reuse.  Shared memory
 * (PTE_SHARED) gets W itself: it is never copied.  The pages that lost a
 * right are flushed on every hart in one round at the end.
 */
int mm_protect(struct mm *mm, unsigned long addr, unsigned long len, unsigned prot)
{
	unsigned long end = addr + len;
	struct tlb_batch b;
	int r = 0;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	for (unsigned long a = addr; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v) {
			r = -ENOMEM;
			goto out;
		}
		if (may_flags(prot) & ~v->flags) {
			r = -EACCES;	/* e.g. write to a read-only file mapped MAP_SHARED */
			goto out;
		}
		a = v->end;
	}
	if ((r = split(mm, addr)) || (r = split(mm, end)) ||
	    (r = ptshare_make_private(mm, addr, end, &b)))
		goto out;
	for (struct vma *v = vma_find(mm, addr); v && v->start < end; v = v->next) {
		v->prot = prot;
		for (unsigned long va = v->start; va < v->end; va += PAGE_SIZE) {
			pte_t *e = pt_walk(mm->root, va, 0);
			if (!e || !(*e & PTE_V))
				continue;
			if (protect_pte(e, prot))
				tlb_batch_page(&b, va);
			else
				tlb_flush_page(va);
		}
	}
out:
	tlb_batch_finish(&b);
	spin_unlock(&mm->lock);
	return r;
}

int mm_discard(struct mm *mm, unsigned long addr, unsigned long len)
{
	struct tlb_batch b;
	int r;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	r = ptshare_make_private(mm, addr, addr + len, &b);
	if (!r)
		unmap_pages(mm, addr, addr + len, &b);
	tlb_batch_finish(&b);
	spin_unlock(&mm->lock);
	return r;
}

/* zap_vma - unmap the pages of @v that show page @first of its object or later. mm->lock held. */
static void zap_vma(struct mm *mm, struct vma *v, unsigned long first, struct tlb_batch *b)
{
	unsigned long from = v->start, pg = v->file_off / PAGE_SIZE;

	if (first > pg) {
		if (first - pg >= (v->end - v->start) / PAGE_SIZE)
			return;
		from += (first - pg) * PAGE_SIZE;
	}
	from = MAX(from, v->mapped_lo);
	if (from >= v->mapped_hi)
		return;
	/* Out of memory for a private table: the pages stay mapped, their frames held. */
	if (!ptshare_make_private(mm, from, v->mapped_hi, b))
		unmap_pages(mm, from, v->mapped_hi, b);
}

void mm_zap_object(struct shmem *mem, unsigned long first)
{
	spin_lock(&mm_list_lock);
	for (struct mm *mm = mm_all; mm; mm = mm->all_next) {
		struct tlb_batch b;

		spin_lock(&mm->lock);
		tlb_batch_init(&b, mm);
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->mem == mem)
				zap_vma(mm, v, first, &b);
		tlb_batch_finish(&b);
		spin_unlock(&mm->lock);
	}
	spin_unlock(&mm_list_lock);
}
