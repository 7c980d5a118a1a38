/* uart_sifive.h - the SiFive UART (sifive,uart0) of the HiFive Unleashed / QEMU sifive_u. */
#ifndef HOLSTEIN_UART_SIFIVE_H
#define HOLSTEIN_UART_SIFIVE_H

#include <stdint.h>

#define SIFIVE_UART_TXDATA	0x00	/* bit 31: FIFO full */
#define SIFIVE_UART_RXDATA	0x04	/* bit 31: FIFO empty */
#define SIFIVE_UART_TXCTRL	0x08	/* bit 0: txen */
#define SIFIVE_UART_RXCTRL	0x0c	/* bit 0: rxen */
#define SIFIVE_UART_IE		0x10	/* bit 1: rxwm */

void uart_sifive_init(uintptr_t base);
void uart_sifive_putc(uintptr_t base, int c);
int uart_sifive_getc(uintptr_t base);
void uart_sifive_enable_rx_irq(uintptr_t base);

#endif
