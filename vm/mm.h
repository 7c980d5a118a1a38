/*
 * mm.h - user address spaces: a page table plus a list of virtual memory
 * areas (VMAs) that say what may be mapped where and how to fill a page on
 * first touch.  brk, anonymous mmap, stack and ELF segments only create
 * VMAs; pages arrive through vm_fault().
 */
#ifndef HOLSTEIN_MM_H
#define HOLSTEIN_MM_H

#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "pmm.h"
#include "pte_sw.h"
#include "../arch/riscv/layout.h"

#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4

/* vma->kind: how a page of the area is filled on first touch. */
enum vma_kind {
	VMA_ANON,	/* demand-zero */
	VMA_FILE,	/* private: vma->mem's pages copy-on-write (a file's page cache) */
	VMA_SHMEM,	/* shared: vma->mem's pages writable by every mapper (shmem.h) */
	VMA_VVAR,	/* the vDSO's data page (vdso.h), shared read-only */
	VMA_VDSO,	/* the vDSO's code (vdso.h), shared read+exec */
};

/* vma->file_end of a mapping whose file data ends where the object does. */
#define VMA_NO_FILE_END	(~0UL)

/* vma->flags */
#define VMA_STACK	1
#define VMA_HEAP	2
#define VMA_SHARED	4	/* MAP_SHARED: every mapper sees one copy, never COW */
/*
 * What the area may ever become, fixed when it is made (Linux's VM_MAY*):
 * mprotect can grant only these.  A MAP_SHARED mapping of a file opened
 * read-only lacks VMA_MAYWRITE, so it can never be written, not even
 * through a private copy.
 */
#define VMA_MAYREAD	8
#define VMA_MAYWRITE	16
#define VMA_MAYEXEC	32
#define VMA_MAY_RWX	(VMA_MAYREAD | VMA_MAYWRITE | VMA_MAYEXEC)

struct vm_pager;
struct shmem;

struct vma {
	unsigned long start, end;	/* page aligned, [start, end) */
	unsigned prot;			/* PROT_* */
	enum vma_kind kind;
	unsigned flags;
	unsigned long file_off;		/* offset in mem that maps to start (page aligned) */
	/*
	 * First va whose bytes are zero, not file data: an ELF segment's end
	 * of file data, mid-page (fault.c copies that page).  Mappings made by
	 * mmap set VMA_NO_FILE_END: their end is the object's size, read at
	 * each fault.
	 */
	unsigned long file_end;
	struct shmem *mem;		/* VMA_FILE, VMA_SHMEM: the pages; one reference per VMA */
	/* The file mapped, if any: for /proc/PID/maps, held through its pager (pager.h). */
	const struct vm_pager *pager;
	void *object;
	/*
	 * Every present page of the area lies in [mapped_lo, mapped_hi): fork
	 * and exit walk only that, not the whole reservation (an 8 MiB stack
	 * usually has a handful of pages).  Empty when mapped_lo >= mapped_hi.
	 */
	unsigned long mapped_lo, mapped_hi;
	struct vma *next;		/* sorted by start */
};

/* vma_note_mapped - a page at @va of @v was just mapped. mm->lock held. */
static inline void vma_note_mapped(struct vma *v, unsigned long va)
{
	if (va < v->mapped_lo)
		v->mapped_lo = va;
	if (va + 4096 > v->mapped_hi)
		v->mapped_hi = va + 4096;
}

