/*
 * test_vm.c - host test of the frame allocator, the page-table walker and
 * copy-on-write fork: vm/pmm.c, pt.c, cow.c, fork.c and mm.c, built with
 * -DHOST_TEST and linked with host_stubs.c.
 *
 * "Physical memory" is a 16 MiB arena from aligned_alloc, given to pmm as
 * RAM at 0x80000000; vm/phys.h reaches a frame through host_phys_offset.
 * Every test starts from a fresh pmm_init over the whole arena, with the
 * frames the kernel sets aside at boot (kernel table, zero frame, signal
 * page) already taken, and most end by checking that the free-frame count
 * and the live kmalloc objects are back where they started: a leaked or
 * doubly freed frame shows up there (a double free also panics).
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
#include "vm/cow.h"
#include "vm/mm.h"
#include "vm/shmem.h"
#include "vm/fault.h"
#include "vm/phys.h"
#include "vm/kvm.h"
#include "vm/kmalloc.h"
#include "test_util.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(16UL << 20)
#define VM_ARENA_BASELINE
#include "vm_arena.h"
#define ARENA_FRAMES	(ARENA_SIZE / PAGE_SIZE)
#define SEED		0x486f6c737465696eull	/* "Holstein" */

/* host_stubs.c */
extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[256];

static int vm_teardown(void **state)
{
	(void)state;
	pmm_set_fail_every(0);
	host_panic_jmp = NULL;
	return 0;
}

static uint8_t *frame(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

/* fill / has_pattern - page contents that differ by @seed. */
static void fill(phys_addr_t pa, uint8_t seed)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		frame(pa)[i] = (uint8_t)(seed + i * 13 + (i >> 9));
}

static bool has_pattern(phys_addr_t pa, uint8_t seed)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (frame(pa)[i] != (uint8_t)(seed + i * 13 + (i >> 9)))
			return false;
	return true;
}

static bool is_zero(phys_addr_t pa)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (frame(pa)[i])
			return false;
	return true;
}

/* hog - take all free frames but @keep into @out (ARENA_FRAMES long); returns how many. */
static size_t hog(phys_addr_t *out, size_t keep)
{
	size_t n = 0;

	while (pmm_free_frames() > keep)
		out[n++] = pmm_alloc();
	return n;
}

static void unhog(phys_addr_t *frames, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pmm_put(frames[i]);
}

/* dirty_free_frames - scribble on every free frame, so "zeroed" means something. */
static void dirty_free_frames(void)
{
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));
	size_t n = hog(f, 0);

	for (size_t i = 0; i < n; i++)
		memset(frame(f[i]), 0xcc, PAGE_SIZE);
	unhog(f, n);
	free(f);
}

/* --- pmm_usable: pure logic --------------------------------------------------- */

#define MB (1UL << 20)

struct usable_case {
	struct pmm_range mem[4], resv[8], want[8];
	int nmem, nresv, nwant;
};

static void check_usable(const struct usable_case *c, int line)
{
	struct pmm_range out[16];
	int n = pmm_usable(c->mem, c->nmem, c->resv, c->nresv, out, 16);

	if (n != c->nwant)
		fail_msg("line %d: %d ranges, want %d", line, n, c->nwant);
	for (int i = 0; i < n; i++)
		if (out[i].base != c->want[i].base || out[i].size != c->want[i].size)
			fail_msg("line %d: range %d is [%#lx +%#lx), want [%#lx +%#lx)", line, i,
				 (unsigned long)out[i].base, (unsigned long)out[i].size,
				 (unsigned long)c->want[i].base, (unsigned long)c->want[i].size);
}

#define USABLE(...) check_usable(&(struct usable_case){ __VA_ARGS__ }, __LINE__)

static void test_usable_cases(void **state)
{
	const uint64_t B = RAM_BASE, E = RAM_BASE + 128 * MB;

	(void)state;
	/* Nothing reserved. */
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .want = { { B, 128 * MB } }, .nwant = 1);
	/* A hole in the middle. */
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B + 2 * MB, MB } }, .nresv = 1,
	       .want = { { B, 2 * MB }, { B + 3 * MB, 125 * MB } }, .nwant = 2);
	/* At either edge, touching from outside, covering all, beyond both sides. */
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B, 0x1000 } }, .nresv = 1,
	       .want = { { B + 0x1000, 128 * MB - 0x1000 } }, .nwant = 1);
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { E - 0x1000, 0x1000 } },
	       .nresv = 1,
	       .want = { { B, 128 * MB - 0x1000 } }, .nwant = 1);
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1,
	       .resv = { { B - MB, MB }, { E, MB } }, .nresv = 2,
	       .want = { { B, 128 * MB } }, .nwant = 1);
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B, 128 * MB } }, .nresv = 1,
	       .nwant = 0);
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B - MB, 130 * MB } }, .nresv = 1,
	       .nwant = 0);
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B - MB, 2 * MB } }, .nresv = 1,
	       .want = { { B + MB, 127 * MB } }, .nwant = 1);
	/* Unaligned reservations take every page they touch. */
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B + 0x1100, 0x100 } }, .nresv = 1,
	       .want = { { B, 0x1000 }, { B + 0x2000, 128 * MB - 0x2000 } }, .nwant = 2);
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1, .resv = { { B + 0xfff, 0x1002 } }, .nresv = 1,
	       .want = { { B + 0x3000, 128 * MB - 0x3000 } }, .nwant = 1);
	/* Unaligned memory keeps only whole pages. */
	USABLE(.mem = { { B + 0x800, 0x3000 } }, .nmem = 1,
	       .want = { { B + 0x1000, 0x2000 } }, .nwant = 1);
	/* Leftovers smaller than a page vanish; a zero-size reservation is nothing. */
	USABLE(.mem = { { B, 0x2000 } }, .nmem = 1, .resv = { { B + 0x800, 0x1000 } }, .nresv = 1,
	       .nwant = 0);
	USABLE(.mem = { { B, 0x2000 } }, .nmem = 1, .resv = { { B + 0x800, 0 } }, .nresv = 1,
	       .want = { { B, 0x2000 } }, .nwant = 1);
	/* Overlapping and nested reservations. */
	USABLE(.mem = { { B, 128 * MB } }, .nmem = 1,
	       .resv = { { B + MB, 2 * MB }, { B + 2 * MB, 2 * MB }, { B + 2 * MB, 0x1000 } },
	       .nresv = 3, .want = { { B, MB }, { B + 4 * MB, 124 * MB } }, .nwant = 2);
	/* Several memory ranges, out of order, a reservation across the gap. */
	USABLE(.mem = { { 0x200000000UL, 64 * MB }, { B, 64 * MB } }, .nmem = 2,
	       .resv = { { B + 63 * MB, 0x200000000UL - B - 63 * MB + MB } }, .nresv = 1,
	       .want = { { B, 63 * MB }, { 0x200000000UL + MB, 63 * MB } }, .nwant = 2);
	/* No memory at all. */
	USABLE(.nmem = 0, .resv = { { B, MB } }, .nresv = 1, .nwant = 0);
}

