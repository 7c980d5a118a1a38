/*
 * fork.c - duplicate an address space for fork(), told top-down:
 *
 *   mm_fork                  a new mm; the parent's brk, stack and VMAs
 *                            (vma_dup, mm.c), under the parent's lock
 *     -> fork_tables         for each VMA but [vvar] and [vdso] (refaulted),
 *                            each 2 MiB region it has mapped:
 *        -> share_or_copy    the first time a region is seen, decide:
 *             ptshare_share_table   share the parent's level-0 table: its
 *                                   private writable entries are made COW
 *                                   once (cow_wrprotect) and the child hangs
 *                                   the same table (ptshare.c)
 *             or a fresh, empty level-0 table for the child
 *        -> copy_entries     a copied table is filled entry by entry:
 *             cow_share_pte  COW (the default): both sides read-only +
 *                            PTE_COW, one more reference (cow.h)
 *             eager_copy_pte cow=0: a private copy of every writable page,
 *                            the baseline COW is measured against
 *       then one full flush round: the parent just lost W bits, on this
 *       hart and on every other hart running it (tlb.h)
 *
 * Nothing is copied but tables (and, with cow=0, writable pages); large
 * level-0 tables are not even copied but shared (ptshare.h says when).
 */
#include "mm.h"
#include "cow.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "zero.h"
#include "ptshare.h"
#include "swap.h"
#include "../arch/riscv/page.h"

#define REGION PTSHARE_REGION

/*
 * eager_copy_pte - cow=0: the child's entry for the parent's leaf @ppte, in
 * *@cpte.  A writable (or COW) private page gets a private copy; read-only
 * pages, shared memory and the zero frame are shared, with one more
 * reference.  0 or -ENOMEM.
 */
static int eager_copy_pte(pte_t *ppte, pte_t *cpte)
{
	pte_t e = *ppte;

	if (!(e & (PTE_W | PTE_COW)) || (e & PTE_SHARED) || pte_to_pa(e) == zero_frame) {
		pmm_get(pte_to_pa(e));
		*cpte = e;
		return 0;
	}
	phys_addr_t n = pmm_alloc();
	if (!n)
		return -ENOMEM;
	page_copy(phys_to_virt(n), phys_to_virt(pte_to_pa(e)));
	*cpte = pa_to_pte(n) | ((pte_flags(e) & ~PTE_COW) | PTE_W);
	return 0;
}

/*
 * copy_entries - entries [a, b) of the parent's table @p into the child's
 * table @c, one by one: COW sharing, or an eager copy with cow=0.  0 or
 * -ENOMEM (the entries copied so far hold their references: mm_put of the
 * child drops them).
 */
static int copy_entries(pte_t *p, pte_t *c, int a, int b)
{
	for (int i = a; i < b; i++) {
		if (!(p[i] & PTE_V)) {
			if (p[i]) {	/* a swap entry: one more holder of the slot, nothing read */
				swap_dup(pte_to_swp(p[i]));
				c[i] = p[i];
			}
			continue;
		}
		if (cow_enabled)
			c[i] = cow_share_pte(&p[i]);
		else if (eager_copy_pte(&p[i], &c[i]))
			return -ENOMEM;
	}
	return 0;
}

/*
 * mapped_in - how many pages the VMAs from @v on may have mapped in the
 * region [r, r + REGION): an upper bound from their mapped ranges.
 */
static unsigned long mapped_in(struct vma *v, unsigned long r)
{
	unsigned long n = 0;

	for (; v && v->mapped_lo < r + REGION; v = v->next) {
		unsigned long lo = MAX(v->mapped_lo, r), hi = MIN(v->mapped_hi, r + REGION);
		if (hi > lo)
			n += (hi - lo) / PAGE_SIZE;
	}
	return n;
}

/*
 * share_or_copy - the first visit of region @r (whose parent level-1 entry
 * is @pl1e, valid), reached through VMA @v at @va: share the parent's
 * table with the child if it is shared already or holds enough pages
 * (PTSHARE_MIN_PAGES), else give the child an empty table of its own for
 * copy_entries.  Sets *@shared; returns the child's level-1 entry, or
 * NULL when out of memory.
 */
