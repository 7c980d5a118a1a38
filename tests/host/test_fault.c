/*
 * test_fault.c - host test of vm_fault's present-page rules (vm/fault.c):
 * the A/D bits that the JH7110's U74 cores leave to software.
 *
 * A SiFive core does not set A or D itself: the first load, fetch or store
 * through a PTE with A (or, for a store, D) clear raises a page fault on a
 * page that is mapped and allowed.  vm_fault must then set the bit and
 * nothing else: same frame, same permissions, no copy, FAULT_OK.  A fault
 * the PTE does not allow stays a SIGSEGV and leaves the PTE alone, and a
 * store to a copy-on-write page still goes to cow_fault, not the A/D path.
 * Last, an absent file page comes from the file's memory object (shmem.h):
 * the cache's frame shared COW, a private copy of the file's last page,
 * SIGBUS past it.
 *
 * Linked like test_vm (vm/ objects built with -DHOST_TEST, host_stubs.c)
 * plus vm/fault.c; "physical
 * memory" is a small arena at RAM_BASE.
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
#include "vm/pager.h"
#include "vm/shmem.h"
#include "vm/kmalloc.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(4UL << 20)
#include "vm_arena.h"

#define VA_DATA		0x10000UL	/* PROT_READ|PROT_WRITE anonymous */
#define VA_TEXT		0x20000UL	/* PROT_READ|PROT_EXEC anonymous */
#define VA_XONLY	0x30000UL	/* PROT_EXEC only */

static struct mm *mm;

/* setup - a fresh allocator, boot's frames, and one address space with three VMAs. */
static int setup(void **state)
{
	(void)state;
	if (vm_arena_boot())
		return -1;
	mm = mm_create();
	if (!mm ||
	    vm_map_anon(mm, VA_DATA, PAGE_SIZE, PROT_READ | PROT_WRITE, 0) ||
	    vm_map_anon(mm, VA_TEXT, PAGE_SIZE, PROT_READ | PROT_EXEC, 0) ||
	    vm_map_anon(mm, VA_XONLY, PAGE_SIZE, PROT_EXEC, 0))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (mm)
		mm_put(mm);
	mm = NULL;
	return 0;
}

/*
 * map - a fresh frame at @va with exactly @flags (V added), written straight
 * into the table (the mapping owns the frame's one reference, as after a
 * fault, so mm_put frees it); returns the frame.
 */
static phys_addr_t map(unsigned long va, uint64_t flags)
{
	phys_addr_t pa = pmm_alloc_zeroed();
	pte_t *e;

	assert_int_not_equal(pa, 0);
	e = pt_walk(mm->root, va, 1);
	assert_non_null(e);
	*e = pa_to_pte(pa) | flags | PTE_V;
	return pa;
}

static pte_t pte_at(unsigned long va)
{
	pte_t *e = pt_walk(mm->root, va, 0);

	assert_non_null(e);
	return *e;
}

/*
 * check_fix - map @va with @before, fault it with @access at an address
 * inside the page, and expect FAULT_OK with the PTE now exactly @after and
 * the frame untouched (no copy: the count is still 1).
 */
static void check_fix(unsigned long va, uint64_t before, enum fault_access access, uint64_t after)
{
	phys_addr_t pa = map(va, before);
	size_t nfree = pmm_free_frames();

	assert_int_equal(vm_fault(mm, va + 0x123, access), FAULT_OK);
	assert_int_equal(pte_at(va), pa_to_pte(pa) | after | PTE_V);
	assert_int_equal(pmm_refcount(pa), 1);
	assert_int_equal(pmm_free_frames(), nfree);
	assert_int_equal(vmstat.cow_fault, 0);
	assert_int_equal(vmstat.zero_fill, 0);
}

/* check_refused - as check_fix, but the access is not allowed: SIGSEGV, PTE unchanged. */
static void check_refused(unsigned long va, uint64_t flags, enum fault_access access)
{
	phys_addr_t pa = map(va, flags);

	assert_int_equal(vm_fault(mm, va, access), FAULT_SIGSEGV_ACCERR);
	assert_int_equal(pte_at(va), pa_to_pte(pa) | flags | PTE_V);
}

#define U_RW	(PTE_U | PTE_R | PTE_W)
#define U_RX	(PTE_U | PTE_R | PTE_X)

