# SPDX-License-Identifier: GPL-2.0-only
#
# net/lwip/lwip.mk: lwIP 2.1.3 as a build input, for the top-level Makefile
# to `include`. Debian's source package lwip is fetched and unpacked into
# $(BUILD)/lwip-src by net/lwip/lwip-fetch.sh (never committed, never
# patched); its IPv4 core and Ethernet layer are compiled in the kernel
# world with ddeos's port (net/lwip/include: lwipopts.h, arch/, libc shims).
#
# Set before the include line: BUILD, KERNEL_CFLAGS.
# Defines:
#   LWIP_OBJS     lwIP's own objects (link them into the image)
#   LWIP_INC      include flags for code that uses lwIP (the port, apps)
#   LWIP_STAMP    $(BUILD)/lwip/fetch.stamp: order-only prerequisite of
#                 anything that includes lwIP headers

LWIP_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
LWIP_SRC := $(BUILD)/lwip-src
LWIP_STAMP := $(BUILD)/lwip/fetch.stamp
LWIP_INC := -I$(LWIP_MK_DIR)/include/libc -I$(LWIP_MK_DIR)/include \
	-I$(LWIP_SRC)/src/include

# What ddeos uses of lwIP: the core (files for features lwipopts.h turns
# off compile empty), IPv4 and Ethernet; lwIP's apps come with theirs.
LWIP_FILES := core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c \
	core/memp.c core/netif.c core/pbuf.c core/stats.c core/sys.c \
	core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c \
	core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c \
	core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c netif/ethernet.c \
	apps/lwiperf/lwiperf.c apps/http/httpd.c apps/http/fs.c
LWIP_OBJS := $(patsubst %.c,$(BUILD)/lwip/%.o,$(LWIP_FILES))

# lwIP is someone else's code: the kernel's flags, less the warnings it
# was not written for.
LWIP_CFLAGS := $(filter-out -Werror -Wextra,$(KERNEL_CFLAGS)) $(LWIP_INC) \
	-Wno-address

$(LWIP_STAMP): $(LWIP_MK_DIR)/lwip-fetch.sh
	$(Q)$(LWIP_MK_DIR)/lwip-fetch.sh $(BUILD)
	$(Q)touch $@

$(LWIP_SRC)/src/%.c: $(LWIP_STAMP) ;

$(BUILD)/lwip/%.o: $(LWIP_SRC)/src/%.c $(LWIP_MK_DIR)/include/lwipopts.h | $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [lwIP] $<")
	$(Q)$(CC) $(LWIP_CFLAGS) -c $< -o $@

# The compiler's dependency files (-MMD): made with the objects, never
# remade on their own.
$(BUILD)/lwip/%.d: ;
-include $(wildcard $(LWIP_OBJS:.o=.d))
