/*
 * zero.c - the zero frame (see zero.h).
 */
#include "zero.h"
#include "../kernel/kernel.h"

phys_addr_t zero_frame;

void zero_frame_init(void)
{
	zero_frame = pmm_alloc_zeroed();
	if (!zero_frame)
		panic("zero_frame_init: out of memory");
}
