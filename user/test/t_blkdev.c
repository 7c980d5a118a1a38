/*
 * t_blkdev - a disk through its block-device file: t_blkdev [-j N] DEV [RODEV] (4 workers
 * by default).  DEV is scratch: everything on it is overwritten, so it is never a default.
 *
 *  1. sizes: BLKGETSIZE64 = lseek(SEEK_END) = BLKGETSIZE * 512, BLKSSZGET = 512;
 *  2. patterns at odd offsets and lengths (inside one sector, across sectors and pages,
 *     through write and pwrite, lseek and pread) read back exactly, and what was not
 *     written is unchanged;
 *  3. edges: a read at the end is 0 and one across it is short; a write at the end is
 *     ENOSPC and one across it short; negative offsets EINVAL; unknown ioctls ENOTTY;
 *     fsync and BLKFLSBUF work; RODEV (a read-only disk), if given, reads and refuses
 *     writes with EPERM;
 *  4. N processes write interleaved 37-byte pieces of one 64 KiB region, so every sector
 *     takes pieces from several of them at once (read-modify-write must not lose any);
 *  5. N processes fill disjoint slices of the whole disk at once with odd-sized writes,
 *     each reads its slice back, then the parent fsyncs and checks every byte.
 * "t_blkdev -e SECTOR DEV" only checks a device error: the disk fails reads of SECTOR
 * (QEMU's blkdebug), so reading it is EIO, and the sectors around it still read.
 * At the end DEV holds blk_pattern(offset) at every offset, which the host compares
 * against the image (tests/guest/blkdev).
 *
 * Without DEV (as testrun runs it), or if DEV is absent, it says SKIP and passes.  Under qemu-riscv64 (the
 * oracle) it always skips: DEV there would be the host's own disk.
 */
#include "ulib.h"
#include <sys/ioctl.h>
#include <linux/fs.h>

/* blk_pattern - the final content of byte @o: periods 251 and 4093 fit no sector or page. */
static unsigned char blk_pattern(uint64_t o)
{
	return (unsigned char)((o % 251) + (o / 4093));
}

/* mix - the byte a step-2 region writes at @o (distinct from blk_pattern). */
static unsigned char mix(uint64_t o, unsigned tag)
{
	return (unsigned char)(o * 7 + tag * 31 + 3);
}

static uint64_t rng = 88172645463325252ull;

/* next_rand - xorshift: the same sequence on every run, so failures repeat. */
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* check_sizes - the size ioctls agree with lseek; returns the size in bytes. */
static uint64_t check_sizes(int fd)
{
	uint64_t bytes = 0;
	unsigned long sectors = 0;
	int ssz = 0;
	off_t end;

	CHECK(ioctl(fd, BLKGETSIZE64, &bytes) == 0, "BLKGETSIZE64");
	CHECK(ioctl(fd, BLKGETSIZE, &sectors) == 0, "BLKGETSIZE");
	CHECK(ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == 512, "BLKSSZGET = 512 (got %d)", ssz);
	end = lseek(fd, 0, SEEK_END);
	CHECK(end > 0 && (uint64_t)end == bytes, "lseek SEEK_END %lld = BLKGETSIZE64 %llu",
	      (long long)end, (unsigned long long)bytes);
	CHECK((uint64_t)sectors * 512 == bytes, "BLKGETSIZE %lu sectors", sectors);
	CHECK(ioctl(fd, 0x1234, 0) < 0 && errno == ENOTTY, "unknown ioctl: ENOTTY");
	return bytes;
}

/* Regions of step 2: {offset, length}, odd on purpose, disjoint. */
static const struct {
	uint64_t off, len;
} regions[] = {
	{ 1, 1 },	    { 100, 300 },	{ 511, 2 },	     { 1000, 5000 }, { 8191, 1 },
	{ 12288, 4096 }, { 20479, 8194 }, { 65533, 70007 }, { 200000, 513 }, { 262143, 131075 },
};

