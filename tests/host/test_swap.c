/*
 * test_swap.c - host test of vm/'s swap: areas and slots (vm/swap_area.c),
 * swap entries, the swap cache and its I/O (vm/swap.c), reclaim's clock
 * (vm/reclaim.c) and swapoff (vm/swap_unuse.c), with fault.c, fork.c,
 * ptshare.c, mm.c and mremap.c built with -DHOST_TEST (linked like
 * test_fault).
 *
 * The disk is memory: struct memdisk, an array of pages behind a struct
 * swap_io, which counts every page read and written (per offset) and can be
 * told to fail the reads or writes of chosen offsets.  Address spaces are
 * built with the mm API and faulted with vm_fault, which itself drops its
 * lock and calls swap_fault_wait on FAULT_RETRY, as in the kernel.  The host
 * is single-threaded: no I/O is ever in flight for someone else, so
 * sched_sleep (a failure stub, host_stubs.c) is never reached.
 *
 * Pages are swapped out two ways: swap_out_range() makes the calls reclaim's
 * scan makes for a chosen range (swap_out_pte under the mm's lock, the
 * entries' references dropped, swap_writeout of the new slots,
 * swap_try_drop of the cached ones), and reclaim_retry() runs the real
 * clock.
 *
 * Every test ends in end_check(): no slot in use, nothing cached, SwapFree
 * equal to SwapTotal, the areas removed, and every frame and kmalloc object
 * back (assert_baseline).

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
#include "vm/reclaim.h"
#include "vm/shmem.h"
#include "vm/swap_int.h"
#include "kernel/errno.h"

#define RAM_BASE	0x80000000UL
#define ARENA_SIZE	(32UL << 20)
#define VM_ARENA_BASELINE
#include "vm_arena.h"

#define VA_A		0x400000UL	/* a 2 MiB area: one level-0 table */
#define VA_B		0x40000000UL	/* a small area in another region */
#define VA_C		0x60000000UL	/* where mremap moves things */
#define REGION		(2UL << 20)
#define RW		(PROT_READ | PROT_WRITE)
#define BIG		300		/* pages: enough for fork to share the table (PTSHARE_MIN_PAGES) */

/* --- the disk: pages in memory --------------------------------------------------- */

#define DISK_PAGES	512

struct memdisk {
	uint8_t page[DISK_PAGES][PAGE_SIZE];
	unsigned reads[DISK_PAGES], writes[DISK_PAGES];	/* per offset, failed ones too */
	bool fail_read[DISK_PAGES], fail_write[DISK_PAGES];
	bool fail_all_writes;
	unsigned read_calls, write_calls;
	unsigned long nread, nwritten;
};

static struct memdisk disk;

/*
 * mem_rw - swap_io.rw over struct memdisk: every page moved (or failed),
 * -EIO if any failed (swap.h's contract).  A failed read leaves rubbish in
 * the frame, as a real one may.
 */
static int mem_rw(void *dev, int write, const uint32_t *off, const phys_addr_t *pa, unsigned n)
{
	struct memdisk *d = dev;
	int err = 0;

	assert_true(n >= 1 && n <= SWAP_IO_MAX);
	for (unsigned i = 0; i < n; i++) {
		uint32_t o = off[i];

		assert_true(o >= 1 && o < DISK_PAGES);	/* page 0 is the header: never a slot */
		if (write) {
			d->writes[o]++;
			d->nwritten++;
			if (d->fail_write[o] || d->fail_all_writes)
				err = -EIO;
			else
				memcpy(d->page[o], phys_to_virt(pa[i]), PAGE_SIZE);
		} else {
			d->reads[o]++;
			d->nread++;
			if (d->fail_read[o]) {
				memset(phys_to_virt(pa[i]), 0xdb, PAGE_SIZE);
				err = -EIO;
			} else {
				memcpy(phys_to_virt(pa[i]), d->page[o], PAGE_SIZE);
			}
		}
	}
	if (write)
		d->write_calls++;
	else
		d->read_calls++;
	return err;
}

static const struct swap_io mem_io = { .rw = mem_rw };

/* area_on - the whole disk as one area of priority @prio; its index. */
static int area_on(int prio)
{
	int a = swap_area_add(&mem_io, &disk, DISK_PAGES, NULL, 0, prio);

	assert_true(a >= 0);
	return a;
}

/* --- address spaces ----------------------------------------------------------------- */

#define MAX_MMS 8
static struct mm *live[MAX_MMS];	/* what teardown puts if a test stopped half way */

static struct mm *new_mm(void)
{
	struct mm *mm = mm_create();

	assert_non_null(mm);
	mm->reclaimable = 1;	/* as if it had run (mm.h) */
	for (int i = 0; i < MAX_MMS; i++)
		if (!live[i]) {
			live[i] = mm;
			return mm;
		}
	fail_msg("too many address spaces");
	return NULL;
}

static struct mm *fork_mm(struct mm *p)
{
	struct mm *c = mm_fork(p);

	assert_non_null(c);
	for (int i = 0; i < MAX_MMS; i++)
		if (!live[i]) {
			live[i] = c;
			return c;
		}
	fail_msg("too many address spaces");
	return NULL;
}

/* put_mm - exit: the last reference to @mm goes. */
static void put_mm(struct mm *mm)
{
	for (int i = 0; i < MAX_MMS; i++)
		if (live[i] == mm)
			live[i] = NULL;
	mm_put(mm);
}

static void map_anon(struct mm *mm, unsigned long va, unsigned long pages)
{
	assert_int_equal(vm_map_anon(mm, va, pages * PAGE_SIZE, RW, 0), 0);
}

/* swp_at - the slot the swap entry at @va names (fails if it is not a swap entry). */
static swp_t swp_at(struct mm *mm, unsigned long va)
{
	pte_t e = arena_pte_at(mm, va);

	if (!pte_is_swap(e))
		fail_msg("%#lx: %#lx is not a swap entry", va, (unsigned long)e);
	return pte_to_swp(e);
}

static unsigned count_of(swp_t s)
{
	struct swap_slot *sl = swap_slot_locked(s);

	assert_non_null(sl);
	return slot_count(sl);
}

/* --- page contents: every word holds a tag ------------------------------------- */

static uint64_t tag(unsigned long va, unsigned who)
{
	return 0x5a00000000000000ull | ((uint64_t)who << 40) | va;
}

static bool page_has(const void *p, uint64_t t)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i] != t)
			return false;
	return true;
}

/* user_write - a store of tag @t filling the page at @va, faulting as the hardware would. */
static enum fault_result user_write(struct mm *mm, unsigned long va, uint64_t t)
{
	pte_t e = arena_pte_at(mm, va);

	if (!(e & PTE_V) || !(e & PTE_W)) {
		enum fault_result r = vm_fault(mm, va, FAULT_WRITE);
		if (r != FAULT_OK)
			return r;
		e = arena_pte_at(mm, va);
		assert_true((e & PTE_V) && (e & PTE_W));
	}
	uint64_t *w = phys_to_virt(pte_to_pa(e));
	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		w[i] = t;
	return FAULT_OK;
}

/* user_read - a load of the page at @va: FAULT_OK and *@ok = whether it holds tag @t. */
static enum fault_result user_read(struct mm *mm, unsigned long va, uint64_t t, bool *ok)
{
	pte_t e = arena_pte_at(mm, va);

