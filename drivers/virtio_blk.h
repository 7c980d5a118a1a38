/* virtio_blk.h - virtio block devices on the virtio-mmio transports the device tree lists. */
#ifndef HOLSTEIN_VIRTIO_BLK_H
#define HOLSTEIN_VIRTIO_BLK_H

struct dt_info;

/*
 * virtio_blk_probe - every slot of @dt holding a block device becomes a
 * disk (blk_register: vda, vdb... in slot order), its interrupt routed to
 * every hart.  Empty slots and other device types are skipped; a device
 * that fails to start is reported and left FAILED.  Boot, after the other
 * harts are up and before /dev is populated.
 */
void virtio_blk_probe(const struct dt_info *dt);

#endif
