# Holstein - a RISC-V Sv39 kernel whose heart is copy-on-write fork.
#
#   make            build/Image (boot it) and build/holstein.elf (debug it)
#   make run        boot QEMU virt (-smp 2 -m 256M) to a shell; MACHINE=sifive_u too
#   make test       every test; ends with "N passed, N failed"
#   make ext        users' threaded Go and C++ programs, build/initramfs-ext.cpio (user/ext.mk)
#   make bench      fork/COW benchmarks under icount, a table and a plot
#   make gdb        QEMU waits for gdb-multiarch, which attaches with symbols
#   make sdcard     build/sdcard.img for a VisionFive 2 (U-Boot distro boot)
#   make clean
#   make DEBUG=1    a kernel that poisons freed frames and checks the poison
#   make TLB_BROADCAST=1  every TLB round also flushes every other online hart
#                   (runs the SBI remote fence path without threads)

CROSS    ?= riscv64-linux-gnu-
KCC      := $(CROSS)gcc
OBJCOPY  := $(CROSS)objcopy
BUILD    ?= build
MACHINE  ?= virt
SMP      ?= $(if $(filter sifive_u,$(MACHINE)),5,2)
MEM      ?= 256M
BOOTARGS ?=

KCFLAGS := -ffreestanding -nostdlib -fno-builtin -fno-common -fno-pie \
	-mcmodel=medany -march=rv64imac_zicsr_zifencei -mabi=lp64 -mno-relax \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-fno-omit-frame-pointer -fno-stack-protector -fno-strict-aliasing -MMD -MP -I.
ifeq ($(DEBUG),1)
KCFLAGS += -DCONFIG_DEBUG_POISON	# poison freed frames, check on allocation
endif
ifeq ($(TLB_BROADCAST),1)
KCFLAGS += -DCONFIG_TLB_BROADCAST	# vm/tlb.c: rounds reach every online hart
endif
KLDFLAGS := -nostdlib -no-pie -static -T arch/riscv/kernel.ld -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments

KSRCS := $(wildcard arch/riscv/*.c kernel/*.c vm/*.c fs/*.c drivers/*.c)
KASMS := $(wildcard arch/riscv/*.S)
KOBJS := $(patsubst %.c,$(BUILD)/k/%.o,$(KSRCS)) $(patsubst %.S,$(BUILD)/k/%.o,$(KASMS))

.DEFAULT_GOAL := all
.PHONY: all kernel run gdb test bench clean deps initramfs compile_commands.json sdcard

all: kernel user busybox initramfs

kernel: $(BUILD)/Image

# Objects depend on the flags they were built with (DEBUG=1 and back rebuilds).
KFLAGS_STAMP := $(BUILD)/k/flags-$(shell echo '$(KCFLAGS)' | md5sum | cut -c1-8)
$(KFLAGS_STAMP):
	@mkdir -p $(@D)
	@rm -f $(BUILD)/k/flags-*
	@touch $@

$(KOBJS): $(KFLAGS_STAMP)

$(BUILD)/k/%.o: %.c
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -c $< -o $@

# Runs with the MMU off at whatever address it was loaded: no jump tables.
$(BUILD)/k/arch/riscv/early.o: arch/riscv/early.c
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -fno-jump-tables -c $< -o $@

$(BUILD)/k/%.o: %.S
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -D__ASSEMBLER__ -Iarch/riscv -c $< -o $@

$(BUILD)/holstein.elf: $(KOBJS) arch/riscv/kernel.ld
	$(KCC) $(KCFLAGS) $(KLDFLAGS) $(KOBJS) -o $@

$(BUILD)/Image: $(BUILD)/holstein.elf
	$(OBJCOPY) -O binary $< $@

-include $(KOBJS:.o=.d)

# --- user space and the initramfs ------------------------------------------
include user/user.mk
include user/busybox.mk
include user/ext.mk
include tests/host/host.mk
include soak.mk

ROOTFS := $(BUILD)/rootfs
initramfs: $(BUILD)/initramfs.cpio

USER_ETC := $(wildcard user/etc/*)
$(BUILD)/initramfs.cpio: $(USER_INIT) $(USER_BIN) $(USER_TESTS) $(USER_BENCH) $(BUSYBOX) $(USER_ETC) \
		scripts/mkinitramfs
	scripts/mkinitramfs $@ --init $(USER_INIT) --bin "$(USER_BIN) $(USER_BENCH)" --test "$(USER_TESTS)" \
		--busybox $(BUSYBOX) $(BUSYBOX_LINKS) --etc user/etc

# --- running ------------------------------------------------------------------
deps:
	@scripts/deps

run: deps all
	scripts/run-qemu --machine $(MACHINE) --smp $(SMP) --mem $(MEM) --interactive \
		$(if $(BOOTARGS),--append "$(BOOTARGS)")

gdb: deps all
	scripts/run-qemu --machine $(MACHINE) --smp $(SMP) --mem $(MEM) --interactive --gdb

test: deps
	@scripts/test-all

bench: deps all
	scripts/bench

sdcard: deps all
	scripts/mksdcard $(BUILD)/sdcard.img

compile_commands.json:
	scripts/compile-commands $(KCC) "$(KCFLAGS)" $(KSRCS) > $@

clean:
	rm -rf $(BUILD) compile_commands.json

print-host-tests:
	@echo $(HOST_TESTS)

print-user-tests:
	@echo $(USER_TESTS)
