/* uart_sifive.c - 32-bit registers; the full/empty flags live in bit 31. */
#include "uart_sifive.h"

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

void uart_sifive_init(uintptr_t base)
{
	REG(base, SIFIVE_UART_TXCTRL) |= 1;
	REG(base, SIFIVE_UART_RXCTRL) |= 1;
}

void uart_sifive_putc(uintptr_t base, int c)
{
	while (REG(base, SIFIVE_UART_TXDATA) & 0x80000000u)
		;
	REG(base, SIFIVE_UART_TXDATA) = (uint8_t)c;
}

int uart_sifive_getc(uintptr_t base)
{
	uint32_t v = REG(base, SIFIVE_UART_RXDATA);

	return (v & 0x80000000u) ? -1 : (int)(v & 0xff);
}

/* RX watermark interrupt: fires while more than 0 bytes wait (rxcnt = 0). */
void uart_sifive_enable_rx_irq(uintptr_t base)
{
	REG(base, SIFIVE_UART_IE) = 2;
}