struct mm {
	struct spinlock lock;		/* the page table and the VMA list */
	/*
	 * Serialises the system calls that choose where to map (mmap without
	 * MAP_FIXED, brk) against each other: threads share the address
	 * space.  Taken before lock.  Zeroed by mm_create, which is unlocked.
	 */
	struct spinlock map_lock;
	phys_addr_t root;
	int refs;			/* processes using it (a vfork child borrows it) */
	/*
	 * Bit i: cpus[i] may hold translations of this mm (tlb.h states the
	 * rule).  Set and cleared only by that hart, with atomics; read by
	 * whoever takes a right away, to know whom to flush.
	 */
	unsigned long tlb_harts;
	struct vma *vmas;
	unsigned long brk_start, brk;
	unsigned long stack_top;
	/* Where exec put argv's and envp's strings (Linux's names): /proc/PID/cmdline, environ. */
	unsigned long arg_start, arg_end, env_start, env_end;
	/*
	 * Where [vdso] begins (vdso.h), for signal delivery: set by exec,
	 * inherited by fork, moved by mremap; munmap leaves it (a handler
	 * then returns into nothing, as on Linux).
	 */
	unsigned long vdso_base;
	struct mm *all_next, *all_prev;	/* every mm, for mm_zap_object (mm_list_lock) */
	/*
	 * Reclaim may take its pages: set once it has run (tlb_mm_enter) or
	 * been forked.  Before that exec is still writing the image through
	 * kernel addresses (mm_new_page) with no lock held.
	 */
	int reclaimable;
};

#define USER_STACK_TOP		0x3fff000000UL
#define USER_STACK_SIZE		(8UL << 20)		/* RLIMIT_STACK */
/* [vvar] and [vdso] lie at USER_VVAR and USER_VDSO, the top of user memory (vdso.h). */
#define USER_MMAP_BASE		0x2000000000UL		/* mmap searches upward from here */
#define USER_ET_DYN_BASE	0x2aaaaaa000UL		/* load bias of static-pie programs */

/* mm_create - an empty address space sharing the kernel half; NULL if out of memory. */
struct mm *mm_create(void);
/* mm_get/mm_put - take or drop a user; the last mm_put frees everything. */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* mm_fork - a copy of @mm for a child: COW sharing, or eager copy when cow=0. NULL on ENOMEM. */
struct mm *mm_fork(struct mm *mm);

/* vma_dup - a copy of @v (unlinked) holding its own reference on the backing; NULL if out of memory. */
struct vma *vma_dup(const struct vma *v);
/* vma_free - free an unlinked VMA and drop its reference on the backing. */
void vma_free(struct vma *v);
/* vma_find - the VMA containing @addr, or NULL. Caller holds mm->lock. */
struct vma *vma_find(struct mm *mm, unsigned long addr);
/*
 * mm_map - add an area like @tmpl (start, end, prot, kind, flags and the
 * backing fields are used), replacing whatever overlapped it (MAP_FIXED
 * semantics).  The area takes its own references on tmpl->mem and the
 * pager's object.  Takes
 * mm->lock.  Returns 0 or -ENOMEM.
 */
int mm_map(struct mm *mm, const struct vma *tmpl);
/* mm_unmap - remove [addr, addr+len): VMAs, PTEs, frame references. 0 or -ENOMEM. */
int mm_unmap(struct mm *mm, unsigned long addr, unsigned long len);
struct tlb_batch;
/*
 * mm_unmap_locked - mm_unmap of [addr, end) for a caller that holds
 * mm->lock and finishes @b (tlb.h) before dropping it.  mm_split_locked
 * makes @addr a VMA boundary (mm->lock held).  Both 0 or -ENOMEM.
 */
int mm_unmap_locked(struct mm *mm, unsigned long addr, unsigned long end, struct tlb_batch *b);
int mm_split_locked(struct mm *mm, unsigned long addr);
/*
 * mm_remap - mremap(2) (vm/mremap.c): shrink, grow in place, or move the
 * area at @addr with its pages (flags MREMAP_*).  The new address or
 * -errno, as Linux.  The caller holds mm->map_lock; takes mm->lock.
 */
#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4
long mm_remap(struct mm *mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
	      unsigned long flags, unsigned long new_addr);
/*
 * mm_protect - change protection of [addr, addr+len): -ENOMEM if not all
 * mapped, -EACCES if @prot asks for more than an area may ever have
 * (VMA_MAY*); nothing changes then.
 */
int mm_protect(struct mm *mm, unsigned long addr, unsigned long len, unsigned prot);
/*
 * mm_discard - MADV_DONTNEED: drop this address space's pages, keep the
 * VMAs.  Private memory reads back as zeros (or the file) afterwards;
 * shared memory reads back what it holds, since its object keeps it.
 */
