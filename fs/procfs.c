/*
 * procfs.c - /proc, with Linux's file names and formats: the top level
 * (meminfo, vmstat, version, cpuinfo, mounts, the self and thread-self
 * links; stat, loadavg, uptime and filesystems are procfs_sys.c's), and the parsing of paths below /proc/<pid>, whose files
 * procfs_pid.c writes and whose directories procfs_dir.c lists.
 * Each file's text is generated when it is opened.
 */
#include "../kernel/kernel.h"
#include "../kernel/time.h"
#include "../kernel/proc.h"
#include "../vm/kmalloc.h"
#include "../vm/shmem.h"
#include "mount.h"
#include "../vm/pmm.h"
#include "../vm/vmstat.h"
#include "../vm/swap.h"
#include "swapon.h"
#include "file.h"
#include "buffile.h"
#include "readdir.h"
#include "stat.h"
#include "procfs.h"
#include "procfs_int.h"
#include "namei.h"
#include "../vm/phys.h"

/* procfs_printf - append to @t; text past PROCFS_TEXT_MAX is cut (vsnprintf's NUL always fits). */
void procfs_printf(struct buffile_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (t->len < PROCFS_TEXT_MAX - 1)
		t->len += (size_t)vsnprintf(t->buf + t->len, PROCFS_TEXT_MAX - t->len, fmt, ap);
	va_end(ap);
}

const struct file_ops procfs_dir_ops = { .getdents = procfs_getdents,
						.release = buffile_release };

/*
 * procfs_gen_meminfo - /proc/meminfo as Linux lays it out.  Every page-cache
 * page is a memory object's (tmpfs files, shared memory): Cached and Shmem
 * are both that total, as on a Linux whose only file systems are tmpfs.
 */
static void procfs_gen_meminfo(struct buffile_text *t)
{
	unsigned long total = pmm_total_frames() * 4, free = pmm_free_frames() * 4;
	struct swap_totals sw;

	swap_totals(&sw);

	procfs_printf(t, "MemTotal:       %8lu kB\n", total);
	procfs_printf(t, "MemFree:        %8lu kB\n", free);
	/* What reclaim could give back without swapping: ext4's idle page cache. */
	procfs_printf(t, "MemAvailable:   %8lu kB\n", free + ext4_pcache_count() * 4);
	procfs_printf(t, "Buffers:        %8lu kB\n", 0UL);
	procfs_printf(t, "Cached:         %8lu kB\n", shmem_total_pages() * 4);
	procfs_printf(t, "SwapCached:     %8lu kB\n", sw.cached * 4);
	procfs_printf(t, "SwapTotal:      %8lu kB\n", sw.total * 4);
	procfs_printf(t, "SwapFree:       %8lu kB\n", sw.free * 4);
	procfs_printf(t, "Dirty:          %8lu kB\n", 0UL);
	procfs_printf(t, "Writeback:      %8lu kB\n", 0UL);
	procfs_printf(t, "Mapped:         %8lu kB\n", shmem_mapped_pages() * 4);
	procfs_printf(t, "Shmem:          %8lu kB\n", shmem_total_pages() * 4);
	procfs_printf(t, "Slab:           %8lu kB\n", kmalloc_pages() * 4);
	procfs_printf(t, "KernelObjects:  %8lu\n", kmalloc_objects());
}

/* procfs_gen_version - the same release uname() reports. */
static void procfs_gen_version(struct buffile_text *t)
{
	procfs_printf(t, "Linux version 6.1.0-holstein (Holstein, a RISC-V COW kernel) #1 SMP\n");
}

/* procfs_gen_cpuinfo - one block per online hart, in the RISC-V Linux layout. */
static void procfs_gen_cpuinfo(struct buffile_text *t)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].online)
			procfs_printf(t, "processor\t: %d\nhart\t\t: %lu\nisa\t\t: rv64imafdc\n"
				   "mmu\t\t: sv39\n\n", i, cpus[i].hartid);
}

