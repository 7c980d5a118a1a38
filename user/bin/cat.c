/* cat - copy files (or stdin, also for "-") to stdout. */
#include "ulib.h"

/* write_all - write all of buf to fd despite short writes; 0 on success, -1 on error. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* copy_fd - copy fd to stdout until end of file; 0 on success, -1 with errno on error. */
static int copy_fd(int fd)
{
	static char buf[16384];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n;
		if (write_all(1, buf, n) < 0)
			return -1;
	}
}

/* main - cat each argument in turn; exit 1 if any could not be read or written. */
int main(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2)
		return copy_fd(0) < 0 ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;

		if (fd < 0 || copy_fd(fd) < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			ret = 1;
		}
		if (fd > 0)
			close(fd);
	}
	return ret;
}
