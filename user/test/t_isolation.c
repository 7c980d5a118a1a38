/*
 * t_isolation - a process reaches only its own memory. Probes, each in a child whose fate
 * wait4 reports:
 *   - loads, stores and jumps to kernel-half addresses die of SIGSEGV;
 *   - system calls given kernel-half, unmapped and end-of-user-half pointers fail with
 *     EFAULT, change nothing and pass no kernel bytes on;
 *   - text, rodata and PROT_READ pages cannot be written, by stores or by the kernel;
 *   - fresh frames (brk, anonymous and shared mmap, stack) are zero even right after
 *     another process filled a quarter of RAM with 0x5a and exited;
 *   - a process's pages are gone for everybody once it exits, on every hart (no stale
 *     TLB entry shows its data), and after fork concurrent writes stay private;
 *   - the stack has a guard: overflow and a store below the stack die of SIGSEGV.
 */
#include "ulib.h"
#include <setjmp.h>
#include <sys/mman.h>

#define PG PAGE_SIZE
#define TLB_PAGES 32	   /* pages the exiting process fills */
#define TLB_ROUNDS 4
#define TLB_PROBES 8	   /* children probing its old address, spread over the harts */
#define COW_ROUNDS 40
#define COW_PAGES 16
#define ZERO_ROUNDS 3
#define PATTERN 0x5a5a5a5a5a5a5a5aULL

static const uintptr_t kernel_addrs[] = { 0xffffffc000000000UL, 0xffffffff80000000UL,
					  0xffffffc080000000UL };
static const char rodata[] = "isolation rodata";
static const char *self;
static volatile int never; /* keeps GCC from dropping stack probes */

/* ---- helpers ----------------------------------------------------------------------------- */

/* load_at - child body: load a word from the address in arg. */
static void load_at(void *arg)
{
	(void)*(volatile uint64_t *)arg;
}

/* store_at - child body: store a word to the address in arg. */
static void store_at(void *arg)
{
	*(volatile uint64_t *)arg = 1;
}

/* jump_to - child body: call the address in arg. */
static void jump_to(void *arg)
{
	((void (*)(void))arg)();
}

static sigjmp_buf probe_env;

/* on_fault - SIGSEGV/SIGBUS handler of the probes: back to the sigsetjmp. */
static void on_fault(int sig)
{
	siglongjmp(probe_env, sig);
}

/* catch_faults - make SIGSEGV and SIGBUS return to probe_env instead of killing us. */
static void catch_faults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/* try_load - load the word at p: 1 with *v set, or 0 if it faulted. Needs catch_faults(). */
static int try_load(uintptr_t p, uint64_t *v)
{
	if (sigsetjmp(probe_env, 1))
		return 0;
	*v = *(volatile uint64_t *)hide_ptr(p);
	return 1;
}

/* try_store - store v at p: 1 if it worked, 0 if it faulted. Needs catch_faults(). */
static int try_store(uintptr_t p, uint64_t v)
{
	if (sigsetjmp(probe_env, 1))
		return 0;
	*(volatile uint64_t *)hide_ptr(p) = v;
	return 1;
}

/* spin_yield - yield n times, so the scheduler spreads runnable children over the harts. */
static void spin_yield(int n)
{
	for (int i = 0; i < n; i++)
		sched_yield();
}

/* stack_vma - start and end of the [stack] line of /proc/self/maps; 0 if none. */
static int stack_vma(uintptr_t *lo, uintptr_t *hi)
{
	char maps[8192];

	if (read_small_file("/proc/self/maps", maps, sizeof(maps)) <= 0)
		return 0;
	for (char *line = maps; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : 0) {
		char *nl = strchr(line, '\n'), *end;

		if (nl)
			*nl = '\0';
		if (strstr(line, "[stack]")) {
			*lo = strtoul(line, &end, 16);
			*hi = strtoul(end + 1, NULL, 16);
			return 1;
		}
		if (nl)
			*nl = '\n';
	}
	return 0;
}

/* ---- 1. the kernel half from user mode ---------------------------------------------------- */

