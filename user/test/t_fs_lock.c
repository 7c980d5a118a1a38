/*
 * t_fs_lock - advisory locks on a writable file system, as Linux behaves.
 *
 * flock: locks belong to an open file description, so two open()s of one file conflict,
 * while a dup or a forked child's inherited fd shares the lock (and can drop it for
 * everyone). fcntl record locks: they belong to a process, so they conflict between
 * processes only; F_GETLK names the holder and its range; F_SETLKW waits; closing any fd
 * of the file drops the process's locks on it.
 *
 * Not a lock a program asks for, but the one Linux takes for it: writes to one file never
 * interleave, so O_APPEND writes by several processes (`cmd >> log &`) all land whole.
 *
 * Children report their own FAIL lines and exit with the number of failures. Blocking is
 * synchronised with wait_asleep (the waiter is seen asleep), never with a sleep; if the
 * waiter is not yet asleep when the lock is released, it simply gets the lock at once.
 */
#include "ulib.h"
#include "scratch.h"
#include <sys/file.h>

static int child_fails;

/* child_check - a check inside a child: print FAIL lines only, count failures. */
#define CHILD_CHECK(cond, what)                                                                    \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL: child: %s (line %d: %s; errno %d)\n", what, __LINE__, #cond, \
			       errno);                                                             \
			fflush(stdout);                                                            \
			child_fails++;                                                             \
		}                                                                                  \
	} while (0)

/* try_flock - flock(fd, op | LOCK_NB): 0, or the errno it failed with. */
static int try_flock(int fd, int op)
{
	return flock(fd, op | LOCK_NB) == 0 ? 0 : errno;
}

/* check_flock_basic - exclusive and shared locks between two open file descriptions. */
static void check_flock_basic(void)
{
	int a = open("lk", O_CREAT | O_RDWR, 0644), b = open("lk", O_RDONLY), c;

	if (!CHECK(a >= 0 && b >= 0, "open lk twice"))
		return;
	CHECK(flock(a, LOCK_EX) == 0, "LOCK_EX on the first open file");
	CHECK(try_flock(b, LOCK_EX) == EWOULDBLOCK, "LOCK_EX|LOCK_NB on the second -> EWOULDBLOCK");
	CHECK(try_flock(b, LOCK_SH) == EWOULDBLOCK, "LOCK_SH|LOCK_NB on the second -> EWOULDBLOCK");
	c = dup(a);
	CHECK(try_flock(c, LOCK_EX) == 0, "a dup shares the lock: LOCK_EX again succeeds");
	CHECK(flock(a, LOCK_UN) == 0 && try_flock(b, LOCK_EX) == 0,
	      "after LOCK_UN the second open file gets LOCK_EX");
	CHECK(try_flock(a, LOCK_SH) == EWOULDBLOCK, "now the first one is refused");
	CHECK(flock(b, LOCK_SH) == 0, "the holder converts its lock to LOCK_SH");
	CHECK(try_flock(a, LOCK_SH) == 0, "two LOCK_SH coexist");
	CHECK(try_flock(a, LOCK_EX) == EWOULDBLOCK,
	      "LOCK_EX over another's LOCK_SH -> EWOULDBLOCK");
	CHECK(flock(b, LOCK_UN) == 0 && try_flock(a, LOCK_EX) == 0,
	      "upgrading to LOCK_EX once the other LOCK_SH is gone");
	close(c);
	CHECK(try_flock(b, LOCK_EX) == EWOULDBLOCK, "closing a dup keeps the lock");
	close(a);
	CHECK(try_flock(b, LOCK_EX) == 0, "closing the last fd of the holder drops it");
	CHECK(flock(b, LOCK_UN) == 0 && flock(b, LOCK_UN) == 0, "LOCK_UN without a lock is fine");
	CHECK_ERR(flock(b, 0), EINVAL, "flock with no operation -> EINVAL");
	CHECK_ERR(flock(b, LOCK_SH | LOCK_EX), EINVAL, "flock with LOCK_SH|LOCK_EX -> EINVAL");
	CHECK_ERR(flock(FAR_FD, LOCK_EX), EBADF, "flock on a bad fd -> EBADF");
	close(b);
}

