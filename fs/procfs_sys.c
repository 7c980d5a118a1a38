/*
 * procfs_sys.c - /proc's system-wide files that top, vmstat, uptime and
 * mount read: stat (per-hart times and the counts), loadavg, uptime and
 * filesystems, in Linux 6.1's formats.
 *
 * Times are kept per hart in time-CSR units (struct cpu: the scheduler
 * charges each stint of a thread to the hart it ran on, and the idle loop
 * its waits) and shown in clock ticks of 1/100 s.  Holstein has no nice
 * levels, no disk waits, no soft interrupts and no guests: those columns
 * are 0.
 */
#include "../kernel/kernel.h"
#include "../kernel/cpu.h"
#include "../kernel/proc.h"
#include "../kernel/sched.h"
#include "../kernel/time.h"
#include "../kernel/cputime.h"
#include "../kernel/sysstat.h"
#include "../drivers/blk.h"
#include "mount.h"
#include "procfs_int.h"

/* procfs_cpu_line - one "cpu..." line of /proc/stat: user, nice, system, idle and six zeros. */
static void procfs_cpu_line(struct buffile_text *t, const char *name, uint64_t user, uint64_t sys,
			    uint64_t idle)
{
	procfs_printf(t, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name,
		      (unsigned long)cputime_clock_t(user), (unsigned long)cputime_clock_t(sys),
		      (unsigned long)cputime_clock_t(idle));
}

void procfs_gen_stat_sys(struct buffile_text *t)
{
	uint64_t user = 0, sys = 0, idle = 0, ctxt = 0, intr = 0;
	int running, threads, last;
	char name[16];

	for (int i = 0; i < ncpus; i++) {
		if (!cpus[i].online)
			continue;
		user += cpus[i].stat_user;
		sys += cpus[i].stat_sys;
		idle += cpus[i].stat_idle;
		ctxt += cpus[i].nr_switches;
		intr += cpus[i].nr_irqs;
	}
	procfs_cpu_line(t, "cpu ", user, sys, idle);
	for (int i = 0; i < ncpus; i++) {
		if (!cpus[i].online)
			continue;
		snprintf(name, sizeof(name), "cpu%d", i);
		procfs_cpu_line(t, name, cpus[i].stat_user, cpus[i].stat_sys, cpus[i].stat_idle);
	}
	spin_lock(&sched_lock);
	proc_count(&running, &threads, &last);
	spin_unlock(&sched_lock);
	/* "processes" counts forks since boot: every pid handed out was one. */
	procfs_printf(t, "intr %lu\nctxt %lu\nbtime %lu\nprocesses %d\nprocs_running %d\n"
		      "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n", (unsigned long)intr,
		      (unsigned long)ctxt,
		      (unsigned long)((time_realtime_ns() - time_now_ns()) / 1000000000ULL), last,
		      running);
}

/* procfs_fixed - a LOADAVG_FIXED_1 value as Linux prints it: integer part, then two decimals. */
static void procfs_fixed(struct buffile_text *t, unsigned long v, const char *after)
{
	v += LOADAVG_FIXED_1 / 200;	/* rounds to the nearest hundredth */
	procfs_printf(t, "%lu.%02lu%s", v >> LOADAVG_FSHIFT,
		      ((v & (LOADAVG_FIXED_1 - 1)) * 100) >> LOADAVG_FSHIFT, after);
}

void procfs_gen_loadavg(struct buffile_text *t)
{
	unsigned long avg[3];
	int running, threads, last;

	loadavg_get(avg);
	spin_lock(&sched_lock);
	proc_count(&running, &threads, &last);
	spin_unlock(&sched_lock);
	procfs_fixed(t, avg[0], " ");
	procfs_fixed(t, avg[1], " ");
	procfs_fixed(t, avg[2], " ");
	procfs_printf(t, "%d/%d %d\n", running, threads, last);
}

/* procfs_gen_uptime - seconds since boot, and the idle time of all harts together. */
void procfs_gen_uptime(struct buffile_text *t)
{
	uint64_t cs = time_now_ns() / 10000000ULL, idle = 0;

	for (int i = 0; i < ncpus; i++)
		if (cpus[i].online)
			idle += cpus[i].stat_idle;
	idle = cputime_clock_t(idle);
	procfs_printf(t, "%lu.%02lu %lu.%02lu\n", (unsigned long)(cs / 100), (unsigned long)(cs % 100),
		      (unsigned long)(idle / 100), (unsigned long)(idle % 100));
}

/* procfs_gen_filesystems - the types mount(2) takes; "nodev" for those that need no device. */
void procfs_gen_filesystems(struct buffile_text *t)
{
	const struct fs_type *ft;

	for (int i = 0; (ft = mount_fs_type_nth(i)); i++)
		procfs_printf(t, "%s\t%s\n", ft->mount_dev ? "" : "nodev", ft->name);
}

/* procfs_gen_partitions - Linux's table: numbers, size in 1 KiB blocks, name. */
void procfs_gen_partitions(struct buffile_text *t)
{
	struct blkdev *bd;

	procfs_printf(t, "major minor  #blocks  name\n\n");
	for (int i = 0; (bd = blk_nth(i)); i++)
		procfs_printf(t, "%4u  %7u %10lu %s\n", bd->rdev >> 8, bd->rdev & 0xff,
			      (unsigned long)(bd->sectors >> 1), bd->name);
}

/*
 * procfs_gen_diskstats - Linux 6.1's line per disk: reads, merged, sectors, ms; the same for
 * writes; in flight, ms busy, weighted ms; the same four for discards; flushes, ms.  Only
 * the request counts are kept (iostat and the swap bench divide them); the rest are 0.
 */
void procfs_gen_diskstats(struct buffile_text *t)
{
	struct blkdev *bd;

	for (int i = 0; (bd = blk_nth(i)); i++)
		procfs_printf(t, "%4u %7u %s %lu 0 0 0 %lu 0 0 0 0 0 0 0 0 0 0 %lu 0\n",
			      bd->rdev >> 8, bd->rdev & 0xff, bd->name,
			      (unsigned long)bd->nr_reads, (unsigned long)bd->nr_writes,
			      (unsigned long)bd->nr_flushes);
}
