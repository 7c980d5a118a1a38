# dyn.mk - dynamically linked programs, built as Debian's cross compilers build by default
# (no -static: PIE, glibc's shared libraries, /lib/ld-linux-riscv64-lp64d.so.1), and the
# libraries the initramfs carries for them.
#
#   - t_dyn, t_dyn_cxx, t_dyn_nopie join the in-guest tests in /test (USER_TESTS), and
#     lib/libdynplug.so sits next to them for t_dyn's dlopen (in /test/lib: testrun runs
#     only the files of /test itself);
#   - $(UB)/dyn/omp needs libgomp.so.1, which the initramfs lacks: scripts/test-all runs
#     it through scripts/run-qemu --add, which must bring the library itself.
# Included by the top-level Makefile after user/user.mk.

DYN_CC ?= riscv64-linux-gnu-gcc
DYN_CXX ?= riscv64-linux-gnu-g++
DYN_SYSROOT ?= /usr/riscv64-linux-gnu/lib
DYN_CFLAGS := -O2 -Wall -Wextra -Werror -I$(USER_SRC)/lib
DYN_CXXFLAGS := -std=c++17 -O2 -pthread -Wall -Wextra -Werror

# What the initramfs carries: the loader and the common libraries, stripped as Debian ships them.
DYN_LIBS := $(addprefix $(DYN_SYSROOT)/,ld-linux-riscv64-lp64d.so.1 libc.so.6 libm.so.6 \
	libstdc++.so.6 libgcc_s.so.1)
DYN_TESTS := $(UB)/test/t_dyn $(UB)/test/t_dyn_cxx $(UB)/test/t_dyn_nopie
DYN_PLUGIN := $(UB)/test/lib/libdynplug.so
USER_TESTS += $(DYN_TESTS)

.PHONY: dyn
dyn: $(DYN_TESTS) $(DYN_PLUGIN) $(UB)/dyn/omp

$(UB)/test/t_dyn: user/dyn/t_dyn.c $(USER_HDRS) | $(DYN_PLUGIN)
	@mkdir -p $(@D)
	$(DYN_CC) $(DYN_CFLAGS) -o $@ $<

$(UB)/test/t_dyn_nopie: user/dyn/t_dyn_nopie.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(DYN_CC) $(DYN_CFLAGS) -no-pie -o $@ $<

$(UB)/test/t_dyn_cxx: user/dyn/t_dyn_cxx.cpp
	@mkdir -p $(@D)
	$(DYN_CXX) $(DYN_CXXFLAGS) -o $@ $<

$(DYN_PLUGIN): user/dyn/dynplug.c
	@mkdir -p $(@D)
	$(DYN_CC) $(DYN_CFLAGS) -shared -fPIC -o $@ $< -lm

$(UB)/dyn/omp: user/dyn/omp.c
	@mkdir -p $(@D)
	$(DYN_CC) $(DYN_CFLAGS) -fopenmp -o $@ $<
