/*
 * bootargs.c - split the command line once, in place, into a small table.
 */
#include "kernel.h"
#include "bootargs.h"

#define MAX_ARGS 32

static char cmdline_buf[512];
static struct {
	char *key, *val;
} args[MAX_ARGS];
static int nargs;
char *bootargs_init_argv[BOOTARGS_MAX_INIT_ARGS + 1];
int bootargs_init_argc;

void bootargs_parse(const char *cmdline)
{
	char *p = cmdline_buf;
	int after_dashes = 0;

	strlcpy(cmdline_buf, cmdline ? cmdline : "", sizeof(cmdline_buf));
	while (*p) {
		char *tok;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok = p;
		/* Double quotes keep spaces inside one argument, as on Linux: "a b". */
		char *out = p;
		int quoted = 0;
		while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
			if (*p == '"')
				quoted = !quoted;
			else
				*out++ = *p;
			p++;
		}
		if (*p)
			p++;
		*out = 0;
		if (after_dashes) {
			if (bootargs_init_argc < BOOTARGS_MAX_INIT_ARGS)
				bootargs_init_argv[bootargs_init_argc++] = tok;
			continue;
		}
		if (!strcmp(tok, "--")) {
			after_dashes = 1;
			continue;
		}
		if (nargs == MAX_ARGS)
			continue;
		args[nargs].key = tok;
		char *eq = strchr(tok, '=');
		if (eq) {
			*eq = 0;
			args[nargs].val = eq + 1;
		} else {
			args[nargs].val = tok + strlen(tok);
		}
		nargs++;
	}
	bootargs_init_argv[bootargs_init_argc] = 0;
}

const char *bootarg(const char *key)
{
	for (int i = nargs - 1; i >= 0; i--)
		if (!strcmp(args[i].key, key))
			return args[i].val;
	return 0;
}

long bootarg_long(const char *key, long def)
{
	const char *v = bootarg(key);
	long n = 0;
	int neg = 0;

	if (!v || !*v)
		return def;
	if (*v == '-') {
		neg = 1;
		v++;
	}
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return def;
		n = n * 10 + (*v - '0');
	}
	return neg ? -n : n;
}
