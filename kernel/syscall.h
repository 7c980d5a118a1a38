/*
 * syscall.h - the Linux riscv64 system call ABI: number in a7, arguments in
 * a0-a5, result (or -errno) in a0.  A handler gets its arguments already
 * narrowed as Linux 6.1 declares them: an int only its low 32 bits,
 * sign-extended, an unsigned int or umode_t zero-extended (the table in
 * syscall.c says which is which, per system call number).
 */
#ifndef HOLSTEIN_SYSCALL_H
#define HOLSTEIN_SYSCALL_H

struct trapframe;

void syscall_dispatch(struct trapframe *tf);

typedef unsigned long ul;
#define SYSCALL(name) long sys_##name(ul a0, ul a1, ul a2, ul a3, ul a4, ul a5)
#define SYSCALL_DECL(name) SYSCALL(name)

/* Files (fs/: open.c, read_write.c, stat.c, readdir.c, fcntl.c, pipe.c) */
SYSCALL_DECL(read); SYSCALL_DECL(write); SYSCALL_DECL(readv); SYSCALL_DECL(writev);
SYSCALL_DECL(pread64); SYSCALL_DECL(openat); SYSCALL_DECL(close); SYSCALL_DECL(lseek);
SYSCALL_DECL(newfstatat); SYSCALL_DECL(fstat); SYSCALL_DECL(getdents64); SYSCALL_DECL(pipe2);
SYSCALL_DECL(dup); SYSCALL_DECL(dup3); SYSCALL_DECL(fcntl); SYSCALL_DECL(ioctl);
SYSCALL_DECL(readlinkat); SYSCALL_DECL(chdir); SYSCALL_DECL(getcwd); SYSCALL_DECL(faccessat);
SYSCALL_DECL(statx); SYSCALL_DECL(pwrite64); SYSCALL_DECL(preadv); SYSCALL_DECL(pwritev);
SYSCALL_DECL(preadv2); SYSCALL_DECL(pwritev2); SYSCALL_DECL(fchdir); SYSCALL_DECL(faccessat2);
SYSCALL_DECL(statfs); SYSCALL_DECL(fstatfs);
/* Names and attributes (fs/namei_sys.c, attr.c, mount.c) */
SYSCALL_DECL(mkdirat); SYSCALL_DECL(mknodat); SYSCALL_DECL(symlinkat); SYSCALL_DECL(unlinkat);
SYSCALL_DECL(fchmodat); SYSCALL_DECL(fchownat); SYSCALL_DECL(truncate); SYSCALL_DECL(renameat2);
SYSCALL_DECL(linkat); SYSCALL_DECL(utimensat); SYSCALL_DECL(fchmod); SYSCALL_DECL(fchown);
SYSCALL_DECL(ftruncate); SYSCALL_DECL(fallocate); SYSCALL_DECL(fsync); SYSCALL_DECL(fdatasync); SYSCALL_DECL(sync);
SYSCALL_DECL(syncfs); SYSCALL_DECL(flock); SYSCALL_DECL(sendfile64); SYSCALL_DECL(copy_file_range);
SYSCALL_DECL(mount); SYSCALL_DECL(umount2);
SYSCALL_DECL(swapon); SYSCALL_DECL(swapoff);	/* fs/swapon.c */
SYSCALL_DECL(memfd_create);	/* fs/memfd.c */
/* Processes (sys_proc.c) */
SYSCALL_DECL(clone); SYSCALL_DECL(execve); SYSCALL_DECL(wait4); SYSCALL_DECL(waitid); SYSCALL_DECL(exit);
SYSCALL_DECL(exit_group); SYSCALL_DECL(getpid); SYSCALL_DECL(getppid); SYSCALL_DECL(gettid);
SYSCALL_DECL(kill); SYSCALL_DECL(tkill); SYSCALL_DECL(tgkill); SYSCALL_DECL(setpgid);
SYSCALL_DECL(getpgid); SYSCALL_DECL(getsid); SYSCALL_DECL(setsid); SYSCALL_DECL(set_tid_address);
SYSCALL_DECL(set_robust_list); SYSCALL_DECL(prlimit64); SYSCALL_DECL(getrlimit); SYSCALL_DECL(setrlimit); SYSCALL_DECL(rt_sigaction);
SYSCALL_DECL(rt_sigprocmask); SYSCALL_DECL(rt_sigreturn); SYSCALL_DECL(rt_sigpending); SYSCALL_DECL(rt_sigsuspend);
SYSCALL_DECL(sched_yield); SYSCALL_DECL(getcpu);
SYSCALL_DECL(prctl); SYSCALL_DECL(getpriority); SYSCALL_DECL(setpriority);
SYSCALL_DECL(rt_sigtimedwait); SYSCALL_DECL(getrusage); SYSCALL_DECL(sigaltstack);
/* Threads (sys_thread.c) */
SYSCALL_DECL(clone3); SYSCALL_DECL(get_robust_list); SYSCALL_DECL(sched_getaffinity);
SYSCALL_DECL(sched_setaffinity);
/* Memory (sys_mem.c) */
SYSCALL_DECL(brk); SYSCALL_DECL(mmap); SYSCALL_DECL(munmap); SYSCALL_DECL(mprotect);
SYSCALL_DECL(madvise); SYSCALL_DECL(msync); SYSCALL_DECL(mlock); SYSCALL_DECL(munlock); SYSCALL_DECL(mlockall);
SYSCALL_DECL(munlockall); SYSCALL_DECL(mremap);
/* SysV shared memory (sysv_shm.c, sysv_shmat.c) */
SYSCALL_DECL(shmget); SYSCALL_DECL(shmctl); SYSCALL_DECL(shmat); SYSCALL_DECL(shmdt);
/* Misc (sys_misc.c) */
SYSCALL_DECL(uname); SYSCALL_DECL(getuid); SYSCALL_DECL(getgroups); SYSCALL_DECL(getresuid); SYSCALL_DECL(umask); SYSCALL_DECL(sysinfo);
SYSCALL_DECL(reboot); SYSCALL_DECL(syslog); SYSCALL_DECL(getrandom); SYSCALL_DECL(clock_gettime);
SYSCALL_DECL(clock_getres); SYSCALL_DECL(gettimeofday); SYSCALL_DECL(nanosleep);
/* sys_time.c; sys_mem.c: riscv_flush_icache */
SYSCALL_DECL(clock_settime); SYSCALL_DECL(settimeofday); SYSCALL_DECL(riscv_flush_icache);
SYSCALL_DECL(clock_nanosleep); SYSCALL_DECL(times); SYSCALL_DECL(futex);
/* Waiting on files (fs/poll.c, fs/epoll.c), eventfd (fs/eventfd.c) */
SYSCALL_DECL(ppoll); SYSCALL_DECL(pselect6);
SYSCALL_DECL(epoll_create1); SYSCALL_DECL(epoll_ctl); SYSCALL_DECL(epoll_pwait);
SYSCALL_DECL(eventfd2);
/* Interval timers (itimer.c) */
SYSCALL_DECL(getitimer); SYSCALL_DECL(setitimer);

/* kernel/sys_sched.c, sys_misc.c, fs/attr.c, fs/fdtable.c */
SYSCALL_DECL(sched_setparam); SYSCALL_DECL(sched_setscheduler); SYSCALL_DECL(sched_getscheduler);
SYSCALL_DECL(sched_getparam); SYSCALL_DECL(sched_get_priority_max);
SYSCALL_DECL(sched_get_priority_min); SYSCALL_DECL(sched_rr_get_interval);
SYSCALL_DECL(sethostname); SYSCALL_DECL(setdomainname); SYSCALL_DECL(personality);
SYSCALL_DECL(fadvise64); SYSCALL_DECL(close_range);

#endif
