/*
 * test_ptshare.c - host test of COW fork with shared level-0 page tables
 * (vm/ptshare.c, with vm/fault.c, mm.c, fork.c, cow.c, pt.c and pmm.c built
 * with -DHOST_TEST; linked like test_fault).
 *
 * The rules under test are in vm/ptshare.h.  Besides the targeted cases
 * (share at fork, unshare on the first change, teardown in every order,
 * munmap/mprotect/MADV_DONTNEED isolation, out of memory), every test can
 * run check_world() over all live address spaces: it recomputes every
 * frame's expected count from the page tables alone (a table's count is the
 * number of address spaces hanging it; a frame's is the number of distinct
 * tables mapping it, plus the zero frame's permanent reference), checks that
 * no table with more than one owner has a private writable entry, that every
 * present PTE lies in some VMA's [mapped_lo, mapped_hi), and that the frames
 * in use are exactly the frames missing from the free count (no leak).
 *
 * The test_bug_* cases are regressions: each reproduced a real bug found in
 * review (out of memory while unsharing), fixed since.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm/pmm.h"
#include "vm/pt.h"
#include "vm/mm.h"
#include "vm/fault.h"
#include "vm/ptshare.h"
#include "vm/phys.h"
#include "vm/kvm.h"
#include "vm/kmalloc.h"
#include "test_util.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(32UL << 20)
#define VM_ARENA_BASELINE
#include "vm_arena.h"
#define ARENA_FRAMES	(ARENA_SIZE / PAGE_SIZE)
#define REGION		(2UL << 20)			/* what one level-0 table maps */
#define RPAGES		512				/* pages per region */
#define SEED		0x5074536861726521ull

#define VA_BIG		0x40000000UL	/* one region-aligned 2 MiB VMA */
#define VA_SMALL	0x10000UL	/* a small VMA in another region */
#define SMALL_PAGES	16
#define SMALL_PRESENT	4
#define VA_SPAN		0x60000000UL	/* a VMA over three regions */

/* A private writable user page, as a fault leaves it. */
#define F_RW		(PTE_U | PTE_R | PTE_W | PTE_A | PTE_D)
#define F_COW		(PTE_U | PTE_R | PTE_A | PTE_D | PTE_COW)

static int teardown(void **state)
{
	(void)state;
	pmm_set_fail_every(0);
	cow_enabled = 1;
	return 0;
}

/* --- page contents: every word of a page holds its 64-bit tag --------------------- */

static uint64_t *words(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

static void fill_tag(phys_addr_t pa, uint64_t tag)
{
	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		words(pa)[i] = tag;
}

static bool has_tag(phys_addr_t pa, uint64_t tag)
{
	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		if (words(pa)[i] != tag)
			return false;
	return true;
}

/* tag_of - what a page of @va at index @i of the BIG or SPAN area starts with. */
static uint64_t tag_of(unsigned long va)
{
	return 0x1000000000000000ull | va;
}

/* --- building address spaces ---------------------------------------------------- */

static struct mm *new_mm(void)
{
	struct mm *mm = mm_create();

	assert_non_null(mm);
	return mm;
}

static void map_anon(struct mm *mm, unsigned long va, unsigned long len)
{
	assert_int_equal(vm_map_anon(mm, va, len, PROT_READ | PROT_WRITE, 0), 0);
}

/* install - a fresh private writable frame holding tag_of(@va) at @va. */
static phys_addr_t install(struct mm *mm, unsigned long va)
{
	phys_addr_t pa = pmm_alloc();

	assert_int_not_equal(pa, 0);
	fill_tag(pa, tag_of(va));
	assert_int_equal(mm_install_page(mm, va, pa, F_RW), 0);
	return pa;
}

static void install_range(struct mm *mm, unsigned long va, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		install(mm, va + i * PAGE_SIZE);
}

/*
 * make_big - a 2 MiB VMA at VA_BIG with @n present pages from its start,
 * and a 16-page VMA at VA_SMALL with 4 present pages.
 */
static struct mm *make_big(unsigned n)
{
	struct mm *mm = new_mm();

	map_anon(mm, VA_BIG, REGION);
	install_range(mm, VA_BIG, n);
	map_anon(mm, VA_SMALL, SMALL_PAGES * PAGE_SIZE);
	install_range(mm, VA_SMALL, SMALL_PRESENT);
	return mm;
}

static struct mm *fork_ok(struct mm *mm)
{
	struct mm *c = mm_fork(mm);

	assert_non_null(c);
	return c;
}

/* --- the oracle ------------------------------------------------------------------- */

#define MAX_MMS 8

static unsigned w_owners[ARENA_FRAMES];	/* level-0 table: l1 entries pointing at it */
static unsigned w_maps[ARENA_FRAMES];	/* leaf frame: entries in distinct tables */
static unsigned char w_kind[ARENA_FRAMES];	/* 1 root, 2 level-1, 3 level-0, 4 leaf */

static size_t fidx(phys_addr_t pa)
{
	assert_true(pa >= RAM_BASE && pa < RAM_BASE + ARENA_SIZE);
	assert_int_equal(pa & (PAGE_SIZE - 1), 0);
	return (pa - RAM_BASE) / PAGE_SIZE;
}

static phys_addr_t fpa(size_t i)
{
	return RAM_BASE + i * PAGE_SIZE;
}

static bool in_some_hint(struct mm *mm, unsigned long va)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (va >= v->mapped_lo && va < v->mapped_hi && va >= v->start && va < v->end)
			return true;
	return false;
}

/*
 * check_world - the ptshare.h invariants over the @n live address spaces
 * in @mms (which must be every address space there is).
 */
static void check_world(struct mm **mms, int n)
{
	size_t used = 0;

	memset(w_owners, 0, sizeof(w_owners));
	memset(w_maps, 0, sizeof(w_maps));
	memset(w_kind, 0, sizeof(w_kind));
	for (int m = 0; m < n; m++) {
		pte_t *root = phys_to_virt(mms[m]->root);

		assert_int_equal(w_kind[fidx(mms[m]->root)], 0);
		w_kind[fidx(mms[m]->root)] = 1;
		for (int i = 0; i < 256; i++) {
			if (!(root[i] & PTE_V))
				continue;
			assert_false(pte_is_leaf(root[i]));
			phys_addr_t l1 = pte_to_pa(root[i]);
			assert_int_equal(w_kind[fidx(l1)], 0);	/* level-1 tables are never shared */
			w_kind[fidx(l1)] = 2;
			pte_t *t1 = phys_to_virt(l1);
			for (int j = 0; j < PT_ENTRIES; j++) {
				if (!(t1[j] & PTE_V))
					continue;
				assert_false(pte_is_leaf(t1[j]));
				phys_addr_t t0 = pte_to_pa(t1[j]);
				assert_true(w_kind[fidx(t0)] == 0 || w_kind[fidx(t0)] == 3);
				w_kind[fidx(t0)] = 3;
				w_owners[fidx(t0)]++;
				/* Every present entry is inside a VMA's mapped hint (mm.h). */
				pte_t *t = phys_to_virt(t0);
				for (int k = 0; k < PT_ENTRIES; k++) {
					unsigned long va = ((unsigned long)i << 30) | ((unsigned long)j << 21) |
							   ((unsigned long)k << 12);
					if (!(t[k] & PTE_V))
						continue;
					if (!in_some_hint(mms[m], va))
						fail_msg("mm %d: present PTE at %#lx outside every VMA hint", m, va);
				}
			}
		}
	}
	/* Each distinct level-0 table holds one reference per entry, whatever its owners. */
	for (size_t t = 0; t < ARENA_FRAMES; t++) {
		if (w_kind[t] != 3)
			continue;
		pte_t *e = phys_to_virt(fpa(t));
		for (int k = 0; k < PT_ENTRIES; k++) {
			if (!(e[k] & PTE_V))
				continue;
			assert_false((e[k] & PTE_W) && (e[k] & PTE_COW));
			if ((e[k] & PTE_W) && !(e[k] & PTE_SHARED) && w_owners[t] > 1)
				fail_msg("table %#lx has %u owners and a writable private entry %d",
					 (unsigned long)fpa(t), w_owners[t], k);
			phys_addr_t f = pte_to_pa(e[k]);
			assert_true(w_kind[fidx(f)] == 0 || w_kind[fidx(f)] == 4);
			w_kind[fidx(f)] = 4;
			w_maps[fidx(f)]++;
		}
	}
	for (size_t i = 0; i < ARENA_FRAMES; i++) {
		phys_addr_t pa = fpa(i);
		unsigned want;

		switch (w_kind[i]) {
		case 0:
			continue;
		case 1:
		case 2:
			want = 1;
			break;
		case 3:
			want = w_owners[i];
			break;
		default:
			want = w_maps[i] + (pa == zero_frame) + vdso_is_frame(pa);
			break;
		}
		if (pmm_refcount(pa) != want)
			fail_msg("frame %#lx (kind %d): count %u, expected %u", (unsigned long)pa,
				 w_kind[i], pmm_refcount(pa), want);
		if (pa != zero_frame && !vdso_is_frame(pa))
			used++;
	}
	/* Private writable entries: their frame is mapped by that table alone. */
	for (size_t t = 0; t < ARENA_FRAMES; t++) {
		if (w_kind[t] != 3)
			continue;
		pte_t *e = phys_to_virt(fpa(t));
		for (int k = 0; k < PT_ENTRIES; k++)
			if ((e[k] & PTE_V) && (e[k] & PTE_W) && !(e[k] & PTE_SHARED))
				assert_int_equal(w_maps[fidx(pte_to_pa(e[k]))], 1);
	}
	/* No leak, no double free: in use = taken from the allocator since setup. */
	assert_int_equal(baseline_free - pmm_free_frames(), used);
}

