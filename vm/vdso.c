/*
 * vdso.c - the vDSO's frames and areas (see vdso.h).  The image lies in
 * the kernel's read-only data (arch/riscv/vdso/image.S); processes map
 * copies of it in frames of their own kind, so a frame reference count
 * covers them like any other page.
 */
#include "vdso.h"
#include "mm.h"
#include "phys.h"
#include "../kernel/kernel.h"

/* image.S: the image, page aligned, and __vdso_rt_sigreturn's offset in it. */
extern const char vdso_image_start[], vdso_image_end[];
extern const unsigned long vdso_rt_sigreturn_offset;

phys_addr_t vdso_vvar_frame;
phys_addr_t vdso_text_frames[VDSO_MAX_PAGES];
unsigned vdso_text_pages;

void vdso_init(void)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);

	vdso_text_pages = (unsigned)((len + PAGE_SIZE - 1) / PAGE_SIZE);
	if (!vdso_text_pages || vdso_text_pages > VDSO_MAX_PAGES)
		panic("vdso_init: an image of %lu bytes", (unsigned long)len);
	vdso_vvar_frame = pmm_alloc_zeroed();
	if (!vdso_vvar_frame)
		panic("vdso_init: out of memory");
	for (unsigned i = 0; i < vdso_text_pages; i++) {
		size_t off = (size_t)i * PAGE_SIZE, n = MIN(len - off, (size_t)PAGE_SIZE);

		vdso_text_frames[i] = pmm_alloc_zeroed();
		if (!vdso_text_frames[i])
			panic("vdso_init: out of memory");
		memcpy(phys_to_virt(vdso_text_frames[i]), vdso_image_start + off, n);
	}
}

struct vdso_data *vdso_data(void)
{
	return phys_to_virt(vdso_vvar_frame);
}

int vdso_map(struct mm *mm)
{
	int r = mm_map(mm, &(struct vma){ .start = USER_VVAR, .end = USER_VVAR + PAGE_SIZE,
					  .prot = PROT_READ, .kind = VMA_VVAR,
					  .flags = VMA_MAYREAD });

	if (r)
		return r;
	mm->vdso_base = USER_VDSO;
	return mm_map(mm, &(struct vma){ .start = USER_VDSO,
					 .end = USER_VDSO + vdso_text_pages * PAGE_SIZE,
					 .prot = PROT_READ | PROT_EXEC, .kind = VMA_VDSO,
					 .flags = VMA_MAYREAD | VMA_MAYEXEC });
}

phys_addr_t vdso_frame(const struct vma *v, unsigned long va)
{
	unsigned long page = (v->file_off + (va - v->start)) / PAGE_SIZE;

	if (v->kind == VMA_VVAR)
		return page ? 0 : vdso_vvar_frame;
	return page < vdso_text_pages ? vdso_text_frames[page] : 0;
}

int vdso_is_frame(phys_addr_t pa)
{
	if (pa == vdso_vvar_frame)
		return 1;
	for (unsigned i = 0; i < vdso_text_pages; i++)
		if (pa == vdso_text_frames[i])
			return 1;
	return 0;
}

unsigned long vdso_sigreturn(const struct mm *mm)
{
	return __atomic_load_n(&mm->vdso_base, __ATOMIC_RELAXED) + vdso_rt_sigreturn_offset;
}
