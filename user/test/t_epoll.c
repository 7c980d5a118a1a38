/*
 * t_epoll - eventfd and epoll: eventfd counters (blocking, non-blocking, semaphore mode,
 * overflow, short buffers), epoll_ctl's errnos, level- and edge-triggered readiness on pipes
 * and eventfds, EPOLLONESHOT re-armed by EPOLL_CTL_MOD, EPOLL_CTL_DEL, timeouts, signals,
 * registered descriptors closed (dup'd and not), fairness when maxevents is short, and a
 * parent and a forked child waiting on one shared epoll instance for one event.
 */
#include "ulib.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* ev_write - add v to eventfd fd; the write's return value. */
static long ev_write(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v));
}

/* ev_read - the value of an 8-byte read of eventfd fd, or -1 (errno set). */
static int64_t ev_read(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? (int64_t)v : -1;
}

/* ep_add - register fd in ep for events with data; epoll_ctl's result. */
static int ep_add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

/* ep_mod - change fd's registration in ep. */
static int ep_mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

/* ep_one - wait up to ms for events; 1 if exactly one came with events want and data. */
static int ep_one(int ep, int ms, uint32_t want, uint64_t data)
{
	struct epoll_event e[4];
	int n = epoll_wait(ep, e, 4, ms);

	return n == 1 && e[0].events == want && e[0].data.u64 == data;
}

/* check_eventfd - counters, flags, short buffers, overflow, semaphore mode, poll. */
static void check_eventfd(void)
{
	int fd = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);
	uint32_t small = 0;
	struct pollfd pf;

	if (!CHECK(fd >= 0, "eventfd(5, EFD_NONBLOCK|EFD_CLOEXEC)"))
		return;
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "EFD_CLOEXEC sets close-on-exec");
	CHECK((fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == (O_RDWR | O_NONBLOCK),
	      "an eventfd is O_RDWR, and EFD_NONBLOCK is O_NONBLOCK");
	CHECK(ev_read(fd) == 5, "read returns the initial value");
	CHECK_ERR(ev_read(fd), EAGAIN, "read of a zero counter, non-blocking -> EAGAIN");
	CHECK(ev_write(fd, 3) == 8 && ev_write(fd, 4) == 8 && ev_read(fd) == 7,
	      "writes add up; a read takes the sum and returns 8");
	CHECK_ERR(read(fd, &small, sizeof(small)), EINVAL, "read of 4 bytes -> EINVAL");
	CHECK_ERR(write(fd, &small, sizeof(small)), EINVAL, "write of 4 bytes -> EINVAL");
	CHECK_ERR(ev_write(fd, UINT64_MAX), EINVAL, "write of 0xffffffffffffffff -> EINVAL");
	pf = (struct pollfd){ fd, POLLIN | POLLOUT, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLOUT, "zero counter: POLLOUT only");
	CHECK(ev_write(fd, UINT64_MAX - 1) == 8, "write of the largest count");
	CHECK_ERR(ev_write(fd, 1), EAGAIN, "a write that would overflow, non-blocking -> EAGAIN");
	CHECK(ev_write(fd, 0) == 8, "a write of 0 always fits");
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "full counter: POLLIN, no POLLOUT");
	CHECK((uint64_t)ev_read(fd) == UINT64_MAX - 1, "read of the largest count");
	close(fd);

	fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	if (!CHECK(fd >= 0, "eventfd(3, EFD_SEMAPHORE|EFD_NONBLOCK)"))
		return;
	CHECK(ev_read(fd) == 1 && ev_read(fd) == 1 && ev_read(fd) == 1,
	      "semaphore mode: each read takes 1");
	CHECK_ERR(ev_read(fd), EAGAIN, "semaphore mode: then EAGAIN");
	close(fd);
	CHECK_ERR(eventfd(0, 0x40000000), EINVAL, "eventfd with a bogus flag -> EINVAL");
	fd = eventfd(0, 0);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == 0, "eventfd(0, 0): no close-on-exec");
	close(fd);
}