	if (!(e & PTE_V)) {
		enum fault_result r = vm_fault(mm, va, FAULT_READ);
		if (r != FAULT_OK)
			return r;
		e = arena_pte_at(mm, va);
		assert_true(e & PTE_V);
	}
	*ok = page_has(phys_to_virt(pte_to_pa(e)), t);
	return FAULT_OK;
}

static void fill(struct mm *mm, unsigned long va, unsigned pages, unsigned who)
{
	for (unsigned i = 0; i < pages; i++)
		assert_int_equal(user_write(mm, va + i * PAGE_SIZE, tag(va + i * PAGE_SIZE, who)),
				 FAULT_OK);
}

/* expect - the page at @va of @mm reads back tag(@tva, @who). */
static void expect(struct mm *mm, unsigned long va, unsigned long tva, unsigned who)
{
	bool ok = false;

	assert_int_equal(user_read(mm, va, tag(tva, who), &ok), FAULT_OK);
	if (!ok)
		fail_msg("page %#lx does not hold the tag of %#lx/%u", va, tva, who);
}

/* --- swapping out: what reclaim's scan does, for a chosen range ------------------ */

/*
 * swap_out_range - every present private page of @mm in [@va, +@pages)
 * goes to swap as reclaim.c's scan_entry and finish take it: swap_out_pte
 * under the mm's lock (and ptshare_lock for a shared table), then the
 * entries' references dropped, the new slots written (one swap_writeout per
 * SWAP_IO_MAX), the cached ones offered to swap_try_drop.  Frames freed.
 */
static unsigned long swap_out_range(struct mm *mm, unsigned long va, unsigned pages)
{
	unsigned long freed = 0;

	for (unsigned done = 0; done < pages;) {
		phys_addr_t f[SWAP_IO_MAX];
		swp_t s[SWAP_IO_MAX], out[SWAP_IO_MAX];
		int fresh[SWAP_IO_MAX];
		unsigned n = 0, nout = 0;

		spin_lock(&mm->lock);
		for (; done < pages && n < SWAP_IO_MAX; done++) {
			pte_t *e = pt_walk(mm->root, va + done * PAGE_SIZE, 0);
			if (!e || !(*e & PTE_V))
				continue;
			f[n] = pte_to_pa(*e);
			enum swap_out_result r = swap_out_pte(e, &s[n]);
			assert_int_not_equal(r, SWAP_OUT_NONE);
			fresh[n++] = r == SWAP_OUT_NEW;
		}
		spin_unlock(&mm->lock);
		for (unsigned i = 0; i < n; i++)
			pmm_put(f[i]);
		for (unsigned i = 0; i < n; i++) {
			if (fresh[i])
				out[nout++] = s[i];
			else
				freed += (unsigned long)swap_try_drop(f[i]);
		}
		if (nout)
			freed += swap_writeout(out, nout);
	}
	return freed;
}

/* --- setup and the end-of-test check -------------------------------------------- */

static int setup(void **state)
{
	memset(&disk, 0, sizeof(disk));
	memset(live, 0, sizeof(live));
	return vm_arena_setup(state);
}

/* remove_all - turn every area off: 0, or the first error. */
static int remove_all(void)
{
	struct swap_area_info info;
	int r = 0;

	for (int i = 0; i < SWAP_MAX_AREAS; i++)
		if (swap_area_info(i, &info) == 0 && swap_area_remove(i) && !r)
			r = -1;
	return r;
}

static phys_addr_t *hogged;
static void unhog(void);

static int teardown(void **state)
{
	(void)state;
	pmm_set_fail_every(0);
	reclaim_low = 0;
	if (hogged)
		unhog();
	for (int i = 0; i < MAX_MMS; i++)
		if (live[i]) {
			mm_put(live[i]);
			live[i] = NULL;
		}
	remove_all();
	return 0;
}

/* end_check - every address space is gone: no slot held, nothing cached, areas off, no leak. */
static void end_check(void)
{
	struct swap_totals t;

	for (int i = 0; i < MAX_MMS; i++)
		assert_null(live[i]);
	assert_int_equal(swap_slots_used(), 0);
	swap_totals(&t);
	assert_int_equal(t.cached, 0);
	assert_int_equal(t.free, t.total);
	assert_int_equal(remove_all(), 0);
	swap_totals(&t);
	assert_int_equal(t.total, 0);
	assert_false(swap_active());
	assert_baseline();
}

/*
 * reset_clock - the clock's hand, left wherever the last test put it, goes
 * back to the start: one reclaim run (an area must be on) that finds no
 * address space it may take from goes round to the end.
 */
static void reset_clock(void)
{
	int saved[MAX_MMS];

	for (int i = 0; i < MAX_MMS; i++)
		if (live[i]) {
			saved[i] = live[i]->reclaimable;
			live[i]->reclaimable = 0;
		}
	reclaim_retry();
	for (int i = 0; i < MAX_MMS; i++)
		if (live[i])
			live[i]->reclaimable = saved[i];
}

/* --- areas and slots ------------------------------------------------------------- */

/* alloc_all - take every free slot (count 1) into @s (room for @max); how many. */
static unsigned alloc_all(swp_t *s, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		spin_lock(&swap_lock);
		swp_t x = swap_alloc_locked(1);
		spin_unlock(&swap_lock);
		if (!x)
			return n;
		assert_true(n < max);
		s[n++] = x;
	}
}

static void free_all(const swp_t *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		swap_free(s[i]);
}

/* The bad-page list: those pages are never slots, out-of-range entries are ignored. */
static void test_area_bad_pages(void **state)
{
	static const uint32_t bad[] = { 1, 5, 63, 0, 64, 200, 5 };
	struct swap_area_info info;
	struct swap_totals t;
	swp_t s[64];

	(void)state;
	int a = swap_area_add(&mem_io, &disk, 64, bad, 7, -2);
	assert_true(a >= 0);
	assert_true(swap_active());
	assert_int_equal(swap_area_info(a, &info), 0);
	assert_ptr_equal(info.dev, &disk);
	assert_int_equal(info.prio, -2);
	assert_int_equal(info.size, 60);	/* pages 1..63, but 1, 5 and 63 */
	assert_int_equal(info.used, 0);

	unsigned n = alloc_all(s, 64);
	assert_int_equal(n, 60);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(swp_area(s[i]), a);
		assert_true(swp_off(s[i]) != 1 && swp_off(s[i]) != 5 && swp_off(s[i]) != 63);
		assert_true(swp_off(s[i]) >= 1 && swp_off(s[i]) < 64);
		for (unsigned j = 0; j < i; j++)
			assert_int_not_equal(s[i], s[j]);
	}
	swap_totals(&t);
	assert_int_equal(t.total, 60);
	assert_int_equal(t.free, 0);
	assert_int_equal(swap_slots_used(), 60);
	free_all(s, n);
	swap_totals(&t);
	assert_int_equal(t.free, 60);
	end_check();
}

