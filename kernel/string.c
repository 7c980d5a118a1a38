/*
 * string.c - freestanding memory and string routines (see string.h).
 *
 * The compiler may turn a byte loop that looks like memcpy/memset into a
 * call to memcpy/memset, which here would recurse into itself; the optimize
 * attribute below switches that pattern recognition off for this file.
 */
#include <stdint.h>
#include "string.h"

#define STRING_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word that may alias any object: memcpy/memset see every type there is. */
typedef uint64_t __attribute__((may_alias)) string_word;

/*
 * memcpy - copy @n bytes from @src to @dst (must not overlap); returns @dst.
 * Copies 8 bytes at a time when both pointers are 8-aligned, since page
 * copies dominate, and byte by byte otherwise (no misaligned accesses).
 */
STRING_NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(string_word *)d = *(const string_word *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/*
 * memmove - copy @n bytes from @src to @dst, which may overlap; returns
 * @dst.  Copies backwards when @dst lies above @src so no source byte is
 * overwritten before it is read.
 */
STRING_NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	/* d below s (wraps to a huge difference) or past the source: forward is safe */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/*
 * memset - set @n bytes at @dst to (unsigned char)@c; returns @dst.
 * 8 bytes at a time when @dst is 8-aligned (page clearing), else bytewise.
 */
STRING_NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = (unsigned char)c;

	if (((uintptr_t)d & 7) == 0) {
		v *= 0x0101010101010101ull;
		for (; n >= 8; n -= 8, d += 8)
			*(string_word *)d = v;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* memcmp - compare @n bytes as unsigned chars: <0, 0 or >0 like the C library. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/* strlen - length of the NUL-terminated string @s. */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/* strnlen - length of @s, but never reads more than @max bytes (returns @max then). */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* strcmp - compare two NUL-terminated strings as unsigned chars. */
int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

/* strncmp - compare at most @n chars of @a and @b, stopping after a NUL. */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

/* strchr - first occurrence of (char)@c in @s (the NUL itself if c is 0), or NULL. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/*
 * strlcpy - copy @src into @dst of @size bytes, truncating to size-1 and
 * always NUL-terminating when @size > 0.  Returns strlen(@src), so callers
 * detect truncation by a result >= @size.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src), n;

	if (size) {
		n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
