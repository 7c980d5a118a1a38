/*
 * exec_args.c - execve's argument and environment strings, under Linux's
 * limits, onto the new image's stack.
 *
 * Two passes over the caller's arrays: the first measures (how many
 * strings, how many bytes) and enforces the limits, reading only the
 * caller's memory; the second copies each string straight from the caller
 * into the new stack's frames and writes the pointer vector as it goes.
 * So nothing proportional to the arguments (up to 2 MiB) is ever held in
 * the kernel, and a failure leaves the caller's image as it was: the new
 * stack belongs to an address space that runs nowhere yet.
 */
#include "kernel.h"
#include "exec_args.h"
#include "random.h"
#include "../vm/mm.h"
#include "../vm/uaccess.h"

/*
 * What the strings and their pointers may take: a quarter of RLIMIT_STACK
 * (fixed at USER_STACK_SIZE), at most 3/4 of Linux's default stack limit
 * _STK_LIM (8 MiB) and never less than ARG_MAX.
 */
#define EXEC_STK_LIM		(8UL << 20)
#define EXEC_ARGS_LIMIT		MAX(MIN(EXEC_STK_LIM / 4 * 3, USER_STACK_SIZE / 4), EXEC_ARG_MIN)

/*
 * str_at - string @i of @s: a kernel string in *@k, or the caller's
 * address in *@u (*@k NULL).  0, 1 past the last string, or -EFAULT.
 */
static int str_at(const struct exec_strings *s, unsigned long i, const char **k,
		  unsigned long *u)
{
	uint64_t ptr;

	*k = 0;
	if (i < (unsigned long)s->npre) {
		*k = s->pre[i];
		return 0;
	}
	i = i - (unsigned long)s->npre + s->skip;
	if (s->done)
		return 1;
	if (s->kv) {
		*k = s->kv[i];
		return *k ? 0 : 1;
	}
	if (!s->uv)
		return 1;
	if (uaccess_get_u64(s->uv + 8 * i, &ptr))
		return -EFAULT;
	*u = ptr;
	return ptr ? 0 : 1;
}

void exec_args_script(struct exec_strings *a, const char *interp, const char *arg,
		      const char *path)
{
	const char *rest[ARRAY_SIZE(a->pre)], *k;
	unsigned long u;
	int nrest = 0, n = 0;

	if (a->npre > 0) {
		for (int i = 1; i < a->npre; i++)
			rest[nrest++] = a->pre[i];
	} else {
		if (str_at(a, 0, &k, &u) == 1)
			a->done = 1;	/* no argv[0] to drop: the script's args are none */
		a->skip++;
	}
	a->pre[n++] = interp;
	if (*arg)
		a->pre[n++] = arg;
	a->pre[n++] = path;
	for (int i = 0; i < nrest; i++)
		a->pre[n++] = rest[i];
	a->npre = n;
}

/*
 * user_strlen - the length of the caller's string at @u, NUL included, if
 * it is at most @max; else @max + 1.  -EFAULT if unreadable.
 */
static long user_strlen(unsigned long u, size_t max)
{
	char buf[256];
	size_t done = 0;

	while (done <= max) {
		size_t n = MIN(sizeof(buf), max + 1 - done);
		long r = uaccess_strncpy_from_user(buf, u + done, n);

		if (r >= 0)
			return (long)(done + (size_t)r + 1);
		if (r != -ENAMETOOLONG)
			return r;
		done += n;
	}
	return (long)max + 1;
}

/*
 * measure_list - count @s and add up its strings' bytes; stop with -E2BIG
 * as soon as *@room (what is left of the limit) is exceeded.  0 or -errno.
 */
static int measure_list(struct exec_strings *s, long *room)
{
	const char *k;
	unsigned long u;
	long len;
	int r;

	s->count = s->bytes = 0;
	while (!(r = str_at(s, s->count, &k, &u))) {
		len = k ? (long)strlen(k) + 1 : user_strlen(u, EXEC_ARG_STRLEN);
		if (len < 0)
			return (int)len;
		if ((unsigned long)len > EXEC_ARG_STRLEN)
			return -E2BIG;
		s->count++;
		s->bytes += (unsigned long)len;
		*room -= len + 8;	/* the string and its pointer */
		if (*room < 0)
			return -E2BIG;
	}
	return r < 0 ? r : 0;
}

int exec_args_measure(struct exec_strings *argv, struct exec_strings *envp, const char *execfn)
{
	long room = (long)EXEC_ARGS_LIMIT - (long)strlen(execfn) - 1;
	int r;

	if ((r = measure_list(argv, &room)) || (r = measure_list(envp, &room)))
		return r;
	if (argv->count == 0) {
		/* Linux 6.1 gives a program run with no argv an argv[0] of "". */
		argv->empty = 1;
		argv->count = argv->bytes = 1;
		if ((room -= 9) < 0)
			return -E2BIG;
	}
	return 0;
}

/*
 * A cursor writing into the new stack: the page under it is looked up
 * once (mm_new_page), not once per string.
 */
struct stack_cursor {
	struct mm *mm;
	unsigned long va, page;
	char *k;
};

