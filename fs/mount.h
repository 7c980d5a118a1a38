/*
 * mount.h - the mount table: which file system is mounted on which
 * directory, mount(2) and umount2(2), and /proc/mounts.
 */
#ifndef HOLSTEIN_MOUNT_H
#define HOLSTEIN_MOUNT_H

#include "../kernel/kernel.h"
#include "inode.h"

#define MS_RDONLY	1	/* mount(2)'s flag, and struct mount's */

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
/* mount_move - hang mount @m on directory @at instead (boot: onto the disk root).  No lock held. */
void mount_move(struct mount *m, struct inode *at);
/* mount_drop - a lazy umount of @m and what is mounted below it.  No lock held. */
void mount_drop(struct mount *m);
/* mount_tree_free - unlink everything under directory @dir, depth first (an unmounted fs). */
void mount_tree_free(struct inode *dir);
/*
 * super_discard - the end of a super block out of the mount table: a
 * disk fs writes back first; then sb->detached and its tree is emptied;
 * the last inode to go calls put_super and frees it.  No lock held.
 */
void super_discard(struct super *sb);

/*
 * A file-system type mount(2) takes.  The memory ones (tmpfs, proc,
 * devtmpfs) are made by mount.c; a disk one has mount_dev: read the file
 * system on block device @rdev (major << 8 | minor) and return its super
 * block in *@out: root, tree, type, ops, magic set, sb->dev = @rdev, and
 * force_rdonly if it can only be read; @flags are mount(2)'s (MS_RDONLY),
 * @data its option string.  Sleeps.  0, or ENXIO (no such device),
 * EINVAL (not this fs), EUCLEAN/EIO (damaged), ENOMEM...
 */
struct fs_type {
	const char *name;
	long (*mount_dev)(uint32_t rdev, unsigned long flags, const char *data, struct super **out);
};
/* mount_fs_type - the type named @name, or NULL (ENODEV). */
const struct fs_type *mount_fs_type(const char *name);
/* mount_fs_type_nth - the @i-th type, NULL past the last (/proc/filesystems). */
const struct fs_type *mount_fs_type_nth(int i);
/* mount_dev_busy - is a file system of device @rdev mounted?  Takes vfs_lock. */
int mount_dev_busy(uint32_t rdev);

/*
 * mount_dev_user - mount(2) of disk type @ft from the block device the
 * user path @usource names, on directory @at: ENOENT, ENOTBLK (not a block
 * device), ENXIO (no such device), EBUSY (it is mounted), or mount_dev's.
 */
long mount_dev_user(const struct fs_type *ft, unsigned long usource, struct inode *at,
		    unsigned long flags, const char *opts);
/*
 * mount_root - root=: mount block device @dev ("/dev/vda", or "254:0")
 * with type @fstype (NULL: try each disk type) over the rootfs's root,
 * which it replaces as "/"; the mounts made at boot (/dev, /proc) move onto
 * the same directories of the new root, or are taken away if it has none.
 * Sleeps: called by the first process, before it runs init.  0 or -errno.
 */
long mount_root(const char *dev, const char *fstype, unsigned long flags);
/* ext4_mount - fs/ext4_load.c's mount_dev ("ext4", "ext3", "ext2"): the fs on disk @rdev.  Sleeps. */
long ext4_mount(uint32_t rdev, unsigned long flags, const char *data, struct super **out);
/* ext4_pcache_count - frames reclaim could take back from ext4's page cache now (MemAvailable). */
unsigned long ext4_pcache_count(void);

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
