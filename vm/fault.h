/*
 * fault.h - the user page-fault entry point and the counters /proc/vmstat shows.
 */
#ifndef HOLSTEIN_FAULT_H
#define HOLSTEIN_FAULT_H

#include "mm.h"

enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };

enum fault_result {
	FAULT_OK = 0,		/* the access can be retried */
	FAULT_SIGSEGV,		/* no mapping, or not allowed: a real fault */
	FAULT_SIGBUS,		/* a file mapping past the end of the file */
	FAULT_OOM,		/* no frame for a copy or a zero fill */
};

/*
 * vm_fault - resolve a page fault at @addr in @mm (a store/AMO, a load or
 * a fetch).  Takes mm->lock.  Safe from the kernel's user-access routines.
 */
enum fault_result vm_fault(struct mm *mm, unsigned long addr, enum fault_access access);

/* vm_init - the zero frame and the signal trampoline frame. */
void vm_init(void);

struct vmstat {
	unsigned long pgfault, cow_fault, cow_copy, cow_reuse, zero_fill, oom_kill;
};
extern struct vmstat vmstat;
#define vmstat_inc(field) __atomic_add_fetch(&vmstat.field, 1, __ATOMIC_RELAXED)

extern phys_addr_t zero_frame;		/* one global page of zeros, never freed */
extern phys_addr_t sigpage_frame;	/* rt_sigreturn trampoline, mapped at USER_SIGPAGE */

#endif
