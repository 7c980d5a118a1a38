/*
 * kvm.c - the kernel page table.  Built once on the boot hart; its root
 * entries 256..511 are copied into every user root, so nothing below may
 * add a root entry after the first process exists (kstack_alloc, in
 * kstack.c, only adds entries inside the level-1 tables created here).
 */
#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/sections.h"
#include "../arch/riscv/early.h"
#include "kvm.h"
#include "kstack.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "../kernel/cpu.h"
#include "../arch/riscv/sbi.h"

phys_addr_t kvm_root;
int kvm_root_used[256], kvm_root_nused;

#define KERNEL_RX	(PTE_R | PTE_X | PTE_A | PTE_G)
#define KERNEL_RO	(PTE_R | PTE_A | PTE_G)

phys_addr_t kvm_pa_of(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE + kernel_load_pa;
	return va_to_pa(va);
}

/*
 * map_range - map [pa, pa + size) at pa_to_va(pa) with the largest pages
 * that alignment allows.  Panics when out of memory: this is boot.
 */
static void map_range(phys_addr_t pa, uint64_t size, uint64_t flags)
{
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	while (pa < end) {
		int level = 0;

		for (int l = 2; l > 0; l--)
			if ((pa & (PT_LEVEL_SIZE(l) - 1)) == 0 && end - pa >= PT_LEVEL_SIZE(l)) {
				level = l;
				break;
			}
		int r = pt_map_leaf(kvm_root, (uint64_t)pa_to_va(pa), pa, level, flags);
		if (r == -EEXIST)
			level = 0;	/* already covered by a larger page (RAM) */
		else if (r)
			panic("kvm: out of memory mapping %lx", (unsigned long)pa);
		pa += PT_LEVEL_SIZE(level);
	}
}

/* map_image - map [from, to) of the image at its link address with @flags. */
static void map_image(char *from, char *to, uint64_t flags)
{
	for (unsigned long va = (unsigned long)from; va < (unsigned long)to; va += PAGE_SIZE)
		if (pt_map(kvm_root, va, kvm_pa_of((void *)va), flags))
			panic("kvm: out of memory mapping the image");
}

void kvm_init(const struct kvm_layout *l)
{
	kvm_root = pt_alloc_root();
	if (!kvm_root)
		panic("kvm: no memory for the kernel table");

	for (int i = 0; i < l->nmem; i++)
		map_range(l->mem[i].base, l->mem[i].size, KVM_PTE_RW);

	/* W^X: text RX, rodata R, data and bss RW; the boot stack's guard unmapped. */
	map_image(_start, _etext, KERNEL_RX);
	map_image(_rodata, _erodata, KERNEL_RO);
	map_image(_data, boot_stack_guard, KVM_PTE_RW);
	map_image(boot_stack_bottom, _end, KVM_PTE_RW);

	/* Device registers the drivers use. */
	for (int i = 0; i < l->nmmio; i++)
		map_range(l->mmio[i].base, l->mmio[i].size, KVM_PTE_RW);

	/*
	 * Every table of the kernel-stack area, now: its root entry then never
	 * changes, and a fork storm's extra stacks do not grow the kernel's page
	 * tables for good (which would look like a leak of MemFree).
	 */
	for (unsigned long va = KSTACK_AREA; va < KSTACK_AREA + KSTACK_NSLOTS * KSTACK_SLOT;
	     va += PT_LEVEL_SIZE(1))
		if (!pt_walk(kvm_root, va, 1))
			panic("kvm: out of memory");
	for (unsigned long va = VMAP_AREA; va < VMAP_AREA + VMAP_NSLOTS * VMAP_SLOT;
	     va += PT_LEVEL_SIZE(1))
		if (!pt_walk(kvm_root, va, 1))
			panic("kvm: out of memory");

	pte_t *root = phys_to_virt(kvm_root);
	for (int i = 256; i < 512; i++)
		if (root[i] & PTE_V)
			kvm_root_used[kvm_root_nused++] = i;
	kvm_load();
}

void kvm_fence_all(unsigned long va, unsigned long size)
{
	unsigned long ids[NCPU];
	int n = 0;

	for (int i = 0; i < ncpus; i++)
		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			ids[n++] = cpus[i].hartid;
	if (n && sbi_rfence_harts(ids, n, va, size, 0) < 0)
		panic("kvm: the firmware refused a remote fence");
	local_flush_tlb_all();		/* this hart, even if it was not marked online yet */
}

void kvm_load(void)
{
	tlb_mm_leave();	/* the kernel table, and this hart's bit out of the mm it ran */
}
