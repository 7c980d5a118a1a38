/*
 * vdso.h - the vDSO's frames and areas.  At boot the image
 * (arch/riscv/vdso/) is copied into frames and a zeroed data page is
 * allocated; every process maps them at fixed addresses: [vvar] read-only
 * at USER_VVAR, [vdso] read+exec at USER_VDSO (arch/riscv/vdso_data.h).
 * The frames are shared by every process and hold one reference of their
 * own, so they are never freed and never copied: no area of them may ever
 * be written (no VMA_MAYWRITE), a store is SIGSEGV.  munmap removes them;
 * mremap moves them (not grows), and a moved [vdso] takes mm->vdso_base
 * along.
 */
#ifndef HOLSTEIN_VDSO_H
#define HOLSTEIN_VDSO_H

#include "pmm.h"
#include "../arch/riscv/vdso_data.h"

struct mm;
struct vma;

extern phys_addr_t vdso_vvar_frame;
extern phys_addr_t vdso_text_frames[VDSO_MAX_PAGES];
extern unsigned vdso_text_pages;

/* vdso_init - copy the image into frames and allocate the data page, at boot; panics when out of memory. */
void vdso_init(void);
/* vdso_data - the data page, for its one writer (kernel/time.c); valid after vdso_init. */
struct vdso_data *vdso_data(void);
/* vdso_map - add [vvar] and [vdso] to @mm (exec).  0 or -ENOMEM. */
int vdso_map(struct mm *mm);
/* vdso_frame - the frame backing page @va of vDSO area @v (VMA_VVAR or VMA_VDSO), or 0 past the image. */
phys_addr_t vdso_frame(const struct vma *v, unsigned long va);
/* vdso_is_frame - whether @pa is one of the vDSO's frames (never private to a process). */
int vdso_is_frame(phys_addr_t pa);
/* vdso_sigreturn - where a signal handler of @mm returns: its vDSO's __vdso_rt_sigreturn. */
unsigned long vdso_sigreturn(const struct mm *mm);

#endif
