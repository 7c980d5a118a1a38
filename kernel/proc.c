/*
 * proc.c - process life: creation (init, fork/clone), exit, and wait4.
 */
#include "kernel.h"
#include "proc.h"
#include "sched.h"
#include "../fs/fdtable.h"
#include "exec.h"
#include "../vm/kmalloc.h"
#include "bootargs.h"
#include "irq.h"
#include "time.h"
#include "itimer.h"
#include "jobctl.h"
#include "../arch/riscv/thread.h"
#include "../arch/riscv/layout.h"
#include "../drivers/poweroff.h"
#include "../vm/kvm.h"
#include "../vm/kstack.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"

struct proc *init_proc;
static struct proc *procs[NPROC];	/* by slot; pid -> slot is a search */
static int next_pid = 1;

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_SETTLS		0x00080000
#define CSIGNAL			0x000000ff

#define WNOHANG		1
#define WUNTRACED	2
#define WSTOPPED	2	/* waitid's name for it */
#define WEXITED		4
#define WCONTINUED	8
#define WNOWAIT		0x01000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/*
 * proc_first_run - @p (current) runs for the first time, called by
 * entry_thread_start on its own kernel stack: release the scheduler's
 * lock, held across the switch, and do CLONE_CHILD_SETTID's store.  The
 * caller then leaves to user mode through @p's frame.
 */
void proc_first_run(struct proc *p)
{
	spin_unlock(&sched_lock);	/* held by the scheduler across the switch */
	if (p->set_child_tid)
		uaccess_put_u32(p->set_child_tid, (uint32_t)p->pid);
}

/*
 * proc_alloc - a new process in P_EMBRYO with a pid, a kernel stack and a
 * zeroed user frame at its top; NULL when out of memory or pids.
 */
struct proc *proc_alloc(void)
{
	struct proc *p = kzalloc(sizeof(*p));
	int slot = -1;

	if (!p)
		return 0;
	p->kstack = kstack_alloc();
	if (!p->kstack) {
		kfree(p);
		return 0;
	}
	spin_lock(&sched_lock);
	for (int i = 0; i < NPROC; i++)
		if (!procs[i]) {
			slot = i;
			break;
		}
	if (slot < 0) {
		spin_unlock(&sched_lock);
		kstack_free(p->kstack);
		kfree(p);
		return 0;
	}
	procs[slot] = p;
	p->slot = slot;
	p->pid = next_pid++;
	p->state = P_EMBRYO;
	spin_unlock(&sched_lock);

	p->tf = (struct trapframe *)(p->kstack + KSTACK_SIZE) - 1;
	memset(p->tf, 0, sizeof(*p->tf));
	p->ctx.ra = (unsigned long)arch_thread_start;	/* then entry_thread_start */
	p->ctx.sp = (unsigned long)p->tf;
	p->exit_signal = SIGCHLD;
	p->umask = 022;
	p->start_time = time_now_ns();
	strlcpy(p->cwd, "/", sizeof(p->cwd));
	return p;
}

/* proc_free - release a reaped (or never started) process's slot, stack and struct. */
void proc_free(struct proc *p)
{
	spin_lock(&sched_lock);
	procs[p->slot] = 0;
	spin_unlock(&sched_lock);
	kstack_free(p->kstack);
	kfree(p);
}

struct proc *proc_by_pid(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->pid == pid && procs[i]->state != P_EMBRYO)
			return procs[i];
	return 0;
}

int proc_each(int (*fn)(struct proc *p, void *arg), void *arg)
{
	int n = 0;

	for (int i = 0; i < NPROC; i++)
		if (procs[i] && procs[i]->state != P_EMBRYO && procs[i]->state != P_UNUSED)
			n += fn(procs[i], arg);
	return n;
}

void proc_set_name(struct proc *p, const char *path)
{
	const char *s = path;

	for (const char *q = path; *q; q++)
		if (*q == '/' && q[1])
			s = q + 1;
	strlcpy(p->name, s, sizeof(p->name));
}