/* Higher priority first; equal priorities take turns; then the lower. */
static void test_area_priorities(void **state)
{
	swp_t s[32];

	(void)state;
	int lo = swap_area_add(&mem_io, &disk, 9, NULL, 0, 5);
	int b = swap_area_add(&mem_io, &disk, 9, NULL, 0, 10);
	int c = swap_area_add(&mem_io, &disk, 9, NULL, 0, 10);
	assert_true(lo >= 0 && b >= 0 && c >= 0);

	unsigned n = alloc_all(s, 32);
	assert_int_equal(n, 24);
	unsigned nb = 0, nc = 0;
	for (unsigned i = 0; i < 16; i++) {
		assert_true(swp_area(s[i]) == (unsigned)b || swp_area(s[i]) == (unsigned)c);
		nb += swp_area(s[i]) == (unsigned)b;
		nc += swp_area(s[i]) == (unsigned)c;
		if (i > 0)	/* in turn, not one after the other */
			assert_int_not_equal(swp_area(s[i]), swp_area(s[i - 1]));
	}
	assert_int_equal(nb, 8);
	assert_int_equal(nc, 8);
	for (unsigned i = 16; i < 24; i++)
		assert_int_equal(swp_area(s[i]), lo);
	free_all(s, n);
	end_check();
}

/* -EPERM past SWAP_MAX_AREAS, -EINVAL with no usable page, -ENOENT for an area that is off. */
static void test_area_limits(void **state)
{
	static const uint32_t all_bad[] = { 1, 2 };
	struct swap_area_info info;
	int idx[SWAP_MAX_AREAS];

	(void)state;
	assert_int_equal(swap_area_add(&mem_io, &disk, 1, NULL, 0, 0), -EINVAL);
	assert_int_equal(swap_area_add(&mem_io, &disk, 3, all_bad, 2, 0), -EINVAL);
	assert_false(swap_active());
	for (int i = 0; i < SWAP_MAX_AREAS; i++) {
		idx[i] = swap_area_add(&mem_io, &disk, 2, NULL, 0, i);
		assert_true(idx[i] >= 0 && idx[i] < SWAP_MAX_AREAS);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(idx[i], idx[j]);
	}
	size_t free_before = pmm_free_frames();
	unsigned long objs = kmalloc_objects();
	assert_int_equal(swap_area_add(&mem_io, &disk, 2, NULL, 0, 0), -EPERM);
	assert_int_equal(pmm_free_frames(), free_before);	/* the refused one gave back its maps */
	assert_int_equal(kmalloc_objects(), objs);

	assert_int_equal(swap_area_remove(idx[7]), 0);
	assert_int_equal(swap_area_remove(idx[7]), -ENOENT);
	assert_int_equal(swap_area_info(idx[7], &info), -ENOENT);
	assert_int_equal(swap_area_remove(-1), -ENOENT);
	assert_int_equal(swap_area_remove(SWAP_MAX_AREAS), -ENOENT);
	/* A place is free again. */
	int again = swap_area_add(&mem_io, &disk, 2, NULL, 0, 0);
	assert_int_equal(again, idx[7]);
	end_check();
}

/* --- out and back ----------------------------------------------------------------- */

/* One mapper: written once, read once, the bytes back, writable at once (alone). */
static void test_roundtrip(void **state)
{
	const unsigned n = 8;

	(void)state;
	area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, n);
	fill(mm, VA_B, n, 1);
	size_t before = pmm_free_frames();

	assert_int_equal(swap_out_range(mm, VA_B, n), n);
	assert_int_equal(pmm_free_frames(), before + n);
	assert_int_equal(swap_slots_used(), n);
	assert_int_equal(vmstat.pswpout, n);
	assert_int_equal(disk.nwritten, n);
	for (unsigned i = 0; i < n; i++) {
		swp_t s = swp_at(mm, VA_B + i * PAGE_SIZE);
		assert_int_equal(count_of(s), 1);
		assert_int_equal(disk.writes[swp_off(s)], 1);
		assert_true(page_has(disk.page[swp_off(s)], tag(VA_B + i * PAGE_SIZE, 1)));
	}
	struct mm_rss r;
	mm_rss(mm, &r);
	assert_int_equal(r.swap, n);

	for (unsigned i = 0; i < n; i++)
		expect(mm, VA_B + i * PAGE_SIZE, VA_B + i * PAGE_SIZE, 1);
	assert_int_equal(disk.nread, n);	/* each page read once, readahead or not */
	assert_int_equal(vmstat.pswpin, n);
	assert_true(arena_pte_at(mm, VA_B) & PTE_W);	/* the faulting page: nobody else can map it */
	for (unsigned i = 0; i < n; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		phys_addr_t f = arena_frame_at(mm, va);
		assert_int_equal(pmm_refcount(f), 1);
		assert_int_equal(swap_slot_of(f), 0);
		assert_int_equal(user_write(mm, va, tag(va, 2)), FAULT_OK);
		assert_int_equal(arena_frame_at(mm, va), f);	/* ours alone: written in place */
	}
	assert_int_equal(vmstat.cow_copy, 0);
	assert_int_equal(swap_slots_used(), 0);
	assert_int_equal(pmm_free_frames(), before);
	put_mm(mm);
	end_check();
}

/*
 * A COW page of three forked address spaces (copied tables): written once,
 * freed once; every PTE names one slot with count 3.  The first fault reads
 * it, the others map the same frame read-only; writes copy, the last holder
 * reuses; nobody sees another's writes.
 */
static void test_cow_swapped_once(void **state)
{
	const unsigned n = 4;
	struct mm *m[3];

	(void)state;
	area_on(0);
	m[0] = new_mm();
	map_anon(m[0], VA_B, n);
	fill(m[0], VA_B, n, 0);
	m[1] = fork_mm(m[0]);
	m[2] = fork_mm(m[0]);
	assert_int_not_equal(arena_table_of(m[0], VA_B), arena_table_of(m[1], VA_B));
	size_t before = pmm_free_frames();

	unsigned long freed = 0;
	for (int k = 0; k < 3; k++)
		freed += swap_out_range(m[k], VA_B, n);
	assert_int_equal(freed, n);
	assert_int_equal(pmm_free_frames(), before + n);
	assert_int_equal(disk.nwritten, n);	/* once, whatever the mappers */
	assert_int_equal(swap_slots_used(), n);
	for (unsigned i = 0; i < n; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		swp_t s = swp_at(m[0], va);
		assert_int_equal(swp_at(m[1], va), s);
		assert_int_equal(swp_at(m[2], va), s);
		assert_int_equal(count_of(s), 3);
		assert_int_equal(disk.writes[swp_off(s)], 1);
	}

	/* Page 0: m0 reads it (once), m1 maps the same frame, read-only. */
	swp_t s0 = swp_at(m[0], VA_B);
	expect(m[0], VA_B, VA_B, 0);
	assert_int_equal(disk.reads[swp_off(s0)], 1);
	phys_addr_t f = arena_frame_at(m[0], VA_B);
	assert_false(arena_pte_at(m[0], VA_B) & PTE_W);
	assert_int_equal(swap_slot_of(f), s0);	/* still cached: m2 may come */
	expect(m[1], VA_B, VA_B, 0);
	assert_int_equal(arena_frame_at(m[1], VA_B), f);
	assert_false(arena_pte_at(m[1], VA_B) & PTE_W);
	assert_int_equal(count_of(s0), 1);
	/* m2 writes: the last holder of the slot, but the frame is shared: a copy. */
	assert_int_equal(user_write(m[2], VA_B, tag(VA_B, 2)), FAULT_OK);
	assert_int_not_equal(arena_frame_at(m[2], VA_B), f);
	assert_int_equal(swap_slot_of(f), 0);	/* the slot is free, the cache let go */
	assert_int_equal(disk.reads[swp_off(s0)], 1);
	expect(m[0], VA_B, VA_B, 0);
	expect(m[1], VA_B, VA_B, 0);
	/* m1 writes: a copy; then m0 is alone and reuses its frame. */
	assert_int_equal(user_write(m[1], VA_B, tag(VA_B, 1)), FAULT_OK);
	assert_int_not_equal(arena_frame_at(m[1], VA_B), f);
	assert_int_equal(user_write(m[0], VA_B, tag(VA_B, 9)), FAULT_OK);
	assert_int_equal(arena_frame_at(m[0], VA_B), f);
	expect(m[0], VA_B, VA_B, 9);
	expect(m[1], VA_B, VA_B, 1);
	expect(m[2], VA_B, VA_B, 2);

	/* The other pages: m1 and m2 exit; m0, alone, writes in place. */
	put_mm(m[1]);
	put_mm(m[2]);
	for (unsigned i = 1; i < n; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		expect(m[0], va, va, 0);
		phys_addr_t g = arena_frame_at(m[0], va);
		assert_int_equal(user_write(m[0], va, tag(va, 7)), FAULT_OK);
		assert_int_equal(arena_frame_at(m[0], va), g);
	}
	for (unsigned i = 0; i < DISK_PAGES; i++)
		assert_true(disk.reads[i] <= 1);
	put_mm(m[0]);
	end_check();
}

