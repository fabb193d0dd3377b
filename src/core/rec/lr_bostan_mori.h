/*
 * Bostan-Mori's algorithm modulo any m >= 2 (lr_bostan_mori.c), products through lr_ntt.  Plain C99, no
 * Python.h.
 */
#ifndef LR_BOSTAN_MORI_H
#define LR_BOSTAN_MORI_H

#include <stddef.h>
#include <stdint.h>

#include "lr_modarith.h"

/*
 * auto's cost model (lr_bm_preferred), fitted to benchmarks/bench_large_k.py --crossover (one
 * term at n = 10^18, best CPU time of 7 rounds, x86-64): Fiduccia with lazy products costs
 * about 5 k^2 and Bostan-Mori about c N log2 N (hundredths of a microsecond, N = the
 * transform length, the least power of two >= 2k), c by the transforms per product:
 *   m itself an NTT prime: 16   (998244353: tie at k = 48, 1.7x at 64)
 *   one CRT prime: 19           ((k+1)(m-1)^2 < 2^61, m = 1009: 0.89x at 48, 1.5x at 64)
 *   two: 36                     (10^9+7: 0.81x at 160, 1.11x at 128 and 192, 1.9x at 256)
 *   three: 60                   (2^64-59: 1.15x at 256, 0.92x at 224 and 320, 1.26x at 384)
 * Bostan-Mori's cost steps up where N doubles (k = 2^j + 1), so with three primes it wins at
 * k = 226..256 and from 352 on but not at 257..351.  Nothing below LR_BM_MIN_K qualifies.
 */
#define LR_BM_COST_FIDUCCIA 5
#define LR_BM_COST_DIRECT 16
#define LR_BM_COST_1 19
#define LR_BM_COST_2 36
#define LR_BM_COST_3 60
#define LR_BM_MIN_K 33 /* below, the model always picks Fiduccia: never Bostan-Mori */

/* Transform length for order k: the smallest power of two >= 2k (and >= 4). */
size_t lr_bm_length(int64_t k);

/* Scratch elements lr_bm_term needs for order k. */
size_t lr_bm_work_elems(int64_t k);

/* Does modulus x->m (>= 2) admit the method for order k (k >= 2, k + 1 <= 2^50)? */
int lr_bm_applies(const lr_mod_t *x, int64_t k);

/* Should auto use Bostan-Mori for modulus x->m and order k (the measured crossovers)? */
int lr_bm_preferred(const lr_mod_t *x, int64_t k);

/* Measurement hook (benchmarks/bench_large_k.py --crossover): when the environment variable
 * LUCAS_BM_FORCE is 1, auto takes Bostan-Mori wherever it applies from k = LR_BM_MIN_K on;
 * 0, never.  Returns 1, 0, or -1 when unset. */
int lr_bm_forced(void);

/* Transforms per product for (x->m, k): 1 (*direct: m is itself an NTT prime), 2 or 3. */
int lr_bm_prime_count(const lr_mod_t *x, int64_t k, int *direct);

/*
 * a[n] mod m (n >= 0) for a[n+k] = sum c[i] a[n+i], a[0..k) = init; c, init in Montgomery
 * form, the result in plain form.  O(k log k log n): one product of two degree-k
 * polynomials per bit of n, through number-theoretic transforms.  x->m must satisfy
 * lr_bm_applies; work: lr_bm_work_elems(k) elements (O(k), 16-byte aligned not needed).
 */
uint64_t lr_bm_term(const lr_mod_t *x, int64_t k, const uint64_t *c, const uint64_t *init,
                    uint64_t n, uint64_t *work);

#endif /* LR_BOSTAN_MORI_H */
