/*
 * layout.h - Holstein's Sv39 virtual address map.
 *
 *   0x0000000000000000 .. 0x0000003fffffffff  user (256 GiB, per process)
 *   0xffffffc000000000 .. 0xfffffffeffffffff  direct map: va = pa + DIRECT_MAP_BASE
 *                                             (RAM, plus the MMIO pages drivers ask for)
 *   0xffffffff00000000 .. 0xffffffff7fffffff  kernel stacks, each below an unmapped guard
 *   0xffffffff80000000 ..                     the kernel image, wherever it was loaded
 *
 * Every address space shares the kernel half by copying the root entries
 * 256..511 at creation; those root entries are all created at boot and never
 * change afterwards, so the copies never go stale.
 */
#ifndef HOLSTEIN_LAYOUT_H
#define HOLSTEIN_LAYOUT_H

#define USER_TOP		0x0000004000000000UL
#define DIRECT_MAP_BASE		0xffffffc000000000UL
#define DIRECT_MAP_END		0xffffffff00000000UL
#define KSTACK_AREA		0xffffffff00000000UL
#define KSTACK_AREA_END		0xffffffff80000000UL
#define KERNEL_VBASE		0xffffffff80000000UL

#define KSTACK_PAGES		4			/* 16 KiB kernel stack per thread */
#define KSTACK_SIZE		(KSTACK_PAGES * 4096UL)
#define KSTACK_SLOT		(2 * KSTACK_SIZE)	/* lower half of each slot is the guard */
/* Virtually contiguous kernel buffers (vm/vmap.c), above the stacks' 32 MiB. */
#define VMAP_AREA		(KSTACK_AREA + 0x4000000UL)
#define VMAP_SLOT_PAGES		512			/* 2 MiB per buffer at most */
#define VMAP_NSLOTS		48
#define VMAP_SLOT		((VMAP_SLOT_PAGES + 1) * 4096UL)	/* a guard page above each */

#ifndef __ASSEMBLER__
#define pa_to_va(pa)	((void *)((unsigned long)(pa) + DIRECT_MAP_BASE))
#define va_to_pa(va)	((unsigned long)(va) - DIRECT_MAP_BASE)
#endif

#endif
