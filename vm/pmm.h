/*
 * pmm.h - the physical frame allocator and the per-frame reference count
 * that copy-on-write stands on.
 *
 * A frame's count is the number of owners: page-table mappings, the
 * page cache of files, the zero frame's permanent reference, kernel users.
 * pmm_alloc() hands out a frame with count 1; pmm_put() frees it when the
 * count reaches 0.  Counts are atomic: harts change them without a lock.
 */
#ifndef HOLSTEIN_PMM_H
#define HOLSTEIN_PMM_H

#include <stdint.h>
#include <stddef.h>
#include "../arch/riscv/page.h"

struct pmm_range {
	uint64_t base, size;
};

/*
 * pmm_usable - subtract @resv from @mem and page-align what is left.
 * Writes at most @max ranges to @out and returns how many (pure logic).
 */
int pmm_usable(const struct pmm_range *mem, int nmem, const struct pmm_range *resv, int nresv,
	       struct pmm_range *out, int max);

/*
 * pmm_init - take ownership of the frames in @ranges.  The count array is
 * carved out of the ranges themselves.  Returns 0, or -1 if there is no
 * room for it.
 */
int pmm_init(const struct pmm_range *ranges, int n);

/*
 * pmm_set_span - before pmm_init: the count array must also cover
 * [lo, hi), for ranges handed over later with pmm_free_range (the initrd).
 */
void pmm_set_span(uint64_t lo, uint64_t hi);
/* pmm_free_range - give the frames of [base, base+size) to the allocator (within the span). */
void pmm_free_range(uint64_t base, uint64_t size);

phys_addr_t pmm_alloc(void);		/* count 1, contents undefined; 0 when out of memory */
phys_addr_t pmm_alloc_zeroed(void);	/* same, filled with zeros */
void pmm_free_last(phys_addr_t pa);	/* pmm_put's slow half: the count reached 0 */
void pmm_bad_frame(phys_addr_t pa, const char *why) __attribute__((noreturn));

/*
 * The count array, inline: fork and the fault path touch a count per page,
 * so these are a bounds check and one atomic, no call.
 */
extern uint32_t *pmm_refs;
extern uint64_t pmm_base_pfn, pmm_nframes;

static inline uint32_t *pmm_ref(phys_addr_t pa)
{
	uint64_t i = (pa >> 12) - pmm_base_pfn;

	if (__builtin_expect(i >= pmm_nframes, 0))
		pmm_bad_frame(pa, "not a frame we manage");
	return &pmm_refs[i];
}

/* pmm_get - one more owner of an owned frame. */
static inline void pmm_get(phys_addr_t pa)
{
	if (__builtin_expect(__atomic_fetch_add(pmm_ref(pa), 1, __ATOMIC_RELAXED) == 0, 0))
		pmm_bad_frame(pa, "pmm_get of a free frame");
}

/*
 * pmm_put - one owner fewer; the last one frees the frame.  acq_rel: every
 * write the other owners made happens before whoever frees it reuses it.
 */
static inline void pmm_put(phys_addr_t pa)
{
	uint32_t old = __atomic_fetch_sub(pmm_ref(pa), 1, __ATOMIC_ACQ_REL);

	if (old == 1)
		pmm_free_last(pa);
	else if (__builtin_expect(old == 0, 0))
		pmm_bad_frame(pa, "pmm_put of a free frame");
}

/*
 * pmm_put_test - drop one owner without freeing: 1 if that was the last
 * one (the caller then empties the frame and calls pmm_free_last).
 */
static inline int pmm_put_test(phys_addr_t pa)
{
	uint32_t old = __atomic_fetch_sub(pmm_ref(pa), 1, __ATOMIC_ACQ_REL);

	if (__builtin_expect(old == 0, 0))
		pmm_bad_frame(pa, "pmm_put of a free frame");
	return old == 1;
}

/*
 * pmm_swap_tag - a word per frame that vm/swap.c keeps: the swap slot
 * whose cache holds the frame, 0 if none (swap.h).  Under swap.c's lock.
 */
extern uint32_t *pmm_swap_tags;
static inline uint32_t *pmm_swap_tag(phys_addr_t pa)
{
	return &pmm_swap_tags[pmm_ref(pa) - pmm_refs];
}

static inline unsigned pmm_refcount(phys_addr_t pa)
{
	return __atomic_load_n(pmm_ref(pa), __ATOMIC_ACQUIRE);
}
int pmm_is_ram(phys_addr_t pa);

/* pmm_free_frames - frames free now (inline: every fault and system call compares it with a watermark). */
extern size_t pmm_nfree;
static inline size_t pmm_free_frames(void)
{
	return __atomic_load_n(&pmm_nfree, __ATOMIC_RELAXED);
}
size_t pmm_total_frames(void);		/* frames handed to pmm_init, minus the count array */

/* Fault injection (bootarg fail_alloc=N): every Nth allocation fails; 0 = off. */
void pmm_set_fail_every(unsigned n);
/* Shared by pmm_alloc and kmalloc: does this allocation fail by injection? */
int pmm_fail_injected(void);

#endif