static void check1(struct mm *a)
{
	check_world(&a, 1);
}

static void check2(struct mm *a, struct mm *b)
{
	struct mm *m[2] = { a, b };

	check_world(m, 2);
}

static void check3(struct mm *a, struct mm *b, struct mm *c)
{
	struct mm *m[3] = { a, b, c };

	check_world(m, 3);
}

/* --- what a user access does ------------------------------------------------------ */

/* user_write - a store of @tag to the page at @va: fault if the PTE does not allow it. */
static enum fault_result user_write(struct mm *mm, unsigned long va, uint64_t tag)
{
	pte_t e = arena_pte_at(mm, va);

	if (!(e & PTE_V) || !(e & PTE_W)) {
		enum fault_result r = vm_fault(mm, va, FAULT_WRITE);
		if (r != FAULT_OK)
			return r;
		e = arena_pte_at(mm, va);
		assert_true(e & PTE_V);
		assert_true(e & PTE_W);
	}
	fill_tag(pte_to_pa(e), tag);
	return FAULT_OK;
}

/* user_read - a load from @va: its tag (0 for a zero page). */
static enum fault_result user_read(struct mm *mm, unsigned long va, uint64_t *tag)
{
	pte_t e = arena_pte_at(mm, va);

	if (!(e & PTE_V) || !(e & PTE_R)) {
		enum fault_result r = vm_fault(mm, va, FAULT_READ);
		if (r != FAULT_OK)
			return r;
		e = arena_pte_at(mm, va);
		assert_true(e & PTE_V);
	}
	*tag = words(pte_to_pa(e))[0];
	return FAULT_OK;
}

/*
 * The other hart.  The test binary is linked with --wrap=pmm_alloc and
 * --wrap=pmm_alloc_zeroed (host.mk), so every frame allocation vm/ makes
 * outside pmm.c comes through here first.  A test arms other_hart() to run
 * once, at the @skip-th allocation from now: what a second hart, working
 * on another address space under its own mm->lock, may do while this one
 * is between two steps (say, between reading a table's count and
 * releasing it, in unshare).  That explores the interleavings at every
 * allocation point, deterministically.
 */
phys_addr_t __real_pmm_alloc(void);
phys_addr_t __real_pmm_alloc_zeroed(void);
static void (*hook_fn)(int);
static int hook_arg, hook_skip, hook_fired;

static void other_hart(void (*fn)(int), int arg, int skip)
{
	hook_fn = fn;
	hook_arg = arg;
	hook_skip = skip;
	hook_fired = 0;
}

static void maybe_run_hook(void)
{
	if (hook_fn && hook_skip-- == 0) {
		void (*fn)(int) = hook_fn;

		hook_fn = NULL;		/* once; and the hook's own allocations pass */
		hook_fired = 1;
		fn(hook_arg);
	}
}

phys_addr_t __wrap_pmm_alloc(void)
{
	maybe_run_hook();
	return __real_pmm_alloc();
}

phys_addr_t __wrap_pmm_alloc_zeroed(void)
{
	maybe_run_hook();
	return __real_pmm_alloc_zeroed();
}

/* hog - take every free frame but @keep; returns them in a malloc'd array. */
static phys_addr_t *hog(size_t keep, size_t *n)
{
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));

	assert_non_null(f);
	*n = 0;
	while (pmm_free_frames() > keep)
		f[(*n)++] = pmm_alloc();
	return f;
}

static void unhog(phys_addr_t *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pmm_put(f[i]);
	free(f);
}

/*
 * fail_after - from now on, the next @k allocations (frames or kmalloc)
 * succeed and the one after fails, then every @n-th again (k < n).
 */
static void fail_after(unsigned n, unsigned k)
{
	pmm_set_fail_every(n);
	while (!pmm_fail_injected())
		;
	for (unsigned i = 0; i < n - 1 - k; i++)
		assert_false(pmm_fail_injected());
}

/* --- sharing at fork -------------------------------------------------------------- */

/* A region with 300 mapped pages is shared; the small one is copied entry by entry. */
static void test_fork_shares_big_table(void **state)
{
	struct mm *p, *c;
	phys_addr_t t;
	pte_t snap[RPAGES];

	(void)state;
	p = make_big(300);
	t = arena_table_of(p, VA_BIG);
	assert_int_not_equal(t, 0);
	c = fork_ok(p);

	/* The same table, two owners; nothing else about it changed hands. */
	assert_int_equal(arena_table_of(c, VA_BIG), t);
	assert_int_equal(pmm_refcount(t), 2);
	assert_true(ptshare_is_shared(pt_walk(c->root, VA_BIG, 0)));
	for (unsigned i = 0; i < RPAGES; i++) {
		unsigned long va = VA_BIG + i * PAGE_SIZE;
		pte_t e = arena_pte_at(p, va);

		snap[i] = e;
		if (i >= 300) {
			assert_int_equal(e, 0);
			continue;
		}
		/* Write-protected, COW, same frame, A/D kept; frames still one owner: the table. */
		assert_int_equal(pte_flags(e), F_COW | PTE_V);
		assert_int_equal(pmm_refcount(pte_to_pa(e)), 1);
		assert_true(has_tag(pte_to_pa(e), tag_of(va)));
	}
	/* The small region: a table of its own, one more reference per page. */
	assert_int_not_equal(arena_table_of(c, VA_SMALL), arena_table_of(p, VA_SMALL));
	assert_int_equal(pmm_refcount(arena_table_of(p, VA_SMALL)), 1);
	assert_int_equal(pmm_refcount(arena_table_of(c, VA_SMALL)), 1);
	for (unsigned i = 0; i < SMALL_PAGES; i++) {
		unsigned long va = VA_SMALL + i * PAGE_SIZE;

		assert_int_equal(arena_pte_at(p, va), arena_pte_at(c, va));
		if (i >= SMALL_PRESENT) {
			assert_int_equal(arena_pte_at(c, va), 0);
			continue;
		}
		assert_int_equal(pte_flags(arena_pte_at(c, va)), F_COW | PTE_V);
		assert_int_equal(pmm_refcount(arena_frame_at(c, va)), 2);
	}
	/* No page was copied, no fault counted. */
	assert_int_equal(vmstat.cow_copy + vmstat.cow_fault, 0);
	check2(p, c);

	/* The child exits: the parent's table is its own again, untouched. */
	mm_put(c);
	assert_int_equal(pmm_refcount(t), 1);
	for (unsigned i = 0; i < RPAGES; i++)
		assert_int_equal(arena_pte_at(p, VA_BIG + i * PAGE_SIZE), snap[i]);
	assert_int_equal(pmm_refcount(arena_frame_at(p, VA_SMALL)), 1);
	check1(p);
	mm_put(p);
	assert_baseline();
}

/* mm_rss: pages in a shared table count as shared, though each frame has one owner. */
static void test_rss_sees_shared_table(void **state)
{
	struct mm *p, *c;
	struct mm_rss r;

	(void)state;
	p = make_big(300);
	mm_rss(p, &r);
	assert_int_equal(r.private_dirty, 300 + SMALL_PRESENT);
	c = fork_ok(p);
	mm_rss(c, &r);
	assert_int_equal(r.shared_dirty, 300 + SMALL_PRESENT);
	assert_int_equal(r.private_dirty + r.private_clean, 0);
	mm_put(p);
	mm_rss(c, &r);
	assert_int_equal(r.private_dirty, 300 + SMALL_PRESENT);
	mm_put(c);
	assert_baseline();
}

