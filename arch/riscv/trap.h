/* trap.h - trap set-up, and the C handlers entry.S calls. */
#ifndef HOLSTEIN_TRAP_H
#define HOLSTEIN_TRAP_H

struct trapframe;

/*
 * trap_init_hart - point this hart's trap vector at entry.S; enable its
 * interrupt sources; let user mode read the time CSR (scounteren.TM, for
 * the vDSO).  Every hart, as it comes up.
 */
void trap_init_hart(void);
/* trap_kernel / trap_user - a trap from S-mode / U-mode (not the hot ones), its frame at @tf (entry.S). */
void trap_kernel(struct trapframe *tf);
void trap_user(struct trapframe *tf);
/* trap_return - leave through the frame at sp (entry.S; jumped to, never called). */
void trap_return(void);
/* trap_cause_name - the exception @tf records, in words ("store page fault"), for log lines. */
const char *trap_cause_name(const struct trapframe *tf);

#endif
