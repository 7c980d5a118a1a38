/*
 * t_pcache - files on a disk whose total is several times RAM, read and written one after
 * another: the page cache of a file nobody has open must be given back (and written back
 * first when dirty) and filled again from the disk at the next open (issue 16's reclaim).
 *
 *     t_pcache make DIR N MIB         write N files DIR/r0.. of MIB MiB (on the host, under
 *                                     qemu-riscv64, before mke2fs -d puts them in an image)
 *     t_pcache read DIR N MIB ROUNDS  read DIR/r0.. one after another, ROUNDS times, each
 *                                     word checked against the pattern; meanwhile a file
 *                                     it keeps open and one it maps (both 4 MiB, written
 *                                     first, so dirty) must keep their contents
 *     t_pcache write DIR N MIB ROUNDS write DIR/w0.. one after another, then read them
 *                                     ROUNDS times the same way
 *
 * Contents: 64-bit word i of file k is a mix of (seed, k, i), so a page that comes back
 * zero, stale, from another file or from another offset is caught at its offset; a hash
 * (user/lib/sha256.h, a byte at a time) would be far too slow for hundreds of MiB under
 * emulation.  On Holstein, after a file was read and closed, MemAvailable counts its idle
 * cache on top of MemFree (the shrinker's count).  With no arguments it checks itself in a
 * scratch directory: small files pass, and a changed word and a short file are caught.
 */
#include "ulib.h"
#include "scratch.h"
#include <sys/mman.h>

#define CHUNK	(256 * KiB)
#define SEED_READ	1
#define SEED_WRITE	2

static uint64_t buf[CHUNK / 8];

/* word - word @i of file @k of set @seed (splitmix64's finaliser over the three). */
static uint64_t word(unsigned seed, unsigned k, uint64_t i)
{
	uint64_t z = ((uint64_t)seed << 56) ^ ((uint64_t)k << 40) ^ i;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* make_file - @path: @mib MiB of file @k of set @seed, written and closed.  0 or -1 (errno). */
static int make_file(const char *path, unsigned seed, unsigned k, unsigned long mib)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	uint64_t w = 0;

	if (fd < 0)
		return -1;
	for (unsigned long done = 0; done < mib * MiB; done += CHUNK) {
		for (size_t j = 0; j < CHUNK / 8; j++)
			buf[j] = word(seed, k, w++);
		if (write(fd, buf, CHUNK) != (ssize_t)CHUNK) {
			int e = errno;
			close(fd);
			errno = e ? e : ENOSPC;
			return -1;
		}
	}
	return close(fd);
}

/*
 * check_file - @path holds exactly file @k of set @seed, @mib MiB: 0, or -1 with @why
 * saying where it first differs.
 */
static int check_file(const char *path, unsigned seed, unsigned k, unsigned long mib,
		      char *why, size_t len)
{
	int fd = open(path, O_RDONLY);
	uint64_t w = 0;
	unsigned long done = 0;
	ssize_t n = 0;

	if (fd < 0)
		return snprintf(why, len, "open: %s", strerror(errno)), -1;
	while (done < mib * MiB && (n = read(fd, buf, CHUNK)) == (ssize_t)CHUNK) {
		for (size_t j = 0; j < CHUNK / 8; j++, w++)
			if (buf[j] != word(seed, k, w)) {
				snprintf(why, len, "word at offset %lu is %#lx, want %#lx",
					 (unsigned long)(w * 8), (unsigned long)buf[j],
					 (unsigned long)word(seed, k, w));
				close(fd);
				return -1;
			}
		done += CHUNK;
	}
	if (done == mib * MiB && (n = read(fd, buf, 1)) == 0)
		return close(fd);
	snprintf(why, len, "%s at offset %lu (read %ld)", n < 0 ? strerror(errno) : "wrong length",
		 done, (long)n);
	close(fd);
	return -1;
}

/*
 * read_rounds - files @prefix0.. of set @seed, one after another, @rounds times: each must
 * check whole.  On Holstein (@on_disk: ext4), once one is closed MemAvailable counts its cache.
 */
static void read_rounds(const char *dir, const char *prefix, unsigned seed, unsigned n,
			unsigned long mib, unsigned rounds, int on_disk)
{
	char path[300], why[160];

	for (unsigned r = 1; r <= rounds; r++) {
		unsigned bad = 0;

		for (unsigned k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s/%s%u", dir, prefix, k);
			if (check_file(path, seed, k, mib, why, sizeof(why))) {
				CHECK(0, "round %u: %s reads back as written (%s)", r, path, why);
				bad++;
			}
		}
		CHECK(!bad, "round %u: %u files of %lu MiB (%lu MiB in all) read back whole, one after another",
		      r, n, mib, n * mib);
	}
	if (on_disk && on_holstein()) {
		long avail = meminfo_kb("MemAvailable"), free = meminfo_kb("MemFree");

		CHECK(avail >= free + (long)(mib * 1024 / 2),
		      "MemAvailable (%ld kB) counts the idle cache of the last file read over MemFree (%ld kB)",
		      avail, free);
	}
}

