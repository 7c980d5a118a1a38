/* random.h - bytes for AT_RANDOM and getrandom(). Not cryptographic. */
#ifndef HOLSTEIN_RANDOM_H
#define HOLSTEIN_RANDOM_H

#include <stddef.h>

void random_bytes(void *buf, size_t n);

#endif
