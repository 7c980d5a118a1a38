/*
 * t_swapon - swapon(2), swapoff(2) and what shows them, on disks made on the host:
 *
 *     t_swapon A B E Z S       (tests/guest/swapon makes them and runs it)
 *   A  mkswap of 8 MiB, label "t_swapon-a"
 *   B  mkswap of 4 MiB, label "t_swapon-b", with pages 7 and 9 in its bad-page list
 *   E  an ext4 file system (mke2fs)
 *   Z  zeros: no swap signature
 *   S  the header of an 8 MiB mkswap on a 4 MiB disk (shorter than it says)
 *
 * Plain Linux 6.1 semantics, checked here as Linux behaves: the errnos (EINVAL for
 * unknown flags, a device without a signature or with a lying header, a tmpfs file,
 * /dev/null, a /proc file; ENOENT; EISDIR; EFAULT; EBUSY for a device already swapping,
 * by any of its names, and for a mounted one; mount(2) of a swapping device EBUSY; a
 * write(2) to it ETXTBSY; swapoff of what is not an active area EINVAL), /proc/swaps'
 * exact header and columns (path padded to 40, sizes in KiB without the bad pages,
 * "partition"), the automatic
 * priorities -2, -3 ... and their moving up when one goes off, SWAP_FLAG_PREFER, the
 * discard flags accepted, SwapTotal/SwapFree and sysinfo's swap fields.  Holstein's own
 * choice: a swap file on ext4 is EINVAL too (Linux would take one: docs/design.md).
 * Nothing is swapped out here (that is t_swap*'s business): Used stays 0.
 *
 * Without its five disks, or off Holstein (qemu-riscv64 would reach the host's own swap
 * and disks), it says SKIP and passes.  It checks A's and B's labels before touching them.
 */
#include "ulib.h"
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>

#define HDR "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

static const char *A, *B, *E, *Z, *S;

/* has_label - does @dev start with a swap header labelled @label? */
static int has_label(const char *dev, const char *label)
{
	char page[4096];
	int fd = open(dev, O_RDONLY);
	int ok = fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page) &&
		 !memcmp(page + 4086, "SWAPSPACE2", 10) && !strncmp(page + 1052, label, 16);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* swaps - /proc/swaps into @buf. */
static void swaps(char *buf, size_t n)
{
	if (read_small_file("/proc/swaps", buf, n) < 0)
		buf[0] = 0;
}

/* line - the /proc/swaps line Linux prints for block device @name of @kb KiB, @used, @prio. */
static void line(char *out, size_t n, const char *name, long kb, long used, int prio)
{
	int len = (int)strlen(name);

	snprintf(out, n, "%s%*s%s\t%ld\t%s%ld\t%s%d\n", name, len < 40 ? 40 - len : 1, " ",
		 "partition", kb, kb < 10000000 ? "\t" : "", used, used < 10000000 ? "\t" : "", prio);
}

/* expect_swaps - /proc/swaps is exactly the header and these lines (NULL-ended). */
static void expect_swaps(const char *what, ...)
{
	char want[2048] = HDR, got[2048];
	va_list ap;
	const char *l;

	va_start(ap, what);
	while ((l = va_arg(ap, const char *)))
		strncat(want, l, sizeof(want) - strlen(want) - 1);
	va_end(ap);
	swaps(got, sizeof(got));
	if (!CHECK(!strcmp(got, want), "/proc/swaps %s", what))
		printf("    got:\n%s    want:\n%s", got, want);
}

static long base_total, base_free;

/* totals - SwapTotal and SwapFree moved by @kb from the start; sysinfo agrees. */
static void totals(const char *what, long kb)
{
	struct sysinfo si;

	CHECK(meminfo_kb("SwapTotal") == base_total + kb, "SwapTotal %s: +%ld kB", what, kb);
	CHECK(meminfo_kb("SwapFree") == base_free + kb, "SwapFree %s: +%ld kB", what, kb);
	CHECK(sysinfo(&si) == 0 && (long)(si.totalswap * si.mem_unit / 1024) == base_total + kb &&
	      (long)(si.freeswap * si.mem_unit / 1024) == base_free + kb,
	      "sysinfo's totalswap and freeswap %s", what);
}

