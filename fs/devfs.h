/*
 * devfs.h - /dev: the character devices (console, null, zero, full,
 * random, urandom, tty), a fixed set with Linux's device numbers.
 */
#ifndef HOLSTEIN_DEVFS_H
#define HOLSTEIN_DEVFS_H

#include "../kernel/kernel.h"

/* Inode numbers of /dev entries that others need to recognise. */
#define DEV_INO_CONSOLE	10
#define DEV_INO_ZERO	12

struct file_ops;

/* devfs_lookup - /dev or one of its devices by absolute path: 1 with mode, inode, ops; else 0. */
int devfs_lookup(const char *abs, uint32_t *mode, uint64_t *ino, const struct file_ops **ops);
/* devfs_rdev - the device number of the /dev entry with inode @ino, 0 if none. */
uint32_t devfs_rdev(uint64_t ino);

#endif
