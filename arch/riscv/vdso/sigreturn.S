/*
 * sigreturn.S - __vdso_rt_sigreturn: where a signal handler returns
 * (kernel/signal.c puts its address in the handler's ra).  Exactly these
 * two 32-bit instructions: unwinders (libgcc, gdb) recognise a signal
 * frame by them.
 */
	.text
	.balign 4
	.option push
	.option norvc
	.globl __vdso_rt_sigreturn
	.type __vdso_rt_sigreturn, @function
__vdso_rt_sigreturn:
	li	a7, 139			/* __NR_rt_sigreturn */
	ecall
	.size __vdso_rt_sigreturn, . - __vdso_rt_sigreturn
	.option pop

/* The "Linux" note: the kernel version the vDSO stands for (6.1.0, uname -r's). */
	.section .note.Linux, "a", @note
	.balign 4
	.4byte 2f - 1f			/* namesz */
	.4byte 4f - 3f			/* descsz */
	.4byte 0			/* type */
1:	.asciz "Linux"
2:	.balign 4
3:	.4byte 0x060100			/* LINUX_VERSION_CODE of 6.1.0 */
4:	.balign 4
