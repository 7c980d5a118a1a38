/* early.h - the early Sv39 table head.S builds before the MMU is on (early.c). */
#ifndef HOLSTEIN_EARLY_H
#define HOLSTEIN_EARLY_H

/*
 * early_setup - called by head.S with the MMU off: build the early table
 * for an image loaded at physical @load_pa; returns the satp value to load.
 */
unsigned long early_setup(unsigned long load_pa);

/* kernel_load_pa - the physical address the image was loaded at (set by early_setup). */
extern unsigned long kernel_load_pa;

#endif
