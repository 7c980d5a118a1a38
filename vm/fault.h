/*
 * fault.h - the user page-fault entry point.
 */
#ifndef HOLSTEIN_FAULT_H
#define HOLSTEIN_FAULT_H

#include "mm.h"

enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };

enum fault_result {
	FAULT_OK = 0,		/* the access can be retried */
	FAULT_SIGSEGV,		/* no mapping: a real fault (SEGV_MAPERR) */
	FAULT_SIGSEGV_ACCERR,	/* mapped, but the access is not allowed (SEGV_ACCERR) */
	FAULT_SIGBUS,		/* a file mapping past the end of the file */
	FAULT_OOM,		/* no frame for a copy or a zero fill */
	FAULT_RETRY,		/* inside vm_fault only: drop the lock, wait for swap I/O, again */
};

/*
 * vm_fault - resolve a page fault at @addr in @mm (a store/AMO, a load or
 * a fetch).  Takes mm->lock.  Safe from the kernel's user-access routines.
 * May sleep (reclaim below the low watermark, a read from swap): call it
 * with no lock held.  FAULT_OOM means no frame now: the caller asks
 * reclaim_retry (reclaim.h) whether to fault again or give up.
 */
enum fault_result vm_fault(struct mm *mm, unsigned long addr, enum fault_access access);

#endif
