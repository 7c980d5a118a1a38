/*
 * procfs_pid.c - the files of a process's and a thread's /proc directory:
 * maps, smaps_rollup, stat, status, cmdline, environ, comm, the exe, cwd
 * and root links (and task/ in the process's), in Linux's formats; fd/ is
 * procfs_fd.c's.
 *
 * A file's text comes from a snapshot of the thread its path names,
 * taken under sched_lock.  What belongs to the process (parent, process
 * group, session, children's time, the thread count) is read from the
 * group and its leader; what belongs to a thread (its id, state, name,
 * start time) from the thread.  A process's stat sums the CPU time of all
 * its threads, a thread's shows its own.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/tty.h"
#include "inode.h"
#include "../vm/mm.h"
#include "../vm/pager.h"
#include "mount.h"
#include "../vm/kmalloc.h"
#include "fdtable.h"
#include "readdir.h"
#include "procfs_int.h"

/* The entries of /proc/<pid>; a task directory has all but the last. */
static const struct procfs_entry_def {
	const char *name;
	unsigned char type;
} procfs_entries[] = {
	{ "maps", DT_REG },   { "smaps_rollup", DT_REG }, { "stat", DT_REG }, { "status", DT_REG },
	{ "cmdline", DT_REG }, { "exe", DT_LNK },	  { "comm", DT_REG }, { "mounts", DT_REG },
	{ "mountinfo", DT_REG }, { "environ", DT_REG },  { "cwd", DT_LNK },  { "root", DT_LNK },
	{ "fd", DT_DIR },      { "task", DT_DIR },
};

/* procfs_entry_count - how many entries a process (@task 0) or thread (@task 1) directory has. */
static int procfs_entry_count(int task)
{
	return (int)ARRAY_SIZE(procfs_entries) - (task ? 1 : 0);
}

int procfs_entry(const char *name, int task)
{
	for (int i = 0; i < procfs_entry_count(task); i++)
		if (!strcmp(name, procfs_entries[i].name))
			return i;
	return -1;
}

const char *procfs_entry_at(int i, int task, unsigned char *type)
{
	if (i < 0 || i >= procfs_entry_count(task))
		return 0;
	*type = procfs_entries[i].type;
	return procfs_entries[i].name;
}

/* procfs_vma_name - the last column of /proc/<pid>/maps for @v, as Linux names it. */
static const char *procfs_vma_name(struct mm *mm, struct vma *v)
{
	if (v->kind == VMA_VVAR)
		return "[vvar]";
	if (v->kind == VMA_VDSO)
		return "[vdso]";
	if (v->flags & VMA_STACK)
		return "[stack]";
	if ((v->flags & VMA_HEAP) || (v->start >= mm->brk_start && v->end <= ALIGN_UP(mm->brk, 4096) &&
				      v->kind == VMA_ANON && v->start < USER_MMAP_BASE))
		return "[heap]";
	if (v->kind == VMA_FILE && v->pager) {
		unsigned long ino;
		return v->pager->name(v->object, &ino);
	}
	if (v->kind == VMA_SHMEM)
		return "/dev/zero (deleted)";	/* Linux's name for shared anonymous memory */
	return "";
}

/* procfs_vma_ino - the inode number of the file @v maps (its pager's name for it); 0 for none. */
static unsigned long procfs_vma_ino(struct vma *v)
{
	unsigned long ino = 0;

	if (v->kind == VMA_FILE && v->pager)
		v->pager->name(v->object, &ino);
	return ino;
}

