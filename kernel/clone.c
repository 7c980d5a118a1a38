/*
 * clone.c - clone() and clone3(): new threads and new processes.
 *
 * One call makes both.  Each CLONE_ flag says whether the child shares a
 * piece of our state or gets its own copy: the address space (CLONE_VM;
 * else a COW copy), the descriptor table (CLONE_FILES), cwd and umask
 * (CLONE_FS), the signal actions (CLONE_SIGHAND), the thread group
 * (CLONE_THREAD).  The combinations Linux refuses get its EINVAL; the
 * flags for namespaces, pidfds and cgroups, which Holstein does not have,
 * are EINVAL as on a Linux built without them.
 */
#include "kernel.h"
#include "proc.h"
#include "../fs/inode.h"
#include "sched.h"
#include "../fs/fdtable.h"
#include "../vm/kmalloc.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"
#include "../vm/reclaim.h"

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_NEWCGROUP		0x02000000
#define CLONE_NEWUTS		0x04000000
#define CLONE_NEWIPC		0x08000000
#define CLONE_NEWUSER		0x10000000
#define CLONE_NEWPID		0x20000000
#define CLONE_NEWNET		0x40000000
#define CLONE_IO		0x80000000UL
#define CLONE_CLEAR_SIGHAND	0x100000000UL
#define CLONE_INTO_CGROUP	0x200000000UL

/* What we do something with, or may ignore as Linux lets us. */
#define CLONE_KNOWN (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PTRACE | \
		     CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
		     CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
		     CLONE_UNTRACED | CLONE_CHILD_SETTID | CLONE_IO | CLONE_CLEAR_SIGHAND)

/* clone_check - Linux's refusals of a flag combination: 0 or -EINVAL. */
static long clone_check(const struct clone_req *r)
{
	unsigned long f = r->flags;

	if (f & ~CLONE_KNOWN)
		return -EINVAL;		/* namespaces, pidfd, cgroups: not built in */
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	if ((f & CLONE_CLEAR_SIGHAND) && (f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_PARENT) && proc_leader(current()) == init_proc)
		return -EINVAL;		/* init (any of its threads) has no siblings */
	if (r->exit_signal < 0 || r->exit_signal > NSIG)
		return -EINVAL;
	return 0;
}

/* share_or_copy_fs - the child's cwd and umask: ours (CLONE_FS) or a copy. 0 or -ENOMEM. */
static int share_or_copy_fs(struct proc *np, struct proc *p, unsigned long f)
{
	if (f & CLONE_FS) {
		__atomic_add_fetch(&p->fs->refs, 1, __ATOMIC_RELAXED);
		np->fs = p->fs;
		return 0;
	}
	if (!(np->fs = kmalloc(sizeof(*np->fs))))
		return -ENOMEM;
	np->fs->refs = 1;
	spin_lock(&sched_lock);		/* another thread sharing ours may chdir */
	np->fs->umask = p->fs->umask;
	np->fs->cwd = inode_get(p->fs->cwd);
	spin_unlock(&sched_lock);
	return 0;
}

/*
 * standalone_sighand_locked - @p's actions, moved out of its group into a
 * copy of their own (for every thread of the group) so that another
 * process can share them (CLONE_SIGHAND without CLONE_THREAD).  The copy
 * has a reference for @np, the caller's new process.  NULL if out of
 * memory.  sched_lock held; @fresh is a free struct sighand to use.
 */
static struct sighand *standalone_sighand_locked(struct proc *p, struct sighand *fresh)
{
	struct sighand *sh = p->sighand;

	if (!proc_sighand_is_own(p)) {
		sh->refs++;
		return sh;
	}
	*fresh = *sh;
	fresh->refs = 1;
	for (struct proc *t = p->group->threads; t; t = t->thread_next) {
		t->sighand = fresh;
		fresh->refs++;
	}
	return fresh;
}

/*
 * share_or_copy_sighand - a new process's signal actions: CLONE_SIGHAND
 * shares ours; fork copies them into the process's own (CLONE_CLEAR_SIGHAND:
 * back to the defaults, keeping SIG_IGN).  A thread gets ours in join().
 * 0 or -ENOMEM.
 */
static int share_or_copy_sighand(struct proc *np, struct proc *p, unsigned long f)
{
	struct sighand *spare = 0;

	if ((f & (CLONE_SIGHAND | CLONE_THREAD)) == CLONE_SIGHAND && proc_sighand_is_own(p) &&
	    !(spare = kmalloc(sizeof(*spare))))
		return -ENOMEM;
	if (f & CLONE_THREAD)
		return 0;		/* join() points it at ours, once it is in our group */
	spin_lock(&sched_lock);
	if (f & CLONE_SIGHAND) {
		np->sighand = standalone_sighand_locked(p, spare);
		if (np->sighand == spare)
			spare = 0;
	} else {
		np->group->sighand = *p->sighand;
		np->sighand = &np->group->sighand;
	}
	spin_unlock(&sched_lock);
	kfree(spare);
	if (f & CLONE_CLEAR_SIGHAND)
		for (int s = 0; s < NSIG; s++)
			if (np->sighand->action[s].handler != SIG_IGN)
				np->sighand->action[s] = (struct k_sigaction){ SIG_DFL, 0, 0 };
	return 0;
}