#define PIN_MIB	4

/*
 * pin_start - write DIR/pin0 and DIR/pin1 (@PIN_MIB MiB each, set 3); keep pin0 open
 * (*@fd) and map pin1 shared, untouched, without its descriptor (*@map): reclaim must drop
 * neither while the reads run, nor write them back and drop them.
 */
static void pin_start(const char *dir, int *fd, uint64_t **map)
{
	char p0[300], p1[300];
	int fd1;

	snprintf(p0, sizeof(p0), "%s/pin0", dir);
	snprintf(p1, sizeof(p1), "%s/pin1", dir);
	CHECK(make_file(p0, 3, 0, PIN_MIB) == 0 && make_file(p1, 3, 1, PIN_MIB) == 0,
	      "write %s and %s (%d MiB each)", p0, p1, PIN_MIB);
	*fd = open(p0, O_RDONLY);
	fd1 = open(p1, O_RDONLY);
	*map = fd1 < 0 ? MAP_FAILED : mmap(0, PIN_MIB * MiB, PROT_READ, MAP_SHARED, fd1, 0);
	CHECK(*fd >= 0 && *map != MAP_FAILED && close(fd1) == 0, "keep pin0 open, map pin1");
}

/* pin_check - pin0 (read through the descriptor kept) and pin1 (through the map) are intact. */
static void pin_check(int fd, uint64_t *map)
{
	uint64_t bad0 = 0, bad1 = 0, w = 0;

	for (unsigned long off = 0; off < PIN_MIB * MiB; off += CHUNK) {
		if (pread(fd, buf, CHUNK, (off_t)off) != (ssize_t)CHUNK) {
			bad0 = ~0ULL;
			break;
		}
		for (size_t j = 0; j < CHUNK / 8; j++, w++)
			bad0 += buf[j] != word(3, 0, w);
	}
	for (w = 0; w < PIN_MIB * MiB / 8; w++)
		bad1 += map[w] != word(3, 1, w);
	CHECK(bad0 == 0, "the file kept open kept its contents (%lu words differ)", (unsigned long)bad0);
	CHECK(bad1 == 0, "the file kept mapped kept its contents (%lu words differ)", (unsigned long)bad1);
	close(fd);
	munmap(map, PIN_MIB * MiB);
}

/* self_test - the checker under any kernel: small files pass, damage is caught. */
static void self_test(void)
{
	const char *dir = scratch_make("t_pcache");
	char why[160];
	int fd;

	for (unsigned k = 0; k < 3; k++) {
		char p[16];
		snprintf(p, sizeof(p), "r%u", k);
		CHECK(make_file(p, SEED_READ, k, 1) == 0, "make %s (1 MiB)", p);
	}
	read_rounds(".", "r", SEED_READ, 3, 1, 1, 0);
	CHECK(check_file("r1", SEED_READ, 2, 1, why, sizeof(why)) == -1,
	      "another file's contents are caught (%s)", why);
	fd = open("r0", O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "x", 1, 512 * KiB + 3) == 1 && close(fd) == 0, "change a byte of r0");
	CHECK(check_file("r0", SEED_READ, 0, 1, why, sizeof(why)) == -1 && strstr(why, "524288"),
	      "a changed word is caught at its offset (%s)", why);
	CHECK(truncate("r2", 1 * MiB - 4096) == 0 &&
	      check_file("r2", SEED_READ, 2, 1, why, sizeof(why)) == -1,
	      "a short file is caught (%s)", why);
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
}

int main(int argc, char **argv)
{
	t_init();
	if (argc < 2) {
		self_test();
		return t_done("t_pcache");
	}
	if (argc < 5)
		die("usage: t_pcache make|read|write DIR N MIB [ROUNDS]");
	const char *mode = argv[1], *dir = argv[2];
	unsigned n = (unsigned)atoi(argv[3]), rounds = argc > 5 ? (unsigned)atoi(argv[5]) : 1;
	unsigned long mib = (unsigned long)atol(argv[4]);
	char path[300];

	if (!strcmp(mode, "make") || !strcmp(mode, "write")) {
		int read_set = !strcmp(mode, "make");
		unsigned bad = 0;

		for (unsigned k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s/%s%u", dir, read_set ? "r" : "w", k);
			if (make_file(path, read_set ? SEED_READ : SEED_WRITE, k, mib)) {
				CHECK(0, "write %s (%lu MiB): %s", path, mib, strerror(errno));
				bad++;
			}
		}
		CHECK(!bad, "%u files of %lu MiB (%lu MiB in all) written one after another", n, mib,
		      n * mib);
		if (!read_set)
			read_rounds(dir, "w", SEED_WRITE, n, mib, rounds, 1);
	} else if (!strcmp(mode, "read")) {
		int fd;
		uint64_t *map;

		pin_start(dir, &fd, &map);
		read_rounds(dir, "r", SEED_READ, n, mib, rounds, 1);
		pin_check(fd, map);
	} else {
		die("t_pcache: unknown mode %s", mode);
	}
	return t_done("t_pcache");
}
