/*
 * kill - send a signal to processes: kill [-SIG | -N | -s SIG] PID...
 * A negative PID (after the signal, or after "--") names a process group. "kill -l" lists
 * the signal names.
 */
#include "ulib.h"

/* clang-format off */
static const struct {
	const char *name;
	int num;
} sigs[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },	    { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT },   { "BUS", SIGBUS },	 { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 },   { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM },   { "TERM", SIGTERM }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP },   { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "WINCH", SIGWINCH },
};
/* clang-format on */

/* parse_sig - a signal given as a number, "TERM" or "SIGTERM"; -1 if unknown. */
static int parse_sig(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n >= 0 && n < 65 ? (int)n : -1;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!strcmp(s, sigs[i].name))
			return sigs[i].num;
	return -1;
}

/* main - signal each pid; exit 1 if any kill() failed or the arguments are bad. */
int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, ret = 0;

	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (size_t j = 0; j < sizeof(sigs) / sizeof(sigs[0]); j++)
			printf("%d %s\n", sigs[j].num, sigs[j].name);
		return 0;
	}
	if (i < argc && !strcmp(argv[i], "-s") && i + 1 < argc) {
		sig = parse_sig(argv[i + 1]);
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--")) {
		sig = parse_sig(argv[i] + 1);
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (sig < 0 || i >= argc) {
		fprintf(stderr, "usage: kill [-SIG | -N | -s SIG] PID...\n");
		return 1;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (!*argv[i] || *end) {
			fprintf(stderr, "kill: bad pid '%s'\n", argv[i]);
			ret = 1;
		} else if (kill(pid, sig) < 0) {
			fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
