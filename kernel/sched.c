/*
 * sched.c - a round-robin scheduler that runs on every hart.
 *
 * One FIFO run queue and one lock (sched_lock) for all harts: simple, and
 * the fork/exit paths stay short.  Each hart loops in sched_loop() on its
 * own stack; a process gives up the hart with sched_switch(), holding sched_lock,
 * and the scheduler releases it after the switch, so no other hart can pick
 * up (or reap) a process whose stack is still in use.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "jobctl.h"
#include "irq.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/irqflags.h"
#include "../arch/riscv/thread.h"
#include "../arch/riscv/layout.h"
#include "../vm/kvm.h"
#include "../vm/mm.h"
#include "../vm/tlb.h"

struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct proc *runq_head, *runq_tail;
static struct proc *sleepers;
volatile int sched_need_resched[NCPU];

/* runq_push - append @p (RUNNABLE) and wake an idle hart it may run on. sched_lock held. */
static void runq_push(struct proc *p)
{
	p->run_next = 0;
	if (runq_tail)
		runq_tail->run_next = p;
	else
		runq_head = p;
	runq_tail = p;
	struct cpu *me = this_cpu();
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].idle && &cpus[i] != me && (p->affinity & (1UL << i))) {
			cpus[i].idle = 0;
			irq_send_ipi(i);
			break;
		}
}

/* runq_pop - the first queued thread allowed on hart @cpu (its affinity), dequeued; or NULL. */
static struct proc *runq_pop(int cpu)
{
	struct proc **pp, *p, *prev = 0;

	for (pp = &runq_head; (p = *pp); prev = p, pp = &p->run_next) {
		if (!(p->affinity & (1UL << cpu)))
			continue;
		*pp = p->run_next;
		if (runq_tail == p)
			runq_tail = prev;
		p->run_next = 0;
		return p;
	}
	return 0;
}

void sched_make_runnable(struct proc *p)
{
	spin_lock(&sched_lock);
	p->state = P_RUNNABLE;
	runq_push(p);
	spin_unlock(&sched_lock);
}

/*
 * sched_fpu_switch_out - save @p's FP registers if it changed them since they
 * were last loaded (sstatus.FS = Dirty in its user frame).
 */
void sched_fpu_switch_out(struct proc *p)
{
	if (arch_fpu_dirty(p->tf)) {
		fpu_save(&p->fp);
		arch_fpu_mark_clean(p->tf);
	}
}

void sched_loop(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		arch_irq_enable();
		spin_lock(&sched_lock);
		struct proc *p = runq_pop(c->id);
		if (!p) {
			/* Sleep until a tick or an IPI from runq_push. */
			uint64_t t0 = arch_read_time();
			c->idle = 1;
			spin_unlock(&sched_lock);
			arch_irq_enable();
			if (c->idle)
				arch_wait_for_interrupt();
			c->idle = 0;
			c->stat_idle += arch_read_time() - t0;
			continue;
		}
		p->state = P_RUNNING;
		p->last_cpu = c->id;
		c->proc = p;
		c->arch.kstack_top = p->kstack + KSTACK_SIZE;
		sched_need_resched[c->id] = 0;
		tlb_mm_enter(p->mm);		/* the TLB rule (vm/tlb.h): bit, satp, flush */
		arch_icache_flush_local();	/* it may run code written on another hart */
		fpu_restore(&p->fp);
		arch_fpu_mark_clean(p->tf);
		cputime_switch_in(&p->cpu);
		struct cputime before = p->cpu.used;
		switch_to(&c->sched_ctx, &p->ctx);
		cputime_switch_out(&p->cpu);	/* before the lock goes: then p may be reaped */
		/* The stint's charges are this hart's in /proc/stat. */
		c->stat_user += p->cpu.used.user - before.user;
		c->stat_sys += p->cpu.used.sys - before.sys;
		c->nr_switches++;
		/* p stopped running: leave its address space before anything else. */
		tlb_mm_leave();
		c->proc = 0;
		if (p->state == P_DEAD)
			proc_release_dead(p);	/* an exited thread, off its stack at last */
		spin_unlock(&sched_lock);
	}
}