/* The threshold: PTSHARE_MIN_PAGES pages of mapped span, summed over the region's VMAs. */
static void test_share_threshold(void **state)
{
	static const struct {
		unsigned lo_pages, hi_pages;	/* installed at the start of two 1 MiB VMAs */
		bool two_vmas, sparse, shared;
	} cases[] = {
		{ PTSHARE_MIN_PAGES - 1, 0, false, false, false },
		{ PTSHARE_MIN_PAGES, 0, false, false, true },
		{ 128, 127, true, false, false },
		{ 128, 128, true, false, true },
		/* Span, not presence: pages 0 and 299 only still share. */
		{ 300, 0, false, true, true },
	};

	(void)state;
	for (size_t n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		struct mm *p = new_mm(), *c;

		if (cases[n].two_vmas) {
			map_anon(p, VA_BIG, REGION / 2);
			map_anon(p, VA_BIG + REGION / 2, REGION / 2);
			install_range(p, VA_BIG, cases[n].lo_pages);
			install_range(p, VA_BIG + REGION / 2, cases[n].hi_pages);
		} else if (cases[n].sparse) {
			map_anon(p, VA_BIG, REGION);
			install(p, VA_BIG);
			install(p, VA_BIG + (cases[n].lo_pages - 1) * PAGE_SIZE);
		} else {
			map_anon(p, VA_BIG, REGION);
			install_range(p, VA_BIG, cases[n].lo_pages);
		}
		c = fork_ok(p);
		if (cases[n].shared) {
			assert_int_equal(arena_table_of(c, VA_BIG), arena_table_of(p, VA_BIG));
			assert_int_equal(pmm_refcount(arena_table_of(p, VA_BIG)), 2);
			assert_int_equal(pmm_refcount(arena_frame_at(c, VA_BIG)), 1);
		} else {
			assert_int_not_equal(arena_table_of(c, VA_BIG), arena_table_of(p, VA_BIG));
			assert_int_equal(pmm_refcount(arena_table_of(p, VA_BIG)), 1);
			assert_int_equal(pmm_refcount(arena_frame_at(c, VA_BIG)), 2);
		}
		assert_int_equal(pte_flags(arena_pte_at(c, VA_BIG)), F_COW | PTE_V);
		check2(p, c);
		if (n & 1) {
			mm_put(p);
			check1(c);
			mm_put(c);
		} else {
			mm_put(c);
			check1(p);
			mm_put(p);
		}
		assert_baseline();
	}
}

/* cow=0: nothing is shared, every private writable page is copied at once. */
static void test_eager_never_shares(void **state)
{
	struct mm *p, *c;

	(void)state;
	p = make_big(400);
	cow_enabled = 0;
	c = fork_ok(p);
	assert_int_not_equal(arena_table_of(c, VA_BIG), arena_table_of(p, VA_BIG));
	assert_int_equal(pmm_refcount(arena_table_of(p, VA_BIG)), 1);
	for (unsigned i = 0; i < 400; i++) {
		unsigned long va = VA_BIG + i * PAGE_SIZE;

		assert_int_equal(pte_flags(arena_pte_at(p, va)), F_RW | PTE_V);
		assert_int_equal(pte_flags(arena_pte_at(c, va)), F_RW | PTE_V);
		assert_int_not_equal(arena_frame_at(c, va), arena_frame_at(p, va));
		assert_int_equal(pmm_refcount(arena_frame_at(p, va)), 1);
		assert_true(has_tag(arena_frame_at(c, va), tag_of(va)));
	}
	check2(p, c);
	/* A cow=0 fork of an address space that already shares a table copies too. */
	cow_enabled = 1;
	struct mm *c2 = fork_ok(p);
	assert_int_equal(pmm_refcount(arena_table_of(p, VA_BIG)), 2);
	cow_enabled = 0;
	struct mm *c3 = fork_ok(c2);
	assert_int_not_equal(arena_table_of(c3, VA_BIG), arena_table_of(c2, VA_BIG));
	assert_int_equal(pmm_refcount(arena_table_of(p, VA_BIG)), 2);
	assert_int_equal(pte_flags(arena_pte_at(p, VA_BIG)), F_COW | PTE_V);	/* shared: untouched */
	assert_int_equal(pte_flags(arena_pte_at(c3, VA_BIG)), F_RW | PTE_V);
	assert_true(has_tag(arena_frame_at(c3, VA_BIG), tag_of(VA_BIG)));
	struct mm *all[4] = { p, c, c2, c3 };
	check_world(all, 4);
	mm_put(c2);
	mm_put(p);
	mm_put(c3);
	mm_put(c);
	assert_baseline();
}

/* --- unsharing ---------------------------------------------------------------------- */

/*
 * The child stores first: it gets a table of its own (each frame now has
 * two owners), then the COW copy of the page; the parent's table and PTEs
 * are untouched.  The parent then reuses that page and copies another.
 */
static void test_child_write_unshares(void **state)
{
	const unsigned long k = VA_BIG + 7 * PAGE_SIZE, j = VA_BIG + 100 * PAGE_SIZE;
	struct mm *p, *c;
	phys_addr_t t, tc, fk, fj, copy;
	pte_t snap[RPAGES];
	size_t nfree;

	(void)state;
	p = make_big(300);
	c = fork_ok(p);
	t = arena_table_of(p, VA_BIG);
	for (unsigned i = 0; i < RPAGES; i++)
		snap[i] = arena_pte_at(p, VA_BIG + i * PAGE_SIZE);
	fk = arena_frame_at(p, k);
	fj = arena_frame_at(p, j);
	nfree = pmm_free_frames();

	assert_int_equal(vm_fault(c, k + 8, FAULT_WRITE), FAULT_OK);
	tc = arena_table_of(c, VA_BIG);
	assert_int_not_equal(tc, t);
	assert_int_equal(pmm_refcount(t), 1);
	assert_int_equal(pmm_refcount(tc), 1);
	assert_int_equal(arena_table_of(p, VA_BIG), t);
	/* Every other frame: mapped by both tables now. */
	for (unsigned i = 0; i < 300; i++) {
		unsigned long va = VA_BIG + i * PAGE_SIZE;

		if (va == k)
			continue;
		assert_int_equal(arena_pte_at(c, va), snap[i]);
		assert_int_equal(pmm_refcount(pte_to_pa(snap[i])), 2);
	}
	/* The page stored to: a copy, writable, the old frame back to the parent alone. */
	copy = arena_frame_at(c, k);
	assert_int_not_equal(copy, fk);
	assert_int_equal(arena_pte_at(c, k), pa_to_pte(copy) | F_RW | PTE_V);
	assert_true(has_tag(copy, tag_of(k)));
	assert_int_equal(pmm_refcount(copy), 1);
	assert_int_equal(pmm_refcount(fk), 1);
	assert_int_equal(pmm_free_frames(), nfree - 2);	/* the table and the page */
	assert_int_equal(vmstat.cow_fault, 1);
	assert_int_equal(vmstat.cow_copy, 1);
	/* The parent saw nothing. */
	for (unsigned i = 0; i < RPAGES; i++)
		assert_int_equal(arena_pte_at(p, VA_BIG + i * PAGE_SIZE), snap[i]);
	fill_tag(copy, 0xc0ffee);
	assert_true(has_tag(fk, tag_of(k)));
	check2(p, c);

	/* The parent stores to the same page: its table is its own, the frame too: reuse. */
	nfree = pmm_free_frames();
	assert_int_equal(user_write(p, k, 0xaaaa), FAULT_OK);
	assert_int_equal(arena_table_of(p, VA_BIG), t);
	assert_int_equal(arena_pte_at(p, k), pa_to_pte(fk) | F_RW | PTE_V);
	assert_int_equal(pmm_free_frames(), nfree);
	assert_int_equal(vmstat.cow_reuse, 1);
	/* ... and to another: both tables map it, so a copy. */
	assert_int_equal(user_write(p, j, 0xbbbb), FAULT_OK);
	assert_int_not_equal(arena_frame_at(p, j), fj);
	assert_int_equal(pmm_refcount(fj), 1);
	assert_int_equal(pmm_free_frames(), nfree - 1);
	assert_int_equal(vmstat.cow_copy, 2);
	/* The child stores there next: the old frame is its own now. */
	assert_int_equal(user_write(c, j, 0xcccc), FAULT_OK);
	assert_int_equal(arena_frame_at(c, j), fj);
	assert_int_equal(vmstat.cow_reuse, 2);
	assert_true(has_tag(arena_frame_at(p, j), 0xbbbb));
	assert_true(has_tag(arena_frame_at(p, k), 0xaaaa));
	assert_true(has_tag(arena_frame_at(c, k), 0xc0ffee));
	check2(p, c);

	mm_put(c);
	check1(p);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(pmm_refcount(arena_frame_at(p, VA_BIG + i * PAGE_SIZE)), 1);
	mm_put(p);
	assert_baseline();
}

