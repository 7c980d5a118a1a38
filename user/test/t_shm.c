/*
 * t_shm - the three kinds of shared memory, as on Linux:
 *   - SysV shmget/shmat/shmdt/shmctl: IPC_STAT's shm_segsz and shm_nattch (which counts
 *     every attach, a forked child's too), IPC_RMID keeping a segment until its last
 *     detach while its key is free at once, SHM_RDONLY, and the errors of shmget;
 *   - POSIX shm_open: a file in /dev/shm, shared between parent and child, gone after
 *     shm_unlink (ENOENT without O_CREAT) while mappings live on;
 *   - memfd_create: a nameless file (/proc/self/fd shows "/memfd:<name>") that reads,
 *     writes, truncates and maps shared; with MFD_ALLOW_SEALING, seals (Holstein may
 *     refuse that flag with EINVAL: sealing is optional there).
 * Every segment, name and fd made here is removed at the end.
 */
#include "ulib.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#define PG PAGE_SIZE

/* store_to - child body: store one byte at arg. */
static void store_to(void *arg)
{
	*(volatile char *)arg = 1;
}

/* nattch - the segment's attach count from IPC_STAT, or -1 if IPC_STAT fails. */
static long nattch(int id)
{
	struct shmid_ds ds;

	return shmctl(id, IPC_STAT, &ds) == 0 ? (long)ds.shm_nattch : -1;
}

/*
 * fresh_key - a key no segment has yet, found by creating and removing one. Keys are
 * shared by the whole machine (under the oracle, the host), so a fixed one could clash.
 * Returns -1 (after a FAIL line) if shmget fails other than with EEXIST.
 */
static key_t fresh_key(void)
{
	key_t key = (key_t)(0x74530000 | (getpid() & 0xffff));
	int id;

	for (int i = 0; i < 1000; i++, key += 0x10000) {
		id = shmget(key, PG, IPC_CREAT | IPC_EXCL | 0600);
		if (id >= 0) {
			shmctl(id, IPC_RMID, NULL);
			return key;
		}
		if (errno != EEXIST)
			break;
	}
	CHECK(0, "shmget(key, IPC_CREAT|IPC_EXCL) finds an unused key");
	return -1;
}

/*
 * check_sysv_errors - shmget's errors on key (unused on entry), and IPC_RMID of a keyed
 * segment: the key is free at once, the segment lives until its last detach.
 */
static void check_sysv_errors(key_t key)
{
	int id, id2;
	void *a, *plain;

	CHECK_ERR(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL, "shmget of size 0 -> EINVAL");
	CHECK_ERR(shmget(key, PG, 0600), ENOENT,
		  "shmget of an unused key without IPC_CREAT -> ENOENT");
	id = shmget(key, 2 * PG, IPC_CREAT | IPC_EXCL | 0600);
	if (!CHECK(id >= 0, "shmget(key, IPC_CREAT|IPC_EXCL) creates a segment"))
		return;
	CHECK_ERR(shmget(key, PG, IPC_CREAT | IPC_EXCL | 0600), EEXIST,
		  "again with IPC_CREAT|IPC_EXCL -> EEXIST");
	id2 = shmget(key, PG, 0);
	CHECK(id2 == id, "shmget(key) of a smaller size finds the same segment");
	id2 = shmget(key, 2 * PG, IPC_CREAT | 0600);
	CHECK(id2 == id, "shmget(key, IPC_CREAT) finds the same segment");
	CHECK_ERR(shmget(key, 3 * PG, 0), EINVAL, "shmget(key) of a larger size -> EINVAL");
	CHECK_ERR(shmctl(-1, IPC_STAT, &(struct shmid_ds){0}), EINVAL, "shmctl of id -1 -> EINVAL");
	CHECK_ERR(shmat(-1, NULL, 0), EINVAL, "shmat of id -1 -> EINVAL");

	plain = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (CHECK(plain != MAP_FAILED, "mmap a plain region")) {
		CHECK_ERR(shmdt(plain), EINVAL, "shmdt of an address that is no segment -> EINVAL");
		CHECK_ERR(shmat(id, (char *)plain + 1, 0), EINVAL,
			  "shmat at an unaligned address without SHM_RND -> EINVAL");
		munmap(plain, 4 * PG);
	}
	a = shmat(id, NULL, 0);
	if (CHECK(a != (void *)-1, "shmat the keyed segment")) {
		((volatile char *)a)[0] = 42;
		CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID it while attached");
		CHECK_ERR(shmget(key, PG, 0), ENOENT,
			  "its key is free at once: shmget(key) -> ENOENT");
		id2 = shmget(key, PG, IPC_CREAT | IPC_EXCL | 0600);
		CHECK(id2 >= 0 && id2 != id, "shmget(key, IPC_CREAT|IPC_EXCL) makes a new segment");
		if (id2 >= 0) {
			char *b = shmat(id2, NULL, 0);

			CHECK(b != (void *)-1 && b[0] == 0 && ((volatile char *)a)[0] == 42,
			      "the new segment is zeroed, the removed one still holds its data");
			if (b != (void *)-1)
				shmdt(b);
			shmctl(id2, IPC_RMID, NULL);
		}
		CHECK(shmdt(a) == 0, "shmdt the removed segment");
		CHECK_ERR(shmctl(id, IPC_STAT, &(struct shmid_ds){0}), EINVAL,
			  "after its last detach it is gone: IPC_STAT -> EINVAL");
	} else {
		shmctl(id, IPC_RMID, NULL);
	}
}