/* flock_child_shares - in a child: the inherited fd holds the lock; drop it for everyone. */
static void flock_child_shares(void *arg)
{
	int *fds = arg;

	CHILD_CHECK(try_flock(fds[0], LOCK_EX) == 0, "the inherited fd already holds LOCK_EX");
	CHILD_CHECK(try_flock(fds[1], LOCK_EX) == EWOULDBLOCK,
		    "the parent's other open file is refused");
	CHILD_CHECK(flock(fds[0], LOCK_UN) == 0, "unlock through the inherited fd");
	_exit(child_fails);
}

/* flock_child_waits - in a child: a blocking LOCK_EX on its own open of the file. */
static void flock_child_waits(void *arg)
{
	int fd = open("lk", O_RDONLY);

	(void)arg;
	CHILD_CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0, "the blocking LOCK_EX is granted");
	_exit(child_fails);
}

/* check_flock_fork - a forked child shares the parent's flock; a waiter is woken. */
static void check_flock_fork(void)
{
	int fds[2] = {open("lk", O_RDWR), open("lk", O_RDWR)};
	pid_t pid;

	CHECK(flock(fds[0], LOCK_EX) == 0, "parent takes LOCK_EX");
	CHECK_EXIT(run_child(flock_child_shares, fds), 0,
		   "a child shares it through the inherited fd");
	CHECK(try_flock(fds[1], LOCK_EX) == 0, "the child's LOCK_UN freed the parent's lock");
	pid = must_fork();
	if (pid == 0)
		flock_child_waits(NULL);
	CHECK(wait_asleep(pid) == 'S', "the child blocks in flock");
	CHECK(flock(fds[1], LOCK_UN) == 0, "parent unlocks");
	CHECK_EXIT(wait_pid(pid), 0, "the waiting child got the lock");
	close(fds[0]);
	close(fds[1]);
}

/* set_lock - F_SETLK or F_SETLKW (cmd) of type over [start, start+len). */
static int set_lock(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};

	return fcntl(fd, cmd, &fl);
}

/* get_lock - F_GETLK for a write lock over [start, start+len); the answer in *fl. */
static int get_lock(int fd, off_t start, off_t len, struct flock *fl)
{
	*fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start,
			     .l_len = len};
	return fcntl(fd, F_GETLK, fl);
}

