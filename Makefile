# SPDX-License-Identifier: GPL-2.0-only
# ddeos top-level build. `make` builds build/ddeos.elf; see README.md.
# V=1 prints full commands (kbuild habit).

BUILD   ?= build
SMP     ?= 2
MEM     ?= 256M
APPEND  ?=
MACHINE ?= q35
CPU     ?= qemu64
ACCEL   ?= tcg

.DEFAULT_GOAL := all

CC      := gcc
LD      := ld
OBJCOPY := objcopy
NM      := nm
PYTHON  := python3

ifeq ($(V),1)
Q :=
else
Q := @
endif

# -mpreferred-stack-boundary=3: Linux objects (kbuild's flags) keep the stack
# 8-byte aligned and call into the kernel that way; kernel code must not
# assume 16 (linux_api/kernel_copes_with_8_byte_stack).
KERNEL_CFLAGS := -std=gnu11 -ffreestanding -O2 -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -mcmodel=kernel -mno-red-zone -fno-pie -fno-pic \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common -fno-strict-aliasing -fno-tree-loop-distribute-patterns \
	-mpreferred-stack-boundary=3 \
	-Ikernel/include -Ikernel/arch/x86_64/include -MMD -MP
KERNEL_ASFLAGS := -D__ASSEMBLY__ -Ikernel/include -Ikernel/arch/x86_64/include -MMD -MP -g

# Every .c/.S under kernel/, net/, apps/ and tests/kernel/ is part of the
# image; the build picks files by directory, never by #ifdef.
KERNEL_SRCS := $(shell find kernel net apps tests/kernel -name '*.c' -o -name '*.S' | LC_ALL=C sort)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))

# lwIP (Debian's source package, a build input like Linux): net/lwip/lwip.mk.
# The port (net/), the apps and the code that starts them see its headers.
include net/lwip/lwip.mk
LWIP_USERS := $(filter $(BUILD)/net/% $(BUILD)/apps/% $(BUILD)/kernel/main.o \
	$(BUILD)/tests/kernel/test_lwip.o,$(KERNEL_OBJS))
$(LWIP_USERS): KERNEL_CFLAGS += $(LWIP_INC)
$(LWIP_USERS): | $(LWIP_STAMP)
LDSCRIPT    := kernel/arch/x86_64/linker.ld

# ---- the Linux world: Linux sources (build input) and the DDE ------------
# dde/ and tests/dde/ are compiled with Linux's own flags (linux/linux.mk);
# they reach the kernel only through kernel/waist/ddeos_waist.h.
DDE_SRCS := $(shell find dde -name '*.c' | LC_ALL=C sort)
DDE_CFLAGS := -I kernel/waist \
	-DDDEOS_LINUX_VERSION_HEADER='"$(abspath $(BUILD))/linux/version.h"'
DDE_UNSUPPORTED_LIST := dde/unsupported.list
DDE_REPORT_KERNEL = $(KERNEL_OBJS)
DDE_REPORT_IMAGE = $(BUILD)/ddeos.elf
include linux/linux.mk

DDE_TEST_SRCS := $(shell find tests/dde -name '*.c' | LC_ALL=C sort)
DDE_TEST_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(DDE_TEST_SRCS))
$(BUILD)/tests/dde/%.o: tests/dde/%.c $(LINUX_CFLAGS_FILE) | $(LINUX_VERSION_H)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [L]  $@")
	$(Q)$(call LINUX_WORLD_CC,$*,$@) -c -o $@ $<

IMAGE_OBJS := $(KERNEL_OBJS) $(LWIP_OBJS) $(LINUX_OBJS) $(LINUX_UNIT_OBJS) $(DDE_OBJS) $(DDE_UNSUPPORTED_OBJ) \
	$(DDE_TEST_OBJS)

all: $(BUILD)/ddeos.elf

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# Every input section has a place in the linker script: an orphan (such as
# Linux's .spinlock.text once was) fails the link instead of landing after
# the text end, where backtraces cannot name it.
LDFLAGS_IMAGE := -n -z noexecstack --orphan-handling=error -T $(LDSCRIPT)

# The symbol table for backtraces is linked in a second pass. It sits in the
# last section of the image, so its size cannot move any function.
$(BUILD)/ddeos.pass1.elf: $(IMAGE_OBJS) $(LDSCRIPT) $(BUILD)/ksyms_empty.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(LDFLAGS_IMAGE) -o $@ $(IMAGE_OBJS) $(BUILD)/ksyms_empty.o

$(BUILD)/ksyms_empty.S:
	@mkdir -p $(dir $@)
	$(Q)printf '\t.section .ksyms,"a"\n\t.quad 0\n\t.section .note.GNU-stack,"",@progbits\n' > $@

$(BUILD)/ksyms.S: $(BUILD)/ddeos.pass1.elf tools/gen-ksyms
	@$(if $(Q),echo "  KSYMS   $@")
	$(Q)$(NM) -n $< | $(PYTHON) tools/gen-ksyms > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@
$(BUILD)/ksyms_empty.o: $(BUILD)/ksyms_empty.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/ddeos.elf: $(IMAGE_OBJS) $(LDSCRIPT) $(BUILD)/ksyms.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(LDFLAGS_IMAGE) -o $@ $(IMAGE_OBJS) $(BUILD)/ksyms.o
	$(Q)$(NM) -n $@ | $(PYTHON) tools/gen-ksyms --verify $(BUILD)/ksyms.S

