/*
 * procfs.h - /proc, generated: each file's text is made when it is opened
 * (a buffer file, buffile.h).
 */
#ifndef HOLSTEIN_PROCFS_H
#define HOLSTEIN_PROCFS_H

#include "../kernel/kernel.h"

struct file;
struct kstat;

/* procfs_open - open /proc or a path under it: a new file, or NULL with -errno in *@err. */
struct file *procfs_open(const char *abs, int *err);
/* procfs_stat - stat a /proc path, a final link (self, thread-self, exe) followed if @follow. 0 or -errno. */
int procfs_stat(const char *abs, int follow, struct kstat *st);
/* procfs_readlink - the target of /proc/self, thread-self or an exe link; its length, or -errno. */
long procfs_readlink(const char *abs, char *buf, size_t n);

#endif
