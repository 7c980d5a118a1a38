/*
 * signal.c - posting, default actions, and handler frames in the Linux
 * riscv64 layout (struct rt_sigframe: siginfo then ucontext), returning
 * through the vDSO's __vdso_rt_sigreturn (li a7, 139; ecall).
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "irq.h"
#include "time.h"
#include "jobctl.h"
#include "../arch/riscv/trapframe.h"
#include "../arch/riscv/thread.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"
#include "../vm/vdso.h"

#define UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP))

struct k_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint64_t si_addr;		/* or pid/uid for kill() */
	uint8_t rest[128 - 24];
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, ss_pad;
	uint64_t ss_size;
	uint64_t uc_sigmask;
	uint8_t unused[120];
	uint64_t pad_to_16;		/* uc_mcontext is 16-byte aligned: offset 176 */
	uint64_t sc_regs[32];		/* pc, x1..x31 */
	uint64_t sc_fpregs[66];		/* __riscv_fp_state: f0-f31, fcsr, padding (528 bytes) */
};

struct rt_sigframe {
	struct k_siginfo info;
	struct k_ucontext uc;
};

_Static_assert(offsetof(struct k_ucontext, sc_regs) == 176, "ucontext layout");
_Static_assert(sizeof(struct rt_sigframe) % 16 == 0, "frame alignment");

int sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}
#define default_ignored sig_default_ignored

static int default_stops(int sig)
{
	return (sigbit(sig) & STOP_SIGNALS) != 0;
}

static int dumps_core(int sig)
{
	return sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT ||
	       sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV;
}

/*
 * filter_locked - what sending @sig to @p's process (or, @thread, to @p
 * alone) does before anything is queued.  Signals to init that would take
 * the default action are dropped (init cannot be killed by accident).  An
 * ignored signal is dropped unless it is blocked or waited for: like
 * Linux, it stays pending then, for sigpending and sigtimedwait to see.
 * SIGCONT resumes a stopped process whatever its action; a stop signal
 * with the default action stops the process now instead of pending
 * (jobctl.c).  1 if the signal is still to be queued, else 0.
 */
static int filter_locked(struct proc *p, int sig, uint64_t held)
{
	struct k_sigaction *a = &p->sighand->action[sig - 1];

	if (proc_leader(p) == init_proc && a->handler == SIG_DFL && !held)
		return 0;
	if (sig == SIGCONT)
		jobctl_continue_locked(p);
	else if (sig == SIGKILL)
		jobctl_kill_locked(p);
	else if (default_stops(sig))
		p->group->pending &= ~sigbit(SIGCONT);
	if (!held && a->handler == SIG_IGN && sig != SIGKILL)
		return 0;
	if (!held && a->handler == SIG_DFL && default_ignored(sig))
		return 0;
	if (!held && a->handler == SIG_DFL && default_stops(sig)) {
		jobctl_stop_locked(p, sig);
		return 0;
	}
	return 1;
}

/* holds - does thread @t block @sig or wait for it in sigtimedwait? */
static uint64_t holds(struct proc *t, int sig)
{
	return (t->sig.blocked | t->sig.waiting) & sigbit(sig) & ~UNBLOCKABLE;
}

/* wake_for - @t has @sig to act on: end its interruptible sleep if the signal concerns it. */
static void wake_for(struct proc *t, int sig)
{
	if (t->state == P_SLEEPING && t->intr &&
	    ((sigbit(sig) & (~t->sig.blocked | t->sig.waiting)) || sig == SIGKILL))
		sched_wakeup_proc(t);
}

/*
 * signal_send_locked - post process-directed @sig to @p's process: on the
 * group's pending set, and one thread that does not block it (or waits
 * for it) is woken to take it.  SIGKILL ends every thread at once, like
 * exit_group.  sched_lock held.
 */
void signal_send_locked(struct proc *p, int sig)
{
	struct tgroup *g;
	struct proc *t, *taker = 0;
	uint64_t held = 1;

	if (!p || p->state == P_UNUSED || p->state == P_DEAD || p->group->live == 0)
		return;
	g = p->group;
	for (t = g->threads; t; t = t->thread_next) {
		if (proc_has_exited(t))
			continue;
		if (!holds(t, sig) || (t->sig.waiting & sigbit(sig))) {
			held = holds(t, sig);
			taker = t;
			break;
		}
	}
	if (!filter_locked(p, sig, held))
		return;
	if (sig == SIGKILL && !g->exiting) {
		g->exiting = 1;
		g->exit_status = SIGKILL;
		proc_kill_others_locked(taker ? taker : g->threads);
	}
	g->pending |= sigbit(sig);
	if (taker)
		wake_for(taker, sig);
}

