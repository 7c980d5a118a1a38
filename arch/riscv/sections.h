/*
 * sections.h - symbols the linker script (kernel.ld) and the assembly
 * files define: where the image's parts begin and end, the boot stack,
 * the trap vector.  Declared once here, for C.
 */
#ifndef HOLSTEIN_SECTIONS_H
#define HOLSTEIN_SECTIONS_H

/* kernel.ld: the image, its text, read-only data and data. */
extern char _start[], _etext[], _rodata[], _erodata[], _data[], _end[];
/* head.S: the boot hart's stack, above an unmapped guard page. */
extern char boot_stack_guard[], boot_stack_bottom[];
/* entry.S: where every trap enters (stvec). */
void trap_vector(void);

#endif