/* check_kernel_half - loads, stores and instruction fetches of kernel addresses fault. */
static void check_kernel_half(void)
{
	for (size_t i = 0; i < sizeof(kernel_addrs) / sizeof(kernel_addrs[0]); i++) {
		void *k = hide_ptr(kernel_addrs[i]);

		CHECK_SIG(run_child(load_at, k), SIGSEGV, "load from %p -> SIGSEGV", k);
		CHECK_SIG(run_child(store_at, k), SIGSEGV, "store to %p -> SIGSEGV", k);
		CHECK_SIG(run_child(jump_to, k), SIGSEGV, "jump to %p -> SIGSEGV", k);
	}
}

/* ---- 2. bad pointers as system call arguments ------------------------------------------- */

/*
 * efault_probe - hand the pointer p to every probed call; append to bad (size n) the
 * names of calls that did not fail with EFAULT or had an effect. Returns the count.
 */
static int efault_probe(uintptr_t p, char *bad, size_t n)
{
	struct { const char *name; long r; } res[12];
	int pr[2] = { -1, -1 }, nres = 0, nbad = 0, fd = open(self, O_RDONLY | O_CLOEXEC), lowest;
	char drain[64];
	struct sigaction sa;
	pid_t pid;

	bad[0] = '\0';
	if (pipe2(pr, O_NONBLOCK | O_CLOEXEC) < 0) /* out of memory: report, never read fd 0 */
		snprintf(bad, n, " pipe2-for-the-probe: %s", strerror(errno));
#define PROBE(what, call)                                                                          \
	do {                                                                                       \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		res[nres].name = what;                                                             \
		res[nres++].r = r_ == -1 && errno == EFAULT ? 0 : r_ == -1 ? errno : 1000 + r_;    \
	} while (0)
	PROBE("read", read(fd, hide_ptr(p), 16));
	PROBE("write", write(pr[1], hide_ptr(p), 16));
	PROBE("getcwd", syscall(SYS_getcwd, p, 64));
	PROBE("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
	PROBE("uname", syscall(SYS_uname, p));
	PROBE("fstat", syscall(SYS_fstat, fd, p));
	PROBE("rt_sigaction act", syscall(SYS_rt_sigaction, SIGUSR1, p, 0, 8));
	PROBE("rt_sigaction oldact", syscall(SYS_rt_sigaction, SIGUSR1, 0, p, 8));
	lowest = open("/dev/null", O_RDONLY);
	close(lowest);
	PROBE("pipe2", syscall(SYS_pipe2, p, 0));
	pid = xfork();
	if (pid == 0)
		_exit(7);
	if (pid > 0) {
		PROBE("wait4 status", syscall(SYS_wait4, pid, p, 0, 0));
		/* Linux reaps the child even so; a kernel that checks first leaves it for us. */
		wait4(pid, NULL, 0, NULL);
	}
#undef PROBE
	for (int i = 0; i < nres; i++) {
		if (res[i].r == 0)
			continue;
		nbad++;
		snprintf(bad + strlen(bad), n - strlen(bad), " %s=%s%ld", res[i].name,
			 res[i].r >= 1000 ? "ret " : "errno ", res[i].r >= 1000 ? res[i].r - 1000 : res[i].r);
	}
	/* No side effects: no bytes in the pipe, no leaked fd, SIGUSR1 still default. */
	if (pr[0] < 0 || pid < 0)
		nbad++; /* could not probe everything */
	else if (read(pr[0], drain, sizeof(drain)) != -1) {
		nbad++;
		snprintf(bad + strlen(bad), n - strlen(bad), " pipe-got-bytes");
	}
	/* (qemu-user's pipe2 leaks its host fds when the copy-out fails: Holstein only.) */
	int again = open("/dev/null", O_RDONLY);
	close(again);
	if (again != lowest && on_holstein()) {
		nbad++;
		snprintf(bad + strlen(bad), n - strlen(bad), " pipe2-leaked-fds");
	}
	if (sigaction(SIGUSR1, NULL, &sa) || sa.sa_handler != SIG_DFL) {
		nbad++;
		snprintf(bad + strlen(bad), n - strlen(bad), " sigaction-changed");
	}
	close(fd);
	close(pr[0]);
	close(pr[1]);
	return nbad;
}

/* check_syscall_pointers - every probed call refuses kernel, unmapped and straddling pointers. */
static void check_syscall_pointers(void)
{
	char *gone = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t ptrs[6];
	const char *what[6] = { "kernel 0xffffffc000000000", "kernel 0xffffffff80000000",
				"kernel direct map 0xffffffc080000000", "unmapped user page",
				"0x3ffffffff8 (straddles the end of the user half)",
				"unmapped page + 4092 (straddles into the next)" };
	char bad[512];

	munmap(gone, PG);
	for (int i = 0; i < 3; i++)
		ptrs[i] = kernel_addrs[i];
	ptrs[3] = (uintptr_t)gone;
	ptrs[4] = 0x3ffffffff8UL;
	ptrs[5] = (uintptr_t)gone + PG - 4;
	for (int i = 0; i < 6; i++) {
		int n = efault_probe(ptrs[i], bad, sizeof(bad));

		CHECK(n == 0, "%s: read write getcwd clock_gettime uname fstat rt_sigaction pipe2 "
			      "wait4 -> EFAULT, no side effects%s%s", what[i], n ? " ; bad:" : "", bad);
	}
}

/* ---- 3. read-only memory ---------------------------------------------------------------- */

/* text_victim - a function whose text the probes try to overwrite. */
static __attribute__((noinline)) int text_victim(int x)
{
	return x * 5 + 3;
}

/* check_read_only - stores and kernel writes into text, rodata and PROT_READ pages fail. */
static void check_read_only(void)
{
	uint8_t text_before[32], ro_before[sizeof(rodata)];
	int fd = open(self, O_RDONLY | O_CLOEXEC);
	char *page = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = 1;

	memcpy(text_before, (void *)(uintptr_t)&text_victim, sizeof(text_before));
	memcpy(ro_before, rodata, sizeof(rodata));
	CHECK_SIG(run_child(store_at, hide_ptr((uintptr_t)&text_victim)), SIGSEGV,
		  "store to our text -> SIGSEGV");
	CHECK_SIG(run_child(store_at, hide_ptr((uintptr_t)rodata)), SIGSEGV,
		  "store to our rodata -> SIGSEGV");
	CHECK_ERR(pread(fd, hide_ptr((uintptr_t)&text_victim), 16, 0), EFAULT,
		  "read() into our text -> EFAULT");
	CHECK_ERR(pread(fd, hide_ptr((uintptr_t)rodata), 8, 0), EFAULT,
		  "read() into our rodata -> EFAULT");
	CHECK(!memcmp(text_before, (void *)(uintptr_t)&text_victim, sizeof(text_before)) &&
		      !memcmp(ro_before, rodata, sizeof(rodata)) && text_victim(1) == 8,
	      "text and rodata unchanged");

	memset(page, 0x11, 2 * PG);
	CHECK(mprotect(page, PG, PROT_READ) == 0, "mprotect a page PROT_READ");
	CHECK_SIG(run_child(store_at, page + 8), SIGSEGV, "store to the PROT_READ page -> SIGSEGV");
	CHECK_ERR(pread(fd, page + 100, 16, 0), EFAULT, "read() into the PROT_READ page -> EFAULT");
	CHECK_ERR(pread(fd, page + PG - 8, 16, 0), EFAULT,
		  "read() into a buffer that starts in the PROT_READ page -> EFAULT");
	for (size_t i = 0; i < PG; i++)
		ok &= page[i] == 0x11;
	CHECK(ok, "the PROT_READ page is unchanged");
	CHECK_EXIT(run_child(store_at, page + PG), 0, "the page after it stays writable");
	munmap(page, 2 * PG);
	close(fd);
}

/* ---- 4. fresh memory is zero ------------------------------------------------------------- */

/* dirty_stack - fill len bytes of stack below us with 0x5a. */
static __attribute__((noinline)) void dirty_stack(size_t len)
{
	char *big = alloca(len);

	memset(big, 0x5a, len);
	if (never)
		printf("%p", big);
}

/* dirty - child body: fill size bytes of brk, anonymous, shared memory and stack with 0x5a. */
static void dirty(void *arg)
{
	size_t size = (size_t)arg;
	char *heap = sbrk(size / 2);
	char *anon = mmap(NULL, size / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (heap != (void *)-1)
		memset(heap, 0x5a, size / 2);
	if (anon != MAP_FAILED)
		memset(anon, 0x5a, size / 2);
	if (shared != MAP_FAILED)
		memset(shared, 0x5a, 1 * MiB);
	dirty_stack(1 * MiB);
}

/*
 * fresh_bad - count non-zero words in len bytes at p, touching each page with a store of
 * zero first on odd pages (a fresh frame) and reading first on even ones (the zero page,
 * then a copy of it on the store).
 */
static size_t fresh_bad(char *p, size_t len)
{
	size_t bad = 0;

	for (size_t off = 0; off < len; off += PG) {
		volatile uint64_t *w = (volatile uint64_t *)(p + off);

		if ((off / PG) & 1) {
			w[1] = 0;
		} else {
			bad += w[1] != 0;
			w[1] = 0;
		}
		for (size_t i = 0; i < PG / 8; i++)
			bad += w[i] != 0;
	}
	return bad;
}

/* stack_bad - count non-zero words in a never-touched 1 MiB of stack below us. */
static __attribute__((noinline)) size_t stack_bad(void)
{
	char *big = alloca(1 * MiB + 64 * KiB);

	/* The part near our caller may hold old frames of ours; the deep part is fresh. */
	return fresh_bad((char *)((uintptr_t)big & ~(PG - 1)), 1 * MiB - PG);
}

/* check_zero - child body: fresh brk, anonymous, shared and stack memory is all zero. */
static void check_zero(void *arg)
{
	size_t size = (size_t)arg, bad[4] = { 0 };
	char *heap = sbrk(size / 2);
	char *anon = mmap(NULL, size / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (heap == (void *)-1 || anon == MAP_FAILED || shared == MAP_FAILED) {
		printf("FAIL: check_zero could not allocate %zu bytes\n", size);
		_exit(2);
	}
	bad[0] = fresh_bad(heap, size / 2);
	bad[1] = fresh_bad(anon, size / 2);
	bad[2] = fresh_bad(shared, 1 * MiB);
	bad[3] = stack_bad();
	if (bad[0] || bad[1] || bad[2] || bad[3]) {
		printf("FAIL: non-zero words in fresh memory: brk %zu, mmap %zu, shared %zu, stack %zu\n",
		       bad[0], bad[1], bad[2], bad[3]);
		_exit(1);
	}
}

/* check_fresh_zero - rounds of: one process dirties a quarter of RAM, the next checks. */
static void check_fresh_zero(void)
{
	size_t size = ram_share(25, 32 * MiB);

	for (int r = 0; r < ZERO_ROUNDS; r++) {
		int st = run_child(dirty, (void *)size);

		CHECK_EXIT(st, 0, "round %d: a child filled %zu MiB with 0x5a and exited", r, size >> 20);
		CHECK_EXIT(run_child(check_zero, (void *)size), 0,
			   "round %d: the next child's fresh brk, mmap, shared and stack memory is zero",
			   r);
	}
}

/* ---- 5. an exited process's pages, on every hart; private writes after fork ----------- */

/* tlb_owner - child A: map and fill pages, touch them on several harts, report, exit. */
static void tlb_owner(int wfd, int round)
{
	uint64_t *p = mmap(NULL, TLB_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	uintptr_t addr = (uintptr_t)p;

	if (p == MAP_FAILED)
		_exit(2);
	for (int pass = 0; pass < 4; pass++) {
		for (size_t i = 0; i < TLB_PAGES * PG / 8; i++)
			p[i] = PATTERN ^ round;
		spin_yield(3); /* maybe continue on another hart, leaving TLB entries behind */
	}
	if (write(wfd, &addr, sizeof(addr)) != sizeof(addr))
		_exit(3);
	_exit(0);
}

/*
 * tlb_probe - a new process: A's address must fault for loads, stores and system calls;
 * mapped afresh it must read zero. Exit code 0, or 1 if A's data showed up, 2 if the
 * address was reachable though nothing of ours is there, 3 if fresh memory was not zero,
 * 4 if it could not get a pipe.
 */
static void tlb_probe(uintptr_t addr, int round)
{
	uint64_t v, want = PATTERN ^ round;
	int pr[2] = { -1, -1 }, reachable = 0, leaked = 0, dirty = 0;
	uint64_t *fresh;

	spin_yield(2 + getpid() % 5);
	catch_faults();
	if (pipe2(pr, O_NONBLOCK) < 0) {
		printf("FAIL: pid %d: pipe2: %s\n", getpid(), strerror(errno));
		_exit(4);
	}
	for (int i = 0; i < TLB_PAGES; i++) {
		uintptr_t a = addr + i * PG + (i % 8) * 8;

		/* Loads and stores on the first and last page (Holstein logs each fault)... */
		if (i == 0 || i == TLB_PAGES - 1) {
			if (try_load(a, &v)) {
				reachable++;
				leaked += v == want;
			}
			if (try_store(a, 0x0b0b))
				reachable++;
		}
		/* ...and the kernel's own access on every page. */
		if (write(pr[1], hide_ptr(a), 8) != -1 || errno != EFAULT)
			reachable++;
	}
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	fresh = mmap(hide_ptr(addr), TLB_PAGES * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (fresh != MAP_FAILED) {
		for (size_t i = 0; i < TLB_PAGES * PG / 8; i += 64) {
			leaked += fresh[i] == want;
			fresh[i] = 1; /* a fresh frame, maybe one of A's: zeroed? */
			leaked += fresh[i + 1] == want;
			dirty += fresh[i + 1] != 0;
		}
	}
	if (leaked)
		printf("FAIL: pid %d saw the exited process's data %d times at %#lx\n", getpid(),
		       leaked, (unsigned long)addr);
	if (reachable)
		printf("FAIL: pid %d reached %#lx %d times although it maps nothing there\n",
		       getpid(), (unsigned long)addr, reachable);
	if (dirty)
		printf("FAIL: pid %d: %d non-zero words in fresh memory at %#lx\n", getpid(), dirty,
		       (unsigned long)addr);
	_exit(leaked ? 1 : reachable ? 2 : dirty ? 3 : 0);
}

/* check_stale_tlb - rounds of: A fills pages and exits, then probes on all harts. */
static void check_stale_tlb(void)
{
	for (int r = 0; r < TLB_ROUNDS; r++) {
		int p[2], bad = 0;
		uintptr_t addr = 0;
		pid_t a, probes[TLB_PROBES];

		if (pipe(p))
			die("pipe: %s", strerror(errno));
		a = xfork();
		if (a == 0) {
			close(p[0]);
			tlb_owner(p[1], r);
		}
		close(p[1]);
		if (read(p[0], &addr, sizeof(addr)) != sizeof(addr))
			addr = 0;
		close(p[0]);
		CHECK_EXIT(wait_pid(a), 0, "round %d: process A filled %d pages at %#lx and exited", r,
			   TLB_PAGES, (unsigned long)addr);
		if (!addr)
			continue;
		for (int i = 0; i < TLB_PROBES; i++) {
			probes[i] = xfork();
			if (probes[i] == 0)
				tlb_probe(addr, r);
		}
		for (int i = 0; i < TLB_PROBES; i++) {
			int st = wait_pid(probes[i]);

			bad += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		}
		CHECK(bad == 0, "round %d: %d new processes on all harts: A's pages fault, "
				"fresh ones there read zero (%d bad)", r, TLB_PROBES, bad);
	}
}

/* cow_word - the value side (0 parent, 1 child, 2 base) writes at word i in round r. */
static uint64_t cow_word(int side, size_t i, int r)
{
	return ((uint64_t)(side + 1) << 56) | ((uint64_t)r << 32) | i;
}

/*
 * cow_side - write our value over every word of buf, checking each page held the base value
 * (or ours) just before; then check everything. Returns the number of wrong words.
 */
static size_t cow_side(uint64_t *buf, int side, int r)
{
	size_t bad = 0, words = COW_PAGES * PG / 8;

	for (size_t i = 0; i < words; i++) {
		bad += buf[i] != cow_word(2, i, r);
		buf[i] = cow_word(side, i, r);
	}
	sched_yield();
	for (size_t i = 0; i < words; i++)
		bad += buf[i] != cow_word(side, i, r);
	return bad;
}

/* check_cow_privacy - after fork, parent and child write the same pages at once, many rounds. */
static void check_cow_privacy(void)
{
	uint64_t *buf = mmap(NULL, COW_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			     -1, 0);
	int failed = 0;

	for (int r = 0; r < COW_ROUNDS; r++) {
		int go[2];
		char c = 'g';
		pid_t pid;
		size_t bad;

		for (size_t i = 0; i < COW_PAGES * PG / 8; i++)
			buf[i] = cow_word(2, i, r);
		if (pipe(go))
			die("pipe: %s", strerror(errno));
		pid = xfork();
		if (pid == 0) {
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(3);
			_exit(cow_side(buf, 1, r) ? 1 : 0);
		}
		close(go[0]);
		/* Release the child and race it page by page. */
		if (write(go[1], &c, 1) != 1)
			die("write: %s", strerror(errno));
		bad = cow_side(buf, 0, r);
		close(go[1]);
		int st = wait_pid(pid);

		if (bad || !WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("FAIL: round %d: parent saw %zu wrong words, child %s\n", r, bad,
			       status_str(st));
			failed++;
		}
	}
	CHECK(failed == 0, "%d rounds of parent and child writing the same %d COW pages at once: "
			   "each sees only its own writes", COW_ROUNDS, COW_PAGES);
	munmap(buf, COW_PAGES * PG);
}

/* ---- 6. the stack guard -------------------------------------------------------------------- */

/* Deeper than any stack: recursion that must end in SIGSEGV first. */
static volatile int depth_limit = 1 << 30;

/* recurse - use about 1 KiB of stack per level until depth_limit. */
static __attribute__((noinline)) int recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth >= depth_limit)
		return 0;
	return recurse(depth + 1) + frame[0] + frame[sizeof(frame) - 1];
}

/* overflow - child body: recurse until the stack runs out. */
static void overflow(void *arg)
{
	(void)arg;
	if (never)
		return;
	recurse(0);
}

/* on_segv_return - a SIGSEGV handler: the kernel has no stack to run it on. */
static void on_segv_return(int sig)
{
	(void)sig;
}

/* overflow_with_handler - child body: overflow with a SIGSEGV handler but no altstack. */
static void overflow_with_handler(void *arg)
{
	signal(SIGSEGV, on_segv_return);
	overflow(arg);
}

/* check_stack_guard - stack overflow and a store below the stack VMA die of SIGSEGV. */
static void check_stack_guard(void)
{
	uintptr_t lo, hi;

	CHECK_SIG(run_child(overflow, NULL), SIGSEGV, "unbounded recursion -> SIGSEGV");
	CHECK_SIG(run_child(overflow_with_handler, NULL), SIGSEGV,
		  "unbounded recursion with a SIGSEGV handler and no altstack -> SIGSEGV");
	if (!stack_vma(&lo, &hi)) {
		t_skip("no [stack] line in /proc/self/maps");
		return;
	}
	CHECK_SIG(run_child(store_at, hide_ptr(lo - 8)), SIGSEGV,
		  "store just below the stack VMA (%#lx) -> SIGSEGV", (unsigned long)lo);
	CHECK_SIG(run_child(load_at, hide_ptr(lo - PG)), SIGSEGV,
		  "load a page below the stack VMA -> SIGSEGV");
	CHECK_EXIT(run_child(store_at, hide_ptr(lo)), 0,
		   "a store at the lowest stack address itself is fine");
}

/* main - run every probe group. */
int main(int argc, char **argv)
{
	(void)argc;
	t_init();
	self = self_path(argv[0]);
	check_kernel_half();
	check_syscall_pointers();
	check_read_only();
	check_fresh_zero();
	check_stale_tlb();
	check_cow_privacy();
	check_stack_guard();
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD, "every child reaped");
	return t_done("t_isolation");
}