/* A store to a writable page with D clear (A already set): only D is added. */
static void test_store_sets_dirty(void **state)
{
	(void)state;
	check_fix(VA_DATA, U_RW | PTE_A, FAULT_WRITE, U_RW | PTE_A | PTE_D);
}

/* The first access of all is a store: A and D both (a store is an access too). */
static void test_store_sets_accessed_and_dirty(void **state)
{
	(void)state;
	check_fix(VA_DATA, U_RW, FAULT_WRITE, U_RW | PTE_A | PTE_D);
}

/* A load from a readable page with A clear: only A; a clean page stays clean. */
static void test_load_sets_accessed(void **state)
{
	(void)state;
	check_fix(VA_DATA, U_RW, FAULT_READ, U_RW | PTE_A);
}

/* A fetch from an executable page with A clear: only A. */
static void test_fetch_sets_accessed(void **state)
{
	(void)state;
	check_fix(VA_TEXT, U_RX, FAULT_EXEC, U_RX | PTE_A);
}

/* Execute-only text (no R): a fetch still only gains A. */
static void test_fetch_execute_only(void **state)
{
	(void)state;
	check_fix(VA_XONLY, PTE_U | PTE_X, FAULT_EXEC, PTE_U | PTE_X | PTE_A);
}

/* Faults the PTE does not allow are real faults, whatever A and D say. */
static void test_refusals(void **state)
{
	(void)state;
	check_refused(VA_TEXT, U_RX, FAULT_WRITE);		/* store to text */
	check_refused(VA_DATA, U_RW, FAULT_EXEC);		/* fetch from data */
	check_refused(VA_XONLY, PTE_U | PTE_X, FAULT_READ);	/* load from execute-only */
}

/* A store to a COW page is cow_fault's, not an A/D fix: sole owner, so reuse. */
static void test_store_to_cow_goes_to_cow_fault(void **state)
{
	phys_addr_t pa;

	(void)state;
	pa = map(VA_DATA, PTE_U | PTE_R | PTE_COW);
	assert_int_equal(vm_fault(mm, VA_DATA, FAULT_WRITE), FAULT_OK);
	assert_int_equal(vmstat.cow_fault, 1);
	assert_int_equal(pte_to_pa(pte_at(VA_DATA)), pa);
	assert_true(pte_at(VA_DATA) & PTE_W);
	assert_false(pte_at(VA_DATA) & PTE_COW);
	assert_true(pte_at(VA_DATA) & PTE_D);
}

/* Outside user space, or with no address space at all: SIGSEGV, and still counted. */
static void test_bad_addresses(void **state)
{
	(void)state;
	assert_int_equal(vm_fault(mm, USER_TOP, FAULT_READ), FAULT_SIGSEGV);
	assert_int_equal(vm_fault(NULL, VA_DATA, FAULT_READ), FAULT_SIGSEGV);
	assert_int_equal(vmstat.pgfault, 2);
}

/*
 * A file: a memory object (vm/shmem.h) of FILE_BYTES bytes, its page
 * cache, mapped private and writable at VA_FILE with one page more than
 * the file has, as exec maps an ELF segment (file_end mid-page).  The VMA
 * holds the file through a test pager, which counts holds and releases.
 */
#define VA_FILE		0x40000UL
#define FILE_PAGES	3
#define FILE_BYTES	(2 * PAGE_SIZE + 100)	/* page 2 holds the end of the file */

static phys_addr_t file_cache[FILE_PAGES];
static struct shmem *file_mem;
static int file_object;		/* its address is the object: the pager must pass it back */
static int file_holds;

static void test_hold(void *obj)
{
	assert_ptr_equal(obj, &file_object);
	file_holds++;
}

static void test_release(void *obj)
{
	assert_ptr_equal(obj, &file_object);
	file_holds--;
}

static const char *test_name(void *obj, unsigned long *ino)
{
	(void)obj;
	*ino = 42;
	return "/test";
}

static const struct vm_pager test_pager = { .hold = test_hold, .release = test_release,
					    .name = test_name };