static void test_usable_max(void **state)
{
	struct pmm_range mem = { RAM_BASE, 16 * MB }, out[2];
	struct pmm_range resv[2] = { { RAM_BASE + MB, MB }, { RAM_BASE + 4 * MB, MB } };

	(void)state;
	assert_int_equal(pmm_usable(&mem, 1, resv, 2, out, 2), 2);
	assert_int_equal(out[0].base, RAM_BASE);
	assert_int_equal(out[1].base, RAM_BASE + 2 * MB);
	assert_int_equal(pmm_usable(&mem, 1, resv, 2, out, 0), 0);
}

#define WIN_PAGES 1024	/* the model's window: 4 MiB from RAM_BASE */

/*
 * usable_model - which pages of the window pmm_usable should return: those
 * wholly inside a memory range and touching no reservation.
 */
static void usable_model(const struct pmm_range *mem, int nmem, const struct pmm_range *resv,
			 int nresv, bool *page)
{
	for (int p = 0; p < WIN_PAGES; p++) {
		uint64_t s = RAM_BASE + (uint64_t)p * PAGE_SIZE, e = s + PAGE_SIZE;
		bool in = false;

		for (int i = 0; i < nmem; i++)
			if (s >= mem[i].base && e <= mem[i].base + mem[i].size)
				in = true;
		for (int i = 0; i < nresv; i++)
			if (resv[i].size && s < resv[i].base + resv[i].size && resv[i].base < e)
				in = false;
		page[p] = in;
	}
}

/*
 * check_usable_output - @out is sorted, page aligned, disjoint, and covers
 * exactly the pages @want says (all of them if @complete, else a subset).
 */
static void check_usable_output(const struct pmm_range *out, int n, const bool *want,
				bool complete)
{
	bool got[WIN_PAGES] = { false };

	for (int i = 0; i < n; i++) {
		assert_int_equal(out[i].base % PAGE_SIZE, 0);
		assert_int_equal(out[i].size % PAGE_SIZE, 0);
		assert_true(out[i].size > 0);
		if (i)
			assert_true(out[i - 1].base + out[i - 1].size <= out[i].base);
		assert_true(out[i].base >= RAM_BASE);
		assert_true(out[i].base + out[i].size <= RAM_BASE + WIN_PAGES * PAGE_SIZE);
		for (uint64_t a = out[i].base; a < out[i].base + out[i].size; a += PAGE_SIZE)
			got[(a - RAM_BASE) / PAGE_SIZE] = true;
	}
	for (int p = 0; p < WIN_PAGES; p++) {
		if (got[p] && !want[p])
			fail_msg("page %#lx handed out but reserved or not RAM",
				 RAM_BASE + (unsigned long)p * PAGE_SIZE);
		if (complete && want[p] && !got[p])
			fail_msg("page %#lx usable but not handed out",
				 RAM_BASE + (unsigned long)p * PAGE_SIZE);
	}
}

/* Random memory maps and reservations, at 256-byte granularity, against the model. */
static void test_usable_random(void **state)
{
	uint64_t seed = SEED;

	(void)state;
	for (int run = 0; run < 3000; run++) {
		struct pmm_range mem[4], resv[8], out[64];
		uint64_t cuts[8];
		int nmem = 1 + (int)test_below(&seed, 4), nresv = (int)test_below(&seed, 9), n;
		bool want[WIN_PAGES];

		/* Disjoint memory ranges: sorted cut points, paired, then shuffled. */
		for (int i = 0; i < 2 * nmem; i++)
			cuts[i] = test_below(&seed, WIN_PAGES * 16) * 256ULL;
		for (int i = 1; i < 2 * nmem; i++)
			for (int j = i; j > 0 && cuts[j] < cuts[j - 1]; j--) {
				uint64_t t = cuts[j];
				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
			}
		for (int i = 0; i < nmem; i++) {
			mem[i].base = RAM_BASE + cuts[2 * i];
			mem[i].size = cuts[2 * i + 1] - cuts[2 * i];
		}
		for (int i = nmem - 1; i > 0; i--) {
			int j = (int)test_below(&seed, (uint32_t)i + 1);
			struct pmm_range t = mem[i];
			mem[i] = mem[j];
			mem[j] = t;
		}
		for (int i = 0; i < nresv; i++) {
			resv[i].base = RAM_BASE - 0x10000 +
				       test_below(&seed, WIN_PAGES * 16 + 512) * 256ULL;
			resv[i].size = test_below(&seed, 4) == 0 ? 0 :
				       test_below(&seed, WIN_PAGES * 4) * 256ULL;
		}
		n = pmm_usable(mem, nmem, resv, nresv, out, 64);
		usable_model(mem, nmem, resv, nresv, want);
		check_usable_output(out, n, want, true);
	}
}

/*
 * More reservations than pmm_usable's fixed work array has pieces: it may
 * hand out less than it could, never a reserved page.
 */
static void test_usable_many(void **state)
{
	struct pmm_range mem = { RAM_BASE, WIN_PAGES * PAGE_SIZE }, resv[200], out[256];
	bool want[WIN_PAGES];
	int n;

	(void)state;
	for (int i = 0; i < 200; i++) {
		resv[i].base = RAM_BASE + (uint64_t)(2 * i + 1) * PAGE_SIZE;
		resv[i].size = PAGE_SIZE;
	}
	n = pmm_usable(&mem, 1, resv, 200, out, 256);
	usable_model(&mem, 1, resv, 200, want);
	check_usable_output(out, n, want, false);
	/* Up to 63 reservations inside one range are handled exactly. */
	n = pmm_usable(&mem, 1, resv, 63, out, 256);
	usable_model(&mem, 1, resv, 63, want);
	check_usable_output(out, n, want, true);
	assert_int_equal(n, 64);
}

/* --- pmm ------------------------------------------------------------------------ */