/* check_sysv_attach - IPC_STAT fields, attach counts (fork, exit too), SHM_RDONLY, IPC_RMID. */
static void check_sysv_attach(void)
{
	size_t size = 3 * PG + 1;
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0640);
	volatile char *a, *b, *r;
	struct shmid_ds ds;
	pid_t pid;

	if (!CHECK(id >= 0, "shmget(IPC_PRIVATE, 3 pages + 1)"))
		return;
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == size && ds.shm_nattch == 0 &&
		  (ds.shm_perm.mode & 0777) == 0640 && ds.shm_cpid == getpid() &&
		  ds.shm_perm.uid == geteuid(),
	      "IPC_STAT: shm_segsz as asked, shm_nattch 0, mode, creator pid and owner");
	a = shmat(id, NULL, 0);
	b = shmat(id, NULL, 0);
	if (!CHECK(a != (void *)-1 && b != (void *)-1 && a != b, "shmat twice: two addresses")) {
		shmctl(id, IPC_RMID, NULL);
		return;
	}
	CHECK(nattch(id) == 2, "shm_nattch counts both attaches");
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_lpid == getpid(),
	      "shm_lpid is the attacher");
	CHECK(a[0] == 0 && a[3 * PG + 4095] == 0,
	      "a new segment reads zeros, up to its last page's end");
	a[3 * PG + 4095] = 5;
	CHECK(b[3 * PG + 4095] == 5, "a store through one attach is seen through the other");
	CHECK(shmdt((void *)b) == 0 && nattch(id) == 1, "shmdt: shm_nattch back to 1");

	pid = must_fork();
	if (pid == 0) {
		int bad = 0;

		if (nattch(id) != 2)
			bad = printf("FAIL: in a forked child shm_nattch is %ld, want 2\n",
				     nattch(id));
		a[7] = 9;
		_exit(bad ? 1 : 0);
	}
	CHECK_EXIT(wait_pid(pid), 0, "a forked child inherits the attach (shm_nattch 2)");
	CHECK(a[7] == 9, "the parent sees the child's store");
	CHECK(nattch(id) == 1, "the child's exit detached it: shm_nattch 1");

	r = shmat(id, NULL, SHM_RDONLY);
	if (CHECK(r != (void *)-1, "shmat SHM_RDONLY")) {
		CHECK(r[7] == 9 && nattch(id) == 2,
		      "the read-only attach reads the data and counts");
		CHECK_SIG(run_child(store_to, (void *)r), SIGSEGV,
			  "a store to a SHM_RDONLY attach -> SIGSEGV");
		shmdt((void *)r);
	}

	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached");
	CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST) && ds.shm_nattch == 1,
	      "the segment lives on, marked SHM_DEST");
	a[8] = 1;
	pid = must_fork();
	if (pid == 0)
		_exit(a[8] == 1 && (a[9] = 2) ? 0 : 1);
	CHECK_EXIT(wait_pid(pid), 0, "a child forked after IPC_RMID still shares it");
	CHECK(a[9] == 2, "and the parent sees the child's store");
	CHECK(shmdt((void *)a) == 0, "the last shmdt");
	CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL,
		  "then the segment is gone: IPC_STAT -> EINVAL");
}

