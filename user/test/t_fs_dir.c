/*
 * t_fs_dir - directories on a writable file system, as Linux behaves: mkdirat, rmdir and
 * unlinkat with their refusals, st_nlink of directories and hard links, linkat, renameat
 * and renameat2 (atomic replace, RENAME_NOREPLACE, the directory cases, a directory into
 * itself), rename racing between processes, fchdir/getcwd (also of a removed directory),
 * fchmodat/fchownat, and getdents64 both alone and while another process creates and
 * unlinks names in the same directory.
 *
 * Runs in a fresh scratch directory under /tmp (user/lib/scratch.h), removed at the end.
 * Symlinks and path syntax are in t_fs_path.
 */
#include "ulib.h"
#include "scratch.h"
#include <sys/mman.h>

/*
 * A page shared with the children: race_go starts the rename race in all of them at once,
 * churn_stop and churn_rounds steer the getdents64 churner.
 */
static volatile struct {
	long race_go, churn_stop, churn_rounds;
} *shared;

/* The test's own pid: children that spin on shared give up once it is gone. */
static pid_t parent;

/* parent_alive - in a child: whether the test process is still our parent. */
static int parent_alive(void)
{
	return getppid() == parent;
}

/* touch - create name (empty) if missing; 0 or -1. */
static int touch(const char *name)
{
	int fd = open(name, O_CREAT | O_WRONLY, 0644);

	return fd < 0 ? -1 : close(fd);
}

/* put - create or truncate name with the string s as its content; 0 or -1. */
static int put(const char *name, const char *s)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	long n = fd >= 0 ? write(fd, s, strlen(s)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (long)strlen(s) ? 0 : -1;
}

/* holds - whether name's content is exactly the string s. */
static int holds(const char *name, const char *s)
{
	char buf[256];
	int fd = open(name, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (long)strlen(s) && !memcmp(buf, s, n);
}

/* nlink - st_nlink of path (not following a final symlink), or -1. */
static long nlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (long)st.st_nlink : -1;
}

