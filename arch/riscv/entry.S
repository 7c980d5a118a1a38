/*
 * entry.S - the supervisor trap vector and the way back out.
 *
 * sscratch tells where a trap came from: it holds this hart's struct cpu
 * pointer while a user thread runs, and 0 while the kernel runs (where tp
 * holds the struct cpu pointer instead).
 */
#include "trapframe.h"
#include "layout.h"
#include "csr.h"
#include "../../kernel/entry.h"

	.macro SAVE_GPRS
	sd	ra, TF_X(1)(sp)
	sd	gp, TF_X(3)(sp)
	sd	t0, TF_X(5)(sp)
	sd	t1, TF_X(6)(sp)
	sd	t2, TF_X(7)(sp)
	sd	s0, TF_X(8)(sp)
	sd	s1, TF_X(9)(sp)
	sd	a0, TF_X(10)(sp)
	sd	a1, TF_X(11)(sp)
	sd	a2, TF_X(12)(sp)
	sd	a3, TF_X(13)(sp)
	sd	a4, TF_X(14)(sp)
	sd	a5, TF_X(15)(sp)
	sd	a6, TF_X(16)(sp)
	sd	a7, TF_X(17)(sp)
	sd	s2, TF_X(18)(sp)
	sd	s3, TF_X(19)(sp)
	sd	s4, TF_X(20)(sp)
	sd	s5, TF_X(21)(sp)
	sd	s6, TF_X(22)(sp)
	sd	s7, TF_X(23)(sp)
	sd	s8, TF_X(24)(sp)
	sd	s9, TF_X(25)(sp)
	sd	s10, TF_X(26)(sp)
	sd	s11, TF_X(27)(sp)
	sd	t3, TF_X(28)(sp)
	sd	t4, TF_X(29)(sp)
	sd	t5, TF_X(30)(sp)
	sd	t6, TF_X(31)(sp)
	csrr	t0, sepc
	csrr	t1, sstatus
	csrr	t2, stval
	csrr	t3, scause
	sd	t0, TF_EPC(sp)
	sd	t1, TF_SSTATUS(sp)
	sd	t2, TF_STVAL(sp)
	sd	t3, TF_SCAUSE(sp)
	sd	a0, TF_ORIG_A0(sp)
	.endm

	.section .text
	.globl	trap_vector
	.align	2
trap_vector:
	csrrw	tp, sscratch, tp
	bnez	tp, .Lfrom_user

	/* From the kernel: get tp back, keep sscratch 0. */
	csrrw	tp, sscratch, tp
	/*
	 * Every kernel stack is the upper half of a KSTACK_SLOT-aligned
	 * slot whose lower half is unmapped.  If the frame we are about to
	 * push would land in the guard half, the stack has overflowed:
	 * switch to this hart's emergency stack and panic rather than fault
	 * forever.
	 */
	sd	t0, CPU_SCRATCH_T0(tp)
	addi	t0, sp, -TF_SIZE
	slli	t0, t0, 64 - 15		/* offset within the 32 KiB slot ... */
	srli	t0, t0, 64 - 15 + 14	/* ... is it in the upper 16 KiB? */
	bnez	t0, 1f
	mv	t0, sp
	ld	sp, CPU_OVERFLOW_SP(tp)
	addi	sp, sp, -TF_SIZE
	sd	t0, TF_X(2)(sp)
	ld	t0, CPU_SCRATCH_T0(tp)
	SAVE_GPRS
	sd	tp, TF_X(4)(sp)
	mv	a0, sp
	call	entry_stack_overflow