/*
 * sched - give up the hart.  sched_lock held, current()->state already
 * changed; returns when the scheduler picks us again (lock held again).
 */
void sched_switch(void)
{
	struct proc *p = current();
	struct cpu *c = this_cpu();

	if (!spin_holding(&sched_lock) || c->noff != 1)
		panic("sched: locks");
	if (p->state == P_RUNNING)
		panic("sched: running");
	sched_fpu_switch_out(p);
	int intena = c->intena;
	switch_to(&p->ctx, &c->sched_ctx);
	this_cpu()->intena = intena;
}

void sched_yield(void)
{
	struct proc *p = current();

	spin_lock(&sched_lock);
	p->state = P_RUNNABLE;
	runq_push(p);
	sched_switch();
	spin_unlock(&sched_lock);
}

/* sleep_locked - sleep on @chan with sched_lock held (the caller's own lock already dropped). */
static void sleep_locked(struct proc *p, void *chan, int intr)
{
	p->chan = chan;
	p->intr = intr;
	p->state = P_SLEEPING;
	p->run_next = sleepers;
	sleepers = p;
	sched_switch();
	p->chan = 0;
}

/*
 * sched_sleep - atomically release @lk and sleep until sched_wakeup(@chan); @lk is
 * held again on return.  @lk may be &sched_lock itself.  Not ended by signals.
 */
void sched_sleep(void *chan, struct spinlock *lk)
{
	struct proc *p = current();

	if (lk != &sched_lock) {
		spin_lock(&sched_lock);
		spin_unlock(lk);
	}
	sleep_locked(p, chan, 0);
	if (lk != &sched_lock) {
		spin_unlock(&sched_lock);
		spin_lock(lk);
	}
}

/*
 * sched_sleep_intr - like sched_sleep, but a signal ends it early: then -EINTR.
 * A job control stop parks the process here, off @chan, until SIGCONT;
 * then it returns 0 like any early wakeup, and the caller looks again.
 */
int sched_sleep_intr(void *chan, struct spinlock *lk)
{
	struct proc *p = current();
	int r = 0;

	if (lk != &sched_lock) {
		spin_lock(&sched_lock);
		spin_unlock(lk);
	}
	if (!p->group->stop_sig && !((p->sig.pending | p->group->pending) & ~p->sig.blocked))
		sleep_locked(p, chan, 1);
	jobctl_park_locked(p);
	if ((p->sig.pending | p->group->pending) & ~p->sig.blocked)
		r = -EINTR;
	if (lk != &sched_lock) {
		spin_unlock(&sched_lock);
		spin_lock(lk);
	}
	return r;
}

/* sched_wakeup_proc - take @p off the sleep list and queue it. sched_lock held. */
void sched_wakeup_proc(struct proc *p)
{
	struct proc **pp;

	if (p->state != P_SLEEPING)
		return;
	for (pp = &sleepers; *pp; pp = &(*pp)->run_next)
		if (*pp == p) {
			*pp = p->run_next;
			break;
		}
	p->state = P_RUNNABLE;
	runq_push(p);
}

/* sched_wakeup_locked - make every process sleeping on @chan runnable. sched_lock held. */
void sched_wakeup_locked(void *chan)
{
	struct proc **pp, *p;

	for (pp = &sleepers; (p = *pp);) {
		if (p->chan == chan) {
			*pp = p->run_next;
			p->state = P_RUNNABLE;
			runq_push(p);
			continue;
		}
		pp = &p->run_next;
	}
}

void sched_wakeup(void *chan)
{
	spin_lock(&sched_lock);
	sched_wakeup_locked(chan);
	spin_unlock(&sched_lock);
}
