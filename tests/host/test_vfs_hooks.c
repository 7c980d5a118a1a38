/*
 * test_vfs_hooks.c - host test of the VFS side of a disk file system:
 * fs/inode.c calls a super block's super_ops (inode.h) where the in-memory
 * tree changes, and never for the memory file systems or once unmounted.
 *
 * A fake file system records every call.  What must hold: adding or
 * removing a name marks the directory's entries and both inodes' attributes
 * dirty, a directory that gets a new parent its entries too (its ".."); a
 * time change marks attributes; the last put of an unlinked inode evicts it
 * exactly once, a linked one never; a detached (unmounted) super block
 * hears nothing more but put_super, which comes with its last inode and
 * before the super block is freed; inode_fill opens regular files only and
 * passes the error on; a read-only super block refuses writers (EROFS);
 * a disk fs's atime moves as Linux's relatime, never when read-only.
 * fs/inode.c is built with -DHOST_TEST (no-op spinlocks); the scheduler,
 * clock, page cache and lock table are stubs below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fs/inode.h"
#include "kernel/errno.h"

/* Stubs for what fs/inode.c calls outside itself. */
void sched_sleep(void *chan, struct spinlock *lk);
void sched_wakeup(void *chan);
uint64_t time_realtime_ns(void);
void shmem_put(struct shmem *s);
void locks_free(struct flock_state *st);

void sched_sleep(void *chan, struct spinlock *lk)
{
	(void)chan, (void)lk;
	fail_msg("inode_wlock slept in a single-threaded test");
}

void sched_wakeup(void *chan)
{
	(void)chan;
}

uint64_t time_realtime_ns(void)
{
	return 1700000000ULL * 1000000000ULL;
}

void shmem_put(struct shmem *s)
{
	(void)s;
}

void locks_free(struct flock_state *st)
{
	(void)st;
}

uint64_t shmem_size(struct shmem *s);
uint64_t shmem_size(struct shmem *s)
{
	(void)s;
	return 0;
}

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

