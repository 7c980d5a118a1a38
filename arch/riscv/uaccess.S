/*
 * uaccess.S - the only code that touches user memory.  It opens the SUM
 * window for the copy and closes it again; every load and store is listed
 * in __ex_table so a fault on a bad user address resumes at .Lfault
 * instead of panicking (arch/riscv/trap.c; vm_fault gets the first chance,
 * which is how a kernel write into a COW page breaks the sharing).
 */
#define SSTATUS_SUM_BIT 0x40000

	.macro EX insn, reg, off, base
100:	\insn	\reg, \off(\base)
	.pushsection __ex_table, "a"
	.balign	8
	.dword	100b, .Lfault
	.popsection
	.endm

/* EXL fixup, insn... - like EX, for any instruction, resuming at @fixup. */
	.macro EXL fixup, insn:vararg
100:	\insn
	.pushsection __ex_table, "a"
	.balign	8
	.dword	100b, \fixup
	.popsection
	.endm

/*
 * size_t __uaccess_copy(void *dst, const void *src, size_t n)
 * Copy n bytes where either side may be a user address.  Returns the number
 * of bytes NOT copied (0 on success; on a fault, at least the bytes left).
 */
	.section .text
	.globl	__uaccess_copy
__uaccess_copy:
	li	t6, SSTATUS_SUM_BIT
	csrs	sstatus, t6
	add	a3, a0, a2		/* a3 = end of dst */
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, .Lbytes
.Lblocks:				/* both 8-aligned: 64 bytes a round */
	sub	t0, a3, a0
	li	t1, 64
	bltu	t0, t1, .Lwords
	EX	ld, t0, 0, a1
	EX	ld, t1, 8, a1
	EX	ld, t2, 16, a1
	EX	ld, t3, 24, a1
	EX	ld, t4, 32, a1
	EX	ld, t5, 40, a1
	EX	ld, a4, 48, a1
	EX	ld, a5, 56, a1
	EX	sd, t0, 0, a0
	EX	sd, t1, 8, a0
	EX	sd, t2, 16, a0
	EX	sd, t3, 24, a0
	EX	sd, t4, 32, a0
	EX	sd, t5, 40, a0
	EX	sd, a4, 48, a0
	EX	sd, a5, 56, a0
	addi	a0, a0, 64
	addi	a1, a1, 64
	j	.Lblocks
.Lwords:
	sub	t0, a3, a0
	li	t1, 8
	bltu	t0, t1, .Lbytes
	EX	ld, t0, 0, a1
	EX	sd, t0, 0, a0
	addi	a0, a0, 8
	addi	a1, a1, 8
	j	.Lwords
.Lbytes:
	beq	a0, a3, .Ldone
	EX	lb, t0, 0, a1
	EX	sb, t0, 0, a0
	addi	a0, a0, 1
	addi	a1, a1, 1
	j	.Lbytes
.Ldone:
	csrc	sstatus, t6
	li	a0, 0
	ret
.Lfault:
	csrc	sstatus, t6
	sub	a0, a3, a0
	ret

/*
 * int __uaccess_amo32(int op, uint32_t *uaddr, uint32_t arg, uint32_t *old)
 * One atomic read-modify-write of the aligned user word: op 0 stores arg,
 * 1 adds it, 2 ors it, 3 ands its complement, 4 xors it; *old gets the
 * word as it was.  One AMO instruction, so no other hart's store can slip
 * between the read and the write.  Returns 0, or 1 after a fault vm_fault
 * could not resolve (a store fault on a COW page is resolved: the AMO is
 * then retried on the private copy).
 */
	.globl	__uaccess_amo32
__uaccess_amo32:
	li	t6, SSTATUS_SUM_BIT
	csrs	sstatus, t6
	li	t0, 1
	beq	a0, t0, .Lamo_add
	li	t0, 2
	beq	a0, t0, .Lamo_or
	li	t0, 3
	beq	a0, t0, .Lamo_andn
	li	t0, 4
	beq	a0, t0, .Lamo_xor
	EXL	.Lamo_fault, amoswap.w.aqrl t1, a2, (a1)
	j	.Lamo_done
.Lamo_add:
	EXL	.Lamo_fault, amoadd.w.aqrl t1, a2, (a1)
	j	.Lamo_done
.Lamo_or:
	EXL	.Lamo_fault, amoor.w.aqrl t1, a2, (a1)
	j	.Lamo_done
.Lamo_andn:
	not	a2, a2
	EXL	.Lamo_fault, amoand.w.aqrl t1, a2, (a1)
	j	.Lamo_done
.Lamo_xor:
	EXL	.Lamo_fault, amoxor.w.aqrl t1, a2, (a1)
.Lamo_done:
	csrc	sstatus, t6
	sw	t1, 0(a3)
	li	a0, 0
	ret
.Lamo_fault:
	csrc	sstatus, t6
	li	a0, 1
	ret

/*
 * int __uaccess_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *cur)
 * If the aligned user word holds old, replace it by new, atomically (an
 * lr/sc loop); *cur gets the value found, so the swap happened iff
 * *cur == old.  Returns 0, or 1 after an unresolved fault.  A fault on the
 * sc (a COW page) is resolved and the sc retried; it then fails for want
 * of a reservation and the loop reads the word again.
 */
	.globl	__uaccess_cmpxchg32
__uaccess_cmpxchg32:
	li	t6, SSTATUS_SUM_BIT
	csrs	sstatus, t6
	sext.w	a1, a1			/* lr.w sign-extends: compare like with like */
1:	EXL	.Lamo_fault, lr.w.aqrl t1, (a0)
	bne	t1, a1, 2f
	EXL	.Lamo_fault, sc.w.rl t2, a2, (a0)
	bnez	t2, 1b
2:	csrc	sstatus, t6
	sw	t1, 0(a3)
	li	a0, 0
	ret
