/* trap.h - trap set-up and the hooks trap.c calls into. */
#ifndef HOLSTEIN_TRAP_H
#define HOLSTEIN_TRAP_H

struct trapframe;

void trap_init_hart(void);
void kernel_trap(struct trapframe *tf);
void user_trap(struct trapframe *tf);
void trap_return(void);

/* Provided by kernel/: */
void user_fault_signal(struct trapframe *tf, int sig, const char *what);
void oom_kill(unsigned long addr);
void oom_kill_later(unsigned long addr);
void user_return(struct trapframe *tf);

#endif
