/*
 * t_fmap - file mappings share one page cache with read and write, as on Linux:
 *   - MAP_SHARED: a store is seen by read(), by a second mapping, by a forked child
 *     (both ways) and by a child's own new mapping; write() is seen by the mapping;
 *   - MAP_PRIVATE: a store is a private copy; a later pwrite shows in the pages the
 *     mapper has not written, not in the one it wrote; after fork the copy is COW again;
 *   - a shrinking ftruncate makes mapped pages past EOF SIGBUS (private copies too), the
 *     page holding EOF stays and reads zeros past it; growing makes them valid again;
 *   - msync; EACCES for a writable shared mapping of a read-only fd, also via mprotect;
 *   - mremap grows, shrinks and moves anonymous and file mappings, a moved shared
 *     anonymous region stays shared with a child;
 *   - a mapping outlives close and unlink of its file.
 * Everything happens in a scratch directory under /tmp, removed at the end.
 */
#include "ulib.h"
#include <sys/mman.h>

#define PG PAGE_SIZE

static char dir[64];

/* path_of - "<dir>/<name>" in a static buffer (one at a time). */
static const char *path_of(const char *name)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* page_byte - the byte every fresh test file holds throughout page pg. */
static char page_byte(size_t pg)
{
	return (char)('a' + pg % 26);
}

/*
 * make_file - create (or truncate) name with pages pages, page i filled with page_byte(i);
 * return an O_RDWR fd, or -1 (after a FAIL line).
 */
