/*
 * tlb.h - the TLB rule, and the helpers vm/ uses to follow it.
 *
 * THE RULE.  A hart may cache translations of one user address space only:
 * the one it runs now, and only while its bit is set in that mm's
 * tlb_harts mask.  Holstein uses no ASIDs (the JH7110's U74 has none), so
 * a satp load with its sfence.vma drops every user translation.
 *
 *  - Entering (tlb_mm_enter, the scheduler's switch-in): set this hart's
 *    bit (an AMO with acquire+release), then load satp, then sfence.vma.
 *  - Leaving (tlb_mm_leave, the switch-out; kvm_load, which exit calls):
 *    load the kernel table, sfence.vma, and only then clear the bit.  So a
 *    clear bit means "holds nothing of this mm"; a set bit may be stale
 *    (the hart already left), which costs at most a needless flush.
 *  - Changing: whoever takes a right away from a PTE (clears it, drops R,
 *    W or X, points it at another frame, or swaps a level-0 table) does so
 *    under mm->lock, then finishes a tlb_batch: a fence, a read of the
 *    mask, an sfence.vma on this hart, and, when other bits are set, one
 *    SBI remote sfence.vma to those harts, which OpenSBI completes before
 *    it returns.  Only then does the batch free what it gathered: a frame
 *    or table dropped before the round could still be reached through
 *    another hart's stale translation, and be written after it is reused.
 *    Adding a right (an RO->RW upgrade of the same frame, invalid->valid)
 *    needs only this hart's flush: a stale entry elsewhere causes at worst
 *    a spurious fault, and vm_fault then finds the PTE already allows the
 *    access and just flushes that hart.
 *
 * Why the mask read cannot miss a hart that could see the old PTE: the
 * changer does PTE store, fence rw,rw, mask load; the enterer does mask
 * AMO (aqrl), then satp + sfence.vma, after which its walks read memory.
 * Either the changer's load sees the bit (and flushes that hart), or the
 * enterer's AMO comes after it, hence after the PTE store, so the
 * enterer's first walk reads the new PTE.  A leaver clears its bit only
 * after its sfence.vma, so a changer that misses the bit misses nothing.
 *
 * An mm that runs nowhere (a fresh exec image, a forked child, one whose
 * last user is gone in mm_put) has an empty mask and needs no flush.
 * When the mask holds only this hart (every single-threaded process), a
 * round is one local sfence.vma: no SBI call.
 */
#ifndef HOLSTEIN_TLB_H
#define HOLSTEIN_TLB_H

#include "../kernel/kernel.h"

struct mm;

#ifdef HOST_TEST
static inline void tlb_flush_page(unsigned long va) { (void)va; }
static inline void tlb_flush_all(void) { }
static inline void tlb_flush_icache(void) { }
#else
#include "../arch/riscv/csr.h"
/* tlb_flush_page - drop this hart's translation of @va (current address space). */
static inline void tlb_flush_page(unsigned long va) { local_flush_tlb_page(va); }
static inline void tlb_flush_all(void) { local_flush_tlb_all(); }
/* tlb_flush_icache - make this hart fetch what was just written (fence.i). */
static inline void tlb_flush_icache(void) { local_flush_icache(); }
#endif

/*
 * tlb_mm_enter - make this hart run @mm: set its bit, load @mm's table,
 * sfence.vma.  If the hart was in another mm (exec switching images), it
 * leaves that one after the load.  Interrupts off (scheduler) or the
 * caller owns the hart.
 */
void tlb_mm_enter(struct mm *mm);
/*
 * tlb_mm_leave - load the kernel table (sfence.vma), then clear this
 * hart's bit in the mm it ran, if any.  Safe to call twice.
 */
void tlb_mm_leave(void);
/*
 * tlb_mm_forget - mm_put's guard, before it drops a reference on @mm: if
 * this hart still has @mm's bit but has already loaded another table
 * (exec loaded the new image with arch_mmu_load, not tlb_mm_enter), clear
 * the bit now, while @mm surely lives.
 */
void tlb_mm_forget(struct mm *mm);

/*
 * A batch of one operation's TLB work (compare Linux's mmu_gather): the
 * range whose rights went away, whether a non-leaf entry changed (then
 * only a full flush will do), whether code was written, and the frames
 * and level-0 tables to drop once every hart has flushed.  On the stack
 * of the operation, under mm->lock from init to finish.
 */
#define TLB_BATCH_MAX	16	/* entries held back before a round must run */
#define TLB_RANGE_MAX	8	/* pages: a wider range gets a full flush */

#define TLB_B_RANGE	1	/* [start, end) holds pages to flush */
#define TLB_B_FULL	2	/* flush everything (tables changed, or a wide range) */
#define TLB_B_ICACHE	4	/* code was written: fence.i too */
#define TLB_HELD_TABLE	1UL	/* held[i] bit 0: a level-0 table, not a frame */

struct tlb_batch {
	struct mm *mm;
	unsigned flags;			/* TLB_B_* */
	int n;				/* entries in held[] */
	unsigned long start, end;	/* valid with TLB_B_RANGE */
	unsigned long held[TLB_BATCH_MAX];	/* frames to pmm_put, tables to release */
};

/* tlb_batch_init - an empty batch for @mm (which the caller has locked). */
static inline void tlb_batch_init(struct tlb_batch *b, struct mm *mm)
{
	b->mm = mm;
	b->flags = 0;
	b->n = 0;
}

/* tlb_batch_page - the PTE of @va lost a right: flush it in this round. */
void tlb_batch_page(struct tlb_batch *b, unsigned long va);
/*
 * tlb_batch_free_page - the PTE of @va lost a right and its reference on
 * frame @pa: drop that reference after the round.  May run the round now
 * (batch full), never leaving the batch unusable.
 */
void tlb_batch_free_page(struct tlb_batch *b, unsigned long va, phys_addr_t pa);
/*
 * tlb_batch_free_table - a level-1 entry stopped pointing at level-0
 * table @t (unshare): full flush, then release this owner of @t
 * (ptshare_table_release).
 */
void tlb_batch_free_table(struct tlb_batch *b, phys_addr_t t);
/* tlb_batch_all - rights went away all over the mm (fork): a full flush. */
static inline void tlb_batch_all(struct tlb_batch *b) { b->flags |= TLB_B_FULL; }
/* tlb_batch_icache - code was written into a page of the mm: fence.i on every hart in it. */
static inline void tlb_batch_icache(struct tlb_batch *b) { b->flags |= TLB_B_ICACHE; }
/*
 * tlb_batch_finish - run the round (this hart, then every other hart in
 * the mask, at most one SBI call per window of hart ids), then drop what
 * was held.  The batch is empty again afterwards.  Cheap when empty.
 */
void tlb_batch_flush(struct tlb_batch *b);	/* the round itself, even for an empty batch */
/* tlb_icache_mm - make code stored into @mm visible to instruction fetch on every hart running it. */
void tlb_icache_mm(struct mm *mm);
static inline void tlb_batch_finish(struct tlb_batch *b)
{
	if (b->flags || b->n)
		tlb_batch_flush(b);
}

#ifdef HOST_TEST
/* The host build's stand-in for this hart and its remote rounds (tests/host). */
extern int tlb_host_cpu;
extern void (*tlb_host_remote)(const struct tlb_batch *b, unsigned long others, int full);
#endif

#endif
