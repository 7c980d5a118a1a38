/*
 * t_shared - shared memory and what a mapping may become, as on Linux:
 *   - MAP_SHARED|MAP_ANONYMOUS (and MAP_SHARED /dev/zero) memory is one copy for every
 *     process that maps it: pages first touched after fork are shared too, and
 *     MADV_DONTNEED drops only this process's mapping, never the data;
 *   - a futex in shared memory wakes across processes even when the waiter never touched
 *     the page before it waits;
 *   - mprotect grants only what a mapping may ever have: a MAP_SHARED mapping of a file
 *     opened read-only can never be written (EACCES), not even through a private copy,
 *     while a MAP_PRIVATE one may (a copy; the file is untouched);
 *   - SysV segments: shmget's keys and errors, shmat (anywhere, at an address, SHM_RND,
 *     SHM_REMAP, SHM_RDONLY), shm_nattch across attaches, fork and exit, IPC_STAT/IPC_SET,
 *     and IPC_RMID, which takes the key at once and the memory at the last detach.
 */
#include "ulib.h"
#include <linux/futex.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#define PG PAGE_SIZE

static const char *self;

/* store_to - child body: store one byte at arg. */
static void store_to(void *arg)
{
	*(volatile char *)arg = 1;
}

/* child_reports - wait for @pid and check that it exited 0 (it prints its own FAIL lines). */
static void child_reports(pid_t pid, const char *what)
{
	int st = wait_pid(pid);

	if (!CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", what))
		printf("    child: %s\n", status_str(st));
}

/*
 * check_dontneed_shared - store 7, fork; the child drops its mapping with MADV_DONTNEED,
 * reads 7 back and stores 9 in the next word, which the parent must see.  @p is a fresh
 * shared mapping of @pages pages.
 */
static void check_dontneed_shared(volatile uint64_t *p, size_t pages, const char *what)
{
	pid_t pid;

	p[0] = 7;
	pid = xfork();
	if (pid == 0) {
		int bad = 0;
		if (madvise((void *)p, pages * PG, MADV_DONTNEED) != 0)
			bad = printf("FAIL: %s: madvise: %s\n", what, strerror(errno));
		else if (p[0] != 7)
			bad = printf("FAIL: %s: child read %lu after MADV_DONTNEED, want 7\n", what,
				     (unsigned long)p[0]);
		p[1] = 9;
		_exit(bad ? 1 : 0);
	}
	child_reports(pid, what);
	if (!CHECK(p[1] == 9, "%s: the parent sees the child's store made after MADV_DONTNEED", what))
		printf("    word 1 = %lu\n", (unsigned long)p[1]);
	/* And the other way round: the parent drops its pages, the data stays. */
	CHECK(madvise((void *)p, pages * PG, MADV_DONTNEED) == 0 && p[0] == 7 && p[1] == 9,
	      "%s: MADV_DONTNEED in the parent keeps the data too", what);
}

static void check_anon_shared(void)
{
	void *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (!CHECK(p != MAP_FAILED, "mmap MAP_SHARED|MAP_ANONYMOUS"))
		return;
	check_dontneed_shared(p, 4, "MAP_SHARED|MAP_ANONYMOUS");
	munmap(p, 4 * PG);
}

static void check_devzero_shared(void)
{
	int fd = open("/dev/zero", O_RDWR);
	void *p;

	if (!CHECK(fd >= 0, "open /dev/zero O_RDWR"))
		return;
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (!CHECK(p != MAP_FAILED, "mmap MAP_SHARED /dev/zero"))
		return;
	CHECK(((volatile uint64_t *)p)[0] == 0, "MAP_SHARED /dev/zero reads as zero");
	check_dontneed_shared(p, 2, "MAP_SHARED /dev/zero");
	munmap(p, 2 * PG);
}

/*
 * check_devzero_offset - a shared /dev/zero mapping is an object of the mapping's size that
 * the offset indexes: pages the offset puts past its end are SIGBUS, as on Linux.
 */
static void check_devzero_offset(void)
{
	int fd = open("/dev/zero", O_RDWR);
	char *p;

	if (!CHECK(fd >= 0, "open /dev/zero O_RDWR"))
		return;
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	close(fd);
	if (!CHECK(p != MAP_FAILED, "mmap 2 pages of /dev/zero MAP_SHARED at offset 4096"))
		return;
	p[0] = 1;
	CHECK(p[0] == 1, "its first page works");
	CHECK_SIG(run_child(store_to, p + PG), SIGBUS, "its second page lies past the end: SIGBUS");
	munmap(p, 2 * PG);
}

/*
 * check_touch_after_fork - pages nobody touched before fork are shared too, whichever
 * side touches first; a child's munmap or exit takes nothing from the parent.
 */
static void check_touch_after_fork(void)
{
	size_t len = 64 * PG;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (!CHECK(p != MAP_FAILED, "mmap 64 shared pages, none touched"))
		return;
	pid = xfork();
	if (pid == 0) {
		for (size_t i = 0; i < len; i += PG)
			p[i] = (char)(i / PG + 1);
		munmap((void *)p, len / 2);
		_exit(0);
	}
	child_reports(pid, "child writes every page first, then unmaps half");
	int ok = 1;
	for (size_t i = 0; i < len; i += PG)
		ok &= p[i] == (char)(i / PG + 1);
	CHECK(ok, "the parent sees all 64 pages the child touched first");
}

/* check_grandchild - the data outlives the process that created the mapping. */
static void check_grandchild(void)
{
	volatile uint64_t *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				    -1, 0);
	int go[2], done[2];
	char c;
	pid_t pid;

	if (!CHECK(p != MAP_FAILED, "mmap one shared page"))
		return;
	xpipe(go);
	xpipe(done);
	pid = xfork();
	if (pid == 0) {
		/* The child makes the grandchild, drops its own mapping and exits. */
		pid_t g = xfork();
		if (g == 0) {
			close(go[1]);
			close(done[0]);
			if (read(go[0], &c, 1) != 1)	/* the parent has seen the first store */
				_exit(2);
			p[0] = 0x600d;
			_exit(0);	/* closing done[1]: the parent's read sees the end */
		}
		p[0] = 1;
		munmap((void *)p, PG);
		_exit(g < 0 ? 1 : 0);
	}
	close(go[0]);
	close(done[1]);
	child_reports(pid, "child forks a grandchild and exits");
	CHECK(p[0] == 1, "the parent sees the child's store");
	if (write(go[1], "g", 1) != 1)
		die("write: %s", strerror(errno));
	close(go[1]);
	/* The grandchild is not our child: its exit shows as the end of the done pipe. */
	while (read(done[0], &c, 1) < 0 && errno == EINTR)
		;
	close(done[0]);
	CHECK(p[0] == 0x600d, "a grandchild's store reaches us after its parent exited");
	munmap((void *)p, PG);
}

