/*
 * trapframe.h - the registers saved on every trap, and the per-hart words
 * (struct arch_cpu) the trap vector reads through tp.  The offsets are
 * shared with entry.S.
 */
#ifndef HOLSTEIN_TRAPFRAME_H
#define HOLSTEIN_TRAPFRAME_H

/* struct trapframe: x[0] holds sepc (x0 is always zero, so its slot is free). */
#define TF_EPC		0
#define TF_X(n)		((n) * 8)
#define TF_SSTATUS	(32 * 8)
#define TF_STVAL	(33 * 8)
#define TF_SCAUSE	(34 * 8)
#define TF_ORIG_A0	(35 * 8)
#define TF_SIZE		(36 * 8)

/* struct arch_cpu: the words of a hart's struct cpu that arch/ reads through tp. */
#define CPU_SCRATCH_SP	0	/* the interrupted user sp, while entering */
#define CPU_KSTACK_TOP	8	/* kernel stack top of the thread running on this hart */
#define CPU_SCRATCH_T0	16	/* a free register while checking for overflow */
#define CPU_OVERFLOW_SP	24	/* top of this hart's emergency stack */

#ifndef __ASSEMBLER__
struct trapframe {
	unsigned long epc;
	unsigned long ra, sp, gp, tp, t0, t1, t2, s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	unsigned long t3, t4, t5, t6;
	unsigned long sstatus, stval, scause, orig_a0;
};
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");

/*
 * struct arch_cpu - arch's per-hart words.  It is the first member of the
 * kernel's struct cpu, so tp points at both; entry.S reads it by the
 * offsets above (the first four words).  The kernel fills in kstack_top
 * and overflow_sp; timer_sstc, which only C reads, is set through
 * arch_timer_set_sstc (hart.h).
 */
struct arch_cpu {
	unsigned long scratch_sp;
	unsigned long kstack_top;
	unsigned long scratch_t0;
	unsigned long overflow_sp;
	unsigned long timer_sstc;	/* nonzero: the timer is Sstc's stimecmp, else SBI TIME */
};
_Static_assert(__builtin_offsetof(struct arch_cpu, scratch_sp) == CPU_SCRATCH_SP, "cpu layout");
_Static_assert(__builtin_offsetof(struct arch_cpu, kstack_top) == CPU_KSTACK_TOP, "cpu layout");
_Static_assert(__builtin_offsetof(struct arch_cpu, scratch_t0) == CPU_SCRATCH_T0, "cpu layout");
_Static_assert(__builtin_offsetof(struct arch_cpu, overflow_sp) == CPU_OVERFLOW_SP, "cpu layout");
#endif

#endif
