/*
 * vmstat.c - the VM event counters (see vmstat.h).
 */
#include "vmstat.h"

struct vmstat vmstat;