/*
 * check_futex_untouched - a waiter that never touched the shared page before it waits
 * is found by a waker in another process: the key is the memory, not the page table.
 */
static void check_futex_untouched(void)
{
	uint32_t *f = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile uint32_t *word;
	int pfd[2];
	pid_t pid;

	if (!CHECK(f != MAP_FAILED, "mmap shared futex pages"))
		return;
	word = f + PG / 4;	/* the second page: untouched by anyone so far */
	xpipe(pfd);
	pid = xfork();
	if (pid == 0) {
		char c;
		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			_exit(3);
		/*
		 * The parent is in (or about to enter) FUTEX_WAIT on value 0: wake until one
		 * is found, never touching the word, so neither side has the page mapped
		 * before it computes its key.
		 */
		while (syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0) != 1)
			sched_yield();
		_exit(0);
	}
	close(pfd[0]);
	/* The parent waits first, before any access to the page of its own. */
	madvise(f, 2 * PG, MADV_DONTNEED);
	if (write(pfd[1], "w", 1) != 1)
		die("write: %s", strerror(errno));
	close(pfd[1]);
	/* The timeout only bounds the failure (keys that never meet): a wake comes at once. */
	struct timespec limit = { .tv_sec = 60 };
	long r;
	do {
		r = syscall(SYS_futex, word, FUTEX_WAIT, 0, &limit, NULL, 0);
	} while (r < 0 && errno == EINTR);
	int err = r < 0 ? errno : 0;
	if (r < 0)
		kill(pid, SIGKILL);
	int st = wait_pid(pid);
	if (!CHECK(r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "FUTEX_WAKE in another process finds a waiter on an untouched shared page"))
		printf("    wait %ld (%s), child %s\n", r, r < 0 ? strerror(err) : "ok",
		       status_str(st));
	munmap(f, 2 * PG);
}

