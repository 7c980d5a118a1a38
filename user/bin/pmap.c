/*
 * pmap - show a process's memory map: pmap PID (or "self").
 * One line per mapping of /proc/PID/maps with its size, a total, then the Rss, Shared_*
 * and Private_* lines of /proc/PID/smaps_rollup.
 */
#include "ulib.h"

static const char *const rollup_keys[] = {
    "Rss:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:", "Private_Dirty:"};

/* print_maps - the mapping lines and total for pid; returns 0, or -1 with errno set. */
static int print_maps(const char *pid)
{
	char path[64], line[512], perms[8], name[256];
	unsigned long start, end, total = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	printf("%-16s %8s %-4s %s\n", "Address", "Kbytes", "Mode", "Mapping");
	while (fgets(line, sizeof(line), f)) {
		name[0] = '\0';
		/* start-end perms offset dev inode [name] */
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255[^\n]", &start, &end, perms, name) <
		    3)
			continue;
		total += end - start;
		printf("%016lx %7luK %-4s %s\n", start, (end - start) / 1024, perms,
		       name[0] ? name : "[ anon ]");
	}
	fclose(f);
	printf("%-16s %7luK\n", "total", total / 1024);
	return 0;
}

/* print_rollup - the Rss/Shared/Private lines of smaps_rollup, if the kernel has it. */
static void print_rollup(const char *pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(rollup_keys) / sizeof(rollup_keys[0]); i++)
			if (!strncmp(line, rollup_keys[i], strlen(rollup_keys[i])))
				fputs(line, stdout);
	fclose(f);
}

/* main - print the map of the process named by argv[1]; exit 1 if it cannot be read. */
int main(int argc, char **argv)
{
	char path[64], buf[512], *comm = "?", *end;

	if (argc != 2) {
		fprintf(stderr, "usage: pmap PID\n");
		return 1;
	}
	/* The name comes from stat's "(comm)" field: Holstein has no /proc/PID/cmdline. */
	snprintf(path, sizeof(path), "/proc/%s/stat", argv[1]);
	if (read_small_file(path, buf, sizeof(buf)) > 0 && strchr(buf, '(') &&
	    (end = strrchr(buf, ')'))) {
		*end = '\0';
		comm = strchr(buf, '(') + 1;
	}
	printf("%s:   %s\n", argv[1], comm);
	if (print_maps(argv[1]) < 0) {
		fprintf(stderr, "pmap: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	print_rollup(argv[1]);
	return 0;
}
