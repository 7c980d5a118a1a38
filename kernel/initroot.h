/*
 * initroot.h - booting from a disk root (root=, rootfstype=, ro/rw, init=):
 * what the first process does before its first program.
 */
#ifndef HOLSTEIN_INITROOT_H
#define HOLSTEIN_INITROOT_H

/* initroot_wanted - does the command line ask for a disk root (root= and no rdinit=)? */
int initroot_wanted(void);
/*
 * initroot_first - init's first moments (proc_start_init_late): mount the
 * root device over the initramfs, move /dev and /proc onto it, and exec
 * init= or the first of /sbin/init, /etc/init, /bin/init, /bin/sh.  A root
 * that cannot be mounted powers the machine off with status 1.
 */
void initroot_first(void);

#endif