/* procfs_gen_vmstat - the fault counters (vm/vmstat.h) in /proc/vmstat's "name value" lines. */
static void procfs_gen_vmstat(struct buffile_text *t)
{
	procfs_printf(t, "nr_free_pages %lu\n", (unsigned long)pmm_free_frames());
	procfs_printf(t, "pswpin %lu\n", vmstat.pswpin);
	procfs_printf(t, "pswpout %lu\n", vmstat.pswpout);
	procfs_printf(t, "pgfault %lu\n", vmstat.pgfault);
	procfs_printf(t, "cow_fault %lu\n", vmstat.cow_fault);
	procfs_printf(t, "cow_copy %lu\n", vmstat.cow_copy);
	procfs_printf(t, "cow_reuse %lu\n", vmstat.cow_reuse);
	procfs_printf(t, "zero_fill %lu\n", vmstat.zero_fill);
	procfs_printf(t, "oom_kill %lu\n", vmstat.oom_kill);
	procfs_printf(t, "nr_tlb_remote_flush %lu\n", vmstat.tlb_remote_flush);
	procfs_printf(t, "nr_tlb_remote_flush_received %lu\n", vmstat.tlb_remote_flush_received);
	procfs_printf(t, "nr_tlb_local_flush_all %lu\n", vmstat.tlb_local_flush_all);
}

/* procfs_gen_mounts - /proc/mounts (Linux's is a link to self/mounts: one name space here). */
static void procfs_gen_mounts(struct buffile_text *t)
{
	size_t len;
	char *m = mount_text(0, &len);

	if (m) {
		procfs_printf(t, "%s", m);
		kfree(m);
	}
}

/*
 * The files at the top of /proc, in directory order; inode 4 + index.
 * "self" and "thread-self" have no generator: they are the symlinks
 * procfs_parse() resolves.
 */
static const struct procfs_top {
	const char *name;
	void (*gen)(struct buffile_text *t);
} procfs_top[] = {
	{ "meminfo", procfs_gen_meminfo }, { "vmstat", procfs_gen_vmstat }, { "self", 0 },
	{ "uptime", procfs_gen_uptime },   { "version", procfs_gen_version },
	{ "cpuinfo", procfs_gen_cpuinfo }, { "thread-self", 0 }, { "mounts", procfs_gen_mounts },
	{ "stat", procfs_gen_stat_sys },   { "loadavg", procfs_gen_loadavg },
	{ "filesystems", procfs_gen_filesystems }, { "partitions", procfs_gen_partitions },
	{ "swaps", swapon_gen_proc },      { "diskstats", procfs_gen_diskstats },
};

/* procfs_top_file - the generated top-level file @abs names, or NULL. */
static const struct procfs_top *procfs_top_file(const char *abs)
{
	for (size_t i = 0; i < ARRAY_SIZE(procfs_top); i++)
		if (procfs_top[i].gen && !strcmp(abs + 6, procfs_top[i].name))
			return &procfs_top[i];
	return 0;
}

const char *procfs_top_entry_at(int i, unsigned char *type, uint64_t *ino)
{
	if (i < 0 || i >= (int)ARRAY_SIZE(procfs_top))
		return 0;
	*type = procfs_top[i].gen ? DT_REG : DT_LNK;
	*ino = 4 + (uint64_t)i;
	return procfs_top[i].name;
}

/* procfs_parse_num - the decimal number at *@s, moving *@s past it; -1 if none. */
static int procfs_parse_num(const char **s)
{
	int n = 0;

	if (**s < '0' || **s > '9')
		return -1;
	while (**s >= '0' && **s <= '9' && n < 100000000)
		n = n * 10 + (*(*s)++ - '0');
	return n;
}

/* procfs_skip_slash - past the '/' that ends a name at *@s: 0, or -1 if the name goes on. */
static int procfs_skip_slash(const char **s)
{
	if (**s == '/')
		(*s)++;
	else if (**s)
		return -1;
	return 0;
}

/* procfs_word - does @s start with path component @w? */
static int procfs_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(s, w, n) && (s[n] == 0 || s[n] == '/');
}

/*
 * procfs_parse - "/proc/<pid>[/file]", "/proc/<pid>/task[/<tid>[/file]]",
 * self for the caller's process, thread-self for the caller's thread
 * (<pid>/task/<tid>).  Only the form is checked: the ids may name nobody.
 */
