/*
 * tlb.c - the TLB rule's machinery (the rule itself: tlb.h):
 *
 *   tlb_mm_enter / tlb_mm_leave   a hart's bit in an mm's tlb_harts, set
 *                                 before its satp is loaded, cleared after
 *                                 the kernel table is back
 *   tlb_batch_*                   one operation's flushes and deferred
 *                                 frees, gathered, then one round:
 *     tlb_batch_flush -> flush_local   sfence.vma (range or all), fence.i
 *                     -> flush_remote  one SBI RFENCE per window of hart ids
 *                     -> release       the frames and tables, only now
 *
 * Built for the host too (HOST_TEST): there "this hart" is tlb_host_cpu and
 * a remote round is a call of tlb_host_remote, so tests/host can check
 * what is flushed when, and that nothing is freed before its round.
 */
#include "tlb.h"
#include "mm.h"
#include "pmm.h"
#include "ptshare.h"
#include "vmstat.h"
#include "../kernel/param.h"

#ifdef HOST_TEST
int tlb_host_cpu;
void (*tlb_host_remote)(const struct tlb_batch *b, unsigned long others, int full);
static inline int tlb_cpu(void) { return tlb_host_cpu; }
static inline void tlb_load_root(phys_addr_t root) { (void)root; }
static inline phys_addr_t tlb_loaded_root(void) { return 0; }
static inline void tlb_flush_range(unsigned long start, unsigned long end) { (void)start; (void)end; }
#else
#include "kvm.h"
#include "../kernel/cpu.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/sbi.h"
static inline int tlb_cpu(void) { return this_cpu()->id; }
/* tlb_load_root - satp := @root, then sfence.vma (every old translation goes). */
static inline void tlb_load_root(phys_addr_t root) { arch_mmu_load(root); }
/* tlb_loaded_root - the root this hart's satp names now. */
static inline phys_addr_t tlb_loaded_root(void) { return (arch_mmu_current() & SATP_PPN_MASK) << 12; }
/* tlb_flush_range - this hart's sfence.vma for each page of [start, end). */
static inline void tlb_flush_range(unsigned long start, unsigned long end)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		local_flush_tlb_page(va);
}
#endif

/*
 * The mm each hart has entered and not yet left: what tlb_mm_leave clears
 * its bit in.  Written only by that hart.
 */
static struct mm *tlb_cur[NCPU];

/* tlb_clear_bit - hart @id holds nothing of @mm any more (its table is gone from satp). */
static void tlb_clear_bit(struct mm *mm, int id)
{
	/* Release: the satp load and its sfence.vma come before the bit goes. */
	__atomic_fetch_and(&mm->tlb_harts, ~(1UL << id), __ATOMIC_RELEASE);
}

void tlb_mm_enter(struct mm *mm)
{
	int id = tlb_cpu();
	struct mm *old = tlb_cur[id];

	/* Bit first, with a full barrier (amoor.aqrl): see the ordering argument in tlb.h. */
	__atomic_fetch_or(&mm->tlb_harts, 1UL << id, __ATOMIC_SEQ_CST);
	tlb_cur[id] = mm;
	mm->reclaimable = 1;	/* it runs: its image is complete (mm.h) */
	tlb_load_root(mm->root);
	if (old && old != mm)
		tlb_clear_bit(old, id);
}

void tlb_mm_leave(void)
{
	int id = tlb_cpu();
	struct mm *mm = tlb_cur[id];

#ifndef HOST_TEST
	tlb_load_root(kvm_root);
#endif
	if (mm) {
		tlb_cur[id] = 0;
		tlb_clear_bit(mm, id);
	}
}

void tlb_mm_forget(struct mm *mm)
{
	int id = tlb_cpu();

	if (tlb_cur[id] != mm || tlb_loaded_root() == mm->root)
		return;
	tlb_cur[id] = 0;
	tlb_clear_bit(mm, id);
}

void tlb_batch_page(struct tlb_batch *b, unsigned long va)
{
	if (!(b->flags & TLB_B_RANGE)) {
		b->flags |= TLB_B_RANGE;
		b->start = va;
		b->end = va + PAGE_SIZE;
		return;
	}
	if (va < b->start)
		b->start = va;
	if (va + PAGE_SIZE > b->end)
		b->end = va + PAGE_SIZE;
}

