/*
 * kernel.h - what nearly every kernel file needs: fixed-width types, the
 * log, panic, and a few small macros.
 */
#ifndef HOLSTEIN_KERNEL_H
#define HOLSTEIN_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include "string.h"
#include "errno.h"
#include "../arch/riscv/page.h"	/* phys_addr_t, PAGE_SIZE */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define READ_ONCE(x)	(*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* Log levels, as in Linux: a message is shown if its level < loglevel. */
extern int loglevel;		/* printk.c; boot switch loglevel= */
#define KERN_EMERG	0	/* always shown: the verdict lines harnesses read */
#define KERN_ERR	3
#define KERN_WARN	4
#define KERN_INFO	6
#define KERN_DEBUG	7

int printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * syslog_store - keep @n bytes of message @text, logged at @ns since boot, in
 * the ring syslog(2) and dmesg read (kernel/syslog.c); printk calls it.
 */
void syslog_store(int level, uint64_t ns, const char *text, size_t n);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define pr_emerg(...)	printk(KERN_EMERG, __VA_ARGS__)
#define pr_err(...)	printk(KERN_ERR, __VA_ARGS__)
#define pr_warn(...)	printk(KERN_WARN, __VA_ARGS__)
#define pr_info(...)	printk(KERN_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(KERN_DEBUG, __VA_ARGS__)

struct trapframe;
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_frame(struct trapframe *tf, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
#define BUG_ON(c) do { if (unlikely(c)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)

#endif