/*
 * A shared level-0 table (fork of a big region) holds one entry per page:
 * swapping it out gives one slot count 1, whoever's table it is.  The child's
 * fault unshares (count 2) and reads; the parent maps the same frame.
 */
static void test_shared_table_swapped(void **state)
{
	(void)state;
	area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_A, REGION / PAGE_SIZE);
	fill(p, VA_A, BIG, 0);
	struct mm *c = fork_mm(p);
	phys_addr_t t = arena_table_of(p, VA_A);
	assert_int_equal(arena_table_of(c, VA_A), t);

	swap_out_range(p, VA_A, BIG);
	assert_int_equal(swap_out_range(c, VA_A, BIG), 0);	/* the same entries: nothing left */
	assert_int_equal(disk.nwritten, BIG);
	assert_int_equal(swap_slots_used(), BIG);
	swp_t s5 = swp_at(c, VA_A + 5 * PAGE_SIZE);
	assert_int_equal(count_of(s5), 1);

	expect(c, VA_A + 5 * PAGE_SIZE, VA_A + 5 * PAGE_SIZE, 0);
	assert_int_not_equal(arena_table_of(c, VA_A), t);	/* unshared */
	assert_int_equal(disk.reads[swp_off(s5)], 1);
	expect(p, VA_A + 5 * PAGE_SIZE, VA_A + 5 * PAGE_SIZE, 0);
	assert_int_equal(arena_frame_at(p, VA_A + 5 * PAGE_SIZE), arena_frame_at(c, VA_A + 5 * PAGE_SIZE));
	assert_int_equal(disk.reads[swp_off(s5)], 1);
	/* The parent's write copies; the child keeps the old bytes. */
	assert_int_equal(user_write(p, VA_A + 5 * PAGE_SIZE, tag(VA_A, 3)), FAULT_OK);
	expect(c, VA_A + 5 * PAGE_SIZE, VA_A + 5 * PAGE_SIZE, 0);
	/* Exit in either order frees every slot, read or not. */
	put_mm(c);
	put_mm(p);
	end_check();
}

/*
 * Pages read ahead for a sole owner are as writable as the faulting one:
 * the slot's last holder takes the frame alone, so a store should not fault
 * again.
 */
static void test_readahead_alone_writable(void **state)
{
	const unsigned n = 4;

	(void)state;
	area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, n);
	fill(mm, VA_B, n, 0);
	swap_out_range(mm, VA_B, n);
	expect(mm, VA_B, VA_B, 0);
	assert_int_equal(disk.nread, n);	/* the others came with it */
	unsigned long faults = vmstat.pgfault;
	for (unsigned i = 1; i < n; i++) {
		pte_t e = arena_pte_at(mm, VA_B + i * PAGE_SIZE);
		assert_true(e & PTE_V);
		assert_int_equal(pmm_refcount(pte_to_pa(e)), 1);
		if (!(e & PTE_W))
			fail_msg("page %u: read ahead for its only mapper, mapped read-only (%#lx)", i,
				 (unsigned long)pte_flags(e));
	}
	assert_int_equal(vmstat.pgfault, faults);
	put_mm(mm);
	end_check();
}

/* A page that came back and was not written goes out again with no write: it is on disk. */
static void test_reswap_clean_costs_no_write(void **state)
{
	(void)state;
	area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_B, 1);
	fill(p, VA_B, 1, 0);
	struct mm *c = fork_mm(p);
	swap_out_range(p, VA_B, 1);
	swap_out_range(c, VA_B, 1);
	swp_t s = swp_at(p, VA_B);
	expect(p, VA_B, VA_B, 0);		/* cached, count 1 (the child's entry) */
	assert_int_equal(count_of(s), 1);
	size_t before = pmm_free_frames();

	assert_int_equal(swap_out_range(p, VA_B, 1), 1);
	assert_int_equal(disk.nwritten, 1);
	assert_int_equal(swp_at(p, VA_B), s);
	assert_int_equal(count_of(s), 2);
	assert_int_equal(pmm_free_frames(), before + 1);
	expect(c, VA_B, VA_B, 0);
	expect(p, VA_B, VA_B, 0);
	assert_int_equal(disk.nread, 2);	/* read again: the frame had gone */
	put_mm(p);
	put_mm(c);
	end_check();
}

/*
 * A frame left in the swap cache that nobody maps any more (its mapper
 * copied it) is freed by the sweep, without touching any page table.
 */
static void test_sweep_frees_unmapped_cache(void **state)
{
	struct swap_totals t;

	(void)state;
	area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_B, 1);
	fill(p, VA_B, 1, 0);
	struct mm *c = fork_mm(p);
	swap_out_range(p, VA_B, 1);
	swap_out_range(c, VA_B, 1);
	expect(p, VA_B, VA_B, 0);
	phys_addr_t f = arena_frame_at(p, VA_B);
	assert_int_equal(user_write(p, VA_B, tag(VA_B, 1)), FAULT_OK);	/* a copy */
	assert_int_not_equal(arena_frame_at(p, VA_B), f);
	assert_int_equal(pmm_refcount(f), 1);	/* the cache's alone */
	swap_totals(&t);
	assert_int_equal(t.cached, 1);
	size_t before = pmm_free_frames();

	assert_int_equal(swap_sweep(2 * DISK_PAGES, 8), 1);
	assert_int_equal(pmm_free_frames(), before + 1);
	swap_totals(&t);
	assert_int_equal(t.cached, 0);
	expect(c, VA_B, VA_B, 0);		/* read again */
	assert_int_equal(disk.nread, 2);
	expect(p, VA_B, VA_B, 1);
	put_mm(p);
	put_mm(c);
	end_check();
}

