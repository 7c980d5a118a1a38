/*
 * initroot.c - root= boot.  Mounting reads the disk and sleeps, so it is
 * done by the first process in its own context (proc_start_init_late),
 * not by kernel_main.  As Linux without an initramfs /init: the disk is
 * mounted over the rootfs (the initramfs's tree, which stays beneath,
 * unreachable), then init= or Linux's list of inits runs on it.  With
 * rdinit= the initramfs program runs instead and root= is left to it.
 */
#include "kernel.h"
#include "bootargs.h"
#include "exec.h"
#include "proc.h"
#include "sched.h"
#include "../drivers/poweroff.h"
#include "../fs/inode.h"
#include "../fs/mount.h"
#include "../fs/sync.h"
#include "initroot.h"

int initroot_wanted(void)
{
	const char *root = bootarg("root");

	return !bootarg("rdinit") && root && *root;
}

/* run_init - exec @path as init with the command line's arguments: returns only on failure. */
static int run_init(const char *path)
{
	char *args[BOOTARGS_MAX_INIT_ARGS + 2];
	int n = 0;

	args[n++] = (char *)path;
	for (; bootargs_init_argv[n - 1] && n < BOOTARGS_MAX_INIT_ARGS; n++)
		args[n] = bootargs_init_argv[n - 1];
	args[n] = 0;
	return exec_kernel(current(), path, args);
}

/* chdir_root - init's working directory becomes the new "/". */
static void chdir_root(void)
{
	struct proc_fs *fs = current()->fs;
	struct inode *root = inode_get(vfs_root), *old;

	spin_lock(&sched_lock);
	old = fs->cwd;
	fs->cwd = root;
	spin_unlock(&sched_lock);
	inode_put(old);
}

void initroot_first(void)
{
	static const char *const inits[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	const char *dev = bootarg("root"), *type = bootarg("rootfstype"), *init = bootarg("init");
	/* Linux mounts the root read-only unless told "rw" ("ro" wins if both are given). */
	unsigned long flags = bootarg("rw") && !bootarg("ro") ? 0 : MS_RDONLY;
	long r = mount_root(dev, type && *type ? type : 0, flags);

	if (r) {
		printk(KERN_EMERG, "VFS: Cannot open root device \"%s\": error %ld\n", dev, r);
		printk(KERN_EMERG, "Please append a correct \"root=\" boot option\n");
		printk(KERN_EMERG, "reboot: Power down\n");
		vfs_sync_all();
		poweroff_machine(1);
	}
	chdir_root();
	if (init && *init) {
		if ((r = run_init(init)) == 0)
			return;
		panic("Requested init %s failed (error %ld).", init, r);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(inits); i++)
		if (run_init(inits[i]) == 0)
			return;
	panic("No working init found.  Try passing init= option to kernel.");
}
