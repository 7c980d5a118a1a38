/*
 * procfs.c - /proc, with Linux's file names and formats: meminfo, vmstat,
 * uptime, version, cpuinfo, self, and per process maps, smaps_rollup,
 * stat, status, cmdline, exe.
 * Each file's text is generated when it is opened.
 */
#include "../kernel/kernel.h"
#include "../kernel/time.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../vm/kmalloc.h"
#include "initramfs.h"
#include "../vm/mm.h"
#include "../vm/pmm.h"
#include "../vm/vmstat.h"
#include "../vm/pager.h"
#include "file.h"
#include "buffile.h"
#include "readdir.h"
#include "stat.h"
#include "procfs.h"

#define TEXT_MAX 4096

/* tprintf - append to @t; text past TEXT_MAX is cut (vsnprintf's NUL always fits). */
static void tprintf(struct buffile_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tprintf(struct buffile_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (t->len < TEXT_MAX - 1)
		t->len += (size_t)vsnprintf(t->buf + t->len, TEXT_MAX - t->len, fmt, ap);
	va_end(ap);
}

static long procdir_getdents(struct file *f, unsigned long ubuf, size_t n);
static const struct file_ops procdir_ops = { .getdents = procdir_getdents,
					     .release = buffile_release };

/* gen_meminfo - /proc/meminfo as Linux lays it out; Cached is the initramfs page cache. */
static void gen_meminfo(struct buffile_text *t)
{
	unsigned long total = pmm_total_frames() * 4, free = pmm_free_frames() * 4;

	tprintf(t, "MemTotal:       %8lu kB\n", total);
	tprintf(t, "MemFree:        %8lu kB\n", free);
	tprintf(t, "MemAvailable:   %8lu kB\n", free);
	tprintf(t, "Buffers:        %8lu kB\n", 0UL);
	tprintf(t, "Cached:         %8lu kB\n", initramfs_pages() * 4);
	tprintf(t, "SwapTotal:      %8lu kB\n", 0UL);
	tprintf(t, "SwapFree:       %8lu kB\n", 0UL);
	tprintf(t, "Slab:           %8lu kB\n", kmalloc_pages() * 4);
	tprintf(t, "KernelObjects:  %8lu\n", kmalloc_objects());
}

/* gen_uptime - seconds since boot; the idle column is not kept (0). */
static void gen_uptime(struct buffile_text *t)
{
	uint64_t cs = time_now_ns() / 10000000ULL;

	tprintf(t, "%lu.%02lu 0.00\n", (unsigned long)(cs / 100), (unsigned long)(cs % 100));
}

/* gen_version - the same release uname() reports. */
static void gen_version(struct buffile_text *t)
{
	tprintf(t, "Linux version 6.1.0-holstein (Holstein, a RISC-V COW kernel) #1 SMP\n");
}

/* gen_cpuinfo - one block per online hart, in the RISC-V Linux layout. */
static void gen_cpuinfo(struct buffile_text *t)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].online)
			tprintf(t, "processor\t: %d\nhart\t\t: %lu\nisa\t\t: rv64imafdc\n"
				   "mmu\t\t: sv39\n\n", i, cpus[i].hartid);
}

/* gen_vmstat - the fault counters (vm/vmstat.h) in /proc/vmstat's "name value" lines. */
static void gen_vmstat(struct buffile_text *t)
{
	tprintf(t, "nr_free_pages %lu\n", (unsigned long)pmm_free_frames());
	tprintf(t, "pgfault %lu\n", vmstat.pgfault);
	tprintf(t, "cow_fault %lu\n", vmstat.cow_fault);
	tprintf(t, "cow_copy %lu\n", vmstat.cow_copy);
	tprintf(t, "cow_reuse %lu\n", vmstat.cow_reuse);
	tprintf(t, "zero_fill %lu\n", vmstat.zero_fill);
	tprintf(t, "oom_kill %lu\n", vmstat.oom_kill);
	tprintf(t, "nr_tlb_remote_flush %lu\n", vmstat.tlb_remote_flush);
	tprintf(t, "nr_tlb_remote_flush_received %lu\n", vmstat.tlb_remote_flush_received);
	tprintf(t, "nr_tlb_local_flush_all %lu\n", vmstat.tlb_local_flush_all);
}

