/* page.h - whole-page copy and clear (arch/riscv/page.S). */
#ifndef HOLSTEIN_PAGE_H
#define HOLSTEIN_PAGE_H

#ifdef HOST_TEST
#include <string.h>
static inline void page_copy(void *dst, const void *src) { memcpy(dst, src, 4096); }
static inline void page_zero(void *dst) { memset(dst, 0, 4096); }
#else
void page_copy(void *dst, const void *src);
void page_zero(void *dst);
#endif

#endif
