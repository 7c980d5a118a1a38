/*
 * blkfile.h - block device files (/dev/vda): the disk as one seekable
 * file of its size, read and written through a bounce page.
 */
#ifndef HOLSTEIN_BLKFILE_H
#define HOLSTEIN_BLKFILE_H

struct inode;
struct file;

/*
 * blkfile_open - open the block device node @ip with @flags: -ENXIO if no
 * disk has its number.  The file holds the reference on @ip (file_put
 * drops it).  0 or -errno; *@out set only on success.
 */
long blkfile_open(struct inode *ip, unsigned flags, struct file **out);

#endif