/* A swap entry carries no protection: the swap-in takes the area's, as mprotect left it. */
static void test_mprotect_swapped(void **state)
{
	(void)state;
	area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, 2);
	fill(mm, VA_B, 2, 0);
	swap_out_range(mm, VA_B, 2);
	swp_t s = swp_at(mm, VA_B);

	assert_int_equal(mm_protect(mm, VA_B, 2 * PAGE_SIZE, PROT_READ), 0);
	assert_int_equal(swp_at(mm, VA_B), s);	/* the entry untouched */
	assert_int_equal(vm_fault(mm, VA_B + PAGE_SIZE, FAULT_WRITE), FAULT_SIGSEGV_ACCERR);
	assert_int_equal(disk.nread, 0);
	/* Page 1 comes back read-only; page 0, before it, stays on disk (no readahead backwards). */
	expect(mm, VA_B + PAGE_SIZE, VA_B + PAGE_SIZE, 0);
	assert_false(arena_pte_at(mm, VA_B + PAGE_SIZE) & PTE_W);
	assert_int_equal(swp_at(mm, VA_B), s);
	assert_int_equal(mm_protect(mm, VA_B, 2 * PAGE_SIZE, 0), 0);
	assert_int_equal(vm_fault(mm, VA_B, FAULT_READ), FAULT_SIGSEGV_ACCERR);
	assert_int_equal(disk.nread, 1);
	assert_int_equal(mm_protect(mm, VA_B, 2 * PAGE_SIZE, RW), 0);
	assert_int_equal(user_write(mm, VA_B, tag(VA_B, 3)), FAULT_OK);
	assert_int_equal(disk.nread, 2);
	expect(mm, VA_B, VA_B, 3);
	expect(mm, VA_B + PAGE_SIZE, VA_B + PAGE_SIZE, 0);
	put_mm(mm);
	end_check();
}

/*
 * An entry taken by reclaim whose process lets it go before the write (it
 * exits, or unmaps): the slot has no holder but the writer's pin, so
 * nothing is written and the frame and slot are freed at once.
 */
static void test_writeout_skips_dead_slots(void **state)
{
	swp_t s;

	(void)state;
	area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, 1);
	fill(mm, VA_B, 1, 0);
	size_t before = pmm_free_frames();

	pte_t *e = pt_walk(mm->root, VA_B, 0);
	phys_addr_t f = pte_to_pa(*e);
	assert_int_equal(swap_out_pte(e, &s), SWAP_OUT_NEW);
	pmm_put(f);				/* the entry's reference, after the TLB round */
	assert_int_equal(count_of(s), 2);	/* the entry and the writer's pin */
	assert_int_equal(mm_unmap(mm, VA_B, PAGE_SIZE), 0);
	assert_int_equal(count_of(s), 1);
	assert_int_equal(swap_writeout(&s, 1), 1);
	assert_int_equal(disk.nwritten, 0);
	assert_int_equal(vmstat.pswpout, 0);
	assert_int_equal(swap_slots_used(), 0);
	assert_int_equal(pmm_free_frames(), before + 1);
	put_mm(mm);
	end_check();
}

/* --- fork, munmap, MADV_DONTNEED, mremap, exit ----------------------------------- */

/*
 * fork of an address space whose pages are on disk (a shared table and a
 * copied one) reads nothing and raises the copied entries' counts; munmap,
 * MADV_DONTNEED and exit give slots back; mremap moves entries with their
 * slots, and the page reads back at its new address.
 */
static void test_fork_and_release(void **state)
{
	const unsigned nb = 4;

	(void)state;
	area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_A, REGION / PAGE_SIZE);
	fill(p, VA_A, BIG, 0);
	map_anon(p, VA_B, nb);
	fill(p, VA_B, nb, 0);
	swap_out_range(p, VA_A, BIG);
	swap_out_range(p, VA_B, nb);
	assert_int_equal(swap_slots_used(), BIG + nb);
	size_t before = pmm_free_frames();

	struct mm *c = fork_mm(p);
	assert_int_equal(disk.nread, 0);
	assert_int_equal(vmstat.pswpin, 0);
	assert_int_equal(arena_table_of(c, VA_A), arena_table_of(p, VA_A));	/* shared: one entry, count 1 */
	assert_int_equal(count_of(swp_at(c, VA_A)), 1);
	for (unsigned i = 0; i < nb; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		assert_int_equal(swp_at(c, va), swp_at(p, va));
		assert_int_equal(count_of(swp_at(c, va)), 2);
	}
	assert_true(before - pmm_free_frames() < 8);	/* a few tables, no page */

	/* munmap in the child: the copied entries' counts go back to 1. */
	assert_int_equal(mm_unmap(c, VA_B, nb * PAGE_SIZE), 0);
	for (unsigned i = 0; i < nb; i++)
		assert_int_equal(count_of(swp_at(p, VA_B + i * PAGE_SIZE)), 1);
	/* MADV_DONTNEED in the parent: its table is made private (counts 2), then 16 entries go. */
	swp_t s0 = swp_at(p, VA_A);
	assert_int_equal(mm_discard(p, VA_A, 16 * PAGE_SIZE), 0);
	assert_int_equal(arena_pte_at(p, VA_A), 0);
	assert_int_equal(count_of(s0), 1);	/* the child's */
	assert_int_equal(count_of(swp_at(p, VA_A + 16 * PAGE_SIZE)), 2);
	assert_int_equal(swap_slots_used(), BIG + nb);
	assert_int_equal(disk.nread, 0);
	/* The discarded pages read back as zeros in the parent, as before in the child. */
	assert_int_equal(vm_fault(p, VA_A, FAULT_READ), FAULT_OK);
	assert_true(page_has(phys_to_virt(arena_frame_at(p, VA_A)), 0));
	assert_int_equal(disk.nread, 0);
	put_mm(c);
	assert_int_equal(swap_slots_used(), BIG - 16 + nb);

	/* mremap: the swapped area moves with its slots, nothing read; it reads back there. */
	swp_t sb = swp_at(p, VA_B);
	assert_int_equal(mm_remap(p, VA_B, nb * PAGE_SIZE, nb * PAGE_SIZE,
				  MREMAP_MAYMOVE | MREMAP_FIXED, VA_C), (long)VA_C);
	assert_int_equal(arena_pte_at(p, VA_B), 0);
	assert_int_equal(swp_at(p, VA_C), sb);
	assert_int_equal(count_of(sb), 1);
	assert_int_equal(disk.nread, 0);
	expect(p, VA_C + PAGE_SIZE, VA_B + PAGE_SIZE, 0);
	/* exit with entries still on disk frees them (the moved ones too). */
	put_mm(p);
	end_check();
}

/* A fork that runs out of memory half way gives back every slot count it took. */
static void test_fork_enomem_releases(void **state)
{
	const unsigned n = 6;
	unsigned failed = 0;

	(void)state;
	area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_B, n);
	fill(p, VA_B, n, 0);
	map_anon(p, VA_C, n);
	fill(p, VA_C, n, 0);
	swap_out_range(p, VA_B, n);
	swap_out_range(p, VA_C, n);
	for (unsigned k = 1; k < 24; k++) {
		pmm_set_fail_every(k);
		struct mm *c = mm_fork(p);
		pmm_set_fail_every(0);
		if (c) {
			assert_int_equal(count_of(swp_at(c, VA_C + (n - 1) * PAGE_SIZE)), 2);
			mm_put(c);
		} else {
			failed++;
		}
		for (unsigned i = 0; i < n; i++) {
			assert_int_equal(count_of(swp_at(p, VA_B + i * PAGE_SIZE)), 1);
			assert_int_equal(count_of(swp_at(p, VA_C + i * PAGE_SIZE)), 1);
		}
		assert_int_equal(swap_slots_used(), 2 * n);
	}
	assert_true(failed > 0);
	assert_int_equal(disk.nread, 0);
	for (unsigned i = 0; i < n; i++)
		expect(p, VA_C + i * PAGE_SIZE, VA_C + i * PAGE_SIZE, 0);
	put_mm(p);
	end_check();
}

