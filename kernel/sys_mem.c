/*
 * sys_mem.c - brk, mmap, munmap, mprotect, madvise, riscv_flush_icache.  These only shape the
 * VMA list; pages arrive on first touch (vm/fault.c).
 */
#include "kernel.h"
#include "proc.h"
#include "../fs/file.h"
#include "../fs/fdtable.h"
#include "../fs/devfs.h"
#include "syscall.h"
#include "../fs/inode.h"
#include "../fs/memfd.h"
#include "../vm/pager.h"
#include "../fs/sync.h"
#include "../vm/mm.h"
#include "../vm/fault.h"
#include "../vm/tlb.h"
#include "../vm/shmem.h"

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_FIXED_NOREPLACE	0x100000
/* The flags every file's mmap takes (Linux's LEGACY_MAP_MASK): MAP_SHARED_VALIDATE refuses others. */
#define LEGACY_MAP_MASK		0x7c07f933UL
#define MADV_DONTNEED		4
#define PROT_SEM		0x8
#define PROT_GROWSDOWN		0x01000000
#define PROT_GROWSUP		0x02000000

static int range_ok(ul addr, ul len)
{
	return len && (addr & (PAGE_SIZE - 1)) == 0 && addr + len > addr &&
	       addr + len <= USER_TOP;
}

/* overlaps - does [addr, addr+len) touch any VMA other than @except? */
static int overlaps(struct mm *mm, ul addr, ul len, struct vma *except)
{
	int r = 0;

	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v != except && v->start < addr + len && addr < v->end)
			r = 1;
	spin_unlock(&mm->lock);
	return r;
}

/* brk_locked - brk(@want) with mm->map_lock held: the new break, or the old one on failure. */
static long brk_locked(struct mm *mm, ul want)
{
	ul old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(want, PAGE_SIZE);
	struct vma *heap = 0;

	/* want > USER_MMAP_BASE first: near the top, ALIGN_UP would wrap new_end to 0. */
	if (want < mm->brk_start || want > USER_MMAP_BASE || new_end > USER_MMAP_BASE)
		return (long)mm->brk;
	spin_lock(&mm->lock);
	heap = old_end > mm->brk_start ? vma_find(mm, old_end - 1) : 0;
	spin_unlock(&mm->lock);
	if (new_end > old_end) {
		if (overlaps(mm, old_end, new_end - old_end, 0))
			return (long)mm->brk;
		if (heap && (heap->flags & VMA_HEAP)) {
			spin_lock(&mm->lock);
			heap->end = new_end;	/* grow the heap in place */
			spin_unlock(&mm->lock);
		} else if (mm_map(mm, &(struct vma){ .start = old_end, .end = new_end,
						     .prot = PROT_READ | PROT_WRITE, .kind = VMA_ANON,
						     .flags = VMA_HEAP | VMA_MAY_RWX })) {
			return (long)mm->brk;
		}
	} else if (new_end < old_end) {
		if (mm_unmap(mm, new_end, old_end - new_end))
			return (long)mm->brk;
	}
	mm->brk = want;
	return (long)want;
}

SYSCALL(brk)
{
	struct mm *mm = current()->mm;
	long r;

	spin_lock(&mm->map_lock);	/* threads move one break */
	r = brk_locked(mm, a0);
	spin_unlock(&mm->map_lock);
	return r;
}

/*
 * mmap_file - the checks Linux's do_mmap makes of a file mapping, in its
 * order, once the address is chosen; fills in what the VMA needs: which
 * backing, and what it may ever become.  A MAP_SHARED mapping of a file not
 * open for writing, or of a write-sealed memfd, can never be written (no
 * VMA_MAYWRITE).  0 or -errno.
 */
static long mmap_file(struct file *f, ul flags, unsigned prot, struct vma *v)
{
	unsigned acc = f->flags & O_ACCMODE;
	int readable = acc == O_RDONLY || acc == O_RDWR, writable = acc == O_WRONLY || acc == O_RDWR;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;	/* a flag this kernel would ignore */
		/* fall through */
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && !writable)
			return -EACCES;
		v->flags |= VMA_SHARED;
		if (!writable)
			v->flags &= ~VMA_MAYWRITE;
		/* fall through */
	case MAP_PRIVATE:
		if (!readable)
			return -EACCES;
		break;
	default:
		return -EINVAL;
	}
	if (f->inode && S_ISCHR(f->inode->mode) && f->inode->rdev == 0x105) {
		/* /dev/zero: anonymous memory, shared ones an object the offset indexes */
		v->kind = (v->flags & VMA_SHARED) ? VMA_SHMEM : VMA_ANON;
		return 0;
	}
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -ENODEV;
	if ((v->flags & VMA_SHARED) && memfd_write_sealed(f->inode)) {
		if (prot & PROT_WRITE)
			return -EPERM;		/* a write-sealed memfd */
		v->flags &= ~VMA_MAYWRITE;	/* nor may mprotect make it writable */
	}
	if ((v->flags & VMA_SHARED) && (v->flags & VMA_MAYWRITE) && mnt_want_write(f->inode)) {
		if (prot & PROT_WRITE)
			return -EROFS;		/* open for writing, then remounted read-only */
		v->flags &= ~VMA_MAYWRITE;
	}
	if ((v->flags & VMA_SHARED) && (v->flags & VMA_MAYWRITE))
		inode_dirty(f->inode, DIRTY_DATA);	/* stores are not seen: dirty while it may be written */
	v->kind = VMA_FILE;
	v->mem = f->inode->mem;
	v->pager = &inode_pager;
	v->object = f->inode;
	if (v->flags & VMA_SHARED)
		v->kind = VMA_SHMEM;	/* the page cache itself, writable: stores reach the file */
	return 0;
}