/* link_child - make @c a child of @parent. sched_lock held. */
static void link_child(struct proc *parent, struct proc *c)
{
	c->parent = parent;
	c->sibling = parent->children;
	parent->children = c;
}

static void unlink_child(struct proc *c)
{
	struct proc **pp;

	for (pp = &c->parent->children; *pp; pp = &(*pp)->sibling)
		if (*pp == c) {
			*pp = c->sibling;
			return;
		}
}

void proc_start_init(const char *path, char **argv)
{
	struct proc *p = proc_alloc();
	char *args[BOOTARGS_MAX_INIT_ARGS + 2];
	int n = 0, r;

	if (!p)
		panic("init: out of memory");
	args[n++] = (char *)path;
	for (; argv && argv[n - 1] && n < BOOTARGS_MAX_INIT_ARGS; n++)
		args[n] = argv[n - 1];
	args[n] = 0;
	p->pgid = p->sid = p->pid;
	init_proc = p;
	fd_install_console(p);
	r = exec_kernel(p, path, args);
	if (r)
		panic("init: cannot run %s (%d)", path, r);
	sched_make_runnable(p);
}

/*
 * proc_fork - clone() with fork semantics: the child gets a COW copy of the
 * address space (or borrows it, for CLONE_VM|CLONE_VFORK, while we sleep),
 * our open files, signal actions and registers, and returns 0.
 */
long proc_fork(unsigned long flags, unsigned long newsp, unsigned long ptid, unsigned long tls,
	       unsigned long ctid)
{
	struct proc *p = current(), *np;
	unsigned long allowed = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID |
				CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_SETTLS;
	int vfork = (flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK);

	if ((flags & ~allowed) || ((flags & CLONE_VM) && !vfork))
		return -EINVAL;
	if ((flags & CSIGNAL) != SIGCHLD && (flags & CSIGNAL) != 0)
		return -EINVAL;
	np = proc_alloc();
	if (!np)
		return -EAGAIN;
	sched_fpu_switch_out(p);	/* the child inherits our current FP registers */
	if (vfork) {
		np->mm = p->mm;
		mm_get(p->mm);
	} else {
		np->mm = mm_fork(p->mm);
		if (!np->mm) {
			proc_free(np);
			return -ENOMEM;
		}
	}
	*np->tf = *p->tf;
	np->tf->a0 = 0;
	if (newsp)
		np->tf->sp = newsp;
	if (flags & CLONE_SETTLS)
		np->tf->tp = tls;
	if (flags & CLONE_CHILD_SETTID)
		np->set_child_tid = ctid;
	if (flags & CLONE_CHILD_CLEARTID)
		np->clear_child_tid = ctid;
	np->fp = p->fp;
	np->exit_signal = (int)(flags & CSIGNAL);
	fd_dup_table(np, p);
	memcpy(np->cwd, p->cwd, sizeof(np->cwd));
	memcpy(np->name, p->name, sizeof(np->name));
	np->umask = p->umask;
	np->sig.blocked = p->sig.blocked;
	memcpy(np->sig.action, p->sig.action, sizeof(np->sig.action));
	np->sig.ss_sp = p->sig.ss_sp;
	np->sig.ss_size = p->sig.ss_size;
	np->sig.ss_autodisarm = p->sig.ss_autodisarm;
	np->pgid = p->pgid;
	np->sid = p->sid;
	int pid = np->pid;
	if (flags & CLONE_PARENT_SETTID)
		uaccess_put_u32(ptid, (uint32_t)pid);
	if (vfork)
		np->vfork_parent = p;

	spin_lock(&sched_lock);
	link_child(p, np);
	spin_unlock(&sched_lock);
	sched_make_runnable(np);
	if (vfork) {
		spin_lock(&sched_lock);
		while (!np->vfork_done)
			sched_sleep(&np->vfork_done, &sched_lock);
		spin_unlock(&sched_lock);
	}
	return pid;
}

