/*
 * trap.c - decode a trap and hand it to the subsystem that owns it.  No
 * policy lives here: page faults go to vm_fault, system calls to
 * syscall_dispatch, interrupts to the timer, the PLIC and the IPI handler.
 */
#include "../../kernel/kernel.h"
#include "../../kernel/proc.h"
#include "../../kernel/syscall.h"
#include "../../kernel/irq.h"
#include "../../vm/fault.h"
#include "csr.h"
#include "extable.h"
#include "trap.h"

extern void trap_vector(void);

void trap_init_hart(void)
{
	csr_write(stvec, (unsigned long)trap_vector);
	csr_write(sscratch, 0);
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
}

/* handle_interrupt - interrupt @code arrived (from U- or S-mode alike). */
static void handle_interrupt(unsigned long code)
{
	switch (code) {
	case IRQ_S_TIMER:
		irq_timer();
		break;
	case IRQ_S_EXT:
		irq_external();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, 1UL << IRQ_S_SOFT);
		irq_ipi();
		break;
	}
}

static enum fault_access access_of(unsigned long cause)
{
	if (cause == EXC_STORE_PAGE)
		return FAULT_WRITE;
	if (cause == EXC_INST_PAGE)
		return FAULT_EXEC;
	return FAULT_READ;
}

static const char *cause_name(unsigned long cause)
{
	static const char *const names[] = {
		"instruction address misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load address misaligned",
		"load access fault", "store address misaligned", "store access fault",
		"user ecall", "supervisor ecall", "?", "?", "instruction page fault",
		"load page fault", "?", "store page fault",
	};
	return cause < ARRAY_SIZE(names) ? names[cause] : "?";
}

/*
 * kernel_trap - a trap taken in S-mode.  Interrupts are handled; a page
 * fault in a user-access routine is offered to vm_fault and otherwise
 * resumes at its fixup (the copy returns -EFAULT); anything else is a
 * kernel bug.
 */
void kernel_trap(struct trapframe *tf)
{
	unsigned long cause = tf->scause;

	if (cause & SCAUSE_INTR) {
		handle_interrupt(cause & ~SCAUSE_INTR);
		return;
	}
	unsigned long fixup = extable_fixup(tf->epc);
	if (fixup) {
		struct proc *p = current();
		if ((cause == EXC_LOAD_PAGE || cause == EXC_STORE_PAGE) && p) {
			enum fault_result r = vm_fault(p->mm, tf->stval, access_of(cause));
			if (r == FAULT_OK)
				return;
			if (r == FAULT_OOM)
				oom_kill_later(tf->stval);	/* the copy fails; the process dies on return */
		}
		tf->epc = fixup;
		return;
	}
	panic_frame(tf, "kernel %s at pc %lx, address %lx", cause_name(cause), tf->epc,
		    tf->stval);
}

/*
 * user_trap - a trap from U-mode: a system call, a page fault, an
 * interrupt, or a fault that becomes a signal.  The user time up to here
 * is charged first.  On the way out, pending signals are delivered and
 * the scheduler may run someone else.
 */
void user_trap(struct trapframe *tf)
{
	unsigned long cause = tf->scause;
	struct proc *p = current();

	cputime_user_exit(&p->cpu);
	if (cause & SCAUSE_INTR) {
		handle_interrupt(cause & ~SCAUSE_INTR);
	} else if (cause == EXC_ECALL_U) {
		tf->epc += 4;
		intr_on();
		syscall_dispatch(tf);
	} else if (cause == EXC_INST_PAGE || cause == EXC_LOAD_PAGE || cause == EXC_STORE_PAGE) {
		intr_on();
		switch (vm_fault(p->mm, tf->stval, access_of(cause))) {
		case FAULT_OK:
			break;
		case FAULT_OOM:
			oom_kill(tf->stval);
			break;
		case FAULT_SIGBUS:
			user_fault_signal(tf, SIGBUS, cause_name(cause));
			break;
		default:
			user_fault_signal(tf, SIGSEGV, cause_name(cause));
			break;
		}
	} else {
		intr_on();
		switch (cause) {
		case EXC_ILLEGAL:
			user_fault_signal(tf, SIGILL, cause_name(cause));
			break;
		case EXC_BREAKPOINT:
			user_fault_signal(tf, SIGTRAP, cause_name(cause));
			break;
		case EXC_INST_MISALIGNED:
		case EXC_LOAD_MISALIGNED:
		case EXC_STORE_MISALIGNED:
			user_fault_signal(tf, SIGBUS, cause_name(cause));
			break;
		default:
			user_fault_signal(tf, SIGSEGV, cause_name(cause));
			break;
		}
	}
	user_return(tf);
}