static void test_pmm_alloc_all(void **state)
{
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));
	size_t n = 0;
	/* The count array: 4 bytes of count, 4 of swap tag and 1 of is_ram per frame, page-rounded. */
	size_t meta = (ARENA_FRAMES * 9 + PAGE_SIZE - 1) / PAGE_SIZE;

	(void)state;
	assert_int_equal(pmm_total_frames(), ARENA_FRAMES - meta);
	/* Boot took the kernel root table, the zero frame and the vDSO's data and text pages. */
	assert_int_equal(baseline_free, pmm_total_frames() - 4);
	for (phys_addr_t pa; (pa = pmm_alloc()) != 0;) {
		assert_true(n < baseline_free);
		assert_int_equal(pa % PAGE_SIZE, 0);
		assert_true(pa >= RAM_BASE + meta * PAGE_SIZE && pa < RAM_BASE + ARENA_SIZE);
		assert_int_equal(pmm_refcount(pa), 1);
		assert_true(pmm_is_ram(pa));
		memset(frame(pa), (int)n, PAGE_SIZE);	/* ASan: the whole frame is ours */
		f[n++] = pa;
	}
	assert_int_equal(n, baseline_free);
	assert_int_equal(pmm_free_frames(), 0);
	/* Out of memory is an answer, not a crash, and stays one. */
	assert_int_equal(pmm_alloc(), 0);
	assert_int_equal(pmm_alloc_zeroed(), 0);
	/* No frame was handed out twice: each still holds its own byte. */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(frame(f[i])[PAGE_SIZE - 1], (uint8_t)i);
	unhog(f, n);
	assert_baseline();
	/* Allocation started low: boot's frames came right after the count array. */
	assert_int_equal(kvm_root, RAM_BASE + meta * PAGE_SIZE);
	assert_int_equal(zero_frame, kvm_root + PAGE_SIZE);
	free(f);
}

static void test_pmm_refcount(void **state)
{
	phys_addr_t pa, again;

	(void)state;
	pa = pmm_alloc();
	assert_int_not_equal(pa, 0);
	assert_int_equal(pmm_free_frames(), baseline_free - 1);
	assert_int_equal(pmm_refcount(pa), 1);
	pmm_get(pa);
	pmm_get(pa);
	assert_int_equal(pmm_refcount(pa), 3);
	pmm_put(pa);
	pmm_put(pa);
	assert_int_equal(pmm_refcount(pa), 1);
	assert_int_equal(pmm_free_frames(), baseline_free - 1);	/* still owned */
	pmm_put(pa);
	assert_int_equal(pmm_refcount(pa), 0);
	assert_baseline();
	/* The frame freed last is the next one handed out, with a fresh count. */
	again = pmm_alloc();
	assert_int_equal(again, pa);
	assert_int_equal(pmm_refcount(again), 1);
	pmm_put(again);

	/* pmm_alloc_zeroed really zeroes a used frame. */
	pa = pmm_alloc();
	memset(frame(pa), 0x5a, PAGE_SIZE);
	pmm_put(pa);
	again = pmm_alloc_zeroed();
	assert_int_equal(again, pa);
	assert_true(is_zero(again));
	pmm_put(again);
	assert_baseline();
}

static void test_pmm_fail_every(void **state)
{
	phys_addr_t got[100];
	int fails = 0, last_fail = -1;

	(void)state;
	pmm_set_fail_every(5);
	for (int i = 0; i < 100; i++) {
		got[i] = pmm_alloc();
		if (!got[i]) {
			if (last_fail >= 0)
				assert_int_equal(i - last_fail, 5);
			last_fail = i;
			fails++;
		}
	}
	assert_int_equal(fails, 20);
	pmm_set_fail_every(1);
	assert_int_equal(pmm_alloc(), 0);
	assert_int_equal(pmm_alloc_zeroed(), 0);
	assert_int_equal(pmm_fail_injected(), 1);
	pmm_set_fail_every(0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(pmm_fail_injected(), 0);
	for (int i = 0; i < 100; i++)
		if (got[i])
			pmm_put(got[i]);
	assert_baseline();
}

/* expect_panic - run @stmt, which must end in host_panic. */
#define expect_panic(stmt)						\
	do {								\
		jmp_buf jb;						\
		if (setjmp(jb) == 0) {					\
			host_panic_jmp = &jb;				\
			stmt;						\
			host_panic_jmp = NULL;				\
			fail_msg("no panic from %s", #stmt);		\
		}							\
		host_panic_jmp = NULL;					\
	} while (0)

static void test_pmm_panics(void **state)
{
	phys_addr_t pa = pmm_alloc(), other = pmm_alloc();

	(void)state;
	pmm_put(pa);
	expect_panic(pmm_get(pa));	/* reviving a free frame */
	/* (That get left pa's count at 1 on the free list: use another frame.) */
	pmm_put(other);
	expect_panic(pmm_put(other));	/* double free */
	expect_panic(pmm_put(RAM_BASE + ARENA_SIZE));	/* not RAM */
	expect_panic(pmm_get(0x1000));
	expect_panic(pmm_refcount(RAM_BASE - PAGE_SIZE));
	expect_panic(pmm_put(RAM_BASE + 100 * PAGE_SIZE));	/* never handed out yet */
	assert_false(pmm_is_ram(RAM_BASE));
	assert_false(pmm_is_ram(RAM_BASE + ARENA_SIZE));
	assert_false(pmm_is_ram(0));
	assert_true(pmm_is_ram(zero_frame));
}

/* Two ranges with a hole, and frames handed over later within the span. */
static void test_pmm_ranges_span(void **state)
{
	struct pmm_range r[2] = { { RAM_BASE, 4 * MB }, { RAM_BASE + 8 * MB, 4 * MB } };
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));
	size_t n, meta = (ARENA_FRAMES * 9 + PAGE_SIZE - 1) / PAGE_SIZE;

	(void)state;
	pmm_set_span(RAM_BASE, RAM_BASE + ARENA_SIZE);
	assert_int_equal(pmm_init(r, 2), 0);
	assert_int_equal(pmm_total_frames(), 2048 - meta);
	n = hog(f, 0);
	assert_int_equal(n, 2048 - meta);
	for (size_t i = 0; i < n; i++)
		assert_true(f[i] < RAM_BASE + 4 * MB || f[i] >= RAM_BASE + 8 * MB);
	assert_false(pmm_is_ram(RAM_BASE + 5 * MB));
	unhog(f, n);

	/* The initrd's frames join later: only whole pages inside the span. */
	pmm_free_range(RAM_BASE + 4 * MB + 0x800, 2 * MB);
	assert_int_equal(pmm_total_frames(), 2048 - meta + 511);
	pmm_free_range(RAM_BASE + 4 * MB, 2 * MB);	/* again, and one page more */
	assert_int_equal(pmm_total_frames(), 2048 - meta + 512);
	pmm_free_range(RAM_BASE + ARENA_SIZE, 4 * MB);	/* beyond the span: ignored */
	pmm_free_range(RAM_BASE + ARENA_SIZE - PAGE_SIZE, 4 * MB);	/* one page inside */
	assert_int_equal(pmm_total_frames(), 2048 - meta + 513);
	assert_true(pmm_is_ram(RAM_BASE + 5 * MB));
	n = hog(f, 0);
	assert_int_equal(n, 2048 - meta + 513);
	for (size_t i = 0; i < n; i++)
		memset(frame(f[i]), 0, PAGE_SIZE);
	unhog(f, n);
	free(f);
	/* The allocator the other tests expect is rebuilt by their own setup. */
}