/*
 * check_may_write - what a mapping may become is fixed when it is made.  A read-only
 * file mapped MAP_SHARED refuses PROT_WRITE in mmap and mprotect, and a store is SIGSEGV,
 * never a private copy.  MAP_PRIVATE of the same file may be made writable (a copy).
 */
static void check_may_write(void)
{
	int fd = open(self, O_RDONLY);
	char *p, first;

	if (!CHECK(fd >= 0, "open our own binary O_RDONLY"))
		return;
	CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0,
		  EACCES, "mmap PROT_WRITE MAP_SHARED of an O_RDONLY file -> EACCES");
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	if (CHECK(p != MAP_FAILED, "mmap PROT_READ MAP_SHARED of an O_RDONLY file")) {
		first = p[0];
		CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES,
			  "mprotect(PROT_WRITE) of a read-only shared file mapping -> EACCES");
		CHECK_ERR(mprotect(p, PG, PROT_WRITE), EACCES, "mprotect(PROT_WRITE) alone -> EACCES");
		CHECK_SIG(run_child(store_to, p), SIGSEGV, "a store to it is SIGSEGV, not a copy");
		CHECK(mprotect(p, PG, PROT_READ | PROT_EXEC) == 0, "mprotect(PROT_EXEC) is allowed");
		CHECK(mprotect(p, PG, PROT_NONE) == 0 && mprotect(p, PG, PROT_READ) == 0 &&
		      p[0] == first, "PROT_NONE and back to PROT_READ");
		munmap(p, PG);
	}
	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (CHECK(p != MAP_FAILED, "mmap PROT_READ MAP_PRIVATE of the same file")) {
		first = p[0];
		CHECK(mprotect(p, PG, PROT_READ | PROT_WRITE) == 0,
		      "mprotect(PROT_WRITE) of a private file mapping is allowed");
		p[0] = (char)(first + 1);
		char *q = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
		CHECK(q != MAP_FAILED && q[0] == first, "the store made a private copy: the file is unchanged");
		if (q != MAP_FAILED)
			munmap(q, PG);
		munmap(p, PG);
	}
	close(fd);
}

/* check_devzero_rdonly - /dev/zero opened read-only: shared mappings may never be written. */
static void check_devzero_rdonly(void)
{
	int fd = open("/dev/zero", O_RDONLY);
	char *p;

	if (!CHECK(fd >= 0, "open /dev/zero O_RDONLY"))
		return;
	CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0,
		  EACCES, "mmap PROT_WRITE MAP_SHARED of /dev/zero opened O_RDONLY -> EACCES");
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	if (CHECK(p != MAP_FAILED, "mmap PROT_READ MAP_SHARED of /dev/zero O_RDONLY")) {
		CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES,
			  "mprotect(PROT_WRITE) of it -> EACCES");
		munmap(p, PG);
	}
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (CHECK(p != MAP_FAILED, "mmap PROT_WRITE MAP_PRIVATE of /dev/zero O_RDONLY is allowed")) {
		p[0] = 1;
		munmap(p, PG);
	}
	close(fd);
}

/* shm_nattch - segment @id's attach count, or -1 if IPC_STAT fails. */
static long shm_nattch(int id)
{
	struct shmid_ds d;

	return shmctl(id, IPC_STAT, &d) == 0 ? (long)d.shm_nattch : -1;
}

