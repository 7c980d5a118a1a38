/*
 * uaccess.h - checked copies between kernel and user memory.
 *
 * Every user pointer a syscall receives goes through these.  The range must
 * lie in the user half; a fault during the copy is first offered to
 * vm_fault (demand paging, COW) and, if that fails, returns -EFAULT.  A
 * write into a shared COW page therefore always gets a private copy first.
 */
#ifndef HOLSTEIN_UACCESS_H
#define HOLSTEIN_UACCESS_H

#include <stddef.h>
#include <stdint.h>

/* uaccess_ok - does [addr, addr+len) lie in the user half (len 0 is fine)? */
int uaccess_ok(unsigned long addr, size_t len);
/* 0 or -EFAULT. */
long uaccess_copy_to_user(unsigned long udst, const void *src, size_t n);
long uaccess_copy_from_user(void *dst, unsigned long usrc, size_t n);
/* uaccess_strncpy_from_user - length of the string copied (NUL included in @dst), -EFAULT, or -ENAMETOOLONG. */
long uaccess_strncpy_from_user(char *dst, unsigned long usrc, size_t n);
long uaccess_put_u32(unsigned long uaddr, uint32_t v);
long uaccess_put_u64(unsigned long uaddr, uint64_t v);
long uaccess_get_u64(unsigned long uaddr, uint64_t *v);

#endif
