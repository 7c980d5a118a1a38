/*
 * pmm.c - physical frames: a free list threaded through the free frames
 * themselves, and an array of atomic reference counts indexed by frame
 * number, covering every frame from the lowest to the highest usable one.
 */
#include "pmm.h"
#include "phys.h"
#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "../arch/riscv/page.h"

#define PFN(pa) ((pa) >> PAGE_SHIFT)

struct free_frame {
	struct free_frame *next;
};

static struct spinlock pmm_lock = SPINLOCK_INIT("pmm");
static struct free_frame *free_list;
size_t pmm_nfree;		/* pmm_free_frames: changed under pmm_lock */
static size_t ntotal;
#define nfree pmm_nfree
/*
 * Frames never handed out yet are not on the free list: they are taken
 * from these ranges in order.  Threading every frame onto a list at boot
 * would touch every page of RAM (seconds under QEMU for a GiB).
 */
#define MAX_FRESH 64
static struct pmm_range fresh[MAX_FRESH];
static int nfresh, cur_fresh;
uint32_t *pmm_refs;			/* pmm_refs[pfn - pmm_base_pfn] */
uint64_t pmm_base_pfn, pmm_nframes;
uint32_t *pmm_swap_tags;		/* pmm_swap_tag: the swap cache's slot of each frame */
#define refcount pmm_refs
static uint64_t base_pfn, end_pfn;
static uint8_t *is_ram;			/* 1 bit per frame would do; a byte keeps it simple */
static uint64_t span_lo, span_hi;	/* pmm_set_span: frames that may join later */
static unsigned fail_every;
static unsigned alloc_seq;

static int range_cmp_less(const struct pmm_range *a, const struct pmm_range *b)
{
	return a->base < b->base;
}

int pmm_usable(const struct pmm_range *mem, int nmem, const struct pmm_range *resv, int nresv,
	       struct pmm_range *out, int max)
{
	int n = 0;