static int make_file(const char *name, size_t pages)
{
	char buf[PG];
	int fd = open(path_of(name), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (!CHECK(fd >= 0, "create %s", name))
		return -1;
	for (size_t i = 0; i < pages; i++) {
		memset(buf, page_byte(i), PG);
		if (pwrite(fd, buf, PG, i * PG) != (ssize_t)PG) {
			CHECK(0, "write page %zu of %s", i, name);
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* byte_at - the file's byte at off read with pread, or -1. */
static int byte_at(int fd, off_t off)
{
	char c;

	return pread(fd, &c, 1, off) == 1 ? c : -1;
}

/* put_byte - pwrite one byte c at off; nonzero on success. */
static int put_byte(int fd, off_t off, char c)
{
	return pwrite(fd, &c, 1, off) == 1;
}

/*
 * tell - send one byte over a pipe: the only synchronisation between parent and child. If
 * the reader died the write fails (SIGPIPE is ignored): its wait status will say why.
 */
static void tell(int fd)
{
	if (write(fd, "", 1) != 1)
		return;
}

/*
 * hear - wait for tell's byte; 0 at EOF, when the other side died. A child then exits (9),
 * a parent goes on to wait for the child, whose status tells what happened.
 */
static int hear(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

/*
 * take_side - after fork keep only this side's ends of the pipes (the child reads down and
 * writes up; up may be NULL): a side that dies then leaves the other an EOF, not a hang.
 */
static void take_side(int down[2], int up[2], int in_child)
{
	close(in_child ? down[1] : down[0]);
	if (up)
		close(in_child ? up[0] : up[1]);
}

/* child_ok - wait for pid and CHECK it exited 0 (it printed its own FAIL lines). */
static void child_ok(pid_t pid, const char *what)
{
	CHECK_EXIT(wait_pid(pid), 0, "%s", what);
}

/* touch_read - child body: read one byte at arg (exit 0 if that survives). */
static void touch_read(void *arg)
{
	_exit(*(volatile char *)arg == 0x7f ? 3 : 0);
}

/* touch_write - child body: store one byte at arg. */
static void touch_write(void *arg)
{
	*(volatile char *)arg = 1;
}

/* check_shared - MAP_SHARED is the page cache: stores, pread/write, a child both ways, msync. */
static void check_shared(void)
{
	int fd = make_file("shared", 4), fd2;
	volatile char *p, *q, *r;
	int to_child[2], to_parent[2];
	pid_t pid;

	if (fd < 0)
		return;
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	fd2 = open(path_of("shared"), O_RDONLY | O_CLOEXEC);
	r = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd2, 0);
	if (!CHECK(p != MAP_FAILED && q != MAP_FAILED && r != MAP_FAILED && fd2 >= 0,
		   "three MAP_SHARED mappings of one file (two fds)"))
		return;
	CHECK(p[0] == 'a' && p[PG] == 'b' && p[3 * PG + 4095] == 'd', "the mapping shows the file");
	p[10] = 'X';
	CHECK(byte_at(fd, 10) == 'X', "a store through MAP_SHARED is seen by pread");
	CHECK(q[10] == 'X' && r[10] == 'X', "... and by two other mappings of the file");
	CHECK(put_byte(fd, PG + 20, 'W') && p[PG + 20] == 'W' && r[PG + 20] == 'W',
	      "pwrite is seen by the mappings");
	CHECK(put_byte(fd, 3 * PG + 1, 'V') && p[3 * PG + 1] == 'V',
	      "pwrite to a page not yet touched through the mapping is seen");
	CHECK(lseek(fd, PG - 2, SEEK_SET) == (off_t)(PG - 2) && write(fd, "xyzw", 4) == 4 &&
		  p[PG - 2] == 'x' && p[PG + 1] == 'w' && q[PG] == 'z',
	      "write() across a page boundary is seen by the mappings");

	xpipe(to_child);
	xpipe(to_parent);
	pid = must_fork();
	if (pid == 0) {
		int bad = 0, fdc = open(path_of("shared"), O_RDWR);
		volatile char *c =
		    fdc < 0 ? MAP_FAILED
			    : mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fdc, 0);

		take_side(to_child, to_parent, 1);
		if (c == MAP_FAILED) {
			printf("FAIL: child: its own mmap of the file: %s\n", strerror(errno));
			_exit(2);
		}
		if (!hear(to_child[0]))
			_exit(9);
		if (p[2 * PG] != 'P' || c[2 * PG] != 'P')
			bad = printf("FAIL: child: parent's store after fork not seen (%c %c)\n",
				     p[2 * PG], c[2 * PG]);
		p[2 * PG + 1] = 'C';
		c[2 * PG + 2] = 'D';
		tell(to_parent[1]);
		_exit(bad ? 1 : 0);
	}
	take_side(to_child, to_parent, 0);
	p[2 * PG] = 'P';
	tell(to_child[1]);
	hear(to_parent[0]);
	child_ok(pid, "child sees the parent's store made after fork (inherited and own mapping)");
	CHECK(p[2 * PG + 1] == 'C' && q[2 * PG + 1] == 'C' && byte_at(fd, 2 * PG + 1) == 'C',
	      "parent sees the child's store through the inherited mapping");
	CHECK(p[2 * PG + 2] == 'D' && byte_at(fd, 2 * PG + 2) == 'D',
	      "parent sees the child's store through the child's own mapping");
	CHECK(msync((void *)p, 4 * PG, MS_SYNC) == 0, "msync(MS_SYNC) returns 0");
	CHECK(msync((void *)p, PG, MS_ASYNC) == 0 && msync((void *)p, PG, MS_INVALIDATE) == 0,
	      "msync(MS_ASYNC) and msync(MS_INVALIDATE) return 0");
	CHECK_ERR(msync((void *)(p + 1), PG, MS_SYNC), EINVAL,
		  "msync at an unaligned address -> EINVAL");
	CHECK_ERR(msync((void *)p, PG, MS_SYNC | MS_ASYNC), EINVAL,
		  "msync(MS_SYNC|MS_ASYNC) -> EINVAL");
	munmap((void *)p, 4 * PG);
	munmap((void *)q, 4 * PG);
	munmap((void *)r, 4 * PG);
	close(to_child[1]), close(to_parent[0]);
	close(fd);
	close(fd2);
}

/*
 * check_private - MAP_PRIVATE copies on the first store: later pwrites show only in pages the
 * mapper never wrote, and after fork the private copy is COW between parent and child.
 */
static void check_private(void)
{
	int fd = make_file("private", 4), bad;
	volatile char *q, *s;
	int to_child[2], to_parent[2];
	pid_t pid;

	if (fd < 0)
		return;
	q = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	s = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);
	if (!CHECK(q != MAP_FAILED && s != MAP_FAILED, "MAP_PRIVATE and MAP_SHARED mappings"))
		return;
	CHECK(q[0] == 'a' && q[PG] == 'b', "MAP_PRIVATE shows the file");
	q[0] = 'Q';
	CHECK(q[0] == 'Q' && byte_at(fd, 0) == 'a' && s[0] == 'a',
	      "a private store is seen neither by pread nor by a shared mapper");
	CHECK(put_byte(fd, 5, 'W') && put_byte(fd, PG + 5, 'W') && put_byte(fd, 2 * PG + 5, 'W'),
	      "pwrite into three pages");
	CHECK(q[PG + 5] == 'W', "the pwrite shows in a page the private mapper only read");
	CHECK(q[2 * PG + 5] == 'W', "the pwrite shows in a page the private mapper never touched");
	CHECK(q[5] == 'a' && q[0] == 'Q', "the pwrite does not show in the page the mapper wrote");

	q[3 * PG] = 'X';
	xpipe(to_child);
	xpipe(to_parent);
	pid = must_fork();
	take_side(to_child, to_parent, pid == 0);
	if (pid == 0) {
		bad = 0;
		if (q[3 * PG] != 'X' || q[0] != 'Q')
			bad = printf("FAIL: child does not inherit the private copy\n");
		q[3 * PG] = 'Y';
		tell(to_parent[1]);
		if (!hear(to_child[0]))
			_exit(9);
		if (q[3 * PG] != 'Y' || q[3 * PG + 1] != 'd')
			bad = printf("FAIL: child sees the parent's store to the private copy\n");
		_exit(bad ? 1 : 0);
	}
	hear(to_parent[0]);
	CHECK(q[3 * PG] == 'X', "the child's store to the private copy is invisible to the parent");
	q[3 * PG + 1] = 'Z';
	tell(to_child[1]);
	child_ok(pid, "the parent's store to the private copy is invisible to the child");
	CHECK(byte_at(fd, 3 * PG) == 'd' && byte_at(fd, 3 * PG + 1) == 'd',
	      "neither store reached the file");
	munmap((void *)q, 4 * PG);
	munmap((void *)s, 4 * PG);
	close(to_child[1]), close(to_parent[0]);
	close(fd);
}

/*
 * check_truncate - shrinking a mapped file: SIGBUS past EOF (private copies too), zeros in the
 * EOF page; growing it again, or mapping past EOF first, gives valid zero pages.
 */
static void check_truncate(void)
{
	int fd = make_file("trunc", 3);
	volatile char *p, *q;

	if (fd < 0)
		return;
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (!CHECK(p != MAP_FAILED && q != MAP_FAILED, "map a 3-page file shared and private"))
		return;
	CHECK(p[2 * PG] == 'c' && q[PG + 200] == 'b', "all pages readable");
	q[2 * PG + 1] = 'Q'; /* a private copy of the page truncate will remove */
	CHECK(ftruncate(fd, PG + 100) == 0, "ftruncate the file to 4196 bytes");
	CHECK(p[PG + 99] == 'b' && q[PG + 99] == 'b', "the page holding EOF is still mapped");
	CHECK(p[PG + 100] == 0 && p[2 * PG - 1] == 0 && q[PG + 100] == 0,
	      "bytes past EOF in that page read as zero");
	CHECK_SIG(run_child(touch_read, (void *)(p + 2 * PG)), SIGBUS,
		  "reading a MAP_SHARED page wholly past EOF -> SIGBUS");
	CHECK_SIG(run_child(touch_write, (void *)(p + 2 * PG + 8)), SIGBUS,
		  "storing to a MAP_SHARED page wholly past EOF -> SIGBUS");
	CHECK_SIG(run_child(touch_read, (void *)(q + 2 * PG)), SIGBUS,
		  "reading a MAP_PRIVATE page past EOF -> SIGBUS, even one it had copied");
	CHECK(ftruncate(fd, 3 * PG) == 0, "ftruncate back to 3 pages");
	CHECK(p[2 * PG] == 0 && q[2 * PG + 1] == 0,
	      "the regrown pages read as zeros, private ones too");
	p[2 * PG + 3] = 'G';
	CHECK(byte_at(fd, 2 * PG + 3) == 'G', "a store to a regrown page reaches the file");
	munmap((void *)p, 3 * PG);
	munmap((void *)q, 3 * PG);

	/* Map beyond EOF first, then grow the file under the mapping. */
	CHECK(ftruncate(fd, PG) == 0, "ftruncate to one page");
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!CHECK(p != MAP_FAILED, "mmap 3 pages of a 1-page file"))
		return;
	CHECK_SIG(run_child(touch_read, (void *)(p + 2 * PG)), SIGBUS,
		  "a mapped page past EOF -> SIGBUS");
	CHECK(ftruncate(fd, 3 * PG) == 0, "grow the file to 3 pages");
	CHECK(p[2 * PG] == 0 && p[PG] == 0, "the grown pages read as zeros through the mapping");
	p[2 * PG + 5] = 'E';
	CHECK(byte_at(fd, 2 * PG + 5) == 'E', "a store there reaches the file");
	munmap((void *)p, 3 * PG);
	close(fd);
}

/* check_access - what the fd's open mode allows: EACCES for shared writes of O_RDONLY, etc. */
static void check_access(void)
{
	int fd = make_file("ro", 2), ro, wo;
	void *p;

	if (fd < 0)
		return;
	close(fd);
	ro = open(path_of("ro"), O_RDONLY | O_CLOEXEC);
	wo = open(path_of("ro"), O_WRONLY | O_CLOEXEC);
	if (!CHECK(ro >= 0 && wo >= 0, "open a file O_RDONLY and O_WRONLY"))
		return;
	CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES,
		  "MAP_SHARED|PROT_WRITE on an O_RDONLY fd -> EACCES");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, wo, 0), EACCES,
		  "MAP_SHARED on an O_WRONLY fd -> EACCES");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0), EACCES,
		  "MAP_PRIVATE on an O_WRONLY fd -> EACCES");
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	if (CHECK(p != MAP_FAILED, "MAP_PRIVATE|PROT_WRITE on an O_RDONLY fd works")) {
		((volatile char *)p)[1] = 'M';
		CHECK(((volatile char *)p)[1] == 'M' && byte_at(ro, 1) == 'a',
		      "its store is private: the file is unchanged");
		munmap(p, 2 * PG);
	}
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, ro, 0);
	if (CHECK(p != MAP_FAILED, "MAP_SHARED|PROT_READ on an O_RDONLY fd works")) {
		CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES,
			  "mprotect(PROT_WRITE) of it -> EACCES");
		CHECK_SIG(run_child(touch_write, p), SIGSEGV, "a store to it -> SIGSEGV");
		munmap(p, 2 * PG);
	}
	close(ro);
	close(wo);
}

