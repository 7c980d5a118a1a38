/*
 * mount.h - the mount table: which file system is mounted on which
 * directory, mount(2) and umount2(2), and /proc/mounts.
 */
#ifndef HOLSTEIN_MOUNT_H
#define HOLSTEIN_MOUNT_H

#include "../kernel/kernel.h"
#include "inode.h"

struct mount {
	struct super *sb;
	struct inode *mountpoint;	/* NULL for the root */
	char source[32];		/* what mount(2) was given as the device */
	unsigned long flags;		/* MS_RDONLY, MS_NOSUID... as given */
	int id;				/* mountinfo's mount ID */
	struct mount *next;		/* in mount order */
};

/*
 * mount_attach - mount @sb on directory @at (NULL: as the root), with
 * @source's name: 0, -EBUSY (something is mounted there) or -ENOMEM.
 */
int mount_attach(struct super *sb, struct inode *at, const char *source, unsigned long flags);
/* mount_text - /proc/mounts (@info 0) or /proc/self/mountinfo (1) into a new kmalloc'd text. */
char *mount_text(int info, size_t *len);
/* proc_super - the super block of the first proc mounted (statfs; one with no root if none is). */
struct super *proc_super(void);
/* vfs_init - the root tmpfs, empty, before the initramfs is unpacked into it. */
void vfs_init(void);
/* vfs_init_late - after the unpack: /dev (with its nodes), /dev/shm, /proc, /tmp, /var/tmp, /etc/mtab. */
void vfs_init_late(void);

#endif
