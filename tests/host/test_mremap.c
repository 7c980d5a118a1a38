/*
 * test_mremap.c - host test of mremap (vm/mremap.c) over the real page
 * tables, fork and fault path, and of the shared-memory idle hook SysV
 * segments die by (vm/shmem.c, shmem_on_idle).
 *
 * What must hold: a move carries each present entry to its new address
 * with the same frame and the same reference count (no copy, no COW
 * break: a page shared with a fork child stays shared, and its first
 * store after the move copies it as before); the area's fields follow it
 * (file_off, mapped range); a move out of a level-0 table shared by fork
 * leaves the child's view whole; a move that cannot get its tables
 * changes nothing; and every frame comes back.  Linked like test_fault.
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
#include "vm/ptshare.h"
#include "vm/shmem.h"
#include "vm/kmalloc.h"
#include "kernel/errno.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(16UL << 20)
#define VM_ARENA_BASELINE
#include "vm_arena.h"

#define VA_A		0x400000UL	/* sources */
#define VA_B		0x40000000UL	/* targets: another level-1 table */
#define RW		(PROT_READ | PROT_WRITE)

static phys_addr_t frame_at(struct mm *mm, unsigned long va)
{
	pte_t *e = pt_walk(mm->root, va, 0);

	return e && (*e & PTE_V) ? pte_to_pa(*e) : 0;
}

static uint64_t *word(struct mm *mm, unsigned long va)
{
	assert_int_not_equal(frame_at(mm, va), 0);
	return phys_to_virt(frame_at(mm, va));
}

/* touch - store @val at page @va of @mm through the fault path. */
static void touch(struct mm *mm, unsigned long va, uint64_t val)
{
	assert_int_equal(vm_fault(mm, va, FAULT_WRITE), FAULT_OK);
	*word(mm, va) = val;
}

/* Shrink unmaps the tail; a grow into free room stays in place; pages stay put. */
static void test_resize_in_place(void **state)
{
	struct mm *p = mm_create();
	phys_addr_t f;

	(void)state;
	assert_int_equal(vm_map_anon(p, VA_A, 4 * PAGE_SIZE, RW, 0), 0);
	touch(p, VA_A, 1);
	touch(p, VA_A + 3 * PAGE_SIZE, 4);
	f = frame_at(p, VA_A);
	assert_int_equal(mm_remap(p, VA_A, 4 * PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), (long)VA_A);
	assert_int_equal(frame_at(p, VA_A + 3 * PAGE_SIZE), 0);
	assert_null(vma_find(p, VA_A + 2 * PAGE_SIZE));
	assert_int_equal(mm_remap(p, VA_A, 2 * PAGE_SIZE, 8 * PAGE_SIZE, 0, 0), (long)VA_A);
	assert_int_equal(vma_find(p, VA_A)->end, VA_A + 8 * PAGE_SIZE);
	assert_int_equal(frame_at(p, VA_A), f);
	/* No room after a neighbour, no MREMAP_MAYMOVE: ENOMEM, nothing changes. */
	assert_int_equal(vm_map_anon(p, VA_A + 8 * PAGE_SIZE, PAGE_SIZE, RW, 0), 0);
	assert_int_equal(mm_remap(p, VA_A, 8 * PAGE_SIZE, 9 * PAGE_SIZE, 0, 0), -ENOMEM);
	assert_int_equal(mm_remap(p, VA_A, 9 * PAGE_SIZE, 10 * PAGE_SIZE, 0, 0), -EFAULT);
	assert_int_equal(mm_remap(p, VA_A + 1, PAGE_SIZE, PAGE_SIZE, 0, 0), -EINVAL);
	assert_int_equal(mm_remap(p, VA_A, 0, PAGE_SIZE, MREMAP_MAYMOVE, 0), -EINVAL);
	assert_int_equal(frame_at(p, VA_A), f);
	mm_put(p);
	assert_baseline();
}

/*
 * A move after fork carries the COW entries: same frames, same counts,
 * still read-only; the first store copies, and the child keeps its data.
 */
static void test_move_after_fork(void **state)
{
	struct mm *p = mm_create(), *c;
	phys_addr_t f0, f2;

	(void)state;
	assert_int_equal(vm_map_anon(p, VA_A, 4 * PAGE_SIZE, RW, 0), 0);
	touch(p, VA_A, 10);
	touch(p, VA_A + 2 * PAGE_SIZE, 12);
	f0 = frame_at(p, VA_A);
	f2 = frame_at(p, VA_A + 2 * PAGE_SIZE);
	c = mm_fork(p);
	assert_non_null(c);
	assert_int_equal(pmm_refcount(f0), 2);
	assert_int_equal(mm_remap(p, VA_A + PAGE_SIZE, 3 * PAGE_SIZE, 5 * PAGE_SIZE,
				  MREMAP_MAYMOVE | MREMAP_FIXED, VA_B), (long)VA_B);
	assert_int_equal(frame_at(p, VA_A), f0);		/* the head stayed */
	assert_int_equal(frame_at(p, VA_A + 2 * PAGE_SIZE), 0);
	assert_int_equal(frame_at(p, VA_B + PAGE_SIZE), f2);
	assert_int_equal(pmm_refcount(f2), 2);
	assert_false(*pt_walk(p->root, VA_B + PAGE_SIZE, 0) & PTE_W);
	struct vma *v = vma_find(p, VA_B);
	assert_int_equal(v->end, VA_B + 5 * PAGE_SIZE);
	assert_true(v->mapped_lo <= VA_B + PAGE_SIZE && v->mapped_hi >= VA_B + 2 * PAGE_SIZE);
	assert_int_equal(vma_find(p, VA_A)->end, VA_A + PAGE_SIZE);
	touch(p, VA_B + PAGE_SIZE, 99);
	assert_int_not_equal(frame_at(p, VA_B + PAGE_SIZE), f2);
	assert_int_equal(*word(c, VA_A + 2 * PAGE_SIZE), 12);
	assert_int_equal(pmm_refcount(f2), 1);
	/* A fork of the moved area still shares it. */
	struct mm *g = mm_fork(p);
	assert_non_null(g);
	assert_int_equal(*word(g, VA_B + PAGE_SIZE), 99);
	mm_put(g);
	mm_put(c);
	mm_put(p);
	assert_baseline();
}

