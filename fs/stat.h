/*
 * stat.h - struct stat as riscv64 Linux lays it out, and how each file
 * kind fills it.
 */
#ifndef HOLSTEIN_STAT_H
#define HOLSTEIN_STAT_H

#include "../kernel/kernel.h"

struct file;

/* The generic riscv64 struct stat (128 bytes). */
struct kstat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, pad1;
	int64_t st_size;
	int32_t st_blksize, pad2;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	uint32_t unused[2];
};

/* stat_fill - @st for a file of inode @ino, @mode, @size bytes, modified at @mtime. */
void stat_fill(struct kstat *st, uint64_t ino, uint32_t mode, uint64_t size, uint64_t mtime);
struct inode;
/* stat_inode - @st for inode @ip. */
void stat_inode(struct inode *ip, struct kstat *st);
/* stat_path - stat of absolute path @abs, symlinks followed. 0 or -errno. */
long stat_path(const char *abs, struct kstat *st);
/* stat_file - fstat of open file @f. */
void stat_file(struct file *f, struct kstat *st);

#endif
