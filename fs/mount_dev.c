/*
 * mount_dev.c - the file-system types mount(2) knows, and mounting a disk
 * file system from a block device: by mount(2), and as the root at boot
 * (root=).  The disk file systems themselves (ext4_vfs.c) only read a
 * device into a super block (struct fs_type's mount_dev); this file finds
 * the device, refuses what Linux refuses, and hangs the result in the
 * tree (mount.c).
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/uaccess.h"
#include "inode.h"
#include "mount.h"
#include "namei.h"
#include "swapon.h"

/* In Linux 6.1's order of /proc/filesystems (ext4 registers ext3 and ext2 first). */
static const struct fs_type fs_types[] = {
	{ "rootfs", 0 }, { "tmpfs", 0 }, { "devtmpfs", 0 }, { "proc", 0 },
	{ "ext3", ext4_mount }, { "ext2", ext4_mount }, { "ext4", ext4_mount },
};

const struct fs_type *mount_fs_type_nth(int i)
{
	return i >= 0 && i < (int)ARRAY_SIZE(fs_types) ? &fs_types[i] : 0;
}

const struct fs_type *mount_fs_type(const char *name)
{
	/* The rootfs is only ever the first root: mount(2) does not take it. */
	for (int i = 1; i < (int)ARRAY_SIZE(fs_types); i++)
		if (!strcmp(fs_types[i].name, name))
			return &fs_types[i];
	return 0;
}

int mount_dev_busy(uint32_t rdev)
{
	int busy = 0;

	spin_lock(&vfs_lock);
	for (struct mount *m = mount_list(); m; m = m->next)
		if (m->sb->ops && m->sb->dev == rdev)
			busy = 1;
	spin_unlock(&vfs_lock);
	return busy;
}

/* dev_mount_held - dev_mount, the device held against swapon. */
static long dev_mount_held(const struct fs_type *ft, uint32_t rdev, struct inode *at,
			   const char *source, unsigned long flags, const char *opts)
{
	struct super *sb = 0;
	long r;

	if (mount_dev_busy(rdev))
		return -EBUSY;
	if (!ft)
		ft = mount_fs_type("ext4");	/* no type given: ext4's reads ext2 and ext3 too */
	if ((r = ft->mount_dev(rdev, flags, opts, &sb)))
		return r;
	sb->dev = rdev;
	sb->rdonly = (flags & MS_RDONLY) || sb->force_rdonly;
	if (sb->rdonly)
		flags |= MS_RDONLY;
	if ((r = mount_attach(sb, at, source, flags)))
		super_discard(sb);	/* nothing was changed: nothing to write back */
	return r;
}

/*
 * dev_mount - read the fs of type @ft (NULL: each disk type in turn) on
 * device @rdev and mount it on @at as @source: EBUSY if a swap area is on
 * it.  Sleeps.  0 or -errno.
 */
static long dev_mount(const struct fs_type *ft, uint32_t rdev, struct inode *at, const char *source,
		      unsigned long flags, const char *opts)
{
	long r = swapon_hold_dev(rdev);

	if (r)
		return r;
	r = dev_mount_held(ft, rdev, at, source, flags, opts);
	swapon_release_dev(rdev);
	return r;
}

long mount_dev_user(const struct fs_type *ft, unsigned long usource, struct inode *at,
		    unsigned long flags, const char *opts)
{
	phys_addr_t pg;
	struct nameidata nd;
	char *path;
	long r;

	if (!usource)
		return -EINVAL;		/* Linux: "No source specified" */
	if (!(pg = pmm_alloc()))
		return -ENOMEM;
	path = phys_to_virt(pg);
	r = uaccess_strncpy_from_user(path, usource, PATH_MAX);
	if (r >= 0)
		r = path[0] ? namei(AT_FDCWD, path, LOOKUP_FOLLOW, &nd) : -ENOENT;
	if (r >= 0) {
		uint32_t rdev = nd.inode ? nd.inode->rdev : 0;
		r = nd.proc || !S_ISBLK(nd.inode->mode) ? -ENOTBLK : 0;
		nd_release(&nd);
		if (!r)
			r = dev_mount(ft, rdev, at, path, flags, opts);
	}
	pmm_put(pg);
	return r;
}

/* root_rdev - root='s device: a path ("/dev/vda", a block device) or "major:minor". 0 or -errno. */
static long root_rdev(const char *dev, uint32_t *rdev)
{
	struct nameidata nd;
	long r;

	if (dev[0] >= '0' && dev[0] <= '9') {
		unsigned long major = 0, minor = 0;
		while (*dev >= '0' && *dev <= '9')
			major = major * 10 + (unsigned long)(*dev++ - '0');
		if (*dev++ != ':' || !*dev)
			return -EINVAL;
		while (*dev >= '0' && *dev <= '9')
			minor = minor * 10 + (unsigned long)(*dev++ - '0');
		if (*dev || major > 0xfff || minor > 0xff)
			return -EINVAL;
		*rdev = (uint32_t)(major << 8 | minor);
		return 0;
	}
	if ((r = namei(AT_FDCWD, dev, LOOKUP_FOLLOW, &nd)))
		return r;
	r = nd.proc || !S_ISBLK(nd.inode->mode) ? -ENOTBLK : 0;
	if (!r)
		*rdev = nd.inode->rdev;
	nd_release(&nd);
	return r;
}

/* move_boot_mounts - the mounts on directories of the rootfs (the old "/") onto the new root's. */
static void move_boot_mounts(struct super *rootfs)
{
	struct { struct mount *m; char path[64]; } moves[8];
	char buf[64];
	int n = 0;

	/* Named first, while the walk still reaches them: only the booting process runs. */
	spin_lock(&vfs_lock);
	for (struct mount *m = mount_list(); m && n < 8; m = m->next)
		if (m->mountpoint && m->mountpoint->sb == rootfs && m->mountpoint != rootfs->root &&
		    path_of_locked(m->mountpoint, buf, sizeof(buf)) > 0) {
			moves[n].m = m;
			strlcpy(moves[n++].path, buf, sizeof(moves[0].path));
		}
	spin_unlock(&vfs_lock);
	vfs_root = rootfs->root->mounted->sb->root;
	for (int i = 0; i < n; i++) {
		struct nameidata nd;
		if (!namei(AT_FDCWD, moves[i].path, LOOKUP_FOLLOW, &nd)) {
			int ok = !nd.proc && S_ISDIR(nd.inode->mode) && !nd.inode->mounted;
			if (ok)
				mount_move(moves[i].m, nd.inode);
			nd_release(&nd);
			if (ok)
				continue;
		}
		pr_info("VFS: no %s on the root: %s not mounted there\n", moves[i].path,
			moves[i].m->sb->type);
		mount_drop(moves[i].m);		/* out of reach beneath the new root */
	}
}

long mount_root(const char *dev, const char *fstype, unsigned long flags)
{
	const struct fs_type *ft = 0;
	struct super *rootfs = vfs_root->sb;
	uint32_t rdev = 0;
	long r;

	if (fstype && (!(ft = mount_fs_type(fstype)) || !ft->mount_dev))
		return -ENODEV;
	if ((r = root_rdev(dev, &rdev)))
		return r;
	if ((r = dev_mount(ft, rdev, vfs_root, "/dev/root", flags, "")))
		return r;
	move_boot_mounts(rootfs);
	pr_info("VFS: Mounted root (%s filesystem)%s on device %u:%u.\n",
		vfs_root->sb->type, vfs_root->sb->rdonly ? " readonly" : "", rdev >> 8, rdev & 0xff);
	return 0;
}