/*
 * mmap(addr, len, prot, flags, fd, off) - errors in Linux 6.1's order: the
 * offset, the descriptor, the length, the address, then the mapping type
 * and the file's open mode.  Unknown prot bits are ignored, as on Linux.
 */
SYSCALL(mmap)
{
	struct mm *mm = current()->mm;
	ul addr = a0, len = ALIGN_UP(a1, PAGE_SIZE), flags = a3, off = a5;
	unsigned prot = (unsigned)a2 & (PROT_READ | PROT_WRITE | PROT_EXEC);
	struct vma v = { .prot = prot, .kind = VMA_ANON, .flags = VMA_MAY_RWX };
	struct file *f = 0;
	long r;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && !(f = fd_file((int)a4)))
		return -EBADF;
	if (!a1)
		return -EINVAL;
	if (!len || len > USER_TOP)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr > USER_TOP - len)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && overlaps(mm, addr, len, 0))
			return -EEXIST;		/* before the file's checks, as Linux; again below */
	}
	if (f) {
		if ((r = mmap_file(f, flags, prot, &v)))
			return r;
		v.file_off = off;
	} else if ((flags & MAP_TYPE) == MAP_SHARED) {
		v.kind = VMA_SHMEM;	/* Linux 6.1 refuses MAP_SHARED_VALIDATE here */
		v.flags |= VMA_SHARED;
	} else if ((flags & MAP_TYPE) != MAP_PRIVATE) {
		return -EINVAL;
	}
	/* An object of the mapping's size; /dev/zero's offset indexes into it. */
	if (v.kind == VMA_SHMEM && !v.mem && !(v.mem = shmem_create(len / PAGE_SIZE)))
		return -ENOMEM;
	/* Choosing the place and taking it are one step: other threads map too. */
	spin_lock(&mm->map_lock);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if ((flags & MAP_FIXED_NOREPLACE) && overlaps(mm, addr, len, 0))
			r = -EEXIST;
	} else if (!(addr = mm_find_free(mm, ALIGN_UP(addr, PAGE_SIZE), len))) {
		r = -ENOMEM;
	}
	if (!r) {
		v.start = addr;
		v.end = addr + len;
		v.file_end = VMA_NO_FILE_END;	/* the object's own size says where the file ends */
		r = mm_map(mm, &v);
	}
	spin_unlock(&mm->map_lock);
	if (v.kind == VMA_SHMEM && !v.pager)
		shmem_put(v.mem);	/* the VMA holds its own reference */
	return r ? r : (long)addr;
}

SYSCALL(munmap)
{
	ul len = ALIGN_UP(a1, PAGE_SIZE);

	if (!range_ok(a0, len))
		return -EINVAL;
	return mm_unmap(current()->mm, a0, len);
}

/*
 * mprotect(addr, len, prot) - as Linux 6.1: PROT_SEM is accepted (and means
 * nothing here), PROT_GROWSDOWN extends the change down to the start of the
 * stack it lies in, and a stack is the only area that grows.
 */