/* check_eventfd_blocking - a read sleeps on 0 and a write on overflow, until the other side. */
static void check_eventfd_blocking(void)
{
	int fd = eventfd(0, 0);
	pid_t pid;

	if (!CHECK(fd >= 0, "eventfd(0, 0)"))
		return;
	pid = xfork();
	if (pid == 0) {
		wait_asleep(getppid());
		_exit(ev_write(fd, 9) == 8 ? 0 : 1);
	}
	CHECK(ev_read(fd) == 9, "a blocked read gets another process's write");
	CHECK_EXIT(wait_pid(pid), 0, "the writer child");

	CHECK(ev_write(fd, UINT64_MAX - 1) == 8, "fill the counter");
	pid = xfork();
	if (pid == 0)
		_exit(ev_write(fd, 2) == 8 ? 0 : 1);	/* sleeps: it would overflow */
	wait_asleep(pid);
	CHECK((uint64_t)ev_read(fd) == UINT64_MAX - 1, "read the full counter");
	CHECK_EXIT(wait_pid(pid), 0, "the blocked writer finishes once there is room");
	CHECK(ev_read(fd) == 2, "and its value is counted");
	close(fd);
}

/* check_ctl_errors - epoll_create1 and epoll_ctl refusals, in Linux's order. */
static void check_ctl_errors(const char *self)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], reg, dir, null, efd = eventfd(0, 0);
	struct epoll_event e = { .events = EPOLLIN };
	int bad;

	if (!CHECK(ep >= 0 && efd >= 0, "epoll_create1(EPOLL_CLOEXEC), eventfd"))
		return;
	xpipe(p);
	bad = closed_fd();	/* after the pipe: it is the lowest free number */
	CHECK(fcntl(ep, F_GETFD) == FD_CLOEXEC, "EPOLL_CLOEXEC sets close-on-exec");
	CHECK_ERR(epoll_create1(1), EINVAL, "epoll_create1(1) -> EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, bad, &e), EBADF, "ADD of a closed fd -> EBADF");
	CHECK_ERR(epoll_ctl(bad, EPOLL_CTL_ADD, p[0], &e), EBADF, "a closed epfd -> EBADF");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], hide_ptr(16)), EFAULT,
		  "ADD with a bad event pointer -> EFAULT");
	reg = open(self, O_RDONLY);
	dir = open("/", O_RDONLY | O_DIRECTORY);
	null = open("/dev/null", O_RDWR);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &e), EPERM, "ADD of a regular file -> EPERM");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, dir, &e), EPERM, "ADD of a directory -> EPERM");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, null, &e), EPERM, "ADD of /dev/null -> EPERM");
	close(reg);
	close(dir);
	close(null);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e), EINVAL, "ADD of epfd to itself -> EINVAL");
	CHECK_ERR(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &e), EINVAL, "epfd not an epoll -> EINVAL");
	CHECK_ERR(epoll_ctl(ep, 99, p[0], &e), EINVAL, "op 99 -> EINVAL");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e), ENOENT, "MOD of an unregistered fd -> ENOENT");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT, "DEL of an unregistered fd -> ENOENT");
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e) == 0, "ADD of a pipe's read end");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e), EEXIST, "ADD again -> EEXIST");
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], hide_ptr(16)) == 0, "DEL ignores the event pointer");
	CHECK_ERR(ep_add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL,
		  "EPOLLEXCLUSIVE with EPOLLONESHOT -> EINVAL");
	CHECK(ep_add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0) == 0, "ADD with EPOLLEXCLUSIVE");
	CHECK_ERR(ep_mod(ep, p[0], EPOLLIN, 0), EINVAL, "MOD of an EPOLLEXCLUSIVE registration -> EINVAL");
	CHECK(ep_add(ep, p[1], EPOLLOUT, 0) == 0, "ADD of the write end");
	CHECK_ERR(ep_mod(ep, p[1], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL,
		  "MOD with EPOLLEXCLUSIVE -> EINVAL");

	CHECK_ERR(epoll_wait(ep, &e, 0, 0), EINVAL, "epoll_wait maxevents 0 -> EINVAL");
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, &e, -1, 0, NULL, 8), EINVAL, "epoll_wait maxevents -1 -> EINVAL");
	CHECK_ERR(epoll_wait(p[0], &e, 1, 0), EINVAL, "epoll_wait on a pipe -> EINVAL");
	CHECK_ERR(epoll_wait(bad, &e, 1, 0), EBADF, "epoll_wait on a closed fd -> EBADF");
	CHECK_ERR(epoll_wait(ep, hide_ptr(KERNEL_ADDR), 1, 0), EFAULT,
		  "epoll_wait into kernel memory -> EFAULT");
	sigset_t set;
	sigemptyset(&set);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, &e, 1, 0, &set, 4), EINVAL,
		  "epoll_pwait with sigsetsize 4 -> EINVAL");
	close(p[0]);
	close(p[1]);
	close(efd);
	close(ep);
}