/* check_posix_shm - shm_open makes a file in /dev/shm shared by name and mapping; shm_unlink. */
static void check_posix_shm(void)
{
	char name[64], path[80];
	volatile char *p;
	struct stat st;
	pid_t pid;
	int fd;

	snprintf(name, sizeof(name), "/t_shm.%d", (int)getpid());
	snprintf(path, sizeof(path), "/dev/shm%s", name);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (!CHECK(fd >= 0, "shm_open(%s, O_CREAT|O_EXCL)", name))
		return;
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0,
	      "it is an empty regular file %s", path);
	CHECK_ERR(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST,
		  "shm_open(O_CREAT|O_EXCL) again -> EEXIST");
	CHECK(ftruncate(fd, 2 * PG) == 0 && fstat(fd, &st) == 0 && st.st_size == (off_t)(2 * PG),
	      "ftruncate it to 2 pages");
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!CHECK(p != MAP_FAILED, "mmap it MAP_SHARED")) {
		shm_unlink(name);
		close(fd);
		return;
	}
	p[0] = 'p';
	pid = must_fork();
	if (pid == 0) {
		int cfd = shm_open(name, O_RDWR, 0);
		volatile char *c =
		    cfd < 0 ? MAP_FAILED
			    : mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		if (c == MAP_FAILED) {
			printf("FAIL: child: shm_open without O_CREAT and mmap: %s\n",
			       strerror(errno));
			_exit(1);
		}
		if (c[0] != 'p' || p[0] != 'p') {
			printf("FAIL: child does not see the parent's store\n");
			_exit(1);
		}
		c[PG] = 'c';
		p[PG + 1] = 'd';
		_exit(0);
	}
	CHECK_EXIT(wait_pid(pid), 0, "a child opens the name again and sees the parent's data");
	CHECK(p[PG] == 'c' && p[PG + 1] == 'd',
	      "the parent sees the child's stores (both mappings)");
	CHECK(shm_unlink(name) == 0, "shm_unlink");
	CHECK_ERR(shm_open(name, O_RDWR, 0), ENOENT,
		  "shm_open without O_CREAT after unlink -> ENOENT");
	CHECK_ERR(stat(path, &st), ENOENT, "%s is gone", path);
	CHECK_ERR(shm_unlink(name), ENOENT, "shm_unlink again -> ENOENT");
	p[2] = 'z';
	CHECK(p[0] == 'p' && p[2] == 'z', "the mapping outlives the name");
	munmap((void *)p, 2 * PG);
	close(fd);
}

