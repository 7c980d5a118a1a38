/*
 * sigtramp.S - the rt_sigreturn trampoline.  Not run here: vm/sigpage.c
 * copies the bytes between sigtramp_start and sigtramp_end into the signal
 * page, which every process maps at USER_SIGPAGE; a signal handler's
 * return address points there.
 */
	.section .rodata
	.balign 4
	.option push
	.option norvc			/* the same two 32-bit instructions on any core */
	.globl sigtramp_start
sigtramp_start:
	li	a7, 139			/* __NR_rt_sigreturn */
	ecall
	.globl sigtramp_end
sigtramp_end:
	.option pop
