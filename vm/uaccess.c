/*
 * uaccess.c - range checks around __uaccess_copy and the atomic user-word
 * routines (arch/riscv/uaccess.S).
 */
#include "uaccess.h"
#include "mm.h"
#include "../arch/riscv/uaccess.h"


int uaccess_ok(unsigned long addr, size_t len)
{
	return addr + len >= addr && addr + len <= USER_TOP;
}

long uaccess_copy_to_user(unsigned long udst, const void *src, size_t n)
{
	if (!uaccess_ok(udst, n))
		return -EFAULT;
	return __uaccess_copy((void *)udst, src, n) ? -EFAULT : 0;
}

long uaccess_copy_from_user(void *dst, unsigned long usrc, size_t n)
{
	if (!uaccess_ok(usrc, n))
		return -EFAULT;
	return __uaccess_copy(dst, (const void *)usrc, n) ? -EFAULT : 0;
}

long uaccess_strncpy_from_user(char *dst, unsigned long usrc, size_t n)
{
	size_t done = 0;

	while (done < n) {
		/* Copy up to the end of the page: the rest of a mapped page is safe to read. */
		size_t chunk = PAGE_SIZE - ((usrc + done) & (PAGE_SIZE - 1));
		if (chunk > n - done)
			chunk = n - done;
		if (uaccess_copy_from_user(dst + done, usrc + done, chunk))
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (dst[done + i] == 0)
				return (long)(done + i);
		done += chunk;
	}
	return -ENAMETOOLONG;
}

long uaccess_put_u32(unsigned long uaddr, uint32_t v)
{
	return uaccess_copy_to_user(uaddr, &v, sizeof(v));
}

long uaccess_put_u64(unsigned long uaddr, uint64_t v)
{
	return uaccess_copy_to_user(uaddr, &v, sizeof(v));
}

long uaccess_get_u64(unsigned long uaddr, uint64_t *v)
{
	return uaccess_copy_from_user(v, uaddr, sizeof(*v));
}

long uaccess_atomic_u32(unsigned long uaddr, enum uaccess_amo op, uint32_t arg, uint32_t *old)
{
	if ((uaddr & 3) || op > UACCESS_AMO_XOR)
		return -EINVAL;
	if (!uaccess_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	return __uaccess_amo32((int)op, (uint32_t *)uaddr, arg, old) ? -EFAULT : 0;
}

long uaccess_cmpxchg_u32(unsigned long uaddr, uint32_t old, uint32_t new, uint32_t *cur)
{
	if (uaddr & 3)
		return -EINVAL;
	if (!uaccess_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	return __uaccess_cmpxchg32((uint32_t *)uaddr, old, new, cur) ? -EFAULT : 0;
}
