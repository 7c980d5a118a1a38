/*
 * tmpfs.c - tmpfs instances: their super blocks, size limits and statfs.
 *
 * A tmpfs file's data is a memory object (vm/shmem.h) whose pages count
 * against the instance's quota: size= at mount, half of RAM by default,
 * as on Linux.  A write or a fault past the limit is ENOSPC (SIGBUS for
 * the fault), never an OOM kill; deleting a file gives its pages back.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "inode.h"
#include "mount.h"

#define TMPFS_MAGIC	0x01021994
#define PROC_MAGIC	0x9fa0

/* Device numbers of anonymous file systems: Linux's major 0, minors from 20 on. */
static uint64_t next_dev = 20;

struct super *tmpfs_super(const char *type, unsigned long max_pages, unsigned long max_inodes)
{
	int proc = !strcmp(type, "proc");	/* generated: no pages, no limit */
	struct super *sb = kzalloc(sizeof(*sb));
	struct shmem_quota *q = proc ? 0 : kzalloc(sizeof(*q));

	if (!sb || (!q && !proc)) {
		kfree(sb);
		kfree(q);
		return 0;
	}
	if (q)
		q->max = max_pages ? max_pages : pmm_total_frames() / 2;
	sb->type = type;
	sb->quota = q;
	sb->max_inodes = max_inodes ? max_inodes : pmm_total_frames() / 2;
	sb->dev = __atomic_fetch_add(&next_dev, 1, __ATOMIC_RELAXED);
	sb->magic = proc ? PROC_MAGIC : TMPFS_MAGIC;
	sb->root = inode_new(sb, S_IFDIR | 01777);
	if (!sb->root) {
		kfree(q);
		kfree(sb);
		return 0;
	}
	sb->root->nlink = 2;		/* a root is its own parent: "." and ".." */
	return sb;
}

void tmpfs_super_free(struct super *sb)
{
	kfree(sb->quota);
	kfree(sb);
}
