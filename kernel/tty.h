/* tty.h - the console's line discipline (/dev/console). */
#ifndef HOLSTEIN_TTY_H
#define HOLSTEIN_TTY_H

struct file_ops;

/* tty_ops - the file operations of /dev/console and /dev/tty (fs/devfs.c). */
extern const struct file_ops tty_ops;

/* tty_poll - move every waiting input byte from the UART into the line discipline. */
void tty_poll(void);

/* tty_fg_pgrp - the console's foreground process group (TIOCGPGRP): /proc/PID/stat's tpgid. */
int tty_fg_pgrp(void);

#endif