/* --- page tables ---------------------------------------------------------------- */

static void test_pt_map_walk(void **state)
{
	phys_addr_t root = pt_alloc_root(), a = pmm_alloc(), b = pmm_alloc();
	size_t before = pmm_free_frames();
	pte_t *e;

	(void)state;
	assert_int_not_equal(root, 0);
	assert_null(pt_walk(root, 0x10000, 0));
	assert_int_equal(pt_map(root, 0x10000, a, PTE_R | PTE_W | PTE_U), 0);
	assert_int_equal(pmm_free_frames(), before - 2);	/* a level-1 and a level-0 table */
	e = pt_walk(root, 0x10000, 0);
	assert_non_null(e);
	assert_int_equal(*e, pa_to_pte(a) | PTE_R | PTE_W | PTE_U | PTE_V);
	assert_int_equal(pte_to_pa(*e), a);

	/* Same 2 MiB: no new table; the neighbour's PTE is there, empty. */
	assert_int_equal(pt_map(root, 0x11000, b, PTE_R | PTE_U), 0);
	assert_int_equal(pmm_free_frames(), before - 2);
	assert_ptr_equal(pt_walk(root, 0x11000, 0), e + 1);
	assert_int_equal(*pt_walk(root, 0x12000, 0), 0);
	/* Another 2 MiB in the same 1 GiB: one level-0 table. */
	assert_int_equal(pt_map(root, 0x200000, b, PTE_R), 0);
	assert_int_equal(pmm_free_frames(), before - 3);
	/* Another 1 GiB, and the top of the user half: two tables each. */
	assert_int_equal(pt_map(root, 0x40000000, b, PTE_R), 0);
	assert_int_equal(pt_map(root, USER_TOP - PAGE_SIZE, b, PTE_R), 0);
	assert_int_equal(pmm_free_frames(), before - 7);
	assert_int_equal(pte_to_pa(*pt_walk(root, USER_TOP - PAGE_SIZE, 0)), b);
	/* Remapping replaces the PTE and allocates nothing. */
	assert_int_equal(pt_map(root, 0x10000, b, PTE_R), 0);
	assert_int_equal(*e, pa_to_pte(b) | PTE_R | PTE_V);
	assert_int_equal(pmm_free_frames(), before - 7);
	/* pt_walk with alloc on a mapped address is the same PTE. */
	assert_ptr_equal(pt_walk(root, 0x10000, 1), e);
	assert_int_equal(pmm_free_frames(), before - 7);

	pt_free_tables(root, 0, 255);
	assert_int_equal(pmm_free_frames(), before);
	for (int i = 0; i < PT_ENTRIES; i++)
		assert_int_equal(((pte_t *)phys_to_virt(root))[i], 0);
	pmm_put(root);
	pmm_put(a);
	pmm_put(b);
	assert_baseline();
}

static void test_pt_leaf(void **state)
{
	phys_addr_t root = pt_alloc_root(), a = pmm_alloc();
	size_t before = pmm_free_frames();
	pte_t *t = phys_to_virt(root);

	(void)state;
	/* A 1 GiB leaf in the root: no table at all. */
	assert_int_equal(pt_map_leaf(root, 0x80000000UL, 0x80000000UL, 2, PTE_R | PTE_W), 0);
	assert_int_equal(pmm_free_frames(), before);
	assert_int_equal(t[2], pa_to_pte(0x80000000UL) | PTE_R | PTE_W | PTE_V);
	/* A 4 KiB caller must not walk through it. */
	assert_null(pt_walk(root, 0x80001000UL, 0));
	assert_null(pt_walk(root, 0x80001000UL, 1));
	assert_int_equal(pt_map(root, 0x80001000UL, a, PTE_R), -ENOMEM);
	assert_int_equal(pt_map_leaf(root, 0x80200000UL, a, 1, PTE_R), -EEXIST);

	/* A 2 MiB leaf: one level-1 table. */
	assert_int_equal(pt_map_leaf(root, 0x200000, 0x80200000UL, 1, PTE_R | PTE_X), 0);
	assert_int_equal(pmm_free_frames(), before - 1);
	assert_null(pt_walk(root, 0x201000, 0));
	assert_int_equal(pt_map_leaf(root, 0x201000, a, 0, PTE_R), -EEXIST);
	/* A 4 KiB leaf beside it, and in the kernel half (direct map). */
	assert_int_equal(pt_map_leaf(root, 0x400000, a, 0, PTE_R), 0);
	assert_int_equal(pte_to_pa(*pt_walk(root, 0x400000, 0)), a);
	assert_int_equal(pmm_free_frames(), before - 2);
	assert_int_equal(pt_map_leaf(root, 0xffffffc000200000UL, a, 0, PTE_R | PTE_G), 0);
	assert_int_equal(pte_to_pa(*pt_walk(root, 0xffffffc000200000UL, 0)), a);
	assert_int_equal(pmm_free_frames(), before - 4);

	/* Only the entries asked for are freed; leaves in the root are just cleared. */
	pt_free_tables(root, 0, 255);
	assert_int_equal(pmm_free_frames(), before - 2);
	assert_int_equal(t[2], 0);
	assert_int_not_equal(t[pt_index(0xffffffc000200000UL, 2)], 0);
	pt_free_tables(root, 256, 511);
	assert_int_equal(pmm_free_frames(), before);
	pmm_put(root);
	pmm_put(a);
	assert_baseline();
}

