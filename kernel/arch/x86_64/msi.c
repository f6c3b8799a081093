// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI/MSI-X messages: the address/data pair a device writes to raise a
 * vector on a chosen CPU (Intel SDM vol. 3, 11.11). The vector itself comes
 * from irq_vector_alloc() on that CPU.
 */
#include <arch/apic.h>
#include <ddeos/errno.h>
#include <ddeos/irq.h>
#include <ddeos/percpu.h>

int msi_compose(unsigned int cpu, unsigned int vector, uint64_t *addr,
		uint32_t *data)
{
	if (cpu >= MAX_CPUS || cpu_apic_ids[cpu] > 255 || vector < 0x20 || vector > 0xff)
		return -EINVAL;
	/* Intel SDM 11.11: fixed delivery, physical destination, edge. */
	*addr = 0xfee00000ull | ((uint64_t)cpu_apic_ids[cpu] << 12);
	*data = vector;
	return 0;
}
