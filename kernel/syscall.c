/*
 * syscall.c - the system call table.  Numbers are the Linux asm-generic
 * ones riscv64 uses; anything missing returns -ENOSYS and is logged once.
 *
 * Argument widths.  The riscv64 ABI passes every argument in a 64-bit
 * register, and a 32-bit C value arrives sign-extended (glibc passes
 * reboot's magic (int)0xfee1dead as 0xfffffffffee1dead) or, from raw
 * syscall(2) callers, with any upper half at all.  Linux's SYSCALL_DEFINE
 * casts each register to the declared type before the body runs, so an
 * int argument is only its low 32 bits.  Each entry below records, per
 * system call number, the type class of each argument in Linux 6.1's
 * declaration, and the dispatcher narrows them the same way before the
 * handler sees them.  Several numbers share a handler (linkat and
 * renameat2, fchmod and fchown) but not a signature: the entry belongs to
 * the number.
 */
#include "kernel.h"
#include "proc.h"
#include "syscall.h"
#include "../fs/fdtable.h"
#include "../arch/riscv/trapframe.h"

typedef long (*syscall_fn)(ul, ul, ul, ul, ul, ul);

/*
 * Argument classes, two bits each, argument 0 in the low bits.  L is
 * 0 so that a call with nothing to narrow (getpid, brk) costs one test.
 */
#define SC_L	0	/* long, unsigned long, size_t, off_t, pointers: all 64 bits */
#define SC_I	1	/* int, pid_t, clockid_t: the low 32 bits, sign-extended */
#define SC_U	2	/* unsigned int, uid_t, gid_t: the low 32 bits, zero-extended */
#define SC_M	3	/* umode_t (unsigned short): the low 16 bits */

