/*
 * t_cow_pipe - the kernel writing into copy-on-write pages. When a syscall stores into
 * user memory that is shared after fork (read() from a pipe, wait4's status, clock_gettime,
 * getrandom, uname, fstat, pipe2's fd pair), it must break the sharing like a user store
 * would: the writer gets its own copy and the other process keeps seeing the old bytes.
 */
#include "ulib.h"
#include <sys/random.h>
#include <sys/uio.h>

#define BUF_PAGES 16

/* One page per target, so every syscall meets a fresh shared page. */
enum { P_WAIT, P_CLOCK, P_RANDOM, P_UNAME, P_FSTAT, P_PIPEFDS, P_READV, NPAGES };

static char shared[BUF_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static char pages[NPAGES][PAGE_SIZE] __attribute__((aligned(4096)));

/* data_byte - byte i of what the parent sends through the pipe. */
static char data_byte(size_t i)
{
	return (char)('a' + (i * 7 + i / 4096) % 26);
}

/* page_is - whether the page holds nothing but byte c. */
static int page_is(const char *p, char c)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/*
 * check_pipe_read - the child read()s a pipe straight into the shared buffer, starting
 * mid-page so the copy crosses page boundaries; the parent's buffer must stay as it was.
 */
static void check_pipe_read(void)
{
	size_t off = 100, len = (BUF_PAGES - 2) * PAGE_SIZE + 1000;
	static char out[BUF_PAGES * PAGE_SIZE];
	size_t sent = 0;
	ssize_t n = 0;
	int p[2];
	pid_t pid;

	memset(shared, 'P', sizeof(shared));
	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		size_t got = 0, bad = 0;
		ssize_t n;

		close(p[1]);
		while (got < len && (n = read(p[0], shared + off + got, len - got)) > 0)
			got += n;
		for (size_t i = 0; i < len; i++)
			bad += shared[off + i] != data_byte(i);
		for (size_t i = 0; i < off; i++)
			bad += shared[i] != 'P';
		if (got != len || bad)
			printf("FAIL: child read %zu of %zu bytes, %zu wrong\n", got, len, bad);
		_exit(got == len && !bad ? 0 : 1);
	}
	close(p[0]);
	for (size_t i = 0; i < len; i++)
		out[i] = data_byte(i);
	while (sent < len && (n = write(p[1], out + sent, len - sent)) > 0)
		sent += n;
	CHECK(sent == len, "parent writes %zu bytes to the pipe", len);
	close(p[1]);
	CHECK_EXIT(wait_pid(pid), 0, "child received the data in its copy-on-write buffer");
	CHECK(page_is(shared, 'P') && page_is(shared + 7 * PAGE_SIZE, 'P') &&
		  page_is(shared + (BUF_PAGES - 1) * PAGE_SIZE, 'P'),
	      "parent's buffer is unchanged by the child's read()");
}

/*
 * check_parent_wait - the parent wait4()s with the status in a page shared with a second,
 * still running child; that child must keep seeing the old value.
 */
static void check_parent_wait(void)
{
	int *status = (int *)pages[P_WAIT], p[2], q[2];
	pid_t watcher, quitter;
	char c;

	*status = 0x5a5a5a5a;
	xpipe(p);
	xpipe(q);
	watcher = xfork();
	if (watcher == 0) {
		close(p[1]);
		close(q[0]);
		if (write(q[1], "r", 1) != 1) /* ready: we share the page now */
			_exit(2);	/* (under fail_alloc): the parent must not wait for it */
		read(p[0], &c, 1);   /* wait until the parent's wait4 wrote its copy */
		_exit(*status == 0x5a5a5a5a ? 0 : 1);
	}
	close(p[0]);
	close(q[1]);
	read(q[0], &c, 1);
	quitter = xfork();
	if (quitter == 0)
		_exit(77);
	CHECK(quitter > 0 && wait4(quitter, status, 0, NULL) == quitter && WIFEXITED(*status) &&
		  WEXITSTATUS(*status) == 77,
	      "wait4 stores the status into a copy-on-write page");
	close(p[1]);
	CHECK_EXIT(wait_pid(watcher), 0, "a process sharing that page still sees the old value");
	close(q[0]);
}