void tlb_batch_free_page(struct tlb_batch *b, unsigned long va, phys_addr_t pa)
{
	tlb_batch_page(b, va);
	b->held[b->n++] = pa;
	if (b->n == TLB_BATCH_MAX)
		tlb_batch_flush(b);	/* the PTEs are cleared already: flush, free, go on */
}

void tlb_batch_free_table(struct tlb_batch *b, phys_addr_t t)
{
	b->flags |= TLB_B_FULL;
	b->held[b->n++] = t | TLB_HELD_TABLE;
	if (b->n == TLB_BATCH_MAX)
		tlb_batch_flush(b);
}

/* flush_local - this hart's part of the round: the range, or everything; fence.i if asked. */
static void flush_local(const struct tlb_batch *b, int full)
{
	if (full) {
		tlb_flush_all();
		vmstat_inc(tlb_local_flush_all);
	} else if (b->flags & TLB_B_RANGE) {
		tlb_flush_range(b->start, b->end);
	}
	if (b->flags & TLB_B_ICACHE)
		tlb_flush_icache();
}

/*
 * flush_remote - the other harts' part: every hart in @others flushes the
 * batch's range (or everything), and runs fence.i if asked, before this
 * returns (OpenSBI waits for them).
 */
static void flush_remote(const struct tlb_batch *b, unsigned long others, int full)
{
	int sent = 0;

#ifdef HOST_TEST
	if (tlb_host_remote)
		tlb_host_remote(b, others, full);
	sent = __builtin_popcountl(others);
#else
	unsigned long ids[NCPU];
	int n = 0;

	for (int i = 0; i < ncpus; i++)
		if (others & (1UL << i))
			ids[n++] = cpus[i].hartid;
	sent = sbi_rfence_harts(ids, n, full ? 0 : b->start,
				full ? SBI_RFENCE_ALL : b->end - b->start, b->flags & TLB_B_ICACHE);
	if (sent < 0)
		panic("tlb: the firmware refused a remote fence (harts %#lx)", others);
#endif
	vmstat_inc(tlb_remote_flush);
	vmstat_add(tlb_remote_flush_received, (unsigned long)sent);
}

#ifdef CONFIG_TLB_BROADCAST
/* broadcast_mask - every online hart: make TLB_BROADCAST=1 sends each round there. */
static unsigned long broadcast_mask(void)
{
	return cpu_online_mask();
}
#endif

/*
 * tlb_batch_flush - see tlb_batch_finish (tlb.h).  The fence orders the
 * batch's PTE stores before the mask is read (tlb.h); the mask then names
 * every other hart that may hold one of the old translations.
 */
void tlb_batch_flush(struct tlb_batch *b)
{
	unsigned long others;
	int full = (b->flags & TLB_B_FULL) ||
		   ((b->flags & TLB_B_RANGE) && b->end - b->start > TLB_RANGE_MAX * PAGE_SIZE);

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	others = __atomic_load_n(&b->mm->tlb_harts, __ATOMIC_RELAXED);
#ifdef CONFIG_TLB_BROADCAST
	others |= broadcast_mask();
#endif
	others &= ~(1UL << tlb_cpu());
	flush_local(b, full);
	if (others)
		flush_remote(b, others, full);
	/* Every hart has flushed: nothing can reach these through an old translation now. */
	for (int i = 0; i < b->n; i++) {
		if (b->held[i] & TLB_HELD_TABLE)
			ptshare_table_release(b->held[i] & ~TLB_HELD_TABLE);
		else
			pmm_put(b->held[i]);
	}
	b->flags = 0;
	b->n = 0;
}

/*
 * tlb_icache_mm - riscv_flush_icache: a round with nothing but fence.i, on
 * this hart and every hart in @mm's mask.  A hart that enters the mm later
 * runs its own fence.i when it switches (kernel/sched.c).
 */
void tlb_icache_mm(struct mm *mm)
{
	struct tlb_batch b;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	b.start = b.end = 0;
	tlb_batch_icache(&b);
	tlb_batch_flush(&b);
	spin_unlock(&mm->lock);
}
