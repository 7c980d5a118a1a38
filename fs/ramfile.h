/*
 * ramfile.h - files and directories of the initramfs (fs/initramfs.c)
 * opened, stat'ed and read through struct file.  The initramfs is
 * read-only: opening for writing fails as on a read-only mount.
 */
#ifndef HOLSTEIN_RAMFILE_H
#define HOLSTEIN_RAMFILE_H

#include "../kernel/kernel.h"

struct file;
struct kstat;

/* ramfile_open - open initramfs path @abs with open(2) @flags: 0 and *@out, or -errno. */
long ramfile_open(const char *abs, unsigned flags, struct file **out);
/* ramfile_stat - stat initramfs path @abs (the link itself unless @follow). 0 or -ENOENT. */
int ramfile_stat(const char *abs, int follow, struct kstat *st);
/* ramfile_readlink - the target of symlink @abs into @buf; its length, or -errno. */
long ramfile_readlink(const char *abs, char *buf, size_t n);

#endif
