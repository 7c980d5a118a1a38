/*
 * test_uart8250.c - host test of drivers/uart8250.c against a fake register
 * file: plain memory standing in for the MMIO window.
 *
 * The layouts that matter:
 *   reg-shift 2, reg-io-width 4: the JH7110's snps,dw-apb-uart, registers
 *     4 bytes apart and only 32-bit accesses allowed (LSR at 0x14);
 *   reg-shift 0, reg-io-width 1: QEMU's ns16550a, byte registers (LSR at 5).
 *
 * Plain memory cannot log reads, so reads are checked by their effect: the
 * status bits are set only at the right offset, and everything else holds
 * values that would make a misplaced read misbehave.  Stores are checked by
 * their width: a 32-bit store replaces all four bytes of a poisoned word,
 * a byte store only one.  putc spins until LSR.THRE, so it runs in a child
 * process with a deadline: "still spinning" is an answer, not a hang.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/uart8250.h"

#define POISON32	0xa5a5a5a5u
#define POISON8		0xa5u
#define NREGS		8

/*
 * The window is shared memory so a child's stores are visible here.  As
 * words for the 32-bit layout, as bytes for the byte layout.
 */
static volatile uint32_t *regs32;
static volatile uint8_t *regs8;

static int group_setup(void **state)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	(void)state;
	if (p == MAP_FAILED)
		return -1;
	regs32 = p;
	regs8 = p;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	munmap((void *)regs32, 4096);
	return 0;
}

/* The fake registers, poisoned before each test. */
static int poison(void **state)
{
	(void)state;
	for (int i = 0; i < NREGS; i++)
		regs32[i] = POISON32;
	return 0;
}

static struct uart8250 dw_apb(void)
{
	return (struct uart8250){ .base = (uintptr_t)regs32, .shift = 2, .width = 4 };
}

static struct uart8250 ns16550(void)
{
	return (struct uart8250){ .base = (uintptr_t)regs8, .shift = 0, .width = 1 };
}

/*
 * putc_returns - run uart8250_putc(@u, @c) in a child; 1 if it returned
 * within 200 ms, 0 if it was still waiting for the transmitter (killed).
 */
static int putc_returns(struct uart8250 u, int c)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		uart8250_putc(&u, c);
		_exit(0);
	}
	for (int i = 0; i < 40; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == 0;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return 0;
}

/* DW APB: putc waits on LSR at 0x14, then stores THR at 0 as a full word. */
static void test_dw_putc(void **state)
{
	(void)state;
	/* THRE clear at 0x14, and set nowhere a misplaced read could find it. */
	regs32[UART8250_LSR] = 0;
	regs32[1] = 0;			/* byte offset 5 lives in this word */
	assert_false(putc_returns(dw_apb(), 'x'));
	assert_int_equal(regs32[UART8250_THR], POISON32);	/* nothing sent early */

	regs32[UART8250_LSR] = UART8250_LSR_THRE;
	assert_true(putc_returns(dw_apb(), 'x'));
	assert_int_equal(regs32[UART8250_THR], 'x');	/* all four bytes: a 32-bit store */
	for (int i = 1; i < NREGS; i++)
		if (i != UART8250_LSR)
			assert_int_equal(regs32[i], i == 1 ? 0 : POISON32);
}

/* Bytes above 0xff never reach the line: only the low 8 bits are stored. */
static void test_dw_putc_masks(void **state)
{
	(void)state;
	regs32[UART8250_LSR] = UART8250_LSR_THRE;
	assert_true(putc_returns(dw_apb(), 0x1234));
	assert_int_equal(regs32[UART8250_THR], 0x34);
}

/* DW APB: getc reads LSR at 0x14, then RBR at 0 (low byte of the word). */
static void test_dw_getc(void **state)
{
	struct uart8250 u = dw_apb();

	(void)state;
	regs32[UART8250_RBR] = 0xffffff00u | 'k';
	regs32[1] = 0;				/* a byte-offset LSR read would see DR clear */
	regs32[UART8250_LSR] = UART8250_LSR_DR;
	assert_int_equal(uart8250_getc(&u), 'k');

	regs32[UART8250_LSR] = UART8250_LSR_THRE;	/* no data ready */
	assert_int_equal(uart8250_getc(&u), -1);
}

/* DW APB: IER at 1 << 2 gets the receive interrupt, with a 32-bit store; MCR gets OUT2. */
static void test_dw_enable_rx_irq(void **state)
{
	struct uart8250 u = dw_apb();

	(void)state;
	regs32[UART8250_MCR] = 0;
	uart8250_enable_rx_irq(&u);
	assert_int_equal(regs32[UART8250_IER], UART8250_IER_RDI);
	assert_int_equal(regs32[UART8250_MCR], UART8250_MCR_OUT2);
	assert_int_equal(regs32[0], POISON32);
	assert_int_equal(regs32[UART8250_LCR], POISON32);	/* the divisor latch stays shut */
}

/* ns16550a: putc waits on byte 5, then stores one byte at 0. */
static void test_byte_putc(void **state)
{
	(void)state;
	regs8[UART8250_LSR] = 0;
	regs8[UART8250_LSR << 2] = 0;	/* where a shift-2 read would look */
	assert_false(putc_returns(ns16550(), 'y'));
	assert_int_equal(regs8[UART8250_THR], POISON8);

	regs8[UART8250_LSR] = UART8250_LSR_THRE;
	assert_true(putc_returns(ns16550(), 'y'));
	assert_int_equal(regs8[UART8250_THR], 'y');
	for (int i = 1; i < 4; i++)
		assert_int_equal(regs8[i], POISON8);	/* a byte store: the rest untouched */
}

/* ns16550a: getc reads byte 5, then byte 0. */
static void test_byte_getc(void **state)
{
	struct uart8250 u = ns16550();

	(void)state;
	regs8[UART8250_RBR] = 'q';
	regs8[UART8250_LSR << 2] = 0;
	regs8[UART8250_LSR] = UART8250_LSR_DR;
	assert_int_equal(uart8250_getc(&u), 'q');
	regs8[UART8250_RBR] = 0xff;	/* a 0xff byte is data, not the -1 of "nothing" */
	assert_int_equal(uart8250_getc(&u), 0xff);
	regs8[UART8250_LSR] = 0;
	assert_int_equal(uart8250_getc(&u), -1);
}

/* ns16550a: IER is byte 1, bit 0; OUT2 in MCR (byte 4) gates the IRQ line. */
static void test_byte_enable_rx_irq(void **state)
{
	struct uart8250 u = ns16550();

	(void)state;
	regs8[UART8250_MCR] = 0x03;	/* DTR|RTS as firmware left them: kept */
	uart8250_enable_rx_irq(&u);
	assert_int_equal(regs8[UART8250_IER], UART8250_IER_RDI);
	assert_int_equal(regs8[UART8250_MCR], 0x03 | UART8250_MCR_OUT2);
	assert_int_equal(regs8[0], POISON8);
	assert_int_equal(regs8[UART8250_LCR], POISON8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_dw_putc, poison),
	    cmocka_unit_test_setup(test_dw_putc_masks, poison),
	    cmocka_unit_test_setup(test_dw_getc, poison),
	    cmocka_unit_test_setup(test_dw_enable_rx_irq, poison),
	    cmocka_unit_test_setup(test_byte_putc, poison),
	    cmocka_unit_test_setup(test_byte_getc, poison),
	    cmocka_unit_test_setup(test_byte_enable_rx_irq, poison),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
