/*
 * pte.h - the Sv39 page-table entry format (privileged spec, "Sv39").
 *
 *   63..54 reserved | 53..10 PPN | 9..8 RSW | D A G U X W R V
 *
 * RSW (bits 8-9) is ignored by hardware and left to the supervisor: this
 * file names the bits only.  What they mean is vm/'s decision (vm/pte_sw.h).
 */
#ifndef HOLSTEIN_PTE_H
#define HOLSTEIN_PTE_H

#include <stdint.h>
#include "page.h"

typedef uint64_t pte_t;

#define PTE_V	(1UL << 0)
#define PTE_R	(1UL << 1)
#define PTE_W	(1UL << 2)
#define PTE_X	(1UL << 3)
#define PTE_U	(1UL << 4)
#define PTE_G	(1UL << 5)
#define PTE_A	(1UL << 6)
#define PTE_D	(1UL << 7)
#define PTE_RSW0 (1UL << 8)	/* reserved for software: ignored by hardware */
#define PTE_RSW1 (1UL << 9)	/* reserved for software: ignored by hardware */

#define PTE_RWX		(PTE_R | PTE_W | PTE_X)
#define PTE_FLAGS_MASK	0x3ffUL

#define PT_ENTRIES	512
#define PT_LEVELS	3	/* Sv39: level 2 (root, 1 GiB leaves), 1 (2 MiB), 0 (4 KiB) */

#define PTE_PPN_SHIFT	10
#define pa_to_pte(pa)	((((uint64_t)(pa)) >> PAGE_SHIFT) << PTE_PPN_SHIFT)
#define pte_to_pa(pte)	((((uint64_t)(pte)) >> PTE_PPN_SHIFT) << PAGE_SHIFT)
#define pte_flags(pte)	((pte) & PTE_FLAGS_MASK)
#define pte_is_leaf(pte) (((pte) & PTE_RWX) != 0)

/* Index of @va in the table at @level (2 = root). */
#define pt_index(va, level) ((((uint64_t)(va)) >> (PAGE_SHIFT + 9 * (level))) & 0x1ff)
#define PT_LEVEL_SIZE(level) (1UL << (PAGE_SHIFT + 9 * (level)))

#endif