/*
 * The files at the top of /proc, in directory order; inode 4 + index.
 * "self" has no generator: it is the symlink parse_pid() resolves.
 */
static const struct proc_top {
	const char *name;
	void (*gen)(struct buffile_text *t);
} proc_top[] = {
	{ "meminfo", gen_meminfo }, { "vmstat", gen_vmstat }, { "self", 0 },
	{ "uptime", gen_uptime },   { "version", gen_version }, { "cpuinfo", gen_cpuinfo },
};

/* proc_top_file - the generated top-level file @abs names, or NULL. */
static const struct proc_top *proc_top_file(const char *abs)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_top); i++)
		if (proc_top[i].gen && !strcmp(abs + 6, proc_top[i].name))
			return &proc_top[i];
	return 0;
}

/* vma_name - the last column of /proc/<pid>/maps for @v, as Linux names it. */
static const char *vma_name(struct mm *mm, struct vma *v)
{
	if (v->kind == VMA_SIGPAGE)
		return "[sigpage]";
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

/* vma_ino - the inode number of the file @v maps (its pager's name for it); 0 for none. */
static unsigned long vma_ino(struct vma *v)
{
	unsigned long ino = 0;

	if (v->kind == VMA_FILE && v->pager)
		v->pager->name(v->object, &ino);
	return ino;
}

/* gen_maps - /proc/<pid>/maps: one line per VMA, under the address space's lock. */
static void gen_maps(struct buffile_text *t, struct mm *mm)
{
	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next)
		tprintf(t, "%08lx-%08lx %c%c%c%c %08lx 00:00 %lu %s%s\n", v->start, v->end,
			(v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
			(v->prot & PROT_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p',
			v->kind == VMA_FILE || v->kind == VMA_SHMEM ? v->file_off : 0UL,
			vma_ino(v),
			*vma_name(mm, v) ? "                " : "", vma_name(mm, v));
	spin_unlock(&mm->lock);
}

/* gen_smaps_rollup - /proc/<pid>/smaps_rollup: the resident-set totals of the whole space. */
static void gen_smaps_rollup(struct buffile_text *t, struct mm *mm)
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
	tprintf(t, "%08lx-%08lx ---p 00000000 00:00 0                          [rollup]\n", lo, hi);
	tprintf(t, "Rss:            %8lu kB\n", rss * 4);
	tprintf(t, "Pss:            %8lu kB\n", (r.private_clean + r.private_dirty) * 4 +
						   (r.shared_clean + r.shared_dirty) * 2);
	tprintf(t, "Shared_Clean:   %8lu kB\n", r.shared_clean * 4);
	tprintf(t, "Shared_Dirty:   %8lu kB\n", r.shared_dirty * 4);
	tprintf(t, "Private_Clean:  %8lu kB\n", r.private_clean * 4);
	tprintf(t, "Private_Dirty:  %8lu kB\n", r.private_dirty * 4);
	tprintf(t, "Referenced:     %8lu kB\n", rss * 4);
	tprintf(t, "Anonymous:      %8lu kB\n", r.anon * 4);
	tprintf(t, "Swap:           %8lu kB\n", 0UL);
}

/* state_char - @p's state letter as /proc shows it: stopped (T) before the scheduler state. */
static char state_char(struct proc *p)
{
	if (p->stop_sig && p->state != P_ZOMBIE)
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

/* state_name - the word Linux's /proc/<pid>/status puts after the state letter. */
static const char *state_name(char state)
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

/* Parse "/proc/<pid>[/rest]": the pid (self resolved) and rest, or -1. */
static int parse_pid(const char *abs, const char **rest)
{
	const char *s = abs + 6;
	int pid = 0;

	if (!strncmp(s, "self", 4) && (s[4] == 0 || s[4] == '/')) {
		pid = current()->pid;
		s += 4;
	} else {
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			pid = pid * 10 + (*s++ - '0');
		if (*s && *s != '/')
			return -1;
	}
	*rest = *s ? s + 1 : s;
	return pid;
}

/*
 * struct snap - what a per-process file shows: copied under sched_lock
 * with a reference on the address space, so the process may exit meanwhile.
 */
struct snap {
	int pid, ppid, pgid, sid;
	char state, name[PROC_NAME], exe[PATH_MAX_K];
	struct mm *mm;
	uint64_t start;
	struct cputime cpu, kids;	/* as last charged: a running process's current stint is not in */
};

/* take_snap - copy process @pid into @s under sched_lock (an mm reference too). 0 or -ENOENT. */
static int take_snap(int pid, struct snap *s)
{
	struct proc *p;

	spin_lock(&sched_lock);
	p = proc_by_pid(pid);
	if (!p) {
		spin_unlock(&sched_lock);
		return -ENOENT;
	}
	s->pid = p->pid;
	s->ppid = p->parent ? p->parent->pid : 0;
	s->pgid = p->pgid;
	s->sid = p->sid;
	s->state = state_char(p);
	s->start = p->start_time;
	s->cpu = p->cpu.used;
	s->kids = p->cpu_children;
	memcpy(s->name, p->name, sizeof(s->name));
	memcpy(s->exe, p->exe, sizeof(s->exe));
	s->mm = p->mm;
	if (s->mm)
		mm_get(s->mm);
	spin_unlock(&sched_lock);
	return 0;
}

static const char *const pid_files[] = { "maps", "smaps_rollup", "stat", "status", "cmdline", "exe" };

/* snap_rss - resident pages of snapshot @s's address space (0 without one). */
static unsigned long snap_rss(struct snap *s)
{
	struct mm_rss r = { 0 };

	if (s->mm)
		mm_rss(s->mm, &r);
	return r.shared_clean + r.shared_dirty + r.private_clean + r.private_dirty;
}

/* gen_pid_file - the text of /proc/<pid>/@which from snapshot @s (exe, a link, has none). */
static void gen_pid_file(struct buffile_text *t, struct snap *s, const char *which)
{
	if (!strcmp(which, "maps") && s->mm) {
		gen_maps(t, s->mm);
	} else if (!strcmp(which, "smaps_rollup") && s->mm) {
		gen_smaps_rollup(t, s->mm);
	} else if (!strcmp(which, "stat")) {
		unsigned long rss = snap_rss(s);
		tprintf(t, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu %lu %lu %lu 20 0 1 0 %lu 0 %lu\n",
			s->pid, s->name, s->state, s->ppid, s->pgid, s->sid,
			(unsigned long)cputime_clock_t(s->cpu.user),
			(unsigned long)cputime_clock_t(s->cpu.sys),
			(unsigned long)cputime_clock_t(s->kids.user),
			(unsigned long)cputime_clock_t(s->kids.sys),
			(unsigned long)(s->start / 10000000ULL), rss);
	} else if (!strcmp(which, "status")) {
		unsigned long rss = snap_rss(s);
		tprintf(t, "Name:\t%s\nState:\t%c (%s)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nVmRSS:\t%lu kB\n",
			s->name, s->state, state_name(s->state), s->pid, s->pid, s->ppid, rss * 4);
	} else if (!strcmp(which, "cmdline")) {
		tprintf(t, "%s", s->exe);
		t->len++;	/* the NUL that ends argv[0] */
	}
}

/*
 * procfs_open - open /proc or a path under it, generating its whole text
 * now; a directory's text is its own path (procdir_getdents reads it).
 * A new file, or NULL with -ENOENT/-ENOMEM in *@err.
 */
struct file *procfs_open(const char *abs, int *err)
{
	struct buffile_text t = { kmalloc(TEXT_MAX), 0 };
	const struct proc_top *top;
	const char *rest;
	uint32_t mode = S_IFREG | 0444;
	uint64_t ino = 0;

	if (!t.buf) {
		*err = -ENOMEM;
		return 0;
	}
	t.buf[0] = 0;
	if (!strcmp(abs, "/proc")) {
		mode = S_IFDIR | 0555;
		ino = 3;
		tprintf(&t, "%s", abs);
	} else if ((top = proc_top_file(abs))) {
		top->gen(&t);
		ino = 4 + (uint64_t)(top - proc_top);
	} else {
		int pid = parse_pid(abs, &rest);
		struct snap s;
		int known = 0;

		if (pid < 0 || take_snap(pid, &s)) {
			kfree(t.buf);
			*err = -ENOENT;
			return 0;
		}
		ino = 1000 + (uint64_t)pid * 16;
		if (!*rest) {
			mode = S_IFDIR | 0555;
			known = 1;
			tprintf(&t, "%s", abs);
		}
		for (size_t i = 0; i < ARRAY_SIZE(pid_files) && !known; i++)
			if (!strcmp(rest, pid_files[i]))
				known = 1;
		if (known && *rest)
			gen_pid_file(&t, &s, rest);
		if (s.mm)
			mm_put(s.mm);
		if (!known) {
			kfree(t.buf);
			*err = -ENOENT;
			return 0;
		}
	}
	struct file *f = buffile_create(t.buf, t.len, mode, ino);
	if (!f) {
		*err = -ENOMEM;
		return 0;
	}
	if (S_ISDIR(mode))
		f->ops = &procdir_ops;
	return f;
}

struct pid_list {
	int n, pids[NPROC];
};

/* collect_pid - proc_each callback: note @p's pid in the pid_list @arg; 1 to go on. */
static int collect_pid(struct proc *p, void *arg)
{
	struct pid_list *l = arg;

	l->pids[l->n++] = p->pid;
	return 1;
}

/* procdir_getdents - a /proc directory; the file's text holds the directory's path. */
static long procdir_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	struct buffile_text *t = f->priv;
	size_t used = 0;
	char name[16];

	if (strcmp(t->buf, "/proc")) {
		while (f->pos < ARRAY_SIZE(pid_files)) {
			long r = readdir_emit(ubuf, n, &used, f->ino + 1 + f->pos, f->pos + 1,
					      f->pos == 5 ? DT_LNK : DT_REG, pid_files[f->pos]);
			if (r <= 0)
				return r < 0 ? r : used ? (long)used : -EINVAL;
			f->pos++;
		}
		return (long)used;
	}
	struct pid_list *l = kmalloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->n = 0;
	spin_lock(&sched_lock);
	proc_each(collect_pid, l);
	spin_unlock(&sched_lock);
	for (;;) {
		uint64_t i = f->pos;
		const char *nm;
		unsigned char type = DT_DIR;
		uint64_t ino;

		if (i < ARRAY_SIZE(proc_top)) {
			nm = proc_top[i].name;
			type = proc_top[i].gen ? DT_REG : DT_LNK;
			ino = 4 + i;
		} else if (i - ARRAY_SIZE(proc_top) < (uint64_t)l->n) {
			int pid = l->pids[i - ARRAY_SIZE(proc_top)];
			snprintf(name, sizeof(name), "%d", pid);
			nm = name;
			ino = 1000 + (uint64_t)pid * 16;
		} else {
			break;
		}
		long r = readdir_emit(ubuf, n, &used, ino, i + 1, type, nm);
		if (r < 0) {
			kfree(l);
			return r;
		}
		if (r == 0)
			break;
		f->pos++;
	}
	int more = f->pos < ARRAY_SIZE(proc_top) + (uint64_t)l->n;
	kfree(l);
	return used ? (long)used : more ? -EINVAL : 0;
}

/* procfs_stat - stat by opening (the text's length is the size); /proc/self is a symlink. */
int procfs_stat(const char *abs, struct kstat *st)
{
	int err = 0;
	struct file *f;

	if (!strcmp(abs, "/proc/self")) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		return 0;
	}
	f = procfs_open(abs, &err);
	if (!f)
		return err;
	stat_file(f, st);
	file_put(f);
	return 0;
}

/*
 * procfs_readlink - /proc/self is the caller's pid, /proc/<pid>/exe its
 * program's path: the full length, or -ENOENT, or -EINVAL for a non-link.
 */
long procfs_readlink(const char *abs, char *buf, size_t n)
{
	const char *rest;
	struct snap s;
	int pid;

	if (!strcmp(abs, "/proc/self"))
		return snprintf(buf, n, "%d", current()->pid);
	pid = parse_pid(abs, &rest);
	if (pid < 0 || strcmp(rest, "exe"))
		return pid < 0 ? -ENOENT : -EINVAL;
	if (take_snap(pid, &s))
		return -ENOENT;
	if (s.mm)
		mm_put(s.mm);
	return (long)strlcpy(buf, s.exe, n);
}
