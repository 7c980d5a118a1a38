/*
 * sigpage.c - the signal page (see sigpage.h): a zeroed frame with the
 * arch's trampoline code copied to its start.
 */
#include "sigpage.h"
#include "phys.h"
#include "../kernel/kernel.h"
#include "../arch/riscv/sections.h"	/* sigtramp_start, sigtramp_end */

phys_addr_t sigpage_frame;

void sigpage_init(void)
{
	sigpage_frame = pmm_alloc_zeroed();
	if (!sigpage_frame)
		panic("sigpage_init: out of memory");
	memcpy(phys_to_virt(sigpage_frame), sigtramp_start, (size_t)(sigtramp_end - sigtramp_start));
}
