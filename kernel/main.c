/*
 * main.c - start_kernel: from the firmware's hand-off to the first process.
 *
 * Order matters: the device tree first (it says where everything is), then
 * the console, the frame allocator and the final kernel page table, then
 * traps and timers, the other harts, and finally init.
 */
#include "kernel.h"
#include "cpu.h"
#include "devtree.h"
#include "smp.h"
#include "console.h"
#include "bootargs.h"
#include "initroot.h"
#include "irq.h"
#include "time.h"
#include "proc.h"
#include "sched.h"
#include "../fs/initramfs.h"
#include "../fs/mount.h"
#include "../fs/namei.h"
#include "entry.h"
#include "panic.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/early.h"
#include "../arch/riscv/sections.h"
#include "../arch/riscv/trap.h"
#include "../arch/riscv/layout.h"
#include "../drivers/plic.h"
#include "../drivers/poweroff.h"
#include "../drivers/rtc_goldfish.h"
#include "../drivers/virtio_blk.h"
#include "../vm/pmm.h"
#include "../vm/kvm.h"
#include "../vm/zero.h"
#include "../vm/vdso.h"
#include "../vm/mm.h"
#include "../vm/reclaim.h"

static struct dt_info dt;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * kvm_init_from_dt - the kernel table (kvm_init) for what the device tree
 * describes: all of RAM, and the registers of the UART, the PLIC, a
 * syscon power-off device, the goldfish RTC and the virtio-mmio slots,
 * those that exist.
 */
static void kvm_init_from_dt(void)
{
	struct pmm_range mem[DT_MAX_MEM], mmio[4 + DT_MAX_VIRTIO];
	int nmmio = 0;

	for (int i = 0; i < dt.nmem; i++)
		mem[i] = (struct pmm_range){ dt.mem[i].base, dt.mem[i].size };
	if (dt.uart.base)
		mmio[nmmio++] = (struct pmm_range){ dt.uart.base, dt.uart.size ? dt.uart.size : PAGE_SIZE };
	if (dt.plic_base)
		mmio[nmmio++] = (struct pmm_range){ dt.plic_base, dt.plic_size };
	if (dt.poweroff.kind == DT_POWEROFF_SYSCON)
		mmio[nmmio++] = (struct pmm_range){ dt.poweroff.base, PAGE_SIZE };
	if (dt.rtc_base)
		mmio[nmmio++] = (struct pmm_range){ dt.rtc_base, PAGE_SIZE };
	for (int i = 0; i < dt.nvirtio; i++)
		mmio[nmmio++] = (struct pmm_range){ dt.virtio[i].base, dt.virtio[i].size };
	kvm_init(&(struct kvm_layout){ mem, dt.nmem, mmio, nmmio });
}

static void print_size(const char *what, uint64_t base, uint64_t size)
{
	pr_info("  %s [%#lx-%#lx] %lu KiB\n", what, (unsigned long)base,
		(unsigned long)(base + size - 1), (unsigned long)(size >> 10));
}

/*
 * memory_init - everything the device tree calls memory, minus the
 * firmware's and DTB's reservations, the kernel image and the initrd
 * (given back once unpacked), goes to the frame allocator.
 */
static void memory_init(void)
{
	struct pmm_range mem[DT_MAX_MEM], resv[DT_MAX_RESV + 2], usable[64];
	int nresv = 0, n;

	for (int i = 0; i < dt.nmem; i++) {
		mem[i].base = dt.mem[i].base;
		mem[i].size = dt.mem[i].size;
	}
	for (int i = 0; i < dt.nresv; i++) {
		resv[nresv].base = dt.resv[i].base;
		resv[nresv++].size = dt.resv[i].size;
	}
	resv[nresv].base = kernel_load_pa;
	resv[nresv++].size = (uint64_t)(_end - _start);
	if (dt.initrd_end > dt.initrd_start) {
		resv[nresv].base = dt.initrd_start;
		resv[nresv++].size = dt.initrd_end - dt.initrd_start;
	}
	n = pmm_usable(mem, dt.nmem, resv, nresv, usable, 64);
	if (dt.initrd_end > dt.initrd_start)
		pmm_set_span(dt.initrd_start, dt.initrd_end);
	if (pmm_init(usable, n))
		panic("no usable memory");
	reclaim_init();
}

