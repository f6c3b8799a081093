# SPDX-License-Identifier: GPL-2.0-only
#
# linux/linux.mk: Linux as a build input, for the top-level Makefile to
# `include`. It fetches Debian's linux-source-6.1, configures it (tinyconfig
# + linux/ddeos.config), prepares it, has Linux's own kbuild compile the files
# of linux/files.list as built-in objects, and compiles dde/ files with the
# very flags kbuild used (the "Linux world"). docs/linux-build.md explains it.
#
# Set before the include line (all optional):
#   BUILD                 build directory (default: build)
#   DDE_SRCS              dde/**/*.c files, compiled in the Linux world
#   DDE_CFLAGS            extra flags for them (e.g. -I kernel/include/dde)
#   DDE_UNSUPPORTED_LIST  list for tools/gen-unsupported (e.g. dde/unsupported.list)
#   DDE_REPORT_KERNEL     objects or image that provide `kernel` symbols
#   DDE_REPORT_IMAGE      the linked image (its linker-script symbols: `linker`)
#
# Defines:
#   LINUX_OBJS            the compiled Linux objects (link them into the image)
#   LINUX_UNIT_OBJS       Linux files compiled through linux/units/ (link them too)
#   DDE_OBJS              $(BUILD)/dde/%.o for each dde/%.c of DDE_SRCS
#   DDE_UNSUPPORTED_OBJ   $(BUILD)/dde/unsupported.o (if DDE_UNSUPPORTED_LIST)
#   LINUX_CFLAGS_FILE     kbuild's C flags for a built-in object, one line
#   LINUX_CC_FILE         kbuild's compiler, one line
#   LINUX_VERSION_H       $(BUILD)/linux/version.h: DDEOS_LINUX_VERSION, ..._PKG_VERSION
#   LINUX_NEEDED          $(BUILD)/linux/needed-symbols.txt
# Targets: linux-objs, dde-objs, dde-report, linux-clean, linux-distclean.

BUILD ?= build

LINUX_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
LINUX_TOOLS := $(LINUX_MK_DIR)/../tools
LINUX_SRC := $(BUILD)/linux-src
LINUX_OBJ := $(BUILD)/linux-obj
LINUX_GEN := $(BUILD)/linux
LINUX_FRAGMENT := $(LINUX_MK_DIR)/ddeos.config
LINUX_LIST := $(LINUX_MK_DIR)/files.list

# files.list: one source path a line, '#' comments.
LINUX_FILES := $(shell sed -e 's/\#.*//' $(LINUX_LIST))
LINUX_TARGETS := $(addsuffix .o,$(basename $(LINUX_FILES)))
LINUX_OBJS := $(addprefix $(LINUX_OBJ)/,$(LINUX_TARGETS))

LINUX_CFLAGS_FILE := $(LINUX_GEN)/cflags
LINUX_CC_FILE := $(LINUX_GEN)/cc
LINUX_VERSION_H := $(LINUX_GEN)/version.h
LINUX_NEEDED := $(LINUX_GEN)/needed-symbols.txt

# Read when a recipe runs, i.e. after the files exist.
LINUX_CC = $(shell cat $(LINUX_CC_FILE))
LINUX_CFLAGS = $(shell cat $(LINUX_CFLAGS_FILE))

LINUX_Q := $(if $(filter 1,$(V)),,@)
# kbuild itself: out-of-tree objects in $(LINUX_OBJ), sources untouched.
LINUX_KMAKE = $(MAKE) -C $(LINUX_SRC) O=$(abspath $(LINUX_OBJ)) ARCH=x86_64 \
	$(if $(filter 1,$(V)),V=1)

# --- 1. fetch, unpack, version (once) -----------------------------------------
$(LINUX_GEN)/fetch.stamp: $(LINUX_MK_DIR)/linux-fetch.sh
	$(LINUX_Q)$(LINUX_MK_DIR)/linux-fetch.sh $(BUILD)
	$(LINUX_Q)touch $@

# Rewritten only when its content changes; prints the version every build.
$(LINUX_VERSION_H): $(LINUX_GEN)/fetch.stamp
	$(LINUX_Q)$(LINUX_MK_DIR)/linux-version.sh $(BUILD)

