/*
 * t_pipe - pipes: pipe2 flags, a 1 MiB transfer between processes with a checksum, end of
 * file when the writers are gone, EPIPE/SIGPIPE when the readers are gone, non-blocking
 * EAGAIN, atomic writes of up to PIPE_BUF bytes from several writers, and poll/ppoll/select
 * on pipe ends (readiness, hang-up, timeouts, wakeups from another process, signals).
 */
#include "ulib.h"
#include <limits.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/select.h>

#define XFER (1 << 20)

/* pattern_byte - the i-th byte of the transfer: a cheap hash, so misplaced bytes show. */
static unsigned char pattern_byte(unsigned i)
{
	i ^= i >> 7;
	i *= 0x9e3779b1u;
	return (unsigned char)(i >> 24);
}

/* write_all - write len bytes to fd; 0 on success, -1 on error. */
static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* check_flags - pipe2 with and without O_CLOEXEC, and O_NONBLOCK reads. */
static void check_flags(void)
{
	int p[2], q[2];
	char c;

	if (!CHECK(pipe2(p, 0) == 0, "pipe2(0)"))
		return;		/* out of memory: never go on with fds we did not get */
	CHECK(fcntl(p[0], F_GETFD) == 0 && fcntl(p[1], F_GETFD) == 0,
	      "pipe2(0): no close-on-exec");
	CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY &&
		  (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY,
	      "pipe ends are O_RDONLY and O_WRONLY");
	CHECK_ERR(write(p[0], "x", 1), EBADF, "write to the read end -> EBADF");
	CHECK_ERR(read(p[1], &c, 1), EBADF, "read from the write end -> EBADF");
	close(p[0]);
	close(p[1]);
	if (!CHECK(pipe2(q, O_CLOEXEC) == 0, "pipe2(O_CLOEXEC)"))
		return;
	CHECK(fcntl(q[0], F_GETFD) == FD_CLOEXEC && fcntl(q[1], F_GETFD) == FD_CLOEXEC,
	      "pipe2(O_CLOEXEC) sets close-on-exec on both ends");
	CHECK(write(q[1], "ab", 2) == 2 && read(q[0], &c, 1) == 1 && c == 'a' &&
		  read(q[0], &c, 1) == 1 && c == 'b',
	      "bytes come out in order");
	close(q[1]);
	CHECK(read(q[0], &c, 1) == 0, "read returns 0 once the only writer closed");
	close(q[0]);
	CHECK_ERR(pipe2(q, 0x7ff0000), EINVAL, "pipe2 with bogus flags -> EINVAL");
}

