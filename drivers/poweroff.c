/*
 * poweroff.c - syscon-poweroff (QEMU virt's sifive_test at 0x100000), else
 * SBI SRST.  OpenSBI 1.1 ignores SRST's reason, and on sifive_u a shutdown
 * even returns: then a cold reboot (QEMU -no-reboot exits) is the way out.
 * A restart is that cold reboot.
 */
#include "../kernel/kernel.h"
#include "../kernel/devtree.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/sbi.h"
#include "../arch/riscv/csr.h"
#include "poweroff.h"

static struct dt_poweroff po;

void poweroff_init(const struct dt_info *dt)
{
	po = dt->poweroff;
}

void poweroff_machine(int status)
{
	uint32_t v;

	status &= 0xff;
	if (po.kind == DT_POWEROFF_SYSCON) {
		v = po.value;
		if (po.is_sifive_test && status)
			v = 0x3333 | ((uint32_t)status << 16);
		*(volatile uint32_t *)((uintptr_t)pa_to_va(po.base) + po.offset) = v;
	}
	sbi_system_reset(SBI_SRST_SHUTDOWN,
			 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	sbi_system_reset(SBI_SRST_COLD_REBOOT,
			 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	for (;;) {
		intr_off();
		wait_for_interrupt();
	}
}

void poweroff_restart(void)
{
	sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	for (;;) {		/* no SRST: stop here, as a halt would */
		intr_off();
		wait_for_interrupt();
	}
}