/* --- reclaim's clock ------------------------------------------------------------- */

/*
 * reclaim_retry with swap on takes a COW pair's pages: a first lap clears
 * the accessed bits, a second takes them.  Each frame is written once; both
 * mappers' entries name the same slot, count 2.
 */
static void test_reclaim_cow_pair(void **state)
{
	const unsigned n = 8;

	(void)state;
	area_on(0);
	reset_clock();
	struct mm *p = new_mm();
	map_anon(p, VA_B, n);
	fill(p, VA_B, n, 0);
	struct mm *c = fork_mm(p);
	size_t before = pmm_free_frames();

	assert_int_equal(reclaim_retry(), 1);
	assert_int_equal(pmm_free_frames(), before + n);
	assert_int_equal(vmstat.pswpout, n);
	assert_int_equal(disk.nwritten, n);
	for (unsigned i = 0; i < n; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		assert_int_equal(swp_at(p, va), swp_at(c, va));
		assert_int_equal(count_of(swp_at(p, va)), 2);
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		expect(c, va, va, 0);
		expect(p, va, va, 0);
		assert_int_equal(arena_frame_at(p, va), arena_frame_at(c, va));
	}
	assert_int_equal(disk.nread, n);
	assert_int_equal(user_write(c, VA_B, tag(VA_B, 1)), FAULT_OK);
	expect(p, VA_B, VA_B, 0);
	put_mm(p);
	put_mm(c);
	end_check();
}

/* The clock spares pages touched since the hand last passed them. */
static void test_reclaim_second_chance(void **state)
{
	const unsigned n = 200;
	bool touched[200] = { false }, was_present[200];

	(void)state;
	area_on(0);
	reset_clock();
	struct mm *mm = new_mm();
	map_anon(mm, VA_A, n);
	fill(mm, VA_A, n, 0);

	assert_int_equal(reclaim_retry(), 1);
	unsigned gone = 0;
	for (unsigned i = 0; i < n; i++)
		gone += pte_is_swap(arena_pte_at(mm, VA_A + i * PAGE_SIZE));
	assert_true(gone > 0 && gone < n);
	/* Touch every other page still in memory (what the hardware does: set A). */
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		pte_t *e = pt_walk(mm->root, VA_A + i * PAGE_SIZE, 0);
		was_present[i] = *e & PTE_V;
		if (was_present[i] && k++ % 2 == 0) {
			*e |= PTE_A;
			touched[i] = true;
		}
	}
	assert_int_equal(reclaim_retry(), 1);
	unsigned taken = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!was_present[i] || !pte_is_swap(arena_pte_at(mm, VA_A + i * PAGE_SIZE)))
			continue;
		taken++;
		if (touched[i])
			fail_msg("page %u was touched since the last lap, yet swapped", i);
	}
	assert_true(taken > 0);
	for (unsigned i = 0; i < n; i++)
		expect(mm, VA_A + i * PAGE_SIZE, VA_A + i * PAGE_SIZE, 0);
	put_mm(mm);
	end_check();
}

/* Pages that are the zero frame hold nothing of their own: reclaim never writes them. */
static void test_reclaim_skips_zero_frame(void **state)
{
	const unsigned n = 6;

	(void)state;
	area_on(0);
	reset_clock();
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(vm_fault(mm, VA_B + i * PAGE_SIZE, FAULT_READ), FAULT_OK);
	assert_int_equal(arena_frame_at(mm, VA_B), zero_frame);
	reclaim_retry();
	assert_int_equal(disk.nwritten, 0);
	assert_int_equal(swap_slots_used(), 0);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(arena_frame_at(mm, VA_B + i * PAGE_SIZE), zero_frame);
	put_mm(mm);
	end_check();
}

/* hog - take every free frame but @keep; unhog gives them back (teardown too). */
static size_t nhogged;

static void hog(size_t keep)
{
	hogged = malloc((ARENA_SIZE / PAGE_SIZE) * sizeof(*hogged));
	assert_non_null(hogged);
	nhogged = 0;
	while (pmm_free_frames() > keep)
		hogged[nhogged++] = pmm_alloc();
}

static void unhog(void)
{
	for (size_t i = 0; i < nhogged; i++)
		pmm_put(hogged[i]);
	free(hogged);
	hogged = NULL;
	nhogged = 0;
}

/*
 * reclaim_retry's answer to a failed allocation: 1 while it can free
 * something (swap has room, pages to take), 0 when nothing is reclaimable
 * and frames are below min: no swap, swap full, or nothing left to take.
 */
static void test_reclaim_retry_oom_decision(void **state)
{
	const unsigned n = 8;

	(void)state;
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, n);
	fill(mm, VA_B, n, 0);
	hog(10);
	assert_int_equal(reclaim_retry(), 0);		/* no swap at all */

	int a = swap_area_add(&mem_io, &disk, 5, NULL, 0, 0);	/* 4 slots: room for half */
	assert_true(a >= 0);
	reset_clock();
	size_t before = pmm_free_frames();	/* the area's slot map took some */
	assert_int_equal(reclaim_retry(), 1);
	assert_int_equal(pmm_free_frames(), before + 4);
	assert_int_equal(swap_slots_used(), 4);
	assert_int_equal(reclaim_retry(), 0);		/* swap full */
	unhog();
	for (unsigned i = 0; i < n; i++)
		expect(mm, VA_B + i * PAGE_SIZE, VA_B + i * PAGE_SIZE, 0);
	put_mm(mm);
	end_check();
}

/*
 * A file (a shmem object) mapped MAP_SHARED and MAP_PRIVATE: reclaim takes
 * only the private COW copy; the object's frames, shared or mapped
 * read-only privately, never go to swap.  Zapping the object's mappings
 * (truncate) frees the copy's slot.
 */
