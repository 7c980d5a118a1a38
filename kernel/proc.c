/*
 * proc.c - thread and process life: allocation, lookup, the first
 * process, and exit (of a thread, and of a whole group).  clone.c makes
 * threads and processes, wait.c collects them, exec.c replaces the image.
 */
#include "kernel.h"
#include "proc.h"
#include "../fs/inode.h"
#include "sched.h"
#include "../fs/fdtable.h"
#include "../fs/sync.h"
#include "exec.h"
#include "futex.h"
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

/*
 * proc_first_run - @p (current) runs for the first time, called by
 * entry_thread_start on its own kernel stack: release the scheduler's
 * lock, held across the switch, and do CLONE_CHILD_SETTID's store.  The
 * caller then leaves to user mode through @p's frame.
 */
/* What init does first in its own context, before its first program (proc_start_init_late). */
static void (*init_first)(void);

void proc_first_run(struct proc *p)
{
	spin_unlock(&sched_lock);	/* held by the scheduler across the switch */
	if (p->set_child_tid)
		uaccess_put_u32(p->set_child_tid, (uint32_t)p->pid);
	if (p == init_proc && init_first) {
		void (*fn)(void) = init_first;
		init_first = 0;
		fn();			/* it sleeps, then execs init's program (or stops the machine) */
	}
}

/*
 * proc_alloc - a new thread in P_EMBRYO with a pid, a kernel stack and a
 * zeroed user frame at its top, allowed on every hart; NULL when out of
 * memory or pids.  It belongs to no group and shares nothing yet.
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
	p->affinity = ~0UL;
	p->start_time = time_now_ns();
	return p;
}

void proc_group_put(struct tgroup *g)
{
	if (g && !__atomic_sub_fetch(&g->refs, 1, __ATOMIC_ACQ_REL))
		kfree(g);
}

void proc_free_locked(struct proc *p)
{
	struct sighand *sh = p->sighand;

	if (sh && p->group && !proc_sighand_is_own(p) && --sh->refs == 0)
		kfree(sh);		/* a standalone copy (CLONE_SIGHAND across processes) */
	procs[p->slot] = 0;
	proc_group_put(p->group);
	kstack_free(p->kstack);
	kfree(p);
}

/* proc_free - release a reaped (or never started) thread's slot, stack, group and struct. */
void proc_free(struct proc *p)
{
	spin_lock(&sched_lock);
	proc_free_locked(p);
	spin_unlock(&sched_lock);
}

struct proc *proc_by_pid(int pid)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (p && p->pid == pid && p->state != P_EMBRYO && p->state != P_DEAD)
			return p;
	}
	return 0;
}

struct proc *proc_by_tgid(int pid)
{
	struct proc *p = proc_by_pid(pid);

	return p && proc_leader(p) == p ? p : 0;
}

int proc_each(int (*fn)(struct proc *p, void *arg), void *arg)
{
	int n = 0;

	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (p && p->state != P_EMBRYO && p->state != P_UNUSED && p->state != P_DEAD &&
		    proc_leader(p) == p)
			n += fn(p, arg);
	}
	return n;
}

void proc_count(int *running, int *threads, int *last_pid)
{
	*running = *threads = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = procs[i];
		if (!p || p->state == P_EMBRYO || p->state == P_UNUSED || p->state == P_DEAD)
			continue;
		(*threads)++;
		*running += p->state == P_RUNNING || p->state == P_RUNNABLE;
	}
	*last_pid = next_pid - 1;
}

void proc_set_name(struct proc *p, const char *path)
{
	const char *s = path;

	for (const char *q = path; *q; q++)
		if (*q == '/' && q[1])
			s = q + 1;
	strlcpy(p->name, s, sizeof(p->name));
}

/* proc_link_child - make leader @c a child of leader @parent. sched_lock held. */
void proc_link_child(struct proc *parent, struct proc *c)
{
	c->parent = parent;
	c->sibling = parent->children;
	parent->children = c;
}

void proc_unlink_child(struct proc *c)
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
	proc_start_init_late(path, argv, 0);
}

void proc_start_init_late(const char *path, char **argv, void (*first)(void))
{
	struct proc *p = proc_alloc();
	char *args[BOOTARGS_MAX_INIT_ARGS + 2];
	int n = 0, r;

	if (!p || !(p->group = kzalloc(sizeof(*p->group))) || !(p->fdt = fd_table_new()) ||
	    !(p->fs = kzalloc(sizeof(*p->fs))))
		panic("init: out of memory");
	p->group->refs = p->group->live = 1;
	p->group->leader = p->group->threads = p;
	p->group->nofile_cur = FD_NOFILE_DEFAULT;
	p->group->nofile_max = FD_NR_OPEN;
	p->sighand = &p->group->sighand;
	p->fs->refs = 1;
	p->fs->umask = 022;
	p->fs->cwd = inode_get(vfs_root);
	args[n++] = (char *)path;
	for (; argv && argv[n - 1] && n < BOOTARGS_MAX_INIT_ARGS; n++)
		args[n] = argv[n - 1];
	args[n] = 0;
	p->pgid = p->sid = p->pid;
	init_proc = p;
	fd_install_console(p);
	if (first) {
		/* An empty image until @first execs one: the switch-in needs an mm. */
		if (!(p->mm = mm_create()))
			panic("init: out of memory");
		init_first = first;
	} else if ((r = exec_kernel(p, path, args))) {
		panic("init: cannot run %s (%d)", path, r);
	}
	sched_make_runnable(p);
}

