/* uaccess.h - the one routine that touches user memory (uaccess.S). */
#ifndef HOLSTEIN_ARCH_UACCESS_H
#define HOLSTEIN_ARCH_UACCESS_H

#include <stddef.h>

/*
 * __uaccess_copy - copy @n bytes where either side may be a user address,
 * with the SUM window open.  Returns the number of bytes NOT copied: 0 on
 * success; after a fault vm_fault could not resolve, at least the rest.
 */
size_t __uaccess_copy(void *dst, const void *src, size_t n);

#endif