	for (int i = 0; i < nmem; i++) {
		/* Start with the whole range, then cut every reservation out of it. */
		struct pmm_range work[64];
		int nw = 1;

		work[0] = mem[i];
		for (int r = 0; r < nresv; r++) {
			uint64_t rs = resv[r].base, re = resv[r].base + resv[r].size;

			if (resv[r].size == 0)
				continue;
			for (int w = 0; w < nw; w++) {
				uint64_t ws = work[w].base, we = work[w].base + work[w].size;

				if (re <= ws || rs >= we)
					continue;
				/* Remove [rs, re) from [ws, we): up to two pieces remain. */
				if (rs > ws && re < we && nw < 64) {
					work[w].size = rs - ws;
					work[nw].base = re;
					work[nw].size = we - re;
					nw++;
				} else if (rs > ws) {
					work[w].size = rs - ws;
				} else if (re < we) {
					work[w].base = re;
					work[w].size = we - re;
				} else {
					work[w] = work[--nw];
					w--;
				}
			}
		}
		for (int w = 0; w < nw && n < max; w++) {
			uint64_t s = (work[w].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			uint64_t e = (work[w].base + work[w].size) & ~(PAGE_SIZE - 1);

			if (e > s) {
				out[n].base = s;
				out[n].size = e - s;
				n++;
			}
		}
	}
	/* Sort by base (insertion sort: a handful of ranges). */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && range_cmp_less(&out[j], &out[j - 1]); j--) {
			struct pmm_range t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/*
 * Debug builds (make DEBUG=1) poison every freed frame and check the poison
 * when the frame is handed out again: a write through a stale mapping or
 * pointer after the free shows up as a panic naming the frame, instead of
 * silent corruption of its next owner.
 */
#ifdef CONFIG_DEBUG_POISON
#define POISON 0x6b6b6b6b6b6b6b6bULL

static void poison_frame(phys_addr_t pa)
{
	uint64_t *w = phys_to_virt(pa);

	for (size_t i = 1; i < PAGE_SIZE / 8; i++)	/* word 0 is the free-list link */
		w[i] = POISON;
}

static void check_poison(phys_addr_t pa)
{
	const uint64_t *w = phys_to_virt(pa);

	for (size_t i = 1; i < PAGE_SIZE / 8; i++)
		if (w[i] != POISON)
			panic("pmm: frame %lx written after free (offset %lu: %lx)", (unsigned long)pa,
			      (unsigned long)(i * 8), (unsigned long)w[i]);
}
#else
static void poison_frame(phys_addr_t pa) { (void)pa; }
static void check_poison(phys_addr_t pa) { (void)pa; }
#endif

static void free_frame_locked(phys_addr_t pa)
{
	struct free_frame *f = phys_to_virt(pa);

	poison_frame(pa);
	f->next = free_list;
	free_list = f;
	nfree++;
}

int pmm_init(const struct pmm_range *ranges, int n)
{
	uint64_t nframes, bytes;
	int big = -1;

	if (n <= 0)
		return -1;
	base_pfn = PFN(ranges[0].base);
	end_pfn = PFN(ranges[n - 1].base + ranges[n - 1].size);
	if (span_hi > span_lo) {
		if (PFN(span_lo) < base_pfn)
			base_pfn = PFN(span_lo);
		if (PFN(span_hi + PAGE_SIZE - 1) > end_pfn)
			end_pfn = PFN(span_hi + PAGE_SIZE - 1);
	}
	nframes = end_pfn - base_pfn;
	bytes = (nframes * (2 * sizeof(uint32_t) + 1) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	/* The count array goes at the start of the first range big enough for it. */
	for (int i = 0; i < n; i++)
		if (ranges[i].size > bytes) {
			big = i;
			break;
		}
	if (big < 0)
		return -1;
	refcount = phys_to_virt(ranges[big].base);
	pmm_base_pfn = base_pfn;
	pmm_nframes = nframes;
	pmm_swap_tags = refcount + nframes;
	is_ram = (uint8_t *)(pmm_swap_tags + nframes);
	memset(refcount, 0, bytes);

	free_list = 0;
	nfree = ntotal = 0;
	nfresh = cur_fresh = 0;
	for (int i = 0; i < n && nfresh < MAX_FRESH; i++) {
		uint64_t s = ranges[i].base, e = ranges[i].base + ranges[i].size;

		if (i == big)
			s += bytes;
		if (e <= s)
			continue;
		for (uint64_t pa = s; pa < e; pa += PAGE_SIZE)
			is_ram[PFN(pa) - base_pfn] = 1;
		fresh[nfresh].base = s;
		fresh[nfresh++].size = e - s;
		ntotal += (e - s) / PAGE_SIZE;
		nfree += (e - s) / PAGE_SIZE;
	}
	return 0;
}

void pmm_set_span(uint64_t lo, uint64_t hi)
{
	span_lo = lo;
	span_hi = hi;
}

void pmm_free_range(uint64_t base, uint64_t size)
{
	uint64_t s = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), e = (base + size) & ~(PAGE_SIZE - 1);

	spin_lock(&pmm_lock);
	for (uint64_t pa = s; pa < e; pa += PAGE_SIZE) {
		uint64_t pfn = PFN(pa);
		if (pfn < base_pfn || pfn >= end_pfn || is_ram[pfn - base_pfn])
			continue;
		is_ram[pfn - base_pfn] = 1;
		refcount[pfn - base_pfn] = 0;
		free_frame_locked(pa);
		ntotal++;
	}
	spin_unlock(&pmm_lock);
}

int pmm_is_ram(phys_addr_t pa)
{
	uint64_t pfn = PFN(pa);

	return pfn >= base_pfn && pfn < end_pfn && is_ram[pfn - base_pfn];
}

void pmm_bad_frame(phys_addr_t pa, const char *why)
{
	panic("pmm: frame %lx: %s", (unsigned long)pa, why);
}

void pmm_set_fail_every(unsigned n)
{
	fail_every = n;
}

int pmm_fail_injected(void)
{
	if (!fail_every)
		return 0;
	return __atomic_add_fetch(&alloc_seq, 1, __ATOMIC_RELAXED) % fail_every == 0;
}

phys_addr_t pmm_alloc(void)
{
	struct free_frame *f;
	phys_addr_t pa;

	if (pmm_fail_injected())
		return 0;
	spin_lock(&pmm_lock);
	f = free_list;
	if (f) {
		free_list = f->next;
		pa = virt_to_phys(f);
		check_poison(pa);
	} else {
		while (cur_fresh < nfresh && fresh[cur_fresh].size == 0)
			cur_fresh++;
		if (cur_fresh == nfresh) {
			spin_unlock(&pmm_lock);
			return 0;
		}
		pa = fresh[cur_fresh].base;
		fresh[cur_fresh].base += PAGE_SIZE;
		fresh[cur_fresh].size -= PAGE_SIZE;
	}
	nfree--;
	spin_unlock(&pmm_lock);
	if (__atomic_exchange_n(pmm_ref(pa), 1, __ATOMIC_RELAXED) != 0)
		pmm_bad_frame(pa, "a free frame has owners");
	return pa;
}

phys_addr_t pmm_alloc_zeroed(void)
{
	phys_addr_t pa = pmm_alloc();

	if (pa)
		page_zero(phys_to_virt(pa));
	return pa;
}

void pmm_free_last(phys_addr_t pa)
{
	if (!pmm_is_ram(pa))
		pmm_bad_frame(pa, "freeing memory that is not RAM");
	spin_lock(&pmm_lock);
	free_frame_locked(pa);
	spin_unlock(&pmm_lock);
}

size_t pmm_total_frames(void)
{
	return ntotal;
}
