/*
 * t_mem - the address space: anonymous mmap, MAP_FIXED, munmap, mprotect, madvise
 * (MADV_DONTNEED), private file mappings of our own binary, bad arguments, brk growth,
 * mremap (shrink, grow in place, move with the pages, MREMAP_FIXED, shared memory, after
 * fork) and stack overflow ending in SIGSEGV.
 */
#include "ulib.h"
#include <sys/mman.h>

#define PG PAGE_SIZE

static const char *self;

/* touch - fault handler test body: write one byte at the address in arg. */
static void touch_write(void *arg)
{
	*(volatile char *)arg = 1;
}

/* touch_read - fault handler test body: read one byte at the address in arg. */
static void touch_read(void *arg)
{
	(void)*(volatile char *)arg;
}

/* all_bytes - whether len bytes at p all equal c. */
static int all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* check_anon - anonymous private mappings: zeroed, writable, MAP_FIXED, munmap. */
static void check_anon(void)
{
	size_t len = 16 * PG;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	if (!CHECK(p != MAP_FAILED, "mmap 16 anonymous pages"))
		return;
	CHECK(((uintptr_t)p & (PG - 1)) == 0, "mapping is page aligned");
	CHECK(all_bytes(p, len, 0), "anonymous memory reads as zero");
	memset(p, 0x77, len);
	CHECK(all_bytes(p, len, 0x77), "anonymous memory keeps writes");

	q = mmap(p + 4 * PG, 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 4 * PG, "MAP_FIXED maps exactly at the requested address");
	CHECK(all_bytes(q, 2 * PG, 0), "MAP_FIXED replaced the old pages with zero pages");
	CHECK(all_bytes(p, 4 * PG, 0x77) && all_bytes(p + 6 * PG, 10 * PG, 0x77),
	      "pages around the MAP_FIXED range are untouched");

	CHECK(munmap(p + 8 * PG, 2 * PG) == 0, "munmap two pages in the middle");
	CHECK_SIG(run_child(touch_read, p + 8 * PG), SIGSEGV, "reading unmapped memory -> SIGSEGV");
	CHECK_SIG(run_child(touch_write, p + 9 * PG + 5), SIGSEGV,
		  "writing unmapped memory -> SIGSEGV");
	CHECK(p[7 * PG] == 0x77 && p[10 * PG] == 0x77, "neighbours of the hole still work");
	q = mmap(p + 8 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 8 * PG && q[0] == 0, "the hole can be mapped again");
	CHECK(munmap(p, len) == 0, "munmap the whole range (with its hole)");
	CHECK_SIG(run_child(touch_read, p), SIGSEGV, "all of it is gone");
	CHECK(munmap(p, len) == 0, "munmap of an unmapped range succeeds");
}

/* check_protect - mprotect to read-only and to nothing, and back. */
static void check_protect(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, 3, 4 * PG);
	CHECK(mprotect(p + PG, PG, PROT_READ) == 0, "mprotect one page PROT_READ");
	CHECK(p[PG] == 3, "read-only page is still readable");
	CHECK_SIG(run_child(touch_write, p + PG + 100), SIGSEGV,
		  "writing a PROT_READ page -> SIGSEGV");
	CHECK_EXIT(run_child(touch_write, p), 0, "the page before it stays writable");
	CHECK(mprotect(p + PG, PG, PROT_READ | PROT_WRITE) == 0, "mprotect back to RW");
	p[PG] = 4;
	CHECK(p[PG] == 4 && p[PG + 1] == 3, "writable again, contents kept");
	CHECK(mprotect(p + 2 * PG, PG, PROT_NONE) == 0, "mprotect PROT_NONE");
	CHECK_SIG(run_child(touch_read, p + 2 * PG), SIGSEGV,
		  "reading a PROT_NONE page -> SIGSEGV");
	CHECK_ERR(mprotect(p + 1, PG, PROT_READ), EINVAL, "mprotect unaligned -> EINVAL");
	munmap(p, 4 * PG);
}

/* check_dontneed - MADV_DONTNEED on private anonymous memory drops the contents. */
static void check_dontneed(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, 0x5c, 8 * PG);
	CHECK(madvise(p + 2 * PG, 4 * PG, MADV_DONTNEED) == 0, "madvise(MADV_DONTNEED)");
	CHECK(all_bytes(p + 2 * PG, 4 * PG, 0), "discarded pages read back zero");
	CHECK(all_bytes(p, 2 * PG, 0x5c) && all_bytes(p + 6 * PG, 2 * PG, 0x5c),
	      "pages outside the range keep their data");
	p[3 * PG] = 1;
	CHECK(p[3 * PG] == 1, "discarded pages are writable again");
	CHECK(madvise(p, 8 * PG, MADV_WILLNEED) == 0 || errno == ENOSYS || errno == EINVAL,
	      "madvise(MADV_WILLNEED) is harmless");
	munmap(p, 8 * PG);
}

