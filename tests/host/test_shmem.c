/*
 * test_shmem.c - host test of shared anonymous memory: the page index
 * (vm/pagemap.c), the object (vm/shmem.c), and how the fault path, fork,
 * MADV_DONTNEED and mprotect treat areas backed by it (vm/fault.c, vm/mm.c).
 *
 * What must hold: every mapper of an object sees the same frame, whether it
 * touched the page before or after a fork; dropping a mapping's pages
 * (mm_discard) never drops the data, and the next touch finds the same frame
 * again; a store never copies a shared page; and mprotect grants only what
 * an area may ever have (VMA_MAY*).  Linked like test_fault.
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
#include "vm/phys.h"
#include "vm/kvm.h"
#include "vm/pagemap.h"
#include "vm/shmem.h"
#include "vm/kmalloc.h"
#include "kernel/errno.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(4UL << 20)
#define VM_ARENA_BASELINE
#include "vm_arena.h"

#define VA_SH		0x100000UL	/* 4 pages of shared memory */
#define SH_PAGES	4

/* map_shared - a MAP_SHARED|MAP_ANONYMOUS area of SH_PAGES at VA_SH, as mmap makes it. */
static void map_shared(struct mm *mm, unsigned prot, unsigned may)
{
	struct shmem *s = shmem_create(SH_PAGES);

	assert_non_null(s);
	assert_int_equal(mm_map(mm, &(struct vma){ .start = VA_SH,
						   .end = VA_SH + SH_PAGES * PAGE_SIZE,
						   .prot = prot, .kind = VMA_SHMEM,
						   .flags = VMA_SHARED | may, .mem = s }), 0);
	shmem_put(s);	/* the VMA keeps its own reference */
}

/* word - the first word of the page mapped at @va in @mm (which must be present). */
static uint64_t *word(struct mm *mm, unsigned long va)
{
	pte_t *e = pt_walk(mm->root, va, 0);

	assert_non_null(e);
	assert_true(*e & PTE_V);
	return phys_to_virt(pte_to_pa(*e));
}

static phys_addr_t frame_at(struct mm *mm, unsigned long va)
{
	pte_t *e = pt_walk(mm->root, va, 0);

	return e && (*e & PTE_V) ? pte_to_pa(*e) : 0;
}

/* The index grows as the largest index needs, keeps every frame, and gives all back. */
static void test_pagemap(void **state)
{
	static const unsigned long idx[] = { 0, 1, 511, 512, 4096, 262143, 262144, 5000000 };
	struct pagemap m = { 0 };
	phys_addr_t f[8];

	(void)state;
	assert_int_equal(pagemap_lookup(&m, 0), 0);
	for (int i = 0; i < 8; i++) {
		f[i] = pmm_alloc();
		assert_int_not_equal(f[i], 0);
		assert_int_equal(pagemap_store(&m, idx[i], f[i]), 0);
		for (int j = 0; j <= i; j++)
			assert_int_equal(pagemap_lookup(&m, idx[j]), f[j]);
	}
	assert_int_equal(pagemap_lookup(&m, 2), 0);
	assert_int_equal(pagemap_lookup(&m, 262145), 0);
	assert_int_equal(pagemap_lookup(&m, 1UL << 40), 0);
	pagemap_clear(&m);
	assert_int_equal(pagemap_lookup(&m, 0), 0);
	assert_baseline();
}

/* shmem_frame hands out one frame per page, zeroed, and refuses past the end. */
static void test_shmem_frames(void **state)
{
	struct shmem *s = shmem_create(3);
	phys_addr_t a, b;
	int sigbus = 1;

	(void)state;
	assert_non_null(s);
	a = shmem_frame(s, 1, &sigbus);
	assert_int_not_equal(a, 0);
	assert_false(sigbus);
	assert_int_equal(*(uint64_t *)phys_to_virt(a), 0);
	*(uint64_t *)phys_to_virt(a) = 42;
	b = shmem_frame(s, 1, &sigbus);
	assert_int_equal(a, b);
	assert_int_equal(pmm_refcount(a), 3);	/* the object, and our two */
	pmm_put(a);
	pmm_put(b);
	assert_int_equal(shmem_frame(s, 3, &sigbus), 0);
	assert_true(sigbus);
	shmem_put(s);
	assert_baseline();
}