/*
 * proc_vfork_release - a vfork child stops borrowing its parent's address space
 * (exec or exit): wake the parent.  Called by the child.
 */
void proc_vfork_release(struct proc *p)
{
	if (!p->vfork_parent)
		return;
	spin_lock(&sched_lock);
	p->vfork_done = 1;
	p->vfork_parent = 0;
	spin_unlock(&sched_lock);
	sched_wakeup(&p->vfork_done);
}

/*
 * proc_exit - end the current process with wait status @status: close
 * files, leave and drop the address space, hand children to init, become
 * a zombie and tell the parent.  PID 1 exiting powers the machine off.
 */
void proc_exit(int status)
{
	struct proc *p = current();

	if (p->clear_child_tid)
		uaccess_put_u32(p->clear_child_tid, 0);
	fd_close_all(p);
	proc_vfork_release(p);
	struct mm *mm = p->mm;
	kvm_load();		/* stop using mm before dropping it (tlb.h) */
	spin_lock(&sched_lock);	/* /proc readers take their reference under it */
	p->mm = 0;
	spin_unlock(&sched_lock);
	mm_put(mm);

	if (p == init_proc) {
		int code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
		printk(KERN_EMERG, "init exited with status %d\n", code);
		printk(KERN_EMERG, "reboot: Power down\n");
		poweroff_machine(code);
	}

	spin_lock(&sched_lock);
	/* Orphans go to init; init reaps the zombies among them. */
	while (p->children) {
		struct proc *c = p->children;
		p->children = c->sibling;
		link_child(init_proc, c);
		if (c->state == P_ZOMBIE)
			sched_wakeup_locked(init_proc);
		jobctl_orphaned_locked(c);
	}
	itimer_cancel_locked(p);
	p->exit_status = status;
	p->wait_stopped = p->wait_continued = 0;
	p->state = P_ZOMBIE;
	if (p->exit_signal)
		signal_send_locked(p->parent, p->exit_signal);
	sched_wakeup_locked(p->parent);
	sched_switch();
	panic("zombie ran");
}

/*
 * reap - collect zombie @c (sched_lock held, dropped): its CPU time and its
 * children's join our children's total; unlink and free it.
 */
static void reap(struct proc *c)
{
	c->parent->cpu_children.user += c->cpu.used.user + c->cpu_children.user;
	c->parent->cpu_children.sys += c->cpu.used.sys + c->cpu_children.sys;
	unlink_child(c);
	c->state = P_UNUSED;
	spin_unlock(&sched_lock);
	proc_free(c);
}

struct wait_result {
	int pid, status;		/* status in wait4's encoding */
	struct cputime cpu;		/* its CPU time and its reaped children's */
};

#define P_ALL		0
#define P_PID		1
#define P_PGID		2

/*
 * wait_child_event - what a wait with @options may report of child @c:
 * its exit, a stop or a continue, as a wait4 status in @res.  Unless
 * @options has WNOWAIT the event is consumed (a zombie is reaped).
 * sched_lock held; 1 with it dropped if there was an event, else 0.
 */
static int wait_child_event(struct proc *c, int options, struct wait_result *res)
{
	int keep = options & WNOWAIT;

	res->pid = c->pid;
	res->cpu.user = c->cpu.used.user + c->cpu_children.user;
	res->cpu.sys = c->cpu.used.sys + c->cpu_children.sys;
	if (c->state == P_ZOMBIE) {
		if (!(options & WEXITED))
			return 0;
		res->status = c->exit_status;
		if (keep)
			spin_unlock(&sched_lock);
		else
			reap(c);
		return 1;
	}
	if ((options & WSTOPPED) && c->wait_stopped) {
		res->status = c->wait_stopped << 8 | 0x7f;
		if (!keep)
			c->wait_stopped = 0;
	} else if ((options & WCONTINUED) && c->wait_continued) {
		res->status = 0xffff;
		if (!keep)
			c->wait_continued = 0;
	} else {
		return 0;
	}
	spin_unlock(&sched_lock);
	return 1;
}

