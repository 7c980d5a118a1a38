/*
 * timer.c - the per-hart scheduler tick: Sstc's stimecmp when the device
 * tree lists the extension, else SBI TIME.
 */
#include "../../kernel/kernel.h"
#include "../../kernel/cpu.h"
#include "../../kernel/irq.h"
#include "../../kernel/time.h"
#include "csr.h"
#include "sbi.h"

#define CSR_STIMECMP 0x14d

static void timer_program(uint64_t when)
{
	if (this_cpu()->has_sstc)
		csr_write(0x14d, when);
	else
		sbi_set_timer(when);
}

void timer_init_hart(void)
{
	timer_program(rdtime() + timebase_hz / HZ);
}

/* timer_rearm - the next tick, one period from now (a late tick is not made up). */
void timer_rearm(void)
{
	timer_program(rdtime() + timebase_hz / HZ);
}

/* ipi_send - raise a supervisor software interrupt on hart @hartid. */
void arch_send_ipi(unsigned long hartid)
{
	sbi_send_ipi(1, hartid);
}