/*
 * child_syscalls - in a child, let several syscalls write into shared pages and check
 * they did. Returns a bit mask of the failed ones.
 */
static int child_syscalls(void)
{
	struct timespec *ts = (struct timespec *)pages[P_CLOCK];
	struct utsname *u = (struct utsname *)pages[P_UNAME];
	struct stat *st = (struct stat *)pages[P_FSTAT];
	int *fds = (int *)pages[P_PIPEFDS], failed = 0;
	char *rv = pages[P_READV] + PAGE_SIZE - 8;
	struct iovec iov[2] = {{rv, 8}, {pages[P_READV], 8}};
	int p[2];

	if (clock_gettime(CLOCK_MONOTONIC, ts) < 0 || ts->tv_sec == 12345)
		failed |= 1;
	if (getrandom(pages[P_RANDOM], 64, 0) != 64 || page_is(pages[P_RANDOM], 'R'))
		failed |= 2;
	if (uname(u) < 0 || strcmp(u->sysname, "Linux"))
		failed |= 4;
	if (fstat(1, st) < 0 || page_is(pages[P_FSTAT], 'F'))
		failed |= 8;
	if (pipe2(fds, 0) < 0 || fds[0] == 0x46464646)
		failed |= 16;
	xpipe(p);
	write(p[1], "0123456789abcdef", 16);
	if (readv(p[0], iov, 2) != 16 || memcmp(rv, "01234567", 8) ||
	    memcmp(pages[P_READV], "89abcdef", 8))
		failed |= 32;
	return failed;
}

/*
 * check_child_syscalls - syscalls in the child fill shared pages; the parent's copies keep
 * their sentinels. The clock_gettime case is the one the brief names.
 */
static void check_child_syscalls(void)
{
	static const char *const names[] = {"clock_gettime", "getrandom", "uname",
					    "fstat",	     "pipe2",	  "readv"};
	struct timespec *ts = (struct timespec *)pages[P_CLOCK];
	int st;
	pid_t pid;

	memset(pages, 0, sizeof(pages));
	ts->tv_sec = 12345;
	ts->tv_nsec = 678;
	memset(pages[P_RANDOM], 'R', PAGE_SIZE);
	memset(pages[P_UNAME], 'U', PAGE_SIZE);
	memset(pages[P_FSTAT], 'F', PAGE_SIZE);
	memset(pages[P_PIPEFDS], 'F', PAGE_SIZE);
	memset(pages[P_READV], 'V', PAGE_SIZE);
	pid = xfork();
	if (pid == 0)
		_exit(child_syscalls());
	st = wait_pid(pid);
	for (int i = 0; i < 6; i++)
		CHECK(WIFEXITED(st) && !(WEXITSTATUS(st) & (1 << i)),
		      "child's %s wrote into its copy-on-write page", names[i]);
	CHECK(ts->tv_sec == 12345 && ts->tv_nsec == 678,
	      "parent's timespec unchanged by the child's clock_gettime");
	CHECK(page_is(pages[P_RANDOM], 'R'), "parent's page unchanged by the child's getrandom");
	CHECK(page_is(pages[P_UNAME], 'U'), "parent's page unchanged by the child's uname");
	CHECK(page_is(pages[P_FSTAT], 'F'), "parent's page unchanged by the child's fstat");
	CHECK(page_is(pages[P_PIPEFDS], 'F'), "parent's page unchanged by the child's pipe2");
	CHECK(page_is(pages[P_READV], 'V'), "parent's pages unchanged by the child's readv");
}

/* main - run the three scenarios. */
int main(void)
{
	t_init();
	check_pipe_read();
	check_parent_wait();
	check_child_syscalls();
	return t_done("t_cow_pipe");
}