/* mapped - nonzero if the page at addr is mapped (msync answers ENOMEM for a hole). */
static int mapped(volatile void *addr)
{
	return msync((void *)addr, PG, MS_ASYNC) == 0;
}

/* check_mremap_anon - grow, shrink and move (MREMAP_FIXED) a private anonymous mapping; errors. */
static void check_mremap_anon(void)
{
	volatile char *p =
	    mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *q, *t;

	if (!CHECK(p != MAP_FAILED, "mmap 2 anonymous pages"))
		return;
	p[0] = 1, p[PG] = 2;
	q = mremap((void *)p, 2 * PG, 16 * PG, MREMAP_MAYMOVE);
	if (!CHECK(q != MAP_FAILED, "mremap grows them to 16 pages (MREMAP_MAYMOVE)"))
		return;
	CHECK(q[0] == 1 && q[PG] == 2 && q[15 * PG] == 0,
	      "the data moved with it, new pages are zero");
	q[15 * PG] = 3;
	p = mremap((void *)q, 16 * PG, PG, 0);
	CHECK(p == q && p[0] == 1, "mremap shrinks in place and keeps the first page");
	CHECK(!mapped(q + PG) && !mapped(q + 15 * PG), "the tail is unmapped after shrinking");
	CHECK_SIG(run_child(touch_read, (void *)(q + PG)), SIGSEGV, "touching the tail -> SIGSEGV");

	t = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(t != MAP_FAILED, "reserve a target region"))
		return;
	q = mremap((void *)p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(t + 2 * PG));
	CHECK(q == t + 2 * PG && q[0] == 1,
	      "MREMAP_FIXED moves the page to the target with its data");
	CHECK(!mapped(p), "the old address is unmapped after the move");
	CHECK(mapped(t) && mapped(t + 3 * PG), "the rest of the target region stays mapped");
	CHECK_ERR(mremap((void *)q, PG, PG, MREMAP_FIXED, (void *)t), EINVAL,
		  "MREMAP_FIXED without MREMAP_MAYMOVE -> EINVAL");
	CHECK_ERR(mremap((void *)(q + 1), PG, PG, 0), EINVAL,
		  "mremap of an unaligned address -> EINVAL");
	/* qemu-user answers ENOMEM here before asking the host kernel, which says EINVAL. */
	CHECK_ERR2(mremap((void *)q, 0, PG, MREMAP_MAYMOVE), EINVAL, on_holstein() ? 0 : ENOMEM,
		   "mremap with old_size 0 of a private mapping -> EINVAL");
	CHECK_ERR(mremap((void *)(t + 2 * PG), PG, 2 * PG, 0), ENOMEM,
		  "growing in place into a mapped neighbour without MREMAP_MAYMOVE -> ENOMEM");
	munmap((void *)t, 4 * PG);
}