/* check_sysv_attach - attach twice, across fork, read-only; stat and set. */
static void check_sysv_attach(void)
{
	int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
	struct shmid_ds d;
	char *p, *q, *r;
	pid_t pid;

	if (!CHECK(id >= 0, "shmget(IPC_PRIVATE, 10000)"))
		return;
	CHECK(shmctl(id, IPC_STAT, &d) == 0 && d.shm_segsz == 10000 &&
	      (d.shm_perm.mode & 0777) == 0600 && d.shm_nattch == 0 && d.shm_cpid == getpid(),
	      "IPC_STAT: size, mode, no attaches, creator");
	p = shmat(id, NULL, 0);
	if (!CHECK(p != (void *)-1 && ((uintptr_t)p & (PG - 1)) == 0, "shmat anywhere"))
		return;
	CHECK(p[0] == 0 && p[9999] == 0, "a new segment reads zero");
	strcpy(p, "segment");
	q = shmat(id, NULL, 0);
	CHECK(q != (void *)-1 && q != p && strcmp(q, "segment") == 0 && shm_nattch(id) == 2,
	      "a second attach sees the same memory; nattch 2");
	CHECK(shmdt(q) == 0 && shm_nattch(id) == 1, "shmdt: nattch 1");
	CHECK(shmctl(id, IPC_STAT, &d) == 0 && d.shm_lpid == getpid() && d.shm_atime > 0,
	      "IPC_STAT: last pid and attach time");
	pid = xfork();
	if (pid == 0) {
		int ok = shm_nattch(id) == 2 && strcmp(p, "segment") == 0;
		p[0] = 'S';
		_exit(ok ? 0 : 1);
	}
	child_reports(pid, "a fork child is attached too (nattch 2) and writes");
	CHECK(p[0] == 'S' && shm_nattch(id) == 1, "the parent sees its store; nattch 1 after exit");
	r = shmat(id, NULL, SHM_RDONLY);
	CHECK(r != (void *)-1 && r[0] == 'S', "SHM_RDONLY attach reads the segment");
	CHECK_SIG(run_child(store_to, r), SIGSEGV, "a store to a SHM_RDONLY attach -> SIGSEGV");
	CHECK_ERR(mprotect(r, PG, PROT_READ | PROT_WRITE), EACCES,
		  "mprotect(PROT_WRITE) of a SHM_RDONLY attach -> EACCES");
	shmdt(r);
	d.shm_perm.mode = 0640;
	CHECK(shmctl(id, IPC_SET, &d) == 0 && shmctl(id, IPC_STAT, &d) == 0 &&
	      (d.shm_perm.mode & 0777) == 0640, "IPC_SET changes the mode bits");
	CHECK_ERR(shmdt(p + PG), EINVAL, "shmdt inside a segment -> EINVAL");
	CHECK_ERR(shmdt(p + 1), EINVAL, "shmdt of an unaligned address -> EINVAL");
	CHECK(shmdt(p) == 0 && shm_nattch(id) == 0, "shmdt: nattch 0");
	CHECK_ERR(shmdt(p), EINVAL, "shmdt twice -> EINVAL");
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID of an unattached segment");
	CHECK_ERR(shmctl(id, IPC_STAT, &d), EINVAL, "its id is gone at once");
}

/* check_sysv_address - shmat at an address: alignment, SHM_RND, overlaps and SHM_REMAP. */
static void check_sysv_address(void)
{
	int id = shmget(IPC_PRIVATE, 2 * PG, IPC_CREAT | 0600);
	char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!CHECK(id >= 0 && a != MAP_FAILED, "a segment and a place for it"))
		return;
	CHECK_ERR(shmat(id, a, 0), EINVAL, "shmat over a mapping -> EINVAL");
	CHECK(shmat(id, a, SHM_REMAP) == a, "SHM_REMAP replaces it");
	if (on_holstein())	/* qemu-user picks the address itself and passes SHM_REMAP on */
		CHECK_ERR(shmat(id, NULL, SHM_REMAP), EINVAL, "SHM_REMAP without an address -> EINVAL");
	else
		t_skip("shmat(NULL, SHM_REMAP) (qemu-user maps it)");
	CHECK(shmdt(a) == 0, "shmdt");
	CHECK_ERR(shmat(id, a + 2 * PG + 5, 0), EINVAL, "an unaligned address -> EINVAL");
	munmap(a, 4 * PG);
	CHECK(shmat(id, a + 2 * PG + 5, SHM_RND) == a + 2 * PG, "SHM_RND rounds it down");
	CHECK(shmdt(a + 2 * PG) == 0, "shmdt");
	CHECK_ERR(shmat(-1, NULL, 0), EINVAL, "shmat of id -1 -> EINVAL");
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID");
}

