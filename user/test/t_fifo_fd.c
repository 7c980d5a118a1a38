/*
 * t_fifo_fd - named pipes and /proc/self/fd, as on Linux:
 *   - a FIFO made by mkfifo opens as a pipe: an open for reading waits for a writer and one
 *     for writing waits for a reader (checked across fork: the partner opens only once the
 *     opener sleeps), O_NONBLOCK readers open at once, O_NONBLOCK writers without a reader
 *     get ENXIO, O_RDWR never waits; end of file once the writers are gone, EPIPE and
 *     SIGPIPE once the readers are, and unread data is dropped with the last close;
 *   - /proc/self/fd lists exactly the open descriptors (on Holstein; under the oracle
 *     qemu's own are there too), a descriptor another thread opened among them, each a
 *     symlink whose target is the file's path (with " (deleted)" once unlinked), a
 *     directory's path, "/dev/null", "pipe:[ino]", "anon_inode:[eventfd]", "/memfd:NAME";
 *   - opening /proc/self/fd/N opens what N is open on, even unlinked or nameless:
 *     /dev/stdin on a pipe reads what was written, /dev/fd/N of a write end writes;
 *     an anonymous pipe's reopen never waits for a partner (unlike a FIFO's open).
 * Everything happens in a private scratch directory, removed at the end.
 */
#include "ulib.h"
#include "scratch.h"
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* link_of - readlink of /proc/self/fd/fd into buf (NUL-terminated); its length or -1. */
static long link_of(int fd, char *buf, size_t size)
{
	char path[64];
	long n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

/* read_all - read fd to end of file into buf (NUL-terminated); the bytes read or -1. */
static long read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	long n;

	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	return n < 0 ? -1 : (long)got;
}

/* check_fifo_nonblock - the opens that never wait, end of file, EPIPE, and dropped data. */
static void check_fifo_nonblock(void)
{
	struct pollfd pfd;
	struct stat st;
	char buf[16];
	int r, w;

	CHECK(mkfifo("f", 0600) == 0 && stat("f", &st) == 0 && S_ISFIFO(st.st_mode),
	      "mkfifo makes a FIFO");
	CHECK_ERR(open("f", O_WRONLY | O_NONBLOCK), ENXIO,
		  "O_WRONLY|O_NONBLOCK without a reader -> ENXIO");
	r = open("f", O_RDONLY | O_NONBLOCK);
	if (!CHECK(r >= 0, "O_RDONLY|O_NONBLOCK without a writer opens at once"))
		return;
	CHECK(read(r, buf, sizeof(buf)) == 0, "... and reads end of file (no writer)");
	pfd = (struct pollfd){.fd = r, .events = POLLIN};
	CHECK(poll(&pfd, 1, 0) == 0, "... and polls quiet: no writer has come yet, no POLLHUP");
	w = open("f", O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0, "O_WRONLY|O_NONBLOCK with a reader opens");
	CHECK(fstat(w, &st) == 0 && S_ISFIFO(st.st_mode), "fstat of the open FIFO: S_IFIFO");
	CHECK(write(w, "abc", 3) == 3 && read(r, buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3),
	      "bytes written come out of the read end");
	CHECK_ERR(read(r, buf, sizeof(buf)), EAGAIN, "empty with a writer, O_NONBLOCK -> EAGAIN");
	close(w);
	CHECK(read(r, buf, sizeof(buf)) == 0, "end of file once the writer is gone");
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP), "... and POLLHUP");
	w = open("f", O_WRONLY | O_NONBLOCK);
	close(r);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(w, "x", 1), EPIPE, "write once the readers are gone -> EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(w);

	r = open("f", O_RDWR);
	CHECK(r >= 0, "O_RDWR opens at once with nobody else");
	CHECK(write(r, "zz", 2) == 2 && read(r, buf, sizeof(buf)) == 2, "... reads what it wrote");
	CHECK(write(r, "left", 4) == 4, "data left in the FIFO");
	close(r);
	r = open("f", O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0 && read(r, buf, sizeof(buf)) == 0, "... is gone after the last close");
	close(r);
}

