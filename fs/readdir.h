/*
 * readdir.h - directory listings: the linux_dirent64 records getdents64
 * hands out, which every directory kind's file_ops.getdents builds.
 */
#ifndef HOLSTEIN_READDIR_H
#define HOLSTEIN_READDIR_H

#include "../kernel/kernel.h"

/* d_type values (Linux's DT_*). */
#define DT_CHR	2
#define DT_DIR	4
#define DT_REG	8
#define DT_LNK	10

/* readdir_emit - append one linux_dirent64 at @ubuf+*@used: 1 fitted, 0 full, or -EFAULT. */
long readdir_emit(unsigned long ubuf, size_t n, size_t *used, uint64_t ino, uint64_t off,
		  unsigned char type, const char *name);

#endif
