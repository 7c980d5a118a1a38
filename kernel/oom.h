/*
 * oom.h - what happens to a process whose page fault found no free frame:
 * it is killed (SIGKILL), logged and counted in /proc/vmstat's oom_kill.
 */
#ifndef HOLSTEIN_OOM_H
#define HOLSTEIN_OOM_H

/* oom_kill - the current process's user-mode fault at @addr found no frame: it dies now. */
void oom_kill(unsigned long addr) __attribute__((noreturn));

/*
 * oom_kill_later - the same for a fault inside a user-access routine,
 * which has no user frame to end: post SIGKILL; the copy returns -EFAULT
 * and the process dies on its way back to user mode, before it sees that.
 */
void oom_kill_later(unsigned long addr);

#endif
