/*
 * test_tlb.c - host test of the TLB rule's machinery (vm/tlb.c, with the
 * vm/ files that gather into it, built with -DHOST_TEST).
 *
 * On the host "this hart" is tlb_host_cpu and a remote round is a call of
 * tlb_host_remote, which this test records.  What is checked:
 *  - the hart mask: tlb_mm_enter sets this hart's bit (and leaves the mm
 *    it ran before), tlb_mm_leave and tlb_mm_forget clear it, and mm_put
 *    refuses to free an address space some hart is still in;
 *  - the batch: no remote round when the mask holds only this hart; one
 *    round per TLB_BATCH_MAX held frames otherwise; a narrow range is
 *    flushed as a range, a wide one or a table swap as everything; and no
 *    frame is freed before the round that covers it (the recorder checks
 *    the counts of the held frames at the moment of the round);
 *  - the operations: MADV_DONTNEED, munmap, mprotect (down, and up), fork
 *    and a COW copy fault each run exactly the rounds they should.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm/pmm.h"
#include "vm/pt.h"
#include "vm/mm.h"
#include "vm/fault.h"
#include "vm/tlb.h"
#include "vm/phys.h"
#include "vm/kvm.h"
#include "vm/kmalloc.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(8UL << 20)
#include "vm_arena.h"

#define VA		0x100000UL	/* an anonymous RW area of NPAGES */
#define NPAGES		40
#define OTHER		(1UL << 3)	/* another hart's bit */

/* What the recorder saw of the remote rounds. */
static struct {
	int rounds, full;
	unsigned long others, start, end;
	int held_live;		/* every held frame still had a reference at its round */
} seen;

static void record(const struct tlb_batch *b, unsigned long others, int full)
{
	seen.rounds++;
	seen.full += full;
	seen.others = others;
	seen.start = b->start;
	seen.end = b->end;
	for (int i = 0; i < b->n; i++)
		if (pmm_refcount(b->held[i] & ~TLB_HELD_TABLE) == 0)
			seen.held_live = 0;
}

static struct mm *mm;

/* setup - a fresh arena, an mm with NPAGES present private pages, this hart = cpu 0, in it. */
static int setup(void **state)
{
	(void)state;
	if (vm_arena_boot())
		return -1;
	memset(&seen, 0, sizeof(seen));
	seen.held_live = 1;
	tlb_host_cpu = 0;
	tlb_host_remote = record;
	mm = mm_create();
	if (!mm || vm_map_anon(mm, VA, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, 0))
		return -1;
	for (int i = 0; i < NPAGES; i++)
		if (vm_fault(mm, VA + i * PAGE_SIZE, FAULT_WRITE) != FAULT_OK)
			return -1;
	tlb_mm_enter(mm);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tlb_mm_leave();
	__atomic_store_n(&mm->tlb_harts, 0, __ATOMIC_RELAXED);	/* the "other hart" left too */
	mm_put(mm);
	tlb_host_remote = NULL;
	return 0;
}

/* Enter sets the bit, entering another mm leaves the first, leave clears. */
static void test_enter_leave(void **state)
{
	struct mm *other = mm_create();

	(void)state;
	assert_int_equal(mm->tlb_harts, 1UL);
	tlb_host_cpu = 5;
	tlb_mm_enter(mm);
	assert_int_equal(mm->tlb_harts, 1UL | 1UL << 5);
	tlb_mm_enter(other);		/* exec: the new image, then the old one is left */
	assert_int_equal(mm->tlb_harts, 1UL);
	assert_int_equal(other->tlb_harts, 1UL << 5);
	tlb_mm_leave();
	tlb_mm_leave();			/* twice is harmless */
	assert_int_equal(other->tlb_harts, 0);
	mm_put(other);
	tlb_host_cpu = 0;
}

/*
 * mm_put: a hart that switched away without leaving is taken out before
 * the reference goes (tlb_mm_forget); a bit of another hart in a dead mm
 * is a bug and panics.
 */
static void test_put_checks_mask(void **state)
{
	struct mm *m = mm_create();
	jmp_buf jb;

	(void)state;
	tlb_host_cpu = 2;
	tlb_mm_enter(m);
	mm_get(m);
	mm_put(m);			/* not the last: forget cleared cpu 2's bit */
	assert_int_equal(m->tlb_harts, 0);
	m->tlb_harts = OTHER;
	host_panic_jmp = &jb;
	if (setjmp(jb) == 0) {
		mm_put(m);
		fail_msg("mm_put freed an mm a hart is still in");
	}
	host_panic_jmp = NULL;
	m->tlb_harts = 0;
	m->refs = 1;
	mm_put(m);
	tlb_host_cpu = 0;
}

/* Alone in the mm: MADV_DONTNEED of everything is local only, and frees every frame. */
static void test_single_hart_is_local(void **state)
{
	size_t nfree = pmm_free_frames();

	(void)state;
	assert_int_equal(mm_discard(mm, VA, NPAGES * PAGE_SIZE), 0);
	assert_int_equal(seen.rounds, 0);
	assert_int_equal(vmstat.tlb_remote_flush, 0);
	assert_int_equal(pmm_free_frames(), nfree + NPAGES);
}