/*
 * shmem_drop gives back every frame but keeps the size: the quota and the
 * totals go down by the pages dropped, a frame someone still holds lives
 * on with that holder only (not counted as freed), and a page asked for
 * later is a new zeroed one.
 */
static void test_shmem_drop(void **state)
{
	struct shmem_quota q = { .used = 0, .max = 10 };
	struct shmem *s = shmem_create_file(&q);
	unsigned long freed = 99;
	phys_addr_t held = 0, again;
	int err;

	(void)state;
	assert_non_null(s);
	shmem_extend(s, 5 * PAGE_SIZE + 7);
	for (unsigned long i = 0; i < 5; i += 2) {	/* pages 0, 2, 4: holes between */
		phys_addr_t f = shmem_page(s, i, 1, &err);
		assert_int_not_equal(f, 0);
		*(uint64_t *)phys_to_virt(f) = 7 + i;
		if (i == 2)
			held = f;	/* a reader still copying from it */
		else
			pmm_put(f);
	}
	assert_int_equal(q.used, 3);
	assert_int_equal(shmem_total_pages(), 3);
	assert_int_equal(shmem_drop(s, &freed), 3);
	assert_int_equal(freed, 2);
	assert_int_equal(shmem_pages(s), 0);
	assert_int_equal(shmem_total_pages(), 0);
	assert_int_equal(q.used, 0);
	assert_int_equal(shmem_size(s), 5 * PAGE_SIZE + 7);
	assert_int_equal(shmem_lookup(s, 2), 0);
	assert_int_equal(pmm_refcount(held), 1);	/* the reader's, alone */
	assert_int_equal(*(uint64_t *)phys_to_virt(held), 9);
	pmm_put(held);
	again = shmem_page(s, 2, 1, &err);
	assert_int_not_equal(again, 0);
	assert_int_equal(*(uint64_t *)phys_to_virt(again), 0);
	pmm_put(again);
	assert_int_equal(shmem_drop(s, &freed), 1);
	assert_int_equal(freed, 1);
	assert_int_equal(shmem_drop(s, &freed), 0);	/* an empty object: nothing, no harm */
	shmem_put(s);
	assert_baseline();
}

/*
 * MADV_DONTNEED on shared memory drops this process's mapping only: the
 * next touch maps the same frame, data intact, still shared with a child
 * forked before the discard.
 */
static void test_discard_keeps_data(void **state)
{
	struct mm *p = mm_create(), *c;
	phys_addr_t f;

	(void)state;
	assert_non_null(p);
	map_shared(p, PROT_READ | PROT_WRITE, VMA_MAY_RWX);
	assert_int_equal(vm_fault(p, VA_SH, FAULT_WRITE), FAULT_OK);
	f = frame_at(p, VA_SH);
	*word(p, VA_SH) = 7;
	c = mm_fork(p);
	assert_non_null(c);
	assert_int_equal(mm_discard(c, VA_SH, PAGE_SIZE), 0);
	assert_int_equal(frame_at(c, VA_SH), 0);
	assert_int_equal(vm_fault(c, VA_SH, FAULT_READ), FAULT_OK);
	assert_int_equal(frame_at(c, VA_SH), f);
	assert_int_equal(*word(c, VA_SH), 7);
	/* A store after the discard reaches the parent: no copy, no COW. */
	assert_true(*pt_walk(c->root, VA_SH, 0) & PTE_W);
	*word(c, VA_SH) = 9;
	assert_int_equal(*word(p, VA_SH), 9);
	/* The same holds when the parent discards and the child remains. */
	assert_int_equal(mm_discard(p, VA_SH, PAGE_SIZE), 0);
	mm_put(c);
	assert_int_equal(vm_fault(p, VA_SH, FAULT_WRITE), FAULT_OK);
	assert_int_equal(*word(p, VA_SH), 9);
	assert_int_equal(vmstat.cow_copy, 0);
	mm_put(p);
	assert_baseline();
}