/* check_odd - write each region (alternating write and pwrite), then read all back. */
static void check_odd(int fd, uint64_t size)
{
	static unsigned char buf[140000], got[140000], before[140000];
	uint64_t lo = 0, hi = 0;

	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		uint64_t off = regions[i].off, len = regions[i].len;
		ssize_t r;

		if (off + len + 1 > size)
			continue;
		/* The bytes around the region, to check they stay. */
		CHECK(pread(fd, before, 1, off + len) == 1, "pread after region %zu", i);
		for (uint64_t k = 0; k < len; k++)
			buf[k] = mix(off + k, (unsigned)i);
		if (i % 2) {
			r = pwrite(fd, buf, len, (off_t)off);
		} else {
			CHECK(lseek(fd, (off_t)off, SEEK_SET) == (off_t)off, "lseek %llu",
			      (unsigned long long)off);
			r = write(fd, buf, len);
			CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)(off + len), "pos after write");
		}
		CHECK(r == (ssize_t)len, "write region %zu (%llu+%llu): %zd", i,
		      (unsigned long long)off, (unsigned long long)len, r);
		CHECK(pread(fd, got, len + 1, (off_t)off) == (ssize_t)len + 1, "pread region %zu", i);
		CHECK(memcmp(got, buf, len) == 0, "region %zu reads back", i);
		CHECK(got[len] == before[0], "the byte after region %zu is unchanged", i);
		hi = off + len;
	}
	/* Everything again, in one read from a sector boundary: nothing disturbed another. */
	lo = 0;
	CHECK(pread(fd, got, hi - lo < sizeof(got) ? hi - lo : sizeof(got), 0) > 0, "pread all");
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		uint64_t off = regions[i].off, bad = 0;

		for (uint64_t k = 0; off + k < sizeof(got) && k < regions[i].len; k++)
			bad += got[off + k] != mix(off + k, (unsigned)i);
		CHECK(bad == 0, "region %zu still intact after the others (%llu bytes differ)", i,
		      (unsigned long long)bad);
	}
}

/* check_edges - the end of the disk and bad offsets. */
static void check_edges(int fd, uint64_t size)
{
	char b[1024];

	CHECK(pread(fd, b, sizeof(b), (off_t)size) == 0, "read at the end: 0");
	CHECK(pread(fd, b, sizeof(b), (off_t)size - 100) == 100, "read across the end: short");
	CHECK(pwrite(fd, b, 10, (off_t)size) < 0 && errno == ENOSPC, "write at the end: ENOSPC");
	CHECK(pread(fd, b, 100, (off_t)size - 100) == 100, "last 100 bytes");
	CHECK(pwrite(fd, b, sizeof(b), (off_t)size - 100) == 100, "write across the end: short");
	CHECK(lseek(fd, -1, SEEK_SET) < 0 && errno == EINVAL, "lseek to -1: EINVAL");
	CHECK(pread(fd, b, 1, -5) < 0 && errno == EINVAL, "pread at -5: EINVAL");
	CHECK(lseek(fd, (off_t)size + 4096, SEEK_SET) == (off_t)size + 4096, "lseek past the end");
	CHECK(read(fd, b, 10) == 0, "read past the end: 0");
	CHECK(fsync(fd) == 0, "fsync");
	CHECK(fdatasync(fd) == 0, "fdatasync");
	CHECK(ioctl(fd, BLKFLSBUF, 0) == 0, "BLKFLSBUF");
}

/* check_ro - a read-only disk: open O_RDWR works, reads work, writes are EPERM. */
static void check_ro(const char *dev)
{
	int fd = open(dev, O_RDWR), ro = 0;
	char b[600];

	CHECK(fd >= 0, "open %s", dev);
	if (fd < 0)
		return;
	CHECK(ioctl(fd, BLKROGET, &ro) == 0 && ro == 1, "BLKROGET on %s", dev);
	CHECK(pread(fd, b, sizeof(b), 77) == (ssize_t)sizeof(b), "read %s", dev);
	CHECK(pwrite(fd, b, sizeof(b), 77) < 0 && errno == EPERM, "write %s: EPERM", dev);
	close(fd);
}

