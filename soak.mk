# soak.mk - `make soak`: long randomized reliability runs (scripts/soak --help).
# Included by the top-level Makefile.
#
#   make soak                          10 minutes at 1, 2 and 4 harts
#   make soak SOAK_MINUTES=60 SOAK_SMP=4
#   make soak SOAK_DEBUG=1             on the DEBUG=1 (frame-poisoning) kernel

SOAK_MINUTES ?= 10
SOAK_SMP ?= 1 2 4
SOAK_DEBUG ?=

.PHONY: soak
soak: deps
	scripts/soak --minutes $(SOAK_MINUTES) --smp "$(SOAK_SMP)" $(if $(SOAK_DEBUG),--debug)