/* rec_child_probe - in a child: see the parent's write lock on [10, 30) (arg: parent pid). */
static void rec_child_probe(void *arg)
{
	pid_t parent = *(pid_t *)arg;
	struct flock fl;
	int fd = open("rl", O_RDWR);

	CHILD_CHECK(get_lock(fd, 0, 0, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == parent &&
			    fl.l_start == 10 && fl.l_len == 20 && fl.l_whence == SEEK_SET,
		    "F_GETLK names the parent's write lock on [10, 30)");
	CHILD_CHECK(get_lock(fd, 30, 10, &fl) == 0 && fl.l_type == F_UNLCK,
		    "F_GETLK just past it reports F_UNLCK");
	errno = 0;
	CHILD_CHECK(set_lock(fd, F_SETLK, F_WRLCK, 15, 1) < 0 &&
			    (errno == EAGAIN || errno == EACCES),
		    "a conflicting F_SETLK -> EAGAIN or EACCES");
	CHILD_CHECK(set_lock(fd, F_SETLK, F_RDLCK, 29, 1) < 0, "a read lock inside it is refused");
	CHILD_CHECK(set_lock(fd, F_SETLK, F_WRLCK, 30, 10) == 0, "a lock on [30, 40) is granted");
	CHILD_CHECK(set_lock(fd, F_SETLK, F_WRLCK, 0, 10) == 0, "a lock on [0, 10) is granted");
	CHILD_CHECK(get_lock(fd, 0, 0, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == parent,
		    "the child's own locks never conflict with itself");
	_exit(child_fails);
}

/* rec_child_after_close - in a child: the parent's locks are gone (they closed an fd). */
static void rec_child_after_close(void *arg)
{
	struct flock fl;
	int fd = open("rl", O_RDWR);

	(void)arg;
	CHILD_CHECK(get_lock(fd, 0, 0, &fl) == 0 && fl.l_type == F_UNLCK,
		    "no lock is left after the parent closed another fd of the file");
	_exit(child_fails);
}

/* rec_child_waits - in a child: F_SETLKW waits for the parent's lock, then holds it. */
static void rec_child_waits(void *arg)
{
	int fd = open("rl", O_RDWR);

	(void)arg;
	CHILD_CHECK(set_lock(fd, F_SETLKW, F_WRLCK, 0, 0) == 0, "F_SETLKW is granted");
	_exit(child_fails);
}

/* check_record_locks - F_SETLK/F_GETLK/F_SETLKW between two processes. */
static void check_record_locks(void)
{
	pid_t me = getpid(), pid;
	struct flock fl;
	int fd = open("rl", O_CREAT | O_RDWR | O_TRUNC, 0644), fd2, ro;

	if (!CHECK(fd >= 0, "create rl"))
		return;
	write(fd, "0123456789012345678901234567890123456789", 40);
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, 10, 20) == 0, "F_SETLK write lock on [10, 30)");
	CHECK(get_lock(fd, 0, 0, &fl) == 0 && fl.l_type == F_UNLCK,
	      "F_GETLK in the holder reports F_UNLCK (own locks never conflict)");
	CHECK_EXIT(run_child(rec_child_probe, &me), 0, "another process sees and respects it");

	CHECK(set_lock(fd, F_SETLK, F_UNLCK, 10, 5) == 0, "unlock [10, 15) of it");
	pid = must_fork();
	if (pid == 0) {
		int cfd = open("rl", O_RDWR);

		CHILD_CHECK(set_lock(cfd, F_SETLK, F_WRLCK, 10, 5) == 0, "[10, 15) is free now");
		CHILD_CHECK(set_lock(cfd, F_SETLK, F_WRLCK, 15, 1) < 0, "[15, 30) is still held");
		_exit(child_fails);
	}
	CHECK_EXIT(wait_pid(pid), 0, "a partial unlock splits the lock");

	fd2 = open("rl", O_RDONLY);
	close(fd2);
	CHECK_EXIT(run_child(rec_child_after_close, NULL), 0,
		   "closing any fd of the file drops the process's record locks");

	CHECK(set_lock(fd, F_SETLK, F_WRLCK, 0, 0) == 0, "lock the whole file again");
	pid = must_fork();
	if (pid == 0)
		rec_child_waits(NULL);
	CHECK(wait_asleep(pid) == 'S', "a child blocks in F_SETLKW");
	CHECK(set_lock(fd, F_SETLK, F_UNLCK, 0, 0) == 0, "parent unlocks");
	CHECK_EXIT(wait_pid(pid), 0, "the waiting child got the lock");
	CHECK(get_lock(fd, 0, 0, &fl) == 0 && fl.l_type == F_UNLCK, "its lock died with it");

	ro = open("rl", O_RDONLY);
	CHECK_ERR(set_lock(ro, F_SETLK, F_WRLCK, 0, 1), EBADF,
		  "a write lock on an O_RDONLY fd -> EBADF");
	CHECK(set_lock(ro, F_SETLK, F_RDLCK, 0, 1) == 0, "a read lock on it is fine");
	close(ro);
	CHECK_ERR(set_lock(fd, F_SETLK, 99, 0, 1), EINVAL, "lock type 99 -> EINVAL");
	CHECK_ERR(set_lock(fd, F_SETLK, F_WRLCK, -5, 1), EINVAL, "a negative start -> EINVAL");
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, 5, -5) == 0, "a negative length locks backwards");
	CHECK_ERR(fcntl(fd, F_SETLK, hide_ptr(1)), EFAULT, "F_SETLK with a bad pointer -> EFAULT");
	close(fd);
}

/* getlk_is - F_GETLK (whole file, for a lock of type) in fd reports type on [start, start+len). */
static int getlk_is(int fd, short type, short want, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};

	if (fcntl(fd, F_GETLK, &fl) < 0)
		return 0;
	if (want == F_UNLCK)
		return fl.l_type == F_UNLCK;
	return fl.l_type == want && fl.l_start == start && fl.l_len == len &&
	       fl.l_whence == SEEK_SET;
}

