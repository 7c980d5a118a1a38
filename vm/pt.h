/*
 * pt.h - Sv39 page-table walks.  A table is named by the physical address
 * of its root; the tables themselves are frames from pmm.  These functions
 * take no locks: the caller holds the address space's lock (or owns the
 * table alone, as at boot).
 */
#ifndef HOLSTEIN_PT_H
#define HOLSTEIN_PT_H

#include "../arch/riscv/pte.h"
#include "pmm.h"

/* pt_alloc_root - a fresh, zeroed root table; 0 when out of memory. */
phys_addr_t pt_alloc_root(void);

/*
 * pt_walk - the level-0 PTE for @va, or NULL.  With @alloc, missing
 * intermediate tables are allocated (zeroed); NULL then means out of
 * memory.  A superpage leaf on the way is a bug for 4 KiB callers: NULL.
 */
pte_t *pt_walk(phys_addr_t root, uint64_t va, int alloc);

/*
 * pt_entry - like pt_walk, but the entry at @level (2 = root, 1 = the
 * entry pointing at a level-0 table, 0 = a 4 KiB leaf).
 */
pte_t *pt_entry(phys_addr_t root, uint64_t va, int level, int alloc);

/* pt_map - map the 4 KiB page at @va to @pa with @flags (V added). 0 or -ENOMEM. */
int pt_map(phys_addr_t root, uint64_t va, phys_addr_t pa, uint64_t flags);

/*
 * pt_map_leaf - map [va, va + PT_LEVEL_SIZE(level)) with one leaf at @level
 * (0: 4 KiB, 1: 2 MiB, 2: 1 GiB).  For the kernel's own table. 0 or -ENOMEM.
 */
int pt_map_leaf(phys_addr_t root, uint64_t va, phys_addr_t pa, int level, uint64_t flags);

/*
 * pt_free_tables - free every table page below the root entries
 * [first, last] of @root (not the leaves' frames: the caller has dropped
 * them), and clear those entries.
 */
void pt_free_tables(phys_addr_t root, int first, int last);

#endif
