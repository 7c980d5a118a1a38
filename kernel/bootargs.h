/*
 * bootargs.h - the kernel command line (/chosen/bootargs).
 *
 * "key=value" and bare "key" switches; everything after "--" is handed to
 * init as its arguments.  Double quotes group words: -- sh -c "exit 3".  Known switches: init=, rdinit=, root=, rootfstype=, ro, rw (kernel/initroot.c), loglevel=, cow=,
 * fail_alloc=, panic=, smp_stale_start (a test of kernel/smp.c).  Unknown ones are
 * ignored (and listed at boot).
 */
#ifndef HOLSTEIN_BOOTARGS_H
#define HOLSTEIN_BOOTARGS_H

#define BOOTARGS_MAX_INIT_ARGS 16

void bootargs_parse(const char *cmdline);
/* bootarg - value of @key ("" for a bare switch), or NULL if absent. */
const char *bootarg(const char *key);
/* bootarg_long - numeric value of @key, or @def if absent or not a number. */
long bootarg_long(const char *key, long def);
/* Arguments after "--", NULL-terminated. */
extern char *bootargs_init_argv[BOOTARGS_MAX_INIT_ARGS + 1];
extern int bootargs_init_argc;

#endif