/* The parent stores first; then the child, last owner of the old table, reuses in place. */
static void test_parent_write_unshares(void **state)
{
	const unsigned long k = VA_BIG + 299 * PAGE_SIZE;
	struct mm *p, *c;
	phys_addr_t t, fk;
	size_t nfree;

	(void)state;
	p = make_big(300);
	c = fork_ok(p);
	t = arena_table_of(c, VA_BIG);
	fk = arena_frame_at(c, k);
	assert_int_equal(user_write(p, k, 1), FAULT_OK);
	assert_int_not_equal(arena_table_of(p, VA_BIG), t);
	assert_int_equal(arena_table_of(c, VA_BIG), t);
	assert_int_equal(pmm_refcount(t), 1);
	assert_true(has_tag(fk, tag_of(k)));
	check2(p, c);
	nfree = pmm_free_frames();
	assert_int_equal(user_write(c, k, 2), FAULT_OK);
	assert_int_equal(arena_table_of(c, VA_BIG), t);	/* no second unshare */
	assert_int_equal(arena_frame_at(c, k), fk);		/* count 1: reused */
	assert_int_equal(pmm_free_frames(), nfree);
	assert_true(has_tag(arena_frame_at(p, k), 1));
	assert_true(has_tag(fk, 2));
	check2(p, c);
	mm_put(p);
	check1(c);
	mm_put(c);
	assert_baseline();
}

/*
 * Read faults in a shared region: an absent page (the table holds only 300
 * of 512) makes the child unshare and map the zero frame; the parent's
 * entry stays absent.  A load that only sets A unshares too (the entry
 * changes), and keeps the frame.
 */
static void test_read_fault_in_shared_table(void **state)
{
	const unsigned long absent = VA_BIG + 400 * PAGE_SIZE;
	struct mm *p, *c;
	phys_addr_t t;
	unsigned zrefs;
	uint64_t tag;
	size_t nfree;

	(void)state;
	p = make_big(300);
	c = fork_ok(p);
	t = arena_table_of(p, VA_BIG);
	zrefs = pmm_refcount(zero_frame);
	nfree = pmm_free_frames();
	assert_int_equal(user_read(c, absent, &tag), FAULT_OK);
	assert_int_equal(tag, 0);
	assert_int_not_equal(arena_table_of(c, VA_BIG), t);
	assert_int_equal(pmm_refcount(t), 1);
	assert_int_equal(arena_pte_at(c, absent), pa_to_pte(zero_frame) | F_COW | PTE_V);
	assert_int_equal(arena_pte_at(p, absent), 0);
	assert_int_equal(pmm_refcount(zero_frame), zrefs + 1);
	assert_int_equal(pmm_free_frames(), nfree - 1);
	check2(p, c);
	/* The parent's read of another absent page: its table is private now, no allocation. */
	assert_int_equal(user_read(p, absent + PAGE_SIZE, &tag), FAULT_OK);
	assert_int_equal(arena_table_of(p, VA_BIG), t);
	assert_int_equal(pmm_free_frames(), nfree - 1);
	assert_int_equal(arena_pte_at(c, absent + PAGE_SIZE), 0);
	check2(p, c);

	/* A read fault on a present page with A clear: a fresh pair. */
	struct mm *c2 = fork_ok(p);
	pte_t *e = pt_walk(p->root, VA_BIG, 0);
	assert_int_equal(pmm_refcount(arena_table_of(p, VA_BIG)), 2);
	*e &= ~PTE_A;	/* as a core that leaves A to software would see it (both sharers) */
	assert_int_equal(vm_fault(c2, VA_BIG, FAULT_READ), FAULT_OK);
	assert_int_not_equal(arena_table_of(c2, VA_BIG), arena_table_of(p, VA_BIG));
	assert_true(arena_pte_at(c2, VA_BIG) & PTE_A);
	assert_false(arena_pte_at(p, VA_BIG) & PTE_A);
	assert_int_equal(arena_frame_at(c2, VA_BIG), arena_frame_at(p, VA_BIG));
	assert_int_equal(pmm_refcount(arena_frame_at(p, VA_BIG)), 3);	/* p's table, c's, c2's */
	check3(p, c, c2);
	/* A store to a page the VMA forbids is refused; nothing maps it in the parent. */
	assert_int_equal(vm_fault(c2, VA_BIG + REGION + 5, FAULT_WRITE), FAULT_SIGSEGV);
	mm_put(c2);
	mm_put(p);
	mm_put(c);
	assert_baseline();
}

/* --- three and four sharers, every teardown order ---------------------------------- */

