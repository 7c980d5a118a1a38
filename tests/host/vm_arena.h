/*
 * vm_arena.h - the fake physical memory the vm/ host tests run on.
 *
 * Include after the vm/ headers, with RAM_BASE and ARENA_SIZE defined.
 *
 *   group_setup / group_teardown   the arena, once per test group
 *   vm_arena_boot()                a fresh allocator over the whole arena,
 *                                  then what boot does before any process:
 *                                  the kernel table, the zero frame, the vDSO's frames
 *   vm_arena_setup, assert_baseline  (with VM_ARENA_BASELINE defined) boot,
 *                                  then check that every frame and kmalloc
 *                                  object taken since has come back
 *   arena_pte_at, arena_frame_at, arena_table_of  what an address space maps

 */
#ifndef HOLSTEIN_VM_ARENA_H
#define HOLSTEIN_VM_ARENA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "vm/vmstat.h"
#include "vm/zero.h"
#include "vm/vdso.h"

/* host_stubs.c */
extern jmp_buf *host_panic_jmp;
void host_panic(const char *fmt, ...) __attribute__((noreturn));

uintptr_t host_phys_offset;	/* vm/phys.h: pa + offset = host address */
static uint8_t *arena;

/* vm_map_anon - mm_map of a demand-zero area, as brk and anonymous mmap make them. */
static inline int vm_map_anon(struct mm *mm, unsigned long va, unsigned long len, unsigned prot,
			      unsigned flags)
{
	return mm_map(mm, &(struct vma){ .start = va, .end = va + len, .prot = prot,
					 .kind = VMA_ANON, .flags = flags | VMA_MAY_RWX });
}

/* arena_pte_at - the level-0 entry for @va in @mm, 0 if none. */
static inline pte_t arena_pte_at(struct mm *mm, unsigned long va)
{
	pte_t *e = pt_walk(mm->root, va, 0);

	return e ? *e : 0;
}

/* arena_frame_at - the frame mapped at @va in @mm, which must be present. */
static inline phys_addr_t arena_frame_at(struct mm *mm, unsigned long va)
{
	pte_t e = arena_pte_at(mm, va);

	assert_true(e & PTE_V);
	return pte_to_pa(e);
}

/* arena_table_of - the level-0 table mapping @va in @mm, 0 if none. */
static inline phys_addr_t arena_table_of(struct mm *mm, unsigned long va)
{
	pte_t r = ((pte_t *)phys_to_virt(mm->root))[pt_index(va, 2)];

	if (!(r & PTE_V) || pte_is_leaf(r))
		return 0;
	r = ((pte_t *)phys_to_virt(pte_to_pa(r)))[pt_index(va, 1)];
	return (r & PTE_V) ? pte_to_pa(r) : 0;
}

static int group_setup(void **state)
{
	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA_SIZE);
	if (!arena)
		return -1;
	host_phys_offset = (uintptr_t)arena - RAM_BASE;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

/* vm_arena_boot - see the top of this file.  0, or -1 when something is missing. */
static int vm_arena_boot(void)
{
	struct pmm_range r = { RAM_BASE, ARENA_SIZE };

	host_panic_jmp = NULL;
	pmm_set_fail_every(0);
	pmm_set_span(0, 0);
	if (pmm_init(&r, 1))
		return -1;
	memset(&vmstat, 0, sizeof(vmstat));
	kvm_root = pt_alloc_root();
	kvm_root_nused = 0;
	if (!kvm_root)
		return -1;
	zero_frame_init();
	vdso_init();
	cow_enabled = 1;
	return 0;
}

#ifdef VM_ARENA_BASELINE
/* What a test starts from: frames free and kmalloc objects once vm_arena_setup is done. */
static size_t baseline_free;
static unsigned long baseline_objs;

/* vm_arena_setup - a cmocka setup: vm_arena_boot, then note the baseline. */
static int vm_arena_setup(void **state)
{
	(void)state;
	if (vm_arena_boot())
		return -1;
	baseline_free = pmm_free_frames();
	baseline_objs = kmalloc_objects();
	return 0;
}

/* assert_baseline - every frame and kmalloc object taken since setup is back. */
static void assert_baseline(void)
{
	assert_int_equal(pmm_free_frames(), baseline_free);
	assert_int_equal(kmalloc_objects(), baseline_objs);
}
#endif

#endif