/* A big area whose level-0 table fork shared moves out of it; the child's view is whole. */
static void test_move_shared_table(void **state)
{
	unsigned long n = PTSHARE_MIN_PAGES + 8;
	struct mm *p = mm_create(), *c;

	(void)state;
	assert_int_equal(vm_map_anon(p, VA_A, n * PAGE_SIZE, RW, 0), 0);
	for (unsigned long i = 0; i < n; i++)
		touch(p, VA_A + i * PAGE_SIZE, i);
	/* A neighbour after it: the grow must move (to a place mm_find_free picks). */
	assert_int_equal(vm_map_anon(p, VA_A + n * PAGE_SIZE, PAGE_SIZE, RW, 0), 0);
	c = mm_fork(p);
	assert_non_null(c);
	assert_true(ptshare_is_shared(pt_walk(p->root, VA_A, 0)));
	long to = mm_remap(p, VA_A, n * PAGE_SIZE, (n + 1) * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	assert_true(to > 0 && (unsigned long)to != VA_A);
	for (unsigned long i = 0; i < n; i++) {
		assert_int_equal(*word(p, to + i * PAGE_SIZE), i);
		assert_int_equal(*word(c, VA_A + i * PAGE_SIZE), i);
		assert_int_equal(frame_at(p, to + i * PAGE_SIZE), frame_at(c, VA_A + i * PAGE_SIZE));
	}
	assert_int_equal(frame_at(p, VA_A), 0);
	mm_put(p);
	mm_put(c);
	assert_baseline();
}

/* Out of frames for the target's tables: ENOMEM, and the pages have not moved. */
static void test_move_oom(void **state)
{
	struct mm *p = mm_create();
	phys_addr_t f;

	(void)state;
	assert_int_equal(vm_map_anon(p, VA_A, 2 * PAGE_SIZE, RW, 0), 0);
	touch(p, VA_A, 5);
	f = frame_at(p, VA_A);
	pmm_set_fail_every(1);
	assert_int_equal(mm_remap(p, VA_A, 2 * PAGE_SIZE, 2 * PAGE_SIZE,
				  MREMAP_MAYMOVE | MREMAP_FIXED, VA_B), -ENOMEM);
	pmm_set_fail_every(0);
	assert_int_equal(frame_at(p, VA_A), f);
	assert_int_equal(*word(p, VA_A), 5);
	mm_put(p);
	assert_baseline();
}

static int idle_calls;
static void count_idle(struct shmem *s)
{
	(void)s;
	idle_calls++;
}

/*
 * Shared memory: a move keeps the object's frames; old_len 0 maps them a
 * second time; the idle hook fires each time the mappings are all gone.
 */
static void test_shared_idle(void **state)
{
	struct mm *p = mm_create();
	struct shmem *s = shmem_create(2);
	phys_addr_t f;

	(void)state;
	shmem_on_idle(s, count_idle);
	assert_int_equal(mm_map(p, &(struct vma){ .start = VA_A, .end = VA_A + 2 * PAGE_SIZE,
						  .prot = RW, .kind = VMA_SHMEM,
						  .flags = VMA_SHARED | VMA_MAY_RWX, .mem = s }), 0);
	assert_int_equal(shmem_users(s), 2);
	touch(p, VA_A, 3);
	f = frame_at(p, VA_A);
	assert_int_equal(mm_remap(p, VA_A, 2 * PAGE_SIZE, 2 * PAGE_SIZE,
				  MREMAP_MAYMOVE | MREMAP_FIXED, VA_B), (long)VA_B);
	assert_int_equal(frame_at(p, VA_B), f);
	assert_int_equal(mm_remap(p, VA_B, 0, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, VA_A),
			 (long)VA_A);
	assert_int_equal(shmem_users(s), 3);
	assert_int_equal(vm_fault(p, VA_A, FAULT_READ), FAULT_OK);
	assert_int_equal(frame_at(p, VA_A), f);
	assert_int_equal(mm_unmap(p, VA_B, 2 * PAGE_SIZE), 0);
	assert_int_equal(idle_calls, 0);
	assert_int_equal(mm_unmap(p, VA_A, PAGE_SIZE), 0);
	assert_int_equal(idle_calls, 1);
	assert_int_equal(shmem_users(s), 1);
	shmem_put(s);
	assert_int_equal(idle_calls, 1);	/* to zero: the object dies, no call */
	mm_put(p);
	assert_baseline();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_resize_in_place, vm_arena_setup),
	    cmocka_unit_test_setup(test_move_after_fork, vm_arena_setup),
	    cmocka_unit_test_setup(test_move_shared_table, vm_arena_setup),
	    cmocka_unit_test_setup(test_move_oom, vm_arena_setup),
	    cmocka_unit_test_setup(test_shared_idle, vm_arena_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
