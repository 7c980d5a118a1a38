/*
 * mount.c - the mount table: the root tmpfs and what is mounted on it
 * (/dev, /dev/shm, /proc at boot; any tmpfs or proc later), mount(2),
 * umount2(2), and the text of /proc/mounts and /proc/self/mountinfo.
 *
 * A mount hangs a super block's root on a directory (inode->mounted); the
 * path walk crosses it both ways (namei.c).  One super block is mounted
 * once (no bind mounts), so a super block knows its mount.  The
 * propagation types (MS_SHARED...) are mount_prop.c's.
 */
#include "../kernel/kernel.h"
#include "../kernel/syscall.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "../vm/uaccess.h"
#include "devfs.h"
#include "inode.h"
#include "memfd.h"
#include "mount.h"
#include "namei.h"
#include "sync.h"
#include "vfs.h"

#define MS_REMOUNT	32
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_PROPAGATION	(0xfUL << 17)	/* MS_UNBINDABLE, MS_PRIVATE, MS_SLAVE, MS_SHARED */
#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

static struct mount *mounts;		/* vfs_lock */
static struct super *procfs_sb;
static int next_mnt_id = 20;

struct super *proc_super(void)
{
	static struct super none = { .type = "proc", .magic = 0x9fa0 };	/* none mounted */

	return procfs_sb ? procfs_sb : &none;
}

struct mount *mount_list(void)
{
	return mounts;
}

struct mount *mount_parent(struct mount *m)
{
	return m->mountpoint ? m->mountpoint->sb->mnt : 0;
}

int mount_attach(struct super *sb, struct inode *at, const char *source, unsigned long flags)
{
	struct mount *m = kzalloc(sizeof(*m)), **pp;

	if (!m)
		return -ENOMEM;
	m->sb = sb;
	m->flags = flags;
	m->id = next_mnt_id++;
	strlcpy(m->source, source, sizeof(m->source));
	spin_lock(&vfs_lock);
	if (at && (at->mounted || !S_ISDIR(at->mode) || at->nlink == 0 || at->sb->detached)) {
		spin_unlock(&vfs_lock);
		kfree(m);
		return at->mounted ? -EBUSY : -ENOENT;
	}
	m->mountpoint = at ? inode_get_locked(at) : 0;
	if (at)
		at->mounted = m;
	mount_prop_new(m, at ? at->sb->mnt : 0);
	sb->mnt = m;
	/* A root mounted over the rootfs comes first in /proc/mounts (which hides the rootfs). */
	for (pp = &mounts; *pp && !(at && at == vfs_root && pp != &mounts); pp = &(*pp)->next)
		;
	m->next = *pp;
	*pp = m;
	spin_unlock(&vfs_lock);
	return 0;
}

void mount_move(struct mount *m, struct inode *at)
{
	struct inode *old;

	spin_lock(&vfs_lock);
	old = m->mountpoint;
	old->mounted = 0;
	m->mountpoint = inode_get_locked(at);
	at->mounted = m;
	spin_unlock(&vfs_lock);
	inode_put(old);
}

/*
 * tree_free - unlink everything under directory @dir, depth first (an
 * unmounted tmpfs).  Each directory taken out is marked removed at once, as
 * rmdir would leave it: a process may still stand in it.
 */
void mount_tree_free(struct inode *dir)
{
	for (;;) {
		struct inode *ip = 0;

		spin_lock(&vfs_lock);
		if (dir->entries) {
			ip = dir_remove(dir, dir->entries);
			/*
			 * Out of the tree now, though its own entries (removed
			 * next) still keep nlink above 0, so dir_remove left
			 * its ".." on @dir, which may be freed before a cwd or
			 * an open directory in @ip lets go of it.
			 */
			ip->parent = ip;
		}
		spin_unlock(&vfs_lock);
		if (!ip)
			return;
		if (S_ISDIR(ip->mode))
			mount_tree_free(ip);
		inode_put(ip);
	}
}

/* child_of - a mount whose mount point lies in @sb's tree, or NULL.  vfs_lock held. */
static struct mount *child_of(struct super *sb)
{
	for (struct mount *m = mounts; m; m = m->next)
		if (m->mountpoint && m->mountpoint->sb == sb)
			return m;
	return 0;
}