/* signal_send_thread_locked - post @sig to thread @t alone (tkill, tgkill). sched_lock held. */
void signal_send_thread_locked(struct proc *t, int sig)
{
	if (!t || proc_has_exited(t) || t->state == P_UNUSED)
		return;
	if (!filter_locked(t, sig, holds(t, sig)))
		return;
	t->sig.pending |= sigbit(sig);
	wake_for(t, sig);
}

/* drop_pending - clear @bits from the pending sets of @p's thread and process. */
static void drop_pending(struct proc *p, uint64_t bits)
{
	p->sig.pending &= ~bits;
	p->group->pending &= ~bits;
}

void signal_unblocked_locked(struct proc *p)
{
	uint64_t open = (p->sig.pending | p->group->pending) & ~p->sig.blocked & ~UNBLOCKABLE;

	for (int sig = 1; open; sig++, open >>= 1) {
		unsigned long h = p->sighand->action[sig - 1].handler;
		if (!(open & 1) || (h != SIG_IGN && h != SIG_DFL))
			continue;
		if (h == SIG_IGN || default_ignored(sig)) {
			drop_pending(p, sigbit(sig));
		} else if (default_stops(sig)) {
			drop_pending(p, sigbit(sig));
			jobctl_stop_locked(p, sig);	/* as if sent now */
		}
	}
}

void signal_discard_locked(struct proc *p, int sig)
{
	p->group->pending &= ~sigbit(sig);
	for (struct proc *t = p->group->threads; t; t = t->thread_next)
		t->sig.pending &= ~sigbit(sig);
}

void signal_send(struct proc *p, int sig)
{
	spin_lock(&sched_lock);
	signal_send_locked(p, sig);
	spin_unlock(&sched_lock);
}

int signal_pending(void)
{
	struct proc *p = current();

	return ((p->sig.pending | p->group->pending) & (~p->sig.blocked | UNBLOCKABLE)) != 0;
}

struct pgrp_kill {
	int pgid, sig, n;
};

static int kill_one(struct proc *p, void *arg)
{
	struct pgrp_kill *k = arg;

	if (p->pgid != k->pgid || proc_group_is_dead(p))
		return 0;
	if (k->sig)		/* signal 0 only asks whether the group has anyone */
		signal_send_locked(p, k->sig);
	return 1;
}

int signal_kill_pgrp(int pgid, int sig)
{
	struct pgrp_kill k = { pgid, sig, 0 };
	int n;

	spin_lock(&sched_lock);
	n = proc_each(kill_one, &k);
	spin_unlock(&sched_lock);
	return n ? n : -ESRCH;
}

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048

