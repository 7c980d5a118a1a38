/*
 * cpu.h - per-hart state.  tp always points at this hart's struct cpu
 * while the kernel runs (entry.S keeps it there).
 */
#ifndef HOLSTEIN_CPU_H
#define HOLSTEIN_CPU_H

#include "kernel.h"
#include "../arch/riscv/trapframe.h"

#define NCPU 32

/* Callee-saved registers of a kernel thread, saved by switch_to. */
struct context {
	unsigned long ra, sp;
	unsigned long s[12];
};

struct proc;

struct cpu {
	/* Read by entry.S: keep first, keep in order (see trapframe.h). */
	unsigned long scratch_sp;
	unsigned long kstack_top;
	unsigned long scratch_t0;
	unsigned long overflow_sp;

	unsigned long hartid;
	int id;				/* index in cpus[] */
	int online;
	int noff;			/* push_off depth */
	int intena;			/* were interrupts on before the first push_off? */
	int has_sstc;
	int idle;			/* waiting in the scheduler for work */
	struct proc *proc;		/* running thread, or NULL */
	struct context sched_ctx;	/* the scheduler loop's context */
	unsigned long sched_stack;	/* bottom of the scheduler stack */
	int plic_ctx;			/* PLIC S-mode context, -1 if none */
};

_Static_assert(offsetof(struct cpu, scratch_sp) == CPU_SCRATCH_SP, "cpu layout");
_Static_assert(offsetof(struct cpu, kstack_top) == CPU_KSTACK_TOP, "cpu layout");
_Static_assert(offsetof(struct cpu, scratch_t0) == CPU_SCRATCH_T0, "cpu layout");
_Static_assert(offsetof(struct cpu, overflow_sp) == CPU_OVERFLOW_SP, "cpu layout");

extern struct cpu cpus[NCPU];
extern int ncpus;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

struct cpu *cpu_by_hartid(unsigned long hartid);

#endif