static const int perms3[6][3] = {
	{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
};

static void test_three_sharers_teardown_orders(void **state)
{
	(void)state;
	for (int variant = 0; variant < 3; variant++)
		for (int o = 0; o < 6; o++) {
			struct mm *m[3];
			phys_addr_t t;

			m[0] = make_big(450);
			m[1] = fork_ok(m[0]);		/* child */
			m[2] = fork_ok(m[1]);		/* grandchild, via the child */
			t = arena_table_of(m[0], VA_BIG);
			assert_int_equal(arena_table_of(m[1], VA_BIG), t);
			assert_int_equal(arena_table_of(m[2], VA_BIG), t);
			assert_int_equal(pmm_refcount(t), 3);
			assert_int_equal(pmm_refcount(arena_frame_at(m[2], VA_BIG)), 1);
			/* The small region: three tables, three owners per frame. */
			assert_int_equal(pmm_refcount(arena_frame_at(m[2], VA_SMALL)), 3);
			check_world(m, 3);
			if (variant == 1) {
				/* One sharer goes its own way first. */
				assert_int_equal(user_write(m[o % 3], VA_BIG + 5 * PAGE_SIZE, 42), FAULT_OK);
				assert_int_equal(pmm_refcount(t), 2);
				assert_int_equal(pmm_refcount(arena_frame_at(m[(o + 1) % 3], VA_BIG)), 2);
				check_world(m, 3);
			} else if (variant == 2) {
				/* Every one of them stores to the same page, in order o. */
				for (int i = 0; i < 3; i++) {
					assert_int_equal(user_write(m[perms3[o][i]], VA_BIG, 100 + i), FAULT_OK);
					check_world(m, 3);
				}
				for (int i = 0; i < 3; i++)
					assert_true(has_tag(arena_frame_at(m[perms3[o][i]], VA_BIG),
							    100 + (uint64_t)i));
			}
			struct mm *left[3];
			int n = 0;
			for (int i = 0; i < 3; i++) {
				mm_put(m[perms3[o][i]]);
				m[perms3[o][i]] = NULL;
				n = 0;
				for (int j = 0; j < 3; j++)
					if (m[j])
						left[n++] = m[j];
				check_world(left, n);
				/* Survivors still read their own data. */
				for (int j = 0; j < n; j++)
					assert_true(has_tag(arena_frame_at(left[j], VA_BIG + 200 * PAGE_SIZE),
							    tag_of(VA_BIG + 200 * PAGE_SIZE)));
			}
			assert_baseline();
		}
}

/* Fork twice from the same parent, and fork from a sharer that is not the first owner. */
static void test_fork_of_shared_table(void **state)
{
	struct mm *m[4];
	phys_addr_t t;

	(void)state;
	m[0] = make_big(300);
	m[1] = fork_ok(m[0]);
	m[2] = fork_ok(m[0]);
	t = arena_table_of(m[0], VA_BIG);
	assert_int_equal(pmm_refcount(t), 3);
	/* Unshare the parent: the two children still share the old table. */
	assert_int_equal(user_write(m[0], VA_BIG, 9), FAULT_OK);
	assert_int_equal(pmm_refcount(t), 2);
	/* A fork of a sharer shares it on (count > 1 is reason enough). */
	m[3] = fork_ok(m[2]);
	assert_int_equal(arena_table_of(m[3], VA_BIG), t);
	assert_int_equal(pmm_refcount(t), 3);
	check_world(m, 4);
	/* The parent's table is private and big: shared anew with a fifth one. */
	struct mm *m4 = fork_ok(m[0]);
	assert_int_equal(arena_table_of(m4, VA_BIG), arena_table_of(m[0], VA_BIG));
	assert_int_equal(pmm_refcount(arena_table_of(m[0], VA_BIG)), 2);
	assert_int_equal(pte_flags(arena_pte_at(m4, VA_BIG)), F_COW | PTE_V);
	assert_true(has_tag(arena_frame_at(m4, VA_BIG), 9));
	struct mm *all[5] = { m[0], m[1], m[2], m[3], m4 };
	check_world(all, 5);
	mm_put(m[2]);
	mm_put(m[0]);
	mm_put(m[1]);
	mm_put(m4);
	check1(m[3]);
	mm_put(m[3]);
	assert_baseline();
}

/* --- changes in one sharer are invisible to the others ----------------------------- */

static void snapshot(struct mm *mm, unsigned long va, pte_t *out)
{
	for (unsigned i = 0; i < RPAGES; i++)
		out[i] = arena_pte_at(mm, va + i * PAGE_SIZE);
}

static void assert_snapshot(struct mm *mm, unsigned long va, const pte_t *snap)
{
	for (unsigned i = 0; i < RPAGES; i++) {
		pte_t e = arena_pte_at(mm, va + i * PAGE_SIZE);

		assert_int_equal(e, snap[i]);
		if (e & PTE_V)
			assert_true(has_tag(pte_to_pa(e), tag_of(va + i * PAGE_SIZE)));
	}
}

static void test_munmap_isolated(void **state)
{
	struct mm *p, *c;
	pte_t snap[RPAGES];
	phys_addr_t t;

	(void)state;
	for (int who = 0; who < 2; who++) {
		p = make_big(400);
		c = fork_ok(p);
		struct mm *doer = who ? p : c, *other = who ? c : p;
		t = arena_table_of(p, VA_BIG);
		snapshot(other, VA_BIG, snap);
		assert_int_equal(mm_unmap(doer, VA_BIG + 10 * PAGE_SIZE, 10 * PAGE_SIZE), 0);
		assert_int_equal(arena_table_of(other, VA_BIG), t);
		assert_int_not_equal(arena_table_of(doer, VA_BIG), t);
		assert_int_equal(pmm_refcount(t), 1);
		assert_snapshot(other, VA_BIG, snap);
		for (unsigned i = 0; i < 400; i++) {
			unsigned long va = VA_BIG + i * PAGE_SIZE;
			bool gone = i >= 10 && i < 20;

			assert_int_equal(arena_pte_at(doer, va) & PTE_V, gone ? 0 : PTE_V);
			assert_int_equal(pmm_refcount(pte_to_pa(snap[i])), gone ? 1 : 2);
		}
		assert_int_equal(vm_fault(doer, VA_BIG + 15 * PAGE_SIZE, FAULT_READ), FAULT_SIGSEGV);
		check2(p, c);
		/* The whole VMA goes; the other still has it all. */
		assert_int_equal(mm_unmap(doer, VA_BIG, REGION), 0);
		assert_snapshot(other, VA_BIG, snap);
		check2(p, c);
		mm_put(doer);
		check1(other);
		assert_snapshot(other, VA_BIG, snap);
		mm_put(other);
		assert_baseline();
	}
}

static void test_mprotect_isolated(void **state)
{
	const unsigned long k = VA_BIG + 33 * PAGE_SIZE;
	struct mm *p, *c;
	pte_t snap[RPAGES];

	(void)state;
	p = make_big(400);
	c = fork_ok(p);
	snapshot(p, VA_BIG, snap);
	assert_int_equal(mm_protect(c, VA_BIG, REGION, PROT_READ), 0);
	assert_snapshot(p, VA_BIG, snap);
	assert_int_equal(pte_flags(arena_pte_at(c, k)), PTE_U | PTE_R | PTE_A | PTE_D | PTE_V);
	assert_int_equal(vm_fault(c, k, FAULT_WRITE), FAULT_SIGSEGV_ACCERR);
	check2(p, c);
	/* The parent may still write: both tables map the frame, so a copy. */
	assert_int_equal(user_write(p, k, 5), FAULT_OK);
	assert_int_not_equal(arena_frame_at(p, k), arena_frame_at(c, k));
	assert_true(has_tag(arena_frame_at(c, k), tag_of(k)));
	/* Write back for the child: COW, and the frame is its own now: reuse. */
	assert_int_equal(mm_protect(c, VA_BIG, REGION, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(pte_flags(arena_pte_at(c, k)), F_COW | PTE_V);
	phys_addr_t fk = arena_frame_at(c, k);
	assert_int_equal(user_write(c, k, 6), FAULT_OK);
	assert_int_equal(arena_frame_at(c, k), fk);
	assert_true(has_tag(arena_frame_at(p, k), 5));
	check2(p, c);
	/* Half the parent's VMA read-only (a split inside a region): the child is unaffected. */
	pte_t csnap[RPAGES];
	snapshot(c, VA_BIG, csnap);
	assert_int_equal(mm_protect(p, VA_BIG + REGION / 2, REGION / 2, PROT_READ), 0);
	for (unsigned i = 0; i < RPAGES; i++)
		assert_int_equal(arena_pte_at(c, VA_BIG + i * PAGE_SIZE), csnap[i]);
	check2(p, c);
	mm_put(c);
	mm_put(p);
	assert_baseline();
}

static void test_discard_isolated(void **state)
{
	struct mm *p, *c;
	pte_t snap[RPAGES];
	uint64_t tag;

	(void)state;
	p = make_big(400);
	c = fork_ok(p);
	snapshot(p, VA_BIG, snap);
	assert_int_equal(mm_discard(c, VA_BIG, 50 * PAGE_SIZE), 0);
	assert_snapshot(p, VA_BIG, snap);
	for (unsigned i = 0; i < 50; i++)
		assert_int_equal(arena_pte_at(c, VA_BIG + i * PAGE_SIZE), 0);
	assert_int_equal(user_read(c, VA_BIG + 3 * PAGE_SIZE, &tag), FAULT_OK);
	assert_int_equal(tag, 0);
	assert_int_equal(user_read(p, VA_BIG + 3 * PAGE_SIZE, &tag), FAULT_OK);
	assert_int_equal(tag, tag_of(VA_BIG + 3 * PAGE_SIZE));
	check2(p, c);
	mm_put(p);
	check1(c);
	mm_put(c);
	assert_baseline();
}

/* MAP_FIXED over part of a shared region, in one sharer. */
static void test_map_fixed_isolated(void **state)
{
	struct mm *p, *c;
	pte_t snap[RPAGES];
	uint64_t tag;

	(void)state;
	p = make_big(400);
	c = fork_ok(p);
	snapshot(p, VA_BIG, snap);
	map_anon(c, VA_BIG + 64 * PAGE_SIZE, 64 * PAGE_SIZE);
	assert_snapshot(p, VA_BIG, snap);
	assert_int_equal(user_read(c, VA_BIG + 70 * PAGE_SIZE, &tag), FAULT_OK);
	assert_int_equal(tag, 0);
	assert_int_equal(user_read(c, VA_BIG + 63 * PAGE_SIZE, &tag), FAULT_OK);
	assert_int_equal(tag, tag_of(VA_BIG + 63 * PAGE_SIZE));
	assert_int_equal(user_write(c, VA_BIG + 130 * PAGE_SIZE, 1), FAULT_OK);
	check2(p, c);
	mm_put(p);
	check1(c);
	mm_put(c);
	assert_baseline();
}

/* --- layouts: VMAs over several regions, regions without a table ------------------- */

/*
 * One VMA over three regions: pages 200..511 of the first (span 312:
 * shared), none in the second (no table at all), pages 0..9 of the third
 * (span 10: copied), plus a second small VMA in that third region.
 */
static void test_vma_over_regions(void **state)
{
	(void)state;
	for (int order = 0; order < 2; order++) {
		struct mm *p = new_mm(), *c;
		const unsigned long r0 = VA_SPAN, r1 = VA_SPAN + REGION, r2 = VA_SPAN + 2 * REGION;

		map_anon(p, VA_SPAN, 2 * REGION + 64 * PAGE_SIZE);
		install_range(p, r0 + 200 * PAGE_SIZE, 312);
		install_range(p, r2, 10);
		map_anon(p, r2 + 100 * PAGE_SIZE, 8 * PAGE_SIZE);
		install_range(p, r2 + 100 * PAGE_SIZE, 2);
		assert_int_equal(arena_table_of(p, r1), 0);
		c = fork_ok(p);
		assert_int_equal(arena_table_of(c, r0), arena_table_of(p, r0));
		assert_int_equal(pmm_refcount(arena_table_of(p, r0)), 2);
		assert_int_equal(arena_table_of(c, r1), 0);
		assert_int_not_equal(arena_table_of(c, r2), arena_table_of(p, r2));
		assert_int_equal(pmm_refcount(arena_frame_at(c, r2)), 2);
		assert_int_equal(pmm_refcount(arena_frame_at(c, r2 + 101 * PAGE_SIZE)), 2);
		assert_int_equal(pmm_refcount(arena_frame_at(c, r0 + 511 * PAGE_SIZE)), 1);
		check2(p, c);
		/* A fault in the empty middle region: a new table in the faulting mm only. */
		assert_int_equal(user_write(c, r1 + 3 * PAGE_SIZE, 77), FAULT_OK);
		assert_int_equal(arena_table_of(p, r1), 0);
		check2(p, c);
		/* Split the VMA inside the shared region in the parent (mprotect). */
		assert_int_equal(mm_protect(p, r0 + 300 * PAGE_SIZE, 16 * PAGE_SIZE, PROT_READ), 0);
		check2(p, c);
		struct mm *g = fork_ok(order ? c : p);
		check3(p, c, g);
		if (order) {
			mm_put(p);
			mm_put(g);
			check1(c);
			mm_put(c);
		} else {
			mm_put(c);
			mm_put(p);
			check1(g);
			mm_put(g);
		}
		assert_baseline();
	}
}

/*
 * brk grows the heap VMA in place (kernel/sys_mem.c edits heap->end):
 * pages faulted in the new part are in the VMA's hint, so fork shares or
 * copies them and teardown drops them.
 */
static void test_heap_grown_in_place(void **state)
{
	struct mm *p, *c;
	struct vma *heap;

	(void)state;
	p = new_mm();
	assert_int_equal(vm_map_anon(p, VA_BIG, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE, VMA_HEAP), 0);
	heap = p->vmas;
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(user_write(p, VA_BIG + i * PAGE_SIZE, i + 1), FAULT_OK);
	heap->end = VA_BIG + 3 * REGION / 2;	/* what sys_brk does, under the lock */
	for (unsigned i = 64; i < 300; i++)
		assert_int_equal(user_write(p, VA_BIG + i * PAGE_SIZE, i + 1), FAULT_OK);
	assert_int_equal(user_write(p, VA_BIG + REGION + 8 * PAGE_SIZE, 1000), FAULT_OK);
	check1(p);
	c = fork_ok(p);
	assert_int_equal(arena_table_of(c, VA_BIG), arena_table_of(p, VA_BIG));
	check2(p, c);
	heap->end = VA_BIG + 2 * REGION;
	assert_int_equal(user_write(p, VA_BIG + REGION + 400 * PAGE_SIZE, 1001), FAULT_OK);
	check2(p, c);
	mm_put(p);
	check1(c);
	for (unsigned i = 0; i < 300; i++)
		assert_true(has_tag(arena_frame_at(c, VA_BIG + i * PAGE_SIZE), i + 1));
	mm_put(c);
	assert_baseline();
}

/* --- out of memory ------------------------------------------------------------------ */

/* Unsharing without a frame: FAULT_OOM, the table still shared, the PTE as it was. */
static void test_unshare_oom(void **state)
{
	const unsigned long k = VA_BIG + 20 * PAGE_SIZE, absent = VA_BIG + 450 * PAGE_SIZE;
	struct mm *p, *c;
	phys_addr_t t, *f;
	size_t n, nfree;

	(void)state;
	p = make_big(300);
	c = fork_ok(p);
	t = arena_table_of(p, VA_BIG);
	for (int how = 0; how < 2; how++) {
		static const struct {
			unsigned long va;
			enum fault_access access;
		} faults[] = { { VA_BIG + 20 * PAGE_SIZE, FAULT_WRITE },
			       { VA_BIG + 450 * PAGE_SIZE, FAULT_READ },
			       { VA_BIG + 450 * PAGE_SIZE, FAULT_WRITE } };
		n = 0;
		f = NULL;
		if (how == 0)
			pmm_set_fail_every(1);
		else
			f = hog(0, &n);
		nfree = pmm_free_frames();
		for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
			for (int who = 0; who < 2; who++) {
				struct mm *m = who ? p : c;
				pte_t old = arena_pte_at(m, faults[i].va);

				assert_int_equal(vm_fault(m, faults[i].va, faults[i].access), FAULT_OOM);
				assert_int_equal(arena_table_of(m, VA_BIG), t);
				assert_int_equal(arena_pte_at(m, faults[i].va), old);
			}
		assert_int_equal(pmm_refcount(t), 2);
		assert_int_equal(pmm_free_frames(), nfree);
		pmm_set_fail_every(0);
		if (f)
			unhog(f, n);
		check2(p, c);
	}
	/* One frame: enough to unshare, not to copy.  OOM, yet consistent. */
	f = hog(1, &n);
	assert_int_equal(vm_fault(c, k, FAULT_WRITE), FAULT_OOM);
	assert_int_not_equal(arena_table_of(c, VA_BIG), t);
	assert_int_equal(pte_flags(arena_pte_at(c, k)), F_COW | PTE_V);
	assert_true(has_tag(arena_frame_at(c, k), tag_of(k)));
	unhog(f, n);
	check2(p, c);
	/* Memory back: the same faults succeed. */
	assert_int_equal(user_write(c, k, 1), FAULT_OK);
	assert_int_equal(user_write(p, absent, 2), FAULT_OK);
	check2(p, c);
	mm_put(c);
	mm_put(p);
	assert_baseline();
}

/*
 * Fork under fault injection (frames and kmalloc), at every period and
 * phase, from a parent that shares nothing yet and from one that already
 * shares: a failed fork leaks nothing and changes nothing visible.
 */
static void test_fork_fail_injection(void **state)
{
	int ok = 0, failed = 0;

	(void)state;
	for (int pre = 0; pre < 2; pre++) {
		struct mm *p = new_mm(), *sib = NULL;

		map_anon(p, VA_BIG, REGION);
		install_range(p, VA_BIG, 300);
		map_anon(p, VA_SPAN, 2 * REGION + 64 * PAGE_SIZE);
		install_range(p, VA_SPAN + 200 * PAGE_SIZE, 312);
		install_range(p, VA_SPAN + 2 * REGION, 10);
		map_anon(p, VA_SMALL, SMALL_PAGES * PAGE_SIZE);
		install_range(p, VA_SMALL, SMALL_PRESENT);
		if (pre)
			sib = fork_ok(p);
		else
			mm_put(fork_ok(p));	/* so that the parent's PTEs are COW already */
		size_t with = pmm_free_frames();
		unsigned long objs = kmalloc_objects();
		pte_t snap[RPAGES];
		snapshot(p, VA_BIG, snap);

		for (unsigned every = 1; every < 24; every++)
			for (unsigned phase = 0; phase < every; phase++) {
				struct mm *from = (pre && (phase & 1)) ? sib : p, *c;

				fail_after(every, phase);
				c = mm_fork(from);
				pmm_set_fail_every(0);
				if (c) {
					ok++;
					struct mm *m[3] = { p, c, sib };
					check_world(m, pre ? 3 : 2);
					assert_snapshot(c, VA_BIG, snap);
					mm_put(c);
				} else {
					failed++;
				}
				assert_int_equal(pmm_free_frames(), with);
				assert_int_equal(kmalloc_objects(), objs);
				assert_snapshot(p, VA_BIG, snap);
				if (sib)
					assert_snapshot(sib, VA_BIG, snap);
			}
		if (sib)
			mm_put(sib);
		check1(p);
		mm_put(p);
		assert_baseline();
	}
	assert_true(ok > 0);
	assert_true(failed > 0);
}

/* --- a random walk over fork, exit, faults, munmap, mmap, mprotect, madvise ------- */

#define WIN		VA_SPAN		/* the window the model follows: three regions */
#define WIN_PAGES	(3 * RPAGES)
#define MODEL_MMS	5

struct model {
	struct mm *mm;
	unsigned char mapped[WIN_PAGES], writable[WIN_PAGES];
	uint64_t tag[WIN_PAGES];	/* 0: zero / never written */
};

static struct model models[MODEL_MMS];
static int nmodels;

static void model_check(void)
{
	struct mm *mms[MODEL_MMS];

	for (int m = 0; m < nmodels; m++) {
		mms[m] = models[m].mm;
		for (unsigned i = 0; i < WIN_PAGES; i++) {
			pte_t e = arena_pte_at(models[m].mm, WIN + i * PAGE_SIZE);

			if (!models[m].mapped[i]) {
				assert_int_equal(e & PTE_V, 0);
				continue;
			}
			uint64_t got = (e & PTE_V) ? words(pte_to_pa(e))[0] : 0;
			if (got != models[m].tag[i])
				fail_msg("mm %d page %u: tag %#llx, expected %#llx", m, i,
					 (unsigned long long)got, (unsigned long long)models[m].tag[i]);
			if ((e & PTE_V) && !models[m].writable[i])
				assert_false(e & (PTE_W | PTE_COW));
		}
	}
	check_world(mms, nmodels);
}

static void model_new(void)
{
	struct model *md = &models[0];

	memset(md, 0, sizeof(*md));
	md->mm = new_mm();
	for (int r = 0; r < 3; r++)	/* one VMA per region, so that region 1 is copied */
		map_anon(md->mm, WIN + r * REGION, REGION);
	for (unsigned i = 0; i < WIN_PAGES; i++) {
		md->mapped[i] = 1;
		md->writable[i] = 1;
	}
	/* Region 0: 400 pages (shared at fork); region 1: 20 (copied); region 2: 300 (shared). */
	for (unsigned i = 0; i < WIN_PAGES; i++)
		if (i < 400 || (i >= RPAGES && i < RPAGES + 20) ||
		    (i >= 2 * RPAGES + 100 && i < 2 * RPAGES + 400)) {
			install(md->mm, WIN + i * PAGE_SIZE);
			md->tag[i] = tag_of(WIN + i * PAGE_SIZE);
		}
	nmodels = 1;
}

/*
 * random_walk - @steps random operations; with @inject, faults and forks
 * sometimes run with every allocation failing (then nothing may change).
 */
static void random_walk(uint64_t seed, int steps, bool inject)
{
	uint64_t next_tag = 1;

	model_new();
	for (int s = 0; s < steps; s++) {
		int m = (int)test_below(&seed, (uint32_t)nmodels);
		struct model *md = &models[m];
		unsigned page = test_below(&seed, WIN_PAGES);
		unsigned long va = WIN + page * PAGE_SIZE;
		unsigned len = 1 + test_below(&seed, 64);
		bool oom = inject && test_below(&seed, 8) == 0;
		uint32_t op = test_below(&seed, 100);
		enum fault_result r;
		uint64_t tag;

		if (page + len > WIN_PAGES)
			len = WIN_PAGES - page;
		if (oom)
			pmm_set_fail_every(1);
		if (op < 35) {			/* store */
			r = user_write(md->mm, va, next_tag);
			if (!md->mapped[page] || !md->writable[page]) {
				assert_int_equal(r, md->mapped[page] ? FAULT_SIGSEGV_ACCERR : FAULT_SIGSEGV);
			} else if (r == FAULT_OOM && oom) {
				/* nothing changed: model_check says so */
			} else {
				assert_int_equal(r, FAULT_OK);
				md->tag[page] = next_tag;
			}
			next_tag++;
		} else if (op < 60) {		/* load */
			r = user_read(md->mm, va, &tag);
			if (!md->mapped[page])
				assert_int_equal(r, FAULT_SIGSEGV);
			else if (r != FAULT_OOM || !oom) {
				assert_int_equal(r, FAULT_OK);
				assert_int_equal(tag, md->tag[page]);
			}
		} else if (op < 70) {		/* fork */
			if (nmodels < MODEL_MMS) {
				struct mm *c = mm_fork(md->mm);
				if (oom)
					assert_null(c);
				else
					assert_non_null(c);
				if (c) {
					models[nmodels] = *md;
					models[nmodels].mm = c;
					nmodels++;
				}
			}
		} else if (op < 77) {		/* exit */
			if (nmodels > 1) {
				mm_put(md->mm);
				models[m] = models[--nmodels];
			}
		} else if (oom) {
			/* munmap & co. under injection: see the test_bug_* regressions. */
		} else if (op < 84) {		/* munmap */
			assert_int_equal(mm_unmap(md->mm, va, len * PAGE_SIZE), 0);
			for (unsigned i = page; i < page + len; i++)
				md->mapped[i] = 0, md->tag[i] = 0;
		} else if (op < 89) {		/* mmap MAP_FIXED, anonymous, private */
			map_anon(md->mm, va, len * PAGE_SIZE);
			for (unsigned i = page; i < page + len; i++)
				md->mapped[i] = 1, md->writable[i] = 1, md->tag[i] = 0;
		} else if (op < 95) {		/* mprotect */
			bool all = true, w = test_below(&seed, 2);
			for (unsigned i = page; i < page + len; i++)
				all = all && md->mapped[i];
			int rc = mm_protect(md->mm, va, len * PAGE_SIZE,
					    PROT_READ | (w ? PROT_WRITE : 0));
			assert_int_equal(rc, all ? 0 : -ENOMEM);
			if (all)
				for (unsigned i = page; i < page + len; i++)
					md->writable[i] = w;
		} else {			/* madvise(MADV_DONTNEED) */
			assert_int_equal(mm_discard(md->mm, va, len * PAGE_SIZE), 0);
			for (unsigned i = page; i < page + len; i++)
				md->tag[i] = 0;
		}
		pmm_set_fail_every(0);
		model_check();
	}
	while (nmodels > 0)
		mm_put(models[--nmodels].mm);
	assert_baseline();
}

static void test_random_walk(void **state)
{
	(void)state;
	for (uint64_t s = 1; s <= 6; s++)
		random_walk(SEED * s, 600, false);
}

static void test_random_walk_oom(void **state)
{
	(void)state;
	for (uint64_t s = 1; s <= 6; s++)
		random_walk(SEED * (s + 100), 600, true);
}

/* --- the other hart: interleavings at every allocation point ----------------------- */

/* The address spaces of a race test: [0] acts on this hart, [1] on the other. */
static struct mm *race[4];
static int nrace;

enum other_op { O_EXIT, O_STORE_SAME, O_STORE_OTHER, O_READ_ABSENT, O_FORK, O_UNMAP, O_PROTECT,
		O_DISCARD, O_NOPS };

#define RACE_K		(VA_BIG + 17 * PAGE_SIZE)	/* the page this hart stores to */

static void other_does(int op)
{
	struct mm *o = race[1];
	uint64_t tag;

	switch ((enum other_op)op) {
	case O_EXIT:
		mm_put(o);
		race[1] = race[--nrace];
		break;
	case O_STORE_SAME:
		assert_int_equal(user_write(o, RACE_K, 0x0e), FAULT_OK);
		break;
	case O_STORE_OTHER:
		assert_int_equal(user_write(o, VA_BIG + 250 * PAGE_SIZE, 0x0f), FAULT_OK);
		break;
	case O_READ_ABSENT:
		assert_int_equal(user_read(o, VA_BIG + 500 * PAGE_SIZE, &tag), FAULT_OK);
		break;
	case O_FORK:
		race[nrace++] = fork_ok(o);
		break;
	case O_UNMAP:
		assert_int_equal(mm_unmap(o, VA_BIG + 10 * PAGE_SIZE, 20 * PAGE_SIZE), 0);
		break;
	case O_PROTECT:
		assert_int_equal(mm_protect(o, VA_BIG, REGION, PROT_READ), 0);
		break;
	default:
		assert_int_equal(mm_discard(o, VA_BIG, 64 * PAGE_SIZE), 0);
		break;
	}
}

/*
 * A store in one sharer (unshare, then the COW copy) while the other
 * sharer exits, stores, forks, unmaps... at each of the store's allocations.
 */
static void test_race_unshare(void **state)
{
	(void)state;
	for (int op = 0; op < O_NOPS; op++)
		for (int skip = 0; skip < 3; skip++) {
			race[1] = make_big(300);
			race[0] = fork_ok(race[1]);
			nrace = 2;
			other_hart(other_does, op, skip);
			assert_int_equal(user_write(race[0], RACE_K, 0xabc), FAULT_OK);
			assert_true(hook_fired || skip == 2);	/* 2 allocations: table, page */
			hook_fn = NULL;
			check_world(race, nrace);
			assert_true(has_tag(arena_frame_at(race[0], RACE_K), 0xabc));
			assert_true(has_tag(arena_frame_at(race[0], VA_BIG + 250 * PAGE_SIZE),
					    tag_of(VA_BIG + 250 * PAGE_SIZE)));
			if (op != O_EXIT && op != O_STORE_SAME && op != O_UNMAP && op != O_PROTECT &&
			    op != O_DISCARD)
				assert_true(has_tag(arena_frame_at(race[1], RACE_K), tag_of(RACE_K)));
			/* This hart's store happened whatever the other did: a second one is free. */
			size_t nfree = pmm_free_frames();
			assert_int_equal(user_write(race[0], RACE_K, 0xdef), FAULT_OK);
			assert_int_equal(pmm_free_frames(), nfree);
			while (nrace)
				mm_put(race[--nrace]);
			assert_baseline();
		}
}

/*
 * A fork of one sharer while the other exits, unshares, forks...  at each
 * of the fork's frame allocations (root, level-1 tables, small table).
 */
static void test_race_fork(void **state)
{
	int fired = 0;

	(void)state;
	for (int op = 0; op < O_NOPS; op++)
		for (int skip = 0;; skip++) {
			race[1] = make_big(300);
			race[0] = fork_ok(race[1]);
			nrace = 2;
			other_hart(other_does, op, skip);
			struct mm *c = fork_ok(race[0]);
			bool done = !hook_fired;
			hook_fn = NULL;
			race[nrace++] = c;
			check_world(race, nrace);
			for (unsigned i = 0; i < 300; i++) {
				unsigned long va = VA_BIG + i * PAGE_SIZE;
				assert_true(has_tag(arena_frame_at(c, va), tag_of(va)));
			}
			while (nrace)
				mm_put(race[--nrace]);
			assert_baseline();
			if (done)
				break;
			fired++;
		}
	assert_true(fired >= 3 * O_NOPS);
}

/* --- regressions: out of memory while unsharing ---------------------------------------- */

/*
 * BUG 1, vm/fault.c vm_fault(): ptshare_walk_private(mm, va, 0) returns NULL
 * both for "no page here" and for "could not unshare" (ENOMEM), and
 * vm_fault then calls fault_absent().  If fault_absent's own
 * ptshare_walk_private(.., 1) manages to unshare (a frame came free in between;
 * here: fault injection fails only the first allocation), it installs a
 * new page over the PRESENT entry: the data is replaced by zeros (read) or
 * a fresh zeroed frame (write), and the old frame's reference is lost.
 */
static void test_bug_fault_oom_then_absent(void **state)
{
	const unsigned long k = VA_BIG + 9 * PAGE_SIZE;

	(void)state;
	for (int access = 0; access < 2; access++) {
		struct mm *p = make_big(300), *c = fork_ok(p);
		phys_addr_t fk = arena_frame_at(c, k);
		enum fault_result r;

		fail_after(access ? 3 : 2, 0);	/* the 1st allocation fails, the next ones do not */
		r = vm_fault(c, k, access ? FAULT_WRITE : FAULT_READ);
		pmm_set_fail_every(0);
		bool kept = r == FAULT_OOM ? arena_frame_at(c, k) == fk : has_tag(arena_frame_at(c, k), tag_of(k));
		assert_true(kept);	/* fails: the child's page now reads as zeros */
		check2(p, c);		/* else: the lost reference to fk shows here */
		mm_put(c);
		mm_put(p);
		assert_baseline();
	}
}

/*
 * BUG 2, vm/mm.c unmap_pages(): a NULL from ptshare_walk_private (unshare out
 * of memory) is taken for "no table here" and the region is skipped, but
 * remove_range() frees the VMA anyway and mm_unmap returns 0.  The pages
 * stay mapped in an address space whose VMA is gone: still readable, and
 * a store COW-faults them writable (fault_present never asks the VMA);
 * after that private copy the frames are outside every VMA hint and
 * ptshare_teardown leaks them.  Same for mm_map (MAP_FIXED replaces) and
 * mm_discard (MADV_DONTNEED returns 0, the old data stays).
 */
static void test_bug_unmap_oom(void **state)
{
	(void)state;
	struct mm *p = make_big(300), *c = fork_ok(p);

	pmm_set_fail_every(1);
	int r = mm_unmap(c, VA_BIG, REGION);
	pmm_set_fail_every(0);
	bool unmapped = r != 0 || !(arena_pte_at(c, VA_BIG) & PTE_V);
	enum fault_result f = vm_fault(c, VA_BIG, FAULT_WRITE);
	mm_put(c);
	mm_put(p);
	size_t leaked = baseline_free - pmm_free_frames();
	assert_true(unmapped);			/* fails: returned 0, page still mapped */
	assert_int_equal(f, r ? FAULT_OK : FAULT_SIGSEGV);	/* fails: a store to an unmapped page */
	assert_int_equal(leaked, 0);		/* fails: the child's copy is never freed */
}

static void test_bug_discard_oom(void **state)
{
	(void)state;
	struct mm *p = make_big(300), *c = fork_ok(p);
	uint64_t tag = 0;

	pmm_set_fail_every(1);
	int r = mm_discard(c, VA_BIG, 8 * PAGE_SIZE);
	pmm_set_fail_every(0);
	if (r == 0)
		assert_int_equal(user_read(c, VA_BIG, &tag), FAULT_OK);
	mm_put(c);
	mm_put(p);
	assert_baseline();
	assert_true(r != 0 || tag == 0);	/* fails: MADV_DONTNEED said 0, the data is still there */
}

/*
 * BUG 3, vm/mm.c mm_protect(): same NULL confusion; the VMA gets the new
 * protection, the PTEs keep the old one and 0 is returned.  After
 * mprotect(PROT_READ) the pages are still PTE_COW, so a store succeeds
 * (COW fault) on memory the VMA says is read-only.
 */
static void test_bug_mprotect_oom(void **state)
{
	(void)state;
	struct mm *p = make_big(300), *c = fork_ok(p);

	pmm_set_fail_every(1);
	int r = mm_protect(c, VA_BIG, REGION, PROT_READ);
	pmm_set_fail_every(0);
	pte_t e = arena_pte_at(c, VA_BIG);
	enum fault_result f = r ? FAULT_SIGSEGV : vm_fault(c, VA_BIG, FAULT_WRITE);
	mm_put(c);
	mm_put(p);
	assert_baseline();
	assert_true(r != 0 || !(e & (PTE_W | PTE_COW)));	/* fails: still PTE_COW */
	assert_int_equal(f, FAULT_SIGSEGV);			/* fails: the store succeeds */
}

/* BUG 1 again: a load or store to each page of a shared table, injection periods 2..5. */
static void test_bug_fault_injection_sweep(void **state)
{
	(void)state;
	for (unsigned every = 2; every < 6; every++) {
		struct mm *p = make_big(300), *c = fork_ok(p);

		for (unsigned i = 0; i < 300; i++) {
			unsigned long va = VA_BIG + i * PAGE_SIZE;

			pmm_set_fail_every(every);
			enum fault_result r = vm_fault(c, va, (i & 1) ? FAULT_WRITE : FAULT_READ);
			pmm_set_fail_every(0);
			if (r == FAULT_OK || r == FAULT_OOM) {
				pte_t e = arena_pte_at(c, va);
				if (!(e & PTE_V) || !has_tag(pte_to_pa(e), tag_of(va)))
					fail_msg("every %u page %u: data lost after %s", every, i,
						 r == FAULT_OK ? "FAULT_OK" : "FAULT_OOM");
			}
		}
		check2(p, c);
		mm_put(c);
		mm_put(p);
		assert_baseline();
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, vm_arena_setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fork_shares_big_table),
		T(test_rss_sees_shared_table),
		T(test_share_threshold),
		T(test_eager_never_shares),
		T(test_child_write_unshares),
		T(test_parent_write_unshares),
		T(test_read_fault_in_shared_table),
		T(test_three_sharers_teardown_orders),
		T(test_fork_of_shared_table),
		T(test_munmap_isolated),
		T(test_mprotect_isolated),
		T(test_discard_isolated),
		T(test_map_fixed_isolated),
		T(test_vma_over_regions),
		T(test_heap_grown_in_place),
		T(test_unshare_oom),
		T(test_fork_fail_injection),
		T(test_random_walk),
		T(test_random_walk_oom),
		T(test_race_unshare),
		T(test_race_fork),
		T(test_bug_fault_oom_then_absent),
		T(test_bug_unmap_oom),
		T(test_bug_discard_oom),
		T(test_bug_mprotect_oom),
		T(test_bug_fault_injection_sweep),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
