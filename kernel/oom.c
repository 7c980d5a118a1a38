/*
 * oom.c - the out-of-memory kill.  Holstein picks no victim: the process
 * whose fault needed the frame is the one that dies (oom.h).
 */
#include "kernel.h"
#include "oom.h"
#include "proc.h"
#include "signal.h"
#include "../vm/vmstat.h"

/* oom_kill_later - count and log the kill, and post SIGKILL to the current process (all its threads). */
void oom_kill_later(unsigned long addr)
{
	struct proc *p = current();

	vmstat_inc(oom_kill);
	pr_warn("Out of memory: killed process %d (%s) faulting at %lx\n", proc_tgid(p), p->name,
		addr);
	signal_send(p, SIGKILL);
}

/* oom_kill - oom_kill_later, then exit at once with every thread (there is nothing to return to). */
void oom_kill(unsigned long addr)
{
	oom_kill_later(addr);
	proc_exit_group(SIGKILL);
}
