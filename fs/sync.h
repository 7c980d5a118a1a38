/*
 * sync.h - writing back what a disk file system changed: every mounted
 * one (sync, power-off), one super block (syncfs, umount, remount,ro),
 * one file (fsync, fdatasync, msync).  The memory file systems have no
 * sync op and nothing to write: for them these only check arguments.
 */
#ifndef HOLSTEIN_SYNC_H
#define HOLSTEIN_SYNC_H

#include "inode.h"

/* vfs_sync_all - sync every mounted file system that has a sync op.  Sleeps; no lock held. */
void vfs_sync_all(void);
/* vfs_sync_super - @sb's sync op, if any: 0 or its error.  The caller keeps @sb alive.  Sleeps. */
long vfs_sync_super(struct super *sb);
/* vfs_fsync_inode - fsync (@datasync 0) or fdatasync of @ip: its fs's fsync, else its sync.  Sleeps. */
long vfs_fsync_inode(struct inode *ip, int datasync);
/*
 * vfs_balance - a change was made on @sb: its fs may write back now if
 * enough has piled up (super_ops.balance).  The caller keeps @sb alive
 * (holds an inode of it).  Sleeps; no lock held.
 */
void vfs_balance(struct super *sb);

#endif
