/*
 * ext4_mem.h - where the ext4 library's buffers come from.
 *
 * The library needs buffers of a block (bitmaps) or of a whole descriptor
 * table, which on a 64 KiB-block or a large file system are bigger than
 * kmalloc's page.  Every such allocation goes through these two calls so
 * that the kernel can change where big buffers come from in one place;
 * the host tests (-DHOST_TEST) map them to malloc/free, under ASan.
 *
 * Kernel: up to a page is kmalloc's; above that there is no contiguous
 * allocator yet, so ext4_alloc_mem returns NULL and the caller fails with
 * -ENOMEM (a file system whose block is larger than a page is refused,
 * as Linux 6.1 refuses it).
 */
#ifndef HOLSTEIN_EXT4_MEM_H
#define HOLSTEIN_EXT4_MEM_H

#include <stddef.h>

#ifdef HOST_TEST
#include <stdlib.h>

static inline void *ext4_alloc_mem(size_t size)
{
	return malloc(size ? size : 1);
}

static inline void ext4_free_mem(void *p)
{
	free(p);
}
#else
#include "../vm/kmalloc.h"

static inline void *ext4_alloc_mem(size_t size)
{
	return kmalloc(size);
}

static inline void ext4_free_mem(void *p)
{
	kfree(p);
}
#endif

#endif
