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
#include "bootargs.h"
#include "../arch/riscv/sbi.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/trap.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/sections.h"
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

/*
 * smp_wait_online - wait for hart @hartid, just started as @c, to come
 * online.  Returns 1 once it is; 0 if the firmware reports it STOPPED again
 * (it never ran secondary_start, so it may be started again with the same
 * stack and cpu); -1 if it is neither by the deadline.  Under an emulator
 * on a busy host a hart can take seconds to be scheduled at all, so the
 * limit is generous.
 */
static int smp_wait_online(struct cpu *c, unsigned long hartid)
{
	uint64_t deadline = time_now_ns() + 30000000000ULL;

	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (sbi_hart_status(hartid) == SBI_HSM_STOPPED)
			return 0;
		if (time_now_ns() >= deadline)
			return -1;
	}
	return 1;
}

/*
 * smp_start_one - start hart @hartid as @c and wait for it, starting it
 * again if it comes back stopped.  That happens under OpenSBI 1.1 when its
 * hart_start loses a race with the target (see head.S, .Lnot_boot_hart):
 * the target jumps to the cold boot's entry and hands itself back.  A second
 * start cannot lose the same way: the firmware stored our address and
 * opaque before the first hart_start returned, so even a target that runs
 * ahead again finds the right ones.  The boot switch smp_stale_start sends
 * every first start where the race does, so that a test can see the way
 * back work.  Returns as smp_wait_online, or -2 if the firmware refused
 * the start.
 */
static int smp_start_one(struct cpu *c, unsigned long hartid, unsigned long satp)
{
	int stale = bootarg("smp_stale_start") != 0;
	int up = 0;

	for (int tries = 0; tries < 3 && up == 0; tries++) {
		if (tries)
			pr_warn("smp: hart %lu went back to the firmware; starting it again\n",
				hartid);
		unsigned long entry = kvm_pa_of(secondary_entry), opaque = satp;
		if (stale && !tries) {
			entry = kvm_pa_of(_start);
			opaque = 0;
		}
		long err = sbi_hart_start(hartid, entry, opaque);
		if (err) {
			pr_warn("smp: hart %lu failed to start (%ld)\n", hartid, err);
			return -2;
		}
		up = smp_wait_online(c, hartid);
	}
	return up;
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
		int up = smp_start_one(c, h->hartid, satp);
		if (up == -2 || up == 0) {
			/* Not running our code: its stacks and slot can be reused. */
			if (up == 0)
				pr_warn("smp: hart %u did not stay started; giving up on it\n",
					h->hartid);
			kstack_free(stack);
			kstack_free(c->arch.overflow_sp - KSTACK_SIZE);
			continue;
		}
		ncpus++;	/* even if late: the slot stays its own */
		if (up < 0) {
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
