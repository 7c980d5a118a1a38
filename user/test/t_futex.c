/*
 * t_futex - futex(2) between processes sharing MAP_SHARED|MAP_ANONYMOUS memory: WAIT and
 * WAKE (counts, the bitsets, private keys not meeting across processes), REQUEUE and
 * CMP_REQUEUE (moved waiters counted by the return values), WAKE_OP (every operation and
 * comparison on the word, the oparg shift, waking on one or both words, COW and read-only
 * pages), timeouts (relative, absolute on CLOCK_MONOTONIC and CLOCK_REALTIME, past and near
 * future), EINTR and SA_RESTART, the errnos, and a futex-based lock hammered by several
 * processes. Nothing sleeps to synchronise: a waker first sees its sleeper in state 'S'.
 */
#include "ulib.h"
#include <limits.h>
#include <linux/futex.h>
#include <sys/mman.h>

#define NPROC 4		/* lock hammer: processes */
#define ROUNDS 3000	/* lock hammer: increments each */

static int guard_fd = -1;	/* the write end of the guardian's pipe; only the test holds it */

/* tfork - xfork, and the child lets go of the guardian's pipe (see start_guardian). */
static pid_t tfork(void)
{
	pid_t pid = must_fork();	/* a -1 would reach kill() as "everyone" */

	if (pid == 0 && guard_fd >= 0)
		close(guard_fd);
	return pid;
}

/*
 * start_guardian - waiter children sleep in FUTEX_WAIT until the test wakes them; if the
 * test dies first (the OOM killer, under fault injection) nobody ever will, and they would
 * outlive it holding memory. So the test makes its own process group and forks a guardian
 * that reads a pipe only the test writes to: a byte means the test finished normally,
 * end of file that it died, and then the guardian kills the whole group.
 */
static void start_guardian(void)
{
	int p[2];
	char c;

	setpgid(0, 0);
	xpipe(p);
	if (xfork() == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			kill(-getpgrp(), SIGKILL);
		_exit(0);
	}
	close(p[0]);
	guard_fd = p[1];
}

/* stop_guardian - tell the guardian all is well and reap it. */
static void stop_guardian(void)
{
	if (write(guard_fd, "x", 1) != 1)
		die("guardian pipe: %s", strerror(errno));
	close(guard_fd);
	while (wait(NULL) > 0)
		;
}

static long fx(uint32_t *u, int op, uint32_t val, const struct timespec *ts, uint32_t *u2,
	       uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, ts, u2, val3);
}

/* fx2 - the operations whose fourth argument is a count (REQUEUE, CMP_REQUEUE, WAKE_OP). */
static long fx2(uint32_t *u, int op, uint32_t val, long val2, uint32_t *u2, uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, (void *)val2, u2, val3);
}

static uint32_t *shared_page(void)
{
	void *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap shared: %s", strerror(errno));
	return p;
}

/*
 * waiter - fork a child that FUTEX_WAITs (op, bitset) on *u while it holds val and exits 0
 * once woken (the word changed or not: a wake is a wake), 2 on any error. The parent
 * returns once the child sleeps.
 */
static pid_t waiter(uint32_t *u, int op, uint32_t val, uint32_t bitset)
{
	pid_t pid = tfork();

	if (pid == 0)
		_exit(fx(u, op, val, NULL, NULL, bitset) == 0 ? 0 : 2);
	wait_asleep(pid);
	return pid;
}

