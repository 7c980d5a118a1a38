/*
 * mount_text.c - the text of /proc/mounts and /proc/self/mountinfo, from
 * the mount table (mount.c), in Linux 6.1's formats.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "../vm/phys.h"
#include "../vm/pmm.h"
#include "../vm/shmem.h"
#include "inode.h"
#include "mount.h"
#include "namei.h"


/* mount_line - one line of /proc/mounts (@info 0) or mountinfo (1) for @m at @buf. vfs_lock held. */
static size_t mount_line(struct mount *m, int info, char *buf, size_t n, char *path)
{
	struct super *sb = m->sb;
	char size[48] = "";

	if (!m->mountpoint || path_of_locked(m->mountpoint, path, PAGE_SIZE) < 0)
		strlcpy(path, "/", PAGE_SIZE);
	if (sb->quota && !sb->ops)	/* a tmpfs's limit; a disk fs's pages are only a cache */
		snprintf(size, sizeof(size), ",size=%luk", sb->quota->max * 4);
	const char *rw = (m->flags & MS_RDONLY) ? "ro" : "rw";
	const char *relatime = sb->ops ? ",relatime" : "";	/* a disk fs: as Linux shows ext4 */
	if (!info)
		return (size_t)snprintf(buf, n, "%s %s %s %s%s%s 0 0\n", m->source, path, sb->type, rw,
					relatime, size);
	struct mount *up = m->mountpoint ? m->mountpoint->sb->mnt : 0;
	int parent = up ? up->id : 1;
	char prop[48];
	mount_prop_fields(m, prop, sizeof(prop));
	/* A memory fs's number is 0:N, a disk's its device's (major << 8 | minor: 254:0). */
	unsigned long dev = (unsigned long)sb->dev, major = sb->ops ? dev >> 8 : 0;
	return (size_t)snprintf(buf, n, "%d %d %lu:%lu / %s %s,relatime%s - %s %s %s%s\n", m->id,
				parent, major, sb->ops ? dev & 0xff : dev, path, rw, prop, sb->type,
				m->source, rw, size);
}

char *mount_text(int info, size_t *len)
{
	phys_addr_t pg = pmm_alloc();
	size_t cap = 2016, n = 0;
	char *t = kmalloc(cap);

	if (!t || !pg) {
		kfree(t);
		if (pg)
			pmm_put(pg);
		return 0;
	}
	/*
	 * The table is short: walked again for each line, and each line made
	 * under vfs_lock, since an umount2 frees its mount and may free the
	 * mount point and the super block as soon as the lock is dropped.
	 */
	for (int i = 0;; i++) {
		struct mount *m;
		char line[256];
		size_t l = 0;
		spin_lock(&vfs_lock);
		m = mount_list();
		for (int j = 0; m && j < i; j++)
			m = m->next;
		/* The rootfs under a disk root lies outside "/": Linux does not list it. */
		if (m && !(!m->mountpoint && m->sb->root->mounted))
			l = mount_line(m, info, line, sizeof(line), phys_to_virt(pg));
		spin_unlock(&vfs_lock);
		if (!m)
			break;
		l = MIN(l, sizeof(line) - 1);
		if (n + l + 1 > cap)
			break;
		memcpy(t + n, line, l);
		n += l;
	}
	t[n] = 0;
	pmm_put(pg);
	*len = n;
	return t;
}