/* cursor_room - bytes left in the page under @c, with its kernel address ready. 0 or -errno. */
static int cursor_room(struct stack_cursor *c, size_t *room)
{
	int err = 0;

	if ((c->va & PAGE_MASK) != c->page || !c->k) {
		c->page = c->va & PAGE_MASK;
		if (!(c->k = mm_new_page(c->mm, c->va, &err)))
			return err;
	}
	*room = PAGE_SIZE - (c->va - c->page);
	return 0;
}

/*
 * put_string - copy the string (@k, or the caller's at @u) to @c, at most
 * @max bytes with its NUL: the length written, NUL included.  A string
 * that grew since it was measured is -E2BIG; one that shrank leaves the
 * rest of what was measured zero.  -EFAULT, -ENOMEM.
 */
static long put_string(struct stack_cursor *c, const char *k, unsigned long u, size_t max)
{
	size_t done = 0, room = 0;
	int r;

	while (done < max) {
		if ((r = cursor_room(c, &room)))
			return r;
		size_t n = MIN(room, max - done);
		char *d = c->k + (c->va - c->page);
		long got;

		if (k) {
			size_t left = strlen(k + done);
			got = left < n ? (long)left : -ENAMETOOLONG;
			memcpy(d, k + done, left < n ? left + 1 : n);
		} else {
			got = uaccess_strncpy_from_user(d, u + done, n);
		}
		if (got >= 0) {
			c->va += (size_t)got + 1;
			return (long)(done + (size_t)got + 1);
		}
		if (got != -ENAMETOOLONG)
			return got;
		c->va += n;
		done += n;
	}
	return -E2BIG;
}

/* Pointers go out through a small buffer: one mm_copy_in per VEC_BATCH words. */
#define VEC_BATCH 32
struct vec_writer {
	struct mm *mm;
	unsigned long va;
	unsigned long w[VEC_BATCH];
	int n;
};

static int vec_flush(struct vec_writer *v)
{
	int r = mm_copy_in(v->mm, v->va, v->w, (size_t)v->n * 8);

	v->va += (unsigned long)v->n * 8;
	v->n = 0;
	return r;
}

static int vec_put(struct vec_writer *v, unsigned long word)
{
	v->w[v->n++] = word;
	return v->n == VEC_BATCH ? vec_flush(v) : 0;
}

/*
 * put_list - the strings of @s at @c, each one's address to @v, then the
 * list's NULL.  The strings may take @budget bytes at most (what was
 * measured).  0 or -errno.
 */
static int put_list(struct stack_cursor *c, struct vec_writer *v, const struct exec_strings *s,
		    size_t budget)
{
	unsigned long end = c->va + budget, u = 0;
	const char *k;
	int r;

	for (unsigned long i = 0; i < s->count; i++) {
		if (s->empty)
			k = "";
		else if ((r = str_at(s, i, &k, &u)))
			return r < 0 ? r : -EFAULT;	/* the array shrank since it was counted */
		if ((r = vec_put(v, c->va)))
			return r;
		long len = put_string(c, k, u, MIN(end - c->va, EXEC_ARG_STRLEN));
		if (len < 0)
			return (int)len;
	}
	return vec_put(v, 0);
}

int exec_args_build(struct mm *mm, struct exec_strings *argv, struct exec_strings *envp,
		    const char *execfn, unsigned long *aux, size_t n, unsigned long *sp)
{
	size_t fnlen = strlen(execfn) + 1;
	unsigned long top = mm->stack_top - 8;	/* Linux leaves the top word zero */
	unsigned long execfn_at = top - fnlen;
	unsigned long strings = execfn_at - envp->bytes - argv->bytes;
	unsigned long rnd = (strings - 16) & ~15UL;
	size_t nvec = 1 + argv->count + 1 + envp->count + 1;
	struct stack_cursor c = { .mm = mm, .va = strings };
	struct vec_writer v = { .mm = mm };
	uint8_t rb[16];
	int r;

	v.va = (rnd - (nvec + n) * 8) & ~15UL;
	*sp = v.va;
	for (size_t i = 0; i + 1 < n; i += 2) {
		if (aux[i] == AT_RANDOM)
			aux[i + 1] = rnd;
		else if (aux[i] == AT_EXECFN)
			aux[i + 1] = execfn_at;
	}
	random_bytes(rb, sizeof(rb));
	if ((r = mm_copy_in(mm, execfn_at, execfn, fnlen)) ||
	    (r = mm_copy_in(mm, rnd, rb, sizeof(rb))) || (r = vec_put(&v, argv->count)))
		return r;
	mm->arg_start = strings;
	if ((r = put_list(&c, &v, argv, argv->bytes)))
		return r;
	mm->arg_end = mm->env_start = strings + argv->bytes;
	c.va = mm->env_start;
	if ((r = put_list(&c, &v, envp, envp->bytes)) || (r = vec_flush(&v)))
		return r;
	mm->env_end = mm->env_start + envp->bytes;
	return mm_copy_in(mm, v.va, aux, n * 8);
}
