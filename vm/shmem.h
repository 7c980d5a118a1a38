/*
 * shmem.h - shared anonymous memory: the object behind MAP_SHARED|MAP_ANONYMOUS
 * and MAP_SHARED mappings of /dev/zero.
 *
 * The object, not any page table, owns the memory.  Every process that maps
 * it (the one that called mmap, its fork children, their children) maps the
 * same frames, taken from the object on first touch.  So the data outlives
 * any one mapping of it: MADV_DONTNEED, munmap of part of it, or the exit of
 * the creator only drop page-table entries, and the next touch finds the
 * same page again.  The object is freed with its last mapping.
 */
#ifndef HOLSTEIN_SHMEM_H
#define HOLSTEIN_SHMEM_H

#include "pmm.h"

struct shmem;

/* shmem_create - a zero-filled object of @pages pages, one reference; NULL if out of memory. */
struct shmem *shmem_create(unsigned long pages);
/* shmem_get/shmem_put - take or drop a reference; the last put frees every frame. */
void shmem_get(struct shmem *s);
void shmem_put(struct shmem *s);

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
 * first use, with one new reference for the caller.  0 when out of memory,
 * or with *sigbus set when @index lies past the object's end (a /dev/zero
 * mapping made at an offset).
 */
phys_addr_t shmem_frame(struct shmem *s, unsigned long index, int *sigbus);

#endif