static void test_pt_oom(void **state)
{
	phys_addr_t root = pt_alloc_root(), a = pmm_alloc();
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));
	size_t n;

	(void)state;
	/* Injected failure: nothing allocated, nothing mapped. */
	pmm_set_fail_every(1);
	assert_null(pt_walk(root, 0x10000, 1));
	assert_int_equal(pt_map(root, 0x10000, a, PTE_R), -ENOMEM);
	assert_int_equal(pt_map_leaf(root, 0x10000, a, 0, PTE_R), -ENOMEM);
	assert_int_equal(pt_alloc_root(), 0);
	pmm_set_fail_every(0);
	assert_int_equal(((pte_t *)phys_to_virt(root))[0], 0);

	/* One frame left: the level-1 table is made, the level-0 one is not. */
	n = hog(f, 1);
	assert_int_equal(pt_map(root, 0x10000, a, PTE_R), -ENOMEM);
	assert_int_equal(pmm_free_frames(), 0);
	assert_null(pt_walk(root, 0x10000, 0));
	unhog(f, n);
	/* With memory back, the half-built path is completed. */
	assert_int_equal(pt_map(root, 0x10000, a, PTE_R), 0);
	pt_free_tables(root, 0, 255);
	pmm_put(root);
	pmm_put(a);
	free(f);
	assert_baseline();
}

/* Many scattered mappings; pt_free_tables returns every table frame. */
static void test_pt_free_tables(void **state)
{
	phys_addr_t root = pt_alloc_root(), a = pmm_alloc();
	size_t before = pmm_free_frames();
	uint64_t seed = SEED;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		uint64_t va = (test_rand(&seed) % USER_TOP) & PAGE_MASK;

		assert_int_equal(pt_map(root, va, a, PTE_R | PTE_U), 0);
		assert_int_equal(pte_to_pa(*pt_walk(root, va, 0)), a);
	}
	assert_true(pmm_free_frames() < before - 1000);
	pt_free_tables(root, 0, 255);
	assert_int_equal(pmm_free_frames(), before);
	pmm_put(root);
	pmm_put(a);
	assert_baseline();
}

/* --- copy-on-write ---------------------------------------------------------------- */

/* The parent's pages: one of each kind fork must treat differently. */
#define VA_W		0x10000UL		/* private, writable */
#define VA_C		0x11000UL		/* already COW: shared by an earlier fork */
#define VA_Z		0x12000UL		/* read-faulted anonymous: the zero frame */
#define VA_RO		0x20000UL		/* read-only data */
#define VA_X		0x21000UL		/* text */
#define VA_CX		0x22000UL		/* writable text, COW (a relocated static-pie) */
#define VA_SH		0x30000UL		/* MAP_SHARED: shared writable, never COW */
#define VA_FAR		0x40201000UL		/* another root entry */
#define VA_STACK	(USER_STACK_TOP - PAGE_SIZE)	/* root entry 255 */

/* Raw flags: A and D deliberately clear, so the fault must set them. */
#define F_RW	(PTE_R | PTE_W | PTE_U)
#define F_COW	(PTE_R | PTE_U | PTE_COW)
#define F_RO	(PTE_R | PTE_U | PTE_A)
#define F_RX	(PTE_R | PTE_X | PTE_U | PTE_A)
#define F_SH	(PTE_R | PTE_W | PTE_U | PTE_A | PTE_D | PTE_SHARED)	/* a shared-memory fault's */

struct parent {
	struct mm *mm;
	phys_addr_t w, c, ro, x, cx, sh, far, stack;
};

/* install - map a fresh frame with contents @seed at @va; returns it. */
static phys_addr_t install(struct mm *mm, unsigned long va, uint64_t flags, uint8_t seed)
{
	phys_addr_t pa = pmm_alloc();

	assert_int_not_equal(pa, 0);
	fill(pa, seed);
	assert_int_equal(mm_install_page(mm, va, pa, flags), 0);
	return pa;
}

/*
 * make_parent - an address space with VMAs for all the pages above and
 * those pages present, as a process would have them after running a while.
 */
static void make_parent(struct parent *p)
{
	struct mm *mm = mm_create();

	assert_non_null(mm);
	p->mm = mm;
	assert_int_equal(vm_map_anon(mm, 0x10000, 0x4000, PROT_READ | PROT_WRITE, VMA_HEAP), 0);
	assert_int_equal(vm_map_anon(mm, 0x20000, 0x1000, PROT_READ, 0), 0);
	assert_int_equal(vm_map_anon(mm, 0x21000, 0x2000, PROT_READ | PROT_EXEC, 0), 0);
	/* Shared memory as mmap makes it: an object, whose frame the VMA maps. */
	struct shmem *shm = shmem_create(1);
	assert_non_null(shm);
	assert_int_equal(mm_map(mm, &(struct vma){ .start = VA_SH, .end = VA_SH + PAGE_SIZE,
						   .prot = PROT_READ | PROT_WRITE, .kind = VMA_SHMEM,
						   .flags = VMA_SHARED | VMA_MAY_RWX, .mem = shm }), 0);
	shmem_put(shm);
	int sigbus;
	p->sh = shmem_frame(shm, 0, &sigbus);
	assert_int_not_equal(p->sh, 0);
	assert_int_equal(mm_install_page(mm, VA_SH, p->sh, F_SH), 0);
	fill(p->sh, 8);
	assert_int_equal(vm_map_anon(mm, 0x40200000, 0x200000, PROT_READ | PROT_WRITE, 0), 0);
	assert_int_equal(vm_map_anon(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
				PROT_READ | PROT_WRITE, VMA_STACK), 0);
	mm->brk_start = 0x10000;
	mm->brk = 0x14000;
	p->w = install(mm, VA_W, F_RW, 1);
	p->c = install(mm, VA_C, F_COW, 2);
	pmm_get(zero_frame);
	assert_int_equal(mm_install_page(mm, VA_Z, zero_frame, F_COW), 0);
	p->ro = install(mm, VA_RO, F_RO, 3);
	p->x = install(mm, VA_X, F_RX, 4);
	p->cx = install(mm, VA_CX, F_RX | PTE_COW, 5);
	p->far = install(mm, VA_FAR, F_RW, 6);
	p->stack = install(mm, VA_STACK, F_RW, 7);
}

static pte_t *pte_of(struct mm *mm, unsigned long va)
{
	pte_t *e = pt_walk(mm->root, va, 0);

	assert_non_null(e);
	assert_true(*e & PTE_V);
	return e;
}

