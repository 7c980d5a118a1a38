/*
 * script.h - parsing a "#!" interpreter line (script.c).
 */
#ifndef HOLSTEIN_SCRIPT_H
#define HOLSTEIN_SCRIPT_H

#include <stddef.h>

#define SCRIPT_NAME_MAX	255	/* the interpreter and its argument, each */

/*
 * script_line - if @hdr (@n bytes, the file's start) begins with "#!",
 * the interpreter and its optional argument, copied into @interp and @arg
 * (each SCRIPT_NAME_MAX + 1 bytes): 1.  0 if it is no script; -ENOEXEC for
 * "#!" with no interpreter.  As Linux, only the first 256 bytes count; the
 * argument is the rest of the line with its outer blanks dropped.
 */
int script_line(const char *hdr, size_t n, char *interp, char *arg);

#endif