/* The user's stack_t. */
struct k_stack {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

static int on_altstack(struct sigstate *s, unsigned long sp)
{
	return sp - s->ss_sp < s->ss_size;	/* ss_size 0: never */
}

/* altstack_describe - the stack_t that sigaltstack() and uc_stack report for user sp @sp. */
static void altstack_describe(struct sigstate *s, unsigned long sp, struct k_stack *k)
{
	k->ss_sp = s->ss_sp;
	k->ss_size = s->ss_size;
	k->pad = 0;
	k->ss_flags = !s->ss_size ? SS_DISABLE : on_altstack(s, sp) ? SS_ONSTACK : 0;
	if (s->ss_autodisarm)
		k->ss_flags |= (int32_t)SS_AUTODISARM;
}

/* altstack_set - install @k as the alternate stack, as seen from user sp @sp. */
static long altstack_set(struct sigstate *s, unsigned long sp, const struct k_stack *k)
{
	unsigned mode = (unsigned)k->ss_flags & ~SS_AUTODISARM;

	if (on_altstack(s, sp))
		return -EPERM;		/* cannot move the stack we are running on */
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		s->ss_sp = s->ss_size = 0;
		s->ss_autodisarm = 0;
		return 0;
	}
	if (k->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	s->ss_sp = k->ss_sp;
	s->ss_size = k->ss_size;
	s->ss_autodisarm = ((unsigned)k->ss_flags & SS_AUTODISARM) != 0;
	return 0;
}

long signal_altstack(unsigned long uss, unsigned long uoss)
{
	struct proc *p = current();
	struct k_stack old, k;
	long r = 0;

	altstack_describe(&p->sig, p->tf->sp, &old);
	if (uss) {
		if (uaccess_copy_from_user(&k, uss, sizeof(k)))
			return -EFAULT;
		if ((r = altstack_set(&p->sig, p->tf->sp, &k)))
			return r;
	}
	if (uoss && uaccess_copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/*
 * setup_frame - push an rt_sigframe and enter the handler: on the
 * alternate stack for an SA_ONSTACK handler unless already on it, else
 * below the interrupted sp.  0, or -EFAULT.
 */
static int setup_frame(struct trapframe *tf, int sig, int code, struct k_sigaction *a, unsigned long addr,
		       uint64_t old_blocked)
{
	struct proc *p = current();
	struct rt_sigframe f;
	struct k_stack st;
	unsigned long sp = tf->sp;

	memset(&f, 0, sizeof(f));
	altstack_describe(&p->sig, sp, &st);
	if ((a->flags & SA_ONSTACK) && p->sig.ss_size && !on_altstack(&p->sig, sp)) {
		sp = p->sig.ss_sp + p->sig.ss_size;
		if (p->sig.ss_autodisarm)
			p->sig.ss_sp = p->sig.ss_size = 0;	/* sigreturn puts it back */
	}
	sp = (sp - sizeof(f)) & ~15UL;
	f.info.si_signo = sig;
	f.info.si_code = code;
	f.info.si_addr = addr;
	f.uc.ss_sp = st.ss_sp;
	f.uc.ss_flags = st.ss_flags;
	f.uc.ss_size = st.ss_size;
	f.uc.uc_sigmask = old_blocked;
	memcpy(f.uc.sc_regs, tf, sizeof(f.uc.sc_regs));
	sched_fpu_switch_out(p);
	memcpy(f.uc.sc_fpregs, &p->fp, sizeof(p->fp));
	if (uaccess_copy_to_user(sp, &f, sizeof(f)))
		return -EFAULT;
	tf->sp = sp;
	tf->epc = a->handler;
	tf->ra = vdso_sigreturn(p->mm);	/* as Linux: riscv has no sa_restorer */
	tf->a0 = (unsigned long)sig;
	tf->a1 = sp + offsetof(struct rt_sigframe, info);
	tf->a2 = sp + offsetof(struct rt_sigframe, uc);
	return 0;
}

/*
 * signal_dequeue_locked - take the lowest signal of @set pending for thread @p,
 * its own before its process's (SIGKILL first of all) into *@sig.
 * sched_lock held.  1 if there was one, else 0.
 */
int signal_dequeue_locked(struct proc *p, uint64_t set, int *sig)
{
	uint64_t *from = &p->sig.pending;
	uint64_t ready = *from & set;

	if (!ready) {
		from = &p->group->pending;
		ready = *from & set;
	}
	if (!ready)
		return 0;
	if (((p->sig.pending | p->group->pending) & set) & sigbit(SIGKILL)) {
		*sig = SIGKILL;
		p->sig.pending &= ~sigbit(SIGKILL);
		p->group->pending &= ~sigbit(SIGKILL);
		return 1;
	}
	for (*sig = 1; !(ready & sigbit(*sig)); (*sig)++)
		;
	*from &= ~sigbit(*sig);
	return 1;
}

/*
 * deliver_one - act on signal @sig for the current process: terminate,
 * ignore, or run its handler.
 */
static void deliver_one(struct trapframe *tf, int sig, int code, unsigned long addr)
{
	struct proc *p = current();
	struct k_sigaction a = p->sighand->action[sig - 1];
	uint64_t old = p->sig.restore_blocked ? p->sig.saved_blocked : p->sig.blocked;

	if (a.handler == SIG_IGN && sig != SIGKILL)
		return;
	if (a.handler == SIG_DFL || sig == SIGKILL) {
		if (default_ignored(sig))
			return;
		if (default_stops(sig)) {
			spin_lock(&sched_lock);
			jobctl_stop_locked(p, sig);	/* entry_user_return holds us at the stop point */
			spin_unlock(&sched_lock);
			return;
		}
		proc_exit_group(sig | (dumps_core(sig) ? 0x80 : 0));
	}
	/* The handler runs with the sigsuspend mask; sigreturn restores the old one. */
	p->sig.blocked = old;
	p->sig.restore_blocked = 0;
	p->sig.blocked |= a.mask | ((a.flags & SA_NODEFER) ? 0 : sigbit(sig));
	p->sig.blocked &= ~UNBLOCKABLE;
	if (a.flags & SA_RESETHAND)
		p->sighand->action[sig - 1].handler = SIG_DFL;	/* sched_lock not needed: one word */
	if (setup_frame(tf, sig, code, &a, addr, old)) {
		pr_info("%s[%d]: cannot push a signal frame at sp %lx: killed\n", p->name, p->pid,
			tf->sp);
		proc_exit(SIGSEGV | 0x80);
	}
}

void signal_deliver(struct trapframe *tf)
{
	struct proc *p = current();
	int ready, sig;

	spin_lock(&sched_lock);
	ready = signal_dequeue_locked(p, ~p->sig.blocked | UNBLOCKABLE, &sig);
	spin_unlock(&sched_lock);
	if (!ready)
		return;

	/* An interrupted system call: restart it unless a handler without SA_RESTART runs. */
	if (tf->scause == 8 && (long)tf->a0 == -ERESTARTSYS) {
		struct k_sigaction *a = &p->sighand->action[sig - 1];
		int handler = a->handler != SIG_DFL && a->handler != SIG_IGN;
		if (handler && !(a->flags & SA_RESTART)) {
			tf->a0 = (unsigned long)-EINTR;
			tf->scause = 0;
		} else {
			signal_restart_syscall(tf);
		}
	}
	deliver_one(tf, sig, 0, 0);
}

/*
 * signal_restart_syscall - if @tf ends a system call with -ERESTARTSYS,
 * arrange for the call to run again on the way out (once: the frame no
 * longer looks like a system call's).
 */
void signal_restart_syscall(struct trapframe *tf)
{
	if (tf->scause == 8 && (long)tf->a0 == -ERESTARTSYS) {
		tf->a0 = tf->orig_a0;
		tf->epc -= 4;
		tf->scause = 0;
	}
}

int signal_force_kills(int sig)
{
	struct proc *p = current();
	unsigned long h = p->sighand->action[sig - 1].handler;

	if (h != SIG_DFL && h != SIG_IGN && !(p->sig.blocked & sigbit(sig)))
		return 0;	/* a handler runs */
	return !default_ignored(sig) && !default_stops(sig);
}

void signal_force(int sig, int code, unsigned long addr)
{
	struct proc *p = current();
	struct k_sigaction *a = &p->sighand->action[sig - 1];

	/* A fault that cannot be handled (blocked or ignored) kills, as on Linux. */
	if (a->handler == SIG_IGN || (p->sig.blocked & sigbit(sig)))
		a->handler = SIG_DFL;
	p->sig.blocked &= ~sigbit(sig);
	deliver_one(p->tf, sig, code, addr);
}

long signal_return(void)
{
	struct proc *p = current();
	struct trapframe *tf = p->tf;
	struct k_ucontext uc;
	unsigned long frame = tf->sp;

	if (uaccess_copy_from_user(&uc, frame + offsetof(struct rt_sigframe, uc), sizeof(uc))) {
		signal_force(SIGSEGV, 1 /* SEGV_MAPERR */, frame);
		return 0;
	}
	unsigned long keep_sstatus = tf->sstatus;
	memcpy(tf, uc.sc_regs, sizeof(uc.sc_regs));
	tf->sstatus = keep_sstatus;
	memcpy(&p->fp, uc.sc_fpregs, sizeof(p->fp));
	fpu_restore(&p->fp);
	arch_fpu_mark_clean(tf);
	spin_lock(&sched_lock);
	p->sig.blocked = uc.uc_sigmask & ~UNBLOCKABLE;
	signal_unblocked_locked(p);
	spin_unlock(&sched_lock);
	/* Like Linux, take the alternate stack back from uc_stack; refused (ignored) while on it. */
	struct k_stack st = { uc.ss_sp, uc.ss_flags, 0, uc.ss_size };
	altstack_set(&p->sig, tf->sp, &st);
	tf->scause = 0;		/* not a syscall any more: no restart logic */
	return (long)tf->a0;
}