# ---- running -------------------------------------------------------------
setup:
	$(Q)tools/setup-host

# `make run` attaches a small disk (vda), made on first use, so that Linux's
# virtio_blk has something to bind; RUN_DEVICES holds the devices' qemu-run
# options (RUN_DEVICES= boots without any).
RUN_DISK    ?= $(BUILD)/run-disk.img
RUN_DEVICES ?= --drive if=none,id=run0,file=$(RUN_DISK),format=raw,cache=writeback \
	--device virtio-blk-pci,drive=run0

$(RUN_DISK):
	@mkdir -p $(dir $@)
	truncate -s 64M $@

# make run's NIC: QEMU's user network with restrict=on (nothing leaves
# the machine), 127.0.0.1:8080 forwarded to app=httpd's port 80 and
# 127.0.0.1:5001 to app=iperf's port 5001 (README).
RUN_NIC ?= --netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:5001-:5001 \
	--device virtio-net-pci,netdev=n0,romfile=
RUN_APPEND ?= ip=dhcp app=httpd,iperf

# setup runs first (it installs what the build needs), then the build,
# even under make -j.
run: setup $(if $(findstring $(RUN_DISK),$(RUN_DEVICES)),$(RUN_DISK))
	$(Q)$(MAKE) --no-print-directory all
	tools/qemu-run --smp $(SMP) --mem $(MEM) --machine $(MACHINE) --cpu $(CPU) \
		--accel $(ACCEL) $(RUN_DEVICES) $(RUN_NIC) \
		--append "$(or $(APPEND),$(RUN_APPEND))" --interactive

debug: setup
	$(Q)$(MAKE) --no-print-directory all
	tools/qemu-run --smp $(SMP) --mem $(MEM) --machine $(MACHINE) --cpu $(CPU) \
		--append "$(APPEND)" --interactive --gdb

# ---- tests ---------------------------------------------------------------
check: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/check

# Linux's torture tests for minutes each, beyond make check's short runs
# (tools/check --soak; docs/testing.md).
soak: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/check --soak

# Failure injection over every allocation of the virtio_blk and virtio_net
# probe paths (make check runs a sample): tools/fail-sweep.
fail-sweep: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/fail-sweep

# The memory pool against the seed, glibc, jemalloc, tcmalloc and mimalloc
# (host), every allocator linked the same way, as shared libraries and
# statically; results under $(BUILD)/bench/ (docs/mempool-bench.md).
# bench-mempool-docs copies the last results into docs/ (runs them first if
# there are none).
bench-mempool:
	$(Q)tools/setup-host --bench
	$(Q)$(MAKE) -C bench/mempool bench O=$(abspath $(BUILD))

bench-mempool-docs:
	$(Q)tools/setup-host --bench
	$(Q)$(MAKE) -C bench/mempool docs O=$(abspath $(BUILD))

# ddeos's blkbench against a Linux guest's fio on the same virtual disk
# (bench/blk; docs/block.md). The guest is built from Debian's packages by
# tools/linux-guest (docs/linux-guest.md). BENCH_BLK_ARGS is passed on,
# e.g. BENCH_BLK_ARGS="--seconds 5 --smp 1 --backend null".
bench-blk: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/linux-guest
	$(Q)bench/blk $(BENCH_BLK_ARGS)

# Where the time goes per I/O, ddeos against Linux (bench/blk-profile:
# guest instructions counted by bench/qemu-plugin, MMIO accesses, kicks and
# interrupts from QEMU's trace events, host CPU from perf; docs/block.md).
bench-blk-profile:
	$(Q)tools/setup-host --bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/linux-guest
	$(Q)bench/blk-profile $(BENCH_BLK_PROFILE_ARGS)

# ddeos's lwIP apps against the Linux guest's UDP echo server and iperf on
# the same virtual NIC (bench/net/run; docs/net.md). BENCH_NET_ARGS is
# passed on, e.g. BENCH_NET_ARGS="--seconds 5 --reps 1 --smp 1".
bench-net: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/linux-guest
	$(Q)mkdir -p $(BUILD)/bench
	$(Q)gcc -O2 -Wall -o $(BUILD)/bench/udpload bench/net/udpload.c
	$(Q)bench/net/run $(BENCH_NET_ARGS)

# Boot time per machine: ddeos, the Linux guest and the floor image,
# interleaved (bench/boot/machines; docs/boot-time.md). BENCH_BOOT_ARGS is
# passed on, e.g. BENCH_BOOT_ARGS="--runs 2 --smp 1".
bench-boot: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/linux-guest
	$(Q)bench/boot/machines $(BENCH_BOOT_ARGS)

clean:
	rm -rf $(BUILD)

.PHONY: all setup run debug check soak fail-sweep clean bench-mempool bench-mempool-docs bench-blk \
	bench-blk-profile bench-net bench-boot
.SECONDARY:

-include $(KERNEL_OBJS:.o=.d) $(DDE_OBJS:.o=.d) $(DDE_TEST_OBJS:.o=.d)
