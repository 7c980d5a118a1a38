/*
 * shmem.h - memory objects: the page cache of a tmpfs file, and the object
 * behind shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, /dev/zero,
 * SysV segments).  Linux's tmpfs is "shmem" for the same reason: a file
 * that lives only in memory and shared memory are one thing.
 *
 * The object, not any page table, owns the memory: an index (pagemap.h)
 * from page number to frame, each frame with one reference held by the
 * index.  Every mapper of page N maps that same frame (with a reference of
 * its own per PTE): MAP_SHARED writable (PTE_SHARED), MAP_PRIVATE
 * copy-on-write (vm/fault.c).  read() and write() copy to and from the
 * same frames (fs/), so a store through a shared mapping is seen by read()
 * and a write() by every mapping of a page nobody has copied.
 *
 * Invariant: bytes of the page holding the end of the object, past that
 * end, are zero; a page wholly past the end is never in the index.  So a
 * hole or a grown tail reads as zeros everywhere.
 *
 * Lock order: a fault holds the faulting mm's lock, then takes the
 * object's lock to find or make the frame.  The object's lock is never
 * held while taking an mm's (shmem_set_size zaps mappings after dropping it).
 */
#ifndef HOLSTEIN_SHMEM_H
#define HOLSTEIN_SHMEM_H

#include "pmm.h"

struct shmem;

/*
 * A size limit shared by the objects of one tmpfs mount: pages in use and
 * the most there may be.  A new page past the limit is ENOSPC (a SIGBUS at
 * a fault), never an OOM kill.
 */
struct shmem_quota {
	unsigned long used, max;	/* pages; used changes atomically */
};

/* The largest object: offsets are signed 64-bit, as Linux's MAX_LFS_FILESIZE. */
#define SHMEM_MAX_SIZE	0x7fffffffffffffffULL

/* shmem_create - a zero-filled object of @pages pages, one reference; NULL if out of memory. */
struct shmem *shmem_create(unsigned long pages);
/* shmem_create_file - an empty object (size 0) whose pages count against @q (may be NULL). */
struct shmem *shmem_create_file(struct shmem_quota *q);
/* shmem_get/shmem_put - take or drop a reference; the last put frees every frame. */
void shmem_get(struct shmem *s);
void shmem_put(struct shmem *s);

/* shmem_size - the object's size in bytes now. */
uint64_t shmem_size(struct shmem *s);

/*
 * shmem_users - the references held on @s now: one per VMA that maps it,
 * plus any its owner keeps.  SysV's shm_nattch is this, less the segment
 * table's own (kernel/sysv_shm.c).
 */
unsigned long shmem_users(struct shmem *s);
/*
 * shmem_on_idle - from now on, whenever shmem_put leaves @s with one
 * reference (its owner's: nothing maps it any more), it calls @fn(@s),
 * which may drop that last reference itself.  Called with whatever locks
 * the putter holds (an mm's lock when munmap drops the last VMA), and
 * after the putter's reference is gone: @s may already be freed by its
 * owner, so @fn may compare @s but only dereference it once it knows @s
 * is still its own.  For SysV segments, which IPC_RMID destroys only at
 * their last detach.
 */
void shmem_on_idle(struct shmem *s, void (*fn)(struct shmem *s));

/*
 * shmem_frame - the frame holding page @index of @s, allocated (zeroed) on
 * first use, with one new reference for the caller: the fault path's call.
 * 0 with *sigbus set when @index lies wholly past the end or the quota is
 * full; 0 without it when out of memory.
 */
phys_addr_t shmem_frame(struct shmem *s, unsigned long index, int *sigbus);

/*
 * shmem_page - page @index for read() or write(), with a reference for the
 * caller.  With @alloc a missing page is made (zeroed) whatever the size,
 * as a write past the end needs; without it a hole is 0.  *@err: 0,
 * -ENOSPC (quota) or -ENOMEM.
 */
phys_addr_t shmem_page(struct shmem *s, unsigned long index, int alloc, int *err);

/* shmem_lookup - the frame at @index or 0, no reference taken (a peek under a caller's lock). */
phys_addr_t shmem_lookup(struct shmem *s, unsigned long index);

/*
 * shmem_set_size - make the object @size bytes: growing adds zeros (holes),
 * shrinking frees the pages past the end, zeroes the tail of the last one
 * and takes every mapping of the freed pages away (mm_zap_object), so a
 * later touch there is SIGBUS.  0, or -EFBIG past SHMEM_MAX_SIZE.
 */
int shmem_set_size(struct shmem *s, uint64_t size);
/* shmem_extend - grow the size to at least @size (a write that ended there). */
void shmem_extend(struct shmem *s, uint64_t size);

/*
 * shmem_seek - SEEK_DATA (@want_data) or SEEK_HOLE: the first offset >= @off
 * in a page that is held, or in one that is not (the end counts as a hole).
 * -1 when there is none before the end.
 */
int64_t shmem_seek(struct shmem *s, uint64_t off, int want_data);

/*
 * shmem_drop - give back every frame of @s but keep its size: the page
 * cache of a file the disk can fill again (fs/ext4_pcache.c).  Only for
 * an object nobody maps (shmem_mapcount 0) and nobody reads or writes
 * meanwhile (the caller's lock keeps them out): a page asked for later
 * would be a zero-filled hole.  A frame someone still holds a reference
 * on lives on with them.  Returns the pages taken out of the index
 * (uncharged from the quota and the totals); *@freed gets the frames
 * that went back to the free list with them.  No lock held.
 */
unsigned long shmem_drop(struct shmem *s, unsigned long *freed);

/* shmem_pages - frames held by the object; shmem_total_pages - by all objects. */
unsigned long shmem_pages(struct shmem *s);
unsigned long shmem_total_pages(void);
/* shmem_mapped_pages - frames of the objects that some VMA maps now. */
unsigned long shmem_mapped_pages(void);

/* shmem_mapped / shmem_unmapped - a VMA starts or stops naming @s (for mm_zap_object). */
void shmem_mapped(struct shmem *s);
void shmem_unmapped(struct shmem *s);
/* shmem_mapcount - VMAs that name @s now. */
int shmem_mapcount(struct shmem *s);

#endif
