/* uaccess.h - the routines that touch user memory (uaccess.S). */
#ifndef HOLSTEIN_ARCH_UACCESS_H
#define HOLSTEIN_ARCH_UACCESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * __uaccess_copy - copy @n bytes where either side may be a user address,
 * with the SUM window open.  Returns the number of bytes NOT copied: 0 on
 * success; after a fault vm_fault could not resolve, at least the rest.
 */
size_t __uaccess_copy(void *dst, const void *src, size_t n);

/*
 * __uaccess_amo32 - one atomic op on the aligned user word @uaddr (0 set,
 * 1 add, 2 or, 3 and-not, 4 xor @arg); *@old gets the word before.  0, or
 * 1 on an unresolved fault.
 */
int __uaccess_amo32(int op, uint32_t *uaddr, uint32_t arg, uint32_t *old);
/*
 * __uaccess_cmpxchg32 - replace the aligned user word @uaddr by @new if it
 * holds @old; *@cur gets what it held.  0, or 1 on an unresolved fault.
 */
int __uaccess_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *cur);

#endif
