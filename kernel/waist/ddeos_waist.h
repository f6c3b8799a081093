/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The waist: everything the DDE (compiled with Linux's headers and flags)
 * may ask of the ddeos kernel, and nothing more. Plain C, fixed-width types
 * only, every name prefixed ddeos_, so the file compiles unchanged in both
 * worlds without clashing with Linux's macros. kernel/waist/waist.c
 * implements it; docs/architecture.md explains why the line is drawn here.
 *
 * State shared without calls (same symbols in both worlds, Linux's names):
 * the per-CPU variables __preempt_count, cpu_number, current_task,
 * this_cpu_off and the array __per_cpu_offset[] (kernel/percpu.c,
 * kernel/sched.c), and the one .data..percpu section all objects link into.
 */
#ifndef DDEOS_WAIST_H
#define DDEOS_WAIST_H

/* ---- console and stopping --------------------------------------------- */
/* Write whole lines to the console. Context: any. */
void ddeos_console_write(const char *s, unsigned long n);
/* Print a backtrace starting at the caller of the caller. Context: any. */
void ddeos_backtrace_here(void);
/* Print a backtrace of the interrupted code at rip/rbp. Context: any. */
void ddeos_backtrace(unsigned long rbp, unsigned long rip);
/* Format "function+0xoff" for a code address. Context: any. */
void ddeos_symbolize(unsigned long addr, char *buf, unsigned long size);
/* Stop every CPU and power off with a failure status. Context: any. */
void ddeos_panic(const char *msg) __attribute__((noreturn));

/* ---- CPUs, time, scheduling --------------------------------------------- */
/* The kernel's CPU limit; Linux's CONFIG_NR_CPUS must equal it (checked
 * when the DDE is compiled), since per-CPU arrays on both sides use it. */
#define DDEOS_MAX_CPUS 64
unsigned int ddeos_cpus_online(void);
unsigned int ddeos_cpus_possible(void);
/* Monotonic ns since boot. Context: any. */
unsigned long long ddeos_clock_ns(void);
/* Ticks at the scheduler's rate (DDEOS_TICK_HZ), from boot. */
#define DDEOS_TICK_HZ 250
/* Called on every CPU's tick, in hard-IRQ context. Register once. */
void ddeos_set_tick_hook(void (*hook)(void));
/* The preempt counter dropped to zero with a switch pending (Linux's
 * preempt_schedule()). Context: any; returns at once if not preemptible. */
void ddeos_preempt(void);
/* A device's reply is due soon on this CPU (a frame was sent): its idle
 * loop spins briefly before halting. Context: any. */
void ddeos_idle_poll_hint(void);
/* Whether this CPU is on its idle thread and will spin rather than halt
 * or switch, so a device may leave its interrupt off and be polled. */
int ddeos_idle_will_poll(void);
/* Register the one idle poller: a spinning idle loop calls @poll each
 * time round and @end when it stops (idle thread, IRQs on, preemption
 * off); @armed, with IRQs off before halting: whether @end has work. */
void ddeos_set_idle_poller(void (*poll)(void), void (*end)(void),
			   int (*armed)(void));
/* Give the CPU to another ready thread. Context: thread, may sleep. */
void ddeos_yield(void);
/* Sleep for at least @ns. Context: thread, may sleep. */
void ddeos_sleep_ns(unsigned long long ns);
/* Report a sleep from atomic context, naming @caller, and stop. */
void ddeos_assert_may_sleep(const void *caller);

/*
 * Threads carry one opaque pointer for the DDE (Linux's `current`). The
 * create hook runs in the creating thread for every new thread and once for
 * every thread that already exists when it is registered; its result is
 * what current_task holds while the thread runs. The destroy hook runs when
 * a thread is reaped. Context of both: thread, may allocate.
 */
void ddeos_set_thread_hooks(void *(*create)(const char *name, unsigned int cpu,
					    void *thread),
			    void (*destroy)(void *task));

/*
 * Where in the opaque per-thread pointer (Linux's task_struct) the
 * scheduler keeps facts current, as Linux's does: the CPU the thread
 * runs on (thread_info.cpu, read by task_cpu()) and whether it is on a CPU
 * now (on_cpu, read by mutex spinning). The DDE checks the offsets against
 * Linux's layout at compile time.
 */
#define DDEOS_TASK_CPU_OFFSET		20
#define DDEOS_TASK_ON_CPU_OFFSET	52
/* And a pending switch, as the bit of thread_info.flags that Linux's
 * need_resched() tests (TIF_NEED_RESCHED), set and cleared with the
 * preempt counter's folded bit. */
#define DDEOS_TASK_FLAGS_OFFSET		0
#define DDEOS_TASK_NEED_RESCHED_BIT	3

/*
 * Sleeping for the DDE's schedule(): the thread marks itself blocked,
 * re-checks its own condition (Linux's task->__state), then cancels (1 if
 * no wake-up came meanwhile) or blocks until ddeos_thread_wake() or the
 * deadline (ns of ddeos_clock_ns(); 0 = none; returns 0 on timeout). A
 * waker changes the condition before ddeos_thread_wake() (with a full
 * barrier between): no wake-up is lost. Context: thread, preemption
 * disabled exactly once, IRQs on.
 */
void ddeos_thread_prepare_block(void);
int ddeos_thread_cancel_block(void);
int ddeos_thread_block(unsigned long long deadline_ns);
/* Wake @thread if it is blocked. Return: 1 if it was. Context: any. */
int ddeos_thread_wake(void *thread);
/* @thread's stack: lowest address and size. Context: any. */
void *ddeos_thread_stack(void *thread, unsigned long *size);

/*
 * Kernel threads for the DDE (kthreads, tests). @cpu is -1 for any CPU;
 * @prio 0 (highest) to 7, 4 being the default. Return: an opaque thread,
 * or 0 when out of memory. Context: thread, may allocate.
 */
void *ddeos_thread_create(const char *name, int (*fn)(void *), void *arg,
			  int cpu, int prio);
/* Wait for @thread to exit. Return: fn's result. Context: may sleep. */
int ddeos_thread_join(void *thread);
/* Nobody will join @thread: it is freed once it exited (the kernel's
 * reaper). Context: thread, may sleep. */
void ddeos_thread_detach(void *thread);
/* End the calling thread now; ddeos_thread_join() returns @code. The thread
 * is freed by its joiner, as when fn returns. Context: thread, may sleep. */
void ddeos_thread_exit(int code) __attribute__((noreturn));
/* Move the calling thread to @cpu (-1: any). Return: 0 or -EINVAL. */
int ddeos_thread_pin(int cpu);
/* The kernel's view of the running CPU. Context: any. */
unsigned int ddeos_cpu_id(void);
/* Equal for CPUs that share a last-level cache, as Linux's x86 topology
 * code finds it from CPUID (QEMU's default -smp N: N sockets, none
 * shared). Context: any. */
unsigned int ddeos_cpu_llc_id(unsigned int cpu);
/* Run fn(arg) on @cpu in hard-IRQ context and wait. Return: 0 or -EINVAL.
 * Context: thread, IRQs on. */
int ddeos_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);

/* ---- locks: a 4-byte fair spinlock; all-zero is unlocked ---------------- */
/* Take/drop the lock only: the caller manages preemption and IRQs. */
void ddeos_lock_acquire(void *word);
int ddeos_lock_try(void *word);
void ddeos_lock_release(void *word);

/* ---- the command line -------------------------------------------------- */
/*
 * Words of the command line the kernel has no option for go to @hook
 * (Linux's module and boot parameters): it returns 0 when it took the word,
 * -ENOENT when it is not Linux's either (the kernel reports an unknown
 * option), another error for a bad value (reported with the name). Context:
 * the main thread, after ddeos_dde_init(). Register once.
 */
void ddeos_set_param_hook(int (*hook)(const char *key, const char *value));
/* The whole command line, for Linux's early parameters. Context: any. */
const char *ddeos_cmdline(void);

/* ---- interrupts ---------------------------------------------------------- */
/*
 * Called at the end of every hard IRQ, still in hard-IRQ context (the
 * kernel added HARDIRQ_OFFSET on entry) with IRQs off, on the IRQ stack:
 * the hook takes HARDIRQ_OFFSET off itself (Linux's irq_exit()) and may run
 * softirqs, enabling IRQs meanwhile. Register once.
 */
void ddeos_set_irq_exit_hook(void (*hook)(void));
/* Top of @cpu's IRQ stack (16 KiB below it are usable). Context: any. */
unsigned long ddeos_irq_stack_top(unsigned int cpu);

/*
 * Device vectors. A vector is a (cpu, vector) pair: each CPU has its own
 * table. fn(arg) runs in hard-IRQ context on that CPU, on its IRQ stack,
 * IRQs off. The kernel sends the local APIC EOI after fn returns (and
 * before softirqs run), so a level-triggered IOAPIC line masked by fn
 * stays quiet, and one fn leaves asserted fires again after the EOI.
 * Alloc: the vector (0x30..0xdf) or -ENOSPC/-EINVAL. Context: any.
 * Free: on return fn runs nowhere and never will again; an interrupt that
 * still arrives for the vector is counted and dropped. Context: any but fn
 * itself on @cpu (it would wait for itself).
 */
int ddeos_irq_vector_alloc(unsigned int cpu, void (*fn)(void *), void *arg);
void ddeos_irq_vector_free(unsigned int cpu, int vector);
/* Raise @vector on @cpu (an IPI; @cpu may be the caller's): a software
 * interrupt source, and the DDE's resend of a lost edge. Context: any. */
void ddeos_irq_send(unsigned int cpu, unsigned int vector);

/* ---- traps ---------------------------------------------------------------- */
/*
 * Called on an invalid-opcode trap (ud2) before the kernel reports it. The
 * hook returns 1 with *rip moved past the trap to continue (a WARN), or 0
 * if it is not the DDE's (the kernel then reports and stops).
 */
void ddeos_set_ud_hook(int (*hook)(unsigned long *rip, unsigned long rbp));

/*
 * A faulting context's registers, in the kernel's trap-frame order. The
 * fault hook runs for page faults and general protection faults before the
 * kernel reports them; it returns 1 after fixing the context up (rip and
 * registers, Linux's __ex_table fixups), 0 if the fault is not its own.
 * Context: the fault, IRQs off. Register once.
 */
struct ddeos_trap_regs {
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
	unsigned long rbp, rdi, rsi, rdx, rcx, rbx, rax;
	unsigned long vector, error;
	unsigned long rip, cs, rflags, rsp, ss;
};
void ddeos_set_fault_hook(int (*hook)(struct ddeos_trap_regs *regs,
				      unsigned long fault_addr));

/* ---- memory: the per-CPU pool (kernel/mm/pool.h) -------------------------
 * Every function here is safe in any context (thread, preemption off,
 * softirq, hard IRQ) on any CPU, and frees may happen on any CPU; with
 * DDEOS_MEM_SLEEP the caller must be able to sleep. Addresses are direct-map
 * addresses. Failure is NULL/0 and changes nothing. */
#define DDEOS_MEM_SLEEP	0x1u	/* may sleep waiting for reclaim */
#define DDEOS_MEM_ZERO	0x2u	/* zero the usable size */
#define DDEOS_MEM_DMA32	0x4u	/* pages below 4 GiB physical */
/* Size of Linux's struct page; the kernel maps one per RAM page at
 * VMEMMAP_START (the DDE checks it against sizeof(struct page)). */
#define DDEOS_STRUCT_PAGE_SIZE	56
/* The largest object served from size classes; above it, page blocks. */
#define DDEOS_MEM_CLASS_MAX	8192
#define DDEOS_MEM_MAX_ORDER	10

void *ddeos_mem_alloc(unsigned long size, unsigned int flags, unsigned long caller);
void ddeos_mem_free(void *p, unsigned long caller);
/* Physical end of the highest RAM range (DMA masks are checked
 * against it). */
unsigned long long ddeos_mem_phys_end(void);
/* Usable size of an object; 0 if the pool does not know @p. */
unsigned long ddeos_mem_ksize(const void *p);

/* 2^order pages, aligned to their size. */
void *ddeos_pages_alloc(unsigned int order, unsigned int flags);
void ddeos_pages_free(void *addr, unsigned int order);
/* Make an allocated block of 2^order pages 2^order order-0 blocks. */
void ddeos_pages_split(void *addr, unsigned int order);

/* Named caches of fixed-size objects; @ctor runs once per object, when its
 * slab is made. Create/destroy: thread context. */
struct ddeos_cache;
struct ddeos_cache *ddeos_cache_create(const char *name, unsigned long size,
				       unsigned long align, void (*ctor)(void *));
/* Return: objects still in use (the cache is then kept and reported), or 0
 * when the cache is gone and its slot free for reuse. May sleep. */
unsigned long ddeos_cache_destroy(struct ddeos_cache *c);
void *ddeos_cache_alloc(struct ddeos_cache *c, unsigned int flags);
void ddeos_cache_free(struct ddeos_cache *c, void *p);

/* Dynamic per-CPU memory: an offset that is a per-CPU pointer in Linux's
 * sense (per_cpu_ptr() adds __per_cpu_offset[cpu]), zeroed on every CPU,
 * or 0. Context: any. */
unsigned long ddeos_percpu_alloc(unsigned long size, unsigned long align);
void ddeos_percpu_free(unsigned long ptr);

/* Accounting for tests: pages free in the pool (buddy lists and per-CPU
 * caches, after every CPU handed back what it can), and objects in use. */
struct ddeos_mem_totals {
	unsigned long pages_free;
	unsigned long pages_total;
	unsigned long objects_in_use;
	unsigned long pages_slab;
};
/* Drain every CPU, then read the totals. Context: thread, may sleep. */
void ddeos_mem_quiesce(struct ddeos_mem_totals *t);

/* ---- PCI ------------------------------------------------------------------
 * The functions the kernel found at boot (kernel/pci/pci.c, before
 * ddeos_dde_init()), their configuration space, device memory mappings and
 * the interrupt plumbing a PCI layer needs. Implemented in
 * kernel/waist/waist_pci.c; docs/pci.md. Interrupt vectors themselves are
 * allocated per CPU elsewhere (---- interrupts ----).
 */
#define DDEOS_PCI_BAR_IO	0x1u	/* I/O ports (start is a port number) */
#define DDEOS_PCI_BAR_MEM	0x2u	/* memory */
#define DDEOS_PCI_BAR_MEM64	0x4u	/* 64-bit memory BAR: uses the next slot too */
#define DDEOS_PCI_BAR_PREFETCH	0x8u	/* prefetchable memory */
#define DDEOS_PCI_BAR_UNASSIGNED 0x10u	/* no address: firmware left it 0 and
					   no host bridge window could take it */
#define DDEOS_PCI_BAR_PLACED	0x20u	/* the kernel placed it (firmware had not) */
#define DDEOS_PCI_NO_GSI	0xffffffffu

/* A BAR as firmware left it, or as the kernel placed it when firmware had
 * not; size 0: not implemented (or the upper half of the 64-bit BAR
 * before it). */
struct ddeos_pci_bar {
	unsigned long long start;
	unsigned long long size;
	unsigned int flags;
};

/* One function, as found at boot; read-only afterwards. */
struct ddeos_pci_func {
	unsigned short segment;
	unsigned char bus, dev, fn;
	unsigned char header_type;	/* 0 device, 1 PCI-PCI bridge (bit 7 cleared) */
	unsigned short vendor, device;
	unsigned short subsys_vendor, subsys_device;	/* 0 for bridges */
	unsigned int class;		/* base << 16 | sub << 8 | prog-if */
	unsigned char revision;
	unsigned char irq_pin;		/* 0 none, 1..4 INTA..INTD */
	unsigned char irq_line;		/* what firmware wrote (0xff: none) */
	/* INTx as the IOAPIC sees it: DDEOS_PCI_NO_GSI when the function has
	 * no pin or firmware gave it no line; trigger and polarity to pass to
	 * ddeos_ioapic_route(). */
	unsigned int gsi;
	unsigned char gsi_level, gsi_active_low;
	/* Capability offsets in configuration space, 0 if absent. */
	unsigned char msi_cap, msix_cap, pcie_cap;
	unsigned char secondary_bus;	/* bridges: the bus behind it */
	struct ddeos_pci_bar bar[6];	/* bridges use bar[0..1] */
};

/* How many functions were found. Context: any. */
unsigned int ddeos_pci_count(void);
/* Return: function @index (0..count-1, ordered by segment, bus, device,
 * function), or 0 past the end. Context: any. */
const struct ddeos_pci_func *ddeos_pci_get(unsigned int index);
/*
 * Configuration space of @f: @size 1, 2 or 4 bytes at @off (aligned to
 * @size, below 4096 with ECAM, below 256 by ports). Return: 0, -EINVAL for
 * a bad @f, size, offset or alignment, -ENODEV if @f cannot be reached.
 * Context: any; concurrent calls on any CPUs are safe.
 */
int ddeos_pci_read(const struct ddeos_pci_func *f, unsigned int off,
		   unsigned int size, unsigned int *val);
int ddeos_pci_write(const struct ddeos_pci_func *f, unsigned int off,
		    unsigned int size, unsigned int val);

#define DDEOS_IOREMAP_UC	0u	/* uncached (Linux's ioremap()) */
#define DDEOS_IOREMAP_WC	1u	/* write-combining (ioremap_wc()) */
/*
 * Map device memory [@phys, @phys + @size) in the kernel's ioremap range,
 * visible on every CPU. Return: the address of @phys, or 0 for a zero size,
 * RAM, a bad mode, or no room. Context: thread or preemption off, not
 * hard IRQ.
 */
void *ddeos_ioremap(unsigned long long phys, unsigned long size, unsigned int mode);
/* Unmap (any address in the first page of a mapping); the range is reused
 * after every CPU flushed its TLB. Context: thread, may sleep. */
void ddeos_iounmap(void *addr);

/*
 * The MSI/MSI-X message that raises @vector on @cpu (fixed delivery,
 * physical destination, edge). Return: 0, or -EINVAL for a bad CPU, a
 * vector outside 0x20..0xff, or a CPU whose APIC id needs remapping
 * (> 255). Context: any.
 */
int ddeos_msi_compose(unsigned int cpu, unsigned int vector,
		      unsigned long long *addr, unsigned int *data);
/*
 * Point IOAPIC input @gsi at @vector on @cpu, trigger @level (1) or edge
 * (0), polarity @active_low; the entry is left MASKED: unmask it once the
 * handler is in place. For a level-triggered GSI (PCI INTx) the kernel
 * sends the EOI after the vector's handler returns, and the IOAPIC delivers
 * again while the line stays asserted: the handler must quiet the device
 * (e.g. read virtio's ISR) before returning, or mask the GSI and unmask it
 * when a thread has done so (Linux's oneshot threaded IRQs).
 * Return: 0, or -EINVAL for an unknown GSI, a bad CPU or vector.
 * Context: any.
 */
int ddeos_ioapic_route(unsigned int gsi, unsigned int cpu, unsigned int vector,
		       int level, int active_low);
/* Return: 0, or -EINVAL for an unknown GSI. Context: any. */
int ddeos_ioapic_mask(unsigned int gsi);
int ddeos_ioapic_unmask(unsigned int gsi);

/* ---- memory-mapped devices ------------------------------------------------
 * Devices on no bus the kernel scans: the DSDT's devices with a fixed memory
 * range (QEMU's microvm lists its virtio-mmio transports, _HID "LNRO0005"),
 * in namespace order, for the DDE's platform bus (kernel/waist/waist_mmio.c,
 * kernel/arch/x86_64/acpi_dsdt.c). Without ACPI the list is empty.
 */
#define DDEOS_MMIO_HID_MAX	16
#define DDEOS_MMIO_NO_GSI	0xffffffffu

struct ddeos_mmio_dev {
	char hid[DDEOS_MMIO_HID_MAX];	/* ACPI _HID, e.g. "LNRO0005" */
	char name[8];			/* the firmware's name of it, e.g. "VR23" */
	unsigned long long uid;		/* _UID, 0 if none */
	unsigned long long base, size;	/* the registers */
	unsigned int gsi;		/* DDEOS_MMIO_NO_GSI: no interrupt */
	unsigned char gsi_level, gsi_active_low;
};

/* How many there are. Context: any. */
unsigned int ddeos_mmio_count(void);
/* Return: device @index (0..count-1), or 0 past the end. Context: any. */
const struct ddeos_mmio_dev *ddeos_mmio_get(unsigned int index);
/* The GSI an ISA IRQ (0..15) arrives on, and its trigger and polarity, as
 * the MADT's or MP table's overrides say (identity, edge, high without).
 * Return: the GSI. Context: any. */
unsigned int ddeos_isa_irq_gsi(unsigned int isa_irq, int *level, int *active_low);

/* ---- block ----------------------------------------------------------------
 * Disks of Linux block drivers (virtio_blk), provided by the DDE
 * (dde/block/waist_block.c) for the kernel's block API (kernel/block/,
 * docs/block.md). A disk is an opaque handle (Linux's gendisk), valid from
 * its added event until its removed event has returned.
 */
#define DDEOS_BLK_READ		0
#define DDEOS_BLK_WRITE		1
#define DDEOS_BLK_FLUSH		2	/* the device's write cache to media */
#define DDEOS_BLK_DISCARD	3	/* no segments; @bytes long */
#define DDEOS_BLK_WRITE_ZEROES	4	/* no segments; @bytes long */
#define DDEOS_BLK_FUA		0x1u	/* the write is durable when it ends */
#define DDEOS_BLK_NOWAIT	0x2u	/* -EAGAIN instead of sleeping for a tag */
#define DDEOS_BLK_NAME_MAX	32

/* @len bytes at @addr, a direct-map address (pool memory, not a stack). */
struct ddeos_blk_seg {
	void *addr;
	unsigned int len;
};

/* A disk's geometry and limits; capacity in 512-byte sectors. */
struct ddeos_blk_info {
	char name[DDEOS_BLK_NAME_MAX];
	unsigned long long capacity;
	unsigned int logical_block_size, physical_block_size;
	unsigned int max_sectors, max_segments, max_segment_size;
	unsigned int nr_hw_queues, queue_depth;
	unsigned char read_only, write_cache, fua, discard, write_zeroes;
};

/* Disk events. Context: thread, under the DDE's disk list lock: the
 * listener must not call ddeos_blk_set_events() from them. */
struct ddeos_blk_events {
	void (*added)(void *disk);
	void (*removed)(void *disk);	/* submit nothing more to @disk */
	void (*capacity_changed)(void *disk, unsigned long long sectors);
};

/* Register the one listener; disks already there are reported to added at
 * once. Context: thread, may sleep. */
void ddeos_blk_set_events(const struct ddeos_blk_events *ev);
/* Fill @info for @disk. Context: any. */
void ddeos_blk_get_info(void *disk, struct ddeos_blk_info *info);
/*
 * Queue one request on the calling CPU's hardware queue; done(ctx, 0 or
 * -errno) runs once, on any CPU, in hard-IRQ, softirq or thread context
 * (possibly before this returns). Requests that do not fit the disk are
 * refused, never split. Context: thread, or any with DDEOS_BLK_NOWAIT.
 * Return: 0, -EINVAL, -EROFS, -EOPNOTSUPP, -ENODEV, -EAGAIN, -ENOMEM.
 */
int ddeos_blk_submit(void *disk, unsigned int op, unsigned int flags,
		     unsigned long long sector, const struct ddeos_blk_seg *segs,
		     unsigned int nr_segs, unsigned int bytes,
		     void (*done)(void *ctx, int error), void *ctx);

/* ---- net ------------------------------------------------------------------
 * The network interfaces the drivers registered (virtio_net, through the
 * DDE's net core; dde/net/core/waist_net.c) for the kernel-world net API
 * (kernel/net/net.c): find them, open them, send frames, take received
 * frames and link changes through hooks. A device is an opaque handle, the
 * Linux net_device; ddeos never unregisters a NIC, so a handle stays valid.
 * Frames start at the Ethernet header. docs/net.md.
 */
struct ddeos_netdev;

#define DDEOS_NET_NAME_MAX	16	/* Linux's IFNAMSIZ */
#define DDEOS_NET_ADDR_LEN	6	/* ETH_ALEN */
#define DDEOS_NET_HLEN		14	/* ETH_HLEN */

struct ddeos_net_info {
	char name[DDEOS_NET_NAME_MAX];
	unsigned char mac[DDEOS_NET_ADDR_LEN];
	unsigned int mtu;		/* IP payload: frames up to mtu + 14 */
	int ifindex;
	unsigned int tx_queues, rx_queues;	/* in use */
	int up;				/* opened (IFF_UP) */
	int carrier;			/* link up */
};

/* What the DDE's net core counted for a device (dde/include/dde/net.h). */
struct ddeos_net_core_counts {
	unsigned long rx_delivered;	/* handed to the receive hook */
	unsigned long rx_unclaimed;	/* freed: no receive hook */
	unsigned long rx_dropped;	/* freed: shorter than an Ethernet header */
	unsigned long tx_busy;		/* a TX queue was stopped */
};

enum ddeos_net_event {
	DDEOS_NET_LINK_UP = 1,
	DDEOS_NET_LINK_DOWN,
	DDEOS_NET_NOTIFY_PEERS,		/* the driver asks to announce the address */
};

/* The @n-th registered device in ifindex order, or 0 past the end.
 * Context: thread, may sleep. */
struct ddeos_netdev *ddeos_net_get(unsigned int n);
/* Return: 0. Context: any (thread for a consistent name). */
int ddeos_net_info(struct ddeos_netdev *d, struct ddeos_net_info *info);
/* Open the device (Linux's dev_open()). Return: 0 or the driver's -errno.
 * Context: thread, may sleep. */
int ddeos_net_open(struct ddeos_netdev *d);
/*
 * Where received frames go: rx(arg, frame, len) in NET_RX softirq on the
 * CPU that polled, @frame from the Ethernet header, valid only during the
 * call (the DDE frees the buffer afterwards). NULL: frames are counted
 * (rx_unclaimed) and dropped. On return no call of the old hook runs.
 * Context: thread, may sleep.
 */
void ddeos_net_set_rx_hook(struct ddeos_netdev *d,
			   void (*rx)(void *arg, const void *frame, unsigned int len),
			   void *arg);
/*
 * Zero-copy receive: instead of lending, the DDE gives the hook the
 * received buffer itself (Linux's skb). The hook owns @f from the call on
 * and must hand it back with ddeos_net_frame_release(), from any CPU, in
 * thread or softirq context, whenever it is done with @data (@len bytes
 * from the Ethernet header) and the frame's rest. A frame comes either as
 * one run of bytes, or (virtio_net's mergeable buffers when the frame did
 * not fit the driver's small copy) as exactly the 14-byte Ethernet header
 * at @data and the rest in ddeos_net_frame_rest(); other frames in pieces
 * are made linear (one copy) first. Replaces a lending hook set with ddeos_net_set_rx_hook()
 * and vice versa; NULL: frames are counted and dropped. On return no call
 * of the old hook runs. Context: thread, may sleep.
 */
struct ddeos_net_frame;
/* Bytes of a given frame the receiver may use for its own bookkeeping
 * until it releases the frame (8-byte aligned): Linux's skb->cb. */
#define DDEOS_NET_FRAME_PRIV	40
void ddeos_net_set_rx_frame_hook(struct ddeos_netdev *d,
				 void (*rx)(void *arg, struct ddeos_net_frame *f,
					    void *data, unsigned int len),
				 void *arg);
/* Context: any, until the frame is released. */
void *ddeos_net_frame_priv(struct ddeos_net_frame *f);
/* The bytes after the first part of a given frame (*@len of them), or NULL
 * (*@len = 0) when the hook's @data held it all. Context: any, until the
 * frame is released. */
void *ddeos_net_frame_rest(struct ddeos_net_frame *f, unsigned int *len);
/* Free a given frame through the skb's own free path (consume_skb(); from
 * hard IRQ or with IRQs off it is queued for NET_TX). Context: any. */
void ddeos_net_frame_release(struct ddeos_net_frame *f);
/* Frames given out, released, and released on another CPU than the one
 * that received them, since boot, over every device; received frames
 * (lent or given) that were made linear first, a copy; frames given in
 * two parts. */
struct ddeos_net_frame_counts {
	unsigned long given, released, released_remote, linearized, split;
};
/* Context: any. */
void ddeos_net_frame_counts(struct ddeos_net_frame_counts *c);
/* @cpu's idle NAPI polling (dde/net/core/napi_idle.c): polls that found a
 * frame, each an interrupt not taken, and NAPIs given their interrupt
 * back when a spin stopped. Context: any. */
void ddeos_net_napi_idle_counts(unsigned int cpu, unsigned long *found,
				unsigned long *ended);
/*
 * Send one frame of @len bytes (14 .. mtu + 14), copied. The TX queue is
 * the calling CPU's. Return: 0 (the driver has it), -EAGAIN (the queue is
 * stopped: retry after the wake hook), -ENETDOWN (not open), -ENOMEM,
 * -EINVAL (bad length). Context: thread or softirq, not hard IRQ.
 */
int ddeos_net_send(struct ddeos_netdev *d, const void *frame, unsigned int len);
/* wake(arg) in NET_TX softirq after the driver restarted a stopped TX
 * queue. Context: thread, may sleep. */
void ddeos_net_set_tx_wake_hook(struct ddeos_netdev *d, void (*wake)(void *arg),
				void *arg);
/* Link and peer events of every device, in the context the driver changed
 * the carrier in (thread or softirq): @fn must not sleep. Register once. */
void ddeos_net_set_event_hook(void (*fn)(struct ddeos_netdev *d,
					 enum ddeos_net_event ev));
/* Linux's local_bh_disable()/local_bh_enable(): keep NET_RX and NET_TX
 * off this CPU while a thread holds a lock the receive path also takes;
 * the enable runs what became pending. Context: thread or softirq. */
void ddeos_net_bh_disable(void);
void ddeos_net_bh_enable(void);
/* Context: any. */
void ddeos_net_core_counts(struct ddeos_netdev *d, struct ddeos_net_core_counts *c);
/*
 * The driver's own statistics, Linux's `ethtool -S` (virtio_net: each
 * queue's packets, bytes, drops and kicks): fn(arg, name, value) for each,
 * in the driver's order. Return: how many, 0 if the driver has none, or
 * -ENOMEM. Context: thread or softirq, does not sleep.
 */
int ddeos_net_driver_stats(struct ddeos_netdev *d,
			   void (*fn)(void *arg, const char *name,
				      unsigned long long value),
			   void *arg);

/* ---- provided by the DDE, called by the kernel -------------------------- */
/* Bring up the Linux environment (before tests and drivers). Context:
 * the main thread, once. */
void ddeos_dde_init(void);
/* Run Linux's initcall levels pure..late (bus and driver registration,
 * probing), after the command line is applied so that module parameters
 * are set. Context: the main thread, once, after ddeos_dde_init(). */
void ddeos_dde_run_initcalls(void);
/* What the drivers registered, for the ready line: disks and network
 * interfaces. Context: thread, after ddeos_dde_run_initcalls(). */
void ddeos_dde_devices(unsigned int *disks, unsigned int *nics);
/* The @n-th `device:` line the boot printed (docs/options.md), without its
 * newline; NULL past the last. Context: any, after
 * ddeos_dde_run_initcalls(). */
const char *ddeos_dde_device_line(unsigned int n);
/* fn(arg, irq, name, cpu, count) for each Linux IRQ with a handler: its
 * first handler's name (virtio_pci's "virtio1-input.0" for a queue), the
 * CPU it is routed to and the interrupts taken on all CPUs, as Linux's
 * /proc/interrupts. @fn must not sleep. Context: any but hard IRQ, does
 * not sleep. */
void ddeos_dde_irqs(void (*fn)(void *arg, unsigned int irq, const char *name,
			       unsigned int cpu, unsigned long count),
		    void *arg);
/* Run Linux's KUnit executor (test=linux-kunit): the compiled suites, as
 * kunit.filter_glob= and kunit.action= select them, printing Linux's KTAP.
 * Return: 1 if every suite it announced reported and none failed.
 * Context: the main thread, after ddeos_dde_run_initcalls(). */
int ddeos_dde_kunit_run(void);
/* Run Linux's boot-time self-tests (test=linux-selftests: lib/test_printf.c
 * and the others of linux/files.list), printing KTAP, one case each.
 * Return: 1 if every one passed. Context: the main thread, after
 * ddeos_dde_run_initcalls(). */
int ddeos_dde_selftests_run(void);
/* Run one of Linux's torture tests, @name "locktorture" or "rcutorture",
 * with its module parameters, until it powers off (kernel_power_off()).
 * Return: 1 if it ended with Linux's "End of test: SUCCESS" and nothing
 * else. Context: the main thread, after ddeos_dde_run_initcalls(). */
int ddeos_dde_torture_run(const char *name);
/* Pages at @base (2^order) became a slab of the pool (@created 1), before
 * any object of it is handed out, or stopped being one (0), after the last
 * object came back: Linux's struct pages must say so (PG_slab). Called from
 * the first slab on, before ddeos_dde_init(). Context: any. */
void ddeos_dde_slab_event(void *base, unsigned int order, int created);
/* Hit a Linux BUG() on purpose (crash=linux-bug), to test the report. */
void ddeos_dde_bug_on_purpose(void);

/* ---- in-kernel tests (KTAP), shared with kernel/ktest.c ----------------- */
struct ddeos_ktest {
	const char *name;
	int failures;
	const char *skip;	/* reason, if the case skipped itself */
};

struct ddeos_ktest_case {
	const char *name;
	void (*run)(struct ddeos_ktest *t);
};

struct ddeos_ktest_suite {
	const char *name;
	const struct ddeos_ktest_case *cases;
	unsigned long nr_cases;
};

/* Suites live in this section; kernel/ktest.c runs them by name. */
#define DDEOS_KTEST_SECTION ".ktest_suites"

/* Kernel code with a 16-byte-aligned local: 1 if it got one, wherever the
 * caller's stack pointer was (Linux objects keep only 8-byte alignment). */
int ddeos_ktest_aligned_local(void);

/* A mapped page with an unmapped page right after it (and its release),
 * for tests of reads that run off a page. Context: thread. */
void *ddeos_ktest_page_before_hole(void);
void ddeos_ktest_page_before_hole_free(void *page);

/* Seconds a stress case should run (mempool.soak=), 0 for its default. */
unsigned int ddeos_ktest_soak_seconds(void);

/* Record a failure of @cond at file:line with a formatted message. */
void ddeos_ktest_fail(struct ddeos_ktest *t, const char *file, int line,
		      const char *cond, const char *msg);

#endif
