/*
 * initramfs.h - the archive the loader placed at /chosen/linux,initrd-start
 * (cpio "newc"), unpacked at boot into the root tmpfs, as Linux unpacks
 * its initramfs into rootfs.  The archive's frames are then given back.
 */
#ifndef HOLSTEIN_INITRAMFS_H
#define HOLSTEIN_INITRAMFS_H

#include "../kernel/kernel.h"
#include "../vm/pmm.h"

/* initramfs_unpack - unpack the archive at [pa, pa+len) into "/". 0, or -errno. */
int initramfs_unpack(phys_addr_t pa, uint64_t len);

#endif
