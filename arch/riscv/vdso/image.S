/*
 * image.S - the vDSO image (build/vdso/vdso.so), embedded in the kernel
 * page-aligned; vm/vdso.c copies it into frames at boot.  vdso_syms.h,
 * generated from the image's symbols, gives the offset of
 * __vdso_rt_sigreturn for signal delivery.  The Makefile checks that the
 * image fits VDSO_MAX_PAGES (arch/riscv/vdso_data.h).
 */
#include "vdso_syms.h"

	.section .rodata
	.balign 4096
	.globl vdso_image_start
vdso_image_start:
	.incbin "vdso.so"
	.balign 4096
	.globl vdso_image_end
vdso_image_end:

	.balign 8
	.globl vdso_rt_sigreturn_offset
vdso_rt_sigreturn_offset:
	.quad VDSO_SYM_rt_sigreturn
