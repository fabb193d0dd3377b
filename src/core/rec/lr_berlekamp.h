/*
 * Berlekamp-Massey over Z/pZ: the shortest linear recurrence that generates a finite sequence
 * of residues modulo a prime.  Shared by the int64 certifier (minimal polynomial of a
 * sequence) and find_recurrence.  Plain C99; no Python.h.
 */
#ifndef LR_BERLEKAMP_H
#define LR_BERLEKAMP_H

#include <stddef.h>
#include <stdint.h>

/* uint64 slots of workspace that lr_bm_mod needs for a sequence of len terms. */
#define LR_BM_WORK(len) (3 * ((size_t)(len) + 1))

/*
 * Shortest recurrence s[i+L] = sum(c[j] * s[i+j] for j < L) (mod p) valid for every
 * i + L < len, in lucas's seed order (c[0] multiplies the oldest term).
 *   s:    len residues in [0, p)
 *   len:  number of terms (>= 0)
 *   p:    a prime, 2 <= p < 2^64 (not checked: a composite p gives no guarantee)
 *   c:    receives L coefficients in [0, p); room for len/2 + 1 is not enough in general:
 *         give len slots
 *   work: LR_BM_WORK(len) uint64 slots
 * Returns L, the linear complexity (0 for an all-zero sequence).
 */
int64_t lr_bm_mod(const uint64_t *s, int64_t len, uint64_t p, uint64_t *c, uint64_t *work);

#endif /* LR_BERLEKAMP_H */