/* map_file - the cache (each byte its page number + 1) and the VMA. */
static void map_file(void)
{
	int err;

	file_mem = shmem_create_file(NULL);
	assert_non_null(file_mem);
	for (int i = 0; i < FILE_PAGES; i++) {
		file_cache[i] = shmem_page(file_mem, i, 1, &err);
		assert_int_not_equal(file_cache[i], 0);
		memset(phys_to_virt(file_cache[i]), i + 1, PAGE_SIZE);
		pmm_put(file_cache[i]);		/* the object keeps its own reference */
	}
	shmem_extend(file_mem, FILE_BYTES);
	assert_int_equal(mm_map(mm, &(struct vma){ .start = VA_FILE,
						  .end = VA_FILE + (FILE_PAGES + 1) * PAGE_SIZE,
						  .prot = PROT_READ | PROT_WRITE, .kind = VMA_FILE,
						  .flags = VMA_MAY_RWX, .mem = file_mem,
						  .pager = &test_pager, .object = &file_object,
						  .file_end = VA_FILE + FILE_BYTES }), 0);
	assert_int_equal(file_holds, 1);
}

/*
 * A read maps the cache frame itself, COW; a store copies it; the page
 * holding the end of the file is a private copy zeroed past the end; a
 * page past the end is SIGBUS.
 */
static void test_file_pages_through_pager(void **state)
{
	struct mm_rss rss;
	unsigned char *p;

	(void)state;
	map_file();
	assert_int_equal(vm_fault(mm, VA_FILE, FAULT_READ), FAULT_OK);
	assert_int_equal(pte_to_pa(pte_at(VA_FILE)), file_cache[0]);
	assert_true(pte_at(VA_FILE) & PTE_COW);
	assert_false(pte_at(VA_FILE) & PTE_W);
	assert_int_equal(pmm_refcount(file_cache[0]), 2);

	assert_int_equal(vm_fault(mm, VA_FILE + PAGE_SIZE, FAULT_WRITE), FAULT_OK);
	assert_int_not_equal(pte_to_pa(pte_at(VA_FILE + PAGE_SIZE)), file_cache[1]);
	assert_true(pte_at(VA_FILE + PAGE_SIZE) & PTE_W);
	assert_int_equal(pmm_refcount(file_cache[1]), 1);
	assert_int_equal(vmstat.cow_copy, 1);
	p = phys_to_virt(pte_to_pa(pte_at(VA_FILE + PAGE_SIZE)));
	assert_int_equal(p[0], 2);

	assert_int_equal(vm_fault(mm, VA_FILE + 2 * PAGE_SIZE, FAULT_READ), FAULT_OK);
	assert_int_not_equal(pte_to_pa(pte_at(VA_FILE + 2 * PAGE_SIZE)), file_cache[2]);
	p = phys_to_virt(pte_to_pa(pte_at(VA_FILE + 2 * PAGE_SIZE)));
	assert_int_equal(p[99], 3);
	assert_int_equal(p[100], 0);

	assert_int_equal(vm_fault(mm, VA_FILE + 3 * PAGE_SIZE, FAULT_READ), FAULT_SIGBUS);

	mm_rss(mm, &rss);	/* page 0 is the cache's frame: clean */
	assert_int_equal(rss.shared_clean, 1);
	assert_int_equal(rss.private_dirty, 2);

	mm_put(mm);
	mm = NULL;
	assert_int_equal(file_holds, 0);	/* the VMA let go of the file */
	shmem_put(file_mem);
}

/*
 * mm_copy_in (exec's stack): a fresh private frame with the area's
 * protection, written in place on the next call; -EFAULT where no
 * anonymous area is, after the bytes before it.
 */
static void test_copy_in(void **state)
{
	const char msg[] = "argv";
	unsigned char *p;

	(void)state;
	assert_int_equal(mm_copy_in(mm, VA_DATA + 10, msg, sizeof(msg)), 0);
	assert_int_equal(pte_flags(pte_at(VA_DATA)), mm_prot_to_pte(PROT_READ | PROT_WRITE) | PTE_V);
	assert_int_equal(pmm_refcount(pte_to_pa(pte_at(VA_DATA))), 1);
	p = phys_to_virt(pte_to_pa(pte_at(VA_DATA)));
	assert_memory_equal(p + 10, msg, sizeof(msg));
	assert_int_equal(mm_copy_in(mm, VA_DATA + PAGE_SIZE - 2, msg, sizeof(msg)), -EFAULT);
	assert_memory_equal(p + PAGE_SIZE - 2, msg, 2);
	assert_int_equal(p[10], 'a');
	assert_int_equal(vmstat.pgfault, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_store_sets_dirty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_sets_accessed_and_dirty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_sets_accessed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fetch_sets_accessed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fetch_execute_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_to_cow_goes_to_cow_fault, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_addresses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_pages_through_pager, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_copy_in, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
