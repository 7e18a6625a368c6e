/* SHA-256 compression in hardware for postdesk's Swift SHA256 (see csha256.c for why C). */
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/* 1 when this CPU has SHA-256 instructions (x86 SHA-NI with SSSE3/SSE4.1, or ARMv8 SHA2), else 0.
   Checked once with cpuid / the auxiliary vector; safe to call from any thread. */
int csha256_hardware_available(void);

/* Runs the SHA-256 compression function over `blocks` consecutive 64-byte blocks at `data`,
   updating `state` (the eight 32-bit words a..h, host byte order). Call only when
   csha256_hardware_available() returned 1. */
void csha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