/*
 * proc_vfork_release - a vfork child stops borrowing its parent's address space
 * (exec or exit): wake the parent.  Called by the child.
 */
void proc_vfork_release(struct proc *p)
{
	struct proc *parent = p->vfork_parent;

	if (!parent)
		return;
	spin_lock(&sched_lock);
	parent->vfork_done = 1;
	p->vfork_parent = 0;
	sched_wakeup_locked(&parent->vfork_done);
	spin_unlock(&sched_lock);
}

void proc_drop_shared(struct proc *p)
{
	struct proc_fs *fs = p->fs;
	struct fdtable *fdt = p->fdt;
	struct mm *mm = p->mm;

	spin_lock(&sched_lock);	/* /proc readers take their references under it */
	p->fdt = 0;
	p->fs = 0;
	p->mm = 0;
	spin_unlock(&sched_lock);
	if (fdt)
		fd_table_put(fdt);
	if (fs && !__atomic_sub_fetch(&fs->refs, 1, __ATOMIC_ACQ_REL)) {
		inode_put(fs->cwd);
		kfree(fs);
	}
	if (mm)
		mm_put(mm);
}

/*
 * process_dead_locked - the last thread of leader @l's process has
 * exited: its children go to init, and the parent hears of the exit,
 * once, with the group's status.  sched_lock held.
 */
static void process_dead_locked(struct proc *l)
{
	struct tgroup *g = l->group;

	if (g->exiting)
		l->exit_status = g->exit_status;
	if (l == init_proc) {
		/* No sync here: the exit path let go of the mm (proc_exit syncs first). */
		int st = l->exit_status, code = (st & 0x7f) ? 128 + (st & 0x7f) : (st >> 8) & 0xff;
		spin_unlock(&sched_lock);
		printk(KERN_EMERG, "init exited with status %d\n", code);
		printk(KERN_EMERG, "reboot: Power down\n");
		poweroff_machine(code);
	}
	/*
	 * Orphans go to init; init reaps the zombies among them.  As on Linux
	 * they report with SIGCHLD from now on, so that init's plain wait sees
	 * even a child made with another exit signal (or none), and one that
	 * is a zombie already is announced to init at once (an init that waits
	 * for SIGCHLD, as BusyBox's does, would never hear of it otherwise).
	 */
	while (l->children) {
		struct proc *c = l->children;
		l->children = c->sibling;
		c->exit_signal = SIGCHLD;
		proc_link_child(init_proc, c);
		if (proc_group_is_dead(c)) {
			signal_send_locked(init_proc, SIGCHLD);
			sched_wakeup_locked(init_proc);
		}
		jobctl_orphaned_locked(c);
	}
	itimer_cancel_locked(l);
	l->wait_stopped = l->wait_continued = 0;
	if (l->exit_signal)
		signal_send_locked(l->parent, l->exit_signal);
	sched_wakeup_locked(l->parent);		/* wait sleeps on the parent's leader */
}

/*
 * proc_release_user_state - what a thread leaves behind in user space at
 * exit or execve: its robust futexes (owners marked dead, EOWNERDEAD for
 * the next), and the CLONE_CHILD_CLEARTID word, zeroed with one waiter
 * woken (pthread_join).  As on Linux, the word is left alone when nobody
 * else uses the address space: no one can be waiting on it then (a plain
 * fork child's exit).  Both are forgotten afterwards.
 */
void proc_release_user_state(struct proc *p)
{
	if (p->robust_list)
		futex_exit_robust(p->robust_list, p->robust_len, p->pid);
	if (p->clear_child_tid && __atomic_load_n(&p->mm->refs, __ATOMIC_ACQUIRE) > 1) {
		uaccess_put_u32(p->clear_child_tid, 0);
		futex_wake(p->clear_child_tid, 1, ~0U);
	}
	p->clear_child_tid = 0;
	p->robust_list = p->robust_len = 0;
}

/*
 * proc_exit - end the current thread with wait status @status: its user
 * state, files and address space go; a thread other than the leader is
 * then freed by the scheduler, the leader stays as a zombie.  The last
 * thread of a process to exit reports the process to its parent.
 */