SYSCALL(mprotect)
{
	struct mm *mm = current()->mm;
	ul start = a0, len = ALIGN_UP(a1, PAGE_SIZE), grows = a2 & (PROT_GROWSDOWN | PROT_GROWSUP);
	ul prot = a2 & ~grows;

	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (start & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (!a1)
		return 0;
	if (!len || start + len <= start)
		return -ENOMEM;		/* the length wraps around */
	if (prot & ~(ul)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (grows) {
		spin_lock(&mm->lock);
		struct vma *v = vma_find(mm, start);
		int stack = v && (v->flags & VMA_STACK);
		if (stack)
			start = v->start;
		spin_unlock(&mm->lock);
		if (!v)
			return -ENOMEM;
		if (!stack || (grows & PROT_GROWSUP))
			return -EINVAL;
		len = a0 + len - start;
	}
	if (start + len > USER_TOP)
		return -ENOMEM;
	return mm_protect(mm, start, len, (unsigned)prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

SYSCALL(madvise)
{
	ul len = ALIGN_UP(a1, PAGE_SIZE);

	if (a0 & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	if (a0 + len < a0 || a0 + len > USER_TOP)
		return -ENOMEM;
	if (a2 == MADV_DONTNEED)
		return mm_discard(current()->mm, a0, len);
	return 0;
}

/* mapped_whole - is every page of [addr, addr+len) inside some VMA? */
static int mapped_whole(struct mm *mm, ul addr, ul len)
{
	ul end = addr + len;
	int ok = 1;

	spin_lock(&mm->lock);
	while (ok && addr < end) {
		struct vma *v = vma_find(mm, addr);
		ok = v != 0;
		if (v)
			addr = v->end;
	}
	spin_unlock(&mm->lock);
	return ok;
}

#define MS_SYNC		4

/*
 * msync_files - MS_SYNC: fsync each file a shared mapping of [addr, end)
 * maps (a MAP_SHARED store is already in the page cache; a disk fs writes
 * it out).  The file is held through its pager while mm->lock is dropped.
 */
static long msync_files(struct mm *mm, ul addr, ul end)
{
	long r = 0;

	while (addr < end) {
		struct inode *ip = 0;
		spin_lock(&mm->lock);
		struct vma *v = vma_find(mm, addr);
		if (v && v->kind == VMA_SHMEM && v->pager == &inode_pager) {
			ip = v->object;
			inode_pager.hold(ip);
		}
		addr = v ? v->end : end;
		spin_unlock(&mm->lock);
		if (ip) {
			long e = vfs_fsync_inode(ip, 0);
			r = r ? r : e;
			inode_pager.release(ip);
		}
	}
	return r;
}

/*
 * msync(addr, len, flags) - the checks are Linux's; MS_SYNC writes the
 * files mapped shared in the range to their disks (memory file systems
 * have nothing to write).
 */
SYSCALL(msync)
{
	ul len = ALIGN_UP(a1, PAGE_SIZE);

	if ((a0 & (PAGE_SIZE - 1)) || (a2 & ~7UL) || ((a2 & 1) && (a2 & 4)))
		return -EINVAL;		/* MS_ASYNC and MS_SYNC together */
	if (!range_ok(a0, len) || !mapped_whole(current()->mm, a0, len))
		return -ENOMEM;
	return (a2 & MS_SYNC) ? msync_files(current()->mm, a0, a0 + len) : 0;
}

/*
 * populate - fault in every page of [start, end) as a read would, so an
 * mlocked range is in memory (swapped pages come back).  What cannot be
 * faulted (PROT_NONE) is left, as Linux leaves it.
 */
static void populate(struct mm *mm, ul start, ul end)
{
	for (ul va = start; va < end; va += PAGE_SIZE)
		vm_fault(mm, va, FAULT_READ);
}

/*
 * mlock(addr, len) and munlock: the range must be mapped; its areas take
 * (or lose) VMA_LOCKED, which keeps reclaim away from their pages, and
 * mlock brings the pages in.
 */
static long lock_range(ul a0, ul a1, int on)
{
	struct mm *mm = current()->mm;
	ul start = a0 & ~(PAGE_SIZE - 1);
	ul len = ALIGN_UP(a1 + (a0 - start), PAGE_SIZE);
	long r;

	if (!range_ok(start, len) || !mapped_whole(mm, start, len))
		return -ENOMEM;
	if ((r = mm_mlock(mm, start, start + len, on)))
		return r;
	if (on)
		populate(mm, start, start + len);
	return 0;
}

SYSCALL(mlock)
{
	return lock_range(a0, a1, 1);
}

SYSCALL(munlock)
{
	return lock_range(a0, a1, 0);
}

#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4

/* mlockall(flags) and munlockall: every area now (MCL_CURRENT) and/or every later one (MCL_FUTURE). */
SYSCALL(mlockall)
{
	struct mm *mm = current()->mm;

	if (!a0 || (a0 & ~7UL) || a0 == MCL_ONFAULT)
		return -EINVAL;
	mm->lock_future = (a0 & MCL_FUTURE) != 0;
	if (a0 & MCL_CURRENT) {
		mm_mlock(mm, 0, USER_TOP, 1);
		if (!(a0 & MCL_ONFAULT))
			for (struct vma *v = mm->vmas; v; v = v->next)
				populate(mm, v->start, v->end);
	}
	return 0;
}

SYSCALL(munlockall)
{
	struct mm *mm = current()->mm;

	mm->lock_future = 0;
	return mm_mlock(mm, 0, USER_TOP, 0);
}

/*
 * mremap(addr, old_len, new_len, flags, new_addr) - vm/mremap.c.  Under
 * map_lock: a move picks its new place as mmap does, and nothing else may
 * map there meanwhile.
 */
SYSCALL(mremap)
{
	struct mm *mm = current()->mm;
	long r;

	spin_lock(&mm->map_lock);
	r = mm_remap(mm, a0, a1, a2, a3, a4);
	spin_unlock(&mm->map_lock);
	return r;
}

/*
 * riscv_flush_icache(start, end, flags) - what was stored into this address
 * space is fetched as code from now on, on every hart running it.  The
 * range is a hint Linux ignores too; flags may only be
 * SYS_RISCV_FLUSH_ICACHE_LOCAL (1), which asks for less than we do.
 */
SYSCALL(riscv_flush_icache)
{
	if (a2 & ~1UL)
		return -EINVAL;
	tlb_icache_mm(current()->mm);
	return 0;
}
