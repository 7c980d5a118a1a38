/*
 * pager.h - the file behind a file mapping, as vm/ sees it.
 *
 * vm/ names no file system.  The pages of a file mapping are a memory
 * object (shmem.h: the file's page cache), which vm/ maps directly; the
 * VMA also names the file itself (an inode), so /proc/PID/maps can show
 * it and so the file lives as long as the mapping does.  The pager is how
 * vm/ holds and names that file without knowing what it is.
 *
 * A file system whose pages live on a disk (ext4) will add here the
 * operations that fill a page of the cache and write it back.
 */
#ifndef HOLSTEIN_PAGER_H
#define HOLSTEIN_PAGER_H

#include "pmm.h"

struct vm_pager {
	/*
	 * hold/release - take or drop a reference on @obj for a VMA.  Called
	 * under an address space's lock: must not sleep, must take no lock
	 * above a shared-memory object's in docs/design.md's order.
	 */
	void (*hold)(void *obj);
	void (*release)(void *obj);
	/*
	 * name - what /proc/<pid>/maps shows for a mapping of @obj: its path,
	 * with its inode number in *@ino.
	 */
	const char *(*name)(void *obj, unsigned long *ino);
};

#endif
