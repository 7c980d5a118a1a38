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
	/* Propagation (mount_prop.c), vfs_lock: */
	int group;			/* peer group ID, 0 if not shared */
	struct mount *master;		/* a slave's master, NULL if not a slave */
	int unbindable;			/* MS_UNBINDABLE */
	struct mount *next;		/* in mount order */
};

/*
 * mount_attach - mount @sb on directory @at (NULL: as the root), with
 * @source's name: 0, -EBUSY (something is mounted there) or -ENOMEM.
 */
int mount_attach(struct super *sb, struct inode *at, const char *source, unsigned long flags);
/* mount_list - the first mount of the table, in mount order (->next).  vfs_lock held. */
struct mount *mount_list(void);
/* mount_parent - the mount whose tree holds @m's mount point, NULL for the root.  vfs_lock held. */
struct mount *mount_parent(struct mount *m);
/* mount_prop_new - a new mount @m under @parent is shared (a new group) if @parent is.  vfs_lock held. */
void mount_prop_new(struct mount *m, struct mount *parent);
/*
 * mount_prop_change - MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE
 * (exactly one, with MS_REC: on every mount below @m too) on mount @m.
 * 0 or -EINVAL.  vfs_lock held.
 */
long mount_prop_change(struct mount *m, unsigned long flags);
/* mount_prop_detach - @m leaves the tree: its slaves get another master.  vfs_lock held. */
void mount_prop_detach(struct mount *m);
/*
 * mount_prop_fields - mountinfo's optional fields of @m (" shared:N master:N unbindable")
 * into @buf.  vfs_lock held (mount_text builds each line under it).
 */
void mount_prop_fields(struct mount *m, char *buf, size_t n);
/* mount_text - /proc/mounts (@info 0) or /proc/self/mountinfo (1) into a new kmalloc'd text. */
char *mount_text(int info, size_t *len);
/* proc_super - the super block of the first proc mounted (statfs; one with no root if none is). */
struct super *proc_super(void);
/* vfs_init - the root tmpfs, empty, before the initramfs is unpacked into it. */
void vfs_init(void);
/* vfs_init_late - after the unpack: /dev (with its nodes), /dev/shm, /proc, /tmp, /var/tmp, /etc/mtab. */
void vfs_init_late(void);

#endif
