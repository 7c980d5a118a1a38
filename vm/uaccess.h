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

/* The atomic operations of uaccess_atomic_u32 (futex's FUTEX_OP_* numbers). */
enum uaccess_amo { UACCESS_AMO_SET, UACCESS_AMO_ADD, UACCESS_AMO_OR, UACCESS_AMO_ANDN,
		   UACCESS_AMO_XOR };
/*
 * uaccess_atomic_u32 - apply @op with @arg to the u32 at @uaddr in one
 * atomic step (no other hart's access falls between read and write); *@old
 * gets the value before.  0, -EINVAL (misaligned, unknown op) or -EFAULT.
 */
long uaccess_atomic_u32(unsigned long uaddr, enum uaccess_amo op, uint32_t arg, uint32_t *old);
/*
 * uaccess_cmpxchg_u32 - atomically store @new in the u32 at @uaddr if it
 * holds @old; *@cur gets the value it held (== @old iff stored).
 * 0, -EINVAL (misaligned) or -EFAULT.
 */
long uaccess_cmpxchg_u32(unsigned long uaddr, uint32_t old, uint32_t new, uint32_t *cur);

#endif