/* check_level - level-triggered: reported while ready, on pipes and eventfds; EPOLLHUP. */
static void check_level(void)
{
	int ep = epoll_create1(0), p[2], efd = eventfd(0, EFD_NONBLOCK);
	struct pollfd pf;
	char c;

	if (!CHECK(ep >= 0 && efd >= 0, "epoll_create1(0), eventfd"))
		return;
	xpipe(p);
	CHECK(ep_add(ep, p[0], EPOLLIN, 42) == 0 && ep_add(ep, efd, EPOLLIN | EPOLLOUT, 7) == 0,
	      "ADD a pipe's read end and an eventfd");
	CHECK(ep_one(ep, 0, EPOLLOUT, 7), "only the eventfd is ready, for writing");
	CHECK(ep_mod(ep, efd, EPOLLIN, 7) == 0, "MOD the eventfd to EPOLLIN only");
	CHECK(epoll_wait(ep, (struct epoll_event[1]){}, 1, 0) == 0, "nothing ready: timeout 0 -> 0");
	CHECK(epoll_wait(ep, (struct epoll_event[1]){}, 1, 30) == 0,
	      "nothing ready: a 30 ms timeout -> 0");
	pf = (struct pollfd){ ep, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 0, "the epoll fd is not readable");
	CHECK(write(p[1], "x", 1) == 1, "write a byte");
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "now the epoll fd is readable");
	CHECK(ep_one(ep, 0, EPOLLIN, 42), "the pipe is ready, with its data");
	CHECK(ep_one(ep, -1, EPOLLIN, 42), "and again: level-triggered");
	CHECK(read(p[0], &c, 1) == 1, "read it");
	CHECK(epoll_wait(ep, (struct epoll_event[1]){}, 1, 0) == 0, "drained: nothing");
	CHECK(ev_write(efd, 2) == 8 && ep_one(ep, 0, EPOLLIN, 7), "eventfd written: EPOLLIN");
	CHECK(ev_read(efd) == 2 && epoll_wait(ep, (struct epoll_event[1]){}, 1, 0) == 0,
	      "eventfd read: nothing");
	close(p[1]);
	CHECK(ep_one(ep, 0, EPOLLHUP, 42), "no writers left: EPOLLHUP (asked or not)");
	close(p[0]);
	close(efd);
	close(ep);
}

/* check_edge - EPOLLET reports new events only: each write, not a partial read. */
static void check_edge(void)
{
	int ep = epoll_create1(0), p[2], efd = eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK);
	struct epoll_event e[2];
	char c;

	if (!CHECK(ep >= 0 && efd >= 0, "epoll_create1(0), eventfd"))
		return;
	xpipe(p);
	CHECK(ep_add(ep, p[0], EPOLLIN | EPOLLET, 1) == 0, "ADD the read end, edge-triggered");
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "empty: nothing");
	CHECK(write(p[1], "ab", 2) == 2 && ep_one(ep, 0, EPOLLIN, 1), "a write: one event");
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "no new write: nothing, though still readable");
	CHECK(read(p[0], &c, 1) == 1 && epoll_wait(ep, e, 2, 0) == 0,
	      "a partial read is no new event");
	CHECK(write(p[1], "c", 1) == 1 && ep_one(ep, 0, EPOLLIN, 1),
	      "another write to the readable pipe: a new event");
	CHECK(ep_add(ep, p[1], EPOLLOUT | EPOLLET, 2) == 0 && ep_one(ep, 0, EPOLLOUT, 2),
	      "ADD of a writable write end, edge-triggered: reported once");
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "then not again");
	CHECK(ep_mod(ep, p[1], EPOLLOUT | EPOLLET, 3) == 0 && ep_one(ep, 0, EPOLLOUT, 3),
	      "MOD reports what is ready again");
	close(p[1]);
	CHECK(ep_one(ep, 0, EPOLLIN | EPOLLHUP, 1), "the writer closing is an event");
	close(p[0]);

	CHECK(ep_add(ep, efd, EPOLLIN | EPOLLET, 4) == 0, "ADD an eventfd, edge-triggered");
	CHECK(ev_write(efd, 2) == 8 && ep_one(ep, 0, EPOLLIN, 4), "eventfd write: an event");
	CHECK(ev_write(efd, 1) == 8 && ep_one(ep, 0, EPOLLIN, 4), "another write: another");
	CHECK(ev_read(efd) == 1 && epoll_wait(ep, e, 2, 0) == 0,
	      "a semaphore read leaving 2: no event");
	close(efd);
	close(ep);
}