/* check_file_map - private mappings of our own binary: contents, and copy-on-write. */
static void check_file_map(void)
{
	int fd = open(self, O_RDONLY);
	char *p, *q, buf[16];

	if (!CHECK(fd >= 0, "open own binary"))
		return;
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (!CHECK(p != MAP_FAILED, "mmap own binary MAP_PRIVATE, PROT_WRITE"))
		return;
	CHECK(!memcmp(p, "\177ELF", 4), "file mapping starts with the ELF magic");
	lseek(fd, PG + 100, SEEK_SET);
	read(fd, buf, sizeof(buf));
	CHECK(!memcmp(p + PG + 100, buf, sizeof(buf)), "second page matches read()");
	p[0] = 'X';
	p[PG + 100] ^= 0xff;
	CHECK(p[0] == 'X', "writing the private file mapping changes our copy");
	q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(q != MAP_FAILED && !memcmp(q, "\177ELF", 4),
	      "another mapping of the file still sees the original bytes");
	lseek(fd, 0, SEEK_SET);
	read(fd, buf, 4);
	CHECK(!memcmp(buf, "\177ELF", 4), "read() of the file still sees the original bytes");
	q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(q != MAP_FAILED && ((q[100] ^ p[PG + 100]) & 0xff) == 0xff,
	      "mapping at file offset 4096");
	CHECK_SIG(run_child(touch_write, q), SIGSEGV,
		  "writing a PROT_READ file mapping -> SIGSEGV");
	close(fd);
	CHECK(p[1] == 'E', "mapping survives closing the file");
	munmap(p, 2 * PG);
	munmap(q, PG);
}

/* check_bad_args - mmap/munmap argument errors. */
static void check_bad_args(void)
{
	int fd = open(self, O_RDONLY);
	void *hint = hide_ptr(0x100000001UL);

	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL,
		  "mmap length 0 -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL,
		  "mmap without MAP_PRIVATE or MAP_SHARED -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 123), EINVAL,
		  "mmap with an unaligned file offset -> EINVAL");
	CHECK_ERR(mmap(hint, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL,
		  "MAP_FIXED at an unaligned address -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, FAR_FD, 0), EBADF,
		  "mmap of a bad fd -> EBADF");
	CHECK_ERR(munmap(hint, PG), EINVAL, "munmap unaligned -> EINVAL");
	CHECK_ERR(mmap(NULL, 1UL << 46, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  ENOMEM, "mmap of 64 TiB -> ENOMEM");
	close(fd);
}

/*
 * check_error_order - which error mmap and mprotect report when several apply: Linux
 * checks the offset, the descriptor, the length and the address before the mapping type
 * and the file's open mode. Unknown prot bits mean nothing to mmap; PROT_SEM is valid.
 */
static void check_error_order(void)
{
	int fd = open(self, O_RDONLY);
	char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	if (!CHECK(fd >= 0 && p != MAP_FAILED, "open our binary, map two pages"))
		return;
	/*
	 * qemu-user checks mmap's arguments itself, in an order of its own (EINVAL, EACCES,
	 * EINVAL for these three); a native program on a Linux host gives what is checked here.
	 */
	if (on_holstein()) {
		CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, FAR_FD, 0), EBADF,
			  "mmap of a bad fd with length 0 -> EBADF (the fd is checked first)");
		CHECK_ERR(mmap(p, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd,
			       0), EEXIST,
			  "MAP_FIXED_NOREPLACE over a mapping, read-only fd, PROT_WRITE -> EEXIST");
		CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x400, fd, 0), EOPNOTSUPP,
			  "MAP_SHARED_VALIDATE with an unknown flag -> EOPNOTSUPP");
	} else {
		t_skip("qemu-user: mmap's error order is its own");
	}
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL,
		  "anonymous MAP_SHARED_VALIDATE -> EINVAL");
	q = mmap(NULL, PG, PROT_READ, MAP_SHARED | 0x400, fd, 0);
	CHECK(q != MAP_FAILED, "MAP_SHARED ignores the same flag");
	if (q != MAP_FAILED)
		munmap(q, PG);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, 0xf | MAP_ANONYMOUS, -1, 0), EINVAL,
		  "mmap type 0xf -> EINVAL");
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE | 0x8, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED, "mmap with PROT_SEM maps");
	if (q != MAP_FAILED) {
		CHECK(mprotect(q, PG, PROT_READ | 0x8) == 0, "mprotect with PROT_SEM works");
		munmap(q, PG);
	}
	CHECK_ERR(mprotect(p, PG, PROT_READ | 0x10), EINVAL, "mprotect with an unknown bit -> EINVAL");
	CHECK_ERR(mprotect(p, -PG, PROT_READ), ENOMEM, "mprotect with a length that wraps -> ENOMEM");
	CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_GROWSDOWN), EINVAL,
		  "mprotect(PROT_GROWSDOWN) outside a stack -> EINVAL");
	CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL,
		  "PROT_GROWSDOWN and PROT_GROWSUP together -> EINVAL");
	char here;
	void *stack_page = (void *)((uintptr_t)&here & ~(PG - 1));
	CHECK(mprotect(stack_page, PG, PROT_READ | PROT_WRITE | PROT_GROWSDOWN) == 0,
	      "mprotect(PROT_GROWSDOWN) on the stack works");
	munmap(p, 2 * PG);
	close(fd);
}

