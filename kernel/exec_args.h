/*
 * exec_args.h - the argument and environment strings of execve, measured
 * against Linux's limits and copied straight onto the new image's stack
 * (exec_args.c), and the auxiliary vector's keys.
 */
#ifndef HOLSTEIN_EXEC_ARGS_H
#define HOLSTEIN_EXEC_ARGS_H

#include "kernel.h"

struct mm;

/* Linux's limits (fs/exec.c): one string, NUL included, and the floor of the total. */
#define EXEC_ARG_STRLEN		(32 * PAGE_SIZE)	/* MAX_ARG_STRLEN */
#define EXEC_ARG_MIN		(32 * PAGE_SIZE)	/* ARG_MAX: the total is never below it */
#define EXEC_SCRIPT_DEPTH	5	/* scripts whose interpreter is a script, in a row */

/* auxv keys (Linux's include/uapi/linux/auxvec.h numbers). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31
#define AT_SYSINFO_EHDR	33

/*
 * One list of strings, argv or envp: the kernel's (init's, @kv) or the
 * caller's user array (@uv, from its string @skip on), after @npre strings
 * of the kernel's own (a #! script's interpreter, argument and name).
 * @count and @bytes (NULs included) are what exec_args_measure found.
 */
struct exec_strings {
	char *const *kv;
	unsigned long uv;
	const char *pre[3 * EXEC_SCRIPT_DEPTH + 3];
	int npre;
	unsigned long skip;
	int done;		/* the source's strings are all used up (a script run with argc 0) */
	int empty;		/* argv was empty: Linux passes one "" as argv[0] */
	unsigned long count, bytes;
};

/*
 * exec_args_script - @a now runs script @path through @interp (@arg may
 * be ""): the list becomes interp, [arg,] path, then the old list without
 * its first string, as Linux builds it.  The names must outlive @a.
 */
void exec_args_script(struct exec_strings *a, const char *interp, const char *arg,
		      const char *path);

/*
 * exec_args_measure - count and measure @argv and @envp (and the name
 * @execfn, which goes on the stack too) as Linux 6.1 does: a string longer
 * than EXEC_ARG_STRLEN with its NUL, or strings plus pointers beyond a
 * quarter of RLIMIT_STACK (at least EXEC_ARG_MIN), is -E2BIG; a bad
 * pointer -EFAULT.  Reads only the caller's memory.  0 or -errno.
 */
int exec_args_measure(struct exec_strings *argv, struct exec_strings *envp, const char *execfn);

/*
 * exec_args_build - the initial stack of @mm (not yet running), from
 * mm->stack_top down: @execfn, envp's and argv's strings copied straight
 * from their source, 16 random bytes, then at the returned *@sp argc,
 * argv[], NULL, envp[], NULL and the @n words of @aux (key, value pairs
 * ending with AT_NULL), where AT_RANDOM's and AT_EXECFN's values are filled
 * in here.  Sets mm->arg_start..env_end.  Strings changed by another thread
 * since the measure stay within what was measured.  0 or -errno.
 */
int exec_args_build(struct mm *mm, struct exec_strings *argv, struct exec_strings *envp,
		    const char *execfn, unsigned long *aux, size_t n, unsigned long *sp);

#endif