/* assert_cow_shared - @va maps frame @pa read-only + PTE_COW in both, count 2. */
static void assert_cow_shared(struct mm *a, struct mm *b, unsigned long va, phys_addr_t pa)
{
	pte_t pa_pte = *pte_of(a, va), pb_pte = *pte_of(b, va);

	assert_int_equal(pa_pte, pb_pte);
	assert_int_equal(pte_to_pa(pa_pte), pa);
	assert_false(pa_pte & PTE_W);
	assert_true(pa_pte & PTE_COW);
	assert_true(pa_pte & PTE_R);
	assert_true(pa_pte & PTE_U);
	assert_int_equal(pmm_refcount(pa), 2);
}

/*
 * assert_plain_shared - @va maps @pa with exactly @flags in both, count 2
 * (3 for shared memory, whose object holds a reference too).
 */
static void assert_plain_shared(struct mm *a, struct mm *b, unsigned long va, phys_addr_t pa,
				uint64_t flags)
{
	assert_int_equal(*pte_of(a, va), pa_to_pte(pa) | flags | PTE_V);
	assert_int_equal(*pte_of(b, va), pa_to_pte(pa) | flags | PTE_V);
	assert_int_equal(pmm_refcount(pa), (flags & PTE_SHARED) ? 3 : 2);
}

/* assert_private_writable - @va maps a frame of its own, writable, A and D set, no COW. */
static phys_addr_t assert_private_writable(struct mm *mm, unsigned long va)
{
	pte_t e = *pte_of(mm, va);

	assert_true(e & PTE_W);
	assert_true(e & PTE_R);
	assert_true(e & PTE_U);
	assert_true(e & PTE_A);
	assert_true(e & PTE_D);
	assert_false(e & PTE_COW);
	assert_int_equal(pmm_refcount(pte_to_pa(e)), 1);
	return pte_to_pa(e);
}

/*
 * share_by_hand - what fork does for each leaf, done with cow_share_pte
 * by hand into a child that has the same VMAs, installing each PTE
 * through the mm API so that mm_put knows to clean it up.
 */
static struct mm *share_by_hand(struct parent *p)
{
	static const unsigned long vas[] = { VA_W, VA_C, VA_Z, VA_RO, VA_X, VA_CX, VA_SH,
					     VA_FAR, VA_STACK };
	struct mm *child = mm_create();

	assert_non_null(child);
	for (struct vma *v = p->mm->vmas; v; v = v->next)
		assert_int_equal(mm_map(child, v), 0);
	for (size_t i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
		pte_t e = cow_share_pte(pte_of(p->mm, vas[i]));

		/* mm_install_page takes over the reference cow_share_pte took. */
		assert_int_equal(mm_install_page(child, vas[i], pte_to_pa(e), pte_flags(e)), 0);
		assert_int_equal(*pte_of(child, vas[i]), e);
	}
	return child;
}

/* check_after_share - the state both share_by_hand and mm_fork must leave. */
static void check_after_share(struct parent *p, struct mm *child)
{
	assert_cow_shared(p->mm, child, VA_W, p->w);
	assert_cow_shared(p->mm, child, VA_C, p->c);
	assert_cow_shared(p->mm, child, VA_FAR, p->far);
	assert_cow_shared(p->mm, child, VA_STACK, p->stack);
	assert_cow_shared(p->mm, child, VA_CX, p->cx);
	assert_true(*pte_of(child, VA_CX) & PTE_X);
	/* Genuinely read-only pages are shared as they are. */
	assert_plain_shared(p->mm, child, VA_RO, p->ro, F_RO);
	assert_plain_shared(p->mm, child, VA_X, p->x, F_RX);
	/* MAP_SHARED pages stay writable in both: stores must be seen by both. */
	assert_plain_shared(p->mm, child, VA_SH, p->sh, F_SH);
	/* The zero frame: one more owner (permanent + parent + child). */
	assert_int_equal(*pte_of(p->mm, VA_Z), *pte_of(child, VA_Z));
	assert_int_equal(*pte_of(child, VA_Z), pa_to_pte(zero_frame) | F_COW | PTE_V);
	assert_int_equal(pmm_refcount(zero_frame), 3);
	/* Contents untouched. */
	assert_true(has_pattern(p->w, 1));
	assert_true(has_pattern(p->stack, 7));
}

/*
 * cow_fault_in - cow_fault on @e (at @va in @mm) as vm_fault runs it: with
 * a TLB batch whose round (and the frees it held back) ends the fault.
 */
static enum fault_result cow_fault_in(struct mm *mm, pte_t *e, unsigned long va)
{
	struct tlb_batch b;
	enum fault_result r;

	tlb_batch_init(&b, mm);
	r = cow_fault(&b, e, va);
	tlb_batch_finish(&b);
	return r;
}

/*
 * check_faults - the COW fault story on a shared pair: the child copies,
 * then the parent, alone again, reuses; the zero page gets a fresh frame.
 */
static void check_faults(struct parent *p, struct mm *child)
{
	phys_addr_t copy;

	dirty_free_frames();
	/* Child stores first: count 2, so a copy. */
	assert_int_equal(cow_fault_in(child, pte_of(child, VA_W), VA_W), FAULT_OK);
	copy = assert_private_writable(child, VA_W);
	assert_int_not_equal(copy, p->w);
	assert_true(has_pattern(copy, 1));
	assert_int_equal(pmm_refcount(p->w), 1);
	assert_int_equal(vmstat.cow_fault, 1);
	assert_int_equal(vmstat.cow_copy, 1);
	assert_int_equal(vmstat.cow_reuse, 0);
	/* The child's writes are its own. */
	memset(frame(copy), 0xee, PAGE_SIZE);
	assert_true(has_pattern(p->w, 1));
	/* The parent is the frame's only owner now: no copy. */
	assert_int_equal(cow_fault_in(p->mm, pte_of(p->mm, VA_W), VA_W), FAULT_OK);
	assert_int_equal(assert_private_writable(p->mm, VA_W), p->w);
	assert_int_equal(vmstat.cow_copy, 1);
	assert_int_equal(vmstat.cow_reuse, 1);
	assert_true(has_pattern(p->w, 1));

	/* The zero page: a zeroed frame of its own, one reference off the zero frame. */
	assert_int_equal(cow_fault_in(child, pte_of(child, VA_Z), VA_Z), FAULT_OK);
	copy = assert_private_writable(child, VA_Z);
	assert_int_not_equal(copy, zero_frame);
	assert_true(is_zero(copy));
	assert_int_equal(pmm_refcount(zero_frame), 2);
	assert_int_equal(vmstat.zero_fill, 1);
	assert_int_equal(vmstat.cow_copy, 1);
	/* ... even when the zero frame has a single mapping left. */
	assert_int_equal(cow_fault_in(p->mm, pte_of(p->mm, VA_Z), VA_Z), FAULT_OK);
	assert_int_not_equal(assert_private_writable(p->mm, VA_Z), zero_frame);
	assert_int_equal(pmm_refcount(zero_frame), 1);
	assert_int_equal(vmstat.zero_fill, 2);

	/* An executable COW page keeps X in its copy. */
	assert_int_equal(cow_fault_in(child, pte_of(child, VA_CX), VA_CX), FAULT_OK);
	copy = assert_private_writable(child, VA_CX);
	assert_true(*pte_of(child, VA_CX) & PTE_X);
	assert_true(has_pattern(copy, 5));
	assert_int_equal(vmstat.cow_fault, 5);
}

