/*
 * file.c - the life of a struct file: allocation and reference counting.
 *
 * Descriptors in many processes may share one file (dup, fork), and a
 * system call may hold it while another thread closes the descriptor, so
 * the count is atomic and only the last file_put releases the file.
 */
#include "../kernel/kernel.h"
#include "../vm/kmalloc.h"
#include "file.h"
#include "epoll.h"
#include "inode.h"
#include "locks.h"

/*
 * file_alloc - a new open file of kind @ops with open @flags, holding one
 * reference, every other field zero (the opener fills mode, ino, size).
 * NULL if memory is short.
 */
struct file *file_alloc(const struct file_ops *ops, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return 0;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	return f;
}

/* file_get - one more reference to @f, which the caller already holds; returns @f. */
struct file *file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	return f;
}

/*
 * file_put - drop one reference.  The last one first takes @f out of every
 * epoll instance (which hold no reference, so would otherwise keep a
 * dangling pointer), then calls the kind's release (which frees its priv),
 * drops the locks the open file owns, and frees @f; acquire-release ordering makes every earlier user's writes
 * visible to the releaser.  Call it holding no spinlock.
 */
void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	epoll_file_gone(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->inode) {
		locks_file_gone(f);	/* its flock and OFD locks */
		inode_put(f->inode);
	}
	kfree(f);
}
