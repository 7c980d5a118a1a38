/* exec.h - replace a process's program. */
#ifndef HOLSTEIN_EXEC_H
#define HOLSTEIN_EXEC_H

struct proc;

/* exec_kernel - run @path with kernel-space @argv (for init). 0 or -errno. */
int exec_kernel(struct proc *p, const char *path, char *const argv[]);
/* sys_execve - execve(2): on success it does not return to the old program. */
long exec_user(unsigned long upath, unsigned long uargv, unsigned long uenvp);

#endif