static void test_reclaim_file_mappings(void **state)
{
	const unsigned n = 4;

	(void)state;
	area_on(0);
	reset_clock();
	struct mm *mm = new_mm();
	struct shmem *obj = shmem_create(n);
	assert_non_null(obj);
	assert_int_equal(mm_map(mm, &(struct vma){ .start = VA_B, .end = VA_B + n * PAGE_SIZE,
						   .prot = RW, .kind = VMA_SHMEM,
						   .flags = VMA_SHARED | VMA_MAY_RWX, .mem = obj }), 0);
	assert_int_equal(mm_map(mm, &(struct vma){ .start = VA_C, .end = VA_C + n * PAGE_SIZE,
						   .prot = RW, .kind = VMA_FILE,
						   .flags = VMA_MAY_RWX, .mem = obj,
						   .file_end = VMA_NO_FILE_END }), 0);
	fill(mm, VA_B, n, 0);			/* the file's bytes, through MAP_SHARED */
	for (unsigned i = 0; i < n; i++)	/* MAP_PRIVATE sees them, read-only */
		expect(mm, VA_C + i * PAGE_SIZE, VA_B + i * PAGE_SIZE, 0);
	assert_int_equal(user_write(mm, VA_C, tag(VA_C, 1)), FAULT_OK);	/* a private copy */
	phys_addr_t copy = arena_frame_at(mm, VA_C);
	assert_int_not_equal(copy, arena_frame_at(mm, VA_B));

	reclaim_retry();
	assert_int_equal(disk.nwritten, 1);
	assert_true(pte_is_swap(arena_pte_at(mm, VA_C)));
	for (unsigned i = 0; i < n; i++) {
		assert_true(arena_pte_at(mm, VA_B + i * PAGE_SIZE) & PTE_V);
		if (i)
			assert_true(arena_pte_at(mm, VA_C + i * PAGE_SIZE) & PTE_V);
	}
	expect(mm, VA_C, VA_C, 1);
	expect(mm, VA_C + PAGE_SIZE, VA_B + PAGE_SIZE, 0);

	/* Out again, then the object's mappings are zapped: the slot goes with the entry. */
	assert_int_equal(swap_out_range(mm, VA_C, 1), 1);
	assert_int_equal(swap_slots_used(), 1);
	mm_zap_object(obj, 0);
	assert_int_equal(swap_slots_used(), 0);
	assert_int_equal(arena_pte_at(mm, VA_C), 0);
	shmem_put(obj);
	put_mm(mm);
	end_check();
}

/* --- I/O errors ------------------------------------------------------------------ */

/*
 * A read that fails: SIGBUS for every fault on that slot (read once), the
 * other pages fine; when the last entry goes the slot is out for good.
 */
static void test_read_error_sigbus(void **state)
{
	struct swap_area_info info;
	swp_t s[DISK_PAGES];

	(void)state;
	int a = area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_B, 1);
	fill(p, VA_B, 1, 0);
	map_anon(p, VA_C, 1);
	fill(p, VA_C, 1, 0);
	struct mm *c = fork_mm(p);
	swap_out_range(p, VA_B, 1);
	swap_out_range(c, VA_B, 1);
	swap_out_range(p, VA_C, 1);
	swp_t bad = swp_at(p, VA_B);
	assert_int_equal(count_of(bad), 2);
	disk.fail_read[swp_off(bad)] = true;
	size_t before = pmm_free_frames();

	assert_int_equal(vm_fault(p, VA_B, FAULT_READ), FAULT_SIGBUS);
	assert_int_equal(disk.reads[swp_off(bad)], 1);
	assert_int_equal(vm_fault(c, VA_B, FAULT_WRITE), FAULT_SIGBUS);
	assert_int_equal(vm_fault(p, VA_B, FAULT_READ), FAULT_SIGBUS);
	assert_int_equal(disk.reads[swp_off(bad)], 1);	/* not tried again */
	assert_int_equal(pmm_free_frames(), before);	/* the frame read into went back */
	expect(p, VA_C, VA_C, 0);			/* the process's other pages are fine */
	expect(c, VA_C, VA_C, 0);

	assert_int_equal(swap_area_info(a, &info), 0);
	unsigned long size = info.size;
	put_mm(c);
	put_mm(p);
	assert_int_equal(swap_slots_used(), 0);
	assert_int_equal(swap_area_info(a, &info), 0);
	assert_int_equal(info.size, size - 1);		/* never used again */
	unsigned n = alloc_all(s, DISK_PAGES);
	assert_int_equal(n, size - 1);
	for (unsigned i = 0; i < n; i++)
		assert_int_not_equal(s[i], bad);
	free_all(s, n);
	end_check();
}

/*
 * A read whose readahead window holds a page the disk cannot give back:
 * only that page's faults SIGBUS.  The faulting page, which the disk reads
 * fine, maps with its bytes.
 */
static void test_read_error_spares_neighbours(void **state)
{
	(void)state;
	area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, 2);
	fill(mm, VA_B, 2, 0);
	swap_out_range(mm, VA_B, 2);
	disk.fail_read[swp_off(swp_at(mm, VA_B + PAGE_SIZE))] = true;

	assert_int_equal(vm_fault(mm, VA_B, FAULT_READ), FAULT_OK);
	expect(mm, VA_B, VA_B, 0);
	assert_int_equal(vm_fault(mm, VA_B + PAGE_SIZE, FAULT_READ), FAULT_SIGBUS);
	put_mm(mm);
	end_check();
}

/*
 * A write that fails: the page stays in memory (in the cache), its fault
 * finds it there without a read, and the slot is never used again.
 */
static void test_write_error_keeps_page(void **state)
{
	struct swap_area_info info;
	struct swap_totals t;
	swp_t s[DISK_PAGES];

	(void)state;
	int a = area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, 2);
	fill(mm, VA_B, 2, 0);
	phys_addr_t f = arena_frame_at(mm, VA_B);
	assert_int_equal(swap_area_info(a, &info), 0);
	unsigned long size = info.size;
	size_t before = pmm_free_frames();

	disk.fail_all_writes = true;
	assert_int_equal(swap_out_range(mm, VA_B, 1), 0);
	disk.fail_all_writes = false;
	swp_t bad = swp_at(mm, VA_B);
	assert_int_equal(pmm_free_frames(), before);	/* not freed */
	assert_int_equal(swap_slot_of(f), bad);
	swap_totals(&t);
	assert_int_equal(t.cached, 1);
	/* Reclaim's sweep does not take it: it is on no disk. */
	assert_int_equal(swap_sweep(DISK_PAGES * 2, 16), 0);
	/* Other pages still go out (to other slots) and come back. */
	assert_int_equal(swap_out_range(mm, VA_B + PAGE_SIZE, 1), 1);
	assert_int_not_equal(swp_at(mm, VA_B + PAGE_SIZE), bad);

	assert_int_equal(vm_fault(mm, VA_B, FAULT_READ), FAULT_OK);
	assert_int_equal(disk.reads[swp_off(bad)], 0);
	assert_int_equal(arena_frame_at(mm, VA_B), f);
	expect(mm, VA_B, VA_B, 0);
	expect(mm, VA_B + PAGE_SIZE, VA_B + PAGE_SIZE, 0);
	swap_totals(&t);
	assert_int_equal(t.cached, 0);
	assert_int_equal(swap_slots_used(), 0);
	assert_int_equal(swap_area_info(a, &info), 0);
	assert_int_equal(info.size, size - 1);
	unsigned n = alloc_all(s, DISK_PAGES);
	assert_int_equal(n, size - 1);
	for (unsigned i = 0; i < n; i++)
		assert_int_not_equal(s[i], bad);
	free_all(s, n);
	put_mm(mm);
	end_check();
}

/* --- swapoff --------------------------------------------------------------------- */

/*
 * swap_area_remove brings every entry of every address space back, each
 * slot read once and COW pages shared again, and the area goes.
 */
