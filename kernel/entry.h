/*
 * entry.h - the one door from arch/ up into the kernel.
 *
 * arch/ decodes a trap (which mode, which cause, which address) and calls
 * exactly one of these; everything that is policy - which signal a fault
 * becomes, when a process dies of OOM, what happens on the way back to
 * user mode - lives behind them in kernel/entry.c.  Interrupts go through
 * irq.h instead.  arch/ includes no other kernel/ header.
 *
 * A trap from U-mode, as arch/riscv/trap.c's user_trap tells it:
 *
 *	entry_from_user();			charge the user time
 *	entry_syscall(tf)			an ecall (epc already past it), or
 *	entry_user_fault(tf, kind, addr, what)	a fault, or an interrupt (irq.h)
 *	entry_user_return(tf);			resched, signals; then sret
 */
#ifndef HOLSTEIN_ENTRY_H
#define HOLSTEIN_ENTRY_H

struct trapframe;

/* What a synchronous fault was, as far as the kernel cares. */
enum entry_fault {
	ENTRY_FAULT_READ,	/* page fault on a load */
	ENTRY_FAULT_WRITE,	/* page fault on a store or AMO */
	ENTRY_FAULT_EXEC,	/* page fault on an instruction fetch */
	ENTRY_FAULT_ILLEGAL,	/* illegal instruction: SIGILL */
	ENTRY_FAULT_BREAKPOINT,	/* ebreak: SIGTRAP */
	ENTRY_FAULT_MISALIGNED,	/* misaligned fetch, load or store: SIGBUS */
	ENTRY_FAULT_OTHER,	/* access faults and the rest: SIGSEGV */
};

/* --- boot: head.S calls these ----------------------------------------------- */

/* start_kernel - the boot hart's first C code, MMU on, on the boot stack (main.c). */
void start_kernel(unsigned long hartid, unsigned long dtb_pa);
/* secondary_start - a started hart's first C code, tp = its struct cpu (smp.c). */
void secondary_start(void);

/* --- traps from U-mode (interrupts still off unless said) ------------------ */

/* entry_from_user - first call on every trap from U-mode: charge the user time up to now. */
void entry_from_user(void);

/* entry_syscall - an ecall from U-mode, interrupts on, tf->epc already past the ecall. */
void entry_syscall(struct trapframe *tf);

/*
 * entry_user_fault - a synchronous fault in U-mode at @addr, interrupts
 * on.  Page faults go to vm_fault; what it cannot resolve becomes a signal
 * (or an OOM kill).  @what names the cause for the log line.
 */
void entry_user_fault(struct trapframe *tf, enum entry_fault kind, unsigned long addr,
		      const char *what);

/*
 * entry_user_return - the last call before sret to U-mode: reschedule if
 * asked, deliver pending signals, charge the kernel time.
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
 * entry_uaccess_fault - a page fault (READ or WRITE) at user address
 * @addr, taken inside a user-access routine.  Returns 1 if vm_fault
 * resolved it (retry the access), 0 if the routine should take its fixup
 * (-EFAULT); on OOM the process is also marked to die before it returns.
 */
int entry_uaccess_fault(enum entry_fault kind, unsigned long addr);

/* entry_kernel_fault - any other exception in S-mode: a kernel bug.  Panics with @tf. */
void entry_kernel_fault(struct trapframe *tf, const char *what, unsigned long addr)
	__attribute__((noreturn));

/* entry_stack_overflow - entry.S found the kernel stack in its guard page.  Panics. */
void entry_stack_overflow(struct trapframe *tf) __attribute__((noreturn));

#endif