/* procfs_gen_maps - /proc/<pid>/maps: one line per VMA, under the address space's lock. */
static void procfs_gen_maps(struct buffile_text *t, struct mm *mm)
{
	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next)
		procfs_printf(t, "%08lx-%08lx %c%c%c%c %08lx 00:00 %lu %s%s\n", v->start, v->end,
			      (v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
			      (v->prot & PROT_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p',
			      v->kind == VMA_FILE || v->kind == VMA_SHMEM ? v->file_off : 0UL,
			      procfs_vma_ino(v), *procfs_vma_name(mm, v) ? "                " : "",
			      procfs_vma_name(mm, v));
	spin_unlock(&mm->lock);
}

/* procfs_gen_smaps_rollup - /proc/<pid>/smaps_rollup: the resident-set totals of the whole space. */
static void procfs_gen_smaps_rollup(struct buffile_text *t, struct mm *mm)
{
	struct mm_rss r;
	unsigned long lo = 0, hi = 0;

	mm_rss(mm, &r);
	spin_lock(&mm->lock);
	if (mm->vmas) {
		lo = mm->vmas->start;
		for (struct vma *v = mm->vmas; v; v = v->next)
			hi = v->end;
	}
	spin_unlock(&mm->lock);
	unsigned long rss = r.shared_clean + r.shared_dirty + r.private_clean + r.private_dirty;
	procfs_printf(t, "%08lx-%08lx ---p 00000000 00:00 0                          [rollup]\n",
		      lo, hi);
	procfs_printf(t, "Rss:            %8lu kB\n", rss * 4);
	procfs_printf(t, "Pss:            %8lu kB\n", (r.private_clean + r.private_dirty) * 4 +
							 (r.shared_clean + r.shared_dirty) * 2);
	procfs_printf(t, "Shared_Clean:   %8lu kB\n", r.shared_clean * 4);
	procfs_printf(t, "Shared_Dirty:   %8lu kB\n", r.shared_dirty * 4);
	procfs_printf(t, "Private_Clean:  %8lu kB\n", r.private_clean * 4);
	procfs_printf(t, "Private_Dirty:  %8lu kB\n", r.private_dirty * 4);
	procfs_printf(t, "Referenced:     %8lu kB\n", rss * 4);
	procfs_printf(t, "Anonymous:      %8lu kB\n", r.anon * 4);
	procfs_printf(t, "Swap:           %8lu kB\n", r.swap * 4);
}

/* procfs_state_char - thread @p's state letter: stopped (T) before the scheduler state. */
static char procfs_state_char(struct proc *p)
{
	if (p->group->stop_sig && p->state != P_ZOMBIE)
		return 'T';
	switch (p->state) {
	case P_RUNNING:
	case P_RUNNABLE:
		return 'R';
	case P_SLEEPING:
		return 'S';
	case P_ZOMBIE:
		return 'Z';
	default:
		return '?';
	}
}

/* procfs_state_name - the word Linux's /proc/<pid>/status puts after the state letter. */
static const char *procfs_state_name(char state)
{
	switch (state) {
	case 'R':
		return "running";
	case 'S':
		return "sleeping";
	case 'T':
		return "stopped";
	case 'Z':
		return "zombie";
	default:
		return "unknown";
	}
}

/* procfs_thread_shown - is @t a thread /proc shows: started, and not an exited non-leader? */
static int procfs_thread_shown(struct proc *t)
{
	return t->state != P_EMBRYO && t->state != P_DEAD && t->state != P_UNUSED;
}

/*
 * procfs_group_tally - the threads of @g that /proc shows (as on Linux, a
 * leader that exited before the others still counts until the process
 * ends), and in *@cpu the CPU time of all of them, the freed ones too.
 * sched_lock held.
 */
static int procfs_group_tally(struct tgroup *g, struct cputime *cpu)
{
	int n = 0;

	*cpu = cputime_group_locked(g);
	for (struct proc *t = g->threads; t; t = t->thread_next)
		n += procfs_thread_shown(t);
	return n;
}

/* procfs_find - the thread @pp names (the process seen from /proc/<pid>'s thread), or NULL. sched_lock held. */
static struct proc *procfs_find(const struct procfs_path *pp)
{
	struct proc *p = proc_by_pid(pp->pid), *t;

	if (!p || pp->level != PROCFS_TASK)
		return p;
	t = proc_by_pid(pp->tid);
	return t && t->group == p->group ? t : 0;
}

/* procfs_sig_actions - the signals @p ignores and catches, as bit masks (bit n-1: signal n). */
static void procfs_sig_actions(struct proc *p, uint64_t *ign, uint64_t *caught)
{
	*ign = *caught = 0;
	for (int i = 0; i < NSIG - 1 && i < 64; i++) {
		unsigned long h = p->sighand->action[i].handler;
		if (h == SIG_IGN)
			*ign |= 1ULL << i;
		else if (h != SIG_DFL)
			*caught |= 1ULL << i;
	}
}

/*
 * procfs_snap_more - what stat and status show beyond the ids: the
 * terminal, signals, exit and hart numbers, the cwd.  Holstein has one
 * terminal, the console, and no controlling-terminal bookkeeping: a
 * process has it if it is in the session of the console's foreground
 * group.  sched_lock held; @l is @p's leader.
 */
static void procfs_snap_more(struct procfs_snap *s, struct proc *p, struct proc *l)
{
	int fg = tty_fg_pgrp();
	struct proc *fgp = proc_by_pid(fg);

	s->tty_nr = 0;
	s->tpgid = -1;
	if (fgp && proc_leader(fgp)->sid == l->sid) {
		s->tty_nr = (5 << 8) | 1;	/* /dev/console, in Linux's encoding */
		s->tpgid = fg;
	}
	s->exit_signal = l->exit_signal;
	s->cpu_last = p->last_cpu;
	s->exit_code = p->state == P_ZOMBIE ? l->exit_status : 0;
	s->sigpending = p->sig.pending | p->group->pending;
	s->sigblocked = p->sig.blocked;
	procfs_sig_actions(p, &s->sigignored, &s->sigcaught);
	s->cwd = p->fs ? inode_get(p->fs->cwd) : 0;
}

int procfs_snap_take(const struct procfs_path *pp, struct procfs_snap *s)
{
	struct proc *p, *l;
	struct cputime group_cpu;

	spin_lock(&sched_lock);
	if (!(p = procfs_find(pp))) {
		spin_unlock(&sched_lock);
		return -ENOENT;
	}
	l = proc_leader(p);
	s->tid = p->pid;
	s->tgid = l->pid;
	s->ppid = l->parent ? l->parent->pid : 0;
	s->pgid = l->pgid;
	s->sid = l->sid;
	s->state = procfs_state_char(p);
	s->start = p->start_time;
	s->nthreads = procfs_group_tally(p->group, &group_cpu);
	s->cpu = pp->level == PROCFS_TASK ? p->cpu.used : group_cpu;
	s->kids = l->cpu_children;
	memcpy(s->name, p->name, sizeof(s->name));
	memcpy(s->exe, p->group->exe, sizeof(s->exe));
	procfs_snap_more(s, p, l);
	s->mm = p->mm;
	for (struct proc *t = p->group->threads; t && !s->mm; t = t->thread_next)
		s->mm = t->mm;		/* a zombie leader's: any live thread's */
	if (s->mm)
		mm_get(s->mm);
	spin_unlock(&sched_lock);
	return 0;
}

struct fdtable *procfs_fdtable(const struct procfs_path *pp)
{
	struct fdtable *t = 0;
	struct proc *p;

	spin_lock(&sched_lock);
	if ((p = procfs_find(pp))) {
		t = p->fdt;
		for (struct proc *th = p->group->threads; th && !t && pp->level != PROCFS_TASK;
		     th = th->thread_next)
			t = th->fdt;		/* a zombie leader's: any live thread's, as for mm */
		if (t)
			__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&sched_lock);
	return t;
}

void procfs_snap_put(struct procfs_snap *s)
{
	if (s->mm)
		mm_put(s->mm);
	s->mm = 0;
	if (s->cwd)
		inode_put(s->cwd);
	s->cwd = 0;
}

/*
 * procfs_snap_rss - resident pages of snapshot @s's address space (0
 * without one); its pages on swap into *@swap if @swap is not NULL.
 */
static unsigned long procfs_snap_rss(const struct procfs_snap *s, unsigned long *swap)
{
	struct mm_rss r = { 0 };

	if (s->mm)
		mm_rss(s->mm, &r);
	if (swap)
		*swap = r.swap;
	return r.shared_clean + r.shared_dirty + r.private_clean + r.private_dirty;
}

/* The address-space numbers of stat's fields 23 to 51 (0 without an address space). */
struct procfs_vm {
	unsigned long vsize, code_start, code_end, data_start, data_end, brk_start;
};

/*
 * procfs_vm_of - @mm's size and layout: the code is the lowest executable
 * area (the program's text), its data the writable area right after it.
 */
static void procfs_vm_of(struct mm *mm, struct procfs_vm *vm)
{
	struct vma *code = 0;

	memset(vm, 0, sizeof(*vm));
	if (!mm)
		return;
	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next) {
		vm->vsize += v->end - v->start;
		if (!code && (v->prot & PROT_EXEC) && v->kind == VMA_FILE)
			code = v;
	}
	if (code) {
		vm->code_start = code->start;
		vm->code_end = code->end;
		if (code->next && (code->next->prot & PROT_WRITE)) {
			vm->data_start = code->next->start;
			vm->data_end = code->next->end;
		}
	}
	vm->brk_start = mm->brk_start;
	spin_unlock(&mm->lock);
}