/*
 * wait_child - wait for an event (@options: WEXITED, WSTOPPED, WCONTINUED)
 * of a child selected by waitid's (@idtype, @id), and consume it unless
 * WNOWAIT.  1 with @res filled, 0 if WNOHANG and nothing has happened
 * yet, -ECHILD if no child matches, -ERESTARTSYS on a signal.
 */
static long wait_child(int idtype, int id, int options, struct wait_result *res)
{
	struct proc *p = current();

	spin_lock(&sched_lock);
	for (;;) {
		int found = 0;

		for (struct proc *c = p->children; c; c = c->sibling) {
			if ((idtype == P_PID && c->pid != id) || (idtype == P_PGID && c->pgid != id))
				continue;
			found = 1;
			if (wait_child_event(c, options, res))
				return 1;
		}
		if (!found || (options & WNOHANG)) {
			spin_unlock(&sched_lock);
			return found ? 0 : -ECHILD;
		}
		if (sched_sleep_intr(p, &sched_lock)) {
			spin_unlock(&sched_lock);
			return -ERESTARTSYS;	/* like Linux: SA_RESTART restarts a wait */
		}
	}
}

long proc_wait4(int pid, unsigned long ustatus, int options, unsigned long urusage)
{
	struct wait_result res;
	long r;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	options = (options & (WNOHANG | WUNTRACED | WCONTINUED)) | WEXITED;
	if (pid > 0)
		r = wait_child(P_PID, pid, options, &res);
	else if (pid == -1)
		r = wait_child(P_ALL, 0, options, &res);
	else
		r = wait_child(P_PGID, pid ? -pid : current()->pgid, options, &res);
	if (r <= 0)
		return r;
	if (ustatus && uaccess_put_u32(ustatus, (uint32_t)res.status))
		return -EFAULT;
	if (urusage && cputime_put_rusage(urusage, &res.cpu))
		return -EFAULT;
	return res.pid;
}

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/*
 * proc_waitid - waitid(): like wait4, but the child is chosen by
 * (@idtype, @id), the result is a siginfo, the events to wait for are
 * named (WEXITED, WSTOPPED, WCONTINUED), and WNOWAIT leaves them be.
 */
long proc_waitid(int idtype, int id, unsigned long uinfo, int options, unsigned long urusage)
{
	struct wait_result res;
	int32_t info[32] = { 0 };	/* siginfo_t: 128 bytes */
	long r;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		id = current()->pgid;
	if ((idtype != P_ALL && idtype != P_PID && idtype != P_PGID) || (idtype != P_ALL && id <= 0))
		return -EINVAL;
	r = wait_child(idtype, id, options, &res);
	if (r < 0)
		return r;
	if (r) {
		int sig = res.status & 0x7f;
		info[0] = SIGCHLD;	/* si_signo */
		info[4] = res.pid;	/* si_pid, si_uid 0 */
		if (res.status == 0xffff) {
			info[2] = CLD_CONTINUED;
			info[6] = SIGCONT;
		} else if (sig == 0x7f) {
			info[2] = CLD_STOPPED;
			info[6] = (res.status >> 8) & 0xff;
		} else {
			info[2] = !sig ? CLD_EXITED : (res.status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			info[6] = sig ? sig : (res.status >> 8) & 0xff;	/* si_status */
		}
	}
	if (uinfo && uaccess_copy_to_user(uinfo, info, sizeof(info)))
		return -EFAULT;
	if (!r)
		res.cpu = (struct cputime){ 0, 0 };
	if (urusage && cputime_put_rusage(urusage, &res.cpu))
		return -EFAULT;
	return 0;
}
