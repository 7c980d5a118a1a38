/*
 * sigpage.h - the signal page: one frame holding the rt_sigreturn
 * trampoline (arch/riscv/sigtramp.S), mapped read-only and executable at
 * USER_SIGPAGE in every process.  A signal handler returns into it.
 */
#ifndef HOLSTEIN_SIGPAGE_H
#define HOLSTEIN_SIGPAGE_H

#include "pmm.h"

extern phys_addr_t sigpage_frame;

/* sigpage_init - allocate the signal page and copy the trampoline in, at boot; panics when out of memory. */
void sigpage_init(void);

#endif
