/*
 * sysv_shmat.c - shmat and shmdt: a SysV segment (sysv_shm.h) mapped as
 * shared anonymous memory, the way mmap maps MAP_SHARED|MAP_ANONYMOUS
 * (kernel/sys_mem.c): a VMA_SHMEM area through mm_map, which takes the
 * area's own reference on the segment's object.
 *
 * Both hold the mm's map_lock, as mmap does, so the place chosen or
 * checked stays free until it is taken; the segment table's lock is never
 * held across mm_map or mm_unmap.
 */
#include "kernel.h"
#include "proc.h"
#include "syscall.h"
#include "sysv_shm.h"
#include "../vm/mm.h"
#include "../vm/shmem.h"

#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHMLBA		PAGE_SIZE

/* shm_overlaps - does [addr, addr + len) touch any area of @mm? */
static int shm_overlaps(struct mm *mm, ul addr, ul len)
{
	int r = 0;

	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v && !r; v = v->next)
		r = v->start < addr + len && addr < v->end;
	spin_unlock(&mm->lock);
	return r;
}

/*
 * shmat_place - where the segment of @len bytes goes: @addr (0: the
 * kernel picks, as mmap does).  An address must not overlap a mapping
 * unless SHM_REMAP says to replace it (EINVAL); past the user half is
 * ENOMEM.  The address, or -errno.  map_lock held.
 */
static long shmat_place(struct mm *mm, ul addr, ul len, int flg)
{
	if (!addr)
		return (addr = mm_find_free(mm, 0, len)) ? (long)addr : -ENOMEM;
	if (addr + len < addr)
		return -EINVAL;
	if (!(flg & SHM_REMAP) && shm_overlaps(mm, addr, len))
		return -EINVAL;
	if (len > USER_TOP || addr > USER_TOP - len)
		return -ENOMEM;
	return (long)addr;
}

/*
 * shmat(id, addr, flags) - map segment @id at @addr (rounded down to
 * SHMLBA with SHM_RND, else it must be aligned) or where the kernel
 * picks; SHM_RDONLY maps it read-only for good (no VMA_MAYWRITE: a later
 * mprotect cannot add write), SHM_EXEC adds execute.  Linux's order of
 * checks: the id's sign, the address, then the segment.
 */
SYSCALL(shmat)
{
	struct mm *mm = current()->mm;
	int id = (int)a0, flg = (int)a2;
	ul addr = a1;
	struct shmem *shm;
	size_t size;
	long r;

	if (id < 0)
		return -EINVAL;
	if (addr & (SHMLBA - 1)) {
		if (!(flg & SHM_RND) || !(addr &= ~(SHMLBA - 1)))
			return -EINVAL;		/* unaligned, or rounded down to nothing */
	} else if (!addr && (flg & SHM_REMAP)) {
		return -EINVAL;
	}
	if ((r = sysv_shm_attach_begin(id, &shm, &size)))
		return r;
	struct vma v = {
		.prot = PROT_READ | ((flg & SHM_RDONLY) ? 0 : PROT_WRITE) |
			((flg & SHM_EXEC) ? PROT_EXEC : 0),
		.kind = VMA_SHMEM,
		.flags = VMA_SHARED | VMA_MAYREAD | VMA_MAYEXEC |
			 ((flg & SHM_RDONLY) ? 0 : VMA_MAYWRITE),
		.mem = shm,
	};
	ul len = ALIGN_UP(size, PAGE_SIZE);
	spin_lock(&mm->map_lock);
	r = shmat_place(mm, addr, len, flg);
	if (r >= 0) {
		v.start = (ul)r;
		v.end = v.start + len;
		if (mm_map(mm, &v))
			r = -ENOMEM;
	}
	spin_unlock(&mm->map_lock);
	if (r >= 0)
		sysv_shm_touch(shm, 1);
	shmem_put(shm);		/* the area holds its own */
	return r;
}

/*
 * shmdt_next - the next piece of the attachment of @shm made at @base
 * that lies in [*at, end): an area of @shm whose offset says it was
 * mapped from @base (a split attachment has several).  Its range in
 * *lo, *hi; *at moves past it.  0 when there is none.
 */
static int shmdt_next(struct mm *mm, struct shmem *shm, ul base, ul *at, ul end, ul *lo, ul *hi)
{
	int found = 0;

	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v && v->start < end && !found; v = v->next)
		if (v->end > *at && v->kind == VMA_SHMEM && v->mem == shm &&
		    v->file_off == v->start - base) {
			*lo = MAX(v->start, *at);
			*hi = MIN(v->end, end);
			*at = *hi;
			found = 1;
		}
	spin_unlock(&mm->lock);
	return found;
}

/*
 * shmdt(addr) - detach the segment attached at @addr: the area starting
 * there must map a segment from its start (else EINVAL), and every piece
 * of that attachment within the segment's size goes.
 */
SYSCALL(shmdt)
{
	struct mm *mm = current()->mm;
	struct shmem *shm = 0;
	ul addr = a0, end = 0, at = a0, lo, hi;
	struct vma *v;
	size_t size;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	spin_lock(&mm->map_lock);
	spin_lock(&mm->lock);
	v = vma_find(mm, addr);
	/* the table's lock under mm->lock: the order sysv_shm.h gives */
	if (v && v->start == addr && v->kind == VMA_SHMEM && v->file_off == 0 &&
	    (size = sysv_shm_segment_size(v->mem))) {
		shm = v->mem;
		shmem_get(shm);		/* ours while the pieces go */
		end = addr + ALIGN_UP(size, PAGE_SIZE);
	}
	spin_unlock(&mm->lock);
	while (shm && shmdt_next(mm, shm, addr, &at, end, &lo, &hi))
		mm_unmap(mm, lo, hi - lo);
	spin_unlock(&mm->map_lock);
	if (!shm)
		return -EINVAL;
	sysv_shm_touch(shm, 0);
	shmem_put(shm);		/* the last detach of a removed segment frees it here */
	return 0;
}
