/*
 * entry.c - what a trap needs from the kernel (entry.h): the one door
 * from arch/ up.
 *
 * arch/ has decoded the trap; this file owns the outcome.  A system call
 * goes to syscall_dispatch.  A user page fault goes to vm_fault, and its
 * result decides the rest:
 *
 *	FAULT_OK	retry the instruction
 *	FAULT_OOM	reclaim and fault again (reclaim_retry); when nothing
 *			more can be reclaimed, kill the process now (oom_kill)
 *	FAULT_SIGBUS	SIGBUS (a file mapping past the end of the file)
 *	otherwise	SIGSEGV
 *
 * Other user faults map straight to a signal: illegal instruction SIGILL,
 * breakpoint SIGTRAP, misaligned access SIGBUS, the rest SIGSEGV.  A page
 * fault inside a user-access routine is offered to vm_fault for the
 * current process; what it cannot resolve makes the copy fail (and an OOM
 * kills the process before it sees the error).  Every way back to user
 * mode ends in entry_user_return.
 */
#include "kernel.h"
#include "entry.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "jobctl.h"
#include "oom.h"
#include "ratelimit.h"
#include "signal.h"
#include "cputime.h"
#include "../arch/riscv/trapframe.h"
#include "../arch/riscv/trap.h"
#include "../arch/riscv/irqflags.h"
#include "../vm/fault.h"
#include "../vm/reclaim.h"

_Static_assert(ENTRY_FAULT_READ == FAULT_READ && ENTRY_FAULT_WRITE == FAULT_WRITE &&
	       ENTRY_FAULT_EXEC == FAULT_EXEC, "a page-fault kind is its vm_fault access");

/* access_of - the vm_fault access of a page-fault @kind (READ, WRITE or EXEC): the same number. */
static inline enum fault_access access_of(int kind)
{
	return (enum fault_access)kind;
}

/* At most 10 fault lines per 5 s: a program can fault in a loop. */
static struct ratelimit fault_log = RATELIMIT_INIT("fault_log", 5000000000ULL, 10);

/*
 * fault_signal - a U-mode fault the process cannot go on from: deliver
 * @sig now with si_code @code (runtimes such as Go's tell a fault from a
 * kill() by it) and si_addr @addr.  Logged only when it kills the process
 * (a program that handles its own SIGSEGV, as garbage collectors and
 * lmbench do, is not news), and then rate-limited.
 */
static void fault_signal(struct trapframe *tf, int sig, int code, unsigned long addr)
{
	struct proc *p = current();

	if (signal_force_kills(sig) && ratelimit_ok(&fault_log, "fault_log"))
		pr_info("%s[%d]: %s at address %lx, pc %lx: signal %d\n", p->name, p->pid,
		trap_cause_name(tf), addr, tf->epc, sig);
	signal_force(sig, code, addr);
}

#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define ILL_ILLOPC	1
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define TRAP_BRKPT	1

/* signal_of - the signal, and its si_code in *@code, for a fault that is not a page fault. */
static int signal_of(int kind, int *code)
{
	switch (kind) {
	case ENTRY_FAULT_ILLEGAL:
		*code = ILL_ILLOPC;
		return SIGILL;
	case ENTRY_FAULT_BREAKPOINT:
		*code = TRAP_BRKPT;
		return SIGTRAP;
	case ENTRY_FAULT_MISALIGNED:
		*code = BUS_ADRALN;
		return SIGBUS;
	default:
		*code = SEGV_MAPERR;
		return SIGSEGV;
	}
}

/*
 * leave_user - a trap from U-mode ended the user stint of @p (current):
 * charge it; then interrupts may come in.  Inline: on every system call.
 */
static inline void leave_user(struct proc *p)
{
	cputime_user_exit(&p->cpu);
	arch_irq_enable();
}

/* entry_from_user - an interrupt from U-mode: charge the user stint it ended (interrupts stay off). */
void entry_from_user(void)
{
	cputime_user_exit(&current()->cpu);
}

/* entry_syscall - the system call in @tf's a7, arguments a0-a5, result to a0; then back out. */
void entry_syscall(struct trapframe *tf)
{
	leave_user(current());
	syscall_dispatch(tf);
	entry_user_return(tf);
}

