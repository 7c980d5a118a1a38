/*
 * swapon.h - swap areas on block devices, as swapon(2) and swapoff(2) turn
 * them on and off (fs/swapon.c), seen from the rest of fs/: the device a
 * swap area holds cannot be mounted, and /proc/swaps lists the areas.
 */
#ifndef HOLSTEIN_SWAPON_H
#define HOLSTEIN_SWAPON_H

#include <stdint.h>

struct buffile_text;

/*
 * swapon_hold_dev - a mount of device @rdev begins: -EBUSY if a swap area
 * is on it (or being turned on), else 0 and swapon(2) of it fails with
 * EBUSY until swapon_release_dev.  After that the mount list keeps
 * swapon(2) away (mount_dev_busy).  Never sleeps.
 */
int swapon_hold_dev(uint32_t rdev);
void swapon_release_dev(uint32_t rdev);

/* swapon_dev_active - is a swap area on (or being turned on) device @rdev?  Never sleeps. */
int swapon_dev_active(uint32_t rdev);

/* swapon_gen_proc - /proc/swaps: Linux 6.1's header and columns. */
void swapon_gen_proc(struct buffile_text *t);

#endif