/* rec_child_shapes - in a child: the shapes of the parent's merged and split locks (arg: step). */
static void rec_child_shapes(void *arg)
{
	int step = *(int *)arg, fd = open("rl", O_RDWR);
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 10};

	if (step == 0)
		CHILD_CHECK(getlk_is(fd, F_RDLCK, F_WRLCK, 0, 20),
			    "two abutting write locks show as one, [0, 20)");
	if (step == 1) {
		CHILD_CHECK(getlk_is(fd, F_RDLCK, F_WRLCK, 0, 5),
			    "a read lock inside it leaves a write lock on [0, 5) first");
		CHILD_CHECK(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_RDLCK &&
				    fl.l_start == 5 && fl.l_len == 10,
			    "then the read lock on [5, 15)");
		CHILD_CHECK(set_lock(fd, F_SETLK, F_RDLCK, 5, 10) == 0,
			    "a read lock there coexists with it");
	}
	if (step == 2)
		CHILD_CHECK(getlk_is(fd, F_RDLCK, F_WRLCK, 25, 0),
			    "a lock from SEEK_CUR + 5 with l_len 0 runs from 25 to the end");
	_exit(child_fails);
}

/* check_record_shapes - merging, splitting, whence and l_len 0, seen from another process. */
static void check_record_shapes(void)
{
	int fd = open("rl", O_RDWR), step;
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 5, .l_len = 0};

	if (!CHECK(fd >= 0, "open rl"))
		return;
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, 0, 10) == 0 &&
		      set_lock(fd, F_SETLK, F_WRLCK, 10, 10) == 0,
	      "write locks on [0, 10) and [10, 20)");
	step = 0;
	CHECK_EXIT(run_child(rec_child_shapes, &step), 0, "they merge");
	CHECK(set_lock(fd, F_SETLK, F_RDLCK, 5, 10) == 0, "a read lock on [5, 15) over them");
	step = 1;
	CHECK_EXIT(run_child(rec_child_shapes, &step), 0, "it splits the write lock in two");
	CHECK(set_lock(fd, F_SETLK, F_UNLCK, 0, 0) == 0, "unlock everything");
	lseek(fd, 20, SEEK_SET);
	CHECK(fcntl(fd, F_SETLK, &fl) == 0, "a write lock from SEEK_CUR + 5, l_len 0");
	step = 2;
	CHECK_EXIT(run_child(rec_child_shapes, &step), 0, "it reaches the end and beyond");
	close(fd);
}

/* rec_child_deadlock - in a child: hold [1, 2), then wait for the parent's [0, 1). */
static void rec_child_deadlock(int ready)
{
	int fd = open("rl", O_RDWR);

	CHILD_CHECK(set_lock(fd, F_SETLK, F_WRLCK, 1, 1) == 0, "the child locks [1, 2)");
	close(ready);
	CHILD_CHECK(set_lock(fd, F_SETLKW, F_WRLCK, 0, 1) == 0,
		    "the child's F_SETLKW on [0, 1) is granted once the parent unlocks");
	_exit(child_fails);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* rec_child_intr - in a child: a blocked F_SETLKW (or flock, if arg) ends with EINTR. */
static void rec_child_intr(int use_flock)
{
	struct sigaction sa = {.sa_handler = on_usr1};	/* no SA_RESTART */
	int fd = open("rl", O_RDWR), r;

	sigaction(SIGUSR1, &sa, NULL);
	r = use_flock ? flock(fd, LOCK_EX) : set_lock(fd, F_SETLKW, F_WRLCK, 0, 1);
	CHILD_CHECK(r < 0 && errno == EINTR, "a signal ends the wait with EINTR");
	_exit(child_fails);
}

/* interrupt_child - signal child pid each time it is seen asleep, until it exits; its status. */
static int interrupt_child(pid_t pid)
{
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0)
			return -1;
		if (proc_state(pid) == 'S')
			kill(pid, SIGUSR1);
		sched_yield();
	}
}

/* check_record_waits - EDEADLK between two processes; signals interrupt F_SETLKW and flock. */
static void check_record_waits(void)
{
	int fd = open("rl", O_RDWR), p[2];
	char c;
	pid_t pid;

	if (!CHECK(fd >= 0, "open rl"))
		return;
	CHECK(set_lock(fd, F_SETLK, F_WRLCK, 0, 1) == 0, "the parent locks [0, 1)");
	xpipe(p);
	pid = must_fork();
	if (pid == 0) {
		close(p[0]);
		rec_child_deadlock(p[1]);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 0, "the child holds [1, 2)");
	close(p[0]);
	CHECK(wait_asleep(pid) == 'S', "the child waits for [0, 1)");
	CHECK_ERR(set_lock(fd, F_SETLKW, F_WRLCK, 1, 1), EDEADLK,
		  "waiting for the child's [1, 2) would deadlock -> EDEADLK");
	CHECK(set_lock(fd, F_SETLK, F_UNLCK, 0, 1) == 0, "the parent unlocks [0, 1)");
	CHECK_EXIT(wait_pid(pid), 0, "the child got it");

	CHECK(set_lock(fd, F_SETLK, F_WRLCK, 0, 1) == 0 && flock(fd, LOCK_EX) == 0,
	      "the parent holds a record lock and a flock");
	pid = must_fork();
	if (pid == 0)
		rec_child_intr(0);
	CHECK_EXIT(interrupt_child(pid), 0, "F_SETLKW is interrupted");
	pid = must_fork();
	if (pid == 0)
		rec_child_intr(1);
	CHECK_EXIT(interrupt_child(pid), 0, "flock is interrupted");
	close(fd);
}

