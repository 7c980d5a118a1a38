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
/* procfs_readlink - the target of /proc/self, thread-self, an exe or fd/N link; its length, or -errno. */
long procfs_readlink(const char *abs, char *buf, size_t n);

/* procfs_dir_path - if @f is an open /proc directory, its path ("/proc/42/fd"), else NULL. */
const char *procfs_dir_path(struct file *f);

struct inode;
/*
 * procfs_fd_inode - if @abs is a /proc/<pid>/fd/N link to a file with an
 * inode, that inode with a reference: following the link goes there, not
 * to the path it shows.  NULL otherwise.
 */
struct inode *procfs_fd_inode(const char *abs);
/*
 * procfs_reopen - open(2) of @abs with @flags when it is an fd/N link the
 * walk could not follow (a nameless file: a pipe, the console): 0 with a
 * new file in *@out, -errno, or 1 if @abs is no such link.
 */
long procfs_reopen(const char *abs, unsigned flags, struct file **out);

#endif