/*
 * procfs_gen_stat - Linux 6.1's 52 fields.  Field 1 is the thread's id,
 * field 20 the process's thread count; times are in clock ticks (1/100 s).
 * What Holstein does not keep is 0, as Linux shows it without the feature:
 * fault counts, kernel stack pointers, wchan, real-time priority; the
 * start of the stack too.  nice is 0 (one priority); rsslim is infinity.
 */
static void procfs_gen_stat(struct buffile_text *t, const struct procfs_snap *s)
{
	struct mm *mm = s->mm;
	struct procfs_vm vm;

	procfs_vm_of(mm, &vm);
	procfs_printf(t, "%d (%s) %c %d %d %d %d %d %u 0 0 0 0 %lu %lu %lu %lu 20 0 %d 0 %lu %lu %lu "
		      "18446744073709551615 %lu %lu 0 0 0 ",
		      s->tid, s->name, s->state, s->ppid, s->pgid, s->sid, s->tty_nr, s->tpgid,
		      s->state == 'Z' ? 0x4U : 0x0U,	/* PF_EXITING */
		      (unsigned long)cputime_clock_t(s->cpu.user),
		      (unsigned long)cputime_clock_t(s->cpu.sys),
		      (unsigned long)cputime_clock_t(s->kids.user),
		      (unsigned long)cputime_clock_t(s->kids.sys), s->nthreads,
		      (unsigned long)(s->start / 10000000ULL), vm.vsize, procfs_snap_rss(s, 0),
		      vm.code_start, vm.code_end);
	/* signal, blocked, sigignore, sigcatch: decimal, as Linux's obsolete fields are */
	procfs_printf(t, "%lu %lu %lu %lu 0 0 0 %d %d 0 0 0 0 0 %lu %lu %lu %lu %lu %lu %lu %d\n",
		      (unsigned long)s->sigpending, (unsigned long)s->sigblocked,
		      (unsigned long)s->sigignored, (unsigned long)s->sigcaught, s->exit_signal,
		      s->cpu_last, vm.data_start, vm.data_end, vm.brk_start,
		      mm ? mm->arg_start : 0UL, mm ? mm->arg_end : 0UL, mm ? mm->env_start : 0UL,
		      mm ? mm->env_end : 0UL, s->exit_code);
}

