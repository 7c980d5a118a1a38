/*
 * phys.h - how vm/ reaches a physical frame: through the direct map in the
 * kernel, through a plain offset into a test arena on the host.
 */
#ifndef HOLSTEIN_PHYS_H
#define HOLSTEIN_PHYS_H

#include <stdint.h>

#ifdef HOST_TEST
extern uintptr_t host_phys_offset;
#define phys_to_virt(pa)	((void *)((uintptr_t)(pa) + host_phys_offset))
#define virt_to_phys(va)	((uint64_t)((uintptr_t)(va) - host_phys_offset))
#else
#include "../arch/riscv/layout.h"
#define phys_to_virt(pa)	pa_to_va(pa)
#define virt_to_phys(va)	va_to_pa(va)
#endif

#endif
