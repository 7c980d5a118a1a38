/*
 * ext4_mem.h - where the ext4 library's buffers come from.
 *
 * The library needs buffers of a block (bitmaps) or of a whole descriptor
 * table, which on a 64 KiB-block or a large file system are bigger than
 * kmalloc's page.  Every such allocation goes through these two calls so
 * that the kernel can change where big buffers come from in one place;
 * the host tests (-DHOST_TEST) map them to malloc/free, under ASan.
 *
 * Kernel: up to a page is kmalloc's; above that (a descriptor table of
 * more than 64 groups, the group array of more than 56, a long extent
 * list), vm/vmap.h's virtually contiguous buffers.
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
#include "../vm/vmap.h"

static inline void *ext4_alloc_mem(size_t size)
{
	if (size > 4096)
		return vmap_alloc(size);
	return kmalloc(size);
}

static inline void ext4_free_mem(void *p)
{
	if (p && vmap_owns(p)) {
		vmap_free(p);
		return;
	}
	kfree(p);
}
#endif

#endif