/*
 * mount_detach - take mount @m out of the tree, its own mounts first (a
 * lazy umount takes the whole subtree), write back what a disk fs changed
 * (out of reach of new walks by then), and unlink its files: those still
 * open keep their inodes, and the last of them frees the super block
 * (put_super).  Changes through files a lazy umount left open are not
 * written.  vfs_lock held on entry, dropped on return.
 */
static void mount_detach(struct mount *m)
{
	struct super *sb = m->sb;
	struct mount **pp, *c;

	while ((c = child_of(sb))) {
		mount_detach(c);
		spin_lock(&vfs_lock);
	}
	for (pp = &mounts; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	mount_prop_detach(m);
	m->mountpoint->mounted = 0;
	sb->mnt = 0;
	if (sb == procfs_sb)
		procfs_sb = 0;
	spin_unlock(&vfs_lock);
	inode_put(m->mountpoint);
	kfree(m);
	super_discard(sb);
}

void mount_drop(struct mount *m)
{
	spin_lock(&vfs_lock);
	mount_detach(m);
}

void super_discard(struct super *sb)
{
	if (vfs_sync_super(sb))
		pr_err("umount: %s: writing back failed\n", sb->type);
	spin_lock(&vfs_lock);
	sb->detached = 1;		/* no create may race the emptying; nothing more reaches the disk */
	spin_unlock(&vfs_lock);
	mount_tree_free(sb->root);
	spin_lock(&vfs_lock);
	sb->root->nlink = 0;
	spin_unlock(&vfs_lock);
	inode_put(sb->root);		/* the super block's own reference: the last frees it */
}

/* parse_size - a tmpfs size= value: bytes with k/m/g, or a percentage of RAM; in pages. */
static unsigned long parse_size(const char *v)
{
	unsigned long n = 0;

	while (*v >= '0' && *v <= '9')
		n = n * 10 + (unsigned long)(*v++ - '0');
	switch (*v) {
	case 'k': case 'K': n <<= 10; break;
	case 'm': case 'M': n <<= 20; break;
	case 'g': case 'G': n <<= 30; break;
	case '%': return pmm_total_frames() * n / 100;
	}
	return (n + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* tmpfs_options - apply "size=..,nr_inodes=..,mode=.." to @sb. 0 or -EINVAL. */
static long tmpfs_options(struct super *sb, const char *opts)
{
	while (opts && *opts) {
		const char *e = opts;
		while (*e && *e != ',')
			e++;
		if (!strncmp(opts, "size=", 5)) {
			unsigned long pages = parse_size(opts + 5);
			if (!pages)
				return -EINVAL;
			sb->quota->max = pages;
		} else if (!strncmp(opts, "nr_inodes=", 10)) {
			sb->max_inodes = parse_size(opts + 10) * PAGE_SIZE;
		} else if (!strncmp(opts, "mode=", 5)) {
			uint32_t m = 0;
			for (const char *c = opts + 5; c < e; c++)
				m = m * 8 + (uint32_t)(*c - '0');
			sb->root->mode = S_IFDIR | (m & 07777);
		}
		opts = *e ? e + 1 : e;
	}
	return 0;
}

/* copy_str - a user string of at most @n bytes into @buf; "" for NULL. */
static long copy_str(ul u, char *buf, size_t n)
{
	long r;

	buf[0] = 0;
	if (!u)
		return 0;
	r = uaccess_strncpy_from_user(buf, u, n);
	return r < 0 ? r : 0;
}

/* mount_propagation - mount(2)'s MS_SHARED...: on the mount whose root the user path @upath names. */
static long mount_propagation(ul upath, ul flags)
{
	struct nameidata nd;
	struct inode *root;
	long r = namei_user(AT_FDCWD, upath, LOOKUP_FOLLOW, &nd);

	if (r)
		return r;
	spin_lock(&vfs_lock);
	/* A proc mount's root ends its walk as the path "/proc" (see umount2). */
	root = nd.proc ? (!strcmp(nd.proc, "/proc") ? nd.proc_root : 0) : nd.inode;
	if (!root || root != root->sb->root || !root->sb->mnt)
		r = -EINVAL;
	else
		r = mount_prop_change(root->sb->mnt, flags);
	spin_unlock(&vfs_lock);
	nd_release(&nd);
	return r;
}

/*
 * remount - MS_REMOUNT of the mount whose root is @root: a tmpfs takes new
 * options; MS_RDONLY turns the mount read-only (EBUSY while a file is open
 * for writing, as Linux; what a disk fs changed is written back first) or
 * back to read-write (EROFS if the fs can only be read).  EINVAL unless @root is a mount's root.
 */
static long remount(struct inode *root, unsigned long flags, const char *opts)
{
	struct super *sb = root->sb;
	long r = 0;

	if (root != sb->root || !sb->mnt)
		return -EINVAL;
	if (sb->quota && (r = tmpfs_options(sb, opts)))
		return r;
	if ((flags & MS_RDONLY) && !sb->rdonly) {
		__atomic_store_n(&sb->rdonly, 1, __ATOMIC_SEQ_CST);	/* first: no new change starts */
		if (__atomic_load_n(&sb->writers, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&sb->rdonly, 0, __ATOMIC_SEQ_CST);
			return -EBUSY;		/* a file is open for writing (regfile.c) */
		}
		r = vfs_sync_super(sb);
	} else if (!(flags & MS_RDONLY) && sb->rdonly) {
		if (sb->force_rdonly)
			return -EROFS;
		__atomic_store_n(&sb->rdonly, 0, __ATOMIC_RELAXED);
	}
	spin_lock(&vfs_lock);
	if (sb->mnt)
		sb->mnt->flags = (sb->mnt->flags & ~(unsigned long)MS_RDONLY) |
				 (sb->rdonly ? MS_RDONLY : 0);
	spin_unlock(&vfs_lock);
	return r;
}

/* mount_mem - a new tmpfs, devtmpfs or proc (type @type) on directory @at. */
static long mount_mem(const char *type, const char *source, struct inode *at, unsigned long flags,
		      const char *opts)
{
	int proc = !strcmp(type, "proc");
	struct super *sb = tmpfs_super(!strcmp(type, "tmpfs") ? "tmpfs" :
				       proc ? "proc" : "devtmpfs", 0, 0);
	long r;

	if (!sb)
		return -ENOMEM;
	sb->rdonly = (flags & MS_RDONLY) != 0;
	if (!(r = sb->quota ? tmpfs_options(sb, opts) : 0))
		r = mount_attach(sb, at, source[0] ? source : proc ? "proc" : "none", flags);
	if (r) {
		sb->root->nlink = 0;
		inode_put(sb->root);	/* the last inode: frees the super block too */
	} else if (proc) {
		spin_lock(&vfs_lock);
		sb->root->mode = S_IFDIR | 0555;
		if (!procfs_sb)
			procfs_sb = sb;	/* statfs and chdir("/proc") use the first one mounted */
		spin_unlock(&vfs_lock);
	}
	return r;
}

/*
 * mount(source, target, type, flags, data) - a new tmpfs (size=,
 * nr_inodes=, mode=) or proc on a directory, or a disk file system (ext4)
 * from the block device @source names (mount_dev.c); MS_RDONLY makes it
 * read-only.  MS_REMOUNT changes a tmpfs's size or a mount's MS_RDONLY;
 * MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE (with MS_REC) sets the
 * propagation type of the mount whose root @target is (else EINVAL).
 * Bind and move mounts are EINVAL here.
 */
SYSCALL(mount)
{
	char type[16], *opts;
	struct nameidata nd;
	const struct fs_type *ft = 0;
	phys_addr_t pg;
	long r;

	if ((r = copy_str(a2, type, sizeof(type))))
		return r == -ENAMETOOLONG ? -ENODEV : r;
	if (a3 & (MS_BIND | MS_MOVE))
		return -EINVAL;
	if (!(a3 & MS_REMOUNT) && (a3 & MS_PROPAGATION))
		return mount_propagation(a1, a3);
	if (!(pg = pmm_alloc()))
		return -ENOMEM;
	opts = phys_to_virt(pg);
	if ((r = copy_str(a4, opts, PAGE_SIZE / 2)))
		goto out;
	if ((r = namei_user(AT_FDCWD, a1, LOOKUP_FOLLOW, &nd)))
		goto out;
	if (nd.proc)
		r = -EBUSY;
	else if (a3 & MS_REMOUNT)
		r = remount(nd.inode, a3, opts);
	else if (!S_ISDIR(nd.inode->mode))
		r = -ENOTDIR;
	else if (!(ft = mount_fs_type(type)))
		r = -ENODEV;
	else if (ft->mount_dev)
		r = mount_dev_user(ft, a0, nd.inode, a3, opts);
	else if (!(r = copy_str(a0, opts + PAGE_SIZE / 2, 32)))
		r = mount_mem(ft->name, opts + PAGE_SIZE / 2, nd.inode, a3, opts);
	nd_release(&nd);
out:
	pmm_put(pg);
	return r == -ENAMETOOLONG && ft && !ft->mount_dev ? -ENODEV : r;
}

/*
 * umount2(target, flags) - EINVAL unless @target is a mount's root; EBUSY
 * while anything holds a file of it (an open file, a cwd, a mapping, a
 * mount on one of its directories) unless MNT_DETACH, which takes it and
 * everything mounted below it out of the tree at once.
 */
SYSCALL(umount2)
{
	struct nameidata nd;
	struct inode *root;
	long r;

	if (a1 & ~(ul)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	r = namei_user(AT_FDCWD, a0, (a1 & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &nd);
	if (r)
		return r;
	spin_lock(&vfs_lock);
	/* A proc mount's root ends its walk as the path "/proc", with the root it came through. */
	root = nd.proc ? (!strcmp(nd.proc, "/proc") ? nd.proc_root : 0) : nd.inode;
	struct super *sb = root ? root->sb : 0;
	if (!sb || root != sb->root || !sb->mnt || !sb->mnt->mountpoint) {
		spin_unlock(&vfs_lock);
		r = -EINVAL;
	} else if (root == vfs_root) {
		spin_unlock(&vfs_lock);
		r = -EBUSY;		/* the root mounted over the rootfs */
	} else if (!(a1 & MNT_DETACH) && sb->active > 1UL + (nd.inode == root || nd.proc_root == root)) {
		spin_unlock(&vfs_lock);		/* more than its root's own and our walk's */
		r = -EBUSY;
	} else {
		mount_detach(sb->mnt);
	}
	nd_release(&nd);
	return r;
}

/* mkdir_boot - a directory made at boot; an existing one is fine. */
static void mkdir_boot(const char *path, uint32_t mode)
{
	long r = vfs_mknod(AT_FDCWD, path, S_IFDIR | mode, 0, 0, 0);

	if (r && r != -EEXIST)
		pr_err("vfs: mkdir %s: %ld\n", path, r);
}

/* mount_boot - mount a new instance of @type on @path at boot. */
static struct super *mount_boot(const char *type, const char *source, const char *path)
{
	struct super *sb = tmpfs_super(type, 0, 0);
	struct nameidata nd;

	if (!sb || namei(AT_FDCWD, path, LOOKUP_FOLLOW, &nd))
		panic("vfs: cannot mount %s on %s", type, path);
	if (mount_attach(sb, nd.inode, source, 0))
		panic("vfs: cannot mount %s on %s", type, path);
	nd_release(&nd);
	return sb;
}

void vfs_init(void)
{
	struct super *sb = tmpfs_super("rootfs", 0, 0);

	if (!sb || mount_attach(sb, 0, "rootfs", 0))
		panic("vfs: no memory for the root file system");
	sb->root->mode = S_IFDIR | 0755;
	vfs_root = sb->root;
	memfd_init();
}

void vfs_init_late(void)
{
	/* Half of RAM, counted now that the archive's frames are back. */
	vfs_root->sb->quota->max = pmm_total_frames() / 2;
	mkdir_boot("/dev", 0755);
	mkdir_boot("/proc", 0555);
	mkdir_boot("/tmp", 01777);
	mkdir_boot("/var", 0755);
	mkdir_boot("/var/tmp", 01777);
	mkdir_boot("/etc", 0755);
	mount_boot("devtmpfs", "devtmpfs", "/dev")->root->mode = S_IFDIR | 0755;
	devfs_populate();
	mkdir_boot("/dev/shm", 01777);
	mount_boot("tmpfs", "tmpfs", "/dev/shm");
	procfs_sb = mount_boot("proc", "proc", "/proc");
	procfs_sb->root->mode = S_IFDIR | 0555;
	vfs_mknod(AT_FDCWD, "/etc/mtab", S_IFLNK | 0777, 0, "/proc/self/mounts", 0);
}
