/*
 * pte_sw.h - what vm/ means by the two PTE bits the hardware leaves to
 * software (RSW, arch/riscv/pte.h).
 *
 * PTE_COW (RSW0): "this page is private and writable in spirit; it is
 * read-only now only because its frame is (or was) shared", after fork or
 * because it maps the zero frame or a page-cache frame.  A store to a
 * PTE_COW page is resolved by cow_fault (vm/cow.c); a store to a read-only
 * page without PTE_COW is a genuine protection fault.  cow_wrprotect
 * (cow.h) is the one place that turns a PTE into a COW one.
 *
 * PTE_SHARED (RSW1): MAP_SHARED memory.  Every mapper writes the same
 * frame, so fork shares it writable and it is never COW.
 */
#ifndef HOLSTEIN_PTE_SW_H
#define HOLSTEIN_PTE_SW_H

#include "../arch/riscv/pte.h"

#define PTE_COW		PTE_RSW0
#define PTE_SHARED	PTE_RSW1

#endif
