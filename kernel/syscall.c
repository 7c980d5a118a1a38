/*
 * syscall.c - the system call table.  Numbers are the Linux asm-generic
 * ones riscv64 uses; anything missing returns -ENOSYS and is logged once.
 */
#include "kernel.h"
#include "proc.h"
#include "syscall.h"
#include "../arch/riscv/trapframe.h"

typedef long (*syscall_fn)(ul, ul, ul, ul, ul, ul);

#define NR_SYSCALLS 300

static const syscall_fn table[NR_SYSCALLS] = {
	[17] = sys_getcwd,
	[23] = sys_dup,
	[24] = sys_dup3,
	[25] = sys_fcntl,
	[29] = sys_ioctl,
	[33] = sys_mknodat,
	[34] = sys_mkdirat,
	[35] = sys_unlinkat,
	[36] = sys_symlinkat,
	[37] = sys_renameat2,	/* linkat: the same checks */
	[38] = sys_renameat2,	/* renameat */
	[45] = sys_truncate,
	[46] = sys_ftruncate,
	[48] = sys_faccessat,
	[49] = sys_chdir,
	[52] = sys_fchmod,
	[53] = sys_fchmodat,
	[54] = sys_fchownat,
	[55] = sys_fchmod,	/* fchown */
	[56] = sys_openat,
	[57] = sys_close,
	[59] = sys_pipe2,
	[61] = sys_getdents64,
	[62] = sys_lseek,
	[63] = sys_read,
	[64] = sys_write,
	[65] = sys_readv,
	[66] = sys_writev,
	[67] = sys_pread64,
	[72] = sys_pselect6,
	[73] = sys_ppoll,
	[78] = sys_readlinkat,
	[79] = sys_newfstatat,
	[80] = sys_fstat,
	[81] = sys_sync,
	[82] = sys_fsync,
	[83] = sys_fsync,	/* fdatasync */
	[88] = sys_utimensat,
	[93] = sys_exit,
	[94] = sys_exit_group,
	[95] = sys_waitid,
	[96] = sys_set_tid_address,
	[98] = sys_futex,
	[99] = sys_set_robust_list,
	[101] = sys_nanosleep,
	[102] = sys_getitimer,
	[103] = sys_setitimer,
	[113] = sys_clock_gettime,
	[114] = sys_clock_getres,
	[115] = sys_clock_nanosleep,
	[123] = sys_sched_getaffinity,
	[124] = sys_sched_yield,
	[129] = sys_kill,
	[130] = sys_tkill,
	[131] = sys_tgkill,
	[132] = sys_sigaltstack,
	[133] = sys_rt_sigsuspend,
	[134] = sys_rt_sigaction,
	[135] = sys_rt_sigprocmask,
	[136] = sys_rt_sigpending,
	[137] = sys_rt_sigtimedwait,
	[139] = sys_rt_sigreturn,
	[140] = sys_setpriority,
	[141] = sys_getpriority,
	[142] = sys_reboot,
	[148] = sys_getresuid,
	[150] = sys_getresuid,	/* getresgid */
	[153] = sys_times,
	[154] = sys_setpgid,
	[155] = sys_getpgid,
	[156] = sys_getsid,
	[157] = sys_setsid,
	[158] = sys_getgroups,
	[160] = sys_uname,
	[165] = sys_getrusage,
	[166] = sys_umask,
	[167] = sys_prctl,
	[168] = sys_getcpu,
	[169] = sys_gettimeofday,
	[172] = sys_getpid,
	[173] = sys_getppid,
	[174] = sys_getuid,	/* getuid */
	[175] = sys_getuid,	/* geteuid */
	[176] = sys_getuid,	/* getgid */
	[177] = sys_getuid,	/* getegid */
	[178] = sys_gettid,
	[179] = sys_sysinfo,
	[214] = sys_brk,
	[215] = sys_munmap,
	[220] = sys_clone,
	[221] = sys_execve,
	[222] = sys_mmap,
	[226] = sys_mprotect,
	[227] = sys_msync,
	[228] = sys_mlock,
	[229] = sys_mlock,	/* munlock: the same checks */
	[230] = sys_mlockall,
	[231] = sys_munlockall,
	[233] = sys_madvise,
	[260] = sys_wait4,
	[261] = sys_prlimit64,
	[276] = sys_renameat2,
	[278] = sys_getrandom,
	[291] = sys_statx,
};

static uint8_t warned[(NR_SYSCALLS + 1 + 7) / 8];

void syscall_dispatch(struct trapframe *tf)
{
	unsigned long nr = tf->a7;
	long r;

	if (nr < NR_SYSCALLS && table[nr]) {
		r = table[nr](tf->a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5);
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
}
