/*
 * procfs_int.h - what the parts of /proc share; only fs/procfs*.c include it.
 *
 * procfs.c owns the top of /proc and turns a path into a struct
 * procfs_path; procfs_pid.c snapshots the thread a path names and writes
 * the per-process and per-thread files; procfs_dir.c lists directories;
 * procfs_fd.c is the fd/ directory of open descriptors.
 *
 * A process's directory is /proc/<pid>; its threads' are
 * /proc/<pid>/task/<tid>.  As on Linux, /proc/<tid> of a thread that is
 * not the leader opens too (it is only left out of the /proc listing):
 * it shows the process, seen from that thread.
 */
#ifndef HOLSTEIN_PROCFS_INT_H
#define HOLSTEIN_PROCFS_INT_H

#include "../kernel/kernel.h"
#include "../kernel/proc.h"
#include "buffile.h"

#define PROCFS_TEXT_MAX 4096

/* procfs_printf - append to @t; text past PROCFS_TEXT_MAX is cut. */
void procfs_printf(struct buffile_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Which directory below /proc/<pid> a path is in. */
enum procfs_level {
	PROCFS_PID,	/* /proc/<pid>[/file]: the whole process */
	PROCFS_TASKS,	/* /proc/<pid>/task: the list of threads */
	PROCFS_TASK,	/* /proc/<pid>/task/<tid>[/file]: one thread */
};

/* A path below /proc/<pid>, self and thread-self resolved. */
struct procfs_path {
	int pid;		/* the number after /proc/: any thread's id */
	int tid;		/* PROCFS_TASK: the thread under task/ */
	enum procfs_level level;
	const char *file;	/* the name inside that directory; "" for the directory */
};

/*
 * Inode numbers: a /proc/<pid> directory is PROCFS_PID_INO(pid), its
 * entries follow it (+1 + their index); a task directory counts from
 * PROCFS_TASK_INO(tid) the same way.  Both numbers are unique per id.
 */
#define PROCFS_PID_INO(pid)	(1000 + (uint64_t)(pid) * 16)
#define PROCFS_TASK_INO(tid)	((1ULL << 32) + (uint64_t)(tid) * 16)
/* The links in the fd/ of process or thread @id: one number per (id, descriptor). */
#define PROCFS_FD_INO(id, fd)	((1ULL << 40) + ((uint64_t)(id) << 17) + (uint64_t)(fd))

/* procfs_path_ino - the inode number of the directory @pp is in (or is). */
uint64_t procfs_path_ino(const struct procfs_path *pp);

/*
 * struct procfs_snap - what a per-process or per-thread file shows,
 * copied under sched_lock with a reference on the address space, so the
 * thread may exit meanwhile.
 */
struct procfs_snap {
	int tid, tgid, ppid, pgid, sid;
	int nthreads;			/* the process's threads, as Linux counts them */
	char state, name[PROC_NAME], exe[PATH_MAX_K];
	struct mm *mm;			/* NULL once every thread dropped it */
	struct inode *cwd;		/* a reference, or NULL */
	uint64_t start;
	struct cputime cpu, kids;	/* as last charged: a running thread's current stint is not in */
	int tty_nr, tpgid;		/* the console (5:1) if in its session, else 0 and -1 */
	int exit_signal, cpu_last, exit_code;
	uint64_t sigpending, sigblocked, sigignored, sigcaught;
};

/* procfs_snap_take - snapshot what @pp names into @s. 0, or -ENOENT if no such process or thread. */
int procfs_snap_take(const struct procfs_path *pp, struct procfs_snap *s);
/* procfs_snap_put - drop the snapshot's address-space reference. */
void procfs_snap_put(struct procfs_snap *s);

/* procfs_entry - index of @name in a process (@task 0) or thread (@task 1) directory, or -1. */
int procfs_entry(const char *name, int task);
/* procfs_entry_at - the @i'th entry of such a directory: its name and d_type; 0 past the end. */
const char *procfs_entry_at(int i, int task, unsigned char *type);
/* procfs_gen_file - the text of entry @which (exe, a link, has none) from @s. */
void procfs_gen_file(struct buffile_text *t, const struct procfs_snap *s, const char *which);
/* procfs_tids - the ids of process @pid's threads into @tids (at most @max): how many, or -ENOENT. */
int procfs_tids(int pid, int *tids, int max);

/* The system-wide files of procfs_sys.c: /proc/stat, loadavg, uptime, filesystems. */
void procfs_gen_stat_sys(struct buffile_text *t);
void procfs_gen_loadavg(struct buffile_text *t);
void procfs_gen_uptime(struct buffile_text *t);
void procfs_gen_filesystems(struct buffile_text *t);
/* /proc/partitions: the disks of drivers/blk.h (no partition tables are read). */
void procfs_gen_partitions(struct buffile_text *t);
/* /proc/diskstats: requests done per disk (drivers/blk.h's counters), in Linux's 20 columns. */
void procfs_gen_diskstats(struct buffile_text *t);

/* procfs_getdents - file_ops.getdents of every /proc directory (procfs_dir.c). */
long procfs_getdents(struct file *f, unsigned long ubuf, size_t n);
/* The kind of every /proc directory: its text is its path (procfs.c). */
extern const struct file_ops procfs_dir_ops;

struct fdtable;
/*
 * procfs_fdtable - the descriptor table of what @pp names (a process's
 * leader, or any live thread of it once the leader is gone; a thread), with
 * a reference (fd_table_put it); NULL if there is none.
 */
struct fdtable *procfs_fdtable(const struct procfs_path *pp);
/* procfs_fd_name - @file within a pid or task directory: 1 for "fd", 2 for "fd/N" (*@fd = N), 0 else, -ENOENT. */
int procfs_fd_name(const char *file, int *fd);
/* procfs_fd_get - if @abs is an fd/N link, its file with a reference into *@out: 2; 0 if no such link; -ENOENT. */
int procfs_fd_get(const char *abs, struct file **out);
/* procfs_fd_link - the target /proc shows for open file @f, into @buf of @n: its full length, or -errno. */
long procfs_fd_link(struct file *f, char *buf, size_t n);
/* procfs_fd_list - getdents of fd/ of what @pp names, from @dir's position. */
long procfs_fd_list(struct file *dir, unsigned long ubuf, size_t n, const struct procfs_path *pp);
/* procfs_top_entry_at - the @i'th name of /proc's fixed part, its d_type and inode; 0 past the end. */
const char *procfs_top_entry_at(int i, unsigned char *type, uint64_t *ino);
/* procfs_parse - split a path below /proc/<pid> or thread-self into @pp. 0 or -ENOENT. */
int procfs_parse(const char *abs, struct procfs_path *pp);

#endif
