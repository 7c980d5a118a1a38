/*
 * pager.h - where the pages of a file mapping come from.
 *
 * vm/ names no file system.  A VMA_FILE area carries a pager and one of
 * that pager's objects (an initramfs inode today; a tmpfs or ext4 inode
 * later), and the fault path asks the pager for the frame that holds page
 * N of the object:
 *
 *   vm_fault -> fault_absent -> file_frame -> pager->page(object, index)
 *
 * The frames are the object's page cache: the pager owns them and keeps
 * them while the object lives.  vm/ maps a whole page of file data straight
 * from the cache, read-only (PTE_COW when the area is private and
 * writable), with a reference of its own per mapping; it copies the page
 * where the file data ends (vma->file_end) into a private frame, and
 * raises SIGBUS past the end.  mm_rss calls the pager too, to tell a clean
 * page (still the cache's frame) from a dirty private copy.
 *
 * Lifetime: an object must outlive every VMA that names it.  initramfs
 * inodes are never freed; a file system whose objects can die adds
 * reference operations here, for vma_dup and vma_free to call.
 *
 * Shared anonymous memory (shmem.h) is not a pager: its object allocates a
 * frame on first touch, hands the caller a reference, and is mapped
 * writable by every mapper (PTE_SHARED), never from a cache.
 */
#ifndef HOLSTEIN_PAGER_H
#define HOLSTEIN_PAGER_H

#include "pmm.h"

struct vm_pager {
	/*
	 * page - the frame holding page @index of @obj (@index counts pages
	 * from the object's start), or 0 when the page lies wholly past the
	 * object's end.  Takes no reference: the frame stays the object's.
	 * Called with an address space's lock held, on every file fault and
	 * for every page mm_rss counts: must be quick, must not sleep and
	 * must not take an mm's lock.
	 */
	phys_addr_t (*page)(void *obj, unsigned long index);
	/*
	 * name - what /proc/<pid>/maps shows for a mapping of @obj: its path,
	 * with its inode number in *@ino.
	 */
	const char *(*name)(void *obj, unsigned long *ino);
};

#endif