/* Another hart in the mm: one round per TLB_BATCH_MAX frames, none freed early. */
static void test_batches_fill_then_flush(void **state)
{
	size_t nfree = pmm_free_frames();

	(void)state;
	mm->tlb_harts |= OTHER;
	assert_int_equal(mm_discard(mm, VA, NPAGES * PAGE_SIZE), 0);
	assert_int_equal(seen.rounds, (NPAGES + TLB_BATCH_MAX - 1) / TLB_BATCH_MAX);
	assert_int_equal(seen.others, OTHER);
	assert_true(seen.held_live);
	assert_int_equal(seen.full, 2);	/* 16 pages: wider than TLB_RANGE_MAX; the last 8 are not */
	assert_int_equal(vmstat.tlb_remote_flush, seen.rounds);
	assert_int_equal(vmstat.tlb_remote_flush_received, seen.rounds);
	assert_int_equal(pmm_free_frames(), nfree + NPAGES);
}

/* A narrow munmap is one round over exactly its range; the frames go after it. */
static void test_narrow_range(void **state)
{
	size_t nfree = pmm_free_frames();

	(void)state;
	mm->tlb_harts |= OTHER;
	assert_int_equal(mm_unmap(mm, VA + 4 * PAGE_SIZE, 3 * PAGE_SIZE), 0);
	assert_int_equal(seen.rounds, 1);
	assert_int_equal(seen.full, 0);
	assert_int_equal(seen.start, VA + 4 * PAGE_SIZE);
	assert_int_equal(seen.end, VA + 7 * PAGE_SIZE);
	assert_true(seen.held_live);
	assert_int_equal(pmm_free_frames(), nfree + 3);
}

/* mprotect: taking W away is one round; giving it back needs none. */
static void test_mprotect_down_only(void **state)
{
	(void)state;
	mm->tlb_harts |= OTHER;
	assert_int_equal(mm_protect(mm, VA, 2 * PAGE_SIZE, PROT_READ), 0);
	assert_int_equal(seen.rounds, 1);
	assert_int_equal(seen.end - seen.start, 2 * PAGE_SIZE);
	assert_int_equal(mm_protect(mm, VA, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(seen.rounds, 1);
}

/* Fork write-protects the parent: one full round, whatever its size. */
static void test_fork_one_full_round(void **state)
{
	struct mm *child;

	(void)state;
	mm->tlb_harts |= OTHER;
	child = mm_fork(mm);
	assert_non_null(child);
	assert_int_equal(seen.rounds, 1);
	assert_int_equal(seen.full, 1);
	assert_int_equal(child->tlb_harts, 0);	/* runs nowhere yet */
	mm_put(child);
}

/*
 * A COW copy fault points the PTE at a new frame: one round for the page,
 * and the old frame keeps its reference until then.  The reuse that
 * follows (the old frame is ours alone again) needs no round.
 */
static void test_cow_copy_round(void **state)
{
	struct mm *child;

	(void)state;
	child = mm_fork(mm);
	assert_non_null(child);
	tlb_host_cpu = 1;
	tlb_mm_enter(child);
	child->tlb_harts |= OTHER;
	assert_int_equal(vm_fault(child, VA, FAULT_WRITE), FAULT_OK);
	assert_int_equal(seen.rounds, 1);
	assert_int_equal(seen.full, 0);
	assert_int_equal(seen.start, VA);
	assert_int_equal(seen.end, VA + PAGE_SIZE);
	assert_true(seen.held_live);
	assert_int_equal(vmstat.cow_copy, 1);
	tlb_host_cpu = 0;
	mm->tlb_harts |= OTHER;
	assert_int_equal(vm_fault(mm, VA, FAULT_WRITE), FAULT_OK);
	assert_int_equal(vmstat.cow_reuse, 1);
	assert_int_equal(seen.rounds, 1);
	tlb_host_cpu = 1;
	tlb_mm_leave();
	child->tlb_harts = 0;
	mm_put(child);
	tlb_host_cpu = 0;
}

/* The batch alone: empty is free, a table forces a full round, a wide range too. */
static void test_batch_rules(void **state)
{
	struct tlb_batch b;
	phys_addr_t f = pmm_alloc();

	(void)state;
	mm->tlb_harts |= OTHER;
	tlb_batch_init(&b, mm);
	tlb_batch_finish(&b);
	assert_int_equal(seen.rounds, 0);
	tlb_batch_page(&b, VA + 3 * PAGE_SIZE);
	tlb_batch_page(&b, VA);
	tlb_batch_finish(&b);
	assert_int_equal(seen.rounds, 1);
	assert_int_equal(seen.full, 0);
	assert_int_equal(seen.start, VA);
	assert_int_equal(seen.end, VA + 4 * PAGE_SIZE);
	tlb_batch_page(&b, VA);
	tlb_batch_page(&b, VA + TLB_RANGE_MAX * PAGE_SIZE);
	tlb_batch_finish(&b);
	assert_int_equal(seen.full, 1);
	tlb_batch_free_page(&b, VA, f);
	assert_int_equal(pmm_refcount(f), 1);	/* held, not dropped */
	tlb_batch_finish(&b);
	assert_int_equal(seen.rounds, 3);
	assert_true(seen.held_live);
	assert_int_equal(pmm_refcount(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enter_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_checks_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_hart_is_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches_fill_then_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_narrow_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mprotect_down_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_one_full_round, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cow_copy_round, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
