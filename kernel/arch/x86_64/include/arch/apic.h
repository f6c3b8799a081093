/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC, in xAPIC (MMIO) or x2APIC (MSR) mode, chosen by CPUID. */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <ddeos/types.h>

void apic_init_boot(void);
void apic_init_cpu(void);
uint32_t apic_read_id(void);
bool apic_is_x2apic(void);
void apic_send_init(uint32_t apic_id);
void apic_send_sipi(uint32_t apic_id, uint8_t page);
void apic_timer_calibrate(void);

extern uint32_t cpu_apic_ids[];

#endif
