/*
 * thread.h - a kernel thread's machine state: the callee-saved context
 * switch_to swaps, where a new thread first returns to, the user FP
 * registers, and the status word of a user frame.
 */
#ifndef HOLSTEIN_THREAD_H
#define HOLSTEIN_THREAD_H

#include "csr.h"
#include "trapframe.h"

/* Callee-saved registers of a kernel thread, saved by switch_to (switch.S's layout). */
struct context {
	unsigned long ra, sp;
	unsigned long s[12];
};

struct fpstate;

/* switch_to - save this thread's context in @old, resume @new's (switch.S). */
void switch_to(struct context *old, struct context *new);

/*
 * arch_thread_start - a new thread's first return address (context.ra),
 * with context.sp at its user trapframe: it calls entry_thread_start, then
 * leaves to user mode through that frame (entry.S).
 */
void arch_thread_start(void);

/* fpu_save / fpu_restore - a user's f0-f31 and fcsr, to and from @s (fpu.S). */
void fpu_save(struct fpstate *s);
void fpu_restore(const struct fpstate *s);

/* arch_fpu_dirty - has the user changed its FP registers since they were last loaded (FS = Dirty)? */
static inline int arch_fpu_dirty(const struct trapframe *tf)
{
	return (tf->sstatus & SSTATUS_FS) == SSTATUS_FS_DIRTY;
}

/* arch_fpu_mark_clean - the FP registers now match what was saved or loaded (FS = Clean). */
static inline void arch_fpu_mark_clean(struct trapframe *tf)
{
	tf->sstatus = (tf->sstatus & ~SSTATUS_FS) | SSTATUS_FS_CLEAN;
}

/*
 * arch_user_status_new - the status word of a fresh user frame: U-mode,
 * interrupts on after sret, no user-memory access, FP Initial.
 */
static inline unsigned long arch_user_status_new(void)
{
	return (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SUM | SSTATUS_FS | SSTATUS_SIE)) |
	       SSTATUS_SPIE | SSTATUS_FS_INIT;
}

#endif
