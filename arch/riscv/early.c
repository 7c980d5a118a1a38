/*
 * early.c - the early Sv39 table, built with the MMU off.
 *
 * This file runs at the physical address the loader chose, so it must be
 * position independent: it is compiled with -fno-jump-tables and only uses
 * pc-relative references (the medany model's default for globals).  It must
 * not call anything outside this file.
 */
#include <stdint.h>
#include "pte.h"
#include "layout.h"
#include "csr.h"
#include "early.h"
#include "sections.h"

static pte_t early_root[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t early_l1[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t early_l0[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

/* Physical address the image was loaded at; read by main.c and vm/kvm.c. */
unsigned long kernel_load_pa;

/*
 * early_setup - build a table that maps the kernel image at KERNEL_VBASE
 * (4 KiB pages, RWX for now) and the first 254 GiB of physical space at
 * DIRECT_MAP_BASE with 1 GiB pages (root entries 256..509), so
 * start_kernel can read the DTB and hand out frames before the real kernel
 * table exists.  The direct map proper (layout.h) is only 252 GiB: the
 * last 2 GiB of this window lie in the kernel-stack area, which nothing
 * uses before kvm_init replaces this table.
 * @load_pa: physical address of _start.  Returns the satp value to load.
 */
unsigned long early_setup(unsigned long load_pa)
{
	const pte_t leaf = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;
	unsigned long npages = ((unsigned long)(_end - _start) + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long g, i;

	kernel_load_pa = load_pa;
	for (g = 0; g < 254; g++)
		early_root[pt_index(DIRECT_MAP_BASE, 2) + g] = pa_to_pte(g << 30) | leaf;

	early_root[pt_index(KERNEL_VBASE, 2)] = pa_to_pte((unsigned long)early_l1) | PTE_V;
	early_l1[pt_index(KERNEL_VBASE, 1)] = pa_to_pte((unsigned long)early_l0) | PTE_V;
	for (i = 0; i < npages && i < PT_ENTRIES; i++)
		early_l0[i] = pa_to_pte(load_pa + i * PAGE_SIZE) | leaf | PTE_X;

	return SATP_MODE_SV39 | ((unsigned long)early_root >> PAGE_SHIFT);
}
