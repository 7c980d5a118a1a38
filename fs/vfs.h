/*
 * vfs.h - files by absolute name: which file system owns a path (/dev,
 * /proc or the initramfs), and open, stat and readlink through it.
 */
#ifndef HOLSTEIN_VFS_H
#define HOLSTEIN_VFS_H

#include "../kernel/kernel.h"

struct file;
struct kstat;

/* vfs_open - open absolute path @abs with open(2) @flags; a new file or -errno. */
long vfs_open(const char *abs, unsigned flags, struct file **out);
/* vfs_stat - stat absolute path @abs (a final symlink followed if @follow). */
int vfs_stat(const char *abs, int follow, struct kstat *st);
/* vfs_readlink - the target of symlink @abs into @buf; its length, or -errno. */
long vfs_readlink(const char *abs, char *buf, size_t n);

#endif
