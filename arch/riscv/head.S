/*
 * head.S - the first instructions Holstein runs, on the boot hart and on
 * every secondary hart.
 *
 * The image starts with the RISC-V Linux "Image" header so U-Boot's booti
 * accepts it.  Whoever loads us (OpenSBI fw_dynamic, U-Boot) enters at the
 * first byte, with the MMU off, a0 = hart id and a1 = physical DTB address,
 * at whatever physical address it chose.  Everything before the MMU is on is
 * position independent (pc-relative), so no board address is compiled in.
 */
#include "layout.h"

	.section .head.text, "ax"
	.option push
	.option norvc		/* booti needs a 4-byte jump as code0 */
	.globl _start
_start:
	j	_start_kernel		/* code0 */
	.word	0			/* code1 */
	.dword	0x200000		/* text_offset: load 2 MiB above RAM base */
	.dword	_end - _start		/* image_size, bss included */
	.dword	0			/* flags: little endian */
	.word	2			/* header version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"		/* magic, at 0x30 */
	.ascii	"RSC\x05"		/* magic2, at 0x38 */
	.word	0			/* res3 (PE/COFF offset: none) */
	.option pop

_start_kernel:
	csrw	sie, zero
	csrw	sip, zero
	/* sscratch = 0 means "in the kernel" to the trap vector. */
	csrw	sscratch, zero
	/*
	 * Boot lottery: some loaders release every hart here.  The first
	 * one through is the boot hart; the others go back to the firmware.
	 */
	lla	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, .Lnot_boot_hart

	mv	s0, a0
	mv	s1, a1

	/* Clear .bss (the early page tables live there). */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:
	lla	sp, boot_stack_top
	lla	a0, _start
	call	early_setup		/* a0 = satp of the early table */

	/*
	 * Turn the MMU on.  The pc is still physical, and the physical
	 * addresses of the image are not mapped, so the fetch after the satp
	 * write faults and the trap lands on stvec: the virtual address of
	 * the same code.  No identity map is needed.
	 */
	lla	t0, .Lboot_va
	ld	t0, (t0)
	csrw	stvec, t0
	sfence.vma
	csrw	satp, a0
	.align	2
.Lboot_high:
	sfence.vma
	lla	sp, boot_stack_top	/* pc is virtual now: so is sp */
	mv	a0, s0
	mv	a1, s1
	call	start_kernel
	j	.Lpark

/*
 * A hart that lost the lottery.  Besides loaders that release every hart,
 * OpenSBI 1.1 itself sends one here now and then: its HSM hart_start marks
 * the target START_PENDING before it stores the start address and opaque,
 * and a target already spinning in the firmware's wait loop can run ahead
 * with the old values, those of the cold boot (this entry, a1 = DTB).
 * Handing the hart back with HSM hart_stop makes it STOPPED again, which
 * smp_boot sees and answers with a second hart_start (see smp.c).  The
 * call returns only if the firmware refuses (no HSM): then park for good.
 */
.Lnot_boot_hart:
	li	a7, 0x48534D		/* SBI_EXT_HSM */
	li	a6, 1			/* hart_stop */
	ecall
.Lpark:
	wfi
	j	.Lpark

/*
 * secondary_entry - where SBI HSM hart_start sends every other hart.
 * a0 = hart id, a1 = opaque = the kernel's satp.  The boot hart starts
 * harts one at a time and publishes smp_boot_sp / smp_boot_cpu first.
 */
	.globl secondary_entry
	.align	2
secondary_entry:
	csrw	sie, zero
	csrw	sip, zero
	csrw	sscratch, zero
	lla	t0, .Lsecondary_va
	ld	t0, (t0)
	csrw	stvec, t0
	sfence.vma
	csrw	satp, a1
	.align	2
.Lsecondary_high:
	sfence.vma
	lla	t0, smp_boot_sp
	ld	sp, (t0)
	lla	t0, smp_boot_cpu
	ld	tp, (t0)
	call	secondary_start
	j	.Lpark

	.section .rodata
	.align	3
.Lboot_va:	.dword	.Lboot_high
.Lsecondary_va:	.dword	.Lsecondary_high

	.section .data
	.align	2
boot_lottery:	.word	0

	/*
	 * The boot hart's stack: a 32 KiB slot whose lower half stays
	 * unmapped as a guard, the same shape as every other kernel stack
	 * (see entry.S for the overflow check that relies on it).
	 */
	.section .bss.stack, "aw", @nobits
	.align	15
	.globl	boot_stack_guard
boot_stack_guard:
	.space	KSTACK_SIZE
	.globl	boot_stack_bottom
boot_stack_bottom:
	.space	KSTACK_SIZE
	.globl	boot_stack_top
boot_stack_top:
