/*
 * procfs_dir.c - listing /proc's directories: /proc itself (its fixed
 * files, then one directory per process: threads other than a leader are
 * left out, as on Linux), /proc/<pid> and /proc/<pid>/task/<tid> (their
 * files), and /proc/<pid>/task (one directory per thread); fd/ is
 * procfs_fd.c's.
 *
 * A directory file's text is its path, self resolved (procfs_open); the
 * ids are collected afresh at each call, and the file position counts
 * entries, so a listing read in several calls goes on where it stopped.
 */
#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../vm/kmalloc.h"
#include "file.h"
#include "readdir.h"
#include "procfs_int.h"

/* A list of ids: the processes of /proc, or one process's threads. */
struct procfs_ids {
	int n, id[NPROC];
};

/* procfs_collect_pid - proc_each callback: note @p's pid in the procfs_ids @arg; 1 to go on. */
static int procfs_collect_pid(struct proc *p, void *arg)
{
	struct procfs_ids *l = arg;

	l->id[l->n++] = p->pid;
	return 1;
}

/* procfs_sort_ids - sort @l ascending (a few hundred ids at most: insertion sort). */
static void procfs_sort_ids(struct procfs_ids *l)
{
	for (int i = 1; i < l->n; i++) {
		int v = l->id[i], j = i;

		for (; j > 0 && l->id[j - 1] > v; j--)
			l->id[j] = l->id[j - 1];
		l->id[j] = v;
	}
}

/*
 * procfs_emit_ids - the id directories, which start at position @first:
 * entry pos is @l->id[pos - @first] (a thread's inode if @task), from
 * f->pos until the buffer is full.  The bytes in the buffer (0 at the
 * end), -EINVAL if it holds none and not even one fits, or -EFAULT.
 */
static long procfs_emit_ids(struct file *f, unsigned long ubuf, size_t n, size_t *used,
			    const struct procfs_ids *l, uint64_t first, int task)
{
	char name[16];

	while (f->pos >= first && f->pos - first < (uint64_t)l->n) {
		int id = l->id[f->pos - first];
		uint64_t ino = task ? PROCFS_TASK_INO(id) : PROCFS_PID_INO(id);

		snprintf(name, sizeof(name), "%d", id);
		long r = readdir_emit(ubuf, n, used, ino, f->pos + 1, DT_DIR, name);
		if (r <= 0)
			return r < 0 ? r : *used ? (long)*used : -EINVAL;
		f->pos++;
	}
	return (long)*used;
}

/* procfs_list_root - /proc: the fixed entries, then each process's directory. */
static long procfs_list_root(struct file *f, unsigned long ubuf, size_t n)
{
	struct procfs_ids *l = kmalloc(sizeof(*l));
	size_t used = 0;
	const char *nm;
	unsigned char type;
	uint64_t ino;
	long r;

	if (!l)
		return -ENOMEM;
	l->n = 0;
	spin_lock(&sched_lock);
	proc_each(procfs_collect_pid, l);
	spin_unlock(&sched_lock);
	procfs_sort_ids(l);
	while ((nm = procfs_top_entry_at((int)f->pos, &type, &ino))) {
		r = readdir_emit(ubuf, n, &used, ino, f->pos + 1, type, nm);
		if (r <= 0) {
			kfree(l);
			return r < 0 ? r : used ? (long)used : -EINVAL;
		}
		f->pos++;
	}
	int ntop = 0;
	while (procfs_top_entry_at(ntop, &type, &ino))
		ntop++;
	r = procfs_emit_ids(f, ubuf, n, &used, l, (uint64_t)ntop, 0);
	kfree(l);
	return r;
}

/* procfs_list_tasks - /proc/<pid>/task: a directory per thread, by id. */
static long procfs_list_tasks(struct file *f, unsigned long ubuf, size_t n, int pid)
{
	struct procfs_ids *l = kmalloc(sizeof(*l));
	size_t used = 0;
	long r;

	if (!l)
		return -ENOMEM;
	r = procfs_tids(pid, l->id, NPROC);
	if (r >= 0) {
		l->n = (int)r;
		procfs_sort_ids(l);
		r = procfs_emit_ids(f, ubuf, n, &used, l, 0, 1);
	}
	kfree(l);
	return r == -ENOENT ? 0 : r;	/* the process is gone: an empty directory, as on Linux */
}

/* procfs_list_files - /proc/<pid> or /proc/<pid>/task/<tid> (@task): its files. */
static long procfs_list_files(struct file *f, unsigned long ubuf, size_t n, int task)
{
	size_t used = 0;
	unsigned char type;
	const char *nm;

	while ((nm = procfs_entry_at((int)f->pos, task, &type))) {
		long r = readdir_emit(ubuf, n, &used, f->ino + 1 + f->pos, f->pos + 1, type, nm);
		if (r <= 0)
			return r < 0 ? r : used ? (long)used : -EINVAL;
		f->pos++;
	}
	return (long)used;
}

/*
 * procfs_getdents - getdents64 of a /proc directory, the file's text its
 * path: the bytes written, 0 at the end, -EINVAL if not even one entry
 * fits, or -EFAULT/-ENOMEM.
 */
long procfs_getdents(struct file *f, unsigned long ubuf, size_t n)
{
	struct buffile_text *t = f->priv;
	struct procfs_path pp;

	if (!strcmp(t->buf, "/proc"))
		return procfs_list_root(f, ubuf, n);
	if (procfs_parse(t->buf, &pp))
		return 0;
	if (pp.level == PROCFS_TASKS)
		return procfs_list_tasks(f, ubuf, n, pp.pid);
	if (!strcmp(pp.file, "fd"))
		return procfs_fd_list(f, ubuf, n, &pp);
	return procfs_list_files(f, ubuf, n, pp.level == PROCFS_TASK);
}
