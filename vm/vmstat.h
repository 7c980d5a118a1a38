/*
 * vmstat.h - the VM event counters /proc/vmstat shows.  Counted without a
 * lock (relaxed atomics): they are statistics, not state.
 */
#ifndef HOLSTEIN_VMSTAT_H
#define HOLSTEIN_VMSTAT_H

struct vmstat {
	unsigned long pgfault;		/* every call of vm_fault */
	unsigned long cow_fault;	/* stores to a PTE_COW page (cow_fault) */
	unsigned long cow_copy;		/* ... that copied the frame */
	unsigned long cow_reuse;	/* ... that kept the frame: its only owner */
	unsigned long zero_fill;	/* fresh zeroed frames for anonymous memory */
	unsigned long pswpin;		/* pages read from swap */
	unsigned long pswpout;		/* pages written to swap */
	unsigned long oom_kill;		/* processes killed for want of a frame */
	unsigned long tlb_remote_flush;	/* shootdown rounds that reached other harts (tlb.c) */
	unsigned long tlb_remote_flush_received;	/* ... harts they targeted, summed */
	unsigned long tlb_local_flush_all;	/* full sfence.vma of a batch on this hart */
};
extern struct vmstat vmstat;

/* vmstat_inc - count one event of @field. */
#define vmstat_inc(field) __atomic_add_fetch(&vmstat.field, 1, __ATOMIC_RELAXED)
/* vmstat_add - count @n events of @field. */
#define vmstat_add(field, n) __atomic_add_fetch(&vmstat.field, (n), __ATOMIC_RELAXED)

#endif
