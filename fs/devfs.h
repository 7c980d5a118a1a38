/*
 * devfs.h - the character devices (console, null, zero, full, random,
 * urandom, tty), a fixed set with Linux's device numbers: their drivers by
 * number, and their nodes in /dev, a tmpfs like any other.
 */
#ifndef HOLSTEIN_DEVFS_H
#define HOLSTEIN_DEVFS_H

#include "../kernel/kernel.h"

/* Inode numbers of /dev entries that others need to recognise. */
#define DEV_INO_CONSOLE	10
#define DEV_INO_ZERO	12

struct file_ops;

/* devfs_ops - the driver of character device number @rdev, or NULL. */
const struct file_ops *devfs_ops(uint32_t rdev);
/* devfs_name - the /dev name of character device number @rdev ("null"), or NULL. */
const char *devfs_name(uint32_t rdev);
/* devfs_populate - create the device nodes in /dev (a tmpfs mounted there) at boot. */
void devfs_populate(void);
/* devfs_rdev - the device number of the /dev entry with inode @ino, 0 if none. */
uint32_t devfs_rdev(uint64_t ino);

#endif