# --- 2. configure, check, prepare ---------------------------------------------
$(LINUX_GEN)/config.stamp: $(LINUX_GEN)/fetch.stamp $(LINUX_FRAGMENT) \
		$(LINUX_MK_DIR)/linux-config.sh $(LINUX_MK_DIR)/linux-checkconfig.sh
	+$(LINUX_Q)MAKE="$(MAKE)" $(LINUX_MK_DIR)/linux-config.sh $(BUILD) \
		$(LINUX_FRAGMENT) $(if $(filter 1,$(V)),V=1)
	$(LINUX_Q)touch $@

$(LINUX_GEN)/prepare.stamp: $(LINUX_GEN)/config.stamp
	@echo "  PREPARE $(LINUX_OBJ)"
	+$(LINUX_Q)$(LINUX_KMAKE) prepare
	$(LINUX_Q)touch $@

# --- 3. compile the Linux files: one kbuild run for all single targets --------
# kbuild is incremental itself (.cmd files); we call it only when the config or
# the list changed, or an object is missing, and then touch all objects so the
# group is up to date.
# Assembly objects go in a second kbuild run, serial: kbuild's single-target
# mode builds arch/x86/lib/hweight.o twice in one run (once as the target,
# once descending into its directory), and in parallel the two builds race
# on the same output (objtool: "invalid Elf handle"; fixdep: missing .d).
LINUX_TARGETS_ASM := $(addsuffix .o,$(basename $(filter %.S,$(LINUX_FILES))))
LINUX_TARGETS_C := $(filter-out $(LINUX_TARGETS_ASM),$(LINUX_TARGETS))
$(LINUX_OBJS) &: $(LINUX_GEN)/prepare.stamp $(LINUX_LIST)
	+$(LINUX_Q)$(LINUX_KMAKE) $(LINUX_TARGETS_C)
	+$(LINUX_Q)MAKEFLAGS= $(LINUX_KMAKE) $(LINUX_TARGETS_ASM)
	$(LINUX_Q)touch $(LINUX_OBJS)

# kbuild's command line for a built-in object, minus its file-specific parts
# (rewritten only when it changes, so DDE objects are not rebuilt needlessly).
$(LINUX_CFLAGS_FILE) $(LINUX_CC_FILE) &: $(LINUX_OBJS) $(LINUX_MK_DIR)/linux-cflags.sh
	$(LINUX_Q)$(LINUX_MK_DIR)/linux-cflags.sh $(LINUX_OBJ) \
		drivers/virtio/.virtio.o.cmd $(LINUX_CFLAGS_FILE) $(LINUX_CC_FILE)

$(LINUX_NEEDED): $(LINUX_OBJS) $(LINUX_UNIT_OBJS) $(LINUX_TOOLS)/dde-report
	$(LINUX_Q)$(LINUX_TOOLS)/dde-report --needed $(LINUX_OBJS) $(LINUX_UNIT_OBJS) >$@.tmp
	$(LINUX_Q)mv $@.tmp $@
	@echo "  NEEDED  $$(grep -vc '^#' $@) symbols from outside the Linux objects: $@"

.PHONY: linux-objs
linux-objs: $(LINUX_OBJS) $(LINUX_CFLAGS_FILE) $(LINUX_VERSION_H) $(LINUX_NEEDED)

