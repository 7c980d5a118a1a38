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
