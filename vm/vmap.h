/*
 * vmap.h - kernel buffers larger than a page (up to VMAP_SLOT_PAGES pages:
 * 2 MiB, the blocks of a directory of some 80,000 names), virtually
 * contiguous, built from single frames: pmm hands out frames one
 * at a time and kmalloc stops at 4 KiB, but a file system wants a whole
 * directory or a descriptor table in one piece.
 */
#ifndef HOLSTEIN_VMAP_H
#define HOLSTEIN_VMAP_H

#include <stddef.h>

/*
 * vmap_alloc - a buffer of @bytes (rounded up to pages, at most
 * VMAP_SLOT_PAGES of them), zeroed, or NULL when out of memory, out of
 * slots, or too big.  May be called with spinlocks held; never sleeps.
 */
void *vmap_alloc(size_t bytes);
/*
 * vmap_free - give back a buffer of vmap_alloc (NULL is fine).  Every hart
 * forgets the translations before the frames go back to pmm (a remote
 * fence, which the firmware serves in M-mode: spinlocks may be held).
 */
void vmap_free(void *p);
/* vmap_owns - was @p returned by vmap_alloc (so kvfree-style callers can tell)? */
int vmap_owns(const void *p);

#endif
