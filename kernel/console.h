/*
 * console.h - the kernel console: whichever UART the device tree names,
 * else the SBI legacy console.  kernel/tty.c builds the user-facing
 * /dev/console (line discipline) on top.
 */
#ifndef HOLSTEIN_CONSOLE_H
#define HOLSTEIN_CONSOLE_H

#include <stddef.h>

struct dt_info;

struct console_ops {
	const char *name;
	void (*putc)(int c);
	int (*getc)(void);		/* -1 if no byte waiting */
	void (*irq_enable)(void);	/* RX interrupt on, may be NULL */
};

void console_init(const struct dt_info *dt);
void console_write(const char *s, size_t n);
void console_write_raw(const char *s, size_t n);	/* no "\n" -> "\r\n" */
int console_getc(void);
int console_irq(void);			/* PLIC source of the console, 0 if polled */
void console_irq_enable(void);
const char *console_name(void);

#endif