/* check_fifo_wait - each side's open waits for the other; a killed-by-SIGPIPE writer. */
static void check_fifo_wait(void)
{
	char buf[64];
	pid_t parent = getpid(), pid;
	int fd;

	pid = must_fork();
	if (pid == 0) {
		/* The reader's open must be asleep before a writer exists. */
		if (wait_asleep(parent) != 'S')
			_exit(2);
		fd = open("f", O_WRONLY);
		_exit(fd >= 0 && write(fd, "hello", 5) == 5 && close(fd) == 0 ? 0 : 1);
	}
	fd = open("f", O_RDONLY);
	CHECK(fd >= 0, "O_RDONLY waits for a writer, then opens");
	CHECK(read_all(fd, buf, sizeof(buf)) == 5 && !strcmp(buf, "hello"),
	      "... reads its bytes, then end of file");
	close(fd);
	CHECK_EXIT(wait_pid(pid), 0, "the writer child exits 0");

	pid = must_fork();
	if (pid == 0) {
		if (wait_asleep(parent) != 'S')
			_exit(2);
		fd = open("f", O_RDONLY);
		int ok = fd >= 0 && read_all(fd, buf, sizeof(buf)) == 4 && !strcmp(buf, "ping");
		_exit(ok ? 0 : 1);
	}
	fd = open("f", O_WRONLY);
	CHECK(fd >= 0, "O_WRONLY waits for a reader, then opens");
	CHECK(write(fd, "ping", 4) == 4, "... and writes");
	close(fd);
	CHECK_EXIT(wait_pid(pid), 0, "the reader child read it all");

	pid = must_fork();
	if (pid == 0) {
		int w;

		fd = open("f", O_RDONLY | O_NONBLOCK);
		w = open("f", O_WRONLY);
		close(fd);
		write(w, "x", 1);
		_exit(0);
	}
	CHECK_SIG(wait_pid(pid), SIGPIPE, "a writer whose readers are gone dies of SIGPIPE");
	CHECK(unlink("f") == 0, "unlink the FIFO");
}

/*
 * fd_listed - the descriptors /proc/self/fd lists, as a bitmap of the first 64 (-1 if it
 * cannot be read); *dfd gets the descriptor the listing itself used (it is listed too),
 * *bad_type whether some entry was no symlink.
 */
static long long fd_listed(int *dfd, int *bad_type)
{
	DIR *d = opendir("/proc/self/fd");
	long long seen = 0;
	struct dirent *e;

	*bad_type = 0;
	*dfd = -1;
	if (!d)
		return -1;
	*dfd = dirfd(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type != DT_LNK)
			*bad_type = 1;
		int n = atoi(e->d_name);
		if (n >= 0 && n < 64)
			seen |= 1LL << n;
	}
	closedir(d);
	return seen;
}