void proc_exit(int status)
{
	struct proc *p = current();
	struct tgroup *g = p->group;

	if (g->leader == init_proc && __atomic_load_n(&g->live, __ATOMIC_RELAXED) == 1)
		vfs_sync_all();		/* init's end stops the machine: power-off writes back */
	proc_release_user_state(p);
	proc_vfork_release(p);
	kvm_load();		/* stop using mm before dropping it (tlb.h) */
	proc_drop_shared(p);

	spin_lock(&sched_lock);
	p->exit_status = status;
	g->live--;
	if (g->execer && g->live == 1)
		sched_wakeup_proc(g->execer);
	jobctl_exit_locked(p);		/* a stop need not wait for us to park */
	if (g->live == 0)
		process_dead_locked(g->leader);
	p->state = p == g->leader ? P_ZOMBIE : P_DEAD;
	sched_switch();
	panic("zombie ran");
}

void proc_kill_others_locked(struct proc *p)
{
	for (struct proc *t = p->group->threads; t; t = t->thread_next) {
		if (t == p || proc_has_exited(t))
			continue;
		t->sig.pending |= sigbit(SIGKILL);
		if (t->state == P_SLEEPING && t->intr)
			sched_wakeup_proc(t);
	}
	jobctl_kill_locked(p);		/* parked threads wake for SIGKILL */
}

/*
 * proc_exit_group - exit_group(2), or a fatal signal: the first caller
 * sets the group's status and kills the other threads; every thread then
 * leaves through proc_exit.  A thread that another thread's execve killed
 * ends alone: the process goes on in the new image.
 */
void proc_exit_group(int status)
{
	struct proc *p = current();
	struct tgroup *g = p->group;

	spin_lock(&sched_lock);
	if (!g->exiting && !(g->execer && g->execer != p)) {	/* exec's kill ends only us */
		g->exiting = 1;
		g->exit_status = status;
		proc_kill_others_locked(p);
	}
	spin_unlock(&sched_lock);
	proc_exit(status);
}

/*
 * proc_release_dead - the scheduler has switched away from exited thread
 * @p (P_DEAD, never the leader): off the group's list, its CPU time into
 * the group's, and freed.  sched_lock held.
 */
void proc_release_dead(struct proc *p)
{
	struct tgroup *g = p->group;

	for (struct proc **pp = &g->threads; *pp; pp = &(*pp)->thread_next)
		if (*pp == p) {
			*pp = p->thread_next;
			break;
		}
	g->dead.user += p->cpu.used.user;
	g->dead.sys += p->cpu.used.sys;
	proc_free_locked(p);
}

/*
 * take_over_leader - exec from a thread other than the leader: @p becomes
 * the process.  It gets the leader's pid (the tgid does not change across
 * exec) and place in the tree; the old leader, a zombie off its stack, is
 * freed without a word to the parent.  sched_lock held.
 */
static void take_over_leader(struct proc *p, struct proc *old)
{
	struct tgroup *g = p->group;
	int tid = p->pid;

	p->pid = old->pid;
	old->pid = tid;
	p->parent = old->parent;		/* none for init */
	for (struct proc **pp = old->parent ? &old->parent->children : 0; pp && *pp;
	     pp = &(*pp)->sibling)
		if (*pp == old) {
			*pp = p;
			p->sibling = old->sibling;
			break;
		}
	p->children = old->children;
	for (struct proc *c = p->children; c; c = c->sibling)
		c->parent = p;
	p->exit_signal = old->exit_signal;
	p->pgid = old->pgid;
	p->sid = old->sid;
	p->start_time = old->start_time;
	p->cpu_children = old->cpu_children;
	itimer_move_locked(old, p);
	g->leader = p;
	if (init_proc == old)
		init_proc = p;
	g->dead.user += old->cpu.used.user;
	g->dead.sys += old->cpu.used.sys;
	for (struct proc **pp = &g->threads; *pp; pp = &(*pp)->thread_next)
		if (*pp == old) {
			*pp = old->thread_next;
			break;
		}
	proc_free_locked(old);
}

/*
 * proc_exec_takeover - execve, past its point of no return, in a process
 * with other threads: kill them and wait until each has exited (a leader
 * that exited must also be off its stack, which a P_ZOMBIE under
 * sched_lock is); then, if we are not the leader, take its place.  0, or
 * -EINTR if the group is already on its way out (exit_group, a fatal
 * signal, another thread's execve): then we are killed too, and the
 * caller abandons the new image.
 */
int proc_exec_takeover(void)
{
	struct proc *p = current();
	struct tgroup *g = p->group;

	spin_lock(&sched_lock);
	if (g->live == 1 && g->leader == p) {
		spin_unlock(&sched_lock);
		return 0;
	}
	if (g->exiting || g->execer) {
		spin_unlock(&sched_lock);
		return -EINTR;		/* SIGKILL is pending for us already */
	}
	proc_kill_others_locked(p);
	g->execer = p;
	while (g->live > 1 || (g->leader != p && g->leader->state != P_ZOMBIE))
		sched_sleep(&g->execer, &sched_lock);
	g->execer = 0;
	if (g->leader != p)
		take_over_leader(p, g->leader);
	spin_unlock(&sched_lock);
	return 0;
}