/* check_oneshot_del - EPOLLONESHOT fires once until MOD; DEL forgets a registration. */
static void check_oneshot_del(void)
{
	int ep = epoll_create1(0), efd = eventfd(1, 0);
	struct epoll_event e[2];

	if (!CHECK(ep >= 0 && efd >= 0, "epoll_create1(0), eventfd"))
		return;
	CHECK(ep_add(ep, efd, EPOLLIN | EPOLLONESHOT, 5) == 0 && ep_one(ep, 0, EPOLLIN, 5),
	      "ONESHOT: reported once");
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "then disarmed, though still readable");
	CHECK(ep_mod(ep, efd, EPOLLIN | EPOLLONESHOT, 6) == 0 && ep_one(ep, 0, EPOLLIN, 6),
	      "MOD re-arms it, with the new data");
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "disarmed again");
	CHECK(ep_mod(ep, efd, EPOLLIN, 8) == 0 && ep_one(ep, 0, EPOLLIN, 8) &&
		  ep_one(ep, 0, EPOLLIN, 8),
	      "MOD without ONESHOT: level-triggered again");
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL) == 0, "DEL");
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "a deleted registration reports nothing");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL), ENOENT, "DEL again -> ENOENT");
	close(efd);
	close(ep);
}

/* check_fair - with maxevents 1, successive waits take turns among the ready files. */
static void check_fair(void)
{
	int ep = epoll_create1(0), fds[3];
	struct epoll_event e;
	unsigned seen = 0;

	if (!CHECK(ep >= 0, "epoll_create1(0)"))
		return;
	for (int i = 0; i < 3; i++) {
		fds[i] = eventfd(1, 0);
		ep_add(ep, fds[i], EPOLLIN, 1u << i);
	}
	for (int i = 0; i < 3; i++)
		if (epoll_wait(ep, &e, 1, 0) == 1)
			seen |= (unsigned)e.data.u64;
	CHECK(seen == 7, "three waits of maxevents 1 see three different ready files");
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	close(ep);
}

/* check_close - a registration lives as long as its open file, not its descriptor. */
static void check_close(void)
{
	int ep = epoll_create1(0), ep2 = epoll_create1(0), p[2], q[2], d;
	struct epoll_event e[2];

	if (!CHECK(ep >= 0 && ep2 >= 0, "epoll_create1(0)"))
		return;
	xpipe(p);
	CHECK(ep_add(ep, p[0], EPOLLIN, 1) == 0 && write(p[1], "x", 1) == 1 &&
		  ep_one(ep, 0, EPOLLIN, 1), "a ready pipe is reported");
	close(p[0]);
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "its only fd closed: never reported again");
	xpipe(q);
	CHECK(q[0] == p[0] && ep_add(ep, q[0], EPOLLIN, 2) == 0,
	      "a new pipe on the same fd number is a new registration (no EEXIST)");
	close(p[1]);

	d = dup(q[0]);
	CHECK(write(q[1], "y", 1) == 1 && ep_add(ep2, q[0], EPOLLIN, 3) == 0, "in two epolls");
	close(q[0]);
	CHECK(ep_one(ep, 0, EPOLLIN, 2) && ep_one(ep2, 0, EPOLLIN, 3),
	      "closed, but a dup keeps the file: still reported");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL), EBADF, "DEL by the closed fd -> EBADF");
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL), ENOENT,
		  "DEL by the dup -> ENOENT: it was added by the other number");
	close(d);
	CHECK(epoll_wait(ep, e, 2, 0) == 0 && epoll_wait(ep2, e, 2, 0) == 0,
	      "the last fd closed: gone from both");
	close(ep2);
	close(q[1]);

	/* The epoll closed first, its registrations' files after, many times over. */
	for (int i = 0; i < 200; i++) {
		int r[2], x = epoll_create1(0);

		xpipe(r);
		ep_add(x, r[0], EPOLLIN, 0);
		ep_add(x, r[1], EPOLLOUT, 0);
		ep_add(ep, r[0], EPOLLIN | EPOLLET, 0);
		if (i & 1) {
			close(x);
			close(r[0]);
		} else {
			close(r[0]);
			close(x);
		}
		close(r[1]);
	}
	CHECK(epoll_wait(ep, e, 2, 0) == 0, "200 epolls and pipes closed in either order");
	close(ep);
}

