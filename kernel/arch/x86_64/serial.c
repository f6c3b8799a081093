// SPDX-License-Identifier: GPL-2.0-only
/*
 * COM1 (16550 UART at 0x3f8), polled. This is the only console: all output,
 * from every context, ends here through console.c, which serialises lines.
 */
#include <arch/cpu.h>
#include <ddeos/arch.h>

#define COM1		0x3f8
#define UART_THR	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_THRE	0x20

void arch_console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);	/* DLAB: set the divisor */
	outb(COM1 + 0, 0x01);		/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);	/* FIFOs on, cleared */
	outb(COM1 + UART_MCR, 0x03);
}

/* Context: any; the caller serialises (console lock or panic). */
void arch_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_write("\r", 1);
		/* QEMU's UART is always ready; a real one drains fast. */
		for (int spin = 0; spin < 100000; spin++)
			if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
				break;
		outb(COM1 + UART_THR, (uint8_t)s[i]);
	}
}
