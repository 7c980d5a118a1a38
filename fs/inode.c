/*
 * inode.c - inodes and in-memory directories (see inode.h): creation,
 * references, times, entries, and the pager that lets a mapping hold and
 * name a file.
 */
#include "../kernel/kernel.h"
#include "../kernel/sched.h"
#include "../kernel/time.h"
#include "../vm/kmalloc.h"
#include "../vm/pager.h"
#include "../vm/shmem.h"
#include "inode.h"
#include "locks.h"

struct spinlock vfs_lock = SPINLOCK_INIT("vfs");
/* Guards every inode's writing flag; handed to sched_sleep (level 1 of docs/design.md). */
static struct spinlock inode_wait_lock = SPINLOCK_INIT("inode_wait");
struct inode *vfs_root;

/* Inode numbers: one sequence for every file system, so (dev, ino) is unique anyway. */
static uint64_t next_ino = 1;

struct timespec64 inode_now(void)
{
	uint64_t ns = time_realtime_ns();

	return (struct timespec64){ (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
}

struct inode *inode_new(struct super *sb, uint32_t mode)
{
	struct inode *ip;

	spin_lock(&vfs_lock);
	if (sb->max_inodes && sb->inodes >= sb->max_inodes) {
		spin_unlock(&vfs_lock);
		return 0;
	}
	sb->inodes++;
	sb->active++;			/* the new inode's reference */
	spin_unlock(&vfs_lock);
	ip = kzalloc(sizeof(*ip));
	if (!ip) {
		spin_lock(&vfs_lock);
		sb->inodes--;
		sb->active--;
		spin_unlock(&vfs_lock);
		return 0;
	}
	ip->refs = 1;
	ip->mode = mode;
	ip->sb = sb;
	ip->ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED);
	ip->atime = ip->mtime = ip->ctime = ip->btime = inode_now();
	ip->tail = &ip->entries;
	ip->next_cookie = 3;		/* 1 and 2 are "." and ".." */
	ip->parent = ip;
	return ip;
}

struct inode *inode_get_locked(struct inode *ip)
{
	ip->refs++;
	ip->sb->active++;
	return ip;
}

struct inode *inode_get(struct inode *ip)
{
	spin_lock(&vfs_lock);
	inode_get_locked(ip);
	spin_unlock(&vfs_lock);
	return ip;
}

void inode_unref_locked(struct inode *ip)
{
	ip->refs--;
	ip->sb->active--;
}

/* inode_free - @ip has no links and no references: give back everything it holds. */
static void inode_free(struct inode *ip)
{
	struct super *sb = ip->sb;
	int last;

	if (sb->ops && sb->ops->evict && !sb->detached)
		sb->ops->evict(ip);	/* its disk inode and blocks go at the next sync */
	if (ip->mem)
		shmem_put(ip->mem);
	kfree(ip->link);
	kfree(ip->path);
	locks_free(ip->locks);
	kfree(ip);
	spin_lock(&vfs_lock);
	last = --sb->inodes == 0 && !sb->mnt;
	spin_unlock(&vfs_lock);
	if (last) {			/* unmounted, and its last file is gone */
		if (sb->ops && sb->ops->put_super)
			sb->ops->put_super(sb);
		tmpfs_super_free(sb);
	}
}

void inode_put(struct inode *ip)
{
	int dead;

	spin_lock(&vfs_lock);
	inode_unref_locked(ip);
	dead = ip->refs == 0 && ip->nlink == 0;
	spin_unlock(&vfs_lock);
	if (dead)
		inode_free(ip);
}

uint64_t inode_size(struct inode *ip)
{
	if (ip->mem)
		return shmem_size(ip->mem);
	if (ip->link)
		return strlen(ip->link);
	if (S_ISDIR(ip->mode))
		return (ip->nentries + 2) * 20;		/* tmpfs's size of a directory */
	return 0;
}

/* ts_le - is @a at or before @b? */
static int ts_le(struct timespec64 a, struct timespec64 b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.nsec <= b.nsec);
}

/*
 * atime_due - should an access move @ip's atime to @now?  Always on a
 * memory fs; on a disk fs as Linux's relatime (only past the last change,
 * or once a day), so reading a directory is no write back, and never when
 * it is read-only.
 */
static int atime_due(struct inode *ip, struct timespec64 now)
{
	if (!ip->sb->ops)
		return 1;
	if (ip->sb->rdonly)
		return 0;
	return ts_le(ip->atime, ip->mtime) || ts_le(ip->atime, ip->ctime) ||
	       now.sec - ip->atime.sec >= 24 * 3600;
}

void inode_touch(struct inode *ip, unsigned which)
{
	struct timespec64 now = inode_now();

	if ((which & TOUCH_A) && !atime_due(ip, now))
		which &= ~(unsigned)TOUCH_A;
	if (!which)
		return;
	if (which & TOUCH_A)
		ip->atime = now;
	if (which & TOUCH_M)
		ip->mtime = now;
	if (which & TOUCH_C)
		ip->ctime = now;
	inode_dirty(ip, DIRTY_ATTR);
}

