# busybox.mk - BusyBox, Holstein's shell and tools, from Debian's source package.
#
# Included by the top-level Makefile.  scripts/busybox-build fetches the source once
# (`apt-get source busybox`, 1.35.0 on Debian 12) into a cache outside the tree
# ($XDG_CACHE_HOME/holstein/busybox, default ~/.cache/holstein/busybox), builds it static for
# riscv64 in a tree of its own keyed on user/busybox.config's hash, and copies out:
#     $(BUILD)/user/busybox/busybox         the binary (/bin/busybox in the initramfs)
#     $(BUILD)/user/busybox/busybox.links   its applets' paths (/bin/sh, /usr/bin/awk...)
# A second make finds both newer than the config and does nothing: no apt-get, no build.
#
# user/busybox.config is `make defconfig` plus CONFIG_STATIC=y, with CONFIG_TC off (it does
# not compile with Debian 12's kernel headers); its header says so.
#
#     make -s print-busybox-src    the configured source tree (its testsuite/ runs there)

BUSYBOX_CONFIG := user/busybox.config
BUSYBOX := $(BUILD)/user/busybox/busybox
BUSYBOX_LINKS := $(BUILD)/user/busybox/busybox.links

.PHONY: busybox print-busybox-src
busybox: $(BUSYBOX)

# One recipe makes both files; the links file is listed as the binary's companion.
$(BUSYBOX): $(BUSYBOX_CONFIG) scripts/busybox-build
	scripts/busybox-build $(BUSYBOX_CONFIG) $(@D)
	@touch $@ $(BUSYBOX_LINKS)

$(BUSYBOX_LINKS): $(BUSYBOX)

print-busybox-src:
	@scripts/busybox-build $(BUSYBOX_CONFIG) $(BUILD)/user/busybox --print-src
