/*
 * cpu.h - per-hart state.  tp always points at this hart's struct cpu
 * while the kernel runs (entry.S keeps it there); its first member is
 * arch's own per-hart block.
 */
#ifndef HOLSTEIN_CPU_H
#define HOLSTEIN_CPU_H

#include "kernel.h"
#include "param.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/thread.h"

struct proc;

struct cpu {
	struct arch_cpu arch;		/* first: arch/ and entry.S reach it through tp */

	unsigned long hartid;
	int id;				/* index in cpus[] */
	int online;
	int noff;			/* push_off depth */
	int intena;			/* were interrupts on before the first push_off? */
	int idle;			/* waiting in the scheduler for work */
	struct proc *proc;		/* running thread, or NULL */
	struct context sched_ctx;	/* the scheduler loop's context */
	unsigned long sched_stack;	/* bottom of the scheduler stack */
	int plic_ctx;			/* PLIC S-mode context, -1 if none */
	/* /proc/stat's: time-CSR units spent in user and system mode and idle, switches, interrupts. */
	uint64_t stat_user, stat_sys, stat_idle, nr_switches, nr_irqs;
};

_Static_assert(offsetof(struct cpu, arch) == 0, "tp points at struct cpu and its arch block");

extern struct cpu cpus[NCPU];
extern int ncpus;

/* this_cpu - the hart we run on. */
static inline struct cpu *this_cpu(void)
{
	return container_of(arch_cpu_get(), struct cpu, arch);
}

/* cpu_online_mask - the harts (bit i: cpus[i]) that are running now. */
static inline unsigned long cpu_online_mask(void)
{
	unsigned long mask = 0;

	for (int i = 0; i < ncpus; i++)
		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			mask |= 1UL << i;
	return mask;
}

/* cpu_by_hartid - the struct cpu of hart @hartid, or NULL. */
struct cpu *cpu_by_hartid(unsigned long hartid);

#endif