/* procfs_gen_status - the lines of Linux's status we keep, in its order; Pid is the thread's id. */
static void procfs_gen_status(struct buffile_text *t, const struct procfs_snap *s)
{
	struct procfs_vm vm;
	unsigned long swap, rss = procfs_snap_rss(s, &swap);

	procfs_vm_of(s->mm, &vm);
	procfs_printf(t, "Name:\t%s\nUmask:\t0022\nState:\t%c (%s)\nTgid:\t%d\nNgid:\t0\n"
		      "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s->name, s->state,
		      procfs_state_name(s->state), s->tgid, s->tid, s->ppid);
	procfs_printf(t, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t\n"
		      "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		      s->tgid, s->tid, s->pgid, s->sid);
	if (s->mm)
		procfs_printf(t, "VmSize:\t%8lu kB\n", vm.vsize / 1024);
	procfs_printf(t, "VmRSS:\t%lu kB\n", rss * 4);
	if (s->mm)
		procfs_printf(t, "VmSwap:\t%8lu kB\n", swap * 4);
	procfs_printf(t, "Threads:\t%d\n", s->nthreads);
	procfs_printf(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
		      "SigCgt:\t%016lx\n", (unsigned long)s->sigpending, 0UL,
		      (unsigned long)s->sigblocked, (unsigned long)s->sigignored,
		      (unsigned long)s->sigcaught);
}

/*
 * procfs_gen_strings - the bytes of [@start, @end) in @mm: cmdline's argv
 * and environ's strings, as the process has them now.  For cmdline, as
 * Linux: if the program wrote over the NUL that ended its arguments
 * (setproctitle), the text goes on into the environment up to a NUL.
 */
static void procfs_gen_strings(struct buffile_text *t, struct mm *mm, unsigned long start,
			       unsigned long end, int cmdline)
{
	size_t room = PROCFS_TEXT_MAX - 1 - t->len, n = MIN(end - start, room), got;

	if (!mm || end <= start)
		return;
	got = mm_copy_out(mm, start, t->buf + t->len, n);
	t->len += got;
	if (!cmdline || got != end - start || !got || t->buf[t->len - 1] == 0)
		return;
	room = PROCFS_TEXT_MAX - 1 - t->len;
	n = mm_copy_out(mm, mm->env_start, t->buf + t->len, MIN(room, mm->env_end - mm->env_start));
	for (size_t i = 0; i < n; i++)
		if (!t->buf[t->len + i]) {
			n = i;
			break;
		}
	t->len += n;
}

void procfs_gen_file(struct buffile_text *t, const struct procfs_snap *s, const char *which)
{
	if (!strcmp(which, "maps") && s->mm) {
		procfs_gen_maps(t, s->mm);
	} else if (!strcmp(which, "smaps_rollup") && s->mm) {
		procfs_gen_smaps_rollup(t, s->mm);
	} else if (!strcmp(which, "stat")) {
		procfs_gen_stat(t, s);
	} else if (!strcmp(which, "status")) {
		procfs_gen_status(t, s);
	} else if (!strcmp(which, "comm")) {
		procfs_printf(t, "%s\n", s->name);
	} else if (!strcmp(which, "mounts") || !strcmp(which, "mountinfo")) {
		size_t len;
		char *m = mount_text(!strcmp(which, "mountinfo"), &len);
		if (m) {
			procfs_printf(t, "%s", m);
			kfree(m);
		}
	} else if (!strcmp(which, "cmdline") && s->mm) {
		procfs_gen_strings(t, s->mm, s->mm->arg_start, s->mm->arg_end, 1);
	} else if (!strcmp(which, "environ") && s->mm) {
		procfs_gen_strings(t, s->mm, s->mm->env_start, s->mm->env_end, 0);
	}
}

int procfs_tids(int pid, int *tids, int max)
{
	struct proc *p;
	int n = 0;

	spin_lock(&sched_lock);
	if (!(p = proc_by_pid(pid))) {
		spin_unlock(&sched_lock);
		return -ENOENT;
	}
	for (struct proc *t = p->group->threads; t && n < max; t = t->thread_next)
		if (procfs_thread_shown(t))
			tids[n++] = t->pid;
	spin_unlock(&sched_lock);
	return n;
}
