/*
 * memfd.h - memfd_create's files and their seals.
 *
 * A memfd is a regular tmpfs file that never had a name: an inode of an
 * internal tmpfs instance with no links, alive while something holds it.
 * Seals (F_ADD_SEALS) forbid, for good, some ways of changing it; they
 * live in the inode (inode->seals), and the places that change a regular
 * file's data or size ask here first.  Every other regular file is on a
 * tmpfs too, and, as on Linux, reports F_SEAL_SEAL: it cannot be sealed.
 */
#ifndef HOLSTEIN_MEMFD_H
#define HOLSTEIN_MEMFD_H

#include "../kernel/kernel.h"

struct inode;
struct file;

#define F_ADD_SEALS		1033
#define F_GET_SEALS		1034

#define F_SEAL_SEAL		0x0001	/* no more seals may be added */
#define F_SEAL_SHRINK		0x0002	/* the size may not shrink */
#define F_SEAL_GROW		0x0004	/* the size may not grow */
#define F_SEAL_WRITE		0x0008	/* the data may not change (and no writable shared map) */
#define F_SEAL_FUTURE_WRITE	0x0010	/* no new write() or writable shared map; old maps stay */

/* memfd_init - the internal tmpfs memfds live on (boot, from vfs_init). */
void memfd_init(void);

/* memfd_fcntl - F_ADD_SEALS / F_GET_SEALS on @f: the seals, 0, or -EINVAL/-EPERM/-EBUSY. */
long memfd_fcntl(struct file *f, unsigned cmd, unsigned arg);

/*
 * memfd_write_ok - may @n bytes be written at @pos of @ip (size @size)?
 * The bytes that may (all, or under F_SEAL_GROW those before the end), or
 * -EPERM.  Regular files only.
 */
long memfd_write_ok(struct inode *ip, uint64_t pos, size_t n, uint64_t size);
/* memfd_resize_ok - may @ip's size go from @old to @size (truncate, fallocate)? 0 or -EPERM. */
long memfd_resize_ok(struct inode *ip, uint64_t old, uint64_t size);
/* memfd_write_sealed - does a seal refuse new writable shared mappings of @ip? */
int memfd_write_sealed(struct inode *ip);

#endif