/* check_nonblock - EAGAIN on an empty pipe, and filling a pipe until it is full. */
static void check_nonblock(void)
{
	static char buf[1 << 16];
	size_t total = 0;
	ssize_t n;
	int p[2];

	if (!CHECK(pipe2(p, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK)"))
		return;
	CHECK_ERR(read(p[0], buf, 1), EAGAIN, "read of an empty non-blocking pipe -> EAGAIN");
	while ((n = write(p[1], buf, 1000)) > 0 && total < (64u << 20))
		total += n;
	CHECK(n < 0 && errno == EAGAIN && total >= 60000,
	      "non-blocking writes fill the pipe's 64 KiB, as on Linux (%zu bytes), then EAGAIN",
	      total);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		total -= n;
	CHECK(total == 0, "everything written comes back out");
	close(p[0]);
	close(p[1]);
}

/*
 * check_transfer - a child writes 1 MiB in odd-sized pieces; the parent reads it in other
 * odd sizes, checks every byte, and sees end of file after the child exits.
 */
static void check_transfer(void)
{
	static unsigned char out[XFER], in[4099];
	size_t got = 0, bad = 0;
	unsigned long sum = 0, want = 0;
	ssize_t n;
	int p[2], st;
	pid_t pid;

	for (unsigned i = 0; i < XFER; i++) {
		out[i] = pattern_byte(i);
		want = want * 31 + out[i];
	}
	if (!CHECK(pipe(p) == 0, "pipe"))
		return;
	pid = xfork();
	if (pid == 0) {
		close(p[0]);
		for (size_t off = 0, chunk = 1; off < XFER; off += chunk, chunk = chunk * 3 + 1) {
			if (chunk > 70000)
				chunk = 7;
			if (chunk > XFER - off)
				chunk = XFER - off;
			if (write_all(p[1], out + off, chunk) < 0)
				_exit(2);
		}
		_exit(0);
	}
	close(p[1]);
	for (size_t want_n = 1; (n = read(p[0], in, want_n)) > 0; want_n = want_n % 4099 + 13) {
		for (ssize_t i = 0; i < n; i++) {
			bad += in[i] != pattern_byte(got + i);
			sum = sum * 31 + in[i];
		}
		got += n;
	}
	CHECK(n == 0, "reader sees end of file after the writer exits");
	CHECK(got == XFER && bad == 0 && sum == want,
	      "1 MiB arrives intact (%zu bytes, %zu bad, checksum %s)", got, bad,
	      sum == want ? "ok" : "wrong");
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "writer child exits 0");
	close(p[0]);
}

/* check_broken - writing with no reader: EPIPE when SIGPIPE is ignored, else death. */
static void check_broken(void)
{
	int p[2], st;
	pid_t pid;

	xpipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "write without readers, SIGPIPE ignored -> EPIPE");
	signal(SIGPIPE, SIG_DFL);
	pid = xfork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	st = wait_pid(pid);
	CHECK_SIG(st, SIGPIPE, "write without readers kills with SIGPIPE");
	close(p[1]);

	/* The reader going away while a writer is blocked on a full pipe. */
	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		static char big[1 << 20];

		close(p[0]);
		signal(SIGPIPE, SIG_IGN);
		_exit(write_all(p[1], (unsigned char *)big, sizeof(big)) < 0 && errno == EPIPE ? 0
											       : 1);
	}
	close(p[1]);
	{
		char c;

		/* Let the writer get going, then hang up on it. */
		read(p[0], &c, 1);
	}
	close(p[0]);
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "a writer blocked on a full pipe gets EPIPE when the reader closes");
}

/*
 * check_atomic - two children each write 200 records of PIPE_BUF/2 bytes; records must
 * never interleave, as POSIX promises for writes of up to PIPE_BUF bytes.
 */