/*
 * fill_slice - worker: blk_pattern over [lo, hi) in odd-sized pieces through write
 * and pwrite, then read back in other odd sizes.  Exit status: 0 or 1.
 */
static int fill_slice(const char *dev, uint64_t lo, uint64_t hi, unsigned seed)
{
	static unsigned char buf[20000];
	int fd = open(dev, O_RDWR);
	uint64_t o;

	rng ^= seed * 0x9e3779b97f4a7c15ull;
	if (fd < 0)
		return 1;
	for (o = lo; o < hi;) {
		uint64_t n = 1 + next_rand() % sizeof(buf);
		if (n > hi - o)
			n = hi - o;
		for (uint64_t k = 0; k < n; k++)
			buf[k] = blk_pattern(o + k);
		if (pwrite(fd, buf, n, (off_t)o) != (ssize_t)n)
			return printf("FAIL: worker %u: pwrite at %llu\n", seed, (unsigned long long)o), 1;
		o += n;
	}
	for (o = lo; o < hi;) {
		uint64_t n = 1 + next_rand() % sizeof(buf);
		if (n > hi - o)
			n = hi - o;
		if (pread(fd, buf, n, (off_t)o) != (ssize_t)n)
			return printf("FAIL: worker %u: pread at %llu\n", seed, (unsigned long long)o), 1;
		for (uint64_t k = 0; k < n; k++)
			if (buf[k] != blk_pattern(o + k))
				return printf("FAIL: worker %u: byte %llu\n", seed,
					      (unsigned long long)(o + k)), 1;
		o += n;
	}
	return close(fd) != 0;
}

/* check_shared - @nw workers write interleaved 37-byte pieces of one region at once. */
static void check_shared(const char *dev, int fd, int nw)
{
	static unsigned char buf[65536];
	const uint64_t base = 1 << 20, len = sizeof(buf), piece = 37;
	uint64_t bad = 0;
	int st;

	for (int w = 0; w < nw; w++) {
		pid_t p = fork();
		if (p == 0) {
			int wfd = open(dev, O_RDWR);
			unsigned char b[37];

			for (uint64_t j = (uint64_t)w; wfd >= 0 && j * piece < len; j += (uint64_t)nw) {
				uint64_t o = base + j * piece, n = len - j * piece < piece ? len - j * piece : piece;
				for (uint64_t k = 0; k < n; k++)
					b[k] = mix(o + k, 99);
				if (pwrite(wfd, b, n, (off_t)o) != (ssize_t)n)
					_exit(1);
			}
			_exit(wfd < 0);
		}
		CHECK(p > 0, "fork piece writer %d", w);
	}
	for (int w = 0; w < nw; w++)
		CHECK(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "piece writer %d wrote its pieces", w);
	CHECK(pread(fd, buf, len, (off_t)base) == (ssize_t)len, "read the shared region");
	for (uint64_t k = 0; k < len && !bad; k++)
		if (buf[k] != mix(base + k, 99))
			bad = k + 1;
	CHECK(bad == 0, "%d writers sharing every sector lost nothing (first bad byte: %lld)", nw,
	      (long long)bad - 1);
}

