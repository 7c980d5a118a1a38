/*
 * sysv_shm.h - what the SysV shared-memory calls share between the segment
 * table (sysv_shm.c: shmget, shmctl) and attaching (sysv_shmat.c: shmat,
 * shmdt).
 *
 * A segment is a struct shmem (vm/shmem.h) the table holds one reference
 * on, mapped by shmat as shared anonymous memory (VMA_SHMEM), so every VMA
 * that maps it holds one more: shm_nattch is the object's count less the
 * table's (a fork's copy of an attachment counts, as on Linux, and so does
 * each piece of a split one).  IPC_RMID takes the key away at once and
 * frees the segment when nothing maps it any more: shmem_put tells the
 * table (shmem_on_idle) each time the count falls back to the table's own.
 *
 * Lock order: sysv_shm_lock guards the table and every segment's fields.
 * It is taken under an mm's lock (an exit or munmap that drops the last
 * attachment runs the idle hook there), so it is never held while taking
 * one: never across mm_map or mm_unmap.  Under it only kmalloc is called;
 * references are put after it is dropped.
 */
#ifndef HOLSTEIN_SYSV_SHM_H
#define HOLSTEIN_SYSV_SHM_H

#include "kernel.h"

struct shmem;

/*
 * sysv_shm_attach_begin - shmat's look-up of segment @id: a reference of
 * the caller's own on its object (shmem_put it) and its size in bytes in
 * *@size.  0, or -EINVAL if @id names no segment.
 */
int sysv_shm_attach_begin(int id, struct shmem **shm, size_t *size);
/*
 * sysv_shm_segment_size - if @shm is a SysV segment, its size in bytes;
 * else 0.  Callers hold a reference on @shm.
 */
size_t sysv_shm_segment_size(struct shmem *shm);
/* sysv_shm_touch - note an attach (@attach) or a detach of @shm by the caller: times, pid. */
void sysv_shm_touch(struct shmem *shm, int attach);

#endif