/* fd_open_set - the descriptors below 64 that are open now, as a bitmap. */
static long long fd_open_set(void)
{
	long long set = 0;

	for (int fd = 0; fd < 64; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			set |= 1LL << fd;
	return set;
}

/* thread_open - a thread's body: open /dev/null, handing the descriptor back through arg. */
static void *thread_open(void *arg)
{
	*(int *)arg = open("/dev/null", O_RDONLY);
	return NULL;
}

/* check_listing - /proc/self/fd: what it lists, a thread's descriptor included. */
static void check_listing(void)
{
	int bad = 0, tfd = -1, p[2], dfd;
	long long want, got, gone;
	pthread_t th;

	xpipe(p);
	if (CHECK(pthread_create(&th, NULL, thread_open, &tfd) == 0, "pthread_create"))
		pthread_join(th, NULL);
	want = fd_open_set();
	got = fd_listed(&dfd, &bad);
	if (dfd >= 0 && dfd < 64)
		want |= 1LL << dfd;
	CHECK(got >= 0 && !bad, "/proc/self/fd lists symlinks");
	CHECK(tfd >= 0 && got >= 0 && (got >> tfd & 1), "it shows the fd another thread opened");
	/* Under qemu-user the host lists qemu's own descriptors too. */
	if (on_holstein())
		CHECK(got == want, "it lists exactly the open descriptors (%llx, want %llx)", got,
		      want);
	else
		CHECK(got >= 0 && (got & want) == want, "it lists every open descriptor");
	close(tfd);
	close(p[0]);
	close(p[1]);
	gone = (1LL << tfd | 1LL << p[0] | 1LL << p[1]);
	got = fd_listed(&dfd, &bad);
	if (dfd >= 0 && dfd < 64)
		gone &= ~(1LL << dfd); /* the listing's own descriptor took a freed number */
	CHECK(got >= 0 && !(got & gone), "closed ones are gone from it");
}

/* check_links - the targets: a path, deleted, a directory, a pipe, an eventfd; ENOENT. */
static void check_links(const char *dir)
{
	char buf[512], want[512], c;
	struct stat st, st2;
	int fd, fd2, d, p[2], e;

	fd = open("a", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!CHECK(fd >= 0, "create a file"))
		return;
	write(fd, "data", 4);
	snprintf(want, sizeof(want), "%s/a", dir);
	CHECK(link_of(fd, buf, sizeof(buf)) > 0 && !strcmp(buf, want),
	      "a file's link is its absolute path (%s)", buf);
	unlink("a");
	snprintf(want, sizeof(want), "%s/a (deleted)", dir);
	CHECK(link_of(fd, buf, sizeof(buf)) > 0 && !strcmp(buf, want), "unlinked: \"%s\" (%s)",
	      want, buf);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	fd2 = open(buf, O_RDONLY);
	CHECK(fd2 >= 0 && read(fd2, &c, 1) == 1 && c == 'd',
	      "opening the link of an unlinked file opens that file, at offset 0");
	CHECK(fd2 >= 0 && fstat(fd, &st) == 0 && fstat(fd2, &st2) == 0 && st.st_ino == st2.st_ino,
	      "... the same inode");
	CHECK(stat(buf, &st2) == 0 && st2.st_ino == st.st_ino && S_ISREG(st2.st_mode),
	      "stat through the link is the file's");
	CHECK(lstat(buf, &st2) == 0 && S_ISLNK(st2.st_mode), "lstat: a symlink");
	close(fd2);
	close(fd);

	d = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	snprintf(buf, sizeof(buf), "%d", d);
	CHECK(d >= 0 && fstatat(d, buf, &st2, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st2.st_mode),
	      "fstatat relative to an open /proc/self/fd (ls -l): a symlink");
	close(d);
	d = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(d >= 0 && link_of(d, buf, sizeof(buf)) > 0 && !strcmp(buf, dir),
	      "a directory's link is its path (%s)", buf);
	close(d);

	xpipe(p);
	fstat(p[0], &st);
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK(link_of(p[0], buf, sizeof(buf)) > 0 && !strcmp(buf, want) &&
		  link_of(p[1], buf, sizeof(buf)) > 0 && !strcmp(buf, want),
	      "both ends of a pipe: %s (%s)", want, buf);
	close(p[0]);
	close(p[1]);
	d = open("/dev/null", O_WRONLY);
	CHECK(d >= 0 && link_of(d, buf, sizeof(buf)) > 0 && !strcmp(buf, "/dev/null"),
	      "a device: /dev/null (%s)", buf);
	close(d);
	e = eventfd(0, 0);
	CHECK(e >= 0 && link_of(e, buf, sizeof(buf)) > 0 && !strcmp(buf, "anon_inode:[eventfd]"),
	      "an eventfd: anon_inode:[eventfd] (%s)", buf);
	close(e);
	CHECK_ERR(link_of(closed_fd(), buf, sizeof(buf)), ENOENT,
		  "the link of a closed descriptor -> ENOENT");
}

/* check_reopen - /dev/stdin and /dev/fd/N on pipes, and a memfd reopened by its link. */
static void check_reopen(void)
{
	char buf[64], path[64];
	int p[2], saved, fd;

	xpipe(p);
	saved = dup(0);
	dup2(p[0], 0);
	CHECK(write(p[1], "to stdin\n", 9) == 9, "write into a pipe that is stdin");
	fd = open("/dev/stdin", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 9 && !memcmp(buf, "to stdin\n", 9),
	      "open(\"/dev/stdin\") reads what was written");
	close(fd);
	dup2(saved, 0);
	close(saved);

	snprintf(path, sizeof(path), "/dev/fd/%d", p[1]);
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && write(fd, "via fd", 6) == 6, "open(\"%s\") gives another write end", path);
	close(fd);
	close(p[1]);
	CHECK(read_all(p[0], buf, sizeof(buf)) == 6 && !strcmp(buf, "via fd"),
	      "... the read end sees it, then end of file once both write ends closed");
	close(p[0]);

	/* `echo x | cat /dev/stdin` and `diff <(a) <(b)`: the writer is gone before the open. */
	xpipe(p);
	CHECK(write(p[1], "gone", 4) == 4, "write into a pipe");
	close(p[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read_all(fd, buf, sizeof(buf)) == 4 && !strcmp(buf, "gone"),
	      "a read end whose writers all closed reopens at once, data then end of file");
	close(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	fd = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(fd >= 0, "... and opens for writing with O_NONBLOCK, no ENXIO (not a FIFO)");
	close(fd);
	close(p[0]);

	int m = memfd_create("reopen", 0);
	if (!CHECK(m >= 0, "memfd_create"))
		return;
	write(m, "mem", 3);
	CHECK(link_of(m, buf, sizeof(buf)) > 0 && !strcmp(buf, "/memfd:reopen (deleted)"),
	      "a memfd's link: /memfd:reopen (deleted) (%s)", buf);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0 && pread(fd, buf, 3, 0) == 3 && !memcmp(buf, "mem", 3),
	      "a memfd opens again through its link");
	CHECK(fd >= 0 && write(fd, "!", 1) == 1 && pread(m, buf, 3, 0) == 3 && buf[0] == '!',
	      "... the same file: a write through one shows through the other");
	close(fd);
	close(m);
}

/* main - run the checks inside a scratch directory, removed at the end. */
int main(void)
{
	t_init();
	const char *dir = scratch_make("t_fifo_fd");
	char path[256];

	snprintf(path, sizeof(path), "%s", dir);
	check_fifo_nonblock();
	check_fifo_wait();
	check_listing();
	check_links(path);
	check_reopen();
	CHECK(scratch_remove(path) == 0, "remove the scratch directory");
	return t_done("t_fifo_fd");
}
