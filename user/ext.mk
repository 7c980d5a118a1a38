# ext.mk - users' threaded programs: static Go and C++ binaries built with Debian's
# toolchains (golang-go, g++-riscv64-linux-gnu; scripts/deps installs them), and some of
# Go's own standard-library test binaries. user/ext/manifest says which tests run them.
#
#     make ext     build/user/ext/* and build/initramfs-ext.cpio: /init, /bin and /ext
#                  (the programs and the manifest), booted only by the ext step of
#                  scripts/test-all, so the other suites' boots stay small
#
# Go builds in GOPATH mode with no network (GOPROXY=off; only the standard library is
# used), with its cache outside the tree in ~/.cache/holstein/go, reused by later builds.
# Included by the top-level Makefile after user/user.mk.

EXT_GO ?= go
EXT_CXX ?= riscv64-linux-gnu-g++
EXT_GO_HOME ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/holstein/go
EXT_GO_ENV := GOOS=linux GOARCH=riscv64 CGO_ENABLED=0 GO111MODULE=off GOPROXY=off GOFLAGS= \
	GOCACHE=$(EXT_GO_HOME)/cache GOPATH=$(EXT_GO_HOME)/path
EXT_CXXFLAGS := -std=c++17 -static -O2 -pthread -Wall -Wextra -Werror -s
EXT_MANIFEST := user/ext/manifest

EB := $(BUILD)/user/ext
# The standard-library test binaries are named in the manifest as PKG.test, with '_'
# for '/' (sync_atomic.test is sync/atomic's); none of the packages has a '_'.
EXT_STD_TESTS := $(sort $(shell awk '!/^\#/ && $$2 ~ /\.test$$/ { print $$2 }' $(EXT_MANIFEST)))
EXT_PROGS := $(EB)/gothreads $(EB)/cppthreads $(addprefix $(EB)/,$(EXT_STD_TESTS))
EXT_INITRAMFS := $(BUILD)/initramfs-ext.cpio

.PHONY: ext print-ext-dir

ext: $(EXT_PROGS) $(EXT_INITRAMFS)

# One program from the files of user/go (package main).
$(EB)/gothreads: $(wildcard user/go/*.go) user/ext.mk
	@mkdir -p $(@D)
	$(EXT_GO_ENV) $(EXT_GO) build -trimpath -ldflags='-s -w' -o $@ $(wildcard user/go/*.go)

$(EB)/cppthreads: user/cpp/cppthreads.cpp user/ext.mk
	@mkdir -p $(@D)
	$(EXT_CXX) $(EXT_CXXFLAGS) -o $@ $<

# Built from GOROOT's sources; rebuilt when this file changes (a new Go needs make clean).
$(EB)/%.test: user/ext.mk
	@mkdir -p $(@D)
	$(EXT_GO_ENV) $(EXT_GO) test -c -trimpath -ldflags='-s -w' -o $@ $(subst _,/,$*)

# init, /bin and /ext: the in-guest tests (/test) are left out to keep it small.
$(EXT_INITRAMFS): $(USER_INIT) $(USER_BIN) $(BUSYBOX) $(EXT_PROGS) $(EXT_MANIFEST) scripts/mkinitramfs
	scripts/mkinitramfs $@ --init $(USER_INIT) --bin "$(USER_BIN)" --busybox $(BUSYBOX) $(BUSYBOX_LINKS) \
		--to ext "$(EXT_PROGS) $(EXT_MANIFEST)"

print-ext-dir:
	@echo $(EB)