/*
 * fault_failed - vm_fault could not resolve the page fault at @addr
 * (@r is not FAULT_OK): out of memory, reclaim and fault again while that
 * helps, else an OOM kill; or SIGBUS or SIGSEGV.  Out of line, off the
 * path of the faults that succeed.
 */
static void __attribute__((noinline, cold)) fault_failed(struct trapframe *tf,
							 enum fault_result r,
							 unsigned long addr, int kind)
{
	while (r == FAULT_OOM && reclaim_retry())
		r = vm_fault(current()->mm, addr, access_of(kind));
	if (r == FAULT_OK)
		return;
	if (r == FAULT_OOM)
		oom_kill(addr);
	if (r == FAULT_SIGBUS)
		fault_signal(tf, SIGBUS, BUS_ADRERR, addr);
	else
		fault_signal(tf, SIGSEGV, r == FAULT_SIGSEGV_ACCERR ? SEGV_ACCERR : SEGV_MAPERR, addr);
}

/*
 * entry_user_fault - a U-mode fault of @kind at @addr: vm_fault for page
 * faults, else (or when it fails) the signal the table at the top says;
 * then back out (a handler frame may have been set up).
 */
void entry_user_fault(struct trapframe *tf, int kind, unsigned long addr)
{
	struct proc *p = current();

	leave_user(p);
	if (likely(kind <= ENTRY_FAULT_EXEC)) {
		enum fault_result r = vm_fault(p->mm, addr, access_of(kind));
		if (unlikely(r != FAULT_OK))
			fault_failed(tf, r, addr, kind);
	} else {
		int code, sig = signal_of(kind, &code);
		fault_signal(tf, sig, code, addr);
	}
	entry_user_return(tf);
}

/*
 * entry_uaccess_fault - a fault at @addr inside a user-access routine:
 * 1 if vm_fault resolved it, else 0 (the routine fails with -EFAULT; on
 * OOM SIGKILL is already posted and ends the process before it returns).
 */
int entry_uaccess_fault(int kind, unsigned long addr)
{
	struct proc *p = current();

	if (!p)
		return 0;
	enum fault_result r = vm_fault(p->mm, addr, access_of(kind));
	while (r == FAULT_OOM && reclaim_retry())
		r = vm_fault(p->mm, addr, access_of(kind));
	if (r == FAULT_OK)
		return 1;
	if (r == FAULT_OOM)
		oom_kill_later(addr);
	return 0;
}

/*
 * entry_user_return - the last stop before user mode: run someone else if
 * our time is up, then deliver pending signals; the kernel time up to here
 * is charged last.
 */
void entry_user_return(struct trapframe *tf)
{
	for (;;) {
		if (sched_need_resched[this_cpu()->id])
			sched_yield();
		jobctl_stop_point();
		if (!signal_pending())
			break;
		signal_deliver(tf);
	}
	/*
	 * A sleep cut short by a signal that another thread of the process took
	 * (or that was ignored meanwhile): nothing ran, so the call starts again.
	 */
	if (unlikely((long)tf->a0 == -ERESTARTSYS))
		signal_restart_syscall(tf);
	struct proc *p = current();
	if (p->sig.restore_blocked) {
		/* rt_sigsuspend ended without running a handler: its mask goes away. */
		p->sig.blocked = p->sig.saved_blocked;
		p->sig.restore_blocked = 0;
	}
	cputime_user_enter(&p->cpu);
}

/* entry_thread_start - a new process's first run: proc's hand-over, then out to user mode. */
void entry_thread_start(void)
{
	struct proc *p = current();

	proc_first_run(p);
	entry_user_return(p->tf);
}

/* entry_kernel_fault - an exception in S-mode no fixup covers: the kernel is broken. */
void entry_kernel_fault(struct trapframe *tf, unsigned long addr)
{
	panic_frame(tf, "kernel %s at pc %lx, address %lx", trap_cause_name(tf), tf->epc, addr);
}

/* entry_stack_overflow - the kernel stack ran into its guard: panic on the emergency stack. */
void entry_stack_overflow(struct trapframe *tf)
{
	panic_frame(tf, "kernel stack overflow (sp %lx)", tf->sp);
}
