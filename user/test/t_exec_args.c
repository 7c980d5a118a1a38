/*
 * t_exec_args - execve's limits on arguments and environment, as Linux 6.1 has them:
 *   - one string may take 32 pages (131072 bytes) with its NUL: strlen 131071 passes,
 *     131072 is E2BIG; a 100 KiB argument and an 8 KiB environment variable arrive whole;
 *   - all strings plus their pointers may take a quarter of RLIMIT_STACK (at most 6 MiB,
 *     at least 128 KiB: 2 MiB for the default 8 MiB): 16 KiB below the limit passes,
 *     4 KiB above is E2BIG, and so is a flood of pointers to empty strings;
 *   - 10,000 small arguments, and 150,000 one-letter ones, arrive in order;
 *   - a refused execve leaves its caller intact, other threads included.
 *
 * The exec'd program is this one in "child mode" (T_EXEC_ARGS=1 in its environment):
 * it prints a digest of its argv and envp and exits 42; the parent compares the digest with
 * its own of what it passed. Under qemu-user without binfmt_misc the host kernel cannot run
 * a riscv64 binary: then "accepted" means the host checked the limits and said ENOEXEC
 * (the format is checked after the arguments), and the digests are not compared.
 */
#include "ulib.h"
#include <pthread.h>
#include <sys/resource.h>

#define CHILD_EXIT 42
#define CHILD_ENV "T_EXEC_ARGS=1"

static const char *self;
static int riscv_exec; /* a riscv64 binary runs here: compare digests */

/*
 * digest - the count of v's strings (NULL-terminated), their bytes with NULs, and a hash:
 * FNV-1a over them in order, or with @any_order the sum of each string's own (qemu-user
 * hands its program the environment in reverse).
 */
static void digest(char *const *v, int any_order, unsigned long *count, unsigned long *bytes,
		   uint32_t *hash)
{
	uint32_t h = 2166136261u, sum = 0;

	*count = *bytes = 0;
	for (; *v; v++, ++*count) {
		if (any_order)
			h = 2166136261u;
		for (const unsigned char *p = (const unsigned char *)*v;; p++) {
			h = (h ^ *p) * 16777619u;
			++*bytes;
			if (!*p)
				break;
		}
		sum += h;
	}
	*hash = any_order ? sum : h;
}

/* child_mode - print "argc bytes hash | envc bytes hash" and exit CHILD_EXIT. */
static int child_mode(char **argv, char **envp)
{
	unsigned long ac, ab, ec, eb;
	uint32_t ah, eh;

	digest(argv, 0, &ac, &ab, &ah);
	digest(envp, 1, &ec, &eb, &eh);
	printf("%lu %lu %08x | %lu %lu %08x", ac, ab, ah, ec, eb, eh);
	fflush(stdout);
	return CHILD_EXIT;
}

struct run {
	int err;       /* errno of a failed execve, 0 if it ran */
	int status;    /* wait status */
	char out[128]; /* the child's digest line */
};

