# tests/host/host.mk - host unit tests (cmocka) and device tree blobs.
#
# Included from the top-level Makefile; paths are relative to the repo root.
#   make dtbs         dts/*.dts -> build/dtb/*.dtb
#   make host-tests   build the test binaries listed in $(HOST_TESTS), plus
#                     every blob they read (QEMU dumps, dtbs, test trees)
#   make host-check   build, then run each test binary
#
# Kernel sources are compiled for the host with the host C library's string
# functions, except in test_string, which tests kernel/string.c itself under
# renamed symbols.  Everything is built with ASan/UBSan and no recovery, so
# an out-of-bounds read in the parser fails the tests.

HOST_CC      ?= cc
HOST_OUT     := build/host
HOST_DTB_OUT := build/dtb
HOST_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS  := -std=gnu11 -O1 -g -Wall -Wextra -Werror $(HOST_SAN) -MMD -MP \
		-DHOST_DTB_DIR=\"$(abspath $(HOST_DTB_OUT))\" \
		-DHOST_TEST_DTB_DIR=\"$(abspath $(HOST_OUT)/dtb)\"
HOST_INC     := -I. -Ikernel
HOST_LDFLAGS := $(HOST_SAN)

QEMU_RV64    ?= qemu-system-riscv64
DTC          ?= dtc

