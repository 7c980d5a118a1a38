/*
 * entry.h - the one door from arch/ up into the kernel.
 *
 * arch/ decodes a trap (which mode, which cause, which address) and calls
 * exactly one of these; everything that is policy - which signal a fault
 * becomes, when a process dies of OOM, what happens on the way back to
 * user mode - lives behind them in kernel/entry.c.  Interrupts go through
 * irq.h instead.  arch/ includes no other kernel/ header.
 *
 * A trap from U-mode, as arch/riscv/entry.S and trap.c's trap_user tell
 * it, with interrupts still off:
 *
 *	entry_syscall(tf)		an ecall (tf->epc already past it), or
 *	entry_user_fault(tf, kind, addr)	a fault: each does the whole trap;
 *	entry_from_user(); irq_...(); entry_user_return(tf);	an interrupt,
 *
 * then sret.  The first two are whole, and entry.S calls them itself for
 * ecalls and page faults, so the hot traps pay for no more calls than
 * when arch/ did this work itself.
 */
#ifndef HOLSTEIN_ENTRY_H
#define HOLSTEIN_ENTRY_H

/*
 * What a synchronous fault was, as far as the kernel cares (the kind
 * argument).  Numbers, not an enum: entry.S passes the hot ones itself.
 * The page-fault kinds equal vm_fault's enum fault_access.
 */
#define ENTRY_FAULT_READ	0	/* page fault on a load */
#define ENTRY_FAULT_WRITE	1	/* page fault on a store or AMO */
#define ENTRY_FAULT_EXEC	2	/* page fault on an instruction fetch */
#define ENTRY_FAULT_ILLEGAL	3	/* illegal instruction: SIGILL */
#define ENTRY_FAULT_BREAKPOINT	4	/* ebreak: SIGTRAP */
#define ENTRY_FAULT_MISALIGNED	5	/* misaligned fetch, load or store: SIGBUS */
#define ENTRY_FAULT_OTHER	6	/* access faults and the rest: SIGSEGV */

#ifndef __ASSEMBLER__
struct trapframe;

/* --- boot: head.S calls these ----------------------------------------------- */

/* start_kernel - the boot hart's first C code, MMU on, on the boot stack (main.c). */
void start_kernel(unsigned long hartid, unsigned long dtb_pa);
/* secondary_start - a started hart's first C code, tp = its struct cpu (smp.c). */
void secondary_start(void);

/* --- traps from U-mode, called with interrupts off ------------------------ */

/*
 * entry_syscall - an ecall from U-mode, tf->epc already past it: charge
 * the user time, interrupts on, run the call, then entry_user_return.
 */
void entry_syscall(struct trapframe *tf);

/*
 * entry_user_fault - a synchronous fault in U-mode at @addr: charge the
 * user time, interrupts on; a page fault goes to vm_fault, and what it
 * cannot resolve (or any other fault) becomes a signal or an OOM kill;
 * then entry_user_return.  The log line names the cause through
 * trap_cause_name(tf) (arch/riscv/trap.h).
 */
void entry_user_fault(struct trapframe *tf, int kind, unsigned long addr);

/* entry_from_user - an interrupt from U-mode: charge the user time up to now. */
void entry_from_user(void);

/*
 * entry_user_return - the last call before sret to U-mode (after an
 * interrupt, and inside the two above): reschedule if asked, deliver
 * pending signals, charge the kernel time.
 */
void entry_user_return(struct trapframe *tf);

/*
 * entry_thread_start - a new thread's first code (arch_thread_start), with
 * the scheduler's lock still held from the switch: finish the hand-over,
 * then the same as entry_user_return for its frame.
 */
void entry_thread_start(void);

/* --- traps from S-mode --------------------------------------------------- */

/*
 * entry_uaccess_fault - a page fault (READ or WRITE kind) at user address
 * @addr, taken inside a user-access routine.  Returns 1 if vm_fault
 * resolved it (retry the access), 0 if the routine should take its fixup
 * (-EFAULT); on OOM the process is also marked to die before it returns.
 */
int entry_uaccess_fault(int kind, unsigned long addr);

/* entry_kernel_fault - any other exception in S-mode, at @addr: a kernel bug.  Panics with @tf. */
void entry_kernel_fault(struct trapframe *tf, unsigned long addr) __attribute__((noreturn));

/* entry_stack_overflow - entry.S found the kernel stack in its guard page.  Panics. */
void entry_stack_overflow(struct trapframe *tf) __attribute__((noreturn));

#endif /* __ASSEMBLER__ */
#endif