/* run - fork, execve(self, argv, envp) with stdout on a pipe; errno comes back on a pipe. */
static void run(char *const argv[], char *const envp[], struct run *r)
{
	int out[2], errp[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	xpipe(out);
	if (pipe2(errp, O_CLOEXEC) < 0)
		die("pipe2: %s", strerror(errno));
	pid = must_fork();
	if (pid == 0) {
		int e;

		dup2(out[1], 1);
		execve(self, argv, envp);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) != sizeof(e))
			_exit(126);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	while (len + 1 < sizeof(r->out) &&
	       (n = read(out[0], r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += n;
	if (read(errp[0], &r->err, sizeof(r->err)) != sizeof(r->err))
		r->err = 0;
	close(out[0]);
	close(errp[0]);
	r->status = wait_pid(pid);
}

/* expect_ok - exec with argv/envp must be accepted, and the child must see exactly them. */
static void expect_ok(char *const argv[], char *const envp[], const char *what)
{
	unsigned long ac, ab, ec, eb;
	uint32_t ah, eh;
	char want[128];
	struct run r;

	run(argv, envp, &r);
	if (!riscv_exec) {
		errno = r.err;
		CHECK(r.err == ENOEXEC, "%s: accepted (the host says ENOEXEC, not E2BIG)", what);
		return;
	}
	digest(argv, 0, &ac, &ab, &ah);
	digest(envp, 1, &ec, &eb, &eh);
	snprintf(want, sizeof(want), "%lu %lu %08x | %lu %lu %08x", ac, ab, ah, ec, eb, eh);
	if (!CHECK(r.err == 0 && WIFEXITED(r.status) && WEXITSTATUS(r.status) == CHILD_EXIT &&
		       !strcmp(r.out, want),
		   "%s", what))
		printf("    errno %d, %s, got \"%s\", want \"%s\"\n", r.err, status_str(r.status),
		       r.out, want);
}

/* expect_e2big - exec with argv/envp must fail with E2BIG. */
static void expect_e2big(char *const argv[], char *const envp[], const char *what)
{
	struct run r;

	run(argv, envp, &r);
	t_check_err(r.err ? -1 : 0, r.err, E2BIG, 0, __LINE__, "%s", what);
}

/* filled - a string of len bytes of c (and a NUL); never freed, the test is short. */
static char *filled(size_t len, char c)
{
	char *s = malloc(len + 1);

	if (!s)
		die("malloc %zu", len + 1);
	memset(s, c, len);
	s[len] = '\0';
	return s;
}

/* Linux's limit for all strings and pointers, from this process's RLIMIT_STACK. */
static size_t arg_limit(void)
{
	struct rlimit rl;
	size_t lim = 6 * MiB;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 4 < lim)
		lim = rl.rlim_cur / 4;
	return lim < 128 * KiB ? 128 * KiB : lim;
}

/* check_strings - one string's limit, in argv and in envp. */
static void check_strings(void)
{
	char *env[] = {CHILD_ENV, NULL, NULL};
	char *argv[] = {"a", NULL, NULL};

	argv[1] = filled(100 * KiB, 'x');
	expect_ok(argv, env, "a 100 KiB argument arrives whole");
	argv[1] = filled(128 * KiB - 1, 'y');
	expect_ok(argv, env, "an argument of 131071 bytes and its NUL (32 pages) passes");
	argv[1] = filled(128 * KiB, 'z');
	expect_e2big(argv, env, "an argument of 131072 bytes and its NUL -> E2BIG");
	argv[1] = NULL;
	env[1] = filled(8 * KiB, 'e');
	memcpy(env[1], "BIG=", 4);
	expect_ok(argv, env, "an 8 KiB environment variable arrives whole");
	env[1] = filled(128 * KiB, 'E');
	memcpy(env[1], "BIG=", 4);
	expect_e2big(argv, env, "an environment string of 131072 bytes and its NUL -> E2BIG");
}

/*
 * total_argv - argv for self whose strings, pointers and the file name take about total
 * bytes: 100 KiB strings, then one to make up the rest.
 */
static char **total_argv(size_t total)
{
	/* The file name, the environment's one string and its pointer, "total" and its. */
	size_t used = strlen(self) + 1 + sizeof(CHILD_ENV) + 8 + sizeof("total") + 8;
	char **v = calloc(total / (100 * KiB) + 4, sizeof(char *));
	int n = 1;

	v[0] = "total";
	while (used + 100 * KiB + 9 < total) {
		v[n] = filled(100 * KiB, 'a' + n % 26);
		n++;
		used += 100 * KiB + 9;
	}
	v[n++] = filled(total - used - 9, 'r');
	v[n] = NULL;
	return v;
}

/* many_argv - n strings of length len each (plus argv[0]). */
static char **many_argv(size_t n, size_t len)
{
	char **v = calloc(n + 2, sizeof(char *));
	char *pool = malloc(n * (len + 1));

	if (!v || !pool)
		die("malloc");
	v[0] = "many";
	for (size_t i = 0; i < n; i++) {
		char *s = pool + i * (len + 1);

		for (size_t j = 0; j < len; j++)
			s[j] = 'a' + (i + j) % 26;
		s[len] = '\0';
		v[i + 1] = s;
	}
	return v;
}

/* check_totals - the limit on everything together. */
static void check_totals(void)
{
	char *env[] = {CHILD_ENV, NULL};
	size_t lim = arg_limit();
	char msg[160];

	snprintf(msg, sizeof(msg), "strings and pointers 16 KiB below the limit (%zu KiB) pass",
		 lim / KiB);
	expect_ok(total_argv(lim - 16 * KiB), env, msg);
	snprintf(msg, sizeof(msg), "4 KiB above the limit (%zu KiB) -> E2BIG", lim / KiB);
	expect_e2big(total_argv(lim + 4 * KiB), env, msg);
	expect_ok(many_argv(10000, 12), env, "10,000 arguments of 12 bytes arrive in order");
	expect_ok(many_argv(150000, 1), env, "150,000 one-letter arguments arrive in order");
	/* Each empty string costs its NUL and an 8-byte pointer: the pointers count too. */
	expect_e2big(many_argv(lim / 8, 0), env, "limit/8 empty arguments: the pointers -> E2BIG");
}

static int pipe_fds[2];

/* waiter - a second thread, blocked until the main thread writes one byte. */
static void *waiter(void *arg)
{
	char c = 0;

	(void)arg;
	return read(pipe_fds[0], &c, 1) == 1 && c == 'w' ? (void *)1 : NULL;
}

/*
 * check_intact - in a child with a second thread: an execve refused for E2BIG returns to a
 * caller whose memory, descriptors and other thread are all still there.
 */
static void check_intact(void)
{
	pid_t pid = must_fork();

	if (pid == 0) {
		static volatile int canary = 0x5eed;
		char *env[] = {CHILD_ENV, NULL};
		char **argv = total_argv(arg_limit() + 64 * KiB);
		pthread_t t;
		void *res = NULL;

		xpipe(pipe_fds);
		if (pthread_create(&t, NULL, waiter, NULL))
			_exit(10);
		if (execve(self, argv, env) != -1 || errno != E2BIG)
			_exit(11);
		if (canary != 0x5eed || argv[1][0] != 'b' || strlen(argv[2]) != 100 * KiB)
			_exit(12);
		if (write(pipe_fds[1], "w", 1) != 1 || pthread_join(t, &res) || res != (void *)1)
			_exit(13);
		_exit(0);
	}
	CHECK_EXIT(wait_pid(pid), 0,
		   "a refused execve (E2BIG) returns to its caller: memory, fds and its other "
		   "thread intact");
}

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	if (getenv("T_EXEC_ARGS"))
		return child_mode(argv, envp);
	t_init();
	self = self_path(argv[0]);
	{
		char *a[] = {"probe", NULL}, *e[] = {CHILD_ENV, NULL};
		struct run r;

		run(a, e, &r);
		riscv_exec = r.err == 0 || on_holstein();
		if (!riscv_exec)
			t_skip("exec of a riscv64 binary fails here (errno %d %s: no binfmt_misc?): "
			       "only the host's verdict on the limits is checked",
			       r.err, strerror(r.err));
	}
	check_strings();
	check_totals();
	check_intact();
	return t_done("t_exec_args");
}
