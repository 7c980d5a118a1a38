/*
 * uart8250.h - 16550/8250-compatible UARTs, including the Synopsys
 * DesignWare APB UART of the JH7110 (registers 4 bytes apart, 32-bit access).
 */
#ifndef HOLSTEIN_UART8250_H
#define HOLSTEIN_UART8250_H

#include <stdint.h>

struct uart8250 {
	uintptr_t base;		/* virtual address of register 0 */
	unsigned shift;		/* reg-shift: register n is at base + (n << shift) */
	unsigned width;		/* reg-io-width: 1 (byte access) or 4 (32-bit access) */
};

#define UART8250_RBR	0	/* receive buffer (read) */
#define UART8250_THR	0	/* transmit holding (write) */
#define UART8250_IER	1	/* interrupt enable */
#define UART8250_FCR	2	/* FIFO control (write) */
#define UART8250_LCR	3
#define UART8250_MCR	4
#define UART8250_LSR	5	/* line status */
#define UART8250_LSR_DR		0x01	/* data ready */
#define UART8250_LSR_THRE	0x20	/* transmit holding register empty */
#define UART8250_IER_RDI	0x01	/* receive data interrupt */
#define UART8250_MCR_OUT2	0x08	/* gates the interrupt line on PC-style 16550s */

void uart8250_putc(struct uart8250 *u, int c);
int uart8250_getc(struct uart8250 *u);
void uart8250_enable_rx_irq(struct uart8250 *u);

#endif