/* reap_ok - wait for pid and report whether it exited 0. */
static int reap_ok(pid_t pid)
{
	int st = wait_pid(pid);

	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* check_errnos - the argument checks, alone in one process. */
static void check_errnos(void)
{
	uint32_t *w = shared_page(), *gone = shared_page();
	uint32_t *ro = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *odd = (uint32_t *)((char *)w + 2), *kern = hide_ptr(KERNEL_ADDR);
	struct timespec bad = { 0, 1000000000 }, ts = { 0, 0 };

	munmap(gone, PAGE_SIZE);
	w[0] = 7;
	CHECK_ERR(fx(w, FUTEX_WAIT, 8, NULL, NULL, 0), EAGAIN, "WAIT on a word that differs -> EAGAIN");
	CHECK_ERR(fx(w, FUTEX_WAIT_PRIVATE, 8, NULL, NULL, 0), EAGAIN, "WAIT_PRIVATE the same");
	CHECK_ERR(fx(w, FUTEX_WAIT, 8, &ts, NULL, 0), EAGAIN,
		  "WAIT with an expired timeout still compares first -> EAGAIN");
	CHECK_ERR(fx(odd, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL, "WAIT misaligned -> EINVAL");
	CHECK_ERR(fx(odd, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL, "WAKE misaligned -> EINVAL");
	CHECK_ERR(fx2(w, FUTEX_REQUEUE, 1, 1, odd, 0), EINVAL, "REQUEUE to a misaligned word -> EINVAL");
	CHECK_ERR(fx2(w, FUTEX_WAKE_OP, 1, 1, odd, 0), EINVAL, "WAKE_OP on a misaligned word -> EINVAL");
	CHECK_ERR(fx(kern, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT, "WAIT on a kernel address -> EFAULT");
	CHECK_ERR(fx(kern, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), EFAULT,
		  "WAKE_PRIVATE on a kernel address -> EFAULT");
	CHECK_ERR(fx(gone, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT, "WAIT on an unmapped word -> EFAULT");
	CHECK_ERR(fx(gone, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT,
		  "a shared WAKE on an unmapped word -> EFAULT (the key needs the page)");
	CHECK(fx(gone, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0,
	      "a private WAKE on an unmapped word wakes nobody (the key is just the address)");
	CHECK_ERR(fx(w, FUTEX_WAIT_BITSET, 7, NULL, NULL, 0), EINVAL, "WAIT_BITSET with bitset 0 -> EINVAL");
	CHECK_ERR(fx(w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL, "WAKE_BITSET with bitset 0 -> EINVAL");
	CHECK_ERR(fx(w, FUTEX_WAIT, 7, &bad, NULL, 0), EINVAL, "WAIT with tv_nsec = 1e9 -> EINVAL");
	CHECK_ERR(fx(w, FUTEX_WAIT, 7, hide_ptr(KERNEL_ADDR), NULL, 0), EFAULT,
		  "WAIT with a kernel timespec pointer -> EFAULT");
	CHECK_ERR(fx(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 7, &ts, NULL, 0), ENOSYS,
		  "FUTEX_CLOCK_REALTIME with plain WAIT -> ENOSYS (Linux 6.1)");
	CHECK_ERR(fx(w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS,
		  "FUTEX_CLOCK_REALTIME with WAKE -> ENOSYS");
	CHECK_ERR(fx(w, 2, 0, NULL, NULL, 0), ENOSYS, "FUTEX_FD (removed) -> ENOSYS");
	CHECK_ERR(fx(w, 99, 0, NULL, NULL, 0), ENOSYS, "an unknown op -> ENOSYS");
	CHECK_ERR(fx(w, FUTEX_WAKE | 0x1000, 1, NULL, NULL, 0), ENOSYS, "unknown high op bits -> ENOSYS");
	CHECK_ERR(fx2(w, FUTEX_REQUEUE, -1, 1, w + 1, 0), EINVAL, "REQUEUE with nr_wake < 0 -> EINVAL");
	CHECK_ERR(fx2(w, FUTEX_CMP_REQUEUE, 1, -1, w + 1, 7), EINVAL,
		  "CMP_REQUEUE with nr_requeue < 0 -> EINVAL");
	CHECK_ERR(fx2(w, FUTEX_CMP_REQUEUE, 1, 1, w + 1, 8), EAGAIN,
		  "CMP_REQUEUE when the word is not val3 -> EAGAIN");
	CHECK(fx2(w, FUTEX_CMP_REQUEUE, 1, 1, w + 1, 7) == 0, "CMP_REQUEUE with nobody waiting -> 0");
	if (ro != MAP_FAILED) {
		CHECK_ERR(fx2(w, FUTEX_WAKE_OP, 1, 1, ro, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)),
			  EFAULT, "WAKE_OP on a read-only page -> EFAULT");
		CHECK(ro[0] == 0, "... and the page is untouched");
		munmap(ro, PAGE_SIZE);
	}
	if (on_holstein()) {	/* Linux implements them; Holstein chose ENOSYS (futex.c) */
		CHECK_ERR(fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0), ENOSYS, "LOCK_PI -> ENOSYS");
		CHECK_ERR(fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), ENOSYS, "TRYLOCK_PI -> ENOSYS");
		CHECK_ERR(fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), ENOSYS, "UNLOCK_PI -> ENOSYS");
		CHECK_ERR(fx2(w, FUTEX_CMP_REQUEUE_PI, 1, 0, w + 1, 7), ENOSYS, "CMP_REQUEUE_PI -> ENOSYS");
	}
	munmap(w, PAGE_SIZE);
}

static uint64_t clock_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static struct timespec ns_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };
}

/* check_timeouts - relative and absolute deadlines; each must not end early. */
static void check_timeouts(void)
{
	uint32_t w = 0;
	struct timespec rel = ns_ts(20000000), past = { 1, 0 }, t;
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), dl;

	CHECK_ERR(fx(&w, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0), ETIMEDOUT, "WAIT 20 ms -> ETIMEDOUT");
	CHECK(clock_ns(CLOCK_MONOTONIC) - t0 >= 20000000ULL, "... not before 20 ms");
	CHECK_ERR(fx(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT,
		  "WAIT_BITSET with an absolute monotonic time in the past -> ETIMEDOUT");
	dl = clock_ns(CLOCK_MONOTONIC) + 20000000ULL;
	t = ns_ts(dl);
	CHECK_ERR(fx(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &t, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT,
		  "WAIT_BITSET until monotonic now + 20 ms -> ETIMEDOUT");
	CHECK(clock_ns(CLOCK_MONOTONIC) >= dl, "... not before the deadline");
	CHECK_ERR(fx(&w, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &past, NULL,
		     FUTEX_BITSET_MATCH_ANY), ETIMEDOUT,
		  "WAIT_BITSET|CLOCK_REALTIME with 1970 as deadline -> ETIMEDOUT");
	dl = clock_ns(CLOCK_REALTIME) + 20000000ULL;
	t = ns_ts(dl);
	CHECK_ERR(fx(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &t, NULL, FUTEX_BITSET_MATCH_ANY),
		  ETIMEDOUT, "WAIT_BITSET|CLOCK_REALTIME until wall clock now + 20 ms -> ETIMEDOUT");
	CHECK(clock_ns(CLOCK_REALTIME) >= dl, "... not before the deadline");
}

/* check_wake - WAKE's count, the Linux quirk of val 0, bitsets, private keys. */
static void check_wake(void)
{
	uint32_t *w = shared_page();
	pid_t a, b, c;
	int ok;

	a = waiter(w, FUTEX_WAIT, 0, 0);
	b = waiter(w, FUTEX_WAIT, 0, 0);
	c = waiter(w, FUTEX_WAIT, 0, 0);
	CHECK(fx(w, FUTEX_WAKE, 2, NULL, NULL, 0) == 2, "WAKE 2 of 3 waiters in other processes -> 2");
	CHECK(fx(w, FUTEX_WAKE, 0, NULL, NULL, 0) == 1, "WAKE 0 still wakes one (as Linux) -> 1");
	CHECK(fx(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0, "... and then nobody is left -> 0");
	ok = reap_ok(a) + reap_ok(b) + reap_ok(c);
	CHECK(ok == 3, "all three waiters returned 0 (%d)", ok);

	a = waiter(w, FUTEX_WAIT_BITSET, 0, 1);
	b = waiter(w, FUTEX_WAIT_BITSET, 0, 2);
	CHECK(fx(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 4) == 0, "WAKE_BITSET 4 meets neither 1 nor 2");
	CHECK(fx(w, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 2) == 1, "WAKE_BITSET 2 wakes the bitset-2 waiter");
	CHECK(reap_ok(b), "... which returns 0");
	CHECK(fx(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 1, "plain WAKE (all bits) wakes the bitset-1 one");
	CHECK(reap_ok(a), "... which returns 0");

	/* Private keys are per address space: another process's private waiter is not ours. */
	a = waiter(w, FUTEX_WAIT_PRIVATE, 0, 0);
	CHECK(fx(w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0) == 0,
	      "WAKE_PRIVATE does not reach another process's WAIT_PRIVATE");
	CHECK(fx(w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0, "nor does a shared WAKE");
	kill(a, SIGKILL);
	CHECK_SIG(wait_pid(a), SIGKILL, "the private waiter sleeps on until killed");
	munmap(w, PAGE_SIZE);
}

/* check_requeue - REQUEUE and CMP_REQUEUE move waiters; the counts tell who went where. */
static void check_requeue(void)
{
	uint32_t *w = shared_page(), *f1 = &w[0], *f2 = &w[16];
	pid_t p[3];
	int ok = 0;

	for (int i = 0; i < 3; i++)
		p[i] = waiter(f1, FUTEX_WAIT, 0, 0);
	CHECK(fx2(f1, FUTEX_REQUEUE, 1, 1, f2, 0) == 2, "REQUEUE 1 woken + 1 moved of 3 -> 2");
	CHECK(fx2(f1, FUTEX_REQUEUE, 0, 0, f2, 0) == 0, "REQUEUE 0 + 0 -> 0");
	CHECK(fx(f2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 1, "the moved waiter is on the second futex");
	CHECK(fx(f1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 1, "the third is still on the first");
	for (int i = 0; i < 3; i++)
		ok += reap_ok(p[i]);
	CHECK(ok == 3, "all three requeue waiters returned 0 (%d)", ok);

	for (int i = 0; i < 2; i++)
		p[i] = waiter(f1, FUTEX_WAIT, 0, 0);
	CHECK_ERR(fx2(f1, FUTEX_CMP_REQUEUE, 0, INT_MAX, f2, 1), EAGAIN,
		  "CMP_REQUEUE with a stale val3 -> EAGAIN, nobody moved");
	CHECK(fx2(f1, FUTEX_CMP_REQUEUE, 0, INT_MAX, f2, 0) == 2, "CMP_REQUEUE 0 woken + all moved -> 2");
	CHECK(fx(f1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 0, "nobody is left on the first");
	CHECK(fx2(f2, FUTEX_REQUEUE, 0, 1, f2, 0) == 1, "REQUEUE onto the same futex counts one move");
	CHECK(fx(f2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == 2, "WAKE on the second wakes both");
	ok = reap_ok(p[0]) + reap_ok(p[1]);
	CHECK(ok == 2, "both returned 0 (%d)", ok);
	munmap(w, PAGE_SIZE);
}

/* wake_op_word - run WAKE_OP op on a word holding old, with nobody waiting; the new word. */
static uint32_t wake_op_word(uint32_t *w, uint32_t old, uint32_t enc, long *ret)
{
	*w = old;
	*ret = fx2(w + 1, FUTEX_WAKE_OP, 1, 1, w, enc);
	return *w;
}

/* check_wake_op_word - every FUTEX_OP_* on the word, the shift flag, sign extension. */
static void check_wake_op_word(void)
{
	static const struct { int op, arg; uint32_t old, want; const char *what; } t[] = {
		{ FUTEX_OP_SET, 5, 9, 5, "SET" },
		{ FUTEX_OP_ADD, 5, 9, 14, "ADD" },
		{ FUTEX_OP_ADD, 0xfff, 9, 8, "ADD of -1 (oparg is 12-bit signed)" },
		{ FUTEX_OP_OR, 6, 9, 15, "OR" },
		{ FUTEX_OP_ANDN, 1, 9, 8, "ANDN" },
		{ FUTEX_OP_XOR, 3, 9, 10, "XOR" },
		{ FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 4, 9, 16, "SET with OPARG_SHIFT (1 << 4)" },
		{ FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 31, 1, 0x80000001u, "OR with OPARG_SHIFT (1 << 31)" },
		{ FUTEX_OP_ANDN | FUTEX_OP_OPARG_SHIFT, 3, 0xff, 0xf7, "ANDN with OPARG_SHIFT" },
	};
	uint32_t *w = shared_page();
	long r;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t got = wake_op_word(w, t[i].old, FUTEX_OP(t[i].op, t[i].arg, FUTEX_OP_CMP_EQ, 0), &r);

		CHECK(r == 0 && got == t[i].want, "WAKE_OP %s: %u -> %#x (got %#x, ret %ld)", t[i].what,
		      t[i].old, t[i].want, got, r);
	}
	CHECK_ERR(fx2(w + 1, FUTEX_WAKE_OP, 1, 1, w, FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0)), ENOSYS,
		  "WAKE_OP with an unknown operation -> ENOSYS");
	CHECK(*w == 0xf7, "... leaving the word alone");
	CHECK_ERR(fx2(w + 1, FUTEX_WAKE_OP, 1, 1, w, FUTEX_OP(FUTEX_OP_SET, 1, 6, 0)), ENOSYS,
		  "WAKE_OP with an unknown comparison -> ENOSYS");
	CHECK(*w == 1, "... after the operation was done (as Linux)");

	uint32_t *priv = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (priv == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	CHECK(fx2(priv + 1, FUTEX_WAKE_OP_PRIVATE, 1, 1, priv, FUTEX_OP(FUTEX_OP_ADD, 3, 0, 0)) == 0 &&
		  priv[0] == 3, "WAKE_OP on a page never touched (demand zero) -> 3");
	pid_t pid = tfork();
	if (pid == 0) {		/* the page is COW now: the op must copy it first */
		long rr = fx2(priv + 1, FUTEX_WAKE_OP_PRIVATE, 1, 1, priv, FUTEX_OP(FUTEX_OP_ADD, 4, 0, 0));
		_exit(rr == 0 && priv[0] == 7 ? 0 : 1);
	}
	CHECK_EXIT(wait_pid(pid), 0, "WAKE_OP in a child on a COW page sees and changes its copy");
	CHECK(priv[0] == 3, "... while the parent's word stays 3 (%u)", priv[0]);
	munmap(priv, PAGE_SIZE);
	munmap(w, PAGE_SIZE);
}

/* check_wake_op_wake - who WAKE_OP wakes: always the first futex, the second if cmp holds. */
static void check_wake_op_wake(void)
{
	static const struct { int cmp, arg, hit; } c[] = {
		{ FUTEX_OP_CMP_EQ, 2, 1 }, { FUTEX_OP_CMP_NE, 2, 0 }, { FUTEX_OP_CMP_LT, 3, 1 },
		{ FUTEX_OP_CMP_LE, 1, 0 }, { FUTEX_OP_CMP_GT, 1, 1 }, { FUTEX_OP_CMP_GE, 3, 0 },
	};
	uint32_t *w = shared_page(), *f1 = &w[0], *f2 = &w[16];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		*f2 = 2;	/* old value 2 against cmparg */
		pid_t a = waiter(f1, FUTEX_WAIT, 0, 0);
		pid_t b = waiter(f2, FUTEX_WAIT, 2, 0);
		long r = fx2(f1, FUTEX_WAKE_OP, 1, 1, f2, FUTEX_OP(FUTEX_OP_SET, 0, c[i].cmp, c[i].arg));
		CHECK(r == 1 + c[i].hit && *f2 == 0, "WAKE_OP cmp %d (2 vs %d) wakes %d (got %ld)",
		      c[i].cmp, c[i].arg, 1 + c[i].hit, r);
		if (!c[i].hit)
			fx(f2, FUTEX_WAKE, 1, NULL, NULL, 0);
		CHECK(reap_ok(a) && reap_ok(b), "... both waiters returned 0");
	}
	CHECK(fx2(f1, FUTEX_WAKE_OP, 1, 1, f2, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)) == 0,
	      "WAKE_OP with nobody waiting -> 0");
	munmap(w, PAGE_SIZE);
}

static volatile sig_atomic_t got_sig;
static uint32_t *sig_seen;	/* shared: how many handlers ran, for the signalling child */

static void on_usr1(int sig)
{
	(void)sig;
	got_sig++;
	__atomic_fetch_add(sig_seen, 1, __ATOMIC_SEQ_CST);
}

/*
 * signal_wait - FUTEX_WAIT on *w (0) with timeout ts while a child sends SIGUSR1 whenever we
 * are asleep; with wake_after, the child instead wakes us by the word once a signal got
 * through. Returns the futex's result, errno in *err.
 */
static long signal_wait(uint32_t *w, const struct timespec *ts, int flags, int wake_after, int *err)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };
	pid_t me = getpid(), pid;
	long r;

	sigaction(SIGUSR1, &sa, NULL);
	got_sig = 0;
	w[0] = 0;
	w[1] = 0;	/* our result is in */
	w[2] = 0;	/* signals that got through, as the child sees them */
	sig_seen = &w[2];
	pid = tfork();
	if (pid == 0) {
		while (!__atomic_load_n(&w[1], __ATOMIC_SEQ_CST)) {
			if (wake_after && __atomic_load_n(&w[2], __ATOMIC_SEQ_CST)) {
				__atomic_store_n(&w[0], 1, __ATOMIC_SEQ_CST);
				fx(w, FUTEX_WAKE, 1, NULL, NULL, 0);
			} else if (wait_asleep(me) == 'S') {
				kill(me, SIGUSR1);
			}
			sched_yield();
		}
		_exit(0);
	}
	do {
		r = fx(w, FUTEX_WAIT, 0, ts, NULL, 0);
		*err = errno;
	} while (wake_after && r < 0 && *err == EAGAIN && !w[0]);
	__atomic_store_n(&w[1], 1, __ATOMIC_SEQ_CST);
	wait_pid(pid);
	signal(SIGUSR1, SIG_DFL);
	return r;
}

/* check_signals - a handler interrupts a wait: EINTR, or with SA_RESTART a restart. */
static void check_signals(void)
{
	uint32_t *w = shared_page();
	struct timespec long_ts = { 60, 0 };
	int err;
	long r;

	r = signal_wait(w, NULL, 0, 0, &err);
	CHECK(r == -1 && err == EINTR && got_sig >= 1,
	      "an untimed WAIT interrupted by a handler -> EINTR (r %ld errno %d, %d signals)", r, err,
	      (int)got_sig);
	r = signal_wait(w, &long_ts, 0, 0, &err);
	CHECK(r == -1 && err == EINTR, "a timed WAIT interrupted by a handler -> EINTR (r %ld errno %d)",
	      r, err);
	r = signal_wait(w, NULL, SA_RESTART, 1, &err);
	CHECK((r == 0 || err == EAGAIN) && got_sig >= 1,
	      "an untimed WAIT under an SA_RESTART handler restarts: ends by the wake, not EINTR "
	      "(r %ld errno %d, %d signals)", r, err, (int)got_sig);
	munmap(w, PAGE_SIZE);
}

/* lock/unlock - a three-state futex mutex (0 free, 1 locked, 2 locked with waiters). */
static void lock(uint32_t *m)
{
	uint32_t c = 0;

	if (__atomic_compare_exchange_n(m, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		fx(m, FUTEX_WAIT, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(uint32_t *m)
{
	if (__atomic_fetch_sub(m, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(m, 0, __ATOMIC_RELEASE);
		fx(m, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

/* check_lock_hammer - NPROC processes increment a shared counter under the futex lock. */
static void check_lock_hammer(void)
{
	uint32_t *w = shared_page();
	pid_t p[NPROC];
	int ok = 0;

	for (int i = 0; i < NPROC; i++) {
		if ((p[i] = tfork()) == 0) {
			for (int n = 0; n < ROUNDS; n++) {
				lock(&w[0]);
				w[16]++;	/* a plain increment: only the lock keeps it exact */
				unlock(&w[0]);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < NPROC; i++)
		ok += reap_ok(p[i]);
	CHECK(ok == NPROC && w[16] == NPROC * ROUNDS,
	      "%d processes x %d increments under a futex lock -> %u", NPROC, ROUNDS, w[16]);
	munmap(w, PAGE_SIZE);
}

int main(void)
{
	t_init();
	start_guardian();
	check_errnos();
	check_timeouts();
	check_wake();
	check_requeue();
	check_wake_op_word();
	check_wake_op_wake();
	check_signals();
	check_lock_hammer();
	stop_guardian();
	return t_done("t_futex");
}