/* ino - st_ino of path (not following a final symlink), or 0. */
static ino_t ino(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

/* exists - whether path names anything (even a dangling symlink). */
static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* check_mkdir_rmdir - mkdirat, rmdir, unlinkat and directory link counts. */
static void check_mkdir_rmdir(void)
{
	long before = nlink(".");
	struct stat st;

	CHECK(mkdirat(AT_FDCWD, "d", 0750) == 0 && stat("d", &st) == 0 && S_ISDIR(st.st_mode) &&
		      (st.st_mode & 07777) == 0750,
	      "mkdirat makes a directory with mode 0750 (%o)", st.st_mode & 07777);
	CHECK(nlink("d") == 2, "an empty directory has 2 links (%ld)", nlink("d"));
	CHECK(nlink(".") == before + 1, "and adds one to its parent's");
	CHECK_ERR(mkdirat(AT_FDCWD, "d", 0755), EEXIST, "mkdirat of an existing name -> EEXIST");
	touch("file");
	CHECK_ERR(mkdir("file", 0755), EEXIST, "mkdir over a file -> EEXIST");
	CHECK_ERR(mkdir("nodir/d", 0755), ENOENT, "mkdir in a missing directory -> ENOENT");
	CHECK_ERR(mkdir("file/d", 0755), ENOTDIR, "mkdir under a file -> ENOTDIR");
	CHECK(mkdir("d/a", 0755) == 0 && mkdir("d/b", 0755) == 0 && nlink("d") == 4,
	      "each subdirectory adds a link to its parent (%ld)", nlink("d"));
	CHECK(touch("d/f") == 0 && nlink("d") == 4, "a file does not");
	CHECK(nlink(".") == before + 1, "the grandparent's count is unchanged");
	CHECK_ERR(rmdir("d"), ENOTEMPTY, "rmdir of a non-empty directory -> ENOTEMPTY");
	CHECK_ERR(rmdir("d/f"), ENOTDIR, "rmdir of a file -> ENOTDIR");
	CHECK_ERR(rmdir("d/."), EINVAL, "rmdir of \"d/.\" -> EINVAL");
	CHECK_ERR(rmdir("."), EINVAL, "rmdir of \".\" -> EINVAL");
	CHECK_ERR(rmdir("d/a/.."), ENOTEMPTY, "rmdir of \"d/a/..\" -> ENOTEMPTY");
	CHECK_ERR(rmdir("d/missing"), ENOENT, "rmdir of a missing name -> ENOENT");
	CHECK(rmdir("d/a") == 0 && nlink("d") == 3 && !exists("d/a"),
	      "rmdir of an empty subdirectory drops the parent's count to 3");
	CHECK_ERR(unlink("d/b"), EISDIR, "unlink of a directory -> EISDIR");
	CHECK_ERR(unlinkat(AT_FDCWD, "d/f", AT_REMOVEDIR), ENOTDIR,
		  "unlinkat(AT_REMOVEDIR) of a file -> ENOTDIR");
	CHECK_ERR(unlinkat(AT_FDCWD, "d/f", 0x1), EINVAL, "unlinkat with a bad flag -> EINVAL");
	CHECK_ERR(unlink("d/missing"), ENOENT, "unlink of a missing name -> ENOENT");
	CHECK(unlinkat(AT_FDCWD, "d/b", AT_REMOVEDIR) == 0 && unlink("d/f") == 0 && rmdir("d") == 0,
	      "unlinkat(AT_REMOVEDIR), unlink and rmdir empty the tree");
	CHECK(!exists("d") && nlink(".") == before, "d is gone, and the link it gave");
	CHECK(mkdir("d", 0755) == 0 && nlink("d") == 2, "its name can be reused");
	rmdir("d");
}

/* check_link - hard links share an inode and count in st_nlink; the refusals. */
static void check_link(void)
{
	put("l1", "linked");
	CHECK(linkat(AT_FDCWD, "l1", AT_FDCWD, "l2", 0) == 0, "linkat l1 -> l2");
	CHECK(ino("l1") == ino("l2") && nlink("l1") == 2 && nlink("l2") == 2,
	      "both names: one inode, 2 links");
	CHECK(put("l2", "LINKED") == 0 && holds("l1", "LINKED"),
	      "a write through one shows in the other");
	CHECK(unlink("l1") == 0 && nlink("l2") == 1 && holds("l2", "LINKED"),
	      "unlinking one leaves the other with 1 link and the data");
	CHECK_ERR(link("l2", "l2"), EEXIST, "link to an existing name -> EEXIST");
	mkdir("ld", 0755);
	CHECK_ERR(link("ld", "ld2"), EPERM, "link of a directory -> EPERM");
	CHECK_ERR(link("missing", "x"), ENOENT, "link of a missing file -> ENOENT");
	CHECK_ERR(link("l2", "nodir/x"), ENOENT, "link into a missing directory -> ENOENT");
	symlink("l2", "sl");
	CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "sl_nofollow", 0) == 0 &&
		      ino("sl_nofollow") == ino("sl"),
	      "linkat without AT_SYMLINK_FOLLOW links the symlink itself");
	CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "sl_follow", AT_SYMLINK_FOLLOW) == 0 &&
		      ino("sl_follow") == ino("l2") && nlink("l2") == 2,
	      "with AT_SYMLINK_FOLLOW it links the target");
	CHECK_ERR(linkat(AT_FDCWD, "l2", AT_FDCWD, "x", 0x1), EINVAL, "linkat with a bad flag");
}