DTBS           := $(patsubst dts/%.dts,$(HOST_DTB_OUT)/%.dtb,$(wildcard dts/*.dts))
HOST_QEMU_DTBS := $(HOST_DTB_OUT)/virt-smp2.dtb $(HOST_DTB_OUT)/virt-smp4.dtb \
		  $(HOST_DTB_OUT)/sifive_u-smp5.dtb
HOST_TEST_DTBS := $(patsubst tests/host/dts/%.dts,$(HOST_OUT)/dtb/%.dtb,\
		  $(wildcard tests/host/dts/*.dts))

HOST_TESTS := $(HOST_OUT)/test_fdt $(HOST_OUT)/test_fdt_fuzz $(HOST_OUT)/test_string \
	      $(HOST_OUT)/test_cpio $(HOST_OUT)/test_elf $(HOST_OUT)/test_vm \
	      $(HOST_OUT)/test_fault $(HOST_OUT)/test_uart8250 $(HOST_OUT)/test_ptshare \
	      $(HOST_OUT)/test_shmem $(HOST_OUT)/test_tlb $(HOST_OUT)/test_mremap \
	      $(HOST_OUT)/test_fdt_virtio \
	      $(HOST_OUT)/test_ext4_tree $(HOST_OUT)/test_ext4_fuzz \
	      $(HOST_OUT)/test_ext4
HOST_TESTS += $(HOST_OUT)/test_vfs_hooks

# test_elf builds RISC-V programs at run time to parse; it skips those
# cases if this compiler is missing.
HOST_RISCV_CC ?= riscv64-linux-gnu-gcc

# The vm/ sources under test, built with -DHOST_TEST: physical frames live
# in a test arena (vm/phys.h), locks and TLB flushes are no-ops.
HOST_VMOBJS := $(patsubst %,$(HOST_OUT)/obj/vm_%.o,pmm pt cow fork mm mm_query ptshare pagemap shmem tlb \
		vmstat zero vdso mremap fault swap swap_area swap_unuse reclaim mm_image)

# The kernel objects the DT tests link against, built for the host.
HOST_KOBJS := $(patsubst %,$(HOST_OUT)/obj/%.o,fdt fdt_node fdt_prop devtree)

# kernel/string.c under k_ names, so it can sit next to the C library.
HOST_KSTRING_RENAME := $(foreach f,memcpy memmove memset memcmp strlen strnlen strcmp \
			 strncmp strchr strlcpy,-D$(f)=k_$(f))

.PHONY: dtbs host-tests host-check

dtbs: $(DTBS)

host-tests: $(HOST_TESTS) $(DTBS) $(HOST_QEMU_DTBS) $(HOST_TEST_DTBS)

host-check: host-tests
	@set -e; for t in $(HOST_TESTS); do echo "== $$t"; $$t; done

$(HOST_DTB_OUT)/%.dtb: dts/%.dts
	@mkdir -p $(@D)
	$(DTC) -I dts -O dtb -o $@ $<

# Test trees are deliberately odd: silence dtc's style warnings for them.
$(HOST_OUT)/dtb/%.dtb: tests/host/dts/%.dts
	@mkdir -p $(@D)
	$(DTC) -q -I dts -O dtb -o $@ $<

# QEMU's own trees, exactly as the firmware would hand them over.
$(HOST_DTB_OUT)/virt-smp2.dtb:
	@mkdir -p $(@D)
	$(QEMU_RV64) -machine virt,dumpdtb=$@ -smp 2 -m 256M -nographic
$(HOST_DTB_OUT)/virt-smp4.dtb:
	@mkdir -p $(@D)
	$(QEMU_RV64) -machine virt,dumpdtb=$@ -smp 4 -m 1G -nographic
$(HOST_DTB_OUT)/sifive_u-smp5.dtb:
	@mkdir -p $(@D)
	$(QEMU_RV64) -machine sifive_u,dumpdtb=$@ -smp 5 -nographic

$(HOST_OUT)/obj/%.o: kernel/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -c -o $@ $<

$(HOST_OUT)/obj/%.o: fs/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -c -o $@ $<

$(HOST_OUT)/obj/k_string.o: kernel/string.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -fno-builtin $(HOST_KSTRING_RENAME) -c -o $@ $<

# libfdt's headers define the same token macros as ours: no -Ikernel here.
$(HOST_OUT)/obj/fdt_oracle.o: tests/host/fdt_oracle.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

$(HOST_OUT)/obj/vm_%.o: vm/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -DHOST_TEST -c -o $@ $<

# Stand-ins for what vm/ needs from the rest of the kernel (kmalloc, panic...).
$(HOST_OUT)/obj/host_stubs.o: tests/host/host_stubs.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -DHOST_TEST -c -o $@ $<

# Tests of vm/ see its headers as the host build of vm/ does.
$(HOST_OUT)/obj/test_vm.o: HOST_CFLAGS += -DHOST_TEST
$(HOST_OUT)/obj/test_elf.o: HOST_CFLAGS += -DHOST_RISCV_CC=\"$(HOST_RISCV_CC)\"

$(HOST_OUT)/obj/test_%.o: tests/host/test_%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -c -o $@ $<

$(HOST_OUT)/test_fdt: $(HOST_OUT)/obj/test_fdt.o $(HOST_OUT)/obj/fdt_oracle.o $(HOST_KOBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka -lfdt

$(HOST_OUT)/test_fdt_fuzz: $(HOST_OUT)/obj/test_fdt_fuzz.o $(HOST_KOBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_fdt_virtio: $(HOST_OUT)/obj/test_fdt_virtio.o $(HOST_KOBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_string: $(HOST_OUT)/obj/test_string.o $(HOST_OUT)/obj/k_string.o
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_cpio: $(HOST_OUT)/obj/test_cpio.o $(HOST_OUT)/obj/cpio.o
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_elf: $(HOST_OUT)/obj/test_elf.o $(HOST_OUT)/obj/elf.o
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_vm: $(HOST_OUT)/obj/test_vm.o $(HOST_OUT)/obj/host_stubs.o $(HOST_VMOBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/obj/test_fault.o $(HOST_OUT)/obj/test_shmem.o $(HOST_OUT)/obj/test_mremap.o: \
	HOST_CFLAGS += -DHOST_TEST

$(HOST_OUT)/test_fault: $(HOST_OUT)/obj/test_fault.o $(HOST_OUT)/obj/host_stubs.o \
		$(sort $(HOST_VMOBJS) $(HOST_OUT)/obj/vm_fault.o)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_shmem: $(HOST_OUT)/obj/test_shmem.o $(HOST_OUT)/obj/host_stubs.o \
		$(sort $(HOST_VMOBJS) $(HOST_OUT)/obj/vm_fault.o)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_mremap: $(HOST_OUT)/obj/test_mremap.o $(HOST_OUT)/obj/host_stubs.o \
		$(sort $(HOST_VMOBJS) $(HOST_OUT)/obj/vm_fault.o)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

# drivers/ for the host: plain C over a fake register window.  No -Ikernel:
# the test needs the C library's <signal.h> and <time.h>, not the kernel's.
$(HOST_OUT)/obj/drv_%.o: drivers/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I. -c -o $@ $<

$(HOST_OUT)/obj/test_uart8250.o: HOST_INC := -I.

$(HOST_OUT)/test_uart8250: $(HOST_OUT)/obj/test_uart8250.o $(HOST_OUT)/obj/drv_uart8250.o
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

# test_ptshare: shared level-0 tables (vm/ptshare.c), linked like test_fault.
# Frame allocations go through the test's hooks, which play a second hart.
HOST_PTSHARE_OBJS := $(HOST_OUT)/obj/host_stubs.o $(sort $(HOST_VMOBJS) $(HOST_OUT)/obj/vm_fault.o)
HOST_PTSHARE_WRAP := -Wl,--wrap=pmm_alloc -Wl,--wrap=pmm_alloc_zeroed

$(HOST_OUT)/obj/test_ptshare.o: HOST_CFLAGS += -DHOST_TEST

$(HOST_OUT)/test_ptshare: $(HOST_OUT)/obj/test_ptshare.o $(HOST_PTSHARE_OBJS)
	$(HOST_CC) $(HOST_LDFLAGS) $(HOST_PTSHARE_WRAP) -o $@ $^ -lcmocka

# test_tlb: the hart mask and the shootdown batch (vm/tlb.c), linked like test_fault.
$(HOST_OUT)/obj/test_tlb.o: HOST_CFLAGS += -DHOST_TEST

$(HOST_OUT)/test_tlb: $(HOST_OUT)/obj/test_tlb.o $(HOST_PTSHARE_OBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

# test_ext4: the ext4 library core over images mke2fs makes at test time
# (e2fsprogs on PATH).  -DHOST_TEST: ext4_mem.h's buffers come from malloc.
HOST_EXT4CORE_OBJS := $(patsubst %,$(HOST_OUT)/obj/%.o,crc32c ext4_super ext4_group ext4_alloc ext4_inode)
$(HOST_EXT4CORE_OBJS): HOST_CFLAGS += -DHOST_TEST

$(HOST_OUT)/test_ext4: $(HOST_OUT)/obj/test_ext4.o $(HOST_EXT4CORE_OBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

-include $(wildcard $(HOST_OUT)/obj/*.d)

# fs/inode.c's calls of a disk fs's super_ops, over a fake fs (no-op spinlocks).
$(HOST_OUT)/obj/fs_inode.o: fs/inode.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -DHOST_TEST -c -o $@ $<
$(HOST_OUT)/obj/test_vfs_hooks.o: HOST_CFLAGS += -DHOST_TEST
$(HOST_OUT)/test_vfs_hooks: $(HOST_OUT)/obj/test_vfs_hooks.o $(HOST_OUT)/obj/fs_inode.o
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

# The ext4 on-disk library for the host (-DHOST_TEST: buffers from malloc),
# over images mke2fs makes at test time; e2fsck and debugfs check the result.
# Every fs/ext4_*.c but the kernel glue (ext4_vfs*, ext4_sync*, ext4_load), and crc32c.
HOST_EXT4SRCS := fs/crc32c.c $(filter-out fs/ext4_vfs%.c fs/ext4_sync%.c fs/ext4_load.c,$(wildcard fs/ext4_*.c))
HOST_EXT4OBJS := $(patsubst fs/%.c,$(HOST_OUT)/obj/ext4h_%.o,$(HOST_EXT4SRCS))

$(HOST_OUT)/obj/ext4h_%.o: fs/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_INC) -DHOST_TEST -c -o $@ $<

$(HOST_OUT)/test_ext4_tree: $(HOST_OUT)/obj/test_ext4_tree.o $(HOST_EXT4OBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(HOST_OUT)/test_ext4_fuzz: $(HOST_OUT)/obj/test_ext4_fuzz.o $(HOST_EXT4OBJS)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka
