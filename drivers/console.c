/*
 * console.c - pick the kernel console from the device tree: the UART that
 * /chosen/stdout-path names (8250 family or sifive,uart0), else the SBI
 * legacy console, which every OpenSBI still offers.
 */
#include "../kernel/kernel.h"
#include "../kernel/console.h"
#include "../kernel/devtree.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/sbi.h"
#include "uart8250.h"
#include "uart_sifive.h"

static struct uart8250 u8250;
static uintptr_t sifive_base;
static int console_irq_num;

static void c8250_putc(int c) { uart8250_putc(&u8250, c); }
static int c8250_getc(void) { return uart8250_getc(&u8250); }
static void c8250_irq(void) { uart8250_enable_rx_irq(&u8250); }
static void csifive_putc(int c) { uart_sifive_putc(sifive_base, c); }
static int csifive_getc(void) { return uart_sifive_getc(sifive_base); }
static void csifive_irq(void) { uart_sifive_enable_rx_irq(sifive_base); }
static void csbi_putc(int c) { sbi_console_putchar(c); }
static int csbi_getc(void) { return sbi_console_getchar(); }

static const struct console_ops ops_8250 = { "uart8250", c8250_putc, c8250_getc, c8250_irq };
static const struct console_ops ops_sifive = { "sifive-uart", csifive_putc, csifive_getc, csifive_irq };
static const struct console_ops ops_sbi = { "sbi", csbi_putc, csbi_getc, 0 };
static const struct console_ops *con = &ops_sbi;

/*
 * console_init - choose the console from @dt.  Runs before the final kernel
 * page table, through the early direct map; vm/kvm.c maps the same UART
 * page in the final table at the same virtual address.
 */
void console_init(const struct dt_info *dt)
{
	const struct dt_uart *u = &dt->uart;

	if (u->kind == DT_UART_8250 && u->base) {
		u8250.base = (uintptr_t)pa_to_va(u->base);
		u8250.shift = u->reg_shift;
		u8250.width = u->reg_io_width == 4 ? 4 : 1;
		con = &ops_8250;
		console_irq_num = (int)u->irq;
	} else if (u->kind == DT_UART_SIFIVE && u->base) {
		sifive_base = (uintptr_t)pa_to_va(u->base);
		uart_sifive_init(sifive_base);
		con = &ops_sifive;
		console_irq_num = (int)u->irq;
	}
}

/* console_write - send @n bytes, turning "\n" into "\r\n" for terminals. */
void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			con->putc('\r');
		con->putc(s[i]);
	}
}

/* console_write_raw - send @n bytes as they are (a terminal without ONLCR: vi's raw mode). */
void console_write_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		con->putc(s[i]);
}

int console_getc(void)
{
	return con->getc();
}

int console_irq(void)
{
	return con->irq_enable ? console_irq_num : 0;
}

void console_irq_enable(void)
{
	if (con->irq_enable)
		con->irq_enable();
}

const char *console_name(void)
{
	return con->name;
}
