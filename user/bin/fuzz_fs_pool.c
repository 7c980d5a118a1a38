/*
 * fuzz_fs_pool.c - the parent's side of the fuzzer's file-system mode, included by
 * fuzz_fs.c: the pool made before the workers start (a scratch directory, on Holstein a
 * tmpfs of its own, a few files and symlinks) and removed after they are reaped, with
 * whatever they left mounted in it. Removal runs in a child so that what the C library
 * allocates for reading directories does not count against MemFree.
 */

/* fs_seed_file - create path in the pool with size bytes of a pattern at offset at. */
static void fs_seed_file(int dfd, const char *path, off_t size, off_t at, size_t len)
{
	char data[4200];
	int fd = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('A' + i % 26);
	if (size && ftruncate(fd, size) < 0)
		perror("fuzz: ftruncate");
	if (len && pwrite(fd, data, len < sizeof(data) ? len : sizeof(data), at) < 0)
		perror("fuzz: pwrite");
	close(fd);
}

/*
 * fs_prepare - fill the long names before fuzz_run() reads MemFree: the parent's own
 * pages are touched now, not counted as lost later.
 */
static void fs_prepare(void)
{
	memset(fs_name255, 'x', 255);
	memset(fs_name256, 'y', 256);
	for (size_t i = 0; i + 2 < sizeof(fs_deep); i += 2)
		memcpy(fs_deep + i, "a/", 2);
	memset(fs_scratch, 0, sizeof(fs_scratch));
	memset(fs_root, 0, sizeof(fs_root));
	if (on_holstein())
		read_small_file("/proc/mounts", fs_mounts_before, sizeof(fs_mounts_before));
}

/*
 * fs_pool_make - the scratch directory, on Holstein its tmpfs, and the pool's first files.
 * Returns 0, or -1 after saying why.
 */
static int fs_pool_make(void)
{
	char mnt[80];
	int dfd;

	snprintf(fs_scratch, sizeof(fs_scratch), "/tmp/fuzzfs.XXXXXX");
	if (!mkdtemp(fs_scratch)) {
		printf("fuzz: mkdtemp(%s): %s\n", fs_scratch, strerror(errno));
		return -1;
	}
	snprintf(mnt, sizeof(mnt), "%s/mnt", fs_scratch);
	snprintf(fs_root, sizeof(fs_root), "%s/pool", mnt);
	if (mkdir(mnt, 0755) < 0 ||
	    (on_holstein() && mount("none", mnt, "tmpfs", 0, FS_POOL_SIZE) < 0) ||
	    mkdir(fs_root, 0755) < 0 || (dfd = open(fs_root, O_RDONLY | O_DIRECTORY)) < 0) {
		printf("fuzz: making the pool %s: %s\n", fs_root, strerror(errno));
		return -1;
	}
	fs_seed_file(dfd, "a", 0, 0, 4196);
	fs_seed_file(dfd, "b", 0, 0, 0);
	fs_seed_file(dfd, "c", 1 << 20, 512 << 10, 10);
	mkdirat(dfd, "d", 0755);
	mkdirat(dfd, "d/x", 0755);
	fs_seed_file(dfd, "d/a", 0, 0, 100);
	symlinkat("d", dfd, "e");
	symlinkat("a", dfd, "s");
	symlinkat("l", dfd, "l");
	symlinkat("n", dfd, "m");
	symlinkat("m", dfd, "n");
	symlinkat("nothere", dfd, "z");
	close(dfd);
	return 0;
}

/*
 * fs_unmount_all - unmount what is mounted at or below the scratch directory (Holstein
 * only: elsewhere the workers mount nothing). Each round tries the mount points from the
 * deepest up until one goes (one hidden by a later mount on a directory above it goes
 * once that one has); it ends when none is left or none will go. Returns how many stay.
 */
static int fs_unmount_all(void)
{
	static char text[16384];
	size_t plen = strlen(fs_scratch);

	for (int round = 0; round < 200 && on_holstein(); round++) {
		char *mps[64];
		int n = 0, gone = 0;

		if (read_small_file("/proc/mounts", text, sizeof(text)) < 0)
			return 1;
		for (char *line = strtok(text, "\n"); line && n < 64; line = strtok(NULL, "\n")) {
			char *mp = strchr(line, ' '), *end;

			if (mp && (end = strchr(++mp, ' ')) && !strncmp(mp, fs_scratch, plen) &&
			    mp[plen] == '/') {
				*end = '\0';
				mps[n++] = mp;
			}
		}
		for (int i = 0; i < n; i++) /* deepest (longest) first */
			for (int j = i + 1; j < n; j++)
				if (strlen(mps[j]) > strlen(mps[i])) {
					char *t = mps[i];
					mps[i] = mps[j];
					mps[j] = t;
				}
		for (int i = 0; i < n && !gone; i++)
			gone = umount2(mps[i], 0) == 0 || umount2(mps[i], MNT_DETACH) == 0;
		if (!n)
			return 0;
		if (!gone) {
			printf("fuzz: %d mounts below the pool will not go, e.g. umount2(%s): %s\n", n,
			       mps[0], strerror(errno));
			return n;
		}
	}
	return on_holstein();
}

/* fs_dump - print what is left below dir (at most *budget lines), to tell why it stayed. */
static void fs_dump(const char *dir, int *budget)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	struct stat st;

	while (d && (e = readdir(d)) && *budget > 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%.200s", dir, e->d_name);
		if (lstat(path, &st) < 0) {
			printf("fuzz:   %s: %s\n", path, strerror(errno));
		} else {
			printf("fuzz:   %s: mode %o, %ld links, %ld bytes; unlink: %s\n", path,
			       (unsigned)st.st_mode, (long)st.st_nlink, (long)st.st_size,
			       unlink(path) == 0 ? "ok" : strerror(errno));
		}
		--*budget;
		if (S_ISDIR(st.st_mode))
			fs_dump(path, budget);
	}
	if (d)
		closedir(d);
}

/* fs_mounts_left - mounts in /proc/mounts now that were not there before (Holstein): printed, counted. */
static int fs_mounts_left(void)
{
	static char now[16384];
	int n = 0;

	if (!on_holstein() || read_small_file("/proc/mounts", now, sizeof(now)) < 0)
		return 0;
	for (char *line = strtok(now, "\n"); line; line = strtok(NULL, "\n")) {
		if (strstr(fs_mounts_before, line))
			continue;
		printf("fuzz: still mounted after the pool was removed: %s\n", line);
		n++;
	}
	return n;
}

/*
 * fs_pool_remove - unmount and remove the scratch directory; returns how many steps failed.
 * A child does it: what the C library allocates for reading directories then leaves with
 * it, and MemFree can be compared with the value from before the run.
 */
static int fs_pool_remove(void)
{
	int st, budget = 40;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		int bad = fs_unmount_all();

		if (scratch_remove(fs_scratch) < 0) {
			printf("fuzz: the pool %s could not be removed: %s; what is left:\n",
			       fs_scratch, strerror(errno));
			fs_dump(fs_scratch, &budget);
			bad++;
		}
		bad += fs_mounts_left();
		fflush(NULL);
		_exit(bad > 100 ? 100 : bad);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		printf("fuzz: no child to remove the pool: %s\n", strerror(errno));
		return 1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
