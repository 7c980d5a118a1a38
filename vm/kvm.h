/*
 * kvm.h - the kernel's own address space: the direct map of RAM, the image
 * mapped W^X, device registers.  Kernel stacks live in its stack area
 * (kstack.h).
 */
#ifndef HOLSTEIN_KVM_H
#define HOLSTEIN_KVM_H

#include "pmm.h"
#include "../arch/riscv/pte.h"

extern phys_addr_t kvm_root;
/* The kernel half's root entries in use (fixed after kvm_init): what mm_create copies. */
extern int kvm_root_used[256], kvm_root_nused;

/*
 * What the kernel table maps besides the image: every RAM range (the
 * direct map) and the register windows of the devices the drivers use.
 * Ranges need not be page aligned; each is widened to whole pages.
 */
struct kvm_layout {
	const struct pmm_range *mem;
	int nmem;
	const struct pmm_range *mmio;
	int nmmio;
};

/*
 * kvm_init - build the final kernel table for @l and switch this hart to
 * it.  Panics when out of memory: this is boot.
 */
void kvm_init(const struct kvm_layout *l);
/*
 * kvm_load - switch this hart to the kernel table (drops every user
 * translation) and leave the address space it ran: tlb_mm_leave (tlb.h).
 */
void kvm_load(void);

/* Leaf flags of the kernel's read-write pages (data, direct map, stacks). */
#define KVM_PTE_RW	(PTE_R | PTE_W | PTE_A | PTE_D | PTE_G)

/*
 * kvm_fence_all - every online hart, this one included, forgets its
 * translations of [@va, @va + @size) of the kernel's own area (stacks,
 * vmap buffers) before this returns.  Interrupts may be off: the firmware
 * serves the remote fences in M-mode.
 */
void kvm_fence_all(unsigned long va, unsigned long size);

/* kvm_pa_of - physical address of a kernel-image or direct-map virtual address. */
phys_addr_t kvm_pa_of(const void *va);

#endif