/* share_or_copy - give @np the mm, files, fs and actions @f asks for. 0 or -errno. */
static long share_or_copy(struct proc *np, struct proc *p, unsigned long f)
{
	if (f & CLONE_VM) {
		mm_get(p->mm);
		np->mm = p->mm;
	} else if (!(np->mm = mm_fork(p->mm))) {
		return -ENOMEM;
	}
	if (f & CLONE_FILES) {
		__atomic_add_fetch(&p->fdt->refs, 1, __ATOMIC_RELAXED);
		np->fdt = p->fdt;
	} else if (!(np->fdt = fd_table_copy(p->fdt))) {
		return -ENOMEM;
	}
	if (share_or_copy_fs(np, p, f))
		return -ENOMEM;
	return 0;
}

/* new_group - a thread group for process leader @np, made by @p (its exe). 0 or -ENOMEM. */
static int new_group(struct proc *np, struct proc *p)
{
	struct tgroup *g = kmalloc(sizeof(*g));

	if (!g)
		return -ENOMEM;
	/* All but the actions, which share_or_copy_sighand fills. */
	memset(g, 0, offsetof(struct tgroup, exe));
	strlcpy(g->exe, p->group->exe, sizeof(g->exe));	/* the string, not all 256 bytes */
	g->refs = g->live = 1;
	g->leader = g->threads = np;
	g->nofile_cur = __atomic_load_n(&p->group->nofile_cur, __ATOMIC_RELAXED);
	g->nofile_max = __atomic_load_n(&p->group->nofile_max, __ATOMIC_RELAXED);
	np->group = g;
	return 0;
}

/* copy_registers - the child returns 0 from clone, on its own stack and TLS if asked. */
static void copy_registers(struct proc *np, struct proc *p, const struct clone_req *r)
{
	*np->tf = *p->tf;
	np->tf->a0 = 0;
	if (r->stack)
		np->tf->sp = r->stack;
	if (r->flags & CLONE_SETTLS)
		np->tf->tp = r->tls;
	np->fp = p->fp;
	np->sig.blocked = p->sig.blocked;
	/* A thread on our address space must not inherit our alternate stack; vfork's child may. */
	if ((r->flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
		np->sig.ss_sp = p->sig.ss_sp;
		np->sig.ss_size = p->sig.ss_size;
		np->sig.ss_autodisarm = p->sig.ss_autodisarm;
	}
	np->affinity = p->affinity;
	np->sched_policy = p->sched_policy;
	np->personality = p->personality;
	memcpy(np->name, p->name, sizeof(np->name));
}

/*
 * join - make @np visible: a thread joins our group; a process becomes a
 * child of our process (or of our parent, CLONE_PARENT) in our process
 * group and session.  sched_lock held.  0, or -EINTR if our group is
 * already exiting (no thread may join a dying process, as on Linux).
 */
static int join(struct proc *np, struct proc *p, unsigned long f)
{
	struct proc *me = proc_leader(p);

	if (p->group->exiting || p->group->execer)
		return -EINTR;
	if (f & CLONE_THREAD) {
		struct tgroup *g = p->group;
		np->group = g;
		g->refs++;
		g->live++;
		np->thread_next = g->threads;
		g->threads = np;
		np->exit_signal = 0;
		np->sighand = p->sighand;
		if (!proc_sighand_is_own(p))
			p->sighand->refs++;
		return 0;
	}
	np->pgid = me->pgid;
	np->sid = me->sid;
	proc_link_child((f & CLONE_PARENT) ? me->parent : me, np);
	return 0;
}

long proc_clone(const struct clone_req *r)
{
	struct proc *p = current(), *np;
	unsigned long f = r->flags;
	long err;

	if ((err = clone_check(r)))
		return err;
	reclaim_maybe();	/* low on frames: reclaim before fork allocates tables under locks */
	if (!(np = proc_alloc()))
		return -EAGAIN;
	sched_fpu_switch_out(p);	/* the child inherits our current FP registers */
	if ((!(f & CLONE_THREAD) && (err = new_group(np, p))) || (err = share_or_copy(np, p, f)) ||
	    (err = share_or_copy_sighand(np, p, f))) {
		proc_drop_shared(np);
		proc_free(np);
		return err;
	}
	copy_registers(np, p, r);
	np->exit_signal = r->exit_signal;
	if (f & CLONE_CHILD_SETTID)
		np->set_child_tid = r->ctid;
	if (f & CLONE_CHILD_CLEARTID)
		np->clear_child_tid = r->ctid;
	if (f & CLONE_VFORK)
		np->vfork_parent = p;
	int tid = np->pid;
	if (f & CLONE_PARENT_SETTID)
		uaccess_put_u32(r->ptid, (uint32_t)tid);

	spin_lock(&sched_lock);
	if ((err = join(np, p, f))) {
		spin_unlock(&sched_lock);
		proc_drop_shared(np);
		proc_free(np);
		return err;
	}
	if (f & CLONE_VFORK)
		p->vfork_done = 0;
	spin_unlock(&sched_lock);
	sched_make_runnable(np);
	if (f & CLONE_VFORK) {
		/* Our flag, not the child's: another thread of ours may reap the child first. */
		spin_lock(&sched_lock);
		while (!p->vfork_done)
			sched_sleep(&p->vfork_done, &sched_lock);
		spin_unlock(&sched_lock);
	}
	return tid;
}