void *kmalloc(size_t size)
{
	return size > 4096 ? NULL : malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return size > 4096 ? NULL : calloc(1, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

/* The record of calls, in order: one letter each (c create, d dirty, e evict, o open, p put_super, F freed). */
static char calls[256];
static unsigned dirty_of[8];		/* the last dirty bits per inode number (small numbers only) */
static int open_result;

static void note(char c)
{
	size_t n = strlen(calls);

	assert_true(n + 1 < sizeof(calls));
	calls[n] = c;
}

static int fake_create(struct inode *dir, struct inode *ip)
{
	(void)dir, (void)ip;
	note('c');
	return 0;
}

static void fake_dirty(struct inode *ip, unsigned what)
{
	note('d');
	if (ip->ino < 8)
		dirty_of[ip->ino] |= what;
}

static void fake_evict(struct inode *ip)
{
	(void)ip;
	note('e');
}

static int fake_open(struct inode *ip)
{
	(void)ip;
	note('o');
	return open_result;
}

static void fake_put_super(struct super *sb)
{
	(void)sb;
	note('p');
}

static const struct super_ops fake_ops = {
	.create = fake_create, .dirty = fake_dirty, .evict = fake_evict, .open = fake_open,
	.put_super = fake_put_super,
};

/* tmpfs_super_free - inode.c frees an unmounted super block with its last inode. */
void tmpfs_super_free(struct super *sb)
{
	note('F');
	free(sb);
}

/* fake_sb - a mounted-looking fake disk fs (sb->mnt non-NULL) with its root, ino 1. */
static struct super *fake_sb(const struct super_ops *ops)
{
	struct super *sb = calloc(1, sizeof(*sb));

	assert_non_null(sb);
	sb->type = "fake";
	sb->ops = ops;
	sb->mnt = (struct mount *)sb;	/* any non-NULL: "mounted" */
	sb->root = inode_new(sb, S_IFDIR | 0755);
	assert_non_null(sb->root);
	sb->root->nlink = 2;
	sb->root->ino = 1;
	return sb;
}

/* new_inode - an inode of @sb numbered @ino (the fs would give it one). */
static struct inode *new_inode(struct super *sb, uint32_t mode, uint64_t ino)
{
	struct inode *ip = inode_new(sb, mode);

	assert_non_null(ip);
	ip->ino = ino;
	return ip;
}

/* sb_free - unmount @sb and drop its root: the last inode frees it. */
static void sb_free(struct super *sb)
{
	sb->mnt = 0;
	sb->detached = 1;
	sb->root->nlink = 0;
	inode_put(sb->root);
}

static int reset(void **state)
{
	(void)state;
	memset(calls, 0, sizeof(calls));
	memset(dirty_of, 0, sizeof(dirty_of));
	open_result = 0;
	return 0;
}

static void test_add_remove_marks(void **state)
{
	(void)state;
	struct super *sb = fake_sb(&fake_ops);
	struct inode *f = new_inode(sb, S_IFREG | 0644, 2), *d = new_inode(sb, S_IFDIR | 0755, 3);

	assert_int_equal(dir_add(sb->root, "f", 1, f), 0);
	assert_int_equal(dirty_of[1], DIRTY_ENTRIES | DIRTY_ATTR);
	assert_int_equal(dirty_of[2], DIRTY_ATTR);		/* its nlink */
	assert_int_equal(dir_add(sb->root, "d", 1, d), 0);
	assert_int_equal(dirty_of[3], DIRTY_ENTRIES | DIRTY_ATTR);	/* a new directory: its ".." */
	memset(dirty_of, 0, sizeof(dirty_of));

	struct inode *sub = new_inode(sb, S_IFDIR | 0755, 4);
	assert_int_equal(dir_add(d, "s", 1, sub), 0);
	memset(dirty_of, 0, sizeof(dirty_of));
	/* A rename of s to the root: its ".." changes, both directories' entries too. */
	assert_int_equal(dir_add(sb->root, "s", 1, sub), 0);
	inode_put(dir_remove(d, dir_find(d, "s", 1)));
	assert_int_equal(dirty_of[4], DIRTY_ENTRIES | DIRTY_ATTR);
	assert_int_equal(dirty_of[3], DIRTY_ENTRIES | DIRTY_ATTR);
	assert_int_equal(dirty_of[1], DIRTY_ENTRIES | DIRTY_ATTR);
	assert_null(strchr(calls, 'e'));			/* still linked: no evict */

	memset(dirty_of, 0, sizeof(dirty_of));
	inode_touch(f, TOUCH_M | TOUCH_C);
	assert_int_equal(dirty_of[2], DIRTY_ATTR);
	inode_dirty(f, DIRTY_DATA);
	assert_int_equal(dirty_of[2], DIRTY_ATTR | DIRTY_DATA);

	inode_put(f);					/* our reference: f stays, linked */
	inode_put(d);
	inode_put(sub);
	assert_null(strchr(calls, 'e'));
	inode_put(dir_remove(sb->root, dir_find(sb->root, "f", 1)));	/* unlink: the last */
	assert_non_null(strchr(calls, 'e'));
	assert_null(strchr(strchr(calls, 'e') + 1, 'e'));	/* exactly once */

	memset(calls, 0, sizeof(calls));
	sb->detached = 1;				/* umount: the tree is emptied */
	inode_put(dir_remove(sb->root, dir_find(sb->root, "s", 1)));
	inode_put(dir_remove(sb->root, dir_find(sb->root, "d", 1)));
	assert_string_equal(calls, "");			/* no dirty, no evict once detached */
	sb_free(sb);
	assert_string_equal(calls, "pF");		/* put_super, then the free */
}

static void test_open_and_rdonly(void **state)
{
	(void)state;
	struct super *sb = fake_sb(&fake_ops);
	struct inode *f = new_inode(sb, S_IFREG | 0644, 2), *d = new_inode(sb, S_IFDIR | 0755, 3);

	assert_int_equal(inode_fill(f), 0);
	assert_int_equal(inode_fill(d), 0);
	assert_string_equal(calls, "o");		/* a directory is not "opened" */
	open_result = -EIO;
	assert_int_equal(inode_fill(f), -EIO);
	assert_int_equal(mnt_want_write(f), 0);
	sb->rdonly = 1;
	assert_int_equal(mnt_want_write(f), -EROFS);
	assert_int_equal(mnt_want_write(sb->root), -EROFS);
	sb->detached = 1;
	memset(calls, 0, sizeof(calls));
	assert_int_equal(inode_fill(f), 0);		/* unmounted: nothing more is read */
	assert_string_equal(calls, "");
	inode_put(f);
	inode_put(d);
	sb_free(sb);
	assert_string_equal(calls, "pF");
}

static void test_memory_fs_untouched(void **state)
{
	(void)state;
	static const struct super_ops none;
	struct super *tmp = fake_sb(0), *empty = fake_sb(&none);
	struct inode *f = new_inode(tmp, S_IFREG | 0644, 2), *g = new_inode(empty, S_IFREG | 0644, 2);

	assert_int_equal(dir_add(tmp->root, "f", 1, f), 0);
	assert_int_equal(dir_add(empty->root, "g", 1, g), 0);
	inode_touch(f, TOUCH_A);
	assert_int_equal(inode_fill(f), 0);
	assert_int_equal(inode_fill(g), 0);
	assert_int_equal(mnt_want_write(f), 0);
	inode_put(dir_remove(tmp->root, dir_find(tmp->root, "f", 1)));
	inode_put(dir_remove(empty->root, dir_find(empty->root, "g", 1)));
	inode_put(f);
	inode_put(g);
	sb_free(tmp);
	sb_free(empty);
	assert_string_equal(calls, "FF");		/* no hook at all, just the frees */
}

static void test_relatime(void **state)
{
	(void)state;
	struct super *sb = fake_sb(&fake_ops);
	struct inode *d = new_inode(sb, S_IFDIR | 0755, 3);
	struct timespec64 t0 = d->mtime;

	inode_touch(d, TOUCH_A);			/* atime not past mtime: due */
	assert_int_equal(dirty_of[3], DIRTY_ATTR);
	dirty_of[3] = 0;
	d->atime.sec = t0.sec + 10;			/* read since the last change */
	inode_touch(d, TOUCH_A);
	assert_int_equal(dirty_of[3], 0);
	assert_int_equal(d->atime.sec, t0.sec + 10);
	d->atime.sec = t0.sec - 2 * 24 * 3600;		/* ... but two days ago: due again */
	d->mtime.sec = d->ctime.sec = t0.sec - 3 * 24 * 3600;
	sb->rdonly = 1;
	inode_touch(d, TOUCH_A);			/* not on a read-only mount */
	assert_int_equal(dirty_of[3], 0);
	sb->rdonly = 0;
	inode_touch(d, TOUCH_A);
	assert_int_equal(dirty_of[3], DIRTY_ATTR);
	assert_int_equal(d->atime.sec, t0.sec);
	inode_put(d);
	sb_free(sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_remove_marks, reset),
		cmocka_unit_test_setup(test_open_and_rdonly, reset),
		cmocka_unit_test_setup(test_memory_fs_untouched, reset),
		cmocka_unit_test_setup(test_relatime, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
