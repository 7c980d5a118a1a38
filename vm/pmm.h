/*
 * pmm.h - the physical frame allocator and the per-frame reference count
 * that copy-on-write stands on.
 *
 * A frame's count is the number of owners: page-table mappings, the
 * initramfs page cache, the zero frame's permanent reference, kernel users.
 * pmm_alloc() hands out a frame with count 1; pmm_put() frees it when the
 * count reaches 0.  Counts are atomic: harts change them without a lock.
 */
#ifndef HOLSTEIN_PMM_H
#define HOLSTEIN_PMM_H

#include <stdint.h>
#include <stddef.h>

typedef uint64_t phys_addr_t;

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
void pmm_get(phys_addr_t pa);		/* one more owner */
void pmm_put(phys_addr_t pa);		/* one owner fewer; frees the frame at 0 */
unsigned pmm_refcount(phys_addr_t pa);
int pmm_is_ram(phys_addr_t pa);

size_t pmm_free_frames(void);
size_t pmm_total_frames(void);		/* frames handed to pmm_init, minus the count array */

/* Fault injection (bootarg fail_alloc=N): every Nth allocation fails; 0 = off. */
void pmm_set_fail_every(unsigned n);
/* Shared by pmm_alloc and kmalloc: does this allocation fail by injection? */
int fail_injected(void);

#endif