/* check_refusals - what is not a swap area, or is no block device. */
static void check_refusals(void)
{
	int fd;

	CHECK_ERR(swapon(A, 0x80000), EINVAL, "swapon: an unknown flag is EINVAL");
	CHECK_ERR(swapon("", 0), ENOENT, "swapon(\"\") is ENOENT");
	CHECK_ERR(swapon("/no/such/dev", 0), ENOENT, "swapon of a missing path is ENOENT");
	CHECK_ERR(syscall(SYS_swapon, (void *)8, 0), EFAULT, "swapon of a bad pointer is EFAULT");
	CHECK_ERR(swapon("/tmp", 0), EISDIR, "swapon of a directory is EISDIR");
	CHECK_ERR(swapon("/dev/null", 0), EINVAL, "swapon of a character device is EINVAL");
	CHECK_ERR(swapon("/proc/meminfo", 0), EINVAL, "swapon of a /proc file is EINVAL");
	CHECK_ERR(swapon(Z, 0), EINVAL, "swapon of a disk without a signature is EINVAL");
	CHECK_ERR(swapon(S, 0), EINVAL, "swapon of a header longer than its disk is EINVAL");
	/* A tmpfs file with a real header: Linux 6.1 refuses it too (no bmap on tmpfs). */
	char page[4096];
	int a = open(A, O_RDONLY);
	fd = open("/tmp/t_swapon.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(a >= 0 && fd >= 0 && pread(a, page, 4096, 0) == 4096 && write(fd, page, 4096) == 4096 &&
	      ftruncate(fd, 1 << 20) == 0, "a 1 MiB tmpfs file with A's swap header");
	close(a);
	close(fd);
	CHECK_ERR(swapon("/tmp/t_swapon.file", 0), EINVAL, "swapon of a file on tmpfs is EINVAL");
	CHECK_ERR(swapoff("/tmp/t_swapon.file"), EINVAL, "swapoff of a regular file is EINVAL");
	unlink("/tmp/t_swapon.file");
	CHECK_ERR(swapoff("/no/such/dev"), ENOENT, "swapoff of a missing path is ENOENT");
	CHECK_ERR(swapoff("/tmp"), EISDIR, "swapoff of a directory is EISDIR");
	CHECK_ERR(swapoff(Z), EINVAL, "swapoff of a block device that is no area is EINVAL");
	CHECK_ERR(swapoff(A), EINVAL, "swapoff of a swap device not turned on is EINVAL");
	expect_swaps("has only its header while no area is on", NULL);
	totals("with no area on", 0);
}

/* check_busy - one device, one user: swap or mount, by any of its names. */
static void check_busy(void)
{
	struct stat st;

	CHECK_ERR(swapon(A, 0), EBUSY, "swapon of a device already swapping is EBUSY");
	char page[4096];
	int fd = open(A, O_RDWR);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page),
	      "a swapping device still opens and reads");
	CHECK_ERR(pwrite(fd, page, 512, 0), ETXTBSY, "writing a swapping device is ETXTBSY");
	close(fd);
	unlink("/tmp/t_swapon.lnk");
	CHECK(symlink(A, "/tmp/t_swapon.lnk") == 0, "a symlink to A");
	CHECK_ERR(swapon("/tmp/t_swapon.lnk", 0), EBUSY, "... and through a symlink");
	unlink("/tmp/t_swapon.node");
	CHECK(stat(A, &st) == 0 && mknod("/tmp/t_swapon.node", S_IFBLK | 0600, st.st_rdev) == 0,
	      "a second node with A's device number");
	CHECK_ERR(swapon("/tmp/t_swapon.node", 0), EBUSY, "... and through another node");
	mkdir("/tmp/t_swapon.mnt", 0755);
	CHECK_ERR(mount(A, "/tmp/t_swapon.mnt", "ext4", 0, NULL), EBUSY,
		  "mount(2) of a device that is swapping is EBUSY");
	CHECK(mount(E, "/tmp/t_swapon.mnt", "ext4", 0, NULL) == 0, "mount the ext4 disk E");
	CHECK_ERR(swapon(E, 0), EBUSY, "swapon of a mounted device is EBUSY");
	CHECK(umount("/tmp/t_swapon.mnt") == 0, "umount E");
	CHECK_ERR(swapon(E, 0), EINVAL, "swapon of an ext4 disk, unmounted, is EINVAL (no signature)");
	/* swapoff by another name of the same device finds the area (Linux matches the device). */
	CHECK(swapoff("/tmp/t_swapon.node") == 0, "swapoff through another node of A");
	expect_swaps("lost A", NULL);
	CHECK(swapon("/tmp/t_swapon.lnk", 0) == 0, "swapon through a symlink to A");
	char l[128];
	line(l, sizeof(l), A, 8188, 0, -2);
	expect_swaps("names the device the symlink led to", l, NULL);
	CHECK(swapoff(A) == 0, "swapoff A");
	unlink("/tmp/t_swapon.lnk");
	unlink("/tmp/t_swapon.node");
	rmdir("/tmp/t_swapon.mnt");
}