static void boot_report(unsigned long hartid, unsigned long dtb_pa)
{
	uint64_t total = 0;

	pr_info("Holstein riscv64 kernel, booting on hart %lu\n", hartid);
	pr_info("Machine model: %s\n", dt.model[0] ? dt.model : "(unknown)");
	pr_info("Kernel image at %#lx (%lu KiB), DTB at %#lx\n", kernel_load_pa,
		(unsigned long)(_end - _start) >> 10, dtb_pa);
	pr_info("Command line: %s\n", dt.bootargs);
	pr_info("Memory:\n");
	for (int i = 0; i < dt.nmem; i++) {
		print_size("memory ", dt.mem[i].base, dt.mem[i].size);
		total += dt.mem[i].size;
	}
	pr_info("Reserved:\n");
	for (int i = 0; i < dt.nresv; i++)
		print_size("reserved", dt.resv[i].base, dt.resv[i].size);
	pr_info("Memory: %lu MiB total\n", (unsigned long)(total >> 20));
	pr_info("Console: %s at %#lx (reg-shift %u, io-width %u)%s\n", console_name(),
		(unsigned long)dt.uart.base, dt.uart.reg_shift, dt.uart.reg_io_width,
		dt.uart.kind == DT_UART_NONE ? " [no UART: SBI console]" : "");
	if (dt.initrd_end > dt.initrd_start)
		pr_info("Initrd: [%#lx-%#lx] %lu KiB\n", (unsigned long)dt.initrd_start,
			(unsigned long)dt.initrd_end - 1,
			(unsigned long)(dt.initrd_end - dt.initrd_start) >> 10);
	else
		pr_info("Initrd: none\n");
	pr_info("Timebase: %u Hz, PLIC %s%#lx, poweroff: %s\n", dt.timebase,
		dt.plic_base ? "at " : "none ", (unsigned long)dt.plic_base,
		dt.poweroff.kind == DT_POWEROFF_SYSCON ? "syscon" : "SBI SRST");
}

static void apply_bootargs(void)
{
	const char *panic_mode = bootarg("panic");

	loglevel = (int)bootarg_long("loglevel", 7);
	panic_set_halt(panic_mode && !strcmp(panic_mode, "halt"));
	cow_enabled = bootarg_long("cow", 1) != 0;
}

/*
 * start_init - the first process: rdinit= (or init=, or /init) from the
 * initramfs; without rdinit=, root= mounts a disk first (initroot.c).
 */
static void start_init(void)
{
	const char *init = bootarg("rdinit") ? bootarg("rdinit") : bootarg("init");
	struct nameidata nd;

	if (!init)
		init = "/init";
	if (initroot_wanted()) {
		proc_start_init_late(0, bootargs_init_argv, initroot_first);
	} else if (namei(AT_FDCWD, init, LOOKUP_FOLLOW, &nd)) {
		pr_info("No init found (%s): nothing to run.\n", init);
		printk(KERN_EMERG, "reboot: Power down\n");
		poweroff_machine(0);
	} else {
		nd_release(&nd);
		proc_start_init(init, bootargs_init_argv);
	}
}

void start_kernel(unsigned long hartid, unsigned long dtb_pa)
{
	struct cpu *c = &cpus[0];
	const uint8_t *blob = pa_to_va(dtb_pa);
	size_t dtb_len;

	arch_cpu_set(&c->arch);
	c->id = 0;
	c->hartid = hartid;
	c->plic_ctx = -1;
	trap_init_hart();

	/* The header says how long the blob is; dt_probe checks the rest. */
	dtb_len = be32(blob) == 0xd00dfeed ? be32(blob + 4) : 0;
	if (dtb_len > (2u << 20))
		dtb_len = 2u << 20;
	if (dt_probe(blob, dtb_len, dtb_pa, &dt))
		panic("no usable device tree at %#lx", dtb_pa);
	time_init(dt.timebase);
	bootargs_parse(dt.bootargs);
	apply_bootargs();
	console_init(&dt);
	boot_report(hartid, dtb_pa);

	memory_init();
	kvm_init_from_dt();
	cpu_setup(c, &dt, hartid);
	c->sched_stack = 0;	/* the boot stack in the image */
	zero_frame_init();
	vdso_init();
	time_vdso_publish(vdso_data());
	pr_info("Frames: %lu total, %lu free (%lu KiB free)\n", pmm_total_frames(),
		pmm_free_frames(), pmm_free_frames() * 4);

	poweroff_init(&dt);
	if (dt.rtc_base) {
		time_set_realtime(rtc_goldfish_read_ns(dt.rtc_base));
		pr_info("rtc: goldfish at %#lx\n", (unsigned long)dt.rtc_base);
	}
	plic_init(dt.plic_base, dt.plic_ndev);
	irq_tick_start();
	c->online = 1;
	smp_boot(&dt, hartid);
	int online = 0;
	for (int i = 0; i < ncpus; i++)
		online += cpus[i].online;
	pr_info("smp: %d harts online\n", online);

	if (console_irq()) {
		for (int i = 0; i < ncpus; i++)
			plic_enable(cpus[i].plic_ctx, (uint32_t)console_irq());
		console_irq_enable();
	}
	virtio_blk_probe(&dt);

	vfs_init();
	if (dt.initrd_end > dt.initrd_start) {
		int r = initramfs_unpack(dt.initrd_start, dt.initrd_end - dt.initrd_start);
		if (r)
			pr_err("initramfs: unpacking failed (%d)\n", r);
	}
	vfs_init_late();
	start_init();
	/*
	 * Fault injection starts once init exists: failing the boot itself
	 * (the initramfs, init's exec) would test nothing but the boot.
	 */
	pmm_set_fail_every((unsigned)bootarg_long("fail_alloc", 0));
	sched_loop();
}