static volatile sig_atomic_t got_usr1;

/* on_usr1 - note the signal. */
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* check_wake_signal - another process's write wakes a waiter; a signal is EINTR. */
static void check_wake_signal(void)
{
	int ep = epoll_create1(0), p[2];
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct epoll_event e;
	sigset_t block, old, empty;
	pid_t pid;

	if (!CHECK(ep >= 0, "epoll_create1(0)"))
		return;
	xpipe(p);
	ep_add(ep, p[0], EPOLLIN, 9);
	pid = xfork();
	if (pid == 0) {
		wait_asleep(getppid());
		_exit(write(p[1], "z", 1) == 1 ? 0 : 1);
	}
	CHECK(ep_one(ep, -1, EPOLLIN, 9), "a sleeping waiter wakes for another process's write");
	CHECK_EXIT(wait_pid(pid), 0, "the writer child");

	sigaction(SIGUSR1, &sa, NULL);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
	got_usr1 = 0;
	pid = xfork();
	if (pid == 0) {
		wait_asleep(getppid());
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	errno = 0;
	CHECK(epoll_wait(ep, &e, 1, -1) == -1 && errno == EINTR && got_usr1,
	      "a signal ends epoll_wait with EINTR, SA_RESTART or not");
	wait_pid(pid);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigemptyset(&empty);
	got_usr1 = 0;
	kill(getpid(), SIGUSR1);	/* pending: blocked */
	errno = 0;
	CHECK(epoll_pwait(ep, &e, 1, -1, &empty) == -1 && errno == EINTR && got_usr1,
	      "epoll_pwait with an empty mask: the blocked SIGUSR1 interrupts it");
	sigprocmask(SIG_SETMASK, NULL, &block);
	CHECK(sigismember(&block, SIGUSR1), "epoll_pwait's mask is gone afterwards");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * check_shared - a parent and its child wait on one epoll instance for one one-shot event:
 * exactly one of them gets it.  The child reports what it got through a pipe that is in the
 * same instance; re-arming with new data proves the loser had not seen the first event.
 */
static void check_shared(void)
{
	int ep = epoll_create1(0), efd = eventfd(0, 0), res[2];
	struct epoll_event e;
	uint64_t got = 0;
	pid_t pid;

	if (!CHECK(ep >= 0 && efd >= 0, "epoll_create1(0), eventfd"))
		return;
	xpipe(res);
	ep_add(ep, efd, EPOLLIN | EPOLLONESHOT, 1);
	ep_add(ep, res[0], EPOLLIN, 100);
	pid = xfork();
	if (pid == 0) {
		uint64_t data = 0;

		if (epoll_wait(ep, &e, 1, -1) == 1)
			data = e.data.u64;
		_exit(write(res[1], &data, sizeof(data)) == sizeof(data) ? 0 : 1);
	}
	ev_write(efd, 1);
	if (epoll_wait(ep, &e, 1, -1) != 1) {
		CHECK(0, "the parent's epoll_wait returns an event");
	} else if (e.data.u64 == 1) {
		/* The parent won: the child still waits (nothing else can wake it). */
		CHECK(ep_mod(ep, efd, EPOLLIN | EPOLLONESHOT, 2) == 0, "parent won; re-arm");
		CHECK(read(res[0], &got, sizeof(got)) == sizeof(got) && got == 2,
		      "the child got only the re-armed event (%llu)", (unsigned long long)got);
	} else {
		CHECK(e.data.u64 == 100 && read(res[0], &got, sizeof(got)) == sizeof(got) &&
			  got == 1, "the child won the event (%llu)", (unsigned long long)got);
		CHECK(epoll_wait(ep, &e, 1, 0) == 0, "and the parent does not get it too");
	}
	CHECK_EXIT(wait_pid(pid), 0, "the child waiter");
	close(res[0]);
	close(res[1]);
	close(efd);
	close(ep);
}

int main(int argc, char **argv)
{
	(void)argc;
	t_init();
	check_eventfd();
	check_eventfd_blocking();
	check_ctl_errors(self_path(argv[0]));
	check_level();
	check_edge();
	check_oneshot_del();
	check_fair();
	check_close();
	check_wake_signal();
	check_shared();
	return t_done("t_epoll");
}