static void test_swapoff_brings_back(void **state)
{
	const unsigned nb = 4;
	struct swap_area_info info;
	struct swap_totals t;

	(void)state;
	int a = area_on(0);
	struct mm *p = new_mm();
	map_anon(p, VA_A, REGION / PAGE_SIZE);
	fill(p, VA_A, BIG, 0);
	map_anon(p, VA_B, nb);
	fill(p, VA_B, nb, 0);
	struct mm *c = fork_mm(p);
	swap_out_range(p, VA_A, BIG);		/* the shared table: both see it */
	swap_out_range(p, VA_B, nb);
	swap_out_range(c, VA_B, nb);
	expect(c, VA_A + 7 * PAGE_SIZE, VA_A + 7 * PAGE_SIZE, 0);	/* the child's table unshared */
	assert_int_equal(user_write(c, VA_A + 8 * PAGE_SIZE, tag(VA_A, 5)), FAULT_OK);
	unsigned long reads = disk.nread;

	assert_int_equal(swap_area_remove(a), 0);
	assert_int_equal(swap_area_info(a, &info), -ENOENT);
	swap_totals(&t);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.cached, 0);
	assert_false(swap_active());
	assert_true(reads > 0 && reads < BIG);
	assert_int_equal(disk.nread, BIG + nb);	/* every slot read once, before or during swapoff */
	for (unsigned i = 0; i < DISK_PAGES; i++)
		assert_true(disk.reads[i] <= 1);
	for (unsigned i = 0; i < BIG; i++) {
		unsigned long va = VA_A + i * PAGE_SIZE;
		assert_true(arena_pte_at(p, va) & PTE_V);
		assert_true(arena_pte_at(c, va) & PTE_V);
		if (i != 8)
			assert_int_equal(arena_frame_at(p, va), arena_frame_at(c, va));
		expect(p, va, va, 0);
		expect(c, va, i == 8 ? VA_A : va, i == 8 ? 5 : 0);
	}
	for (unsigned i = 0; i < nb; i++) {
		unsigned long va = VA_B + i * PAGE_SIZE;
		assert_int_equal(arena_frame_at(p, va), arena_frame_at(c, va));	/* shared again */
		assert_false(arena_pte_at(p, va) & PTE_W);
		expect(p, va, va, 0);
	}
	/* And COW still works on them. */
	assert_int_equal(user_write(p, VA_B, tag(VA_B, 4)), FAULT_OK);
	expect(c, VA_B, VA_B, 0);
	put_mm(c);
	put_mm(p);
	end_check();
}

/* swapoff without the memory to bring things back: -ENOMEM, the area stays on and in use. */
static void test_swapoff_enomem(void **state)
{
	const unsigned n = 8;
	struct swap_area_info info;
	struct swap_totals t;

	(void)state;
	int a = area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, n + 1);
	fill(mm, VA_B, n + 1, 0);
	swap_out_range(mm, VA_B, n);

	/* Below the low watermark, with nothing reclaim can free: it stops before eating the reserve. */
	reclaim_low = pmm_free_frames() + 1;
	assert_int_equal(swap_area_remove(a), -ENOMEM);
	reclaim_low = 0;
	/* No frame at all. */
	pmm_set_fail_every(1);
	assert_int_equal(swap_area_remove(a), -ENOMEM);
	pmm_set_fail_every(0);

	assert_int_equal(swap_area_info(a, &info), 0);
	swap_totals(&t);
	assert_int_equal(t.total, info.size);
	for (unsigned i = 0; i < n; i++)	/* nothing was brought back half way */
		assert_true(pte_is_swap(arena_pte_at(mm, VA_B + i * PAGE_SIZE)));
	assert_int_equal(disk.nread, 0);
	/* Still on: new pages go to it. */
	assert_int_equal(swap_out_range(mm, VA_B + n * PAGE_SIZE, 1), 1);
	assert_int_equal(swp_area(swp_at(mm, VA_B + n * PAGE_SIZE)), a);

	assert_int_equal(swap_area_remove(a), 0);
	for (unsigned i = 0; i <= n; i++)
		expect(mm, VA_B + i * PAGE_SIZE, VA_B + i * PAGE_SIZE, 0);
	put_mm(mm);
	end_check();
}

/* swapoff meets a page the disk cannot give back: -EIO, the area stays on; it goes once that page is gone. */
static void test_swapoff_read_error(void **state)
{
	struct swap_area_info info;

	(void)state;
	int a = area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, 1);
	fill(mm, VA_B, 1, 0);
	map_anon(mm, VA_C, 1);
	fill(mm, VA_C, 1, 0);
	swap_out_range(mm, VA_B, 1);
	swap_out_range(mm, VA_C, 1);
	disk.fail_read[swp_off(swp_at(mm, VA_B))] = true;

	assert_int_equal(swap_area_remove(a), -EIO);
	assert_int_equal(swap_area_info(a, &info), 0);
	assert_true(swap_active());
	assert_int_equal(vm_fault(mm, VA_B, FAULT_READ), FAULT_SIGBUS);
	assert_int_equal(mm_unmap(mm, VA_B, PAGE_SIZE), 0);	/* the process let it go (or died) */
	assert_int_equal(swap_area_remove(a), 0);
	expect(mm, VA_C, VA_C, 0);
	put_mm(mm);
	end_check();
}

/* swapoff of one area leaves the other's entries alone. */
static void test_swapoff_one_of_two(void **state)
{
	static struct memdisk disk2;
	const unsigned n = 3;

	(void)state;
	memset(&disk2, 0, sizeof(disk2));
	int a = area_on(0);
	struct mm *mm = new_mm();
	map_anon(mm, VA_B, n);
	fill(mm, VA_B, n, 0);
	map_anon(mm, VA_C, n);
	fill(mm, VA_C, n, 0);
	swap_out_range(mm, VA_B, n);
	int b = swap_area_add(&mem_io, &disk2, DISK_PAGES, NULL, 0, 5);	/* higher: used next */
	assert_true(b >= 0 && b != a);
	swap_out_range(mm, VA_C, n);
	assert_int_equal(swp_area(swp_at(mm, VA_B)), a);
	assert_int_equal(swp_area(swp_at(mm, VA_C)), b);
	assert_int_equal(disk2.nwritten, n);

	assert_int_equal(swap_area_remove(a), 0);
	assert_int_equal(disk.nread, n);
	assert_int_equal(disk2.nread, 0);
	for (unsigned i = 0; i < n; i++) {
		assert_true(arena_pte_at(mm, VA_B + i * PAGE_SIZE) & PTE_V);
		assert_int_equal(swp_area(swp_at(mm, VA_C + i * PAGE_SIZE)), b);
	}
	assert_int_equal(swap_slots_used(), n);
	for (unsigned i = 0; i < n; i++) {
		expect(mm, VA_B + i * PAGE_SIZE, VA_B + i * PAGE_SIZE, 0);
		expect(mm, VA_C + i * PAGE_SIZE, VA_C + i * PAGE_SIZE, 0);
	}
	assert_int_equal(disk2.nread, n);
	put_mm(mm);
	end_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_area_bad_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_area_priorities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_area_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cow_swapped_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_table_swapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readahead_alone_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reswap_clean_costs_no_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_frees_unmapped_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mprotect_swapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeout_skips_dead_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_and_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_enomem_releases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_cow_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_second_chance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_skips_zero_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_retry_oom_decision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_file_mappings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_error_sigbus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_error_spares_neighbours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_keeps_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swapoff_brings_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swapoff_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swapoff_read_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swapoff_one_of_two, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
