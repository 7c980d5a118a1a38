/*
 * smp.c - bring up every eligible hart.  "Eligible" means the device tree
 * says status okay and gives an mmu-type: monitor cores without an MMU
 * (the E51 of sifive_u, the S7 of the JH7110) are never started.
 */
#include "kernel.h"
#include "cpu.h"
#include "devtree.h"
#include "smp.h"
#include "irq.h"
#include "time.h"
#include "entry.h"
#include "proc.h"
#include "sched.h"
#include "../arch/riscv/sbi.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/trap.h"
#include "../arch/riscv/layout.h"
#include "../drivers/plic.h"
#include "../vm/kvm.h"
#include "../vm/kstack.h"

struct cpu cpus[NCPU];
int ncpus = 1;

/* Read by head.S's secondary_entry, one hart at a time. */
unsigned long smp_boot_sp;
struct cpu *smp_boot_cpu;

struct cpu *cpu_by_hartid(unsigned long hartid)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].hartid == hartid)
			return &cpus[i];
	return 0;
}

/* cpu_setup - fill in @c from the device tree's description of its hart. */
void cpu_setup(struct cpu *c, const struct dt_info *dt, unsigned long hartid)
{
	c->hartid = hartid;
	c->plic_ctx = -1;
	for (int i = 0; i < dt->nharts; i++)
		if (dt->harts[i].hartid == hartid) {
			arch_timer_set_sstc(&c->arch, dt->harts[i].has_sstc);
			c->plic_ctx = dt->harts[i].plic_sctx;
		}
	unsigned long ov = kstack_alloc();
	if (!ov)
		panic("smp: no memory for an emergency stack");
	c->arch.overflow_sp = ov + KSTACK_SIZE;
}

/*
 * secondary_start - a secondary hart's first C code, on its scheduler
 * stack with tp = its struct cpu.
 */
void secondary_start(void)
{
	struct cpu *c = this_cpu();

	trap_init_hart();
	irq_tick_start();
	__atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
	sched_loop();
}

void smp_boot(const struct dt_info *dt, unsigned long boot_hartid)
{
	unsigned long satp = arch_mmu_current();

	for (int i = 0; i < dt->nharts && ncpus < NCPU; i++) {
		const struct dt_hart *h = &dt->harts[i];
		struct cpu *c;
		unsigned long stack;

		if (!h->eligible || h->hartid == boot_hartid)
			continue;
		if (sbi_hart_status(h->hartid) != SBI_HSM_STOPPED) {
			pr_warn("smp: hart %u is not stopped, not starting it\n", h->hartid);
			continue;
		}
		c = &cpus[ncpus];
		c->id = ncpus;
		cpu_setup(c, dt, h->hartid);
		stack = kstack_alloc();
		if (!stack)
			panic("smp: no memory for a hart stack");
		c->sched_stack = stack;
		smp_boot_sp = stack + KSTACK_SIZE;
		smp_boot_cpu = c;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		long err = sbi_hart_start(h->hartid, kvm_pa_of(secondary_entry), satp);
		if (err) {
			pr_warn("smp: hart %u failed to start (%ld)\n", h->hartid, err);
			kstack_free(stack);
			continue;
		}
		/*
		 * Wait until it is online.  Under an emulator on a busy host a hart can
		 * take seconds to be scheduled at all, so the limit is generous; a hart
		 * the firmware reports stopped again has failed and is not waited for.
		 */
		uint64_t deadline = time_now_ns() + 30000000000ULL;
		while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) && time_now_ns() < deadline &&
		       sbi_hart_status(h->hartid) != SBI_HSM_STOPPED)
			;
		ncpus++;	/* even if late: the slot stays its own */
		if (!c->online) {
			/*
			 * It may still come up, reading smp_boot_sp and smp_boot_cpu: starting
			 * another hart would hand it that one's stack and cpu.
			 */
			pr_warn("smp: hart %u did not come up; starting no more harts\n", h->hartid);
			break;
		}
		pr_info("smp: hart %u online (cpu%d)\n", h->hartid, c->id);
	}
}