1:
	ld	t0, CPU_SCRATCH_T0(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	addi	t0, sp, TF_SIZE
	sd	t0, TF_X(2)(sp)
	sd	tp, TF_X(4)(sp)
	mv	a0, sp
	call	trap_kernel
	j	trap_return

.Lfrom_user:
	/* tp = struct cpu, sscratch = user tp. */
	sd	sp, CPU_SCRATCH_SP(tp)
	ld	sp, CPU_KSTACK_TOP(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	ld	t0, CPU_SCRATCH_SP(tp)
	sd	t0, TF_X(2)(sp)
	csrrw	t0, sscratch, zero
	sd	t0, TF_X(4)(sp)
	mv	a0, sp
	/*
	 * The hot traps go straight through the kernel's door (entry.h):
	 * SAVE_GPRS left scause in t3 and stval in t2.  The rest is
	 * trap_user's.
	 */
	li	t1, EXC_ECALL_U
	bne	t3, t1, .Luser_other
	ld	t0, TF_EPC(sp)
	addi	t0, t0, 4		/* resume after the ecall */
	sd	t0, TF_EPC(sp)
	call	entry_syscall
	/* fall through */

/*
 * trap_return - leave through the frame at sp: back to the kernel, or to
 * user mode (sstatus.SPP = 0), in which case sscratch gets the struct cpu.
 */
	.globl	trap_return
trap_return:
	ld	t0, TF_SSTATUS(sp)
	ld	t1, TF_EPC(sp)
	csrw	sstatus, t0
	csrw	sepc, t1
	andi	t0, t0, 1 << 8		/* SPP */
	beqz	t0, 2f
	/*
	 * Back to the kernel: keep this hart's tp, not the frame's.  A fault
	 * in a user-access routine may sleep (a swap-in) and resume on
	 * another hart; the frame still names the first one's struct cpu.
	 */
	sd	tp, TF_X(4)(sp)
	j	1f
2:
	csrw	sscratch, tp
1:
	ld	ra, TF_X(1)(sp)
	ld	gp, TF_X(3)(sp)
	ld	tp, TF_X(4)(sp)
	ld	t0, TF_X(5)(sp)
	ld	t1, TF_X(6)(sp)
	ld	t2, TF_X(7)(sp)
	ld	s0, TF_X(8)(sp)
	ld	s1, TF_X(9)(sp)
	ld	a0, TF_X(10)(sp)
	ld	a1, TF_X(11)(sp)
	ld	a2, TF_X(12)(sp)
	ld	a3, TF_X(13)(sp)
	ld	a4, TF_X(14)(sp)
	ld	a5, TF_X(15)(sp)
	ld	a6, TF_X(16)(sp)
	ld	a7, TF_X(17)(sp)
	ld	s2, TF_X(18)(sp)
	ld	s3, TF_X(19)(sp)
	ld	s4, TF_X(20)(sp)
	ld	s5, TF_X(21)(sp)
	ld	s6, TF_X(22)(sp)
	ld	s7, TF_X(23)(sp)
	ld	s8, TF_X(24)(sp)
	ld	s9, TF_X(25)(sp)
	ld	s10, TF_X(26)(sp)
	ld	s11, TF_X(27)(sp)
	ld	t3, TF_X(28)(sp)
	ld	t4, TF_X(29)(sp)
	ld	t5, TF_X(30)(sp)
	ld	t6, TF_X(31)(sp)
	ld	sp, TF_X(2)(sp)
	sret

/*
 * arch_thread_start - a new thread's first return from switch_to, with sp
 * at its user frame (thread.h): the kernel's first-run work, then out
 * through that frame.  entry_thread_start returns with sp where it was.
 */
	.globl	arch_thread_start
arch_thread_start:
	call	entry_thread_start
	j	trap_return

/* A trap from U-mode other than an ecall; a0 = sp = its frame, t3 = scause, t2 = stval. */
.Luser_other:
	li	t1, EXC_STORE_PAGE
	li	a1, ENTRY_FAULT_WRITE
	beq	t3, t1, 1f
	li	t1, EXC_LOAD_PAGE
	li	a1, ENTRY_FAULT_READ
	beq	t3, t1, 1f
	li	t1, EXC_INST_PAGE
	li	a1, ENTRY_FAULT_EXEC
	beq	t3, t1, 1f
	call	trap_user
	j	trap_return
1:	mv	a2, t2
	call	entry_user_fault
	j	trap_return