/* check_seals - sealing on a MFD_ALLOW_SEALING memfd; fd_plain is a memfd without it. */
static void check_seals(int fd_plain)
{
	int fd = memfd_create("y", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	void *w;

	if (fd < 0 && errno == EINVAL && on_holstein()) {
		t_skip("memfd_create(MFD_ALLOW_SEALING) -> EINVAL: sealing not supported");
		return;
	}
	if (!CHECK(fd >= 0, "memfd_create(MFD_ALLOW_SEALING)"))
		return;
	CHECK(fcntl(fd_plain, F_GET_SEALS) == F_SEAL_SEAL,
	      "a memfd without it is sealed: F_SEAL_SEAL");
	CHECK_ERR(fcntl(fd_plain, F_ADD_SEALS, F_SEAL_WRITE), EPERM, "... F_ADD_SEALS -> EPERM");
	CHECK(fcntl(fd, F_GET_SEALS) == 0, "F_GET_SEALS of the sealable memfd: none");
	CHECK(write(fd, "abc", 3) == 3 && ftruncate(fd, PG) == 0,
	      "write and ftruncate before sealing");
	w = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (CHECK(w != MAP_FAILED, "a writable shared mapping of it")) {
		CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY,
			  "F_SEAL_WRITE while it is mapped writable -> EBUSY");
		munmap(w, PG);
	}
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0 && fcntl(fd, F_GET_SEALS) == F_SEAL_WRITE,
	      "F_ADD_SEALS(F_SEAL_WRITE) once unmapped");
	CHECK_ERR(write(fd, "x", 1), EPERM, "write to a write-sealed memfd -> EPERM");
	CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM,
		  "a writable shared mapping of it -> EPERM");
	w = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(w != MAP_FAILED && ((char *)w)[2] == 'c', "a read-only mapping still works");
	if (w != MAP_FAILED)
		munmap(w, PG);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0,
	      "F_ADD_SEALS(SHRINK|GROW|SEAL)");
	CHECK_ERR(ftruncate(fd, 1), EPERM, "shrinking a F_SEAL_SHRINK memfd -> EPERM");
	CHECK_ERR(ftruncate(fd, 2 * PG), EPERM, "growing a F_SEAL_GROW memfd -> EPERM");
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM,
		  "F_ADD_SEALS after F_SEAL_SEAL -> EPERM");
	close(fd);
}

/* check_memfd - memfd_create: flags, read/write/ftruncate, its /proc/self/fd link, shared mmap. */
static void check_memfd(void)
{
	int fd = memfd_create("x", MFD_CLOEXEC), fd2;
	char buf[64], link[64];
	volatile char *p;
	struct stat st;
	pid_t pid;
	long n;

	if (!CHECK(fd >= 0, "memfd_create(\"x\", MFD_CLOEXEC)"))
		return;
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "MFD_CLOEXEC sets FD_CLOEXEC");
	fd2 = memfd_create("x", 0);
	CHECK(fd2 >= 0 && !(fcntl(fd2, F_GETFD) & FD_CLOEXEC), "without it FD_CLOEXEC is clear");
	CHECK_ERR(memfd_create("x", 0x100), EINVAL, "memfd_create with an unknown flag -> EINVAL");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0,
	      "a memfd starts as an empty regular file");
	CHECK(write(fd, "hello", 5) == 5 && pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "hello", 5),
	      "write, then pread reads it back");
	CHECK(ftruncate(fd, 2 * PG) == 0 && fstat(fd, &st) == 0 && st.st_size == (off_t)(2 * PG),
	      "ftruncate to 2 pages");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	if (!CHECK(n >= 8 && !strncmp(buf, "/memfd:x", 8), "readlink %s starts with /memfd:x",
		   link))
		printf("    got \"%s\"\n", buf);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (CHECK(p != MAP_FAILED, "mmap it MAP_SHARED")) {
		CHECK(p[0] == 'h' && p[4] == 'o' && p[5] == 0 && p[PG] == 0,
		      "the mapping shows the data and zeros");
		p[PG + 1] = 'm';
		CHECK(pread(fd, buf, 1, PG + 1) == 1 && buf[0] == 'm',
		      "pread sees a store to the mapping");
		pid = must_fork();
		if (pid == 0)
			_exit(p[PG + 1] == 'm' && (p[PG + 2] = 'k') ? 0 : 1);
		CHECK_EXIT(wait_pid(pid), 0, "a forked child sees the memfd mapping");
		CHECK(pread(fd, buf, 1, PG + 2) == 1 && buf[0] == 'k',
		      "the child's store reached the file");
		munmap((void *)p, 2 * PG);
	}
	check_seals(fd);
	close(fd);
	close(fd2);
}

/* main - run every check; each removes what it made. */
int main(void)
{
	t_init();
	key_t key = fresh_key();

	if (key != -1)
		check_sysv_errors(key);
	check_sysv_attach();
	check_posix_shm();
	check_memfd();
	return t_done("t_shm");
}
