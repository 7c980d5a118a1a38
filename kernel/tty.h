/* tty.h - the console's line discipline (/dev/console). */
#ifndef HOLSTEIN_TTY_H
#define HOLSTEIN_TTY_H

/* tty_poll - move every waiting input byte from the UART into the line discipline. */
void tty_poll(void);

#endif
