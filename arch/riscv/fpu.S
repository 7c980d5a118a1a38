/*
 * fpu.S - save and restore a user's floating-point registers.  The kernel
 * itself is built without F/D, so only these two routines touch them, and
 * only while sstatus.FS is on.
 */
	.option	push
	.option	arch, +d
	.section .text

/* fpu_save(struct fpstate *s): f0-f31 then fcsr. */
	.globl	fpu_save
fpu_save:
	li	t1, 0x6000		/* sstatus.FS: make sure it is on */
	csrs	sstatus, t1
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sw	t0, 256(a0)
	ret

/* fpu_restore(const struct fpstate *s) */
	.globl	fpu_restore
fpu_restore:
	li	t1, 0x6000
	csrs	sstatus, t1
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	lw	t0, 256(a0)
	fscsr	t0
	ret
	.option	pop
