/*
 * pagemap.h - an index from page number to frame: the memory of a shared
 * object (shmem.h today, the page cache of writable files later).
 *
 * A radix tree whose nodes are whole frames of 512 slots, as tall as the
 * largest index needs: one node covers 2 MiB of object, two cover 1 GiB.
 * The map holds one reference on every frame in it.  No locking here: the
 * owner of the map serialises calls.
 */
#ifndef HOLSTEIN_PAGEMAP_H
#define HOLSTEIN_PAGEMAP_H

#include "pmm.h"

struct pagemap {
	phys_addr_t root;	/* the top node, 0 while empty */
	int height;		/* levels of nodes; index < 512^height */
};

/* pagemap_lookup - the frame at @index, or 0 if none was stored. */
phys_addr_t pagemap_lookup(const struct pagemap *m, unsigned long index);

/*
 * pagemap_store - put @frame at the empty slot @index, taking over the
 * caller's reference.  0, or -ENOMEM (nothing stored; the caller keeps
 * its reference).
 */
int pagemap_store(struct pagemap *m, unsigned long index, phys_addr_t frame);

/*
 * pagemap_take - remove the frame at @index and hand its reference to the
 * caller: the frame, or 0 if the slot was empty.  Nodes stay until clear.
 */
phys_addr_t pagemap_take(struct pagemap *m, unsigned long index);

/*
 * pagemap_next - the lowest index >= @index whose slot holds a frame: 1 with
 * it in *@found, or 0 if there is none.  Skips empty subtrees whole.
 */
int pagemap_next(const struct pagemap *m, unsigned long index, unsigned long *found);

/* pagemap_clear - drop every frame's reference and free the nodes: the map is empty again. */
void pagemap_clear(struct pagemap *m);

#endif