int mm_discard(struct mm *mm, unsigned long addr, unsigned long len);
/* mm_find_free - lowest free range of @len at or above @hint; 0 if none. Holds no lock. */
unsigned long mm_find_free(struct mm *mm, unsigned long hint, unsigned long len);

/*
 * mm_install_page - map @pa at @va in @mm with user flags @flags, taking
 * over the caller's reference to @pa (a present page is replaced without
 * being dropped: callers map into empty slots).  Takes mm->lock.  0, or
 * -ENOMEM (then the reference is dropped).
 */
int mm_install_page(struct mm *mm, unsigned long va, phys_addr_t pa, uint64_t flags);

/*
 * mm_copy_in - copy @len bytes from kernel memory @src to @va in @mm, an
 * address space that runs nowhere (exec's new image: no TLB flush).  Each
 * page must lie in an anonymous area (VMA_ANON); an absent page gets a
 * fresh zeroed private frame with the area's protection, a present one is
 * written in place, so it must be private and writable (one an earlier
 * call made).  Takes mm->lock.  0, -EFAULT (no anonymous area there, or a
 * present page that is read-only, COW or shared), or -ENOMEM; the
 * bytes of the pages before the failing one are copied.
 */
int mm_copy_in(struct mm *mm, unsigned long va, const void *src, size_t len);
/*
 * mm_new_page - the kernel address of the page holding @va in @mm, an
 * address space that runs nowhere (exec's new image), to write it directly
 * (exec copies the caller's strings straight in): the same rules as
 * mm_copy_in.  The frame stays @mm's: the address is good until @mm is
 * changed or freed.  NULL with *@err = -EFAULT or -ENOMEM.
 */
void *mm_new_page(struct mm *mm, unsigned long va, int *err);

/*
 * mm_copy_out - copy up to @len bytes at @va in @mm (any address space, running or not) to
 * kernel memory @dst: what /proc/PID/cmdline and environ read.  Only pages that are there
 * and readable count: the copy stops at the first that is not.  Takes mm->lock.  The bytes
 * copied.
 */
size_t mm_copy_out(struct mm *mm, unsigned long va, void *dst, size_t len);

/*
 * mm_rss - resident pages, in pages.  Shared means the frame has another
 * owner (count > 1); clean means it still holds what the file or the zero
 * page holds (the page-cache frame or the zero frame itself).
 */
struct mm_rss {
	unsigned long shared_clean, shared_dirty, private_clean, private_dirty, anon;
	unsigned long swap;	/* swap entries (pages on disk, not resident) */
};
void mm_rss(struct mm *mm, struct mm_rss *r);

/*
 * mm_zap_object - take away every mapping, in every address space, of
 * pages @first and beyond of @mem (a file shrunk by truncate): a later touch
 * faults and finds them past the end.  Takes each mm's lock in turn; call
 * with no lock held.
 */
void mm_zap_object(struct shmem *mem, unsigned long first);

/*
 * mm_shared_key - if user address @va lies in MAP_SHARED memory (anonymous or a file),
 * name it the same way in every process that maps it: the object and the
 * byte offset in it (1); else 0.  Futexes meet there.  Takes mm->lock.
 */
int mm_shared_key(struct mm *mm, unsigned long va, const void **obj, unsigned long *off);

/*
 * mm_next_pinned - reclaim's walk over every address space: the one after
 * @prev in the list (the first if @prev is NULL or gone), with a reference
 * taken (mm_get: drop it with mm_put), skipping ones being freed; NULL at
 * the end.  @prev is only compared, never used.
 */
struct mm *mm_next_pinned(const struct mm *prev);

/* Leaf-PTE flags for a user page of protection @prot (A and D always set). */
uint64_t mm_prot_to_pte(unsigned prot);

/* Boot switch cow=0: eager copy at fork instead of sharing. */
extern int cow_enabled;

#endif
