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
#include "sections.h"

void trap_init_hart(void)
{
	csr_write(stvec, (unsigned long)trap_vector);
	csr_write(sscratch, 0);
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	csr_set(scounteren, SCOUNTEREN_TM);	/* the vDSO reads time with rdtime, no trap */
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

/*
 * fault_kind - what exception @cause (not an interrupt, not an ecall)
 * means to the kernel (ENTRY_FAULT_*; entry.S decides page faults
 * itself).
 */
static int fault_kind(unsigned long cause)
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

/* trap_cause_name - what the exception in @tf was, in words (trap.h). */
const char *trap_cause_name(const struct trapframe *tf)
{
	unsigned long cause = tf->scause;
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
 * trap_kernel - a trap taken in S-mode.  Interrupts are handled; a page
 * fault in a user-access routine is offered to the kernel and otherwise
 * resumes at its fixup (the copy returns -EFAULT); anything else is a
 * kernel bug.
 */
void trap_kernel(struct trapframe *tf)
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
	entry_kernel_fault(tf, tf->stval);
}

/*
 * trap_user - a trap from U-mode that entry.S did not send straight to
 * the kernel (ecalls and page faults it does), interrupts off.
 * A fault goes to entry_user_fault, which does the whole trap (user-time
 * charge to return-to-user work); an interrupt is handled between
 * entry_from_user and entry_user_return.
 */
void trap_user(struct trapframe *tf)
{
	unsigned long cause = tf->scause;

	if (cause & SCAUSE_INTR) {
		entry_from_user();
		handle_interrupt(cause & ~SCAUSE_INTR);
		entry_user_return(tf);
	} else {
		entry_user_fault(tf, fault_kind(cause), tf->stval);
	}
}