/* check_mremap_file - growing shared and private file mappings shows the file's next pages. */
static void check_mremap_file(void)
{
	int fd = make_file("remap", 4);
	volatile char *p, *q;

	if (fd < 0)
		return;
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!CHECK(p != MAP_FAILED, "map the first 2 pages of a 4-page file"))
		return;
	p[1] = 'S';
	q = mremap((void *)p, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	if (CHECK(q != MAP_FAILED, "mremap grows the file mapping to 4 pages")) {
		CHECK(q[1] == 'S' && q[PG] == 'b' && q[2 * PG] == 'c' && q[3 * PG + 9] == 'd',
		      "it shows the file's later pages");
		q[3 * PG] = 'T';
		CHECK(byte_at(fd, 3 * PG) == 'T', "a store to a grown page reaches the file");
		munmap((void *)q, 4 * PG);
	}
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PG);
	if (!CHECK(p != MAP_FAILED, "map page 1 of the file MAP_PRIVATE"))
		return;
	p[0] = 'U';
	q = mremap((void *)p, PG, 3 * PG, MREMAP_MAYMOVE);
	if (CHECK(q != MAP_FAILED, "mremap grows the private file mapping")) {
		CHECK(q[0] == 'U' && q[PG] == 'c' && q[2 * PG] == 'T',
		      "it keeps its private page and shows the file's next pages");
		CHECK(byte_at(fd, PG) == 'b', "the private store stayed private");
		munmap((void *)q, 3 * PG);
	}
	close(fd);
}

