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
# make run SHARE=DIR[:GUESTPATH]: DIR mounted in the guest, what the session wrote copied back.
SHARE    ?=

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

# e2fsprogs (mke2fs, e2fsck, debugfs) live in /usr/sbin: the tests call them by name.
export PATH := $(PATH):/usr/sbin:/sbin

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

# --- the vDSO (arch/riscv/vdso/): a shared object linked at 0, mapped in every
# process, embedded in the kernel by arch/riscv/vdso/image.S.  Kernel-like code
# (rv64imac, lp64: only integer arguments cross its ABI), no stack protector,
# no unwind tables, stripped of everything but its dynamic tables.
NM       := $(CROSS)nm
READELF  := $(CROSS)readelf
VDSO_DIR := arch/riscv/vdso
VDSO_SRCS := $(VDSO_DIR)/vdso.c $(VDSO_DIR)/sigreturn.S
VDSO_CFLAGS := -fPIC -O2 -march=rv64imac_zicsr_zifencei -mabi=lp64 -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-plt \
	-Wall -Wextra -Werror -Wmissing-prototypes
VDSO_LDFLAGS := -shared -nostdlib -Wl,-soname=linux-vdso.so.1 -Wl,--hash-style=both \
	-Wl,--build-id=none -Wl,-T,$(VDSO_DIR)/vdso.lds -Wl,--version-script=$(VDSO_DIR)/vdso.map \
	-Wl,-Bsymbolic -Wl,--no-undefined -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack

$(BUILD)/vdso/vdso.dbg: $(VDSO_SRCS) $(VDSO_DIR)/vdso.lds $(VDSO_DIR)/vdso.map arch/riscv/vdso_data.h
	@mkdir -p $(@D)
	$(KCC) $(VDSO_CFLAGS) $(VDSO_LDFLAGS) $(VDSO_SRCS) -o $@

# Shared by every process as it is: no relocation to apply, nothing writable.
$(BUILD)/vdso/vdso.so: $(BUILD)/vdso/vdso.dbg
	$(OBJCOPY) -S -R .comment $< $@
	@$(READELF) -rW $@ | grep -q 'no relocations' || { echo "vdso: relocations in $@" >&2; exit 1; }
	@! $(READELF) -lW $@ | grep -q 'LOAD.*RW' || { echo "vdso: writable segment in $@" >&2; exit 1; }
	@max=$$(awk '$$2 == "VDSO_MAX_PAGES" { print $$3 * 4096 }' arch/riscv/vdso_data.h); \
	test "$$(stat -c %s $@)" -le "$$max" || { echo "vdso: $@ outgrew VDSO_MAX_PAGES" >&2; exit 1; }

$(BUILD)/vdso/vdso_syms.h: $(BUILD)/vdso/vdso.dbg
	@$(NM) $< | awk '$$3 == "__vdso_rt_sigreturn" { print "#define VDSO_SYM_rt_sigreturn 0x" $$1; n++ } \
		END { exit n != 1 }' > $@.tmp || { echo "vdso: no __vdso_rt_sigreturn" >&2; exit 1; }
	@mv $@.tmp $@

KOBJS += $(BUILD)/k/$(VDSO_DIR)/image.o
$(BUILD)/k/$(VDSO_DIR)/image.o: $(VDSO_DIR)/image.S $(BUILD)/vdso/vdso.so $(BUILD)/vdso/vdso_syms.h
	@mkdir -p $(@D)
	$(KCC) $(KCFLAGS) -D__ASSEMBLER__ -I$(BUILD)/vdso -c $< -o $@

$(BUILD)/holstein.elf: $(KOBJS) arch/riscv/kernel.ld
	$(KCC) $(KCFLAGS) $(KLDFLAGS) $(KOBJS) -o $@

$(BUILD)/Image: $(BUILD)/holstein.elf
	$(OBJCOPY) -O binary $< $@

-include $(KOBJS:.o=.d)

# --- user space and the initramfs ------------------------------------------
include user/user.mk
include user/dyn.mk
include user/busybox.mk
include user/ext.mk
include tests/host/host.mk
include soak.mk

ROOTFS := $(BUILD)/rootfs
initramfs: $(BUILD)/initramfs.cpio

USER_ETC := $(wildcard user/etc/*)
$(BUILD)/initramfs.cpio: $(USER_INIT) $(USER_BIN) $(USER_TESTS) $(USER_BENCH) $(BUSYBOX) $(USER_ETC) \
		scripts/mkinitramfs $(DYN_LIBS) $(DYN_PLUGIN) $(UB)/dyn/omp
	scripts/mkinitramfs $@ --init $(USER_INIT) --bin "$(USER_BIN) $(USER_BENCH)" --test "$(USER_TESTS)" \
		--busybox $(BUSYBOX) $(BUSYBOX_LINKS) --etc user/etc \
		--lib "$(DYN_LIBS)" --to test/lib "$(DYN_PLUGIN)"

# --- running ------------------------------------------------------------------
deps:
	@scripts/deps

run: deps all
	scripts/run-qemu --machine $(MACHINE) --smp $(SMP) --mem $(MEM) --interactive \
		$(if $(BOOTARGS),--append "$(BOOTARGS)") $(if $(SHARE),--share "$(SHARE)")

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
