/*
 * kmalloc.h - small kernel objects.  Sizes up to 2 KiB come from
 * power-of-two slabs; larger requests (up to one page) get a whole frame.
 * Empty slab pages go straight back to pmm so MemFree returns to its
 * baseline once the objects are gone.
 */
#ifndef HOLSTEIN_KMALLOC_H
#define HOLSTEIN_KMALLOC_H

#include <stddef.h>

void *kmalloc(size_t size);	/* NULL when out of memory or size > 4096 */
void *kzalloc(size_t size);
void kfree(void *p);		/* NULL is fine */
unsigned long kmalloc_objects(void);	/* live objects, for leak accounting */
unsigned long kmalloc_pages(void);	/* frames they occupy */

#endif