/* check_mremap_shared_anon - a shared anonymous region moved by mremap stays shared with a child.
 */
static void check_mremap_shared_anon(void)
{
	volatile char *p =
	    mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile char *t, *q;
	int to_child[2];
	pid_t pid;

	t = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(p != MAP_FAILED && t != MAP_FAILED, "mmap 2 shared anonymous pages"))
		return;
	p[0] = 1;
	xpipe(to_child);
	pid = must_fork();
	take_side(to_child, NULL, pid == 0);
	if (pid == 0) {
		int bad = 0;

		if (!hear(to_child[0]))
			_exit(9);
		if (p[1] != 5)
			bad = printf("FAIL: child misses the parent's store after its mremap\n");
		p[PG] = 6;
		_exit(bad ? 1 : 0);
	}
	q = mremap((void *)p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)t);
	if (!CHECK(q == t, "the parent moves the shared region with mremap")) {
		kill(pid, SIGKILL);
		wait_pid(pid);
		close(to_child[1]);
		return;
	}
	CHECK(q[0] == 1, "the data moved with it");
	q[1] = 5;
	tell(to_child[1]);
	child_ok(pid, "the child sees the parent's store through the moved region");
	CHECK(q[PG] == 6, "the parent sees the child's store through the moved region");
	munmap((void *)q, 2 * PG);
	close(to_child[1]);
}

/* check_unlinked - a mapping keeps a closed, unlinked file's pages, shared across fork. */
static void check_unlinked(void)
{
	int fd = make_file("gone", 2);
	volatile char *p;
	pid_t pid;

	if (fd < 0)
		return;
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!CHECK(p != MAP_FAILED, "map a file"))
		return;
	CHECK(close(fd) == 0 && unlink(path_of("gone")) == 0, "close and unlink it");
	CHECK(p[PG] == 'b', "the mapping still reads the data");
	p[0] = 'L';
	pid = must_fork();
	if (pid == 0)
		_exit(p[0] == 'L' && (p[1] = 'K') ? 0 : 1);
	child_ok(pid, "a forked child shares the unlinked file's pages");
	CHECK(p[1] == 'K', "and its store is seen by the parent");
	munmap((void *)p, 2 * PG);
}

/*
 * main - run every check in a fresh scratch directory, then remove it. The anonymous
 * mremap checks need no file, so they run even where no scratch directory can be made.
 */
int main(void)
{
	static const char *files[] = {"shared", "private", "trunc", "ro", "remap", "gone"};
	int have_dir;

	t_init();
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "/tmp/t_fmap.XXXXXX");
	have_dir = CHECK(mkdtemp(dir) != NULL, "mkdtemp under /tmp");
	check_mremap_anon();
	check_mremap_shared_anon();
	if (!have_dir)
		return t_done("t_fmap");
	check_shared();
	check_private();
	check_truncate();
	check_access();
	check_mremap_file();
	check_unlinked();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(path_of(files[i]));
	CHECK(rmdir(dir) == 0, "the scratch directory is empty and removed");
	return t_done("t_fmap");
}
