/*
 * trap.c - decode a trap and hand it to the kernel through its one door
 * (kernel/entry.h), or to the interrupt handlers (kernel/irq.h).  No
 * policy lives here: which signal a fault becomes, and what happens on
 * the way back to user mode, is entry.c's.
 */
#include "../../kernel/entry.h"
#include "../../kernel/irq.h"
#include "csr.h"
#include "extable.h"
#include "trap.h"
#include "trapframe.h"

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

/* fault_kind - what exception @cause (not an interrupt, not an ecall) means to the kernel. */
static enum entry_fault fault_kind(unsigned long cause)
{
	switch (cause) {
	case EXC_LOAD_PAGE:
		return ENTRY_FAULT_READ;
	case EXC_STORE_PAGE:
		return ENTRY_FAULT_WRITE;
	case EXC_INST_PAGE:
		return ENTRY_FAULT_EXEC;
	case EXC_ILLEGAL:
		return ENTRY_FAULT_ILLEGAL;
	case EXC_BREAKPOINT:
		return ENTRY_FAULT_BREAKPOINT;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		return ENTRY_FAULT_MISALIGNED;
	default:
		return ENTRY_FAULT_OTHER;
	}
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
	return cause < sizeof(names) / sizeof(names[0]) ? names[cause] : "?";
}

/*
 * kernel_trap - a trap taken in S-mode.  Interrupts are handled; a page
 * fault in a user-access routine is offered to the kernel and otherwise
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
		if ((cause == EXC_LOAD_PAGE || cause == EXC_STORE_PAGE) &&
		    entry_uaccess_fault(fault_kind(cause), tf->stval))
			return;
		tf->epc = fixup;
		return;
	}
	entry_kernel_fault(tf, cause_name(cause), tf->stval);
}

/*
 * user_trap - a trap from U-mode: a system call, a fault, or an
 * interrupt.  The user time up to here is charged first; on the way out,
 * entry_user_return delivers signals and may run someone else.
 */
void user_trap(struct trapframe *tf)
{
	unsigned long cause = tf->scause;

	entry_from_user();
	if (cause & SCAUSE_INTR) {
		handle_interrupt(cause & ~SCAUSE_INTR);
	} else if (cause == EXC_ECALL_U) {
		tf->epc += 4;
		intr_on();
		entry_syscall(tf);
	} else {
		intr_on();
		entry_user_fault(tf, fault_kind(cause), tf->stval, cause_name(cause));
	}
	entry_user_return(tf);
}