/* check_lock_sync - msync and mlock accept mapped memory and refuse holes. */
static void check_lock_sync(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(msync(p, 4 * PG, MS_SYNC) == 0, "msync of a mapping");
	CHECK_ERR(msync(p + 1, PG, MS_SYNC), EINVAL, "msync unaligned -> EINVAL");
	CHECK(mlock(p + 10, 2 * PG) == 0 && munlock(p + 10, 2 * PG) == 0, "mlock and munlock");
	munmap(p + PG, PG);
	CHECK_ERR(msync(p, 4 * PG, MS_SYNC), ENOMEM, "msync over a hole -> ENOMEM");
	CHECK_ERR(mlock(p, 4 * PG), ENOMEM, "mlock over a hole -> ENOMEM");
	munmap(p, 4 * PG);
}

/* check_brk - grow the break by a good fraction of memory and back. */
static void check_brk(void)
{
	long total_kb = meminfo_kb("MemTotal");
	size_t len = 32 * MiB;
	char *old = sbrk(0), *p;
	int ok = 1;

	if (total_kb > 0 && (size_t)total_kb * KiB / 8 < len)
		len = (size_t)total_kb * KiB / 8 & ~(PG - 1);
	p = sbrk(len);
	if (!CHECK(p == old, "brk grows by %zu MiB", len / MiB))
		return;
	for (size_t i = 0; i < len; i += PG)
		ok &= p[i] == 0 && p[i + PG - 1] == 0;
	for (size_t i = 0; i < len; i += PG)
		p[i] = (char)(i / PG);
	for (size_t i = 0; i < len; i += PG)
		ok &= p[i] == (char)(i / PG);
	CHECK(ok, "every page of the grown break is zero, then holds its data");
	CHECK(brk(old) == 0 && sbrk(0) == old, "brk back to the old break");
	if (on_holstein())
		CHECK_SIG(run_child(touch_read, p + PG), SIGSEGV, "memory above the break is gone");
	else
		t_skip("memory above a lowered break is gone (qemu-user keeps it mapped)");
	CHECK(brk(hide_ptr(KERNEL_ADDR)) != 0 && sbrk(0) == old,
	      "brk into the kernel half fails and leaves the break alone");
	CHECK((char *)syscall(SYS_brk, -1L) == old && sbrk(0) == old,
	      "brk(-1), whose page rounding wraps to 0, leaves the break alone");
}

/* fill_pages - byte i of page k of p is (seed + k). */
static void fill_pages(char *p, size_t pages, int seed)
{
	for (size_t k = 0; k < pages; k++)
		memset(p + k * PG, (char)(seed + k), PG);
}

/* pages_hold - does p hold what fill_pages(p, pages, seed) wrote? */
static int pages_hold(const char *p, size_t pages, int seed)
{
	for (size_t k = 0; k < pages; k++)
		if (!all_bytes(p + k * PG, PG, (char)(seed + k)))
			return 0;
	return 1;
}

