/*
 * kstack.h - kernel stacks: KSTACK_SIZE each, in the kernel table's stack
 * area (arch/riscv/layout.h), each above an unmapped guard page so that an
 * overflow faults instead of corrupting a neighbour (kstack.c).
 */
#ifndef HOLSTEIN_KSTACK_H
#define HOLSTEIN_KSTACK_H

#define KSTACK_NSLOTS	1024	/* NPROC processes + 2 per hart, with room */

/*
 * kstack_alloc - a KSTACK_SIZE kernel stack with an unmapped guard below;
 * returns its lowest address, or 0 when out of memory or slots.
 */
unsigned long kstack_alloc(void);
/* kstack_free - unmap and free the stack kstack_alloc returned as @bottom. */
void kstack_free(unsigned long bottom);

#endif