/* check_prios - -2, -3 ... in order; one going off moves the later ones up; PREFER. */
static void check_prios(void)
{
	char la[128], lb[128];

	CHECK(swapon(A, 0) == 0, "swapon A");
	CHECK(swapon(B, 0) == 0, "swapon B");
	line(la, sizeof(la), A, 8188, 0, -2);
	line(lb, sizeof(lb), B, 4084, 0, -3);
	expect_swaps("A at -2, B at -3 (its 2 bad pages not counted)", la, lb, NULL);
	totals("with A and B on", 8188 + 4084);
	CHECK(swapoff(A) == 0, "swapoff A");
	line(lb, sizeof(lb), B, 4084, 0, -2);
	expect_swaps("B moved up to -2", lb, NULL);
	CHECK(swapon(A, 0) == 0, "swapon A again");
	line(la, sizeof(la), A, 8188, 0, -3);
	expect_swaps("A now at -3", la, lb, NULL);
	CHECK(swapoff(B) == 0 && swapoff(A) == 0, "swapoff B and A");
	CHECK(swapon(A, SWAP_FLAG_PREFER | 5) == 0, "swapon A with priority 5");
	CHECK(swapon(B, SWAP_FLAG_PREFER | 32767 | SWAP_FLAG_DISCARD) == 0,
	      "swapon B with priority 32767 and SWAP_FLAG_DISCARD");
	line(la, sizeof(la), A, 8188, 0, 5);
	line(lb, sizeof(lb), B, 4084, 0, 32767);
	expect_swaps("A at 5, B at 32767", la, lb, NULL);
	CHECK(swapoff(A) == 0 && swapoff(B) == 0, "swapoff A and B");
	CHECK(swapon(A, SWAP_FLAG_DISCARD | 0x20000) == 0, "swapon with SWAP_FLAG_DISCARD_ONCE");
	CHECK(swapon(B, SWAP_FLAG_DISCARD | 0x40000) == 0, "swapon with SWAP_FLAG_DISCARD_PAGES");
	line(la, sizeof(la), A, 8188, 0, -2);
	line(lb, sizeof(lb), B, 4084, 0, -3);
	expect_swaps("automatic priorities start at -2 again", la, lb, NULL);
	CHECK(swapoff(A) == 0 && swapoff(B) == 0, "swapoff A and B");
}

/* check_names - a relative path shows absolute; the other files show their swap lines. */
static void check_names(void)
{
	char buf[4096], la[128], cwd[256];
	const char *slash = strrchr(A, '/');

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	CHECK(slash && chdir("/dev") == 0 && swapon(slash + 1, 0) == 0, "swapon by a relative path");
	line(la, sizeof(la), A, 8188, 0, -2);
	expect_swaps("shows the absolute path", la, NULL);
	CHECK(swapoff(slash + 1) == 0, "swapoff by the relative path");
	CHECK(chdir(cwd) == 0, "back to the old cwd");
	CHECK(read_small_file("/proc/self/status", buf, sizeof(buf)) > 0 && strstr(buf, "\nVmSwap:\t") &&
	      field_value(buf, "VmSwap") == 0, "/proc/self/status has VmSwap (0 kB)");
	CHECK(read_small_file("/proc/self/smaps_rollup", buf, sizeof(buf)) > 0 &&
	      field_value(buf, "Swap") == 0, "/proc/self/smaps_rollup has Swap (0 kB)");
	CHECK(read_small_file("/proc/vmstat", buf, sizeof(buf)) > 0 && field_value(buf, "pswpin") >= 0 &&
	      field_value(buf, "pswpout") >= 0, "/proc/vmstat has pswpin and pswpout");
	CHECK(meminfo_kb("SwapCached") >= 0, "/proc/meminfo has SwapCached");
}

int main(int argc, char **argv)
{
	char buf[2048], la[128];

	t_init();
	if (argc != 6) {
		printf("SKIP: t_swapon needs its five disks: t_swapon A B E Z S (tests/guest/swapon)\n");
		return 0;
	}
	A = argv[1], B = argv[2], E = argv[3], Z = argv[4], S = argv[5];
	if (!on_holstein()) {
		printf("SKIP: t_swapon turns swap on and off: only on Holstein, never the host\n");
		return 0;
	}
	if (!has_label(A, "t_swapon-a") || !has_label(B, "t_swapon-b")) {
		printf("SKIP: t_swapon: %s and %s are not its swap disks\n", A, B);
		return 0;
	}
	swaps(buf, sizeof(buf));
	CHECK(!strncmp(buf, HDR, strlen(HDR)), "/proc/swaps starts with Linux's header line");
	base_total = meminfo_kb("SwapTotal");
	base_free = meminfo_kb("SwapFree");
	CHECK(base_total >= 0 && base_free >= 0, "/proc/meminfo has SwapTotal and SwapFree");
	check_refusals();
	CHECK(swapon(A, 0) == 0, "swapon A (8 MiB from mkswap)");
	line(la, sizeof(la), A, 8188, 0, -2);
	expect_swaps("lists A: 8188 KiB, priority -2", la, NULL);
	totals("with A on", 8188);
	check_busy();
	check_prios();
	check_names();
	expect_swaps("is empty again", NULL);
	totals("at the end", 0);
	return t_done("t_swapon");
}