/* anon - a private anonymous read-write mapping of pages pages (MAP_FAILED on error). */
static char *anon(size_t pages)
{
	return mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* check_mremap_resize - shrink, grow in place, and a grow that must move. */
static void check_mremap_resize(void)
{
	char *p = anon(8), *q;

	if (!CHECK(p != MAP_FAILED, "map 8 pages"))
		return;
	fill_pages(p, 4, 10);
	CHECK(mremap(p, 8 * PG, 4 * PG, 0) == p, "mremap shrinks in place");
	CHECK_SIG(run_child(touch_read, p + 4 * PG), SIGSEGV, "the tail is gone");
	CHECK(mremap(p, 4 * PG, 6 * PG, 0) == p, "mremap grows in place into free room");
	CHECK(pages_hold(p, 4, 10) && all_bytes(p + 4 * PG, 2 * PG, 0),
	      "the old pages kept their data, the new ones read zero");
	q = mmap(p + 6 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 6 * PG, "a neighbour right after it");
	CHECK_ERR(mremap(p, 6 * PG, 8 * PG, 0), ENOMEM, "no room and no MREMAP_MAYMOVE -> ENOMEM");
	CHECK_ERR(mremap(p, 2 * PG, 3 * PG, 0), ENOMEM,
		  "growing a range that does not end its area, without MAYMOVE -> ENOMEM");
	q = mremap(p, 6 * PG, 40 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p, "MREMAP_MAYMOVE moves it");
	if (q != MAP_FAILED) {
		CHECK(pages_hold(q, 4, 10) && all_bytes(q + 4 * PG, 36 * PG, 0),
		      "the moved area holds the old pages, then zeros");
		CHECK_SIG(run_child(touch_read, p), SIGSEGV, "the old address is unmapped");
		q[39 * PG] = 1;
		munmap(q, 40 * PG);
	}
	munmap(p + 6 * PG, PG);
}

/* check_mremap_fixed - MREMAP_FIXED replaces the target; a big move across 2 MiB tables. */
static void check_mremap_fixed(void)
{
	size_t big = 3 * MiB / PG;
	char *p = anon(2), *t = anon(3), *q;

	if (!CHECK(p != MAP_FAILED && t != MAP_FAILED, "map a source and a target"))
		return;
	fill_pages(p, 2, 20);
	fill_pages(t, 3, 90);
	q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t);
	CHECK(q == t && pages_hold(t, 2, 20) && pages_hold(t + 2 * PG, 1, 92),
	      "MREMAP_FIXED moves onto the target, its third page stays");
	q = mremap(t, 3 * PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + PG);
	CHECK(q == p + PG && pages_hold(q, 1, 20), "MREMAP_FIXED with a shrink moves the head");
	CHECK_SIG(run_child(touch_read, t + 2 * PG), SIGSEGV, "the shrunk tail is gone");
	munmap(q, PG);

	p = anon(big);
	if (!CHECK(p != MAP_FAILED, "map 3 MiB"))
		return;
	for (size_t k = 0; k < big; k++)
		*(size_t *)(p + k * PG) = k;
	q = mremap(p, big * PG, 2 * big * PG, MREMAP_MAYMOVE);
	int ok = q != MAP_FAILED;
	for (size_t k = 0; ok && k < big; k++)
		ok = *(size_t *)(q + k * PG) == k;
	CHECK(ok, "a 3 MiB area moved to 6 MiB keeps every page");
	if (q != MAP_FAILED)
		munmap(q, 2 * big * PG);
}

/*
 * check_mremap_fork - after fork the moved pages are still copy-on-write: a child that
 * moves its copy and writes it leaves the parent's alone, and so does the reverse. A big
 * area (its level-0 tables shared by fork) moves too.
 */
static void check_mremap_fork(void)
{
	size_t n = 2 * MiB / PG;
	char *p = anon(n), *q;
	pid_t pid;
	int st;

	if (!CHECK(p != MAP_FAILED, "map 2 MiB"))
		return;
	fill_pages(p, n, 3);
	pid = xfork();
	if (pid == 0) {
		char *c = mremap(p, n * PG, (n + 1) * PG, MREMAP_MAYMOVE);
		if (c == MAP_FAILED || !pages_hold(c, n, 3))
			_exit(1);
		fill_pages(c, n, 50);
		_exit(pages_hold(c, n, 50) ? 0 : 2);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a child moves and writes its copy");
	CHECK(pages_hold(p, n, 3), "the parent's pages are untouched");
	pid = xfork();
	if (pid == 0)
		_exit(pages_hold(p, n, 3) ? 0 : 1);
	q = mremap(p, n * PG, n * PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + 2 * n * PG);
	CHECK(q == p + 2 * n * PG && pages_hold(q, n, 3), "the parent moves its area");
	fill_pages(q, 1, 77);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the child still reads the old contents at the old address");
	munmap(q, n * PG);
}

/* check_mremap_shared - shared memory keeps its sharing when moved; old_len 0 duplicates it. */
static void check_mremap_shared(void)
{
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *q, *d;
	int go[2], st;
	pid_t pid;

	if (!CHECK(s != MAP_FAILED && pipe(go) == 0, "map 2 shared pages, a pipe"))
		return;
	s[0] = 1;
	pid = xfork();
	if (pid == 0) {
		char c;
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 && s[0] == 42 && s[PG] == 43 ? 0 : 1);
	}
	close(go[0]);
	q = mremap(s, 2 * PG, 64 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q[0] == 1, "a shared area moves and grows");
	if (q != MAP_FAILED) {
		q[0] = 42;
		q[PG] = 43;
	}
	CHECK(write(go[1], "x", 1) == 1 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0, "a forked child sees stores made through the moved area");
	close(go[1]);
	if (!on_holstein()) {
		t_skip("mremap with old_len 0 (qemu-user refuses it: ENOMEM)");
		munmap(q, 64 * PG);
		return;
	}
	d = mremap(q, 0, PG, MREMAP_MAYMOVE);
	CHECK(d != MAP_FAILED && d != q && d[0] == 42, "old_len 0 maps the shared pages again");
	if (d != MAP_FAILED) {
		d[0] = 7;
		CHECK(q[0] == 7, "both mappings are one memory");
		munmap(d, PG);
	}
	munmap(q, 64 * PG);
}

