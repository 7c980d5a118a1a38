/*
 * namei.h - path names: from what a system call was given (a string,
 * relative to a directory descriptor or the cwd) to one absolute,
 * normalised path, which vfs.h then looks up.
 */
#ifndef HOLSTEIN_NAMEI_H
#define HOLSTEIN_NAMEI_H

#include "../kernel/kernel.h"

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EMPTY_PATH		0x1000

/* path_resolve - @path (relative to @dirfd or cwd) made absolute and normalised into @out. */
int path_resolve(int dirfd, const char *path, char *out, size_t size);
/* path_from_user - path_resolve of the user string at @upath. 0 or -errno. */
long path_from_user(int dirfd, unsigned long upath, char *abs, size_t size);

#endif