static pte_t *share_or_copy(struct mm *child, struct vma *v, unsigned long va, unsigned long r,
			    pte_t *pl1e, int *shared)
{
	pte_t *cl1e;

	*shared = cow_enabled && (pmm_refcount(pte_to_pa(*pl1e)) > 1 ||
				  mapped_in(v, r) >= PTSHARE_MIN_PAGES);
	cl1e = pt_entry(child->root, va, 1, 1);
	if (!cl1e)
		return 0;
	if (*shared) {
		ptshare_share_table(pl1e, cl1e);
		return cl1e;
	}
	phys_addr_t t = pmm_alloc_zeroed();
	if (!t)
		return 0;
	*cl1e = pa_to_pte(t) | PTE_V;
	return cl1e;
}

/*
 * fork_tables - fork's page-table half: every mapped page of @parent
 * becomes mapped in @child, region by region (shared table or copied
 * entries), then the parent's stale writable translations are flushed.
 * The parent's lock held; the child runs nowhere yet.  0 or -ENOMEM.
 * Out of line: inlined into mm_fork it makes a small fork ~0.4% dearer.
 */
static __attribute__((noinline)) int fork_tables(struct mm *parent, struct mm *child)
{
	unsigned long done = ~0UL;	/* region handled last */
	int shared = 0;

	for (struct vma *v = parent->vmas; v; v = v->next) {
		/*
		 * The vDSO's pages are the same frames in every process: the
		 * child faults them in if it uses them (as Linux, which copies
		 * no PTE a fault refills).  Most children exec or exit first,
		 * and their top region needs no table then.
		 */
		if (v->kind == VMA_VVAR || v->kind == VMA_VDSO)
			continue;
		for (unsigned long va = v->mapped_lo; va < v->mapped_hi;) {
			unsigned long r = ALIGN_DOWN(va, REGION), end = MIN(r + REGION, v->mapped_hi);
			pte_t *pl1e = pt_entry(parent->root, va, 1, 0), *cl1e;

			if (!pl1e || !(*pl1e & PTE_V)) {
				va = end;	/* nothing mapped in this region */
				continue;
			}
			if (r != done) {
				done = r;
				cl1e = share_or_copy(child, v, va, r, pl1e, &shared);
				if (!cl1e)
					return -ENOMEM;
			} else if (!shared) {
				cl1e = pt_entry(child->root, va, 1, 0);	/* copied on the last visit */
			}
			if (shared) {
				va = end;	/* the whole table is the child's too */
				continue;
			}
			if (copy_entries(phys_to_virt(pte_to_pa(*pl1e)), phys_to_virt(pte_to_pa(*cl1e)),
					 (int)pt_index(va, 0),
					 end == r + REGION ? PT_ENTRIES : (int)pt_index(end, 0)))
				return -ENOMEM;
			va = end;
		}
	}
	/*
	 * The parent's W bits just went away: before fork returns, no hart may
	 * still write through an old translation into a frame the child now
	 * shares (tlb.h).  A failed fork flushes too, on the way out (mm_fork).
	 */
	return 0;
}

/*
 * mm_fork - see mm.h.  The child gets copies of the parent's VMAs, then its
 * page tables (fork_tables), all under the parent's lock so that no fault
 * of the parent's changes a table half copied.
 */
struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();
	struct vma **tail;
	int r = 0;

	if (!child)
		return 0;
	spin_lock(&parent->lock);
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->stack_top = parent->stack_top;
	child->arg_start = parent->arg_start;
	child->arg_end = parent->arg_end;
	child->env_start = parent->env_start;
	child->env_end = parent->env_end;
	child->vdso_base = parent->vdso_base;
	child->reclaimable = 1;
	tail = &child->vmas;
	for (struct vma *v = parent->vmas; v; v = v->next) {
		struct vma *n = vma_dup(v);
		if (!n) {
			r = -ENOMEM;
			break;
		}
		*tail = n;
		tail = &n->next;
	}
	if (!r) {
		struct tlb_batch b;

		r = fork_tables(parent, child);
		tlb_batch_init(&b, parent);
		tlb_batch_all(&b);
		tlb_batch_finish(&b);
	}
	spin_unlock(&parent->lock);
	if (r) {
		mm_put(child);
		return 0;
	}
	return child;
}