/* check_rename - renameat/renameat2 on files and directories. */
static void check_rename(void)
{
	char buf[8] = {0};
	ino_t a_ino;
	int fd;

	put("ra", "A");
	put("rb", "B");
	a_ino = ino("ra");
	fd = open("rb", O_RDONLY);
	CHECK(renameat(AT_FDCWD, "ra", AT_FDCWD, "rb") == 0, "renameat ra over rb");
	CHECK(!exists("ra") && holds("rb", "A") && ino("rb") == a_ino,
	      "rb is now ra's inode; ra is gone");
	CHECK(read(fd, buf, 8) == 1 && buf[0] == 'B', "an fd on the replaced file still reads it");
	close(fd);
	put("ra", "A2");
	CHECK_ERR(renameat2(AT_FDCWD, "ra", AT_FDCWD, "rb", RENAME_NOREPLACE), EEXIST,
		  "RENAME_NOREPLACE over an existing name -> EEXIST");
	CHECK(holds("ra", "A2") && holds("rb", "A"), "and nothing moved");
	CHECK(renameat2(AT_FDCWD, "ra", AT_FDCWD, "rc", RENAME_NOREPLACE) == 0 && !exists("ra") &&
		      holds("rc", "A2"),
	      "RENAME_NOREPLACE to a free name");
	CHECK_ERR(renameat2(AT_FDCWD, "rc", AT_FDCWD, "rd", 0x80), EINVAL, "renameat2 bad flag");
	CHECK(rename("rc", "rc") == 0 && holds("rc", "A2"), "rename to itself is a no-op");
	link("rc", "rc_link");
	CHECK(rename("rc", "rc_link") == 0 && exists("rc") && exists("rc_link"),
	      "rename between two links of one inode is a no-op, both names stay");
	CHECK_ERR(rename("missing", "x"), ENOENT, "rename of a missing name -> ENOENT");
	CHECK_ERR(rename("rc", "nodir/x"), ENOENT, "rename into a missing directory -> ENOENT");

	mkdir("da", 0755);
	touch("da/inside");
	mkdir("db", 0755);
	CHECK(rename("da", "db") == 0 && !exists("da") && exists("db/inside"),
	      "a directory over an empty directory");
	mkdir("dc", 0755);
	CHECK_ERR(rename("dc", "db"), ENOTEMPTY, "a directory over a non-empty one -> ENOTEMPTY");
	CHECK_ERR(rename("rc", "dc"), EISDIR, "a file over a directory -> EISDIR");
	CHECK_ERR(rename("dc", "rc"), ENOTDIR, "a directory over a file -> ENOTDIR");
	mkdir("db/sub", 0755);
	CHECK_ERR(rename("db", "db/sub/x"), EINVAL,
		  "a directory into its own subdirectory -> EINVAL");
	CHECK_ERR(rename("db", "db/x"), EINVAL, "a directory into itself -> EINVAL");
	CHECK_ERR(rename(".", "x"), EBUSY, "rename of \".\" -> EBUSY");
	CHECK_ERR(rename("dc", ".."), EBUSY, "rename over \"..\" -> EBUSY");
	CHECK(nlink("db") == 3 && nlink("dc") == 2, "link counts before moving a directory");
	CHECK(rename("db/sub", "dc/sub") == 0 && nlink("db") == 2 && nlink("dc") == 3,
	      "moving a directory moves its \"..\" link to the new parent");
	CHECK(ino("dc/sub/..") == ino("dc"), "and its \"..\" names the new parent");
	CHECK(rename("rc", "db/moved") == 0 && holds("db/moved", "A2"),
	      "a file moves between directories");
}

/* race_renamer - in a child: rename from -> to, n times; only ENOENT may fail. */
static void race_renamer(const char *from, const char *to, int n)
{
	int bad = 0;

	while (!shared->race_go && parent_alive())
		sched_yield();
	for (int i = 0; i < n; i++)
		if (rename(from, to) < 0 && errno != ENOENT && !bad++)
			printf("FAIL: child: rename %s -> %s: %s\n", from, to, strerror(errno));
	_exit(bad != 0);
}