/* check_parallel - @nw workers fill the disk at once; then every byte is checked here. */
static void check_parallel(const char *dev, int fd, uint64_t size, int nw)
{
	static unsigned char buf[65536];
	uint64_t slice = (size / nw) & ~511ull, bad = 0;
	int st;

	for (int i = 0; i < nw; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(fill_slice(dev, slice * i, i == nw - 1 ? size : slice * (i + 1), i + 1));
		CHECK(p > 0, "fork worker %d", i);
	}
	for (int i = 0; i < nw; i++)
		CHECK(wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "worker %d filled and read back its slice", i);
	CHECK(fsync(fd) == 0, "fsync after the workers");
	for (uint64_t o = 0; o < size && !bad; o += sizeof(buf)) {
		size_t n = size - o < sizeof(buf) ? size - o : sizeof(buf);
		if (pread(fd, buf, n, (off_t)o) != (ssize_t)n) {
			bad = o + 1;
			break;
		}
		for (size_t k = 0; k < n && !bad; k++)
			if (buf[k] != blk_pattern(o + k))
				bad = o + k + 1;
	}
	CHECK(bad == 0, "every byte of the disk as the %d workers wrote it (first bad: %llu)", nw,
	      (unsigned long long)bad - 1);
}

/* check_eio - reads of sector @bad fail with EIO (the disk says so); its neighbours read. */
static void check_eio(const char *dev, long bad)
{
	int fd = open(dev, O_RDONLY);
	char b[512];

	CHECK(fd >= 0, "open %s", dev);
	CHECK(pread(fd, b, 512, (off_t)(bad - 1) * 512) == 512, "sector %ld reads", bad - 1);
	CHECK_ERR(pread(fd, b, 512, (off_t)bad * 512), EIO, "sector %ld: EIO", bad);
	CHECK_ERR(pread(fd, b, 3, (off_t)bad * 512 + 100), EIO, "3 bytes inside it: EIO");
	CHECK(pread(fd, b, 512, (off_t)(bad + 1) * 512) == 512, "sector %ld reads", bad + 1);
	CHECK_ERR(pread(fd, b, 512, (off_t)bad * 512), EIO, "sector %ld again: EIO", bad);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *rodev = NULL;
	int nw = 4, fd, a = 1;
	long eio = -1;
	uint64_t size;

	t_init();
	if (a + 1 < argc && !strcmp(argv[a], "-j")) {
		nw = atoi(argv[a + 1]);
		a += 2;
	}
	if (a + 1 < argc && !strcmp(argv[a], "-e")) {
		eio = atol(argv[a + 1]);
		a += 2;
	}
	if (a < argc)
		dev = argv[a++];
	if (a < argc)
		rodev = argv[a++];
	if (nw < 1 || nw > 64)
		die("t_blkdev: -j 1..64");
	if (!dev) {
		printf("SKIP: t_blkdev needs a scratch disk: t_blkdev [-j N] DEV [RODEV] "
		       "(tests/guest/blkdev runs it)\n");
		return 0;
	}
	if (!on_holstein()) {
		printf("SKIP: t_blkdev overwrites %s: only on Holstein, never the host's disk\n", dev);
		return 0;
	}
	fd = open(dev, O_RDWR);
	if (fd < 0 && (errno == ENOENT || errno == ENXIO || errno == EACCES)) {
		printf("SKIP: t_blkdev: no disk %s (%s); scripts/run-qemu --disk IMG attaches one\n",
		       dev, strerror(errno));
		return 0;
	}
	if (fd < 0)
		die("t_blkdev: open %s: %s", dev, strerror(errno));
	if (eio > 0) {
		close(fd);
		check_eio(dev, eio);
		return t_done("t_blkdev -e");
	}
	size = check_sizes(fd);
	if (size < 1024 * 1024)
		die("t_blkdev: %s is %llu bytes: want at least 1 MiB", dev, (unsigned long long)size);
	check_odd(fd, size);
	check_edges(fd, size);
	if (rodev)
		check_ro(rodev);
	check_shared(dev, fd, nw < 2 ? 2 : nw);
	check_parallel(dev, fd, size, nw);
	close(fd);
	printf("t_blkdev: %s, %llu bytes, %d workers\n", dev, (unsigned long long)size, nw);
	return t_done("t_blkdev");
}
