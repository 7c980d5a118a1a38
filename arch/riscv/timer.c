/*
 * timer.c - program this hart's timer interrupt: Sstc's stimecmp when the
 * kernel said the hart has the extension (arch_timer_set_sstc, from the
 * device tree), else SBI TIME.  When to tick is kernel/'s business.
 */
#include "csr.h"
#include "sbi.h"
#include "hart.h"

/* arch_timer_program - the next timer interrupt on this hart at absolute time @when. */
void arch_timer_program(uint64_t when)
{
	if (arch_cpu_get()->timer_sstc)
		csr_write(0x14d, when);	/* stimecmp, by its number */
	else
		sbi_set_timer(when);
}
