/*
 * The int64 / uint64 certifier: decides a[n] exactly after a checked fast path overflowed
 * somewhere (the result itself may still fit).  Plain C99; no Python.h.
 *
 * The value mod 2^64 gives the only candidate in the target type.  It is a[n] iff a[n] agrees
 * with it modulo primes whose product exceeds |a[n]| + 2^64; a mismatch proves that a[n] does
 * not fit.  The magnitude bound comes from a monic integer polynomial that provably
 * annihilates the sequence (its minimal polynomial when the search succeeds, else the given
 * recurrence) through a Schur-form bound on the powers of its companion matrix, with the
 * spectral radius exactly 1 when every root is a root of unity (Graeffe iteration plus
 * Dimitrov's Schinzel-Zassenhaus bound), else a rigorous upper bound.
 */
#ifndef LR_CERTIFY_H
#define LR_CERTIFY_H

#include <stdint.h>

#include "lr_core.h"

/* Orders up to which the minimal polynomial of the sequence is searched (cost O(k^3)). */
#define LR_CERT_MINPOLY_MAX_K 64
/* Degrees up to which the exact root-of-unity test runs (int128 Graeffe stays exact). */
#define LR_CERT_UNITY_MAX_D 62

/*
 * a[n] in the target type, or LR_ERR_OVERFLOW (proven: it does not fit), or
 * LR_ERR_UNCERTIFIED (the magnitude bound needs more than LR_CERT_MAX_PRIMES primes).
 *   c, init:      k values each, as 64-bit patterns: int64 (in_unsigned == 0) or uint64
 *   n:            index (negative needs c[0] == +-1; the caller checks)
 *   out_unsigned: target uint64 (else int64)
 *   out:          receives the value's 64-bit pattern
 */
lr_status lr_cert_term(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned,
                       lr_index_t n, int out_unsigned, uint64_t *out);

/* Upper bound on log2|a[n]| (-inf when a[n] is proven 0); exposed for tests and benchmarks.
 * Returns LR_ERR_NOMEM when the analysis cannot allocate its workspace. */
lr_status lr_cert_log2_bound(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned,
                             lr_index_t n, double *bits);

#endif /* LR_CERTIFY_H */