int procfs_parse(const char *abs, struct procfs_path *pp)
{
	const char *s = abs + 6;

	pp->tid = 0;
	pp->level = PROCFS_PID;
	if (procfs_word(s, "thread-self")) {
		pp->pid = proc_tgid(current());
		pp->tid = current()->pid;
		pp->level = PROCFS_TASK;
		s += 11;
	} else if (procfs_word(s, "self")) {
		pp->pid = proc_tgid(current());
		s += 4;
	} else if ((pp->pid = procfs_parse_num(&s)) < 0) {
		return -ENOENT;
	}
	if (procfs_skip_slash(&s))
		return -ENOENT;
	if (pp->level == PROCFS_PID && procfs_word(s, "task")) {
		s += 4;
		pp->level = PROCFS_TASKS;
		if (*s == '/' && s[1]) {
			s++;
			pp->level = PROCFS_TASK;
			if ((pp->tid = procfs_parse_num(&s)) < 0)
				return -ENOENT;
		}
		if (procfs_skip_slash(&s))
			return -ENOENT;
	}
	pp->file = s;
	return 0;
}

uint64_t procfs_path_ino(const struct procfs_path *pp)
{
	switch (pp->level) {
	case PROCFS_TASKS:
		return PROCFS_PID_INO(pp->pid) + 1 + (uint64_t)procfs_entry("task", 0);
	case PROCFS_TASK:
		return PROCFS_TASK_INO(pp->tid);
	default:
		return PROCFS_PID_INO(pp->pid);
	}
}

/*
 * procfs_open_pid - a file or directory below /proc/<pid>: its text into
 * @t (a directory's is its path, self resolved, for procfs_getdents),
 * mode and inode number.  0, or -ENOENT.  An fd/N link is not opened here
 * (procfs_fd.c): -ENXIO.
 */
static int procfs_open_pid(const char *abs, struct buffile_text *t, uint32_t *mode, uint64_t *ino)
{
	struct procfs_path pp;
	struct procfs_snap s;
	int i = -1;

	if (procfs_parse(abs, &pp) || procfs_snap_take(&pp, &s))
		return -ENOENT;
	*ino = procfs_path_ino(&pp);
	if (!*pp.file || !strcmp(pp.file, "fd")) {
		*mode = S_IFDIR | 0555;
		procfs_printf(t, "/proc/%d", pp.pid);
		if (pp.level != PROCFS_PID)
			procfs_printf(t, "/task");
		if (pp.level == PROCFS_TASK)
			procfs_printf(t, "/%d", pp.tid);
		if (*pp.file && pp.level != PROCFS_TASKS) {
			i = procfs_entry("fd", pp.level == PROCFS_TASK);
			*ino += 1 + (uint64_t)i;
			*mode = S_IFDIR | 0500;		/* dr-x------, as Linux's */
			procfs_printf(t, "/fd");
		}
	} else if (procfs_fd_name(pp.file, &i) == 2) {
		procfs_snap_put(&s);
		return -ENXIO;		/* an fd/N link: procfs_fd.c opens what it shows */
	} else if (pp.level != PROCFS_TASKS && (i = procfs_entry(pp.file, pp.level == PROCFS_TASK)) >= 0) {
		*ino += 1 + (uint64_t)i;
		procfs_gen_file(t, &s, pp.file);
	}
	procfs_snap_put(&s);
	return !*pp.file || i >= 0 ? 0 : -ENOENT;
}

/*
 * procfs_open - open /proc or a path under it, generating its whole text
 * now; a directory's text is its own path (procfs_getdents reads it).
 * A new file, or NULL with -ENOENT/-ENOMEM in *@err.
 */
struct file *procfs_open(const char *abs, int *err)
{
	struct buffile_text t = { kmalloc(PROCFS_TEXT_MAX), 0 };
	const struct procfs_top *top;
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
		procfs_printf(&t, "%s", abs);
	} else if ((top = procfs_top_file(abs))) {
		top->gen(&t);
		ino = 4 + (uint64_t)(top - procfs_top);
	} else if ((*err = procfs_open_pid(abs, &t, &mode, &ino))) {
		kfree(t.buf);
		return 0;
	}
	struct file *f = buffile_create(t.buf, t.len, mode, ino);
	if (!f) {
		*err = -ENOMEM;
		return 0;
	}
	if (S_ISDIR(mode))
		f->ops = &procfs_dir_ops;
	return f;
}