/* check_mremap_errors - the argument errors. */
static void check_mremap_errors(void)
{
	char *p = anon(4), *hole;

	if (!CHECK(p != MAP_FAILED, "map 4 pages"))
		return;
	hole = p + 2 * PG;
	munmap(hole, 2 * PG);
	CHECK_ERR(mremap(p + 1, PG, 2 * PG, MREMAP_MAYMOVE), EINVAL, "unaligned address -> EINVAL");
	CHECK_ERR(mremap(p, PG, PG, 0x40), EINVAL, "an unknown flag -> EINVAL");
	CHECK_ERR(mremap(p, PG, PG, MREMAP_FIXED, hole), EINVAL,
		  "MREMAP_FIXED without MREMAP_MAYMOVE -> EINVAL");
	CHECK_ERR(mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + PG), EINVAL,
		  "MREMAP_FIXED onto an overlapping range -> EINVAL");
	/* qemu-user checks the lengths itself and says ENOMEM to both */
	if (on_holstein()) {
		CHECK_ERR(mremap(p, PG, 0, MREMAP_MAYMOVE), EINVAL, "new length 0 -> EINVAL");
		CHECK_ERR(mremap(p, 0, PG, MREMAP_MAYMOVE), EINVAL,
			  "old length 0 on private memory -> EINVAL");
	} else {
		t_skip("mremap with a length of 0 (qemu-user: ENOMEM)");
	}
	CHECK_ERR(mremap(p, 3 * PG, 4 * PG, MREMAP_MAYMOVE), EFAULT,
		  "a range past its area's end -> EFAULT");
	CHECK_ERR(mremap(hole, PG, 2 * PG, MREMAP_MAYMOVE), EFAULT, "an unmapped address -> EFAULT");
	if (on_holstein())	/* qemu-user checks the old range itself: ENOMEM */
		CHECK_ERR(mremap(p, 1UL << 58, PG, 0), EINVAL,
			  "a shrink whose tail leaves the user half -> EINVAL (munmap's check)");
	else
		t_skip("mremap of a huge old range (qemu-user: ENOMEM)");
	CHECK(p[0] == 0, "the area is still there");
	munmap(p, 2 * PG);
}

/* Never reached: it only keeps GCC from proving the recursion infinite. */
static volatile int stop_depth = -1;

/* recurse - use stack without end; the volatile array stops tail calls and inlining. */
static int recurse(int depth)
{
	volatile char frame[1024];

	if (depth == stop_depth)
		return 0;
	frame[0] = (char)depth;
	frame[1023] = (char)depth;
	return recurse(depth + 1) + frame[0] + frame[1023];
}

/* overflow - child body: recurse until the stack runs out. */
static void overflow(void *arg)
{
	(void)arg;
	recurse(0);
}

/* main - run the memory checks. */
int main(int argc, char **argv)
{
	(void)argc;
	self = self_path(argv[0]);
	t_init();
	check_anon();
	check_protect();
	check_dontneed();
	check_file_map();
	check_bad_args();
	check_error_order();
	check_lock_sync();
	check_brk();
	check_mremap_resize();
	check_mremap_fixed();
	check_mremap_fork();
	check_mremap_shared();
	check_mremap_errors();
	CHECK_SIG(run_child(overflow, NULL), SIGSEGV, "unbounded recursion dies of SIGSEGV");
	return t_done("t_mem");
}
