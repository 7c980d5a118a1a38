/*
 * page.h - the hardware page: its size, the type of a physical address,
 * and whole-page copy and clear (arch/riscv/page.S).
 */
#ifndef HOLSTEIN_PAGE_H
#define HOLSTEIN_PAGE_H

#include <stdint.h>

typedef uint64_t phys_addr_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#ifdef HOST_TEST
#include <string.h>
static inline void page_copy(void *dst, const void *src) { memcpy(dst, src, PAGE_SIZE); }
static inline void page_zero(void *dst) { memset(dst, 0, PAGE_SIZE); }
#else
void page_copy(void *dst, const void *src);
void page_zero(void *dst);
#endif

#endif