static void test_cow_share_pte(void **state)
{
	struct parent p;
	struct mm *child;

	(void)state;
	make_parent(&p);
	child = share_by_hand(&p);
	check_after_share(&p, child);
	check_faults(&p, child);
	mm_put(child);
	/* The parent alone: its shared frames are back to one owner. */
	assert_int_equal(pmm_refcount(p.c), 1);
	assert_int_equal(pmm_refcount(p.ro), 1);
	mm_put(p.mm);
	assert_baseline();
}

/* cow_fault out of memory: FAULT_OOM, the PTE and the counts exactly as before. */
static void test_cow_oom(void **state)
{
	static const unsigned long vas[] = { VA_W, VA_Z, VA_CX };
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));
	struct parent p;
	struct mm *child;
	size_t n;

	(void)state;
	make_parent(&p);
	child = share_by_hand(&p);
	for (int how = 0; how < 2; how++) {
		n = 0;
		if (how == 0)
			pmm_set_fail_every(1);
		else
			n = hog(f, 0);
		for (size_t i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
			pte_t *e = pte_of(child, vas[i]), old = *e;
			unsigned refs = pmm_refcount(pte_to_pa(old));

			assert_int_equal(cow_fault_in(child, e, vas[i]), FAULT_OOM);
			assert_int_equal(*e, old);
			assert_int_equal(pmm_refcount(pte_to_pa(old)), refs);
		}
		pmm_set_fail_every(0);
		unhog(f, n);
	}
	assert_int_equal(vmstat.cow_copy + vmstat.cow_reuse + vmstat.zero_fill, 0);
	assert_int_equal(vmstat.cow_fault, 6);
	memset(&vmstat, 0, sizeof(vmstat));
	/* Memory back: the same faults now succeed. */
	check_after_share(&p, child);
	check_faults(&p, child);
	mm_put(child);
	mm_put(p.mm);
	free(f);
	assert_baseline();
}

/* --- fork ------------------------------------------------------------------------- */

static void test_fork_cow(void **state)
{
	struct parent p;
	struct mm *child;
	struct vma *a, *b;

	(void)state;
	/* The kernel half is shared with every address space, not copied. */
	((pte_t *)phys_to_virt(kvm_root))[300] = pa_to_pte(RAM_BASE) | PTE_R | PTE_W | PTE_V;
	kvm_root_used[0] = 300;
	kvm_root_nused = 1;
	make_parent(&p);
	child = mm_fork(p.mm);
	assert_non_null(child);
	assert_int_equal(child->refs, 1);
	assert_int_equal(child->brk_start, p.mm->brk_start);
	assert_int_equal(child->brk, p.mm->brk);
	assert_int_equal(child->stack_top, p.mm->stack_top);
	assert_int_equal(((pte_t *)phys_to_virt(child->root))[300],
			 ((pte_t *)phys_to_virt(kvm_root))[300]);
	for (a = p.mm->vmas, b = child->vmas; a && b; a = a->next, b = b->next) {
		assert_ptr_not_equal(a, b);
		assert_int_equal(a->start, b->start);
		assert_int_equal(a->end, b->end);
		assert_int_equal(a->prot, b->prot);
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->flags, b->flags);
	}
	assert_null(a);
	assert_null(b);
	check_after_share(&p, child);
	/* Nothing was copied: only page tables were allocated. */
	assert_int_equal(vmstat.cow_copy, 0);
	/* Every page is shared; only the zero page is clean (mm_rss). */
	struct mm_rss rss;
	mm_rss(child, &rss);
	assert_int_equal(rss.shared_clean, 1);
	assert_int_equal(rss.shared_dirty, 8);
	assert_int_equal(rss.private_clean + rss.private_dirty, 0);
	assert_int_equal(rss.anon, 8);
	check_faults(&p, child);

	/* The parent exits first: the child's COW pages become its own. */
	mm_put(p.mm);
	assert_int_equal(pmm_refcount(p.far), 1);
	assert_int_equal(cow_fault_in(child, pte_of(child, VA_FAR), VA_FAR), FAULT_OK);
	assert_int_equal(assert_private_writable(child, VA_FAR), p.far);
	mm_put(child);
	((pte_t *)phys_to_virt(kvm_root))[300] = 0;
	kvm_root_nused = 0;
	assert_baseline();
}

static void test_fork_eager(void **state)
{
	struct parent p;
	struct mm *child;
	phys_addr_t n;

	(void)state;
	make_parent(&p);
	cow_enabled = 0;
	child = mm_fork(p.mm);
	assert_non_null(child);
	/* Writable pages: copied at once, the parent's left writable. */
	static const struct {
		unsigned long va;
		int seed;
	} rw[] = { { VA_W, 1 }, { VA_FAR, 6 }, { VA_STACK, 7 } };
	for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++) {
		phys_addr_t orig = pte_to_pa(*pte_of(p.mm, rw[i].va));

		assert_int_equal(*pte_of(p.mm, rw[i].va), pa_to_pte(orig) | F_RW | PTE_V);
		assert_int_equal(pmm_refcount(orig), 1);
		n = pte_to_pa(*pte_of(child, rw[i].va));
		assert_int_not_equal(n, orig);
		assert_int_equal(*pte_of(child, rw[i].va), pa_to_pte(n) | F_RW | PTE_V);
		assert_true(has_pattern(n, (uint8_t)rw[i].seed));
		assert_int_equal(pmm_refcount(n), 1);
	}
	/* A COW page is copied for the child, writable; the parent's stays COW. */
	n = pte_to_pa(*pte_of(child, VA_C));
	assert_int_not_equal(n, p.c);
	assert_int_equal(*pte_of(child, VA_C), pa_to_pte(n) | PTE_R | PTE_W | PTE_U | PTE_V);
	assert_true(has_pattern(n, 2));
	assert_int_equal(*pte_of(p.mm, VA_C), pa_to_pte(p.c) | F_COW | PTE_V);
	assert_int_equal(pmm_refcount(p.c), 1);
	assert_true(*pte_of(child, VA_CX) & PTE_X);
	/* Read-only pages and the zero frame are still shared. */
	assert_plain_shared(p.mm, child, VA_RO, p.ro, F_RO);
	assert_plain_shared(p.mm, child, VA_X, p.x, F_RX);
	assert_plain_shared(p.mm, child, VA_SH, p.sh, F_SH);
	assert_int_equal(*pte_of(child, VA_Z), pa_to_pte(zero_frame) | F_COW | PTE_V);
	assert_int_equal(pmm_refcount(zero_frame), 3);
	assert_int_equal(vmstat.cow_copy, 0);	/* eager copies are not COW faults */
	mm_put(child);
	mm_put(p.mm);
	assert_baseline();
}

