/*
 * zero.h - the zero frame: one page of zeros, shared by every read of
 * anonymous memory that was never written.  Mapped read-only (PTE_COW when
 * the area is writable): the first store gets a fresh frame (cow_zero).
 * Never freed: it holds a permanent reference of its own.
 */
#ifndef HOLSTEIN_ZERO_H
#define HOLSTEIN_ZERO_H

#include "pmm.h"

extern phys_addr_t zero_frame;

/* zero_frame_init - allocate the zero frame, at boot; panics when out of memory. */
void zero_frame_init(void);

#endif