/* check_rename_race - two processes rename a<->b while a third reads; one survives intact. */
static void check_rename_race(void)
{
	pid_t pids[3];
	int st;

	put("race_a", "payload");
	pids[0] = must_fork();
	if (pids[0] == 0)
		race_renamer("race_a", "race_b", 2000);
	pids[1] = must_fork();
	if (pids[1] == 0)
		race_renamer("race_b", "race_a", 2000);
	pids[2] = must_fork();
	if (pids[2] == 0) {
		int bad = 0;

		while (!shared->race_go && parent_alive())
			sched_yield();
		for (int i = 0; i < 2000; i++) {
			int fd = open(i & 1 ? "race_a" : "race_b", O_RDONLY);
			char buf[16];

			if (fd < 0 && errno != ENOENT)
				bad++;
			if (fd >= 0 &&
			    (read(fd, buf, sizeof(buf)) != 7 || memcmp(buf, "payload", 7)))
				bad++;
			if (fd >= 0)
				close(fd);
		}
		if (bad)
			printf("FAIL: child: %d bad opens or reads during the race\n", bad);
		_exit(bad != 0);
	}
	shared->race_go = 1;
	for (int i = 0; i < 3; i++) {
		st = wait_pid(pids[i]);
		CHECK_EXIT(st, 0, "racing child %d", i);
	}
	CHECK(exists("race_a") + exists("race_b") == 1, "exactly one of the two names survives");
	CHECK(holds(exists("race_a") ? "race_a" : "race_b", "payload"), "with the data intact");
}

/* check_cwd - fchdir, getcwd, chdir's refusals, a removed working directory. */
static void check_cwd(const char *top)
{
	char buf[512], want[512];
	int dfd, ffd;

	mkdir("cw", 0755);
	dfd = open("cw", O_RDONLY | O_DIRECTORY);
	CHECK(fchdir(dfd) == 0 && getcwd(buf, sizeof(buf)) &&
		      snprintf(want, sizeof(want), "%s/cw", top) > 0 && !strcmp(buf, want),
	      "fchdir, then getcwd is %s/cw", top);
	CHECK(syscall(SYS_getcwd, buf, sizeof(buf)) == (long)strlen(want) + 1,
	      "the getcwd syscall returns the length with the NUL");
	CHECK_ERR(syscall(SYS_getcwd, buf, 3), ERANGE, "getcwd into 3 bytes -> ERANGE");
	CHECK(touch("here") == 0 && chdir("..") == 0 && exists("cw/here"),
	      "relative names resolve in the new working directory");
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, top), "chdir(\"..\") goes back");
	ffd = open("cw/here", O_RDONLY);
	CHECK_ERR(fchdir(ffd), ENOTDIR, "fchdir to a file -> ENOTDIR");
	CHECK_ERR(chdir("cw/here"), ENOTDIR, "chdir into a file -> ENOTDIR");
	CHECK_ERR(chdir("missing"), ENOENT, "chdir to a missing name -> ENOENT");
	CHECK_ERR(fchdir(FAR_FD), EBADF, "fchdir to a bad fd -> EBADF");
	close(ffd);
	close(dfd);

	mkdir("gone", 0755);
	CHECK(chdir("gone") == 0 && rmdir("../gone") == 0, "rmdir of the working directory");
	CHECK_ERR(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT,
		  "getcwd in a removed directory -> ENOENT");
	CHECK_ERR(open("new", O_CREAT | O_WRONLY, 0644), ENOENT,
		  "creating a file in it -> ENOENT");
	CHECK(chdir(top) == 0, "chdir back to the scratch directory");
}

