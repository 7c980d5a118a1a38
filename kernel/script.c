/*
 * script.c - the "#!" line of an interpreter script: which program runs
 * it, with which one optional argument.  Pure text parsing, kept apart from
 * exec.c so that it can be tested on the host.
 */
#include "kernel.h"
#include "string.h"
#include "errno.h"
#include "script.h"

/*
 * script_line - if @hdr (@n bytes) starts with "#!", the interpreter and
 * its optional argument, copied into @interp and @arg (at most NAME_MAX
 * each): 1; 0 if it is no script; -ENOEXEC for "#!" with no interpreter.
 */
int script_line(const char *hdr, size_t n, char *interp, char *arg)
{
	size_t i = 2, e, a;

	if (n < 2 || hdr[0] != '#' || hdr[1] != '!')
		return 0;
	n = MIN(n, 256UL);			/* Linux reads the line from a 256-byte buffer */
	for (e = 2; e < n && hdr[e] != '\n'; e++)
		;
	while (i < e && (hdr[i] == ' ' || hdr[i] == '\t'))
		i++;
	for (a = i; a < e && hdr[a] != ' ' && hdr[a] != '\t'; a++)
		;
	if (a == i || a - i > SCRIPT_NAME_MAX)
		return -ENOEXEC;
	memcpy(interp, hdr + i, a - i);
	interp[a - i] = 0;
	while (a < e && (hdr[a] == ' ' || hdr[a] == '\t'))
		a++;
	while (e > a && (hdr[e - 1] == ' ' || hdr[e - 1] == '\t' || hdr[e - 1] == '\r'))
		e--;
	e = MIN(e, a + SCRIPT_NAME_MAX);
	memcpy(arg, hdr + a, e - a);
	arg[e - a] = 0;
	return 1;
}

