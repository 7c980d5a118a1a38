# user.mk - builds Holstein's user space: init, the shell and tools, the tests and benchmarks.
#
# The shell and the common tools are BusyBox's (user/busybox.mk); Holstein keeps only what
# BusyBox has nothing equal to: vmstat (COW counters), pmap (BusyBox's needs /proc/PID/smaps),
# the test runner, the fuzzer, memcheck, forkbench, and init (PID 1 of the test harness).
#
# Included by the top-level Makefile, or run alone from the repository root:
#     make -f user/user.mk user BUILD=build
#     make -f user/user.mk user-oracle      # run every test under qemu-riscv64 (Linux semantics)
#
# Every program is a single .c file linked statically against glibc, exactly like the
# unmodified binaries Holstein is meant to run.

BUILD ?= build
USER_CC ?= riscv64-linux-gnu-gcc
USER_QEMU ?= qemu-riscv64
# Seconds one test may run under the oracle before it counts as failed (hung).
USER_ORACLE_TIMEOUT ?= 300

# Where this fragment lives, so it works both included and with make -f.
USER_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
# Remember the including Makefile's default goal: ours must not steal it.
user_saved_goal := $(.DEFAULT_GOAL)

USER_CFLAGS := -static -O2 -Wall -Wextra -Werror -s -I$(USER_SRC)/lib
USER_LDLIBS := -lm
USER_HDRS := $(wildcard $(USER_SRC)/lib/*.h)
UB := $(BUILD)/user

USER_BIN_NAMES := vmstat pmap testrun fuzz memcheck
USER_TEST_NAMES := t_basic t_fileio t_pipe t_proc t_signal t_jobctl t_mem t_faults t_misc \
	t_cow_big t_cow_gen t_cow_pipe t_cow_storm t_cow_textwrite t_cow_oom t_zero t_fuzz t_isolation \
	t_smp_stress t_shared t_abi t_thread t_epoll t_futex t_futex_thr t_futex_robust t_procthreads t_cow_race \
	t_fs_file t_fs_meta t_fs_lock t_fs_dir t_fs_path t_fs_fd t_fmap t_shm t_exec2 t_mount t_mount_prop t_mount_dev t_fifo_fd \
	t_fuzz_fs t_script t_sysmisc t_exec_args t_vdso t_procfs2 t_blkdev \
	t_disk_ops t_disk_many t_disk_exec t_disk_verify t_pcache t_swapon \
	t_swap_fork t_swap_cow t_swap_thr t_swap_slots t_swap_off t_swap_oom t_swap_eio t_swap_under
USER_BENCH_NAMES := forkbench swapbench

USER_INIT := $(UB)/init
USER_BIN := $(addprefix $(UB)/bin/,$(USER_BIN_NAMES))
USER_TESTS := $(addprefix $(UB)/test/,$(USER_TEST_NAMES))
USER_BENCH := $(addprefix $(UB)/bench/,$(USER_BENCH_NAMES))

.PHONY: user user-oracle user-clean

user: $(USER_INIT) $(USER_BIN) $(USER_TESTS) $(USER_BENCH)

# init lives at the top of user/, the rest in one directory per destination.
$(UB)/init: $(USER_SRC)/init.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

$(UB)/bin/%: $(USER_SRC)/bin/%.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

$(UB)/test/%: $(USER_SRC)/test/%.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

$(UB)/bench/%: $(USER_SRC)/bench/%.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

# Run each test under qemu-user; a test's output is shown only when it fails, SKIP lines
# always (so a reader sees what the oracle could not check).
user-oracle: $(USER_TESTS)
	@pass=0; fail=0; \
	for t in $(USER_TESTS); do \
		log=$(UB)/oracle-$$(basename $$t).log; \
		L=; readelf -lW $$t 2>/dev/null | grep -q "program interpreter" && L="-L /usr/riscv64-linux-gnu"; \
		if timeout $(USER_ORACLE_TIMEOUT) $(USER_QEMU) $$L $$t > $$log 2>&1 < /dev/null; then \
			pass=$$((pass + 1)); echo "PASS $$(basename $$t)"; \
			grep '^SKIP' $$log | sed 's/^/    /'; \
		else \
			fail=$$((fail + 1)); echo "FAIL $$(basename $$t) (exit $$?)"; \
			sed 's/^/    /' $$log; \
		fi; \
	done; \
	echo "oracle: $$pass passed, $$fail failed"; \
	test $$fail -eq 0

# t_fuzz and t_fuzz_fs include the fuzzer's source, and the fuzzer its ABI and file-system modes.
FUZZ_SRCS := $(addprefix $(USER_SRC)/bin/,fuzz.c fuzz_abi.c fuzz_fs.c fuzz_fs_ops.c fuzz_fs_pool.c)
$(UB)/test/t_fuzz $(UB)/test/t_fuzz_fs $(UB)/bin/fuzz: $(FUZZ_SRCS)

user-clean:
	rm -rf $(UB)

# Standalone, "make -f user/user.mk" builds everything; included, leave the goal alone.
ifeq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := user
else
.DEFAULT_GOAL := $(user_saved_goal)
endif