/* check_modes - fchmodat/fchownat store modes and owners that stat shows. */
static void check_modes(void)
{
	struct stat st, lst;
	int fd;

	touch("m");
	symlink("m", "ml");
	CHECK(fchmodat(AT_FDCWD, "m", 0640, 0) == 0 && stat("m", &st) == 0 &&
		      (st.st_mode & 07777) == 0640,
	      "fchmodat stores 0640");
	CHECK(chmod("ml", 04711) == 0 && stat("m", &st) == 0 && (st.st_mode & 07777) == 04711 &&
		      lstat("ml", &lst) == 0 && (lst.st_mode & 07777) == 0777,
	      "chmod through a symlink sets the target's mode (set-uid too), not the link's");
	fd = open("m", O_RDONLY);
	CHECK(fchmod(fd, 0600) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0600,
	      "fchmod on an fd open for reading");
	CHECK(S_ISREG(st.st_mode), "the file type survives chmod");
	close(fd);
	CHECK_ERR(chmod("missing", 0600), ENOENT, "chmod of a missing name -> ENOENT");
	CHECK(chown("m", geteuid(), getegid()) == 0, "chown to oneself is allowed");
	if (geteuid() != 0) {
		CHECK_ERR(chown("m", geteuid() + 1, -1), EPERM, "chown to another uid -> EPERM");
		t_skip("chown to uid 1234 (not root)");
		return;
	}
	chmod("m", 06755);
	CHECK(fchownat(AT_FDCWD, "m", 1234, 5678, 0) == 0 && stat("m", &st) == 0 &&
		      st.st_uid == 1234 && st.st_gid == 5678,
	      "fchownat to 1234:5678 as root");
	CHECK((st.st_mode & 07777) == 0755, "chown cleared set-uid and set-gid (%o)",
	      st.st_mode & 07777);
	CHECK(chown("m", -1, 42) == 0 && stat("m", &st) == 0 && st.st_uid == 1234 &&
		      st.st_gid == 42,
	      "uid -1 leaves the owner");
	CHECK(fchownat(AT_FDCWD, "ml", 77, 88, AT_SYMLINK_NOFOLLOW) == 0 &&
		  lstat("ml", &lst) == 0 && lst.st_uid == 77 && lst.st_gid == 88 &&
		  stat("m", &st) == 0 && st.st_uid == 1234,
	      "AT_SYMLINK_NOFOLLOW changes the link's owner, not the target's");
	mkdir("md", 0755);
	CHECK(chown("md", 1234, 1234) == 0 && chmod("md", 02755) == 0 && stat("md", &st) == 0 &&
		      st.st_uid == 1234 && (st.st_mode & 07777) == 02755,
	      "a directory's owner and set-gid bit");
	CHECK(mkdir("md/sub", 0755) == 0 && stat("md/sub", &st) == 0 && st.st_gid == 1234 &&
		      (st.st_mode & S_ISGID),
	      "a subdirectory of a set-gid directory inherits its group and the bit");
}

/* Names a getdents64 scan saw: counts for the stable s000..s099, and anything unexpected. */
#define NSTABLE 100
struct scan {
	int stable[NSTABLE];
	int dots, others, bad_type, bad_ino;
};

/*
 * scan_dir - list the directory open as dfd from its start with getdents64, through a
 * small buffer (many calls, so other processes' changes fall between them). Transient
 * names (c...) are allowed, anything else is counted in others. Returns 0, or -1 on error.
 */