void inode_dirty(struct inode *ip, unsigned what)
{
	struct super *sb = ip->sb;

	/* Once unmounted (its tree being emptied), nothing reaches the disk. */
	if (sb->ops && sb->ops->dirty && !sb->detached)
		sb->ops->dirty(ip, what);
}

long mnt_want_write(struct inode *ip)
{
	return __atomic_load_n(&ip->sb->rdonly, __ATOMIC_RELAXED) ? -EROFS : 0;
}

long inode_fill(struct inode *ip)
{
	struct super *sb = ip->sb;

	if (!S_ISREG(ip->mode) || !sb->ops || !sb->ops->open || sb->detached)
		return 0;
	return sb->ops->open(ip);
}

void inode_wlock(struct inode *ip)
{
	spin_lock(&inode_wait_lock);
	while (ip->writing)
		sched_sleep(&ip->writing, &inode_wait_lock);
	ip->writing = 1;
	spin_unlock(&inode_wait_lock);
}

int inode_wtrylock(struct inode *ip)
{
	int busy;

	spin_lock(&inode_wait_lock);
	busy = ip->writing;
	ip->writing = 1;
	spin_unlock(&inode_wait_lock);
	return !busy;
}

void inode_wunlock(struct inode *ip)
{
	spin_lock(&inode_wait_lock);
	ip->writing = 0;
	spin_unlock(&inode_wait_lock);
	sched_wakeup(&ip->writing);
}

struct dentry *dir_find(struct inode *dir, const char *name, size_t len)
{
	for (struct dentry *d = dir->entries; d; d = d->next)
		if (!strncmp(d->name, name, len) && !d->name[len])
			return d;
	return 0;
}

int dir_add(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	struct dentry *d = kmalloc(sizeof(*d) + len + 1);

	if (!d)
		return -ENOMEM;
	memcpy(d->name, name, len);
	d->name[len] = 0;
	d->inode = ip;
	d->cookie = dir->next_cookie++;
	d->next = 0;
	*dir->tail = d;
	dir->tail = &d->next;
	dir->nentries++;
	ip->nlink++;
	if (S_ISDIR(ip->mode)) {
		ip->parent = dir;
		dir->nlink++;		/* the child's ".." */
		ip->nlink++;		/* its own "." */
		inode_dirty(ip, DIRTY_ENTRIES);	/* its ".." names @dir now (new, or moved) */
	}
	inode_dirty(dir, DIRTY_ENTRIES | DIRTY_ATTR);
	inode_dirty(ip, DIRTY_ATTR);
	return 0;
}

struct inode *dir_remove(struct inode *dir, struct dentry *d)
{
	struct dentry **pp = &dir->entries;
	struct inode *ip = d->inode;

	while (*pp != d)
		pp = &(*pp)->next;
	*pp = d->next;
	if (dir->tail == &d->next)
		dir->tail = pp;
	dir->nentries--;
	kfree(d);
	inode_get_locked(ip);
	ip->nlink--;
	if (S_ISDIR(ip->mode)) {
		dir->nlink--;
		ip->nlink--;		/* a directory's last name goes with its "." */
		if (!ip->nlink)
			ip->parent = ip;	/* removed: ".." must not reach a parent that may die */
	}
	inode_dirty(dir, DIRTY_ENTRIES | DIRTY_ATTR);
	inode_dirty(ip, DIRTY_ATTR);
	return ip;
}

const char *dir_name_of(struct inode *ip)
{
	if (ip->parent == ip)
		return 0;
	for (struct dentry *d = ip->parent->entries; d; d = d->next)
		if (d->inode == ip)
			return d->name;
	return 0;
}

/* inode_set_path - remember @path as @ip's name unless another opener got there first. */
void inode_set_path(struct inode *ip, const char *path)
{
	size_t len = strlen(path) + 1;
	char *p = kmalloc(len);

	if (!p)
		return;
	memcpy(p, path, len);
	spin_lock(&vfs_lock);
	if (!ip->path) {
		ip->path = p;
		p = 0;
	}
	spin_unlock(&vfs_lock);
	kfree(p);
}

/* pager_hold / pager_release / pager_name - inode_pager: a mapping's hold on its file. */
static void pager_hold(void *obj)
{
	inode_get(obj);
}

static void pager_release(void *obj)
{
	inode_put(obj);
}

static const char *pager_name(void *obj, unsigned long *ino)
{
	struct inode *ip = obj;

	*ino = ip->ino;
	return ip->path ? ip->path : "";
}

const struct vm_pager inode_pager = { .hold = pager_hold, .release = pager_release,
				      .name = pager_name };