/*
 * check_sysv_keys - keys, IPC_CREAT and IPC_EXCL; IPC_RMID of an attached segment frees
 * its key at once and its memory at the last detach, here a fork child's exit.
 */
static void check_sysv_keys(void)
{
	key_t key = (key_t)(0x4b000000 | (getpid() & 0xffffff)), other = key ^ 0x00800000;
	int id, id2, go[2];
	struct shmid_ds d;
	char *p;
	pid_t pid;

	shmctl(shmget(key, 0, 0), IPC_RMID, NULL);	/* a leftover of an earlier run */
	CHECK_ERR(shmget(key, PG, 0600), ENOENT, "shmget of a missing key -> ENOENT");
	CHECK_ERR(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL, "size 0 -> EINVAL");
	id = shmget(key, PG, IPC_CREAT | IPC_EXCL | 0600);
	if (!CHECK(id >= 0, "shmget(key, IPC_CREAT | IPC_EXCL)"))
		return;
	CHECK_ERR(shmget(key, PG, IPC_CREAT | IPC_EXCL | 0600), EEXIST,
		  "IPC_CREAT | IPC_EXCL of an existing key -> EEXIST");
	CHECK(shmget(key, PG, 0) == id && shmget(key, 0, IPC_CREAT) == id,
	      "the key finds the segment");
	CHECK_ERR(shmget(key, 2 * PG, 0), EINVAL, "asking for more than it has -> EINVAL");
	CHECK_ERR(shmget(other, PG, 0), ENOENT, "another key -> ENOENT");
	p = shmat(id, NULL, 0);
	if (!CHECK(p != (void *)-1 && pipe(go) == 0, "attach it, a pipe"))
		return;
	strcpy(p, "kept");
	pid = xfork();
	if (pid == 0) {
		char c;
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 && strcmp(p, "kept") == 0 ? 0 : 1);
	}
	close(go[0]);
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached");
	CHECK(shmctl(id, IPC_STAT, &d) == 0 && (d.shm_perm.mode & SHM_DEST) &&
	      d.shm_perm.__key == IPC_PRIVATE && d.shm_nattch == 2,
	      "the id still stats: SHM_DEST, no key, nattch 2");
	CHECK_ERR(shmget(key, PG, 0), ENOENT, "its key is gone");
	id2 = shmget(key, PG, IPC_CREAT | 0600);
	CHECK(id2 >= 0 && id2 != id, "the key makes a new segment");
	CHECK(shmdt(p) == 0 && shm_nattch(id) == 1, "the parent detaches; the child holds it");
	CHECK(write(go[1], "x", 1) == 1, "let the child read");
	child_reports(pid, "the child still reads the removed segment");
	close(go[1]);
	CHECK_ERR(shmctl(id, IPC_STAT, &d), EINVAL, "the last detach (an exit) destroyed it");
	CHECK(shmctl(id2, IPC_RMID, NULL) == 0, "IPC_RMID of the new one");
}

int main(int argc, char **argv)
{
	(void)argc;
	t_init();
	self = self_path(argv[0]);
	check_anon_shared();
	check_devzero_shared();
	check_devzero_offset();
	check_touch_after_fork();
	check_grandchild();
	check_futex_untouched();
	check_may_write();
	check_devzero_rdonly();
	check_sysv_attach();
	check_sysv_address();
	check_sysv_keys();
	return t_done("t_shared");
}