#define SC_ARGS(t0, t1, t2, t3, t4, t5, ...) \
	(SC_##t0 | SC_##t1 << 2 | SC_##t2 << 4 | SC_##t3 << 6 | SC_##t4 << 8 | SC_##t5 << 10)
/* SC(fn, classes...): a handler and its arguments' classes, L for those not given. */
#define SC(fn, ...)	{ fn, SC_ARGS(__VA_ARGS__, L, L, L, L, L, L) }
/* SC0(fn): a call without arguments. */
#define SC0(fn)		{ fn, 0 }

struct syscall_entry {
	syscall_fn fn;
	uint16_t args;		/* SC_ARGS: the class of each argument */
};

#define NR_SYSCALLS 450

/*
 * The table.  The comment on each entry is Linux 6.1's declaration, the
 * source of its classes.  Where Linux declares unsigned long but narrows
 * the value itself at once, the entry says so and narrows it here.
 */
static const struct syscall_entry table[NR_SYSCALLS] = {
	[17] = SC(sys_getcwd, L, L),		/* char *buf, unsigned long size */
	[19] = SC(sys_eventfd2, U, I),		/* unsigned int count, int flags */
	[20] = SC(sys_epoll_create1, I),	/* int flags */
	[21] = SC(sys_epoll_ctl, I, I, I, L),	/* int epfd, int op, int fd, event */
	/* int epfd, events, int maxevents, int timeout, sigmask, size_t sigsetsize */
	[22] = SC(sys_epoll_pwait, I, L, I, I, L, L),
	[23] = SC(sys_dup, U),			/* unsigned int fildes */
	[24] = SC(sys_dup3, U, U, I),		/* unsigned int oldfd, newfd, int flags */
	[25] = SC(sys_fcntl, U, U, L),		/* unsigned int fd, cmd, unsigned long arg */
	[29] = SC(sys_ioctl, U, U, L),		/* unsigned int fd, cmd, unsigned long arg */
	[32] = SC(sys_flock, U, U),		/* unsigned int fd, unsigned int cmd */
	[33] = SC(sys_mknodat, I, L, M, U),	/* int dfd, name, umode_t mode, unsigned dev */
	[34] = SC(sys_mkdirat, I, L, M),	/* int dfd, name, umode_t mode */
	[35] = SC(sys_unlinkat, I, L, I),	/* int dfd, name, int flag */
	[36] = SC(sys_symlinkat, L, I, L),	/* old, int newdfd, new */
	[37] = SC(sys_linkat, I, L, I, L, I),	/* int olddfd, old, int newdfd, new, int flags */
	/* 38 is renameat, which riscv64 does not have (no __ARCH_WANT_RENAMEAT): ENOSYS */
	[39] = SC(sys_umount2, L, I),		/* name, int flags */
	[40] = SC(sys_mount, L, L, L, L, L),	/* dev_name, dir_name, type, unsigned long flags, data */
	[43] = SC(sys_statfs, L, L),		/* pathname, buf */
	[44] = SC(sys_fstatfs, U, L),		/* unsigned int fd, buf */
	[45] = SC(sys_truncate, L, L),		/* path, long length */
	[46] = SC(sys_ftruncate, U, L),		/* unsigned int fd, off_t length */
	[47] = SC(sys_fallocate, I, I, L, L),	/* int fd, int mode, loff_t offset, loff_t len */
	[48] = SC(sys_faccessat, I, L, I),	/* int dfd, name, int mode */
	[49] = SC(sys_chdir, L),		/* name */
	[50] = SC(sys_fchdir, U),		/* unsigned int fd */
	[52] = SC(sys_fchmod, U, M),		/* unsigned int fd, umode_t mode */
	[53] = SC(sys_fchmodat, I, L, M),	/* int dfd, name, umode_t mode */
	[54] = SC(sys_fchownat, I, L, U, U, I),	/* int dfd, name, uid_t, gid_t, int flag */
	[55] = SC(sys_fchown, U, U, U),		/* unsigned int fd, uid_t, gid_t */
	[56] = SC(sys_openat, I, L, I, M),	/* int dfd, name, int flags, umode_t mode */
	[57] = SC(sys_close, U),		/* unsigned int fd */
	[59] = SC(sys_pipe2, L, I),		/* int *fildes, int flags */
	[61] = SC(sys_getdents64, U, L, U),	/* unsigned int fd, dirent, unsigned int count */
	[62] = SC(sys_lseek, U, L, U),		/* unsigned int fd, off_t offset, unsigned int whence */
	[63] = SC(sys_read, U, L, L),		/* unsigned int fd, buf, size_t count */
	[64] = SC(sys_write, U, L, L),		/* unsigned int fd, buf, size_t count */
	/*
	 * readv, writev: unsigned long fd, vec, unsigned long vlen; but fdget_pos takes an
	 * unsigned int fd and import_iovec an unsigned nr_segs.
	 */
	[65] = SC(sys_readv, U, L, U),
	[66] = SC(sys_writev, U, L, U),
	[67] = SC(sys_pread64, U, L, L, L),	/* unsigned int fd, buf, size_t count, loff_t pos */
	[68] = SC(sys_pwrite64, U, L, L, L),	/* unsigned int fd, buf, size_t count, loff_t pos */
	[69] = SC(sys_preadv, L, L, L, L, L),	/* unsigned long fd, vec, vlen, pos_l, pos_h */
	[70] = SC(sys_pwritev, L, L, L, L, L),	/* unsigned long fd, vec, vlen, pos_l, pos_h */
	[71] = SC(sys_sendfile64, I, I, L, L),	/* int out_fd, int in_fd, loff_t *offset, size_t */
	[72] = SC(sys_pselect6, I, L, L, L, L, L),	/* int n, inp, outp, exp, tsp, sig */
	[73] = SC(sys_ppoll, L, U, L, L, L),	/* ufds, unsigned int nfds, tsp, sigmask, size_t */
	[78] = SC(sys_readlinkat, I, L, L, I),	/* int dfd, name, buf, int bufsiz */
	[79] = SC(sys_newfstatat, I, L, L, I),	/* int dfd, name, statbuf, int flag */
	[80] = SC(sys_fstat, U, L),		/* unsigned int fd, statbuf */
	[81] = SC0(sys_sync),
	[82] = SC(sys_fsync, U),		/* unsigned int fd */
	[83] = SC(sys_fdatasync, U),		/* unsigned int fd */
	[84] = SC(sys_syncfs, I),		/* sync_file_range: int fd, ...: its whole fs */
	[88] = SC(sys_utimensat, I, L, L, I),	/* int dfd, name, utimes, int flags */
	[92] = SC(sys_personality, U),		/* unsigned int persona */
	[93] = SC(sys_exit, I),			/* int error_code */
	[94] = SC(sys_exit_group, I),		/* int error_code */
	[95] = SC(sys_waitid, I, I, L, I, L),	/* int which, pid_t upid, infop, int options, ru */
	[96] = SC(sys_set_tid_address, L),	/* int *tidptr */
	[98] = SC(sys_futex, L, I, U, L, L, U),	/* uaddr, int op, u32 val, utime, uaddr2, u32 val3 */
	[99] = SC(sys_set_robust_list, L, L),	/* head, size_t len */
	[100] = SC(sys_get_robust_list, I, L, L),	/* int pid, head_ptr, size_t *len_ptr */
	[101] = SC(sys_nanosleep, L, L),	/* rqtp, rmtp */
	[102] = SC(sys_getitimer, I, L),	/* int which, value */
	[103] = SC(sys_setitimer, I, L, L),	/* int which, value, ovalue */
	[112] = SC(sys_clock_settime, I, L),	/* clockid_t which_clock, tp */
	[113] = SC(sys_clock_gettime, I, L),	/* clockid_t which_clock, tp */
	[114] = SC(sys_clock_getres, I, L),	/* clockid_t which_clock, tp */
	[115] = SC(sys_clock_nanosleep, I, I, L, L),	/* clockid_t, int flags, rqtp, rmtp */
	[116] = SC(sys_syslog, I, L, I),	/* int type, char *buf, int len */
	[118] = SC(sys_sched_setparam, I, L),	/* pid_t pid, param */
	[119] = SC(sys_sched_setscheduler, I, I, L),	/* pid_t pid, int policy, param */
	[120] = SC(sys_sched_getscheduler, I),	/* pid_t pid */
	[121] = SC(sys_sched_getparam, I, L),	/* pid_t pid, param */
	[122] = SC(sys_sched_setaffinity, I, U, L),	/* pid_t pid, unsigned int len, mask */
	[123] = SC(sys_sched_getaffinity, I, U, L),	/* pid_t pid, unsigned int len, mask */
	[124] = SC0(sys_sched_yield),
	[125] = SC(sys_sched_get_priority_max, I),	/* int policy */
	[126] = SC(sys_sched_get_priority_min, I),	/* int policy */
	[127] = SC(sys_sched_rr_get_interval, I, L),	/* pid_t pid, tp */
	[129] = SC(sys_kill, I, I),		/* pid_t pid, int sig */
	[130] = SC(sys_tkill, I, I),		/* pid_t pid, int sig */
	[131] = SC(sys_tgkill, I, I, I),	/* pid_t tgid, pid_t pid, int sig */
	[132] = SC(sys_sigaltstack, L, L),	/* uss, uoss */
	[133] = SC(sys_rt_sigsuspend, L, L),	/* unewset, size_t sigsetsize */
	[134] = SC(sys_rt_sigaction, I, L, L, L),	/* int sig, act, oact, size_t sigsetsize */
	[135] = SC(sys_rt_sigprocmask, I, L, L, L),	/* int how, nset, oset, size_t sigsetsize */
	[136] = SC(sys_rt_sigpending, L, L),	/* uset, size_t sigsetsize */
	[137] = SC(sys_rt_sigtimedwait, L, L, L, L),	/* uthese, uinfo, uts, size_t sigsetsize */
	[139] = SC0(sys_rt_sigreturn),
	[140] = SC(sys_setpriority, I, I, I),	/* int which, int who, int niceval */
	[141] = SC(sys_getpriority, I, I),	/* int which, int who */
	[142] = SC(sys_reboot, I, I, U, L),	/* int magic1, int magic2, unsigned int cmd, arg */
	[148] = SC(sys_getresuid, L, L, L),	/* ruidp, euidp, suidp */
	[150] = SC(sys_getresuid, L, L, L),	/* getresgid: rgidp, egidp, sgidp */
	[153] = SC(sys_times, L),		/* tbuf */
	[154] = SC(sys_setpgid, I, I),		/* pid_t pid, pid_t pgid */
	[155] = SC(sys_getpgid, I),		/* pid_t pid */
	[156] = SC(sys_getsid, I),		/* pid_t pid */
	[157] = SC0(sys_setsid),
	[158] = SC(sys_getgroups, I, L),	/* int gidsetsize, grouplist */
	[160] = SC(sys_uname, L),		/* name */
	[161] = SC(sys_sethostname, L, I),	/* name, int len */
	[162] = SC(sys_setdomainname, L, I),	/* name, int len */
	[163] = SC(sys_getrlimit, U, L),	/* unsigned int resource, rlim */
	[164] = SC(sys_setrlimit, U, L),	/* unsigned int resource, rlim */
	[165] = SC(sys_getrusage, I, L),	/* int who, ru */
	[166] = SC(sys_umask, I),		/* int mask */
	[167] = SC(sys_prctl, I, L, L, L, L),	/* int option, unsigned long arg2..arg5 */
	[168] = SC(sys_getcpu, L, L, L),	/* cpup, nodep, unused */
	[169] = SC(sys_gettimeofday, L, L),	/* tv, tz */
	[170] = SC(sys_settimeofday, L, L),	/* tv, tz */
	[172] = SC0(sys_getpid),
	[173] = SC0(sys_getppid),
	[174] = SC0(sys_getuid),		/* getuid */
	[175] = SC0(sys_getuid),		/* geteuid */
	[176] = SC0(sys_getuid),		/* getgid */
	[177] = SC0(sys_getuid),		/* getegid */
	[178] = SC0(sys_gettid),
	[179] = SC(sys_sysinfo, L),		/* info */
	[194] = SC(sys_shmget, I, L, I),	/* key_t key, size_t size, int shmflg */
	[195] = SC(sys_shmctl, I, I, L),	/* int shmid, int cmd, struct shmid_ds *buf */
	[196] = SC(sys_shmat, I, L, I),		/* int shmid, char *shmaddr, int shmflg */
	[197] = SC(sys_shmdt, L),		/* char *shmaddr */
	[214] = SC(sys_brk, L),			/* unsigned long brk */
	[215] = SC(sys_munmap, L, L),		/* unsigned long addr, size_t len */
	/* mremap: unsigned long addr, old_len, new_len, flags, new_addr */
	[216] = SC(sys_mremap, L, L, L, L, L),
	/* clone: unsigned long clone_flags, newsp, parent_tid, tls, child_tid; Linux keeps
	 * lower_32_bits(clone_flags) */
	[220] = SC(sys_clone, U, L, L, L, L),
	[221] = SC(sys_execve, L, L, L),	/* filename, argv, envp */
	/* mmap: unsigned long addr, len, prot, flags, fd, off_t offset; fget(unsigned int fd) */
	[222] = SC(sys_mmap, L, L, L, L, U, L),
	[223] = SC(sys_fadvise64, I, L, L, I),	/* int fd, loff_t offset, len, int advice */
	[224] = SC(sys_swapon, L, I),		/* const char *specialfile, int swap_flags */
	[225] = SC(sys_swapoff, L),		/* const char *specialfile */
	[226] = SC(sys_mprotect, L, L, L),	/* unsigned long start, size_t len, unsigned long prot */
	[227] = SC(sys_msync, L, L, I),		/* unsigned long start, size_t len, int flags */
	[228] = SC(sys_mlock, L, L),		/* unsigned long start, size_t len */
	[229] = SC(sys_munlock, L, L),		/* unsigned long start, size_t len */
	[230] = SC(sys_mlockall, I),		/* int flags */
	[231] = SC0(sys_munlockall),
	[233] = SC(sys_madvise, L, L, I),	/* unsigned long start, size_t len, int behavior */
	/* uintptr_t start, uintptr_t end, uintptr_t flags */
	[259] = SC(sys_riscv_flush_icache, L, L, L),
	[260] = SC(sys_wait4, I, L, I, L),	/* pid_t upid, stat_addr, int options, ru */
	[261] = SC(sys_prlimit64, I, U, L, L),	/* pid_t pid, unsigned int resource, new, old */
	/* renameat2: int olddfd, old, int newdfd, new, unsigned int flags */
	[276] = SC(sys_renameat2, I, L, I, L, U),
	[267] = SC(sys_syncfs, I),		/* int fd */
	[278] = SC(sys_getrandom, L, L, U),	/* buf, size_t len, unsigned int flags */
	[279] = SC(sys_memfd_create, L, U),	/* const char *uname, unsigned int flags */
	/* copy_file_range: int fd_in, loff_t *off_in, int fd_out, off_out, size_t len, unsigned */
	[285] = SC(sys_copy_file_range, I, L, I, L, L, U),
	/* preadv2, pwritev2: unsigned long fd, vec, vlen, pos_l, pos_h, rwf_t flags */
	[286] = SC(sys_preadv2, L, L, L, L, L, I),
	[287] = SC(sys_pwritev2, L, L, L, L, L, I),
	[291] = SC(sys_statx, I, L, U, U, L),	/* int dfd, name, unsigned flags, mask, buffer */
	[435] = SC(sys_clone3, L, L),		/* struct clone_args *uargs, size_t size */
	[436] = SC(sys_close_range, U, U, U),	/* unsigned int first, last, flags */
	[439] = SC(sys_faccessat2, I, L, I, I),	/* int dfd, name, int mode, int flags */
};

static uint8_t warned[(NR_SYSCALLS + 1 + 7) / 8];

/* syscall_narrow - @v as Linux's cast to an argument of class @cls gives it. */
static inline ul syscall_narrow(ul v, unsigned cls)
{
	switch (cls) {
	case SC_I:
		return (ul)(long)(int32_t)v;
	case SC_U:
		return (uint32_t)v;
	case SC_M:
		return (uint16_t)v;
	default:
		return v;
	}
}

/*
 * syscall_call_narrowed - call @e's handler with the user's arguments
 * narrowed to their classes.  The trap frame keeps the user's registers
 * as they were: a restarted call sees them again, and Linux too leaves
 * a1-a5 alone.
 */
static long syscall_call_narrowed(const struct syscall_entry *e, const struct trapframe *tf)
{
	ul a[6] = { tf->a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5 };
	unsigned cls = e->args;

	for (int i = 0; cls; i++, cls >>= 2)
		a[i] = syscall_narrow(a[i], cls & 3);
	return e->fn(a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * syscall_dispatch - run the call the user's a7 names and put its result
 * (or -errno) in a0.  Calls with no argument to narrow go straight to
 * the handler: that is the null system call's path.
 */
void syscall_dispatch(struct trapframe *tf)
{
	unsigned long nr = tf->a7;
	long r;

	if (nr < NR_SYSCALLS && table[nr].fn) {
		const struct syscall_entry *e = &table[nr];
		if (likely(!e->args))
			r = e->fn(tf->a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5);
		else
			r = syscall_call_narrowed(e, tf);
		if (nr == 139)
			return;		/* rt_sigreturn restored every register */
	} else {
		/* Log each unknown number once; numbers past the table share one line. */
		unsigned long bit = nr < NR_SYSCALLS ? nr : NR_SYSCALLS;
		if (!(warned[bit / 8] & (1 << (bit % 8)))) {
			warned[bit / 8] |= (uint8_t)(1 << (bit % 8));
			pr_info("%s[%d]: unimplemented system call %lu%s\n", current()->name,
				current()->pid, nr,
				nr < NR_SYSCALLS ? "" : " (larger numbers are not logged again)");
		}
		r = -ENOSYS;
	}
	tf->a0 = (unsigned long)r;
	if (unlikely(current()->fd_npins))
		fd_unpin_all(current());	/* files borrowed from a shared table (fdtable.h) */
}