static int scan_dir(int dfd, struct scan *s)
{
	char buf[512];
	long n;

	memset(s, 0, sizeof(*s));
	if (lseek(dfd, 0, SEEK_SET) != 0)
		return -1;
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			int i;

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
				s->dots++;
				s->bad_type += d->d_type != DT_DIR;
			} else if (d->d_name[0] == 's' && sscanf(d->d_name + 1, "%d", &i) == 1 &&
				   i >= 0 && i < NSTABLE) {
				s->stable[i]++;
				s->bad_type += d->d_type != DT_REG;
				s->bad_ino += d->d_ino == 0;
			} else if (d->d_name[0] != 'c') {
				s->others++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

/* scan_exact - whether a scan saw ".", ".." and each stable name exactly once. */
static int scan_exact(const struct scan *s)
{
	for (int i = 0; i < NSTABLE; i++)
		if (s->stable[i] != 1)
			return 0;
	return s->dots == 2 && !s->others;
}

/* check_getdents - exact listing, types, inode numbers, rewind, and a concurrent scan. */
static void check_getdents(void)
{
	struct scan s;
	char name[16], buf[16];
	int dfd, ok = 1, ffd;
	pid_t pid;

	mkdir("gd", 0755);
	for (int i = 0; i < NSTABLE; i++) {
		snprintf(name, sizeof(name), "gd/s%03d", i);
		touch(name);
	}
	dfd = open("gd", O_RDONLY | O_DIRECTORY);
	if (!CHECK(dfd >= 0, "open gd"))
		return;
	CHECK(scan_dir(dfd, &s) == 0 && scan_exact(&s), "getdents64 lists exactly the 100 names");
	CHECK(!s.bad_type && !s.bad_ino, "with d_type DT_REG/DT_DIR and a d_ino");
	CHECK(scan_dir(dfd, &s) == 0 && scan_exact(&s), "lseek to 0 rewinds: the same list again");
	CHECK(syscall(SYS_getdents64, dfd, buf, sizeof(buf)) == 0, "at the end getdents64 gives 0");
	lseek(dfd, 0, SEEK_SET);
	CHECK_ERR(syscall(SYS_getdents64, dfd, buf, sizeof(buf)), EINVAL,
		  "a buffer too small for one entry -> EINVAL");
	ffd = open("gd/s000", O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, ffd, buf, sizeof(buf)), ENOTDIR,
		  "getdents64 on a file -> ENOTDIR");
	close(ffd);
	CHECK_ERR(syscall(SYS_getdents64, dfd, hide_ptr(1), 4096), EFAULT,
		  "getdents64 into a bad buffer -> EFAULT");

	pid = must_fork();
	if (pid == 0) {
		/* Churn transient names until told to stop; count rounds for the parent. */
		while (!shared->churn_stop && parent_alive()) {
			for (int i = 0; i < 40; i++) {
				snprintf(name, sizeof(name), "gd/c%03d", i);
				touch(name);
			}
			for (int i = 0; i < 40; i += 2) {
				snprintf(name, sizeof(name), "gd/c%03d", i);
				unlink(name);
			}
			for (int i = 1; i < 40; i += 2) {
				snprintf(name, sizeof(name), "gd/c%03d", i);
				unlink(name);
			}
			shared->churn_rounds++;
		}
		_exit(0);
	}
	while (shared->churn_rounds < 1) {
		char st = proc_state(pid);

		if (st == 'Z' || st == 'X' || st == '?')
			break; /* it died at once: the checks below report it */
		sched_yield();
	}
	/*
	 * At least 30 scans, and on until the child has churned 20 more rounds, so the two
	 * surely overlap however the processes are scheduled (bounded, in case it dies).
	 */
	long start = shared->churn_rounds;
	int round;

	for (round = 0; ok && round < 5000 && (round < 30 || shared->churn_rounds < start + 20);
	     round++) {
		ok = scan_dir(dfd, &s) == 0 && scan_exact(&s);
		if (!ok)
			printf("scan %d: dots %d others %d\n", round, s.dots, s.others);
	}
	shared->churn_stop = 1;
	CHECK(ok, "%d scans during creates and unlinks each see every stable name exactly once",
	      round);
	CHECK_EXIT(wait_pid(pid), 0, "the churning child (%ld rounds during the scans)",
		   shared->churn_rounds - start);
	close(dfd);
}

int main(void)
{
	const char *dir;

	t_init();
	parent = getpid();
	shared = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		die("FAIL: mmap of a shared page: %s", strerror(errno));
	dir = scratch_make("t_fs_dir");
	check_mkdir_rmdir();
	check_link();
	check_rename();
	check_rename_race();
	check_cwd(dir);
	check_modes();
	check_getdents();
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
	return t_done("t_fs_dir");
}