const char *procfs_dir_path(struct file *f)
{
	return f->ops == &procfs_dir_ops ? ((struct buffile_text *)f->priv)->buf : 0;
}

/*
 * procfs_stat - stat by opening (the text's length is the size).  The
 * links (self, thread-self, exe) are links unless followed; a followed
 * exe is its program.
 */
int procfs_stat(const char *abs, int follow, struct kstat *st)
{
	char target[PATH_MAX_K];
	struct file *f;
	int err = procfs_fd_get(abs, &f);
	long n;

	if (err < 0)
		return err;
	if (err == 2) {
		/* An fd/N link: followed, the open file itself (a pipe has no path to stat). */
		n = procfs_fd_link(f, target, sizeof(target));
		if (follow) {
			stat_file(f, st);
		} else {
			memset(st, 0, sizeof(*st));
			st->st_mode = S_IFLNK | 0700;	/* lrwx------, as Linux's */
			st->st_nlink = 1;
			st->st_size = n < 0 ? 0 : n;
		}
		file_put(f);
		return 0;
	}
	n = procfs_readlink(abs, target, sizeof(target));
	err = 0;

	if (n >= 0 && !follow) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		st->st_size = n;
		return 0;
	}
	if (n > 0 && n < (long)sizeof(target) && target[0] == '/')
		return stat_path(target, st);
	f = procfs_open(abs, &err);
	if (!f)
		return err;
	stat_file(f, st);
	file_put(f);
	return 0;
}

/* procfs_cwd_link - the path of snapshot @s's working directory into @buf of @n: its length. */
static long procfs_cwd_link(const struct procfs_snap *s, char *buf, size_t n)
{
	phys_addr_t pg;
	long r;

	if (!s->cwd)
		return -ENOENT;
	if (!(pg = pmm_alloc()))
		return -ENOMEM;
	r = path_of(s->cwd, phys_to_virt(pg), PAGE_SIZE);
	if (r >= 0)
		r = (long)strlcpy(buf, phys_to_virt(pg), n);
	pmm_put(pg);
	return r;
}

/* procfs_pid_link - the target of link @pp->file below /proc/<pid> (snapshot @s), or -errno. */
static long procfs_pid_link(const struct procfs_path *pp, const struct procfs_snap *s,
			    char *buf, size_t n)
{
	if (pp->level != PROCFS_TASKS && !strcmp(pp->file, "exe"))
		return (long)strlcpy(buf, s->exe, n);
	if (pp->level != PROCFS_TASKS && !strcmp(pp->file, "root"))
		return (long)strlcpy(buf, "/", n);
	if (pp->level != PROCFS_TASKS && !strcmp(pp->file, "cwd"))
		return procfs_cwd_link(s, buf, n);
	if (*pp->file && procfs_entry(pp->file, pp->level == PROCFS_TASK) < 0)
		return -ENOENT;
	return -EINVAL;
}

/*
 * procfs_readlink - /proc/self is the caller's pid, /proc/thread-self
 * <pid>/task/<tid>, a process's or thread's exe its program's path, cwd its
 * working directory, root "/", an fd/N what that descriptor is open on
 * (procfs_fd.c): the full length, or -ENOENT, or -EINVAL for a non-link.
 */
long procfs_readlink(const char *abs, char *buf, size_t n)
{
	struct procfs_path pp;
	struct procfs_snap s;

	if (!strcmp(abs, "/proc/self"))
		return snprintf(buf, n, "%d", proc_tgid(current()));
	if (!strcmp(abs, "/proc/thread-self"))
		return snprintf(buf, n, "%d/task/%d", proc_tgid(current()), current()->pid);
	if (!strcmp(abs, "/proc") || procfs_top_file(abs))
		return -EINVAL;
	struct file *f;
	int k = procfs_fd_get(abs, &f);
	if (k < 0)
		return k;
	if (k == 2) {
		long r = procfs_fd_link(f, buf, n);
		file_put(f);
		return r;
	}
	if (procfs_parse(abs, &pp) || procfs_snap_take(&pp, &s))
		return -ENOENT;
	long r = procfs_pid_link(&pp, &s, buf, n);
	procfs_snap_put(&s);
	return r;
}
