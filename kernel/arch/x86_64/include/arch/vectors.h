/* SPDX-License-Identifier: GPL-2.0-only */
/* The interrupt vector map (system vectors at the top, like Linux's). */
#ifndef ARCH_VECTORS_H
#define ARCH_VECTORS_H

#define VEC_DEVICE_FIRST	0x30	/* IOAPIC and MSI vectors, per CPU */
#define VEC_DEVICE_LAST		0xdf
#define VEC_TIMER		0xec
#define VEC_RESCHED		0xfd
#define VEC_CALL_FUNCTION	0xfb
#define VEC_ERROR		0xfe
#define VEC_SPURIOUS		0xff

#endif