/* Three generations share a frame; each exit drops exactly one reference. */
static void test_fork_generations(void **state)
{
	struct parent p;
	struct mm *child, *grandchild;

	(void)state;
	make_parent(&p);
	child = mm_fork(p.mm);
	assert_non_null(child);
	grandchild = mm_fork(child);
	assert_non_null(grandchild);
	assert_int_equal(pmm_refcount(p.w), 3);
	assert_int_equal(pmm_refcount(p.ro), 3);
	assert_int_equal(pmm_refcount(zero_frame), 4);
	assert_true(*pte_of(grandchild, VA_W) & PTE_COW);
	/* A vfork-style borrower keeps the address space alive. */
	mm_get(child);
	mm_put(child);
	assert_int_equal(pmm_refcount(p.w), 3);
	mm_put(child);
	assert_int_equal(pmm_refcount(p.w), 2);
	/* Still shared with the grandchild: the parent's fault copies. */
	assert_int_equal(cow_fault_in(p.mm, pte_of(p.mm, VA_W), VA_W), FAULT_OK);
	assert_int_not_equal(assert_private_writable(p.mm, VA_W), p.w);
	assert_int_equal(pmm_refcount(p.w), 1);
	mm_put(p.mm);
	mm_put(grandchild);
	assert_baseline();
}

/*
 * fork_oom_frames - fork with exactly @k free frames, for every @k up to
 * what a successful fork needs: every frame allocation in mm_fork fails
 * once.  Each failure returns NULL and leaks nothing; the parent stays
 * whole and can still be forked afterwards.
 */
static void fork_oom_frames(int cow)
{
	phys_addr_t *f = malloc(ARENA_FRAMES * sizeof(*f));
	struct parent p;
	size_t with_parent, n, k;
	unsigned long objs;
	struct mm *child;

	make_parent(&p);
	cow_enabled = cow;
	with_parent = pmm_free_frames();
	objs = kmalloc_objects();
	for (k = 0;; k++) {
		n = hog(f, k);
		child = mm_fork(p.mm);
		unhog(f, n);
		if (child)
			break;
		assert_int_equal(pmm_free_frames(), with_parent);
		assert_int_equal(kmalloc_objects(), objs);
		assert_int_equal(pmm_refcount(p.w), 1);
		assert_int_equal(pmm_refcount(p.ro), 1);
		assert_int_equal(pmm_refcount(zero_frame), 2);
		assert_true(k < 64);
	}
	/*
	 * A root, a level-1 and a level-0 table for each of the 3 root entries
	 * in use; without COW also a copy of each of the 5 writable or COW pages.
	 */
	assert_int_equal(k, cow ? 7 : 12);
	if (cow)
		check_after_share(&p, child);
	mm_put(child);
	assert_int_equal(pmm_free_frames(), with_parent);
	mm_put(p.mm);
	free(f);
	assert_baseline();
}

static void test_fork_oom_cow(void **state)
{
	(void)state;
	fork_oom_frames(1);
}

static void test_fork_oom_eager(void **state)
{
	(void)state;
	fork_oom_frames(0);
}

/*
 * Fault injection (frames and kmalloc alike) at every period: forks fail
 * at many different points; none leaks, none breaks the parent.
 */
static void test_fork_fail_injection(void **state)
{
	struct parent p;
	size_t with_parent;
	unsigned long objs;
	int ok = 0, failed = 0;

	(void)state;
	make_parent(&p);
	with_parent = pmm_free_frames();
	objs = kmalloc_objects();
	for (int cow = 0; cow < 2; cow++)
		for (unsigned every = 2; every < 40; every++)
			for (int rep = 0; rep < 3; rep++) {
				struct mm *child;

				cow_enabled = cow;
				pmm_set_fail_every(every);
				child = mm_fork(p.mm);
				pmm_set_fail_every(0);
				if (child) {
					ok++;
					mm_put(child);
				} else {
					failed++;
				}
				assert_int_equal(pmm_free_frames(), with_parent);
				assert_int_equal(kmalloc_objects(), objs);
				assert_int_equal(pmm_refcount(p.w), 1);
				assert_int_equal(pmm_refcount(p.x), 1);
			}
	assert_true(ok > 0);
	assert_true(failed > 0);
	/* The parent's data survived it all. */
	assert_true(has_pattern(p.w, 1));
	assert_true(has_pattern(p.stack, 7));
	mm_put(p.mm);
	assert_baseline();
}

#define VM_TEST(f) cmocka_unit_test_setup_teardown(f, vm_arena_setup, vm_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usable_cases),
		cmocka_unit_test(test_usable_max),
		cmocka_unit_test(test_usable_random),
		cmocka_unit_test(test_usable_many),
		VM_TEST(test_pmm_alloc_all),
		VM_TEST(test_pmm_refcount),
		VM_TEST(test_pmm_fail_every),
		VM_TEST(test_pmm_panics),
		VM_TEST(test_pmm_ranges_span),
		VM_TEST(test_pt_map_walk),
		VM_TEST(test_pt_leaf),
		VM_TEST(test_pt_oom),
		VM_TEST(test_pt_free_tables),
		VM_TEST(test_cow_share_pte),
		VM_TEST(test_cow_oom),
		VM_TEST(test_fork_cow),
		VM_TEST(test_fork_eager),
		VM_TEST(test_fork_generations),
		VM_TEST(test_fork_oom_cow),
		VM_TEST(test_fork_oom_eager),
		VM_TEST(test_fork_fail_injection),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