/* check_ofd_locks - open-file-description locks: per open file, even in one process. */
static void check_ofd_locks(void)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	int a = open("rl", O_RDWR), b = open("rl", O_RDWR), c;

	if (!CHECK(a >= 0 && b >= 0, "open rl twice"))
		return;
	CHECK(fcntl(a, F_OFD_SETLK, &fl) == 0, "F_OFD_SETLK on the first open file");
	fl.l_start = 5;
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &fl), EAGAIN, "the second one conflicts, in one process");
	CHECK(fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == -1 &&
		      fl.l_start == 0 && fl.l_len == 10,
	      "F_OFD_GETLK reports it with l_pid -1");
	fl = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1};
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &fl), EINVAL, "F_OFD_SETLK with l_pid set -> EINVAL");
	c = dup(a);
	close(b);
	close(c);
	b = open("rl", O_RDWR);
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET};
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &fl), EAGAIN,
		  "closing other descriptors (even a dup) keeps the OFD lock");
	close(a);
	CHECK(fcntl(b, F_OFD_SETLK, &fl) == 0, "the last close of its open file drops it");
	close(b);
}

#define APPENDERS	4
#define APPENDS		300

/*
 * check_append_race - APPENDERS processes each write APPENDS fixed-size records: either each
 * opens the file O_APPEND anew for every record (@shared 0, as a shell's >> does), or all
 * write through the one open file they inherited (@shared 1, `xargs -P4 cmd > out`). Every
 * record is there, whole, none written over another.
 */
static void check_append_race(int shared)
{
	char rec[16], buf[16];
	int counts[APPENDERS] = {0}, bad = 0, fd, st;
	int out = open("ap", O_CREAT | O_TRUNC | O_WRONLY, 0644);

	for (int c = 0; c < APPENDERS; c++) {
		if (must_fork() == 0) {
			for (int i = 0; i < APPENDS; i++) {
				snprintf(rec, sizeof(rec), "%c %04d ......\n", 'A' + c, i);
				fd = shared ? out : open("ap", O_WRONLY | O_APPEND);
				CHILD_CHECK(fd >= 0 && write(fd, rec, 14) == 14, "write one record");
				if (!shared)
					close(fd);
			}
			_exit(child_fails);
		}
	}
	close(out);
	for (int c = 0; c < APPENDERS; c++)
		CHECK(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "appender %d", c);
	fd = open("ap", O_RDONLY);
	CHECK(lseek(fd, 0, SEEK_END) == APPENDERS * APPENDS * 14,
	      "the file holds every record (%ld bytes)", (long)lseek(fd, 0, SEEK_END));
	lseek(fd, 0, SEEK_SET);
	while (read(fd, buf, 14) == 14) {
		int who = buf[0] - 'A';
		if (who < 0 || who >= APPENDERS || buf[13] != '\n' || memcmp(buf + 6, " ......", 7))
			bad++;
		else
			counts[who]++;
	}
	close(fd);
	CHECK(!bad, "no record was cut or written over (%d bad)", bad);
	for (int c = 0; c < APPENDERS; c++)
		CHECK(counts[c] == APPENDS, "all %d of appender %d's records (%d)", APPENDS, c,
		      counts[c]);
	unlink("ap");
}

int main(void)
{
	const char *dir;

	t_init();
	dir = scratch_make("t_fs_lock");
	check_flock_basic();
	check_flock_fork();
	check_record_locks();
	check_record_shapes();
	check_record_waits();
	check_ofd_locks();
	check_append_race(0);
	check_append_race(1);
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
	return t_done("t_fs_lock");
}