# --- 3b. Linux files kbuild builds only inside a bigger unit -------------------
# linux/units/NAME.c includes Linux .c files verbatim (from $(LINUX_SRC)), with
# the headers Linux's own enclosing unit would have included first:
# kernel/sched/wait.c, for one, is built inside kernel/sched/build_utility.c,
# which would bring the whole scheduler. Compiled like DDE files, counted as
# Linux by dde-report.
LINUX_UNIT_SRCS := $(sort $(wildcard $(LINUX_MK_DIR)/units/*.c))
LINUX_UNIT_OBJS := $(patsubst $(LINUX_MK_DIR)/units/%.c,$(BUILD)/linux-units/%.o,$(LINUX_UNIT_SRCS))

$(BUILD)/linux-units/%.o: $(LINUX_MK_DIR)/units/%.c $(LINUX_CFLAGS_FILE) | $(LINUX_VERSION_H)
	@mkdir -p $(@D)
	$(if $(LINUX_Q),@echo "  CC [U]  $@")
	$(LINUX_Q)$(call LINUX_WORLD_CC,$*,$@) -I $(LINUX_SRC) -c -o $@ $<

# --- 4. DDE files, compiled in the Linux world ----------------------------------
DDE_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(BUILD)/%,$(DDE_SRCS)))
DDE_UNSUPPORTED_OBJ := $(if $(DDE_UNSUPPORTED_LIST),$(BUILD)/dde/unsupported.o)

# KBUILD_MODNAME is the file's base name with '-' as '_', as kbuild does.
dde_modname = $(subst -,_,$(notdir $(1)))
LINUX_WORLD_CC = $(LINUX_CC) $(LINUX_CFLAGS) -I dde/include $(DDE_CFLAGS) \
	-DKBUILD_MODFILE='"dde/$(1)"' \
	-DKBUILD_BASENAME='"$(call dde_modname,$(1))"' \
	-DKBUILD_MODNAME='"$(call dde_modname,$(1))"' \
	-D__KBUILD_MODNAME=kmod_$(call dde_modname,$(1)) \
	-MMD -MP -MF $(2:.o=.d)

$(BUILD)/dde/%.o: dde/%.c $(LINUX_CFLAGS_FILE) | $(LINUX_VERSION_H)
	@mkdir -p $(@D)
	$(if $(LINUX_Q),@echo "  CC [L]  $@")
	$(LINUX_Q)$(call LINUX_WORLD_CC,$*,$@) -c -o $@ $<

# Generated DDE sources (build/dde/unsupported.c).
$(BUILD)/dde/%.o: $(BUILD)/dde/%.c $(LINUX_CFLAGS_FILE) | $(LINUX_VERSION_H)
	@mkdir -p $(@D)
	$(if $(LINUX_Q),@echo "  CC [L]  $@")
	$(LINUX_Q)$(call LINUX_WORLD_CC,$*,$@) -c -o $@ $<

$(BUILD)/dde/unsupported.c: $(DDE_UNSUPPORTED_LIST) $(LINUX_TOOLS)/gen-unsupported
	@mkdir -p $(@D)
	$(if $(LINUX_Q),@echo "  GEN     $@")
	$(LINUX_Q)$(LINUX_TOOLS)/gen-unsupported $(DDE_UNSUPPORTED_LIST) $@

-include $(shell find $(BUILD)/dde $(BUILD)/linux-units -name '*.d' 2>/dev/null)

.PHONY: dde-objs dde-report
dde-objs: $(DDE_OBJS) $(DDE_UNSUPPORTED_OBJ)

dde-report: $(LINUX_OBJS) $(LINUX_UNIT_OBJS) $(DDE_OBJS) $(DDE_UNSUPPORTED_OBJ) \
		$(DDE_REPORT_KERNEL) $(DDE_REPORT_IMAGE)
	$(LINUX_Q)$(LINUX_TOOLS)/dde-report --linux $(LINUX_OBJS) $(LINUX_UNIT_OBJS) \
		--dde $(DDE_OBJS) --unsupported $(DDE_UNSUPPORTED_OBJ) \
		--kernel $(DDE_REPORT_KERNEL) $(if $(DDE_REPORT_IMAGE),--image $(DDE_REPORT_IMAGE))

# --- housekeeping ---------------------------------------------------------------
.PHONY: linux-clean linux-distclean
# Objects and configuration; keeps the download and the unpacked tree.
linux-clean:
	rm -rf $(LINUX_OBJ) $(LINUX_GEN)/config.stamp $(LINUX_GEN)/prepare.stamp \
		$(LINUX_CFLAGS_FILE) $(LINUX_CC_FILE) $(LINUX_NEEDED) $(BUILD)/dde
# Everything, including the download.
linux-distclean: linux-clean
	rm -rf $(LINUX_SRC) $(LINUX_GEN) $(BUILD)/linux-dl