/* A page first touched after fork, by either side, is the same page for both. */
static void test_touch_after_fork(void **state)
{
	struct mm *p = mm_create(), *c;

	(void)state;
	assert_non_null(p);
	map_shared(p, PROT_READ | PROT_WRITE, VMA_MAY_RWX);
	c = mm_fork(p);
	assert_non_null(c);
	assert_int_equal(vm_fault(c, VA_SH + 2 * PAGE_SIZE, FAULT_WRITE), FAULT_OK);
	*word(c, VA_SH + 2 * PAGE_SIZE) = 5;
	assert_int_equal(vm_fault(p, VA_SH + 2 * PAGE_SIZE, FAULT_READ), FAULT_OK);
	assert_int_equal(*word(p, VA_SH + 2 * PAGE_SIZE), 5);
	assert_int_equal(frame_at(p, VA_SH + 2 * PAGE_SIZE), frame_at(c, VA_SH + 2 * PAGE_SIZE));
	/* Unmapping part of the area in the parent leaves the child's view whole. */
	assert_int_equal(mm_unmap(p, VA_SH, SH_PAGES * PAGE_SIZE), 0);
	mm_put(p);
	assert_int_equal(*word(c, VA_SH + 2 * PAGE_SIZE), 5);
	mm_put(c);
	assert_baseline();
}

/* A split area keeps each half's offset into the object. */
static void test_split_keeps_offsets(void **state)
{
	struct mm *p = mm_create();
	phys_addr_t f;

	(void)state;
	assert_non_null(p);
	map_shared(p, PROT_READ | PROT_WRITE, VMA_MAY_RWX);
	assert_int_equal(vm_fault(p, VA_SH + 3 * PAGE_SIZE, FAULT_WRITE), FAULT_OK);
	f = frame_at(p, VA_SH + 3 * PAGE_SIZE);
	assert_int_equal(mm_protect(p, VA_SH, 2 * PAGE_SIZE, PROT_READ), 0);
	assert_int_equal(mm_discard(p, VA_SH, SH_PAGES * PAGE_SIZE), 0);
	assert_int_equal(vm_fault(p, VA_SH + 3 * PAGE_SIZE, FAULT_READ), FAULT_OK);
	assert_int_equal(frame_at(p, VA_SH + 3 * PAGE_SIZE), f);
	/* The read-only half refuses a store: SIGSEGV, never a copy. */
	assert_int_equal(vm_fault(p, VA_SH, FAULT_WRITE), FAULT_SIGSEGV_ACCERR);
	mm_put(p);
	assert_baseline();
}

/* mprotect grants only what the area may have: a shared read-only file mapping stays so. */
static void test_protect_may(void **state)
{
	struct mm *p = mm_create();

	(void)state;
	assert_non_null(p);
	map_shared(p, PROT_READ, VMA_MAYREAD | VMA_MAYEXEC);
	assert_int_equal(mm_protect(p, VA_SH, PAGE_SIZE, PROT_READ | PROT_WRITE), -EACCES);
	assert_int_equal(mm_protect(p, VA_SH, PAGE_SIZE, PROT_READ | PROT_EXEC), 0);
	assert_int_equal(mm_protect(p, VA_SH, PAGE_SIZE, 0), 0);
	assert_int_equal(vm_fault(p, VA_SH + PAGE_SIZE, FAULT_WRITE), FAULT_SIGSEGV_ACCERR);
	/* A range that runs into an area that may not be written changes nothing. */
	assert_int_equal(vm_map_anon(p, VA_SH - PAGE_SIZE, PAGE_SIZE, PROT_READ, 0), 0);
	assert_int_equal(mm_protect(p, VA_SH - PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE),
			 -EACCES);
	assert_int_equal(vma_find(p, VA_SH - PAGE_SIZE)->prot, PROT_READ);
	mm_put(p);
	assert_baseline();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_pagemap, vm_arena_setup),
	    cmocka_unit_test_setup(test_shmem_frames, vm_arena_setup),
	    cmocka_unit_test_setup(test_shmem_drop, vm_arena_setup),
	    cmocka_unit_test_setup(test_discard_keeps_data, vm_arena_setup),
	    cmocka_unit_test_setup(test_touch_after_fork, vm_arena_setup),
	    cmocka_unit_test_setup(test_split_keeps_offsets, vm_arena_setup),
	    cmocka_unit_test_setup(test_protect_may, vm_arena_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