static void check_atomic(void)
{
	enum { REC = PIPE_BUF / 2, NREC = 200 };
	unsigned char rec[REC];
	int p[2], torn = 0, counts[2] = {0, 0};
	pid_t pids[2];

	xpipe(p);
	for (int w = 0; w < 2; w++) {
		pids[w] = xfork();
		if (pids[w] == 0) {
			close(p[0]);
			memset(rec, 'A' + w, REC);
			for (int i = 0; i < NREC; i++)
				if (write(p[1], rec, REC) != REC)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (;;) {
		size_t got = 0;
		ssize_t n = 0;

		while (got < REC && (n = read(p[0], rec + got, REC - got)) > 0)
			got += n;
		if (got == 0)
			break;
		if (got < REC || (rec[0] != 'A' && rec[0] != 'B') ||
		    memchr(rec, rec[0] ^ ('A' ^ 'B'), REC)) {
			torn++;
			break;
		}
		counts[rec[0] - 'A']++;
	}
	close(p[0]);
	CHECK(!torn && counts[0] == NREC && counts[1] == NREC,
	      "writes of PIPE_BUF/2 bytes from two writers never interleave (%d+%d records)",
	      counts[0], counts[1]);
	for (int w = 0; w < 2; w++)
		CHECK_EXIT(wait_pid(pids[w]), 0, "atomic writer %d exits 0", w);
}

/* main - run the pipe checks. */
static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* write_later - child body: once the parent sleeps (in poll), write one byte to the pipe arg[1]. */
static void write_later(void *arg)
{
	int *fds = arg;

	wait_asleep(getppid());
	write(fds[1], "w", 1);
}

/* usr1_to_parent - child body: send SIGUSR1 to the parent (which has it blocked). */
static void usr1_to_parent(void *arg)
{
	(void)arg;
	kill(getppid(), SIGUSR1);
}

/* check_poll - poll, ppoll and select on pipe ends. */
static void check_poll(void)
{
	struct pollfd pf[3];
	int p[2], big[2], st;
	uint64_t t0;
	char c;

	CHECK(pipe(p) == 0, "pipe for poll");
	pf[0] = (struct pollfd){p[0], POLLIN, 0};
	pf[1] = (struct pollfd){p[1], POLLOUT, 0};
	CHECK(poll(pf, 2, 0) == 1 && pf[0].revents == 0 && pf[1].revents == POLLOUT,
	      "empty pipe: the write end is writable, the read end is not");
	t0 = now_ns();
	CHECK(poll(pf, 1, 30) == 0 && pf[0].revents == 0, "poll times out with nothing to read");
	CHECK(now_ns() - t0 >= 30000000ULL, "... after the 30 ms asked for (%llu us)",
	      (unsigned long long)(now_ns() - t0) / 1000);
	write(p[1], "x", 1);
	CHECK(poll(pf, 1, -1) == 1 && pf[0].revents == POLLIN, "a byte makes the read end POLLIN");
	read(p[0], &c, 1);

	pid_t pid = xfork();
	if (pid == 0) {
		write_later(p);
		_exit(0);
	}
	/* The limit only ends a poll that misses the wakeup: the byte comes while it sleeps. */
	CHECK(pid > 0 && poll(pf, 1, 60000) == 1 && pf[0].revents == POLLIN,
	      "a blocked poll wakes when another process writes");
	wait_pid(pid);
	read(p[0], &c, 1);

	pf[0] = (struct pollfd){p[0], POLLIN, 0};
	pf[1] = (struct pollfd){-1, POLLIN, 7};
	pf[2] = (struct pollfd){FAR_FD, POLLIN, 0};
	CHECK(poll(pf, 3, 0) == 1 && pf[0].revents == 0 && pf[1].revents == 0 &&
		      pf[2].revents == POLLNVAL,
	      "a negative fd is skipped, a closed one is POLLNVAL");
	CHECK_ERR(syscall(SYS_ppoll, 8L, 1L, NULL, NULL, 8L), EFAULT, "poll on a bad pointer -> EFAULT");
	struct rlimit nofile;
	struct pollfd *many;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < (1u << 24) &&
	    (many = calloc(nofile.rlim_cur + 1, sizeof(*many)))) {
		CHECK_ERR(poll(many, nofile.rlim_cur + 1, 0), EINVAL,
			  "poll with more fds than RLIMIT_NOFILE -> EINVAL");
		free(many);
	}

	fd_set r, w;
	struct timeval tv = {0, 0};
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 1 && !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w),
	      "select: the write end is ready, the empty read end is not");
	write(p[1], "y", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 5;
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &r),
	      "select: a byte makes the read end ready");
	read(p[0], &c, 1);
	int bad = closed_fd();
	FD_ZERO(&r);
	FD_SET(bad, &r);
	tv.tv_sec = 0;
	CHECK_ERR(select(bad + 1, &r, NULL, NULL, &tv), EBADF, "select on a closed fd -> EBADF");

	/* A signal ends the wait; ppoll's mask lets a blocked signal in only while it waits. */
	sigset_t block, old, empty;
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigemptyset(&empty);
	got_usr1 = 0;
	st = run_child(usr1_to_parent, NULL);	/* SIGUSR1 stays pending: it is blocked */
	pf[0] = (struct pollfd){p[0], POLLIN, 0};
	errno = 0;
	/* st != 0: the fork failed (fail_alloc), no SIGUSR1 is coming: do not wait forever. */
	CHECK(st == 0 && ppoll(pf, 1, NULL, &empty) == -1 && errno == EINTR && got_usr1,
	      "ppoll with an empty mask: the blocked SIGUSR1 interrupts it (EINTR)");
	sigprocmask(SIG_SETMASK, NULL, &block);
	CHECK(sigismember(&block, SIGUSR1), "ppoll's mask is gone afterwards");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);

	close(p[1]);
	pf[0] = (struct pollfd){p[0], POLLIN, 0};
	CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLHUP), "no writers left: POLLHUP");
	close(p[0]);

	if (!CHECK(pipe2(big, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK)"))
		return;
	static char fill[4096];
	while (write(big[1], fill, sizeof(fill)) > 0)
		;
	pf[0] = (struct pollfd){big[1], POLLOUT, 0};
	CHECK(poll(pf, 1, 0) == 0, "a full pipe is not writable");
	close(big[0]);
	CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLERR), "no readers left: POLLERR");
	close(big[1]);
}

int main(void)
{
	t_init();
	check_flags();
	check_nonblock();
	check_transfer();
	check_broken();
	check_atomic();
	check_poll();
	return t_done("t_pipe");
}
