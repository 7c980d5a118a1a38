/*
 * uart8250.c - polled transmit, polled or interrupt-driven receive.  The
 * firmware has already set the baud rate; we do not touch the divisor.
 */
#include "uart8250.h"

static uint32_t reg_read(struct uart8250 *u, unsigned reg)
{
	uintptr_t a = u->base + ((uintptr_t)reg << u->shift);

	if (u->width == 4)
		return *(volatile uint32_t *)a;
	return *(volatile uint8_t *)a;
}

static void reg_write(struct uart8250 *u, unsigned reg, uint32_t v)
{
	uintptr_t a = u->base + ((uintptr_t)reg << u->shift);

	if (u->width == 4)
		*(volatile uint32_t *)a = v;
	else
		*(volatile uint8_t *)a = (uint8_t)v;
}

/* uart8250_putc - wait for room in the transmitter, then send @c. */
void uart8250_putc(struct uart8250 *u, int c)
{
	while (!(reg_read(u, UART8250_LSR) & UART8250_LSR_THRE))
		;
	reg_write(u, UART8250_THR, (uint8_t)c);
}

/* uart8250_getc - one received byte, or -1 if none is waiting. */
int uart8250_getc(struct uart8250 *u)
{
	if (!(reg_read(u, UART8250_LSR) & UART8250_LSR_DR))
		return -1;
	return (int)(reg_read(u, UART8250_RBR) & 0xff);
}

/* uart8250_enable_rx_irq - raise the interrupt line when a byte arrives. */
void uart8250_enable_rx_irq(struct uart8250 *u)
{
	reg_write(u, UART8250_MCR, reg_read(u, UART8250_MCR) | UART8250_MCR_OUT2);
	reg_write(u, UART8250_IER, UART8250_IER_RDI);
}
