/*
 * Bostan-Mori's algorithm modulo any m >= 2 (lr_bostan_mori.c), products through lr_ntt.  Plain C99, no
 * Python.h.
 */
#ifndef LR_BOSTAN_MORI_H
#define LR_BOSTAN_MORI_H

#include <stddef.h>
#include <stdint.h>

#include "lr_modarith.h"

/* Orders from which Bostan-Mori beats Fiduccia with lazy products (auto), by the number of
 * transforms per product; measured at n = 10^18 (benchmarks/bench_large_k.py --crossover,
 * x86-64, best CPU time of 7 rounds).  Bostan-Mori's cost steps at k = 2^j + 1 (the transform
 * doubles), Fiduccia's grows as k^2: each crossover sits inside a flat step.
 *   direct, m = 998244353: tie at k = 48 (1.00x), Bostan-Mori 1.6x faster at 64
 *   one CRT prime, m = 1009: 0.89x at 48, 1.44x at 64
 *   two, m = 10^9+7: 0.78x at 160, 1.06x at 192, 1.6x at 256, 3.2x at 512
 *   three, m = 2^64-59: 0.88x at 320, 1.21x at 384, 2.0x at 512 */
#define LR_BM_MIN_K_DIRECT 56    /* m itself an NTT prime below 2^62 */
#define LR_BM_MIN_K_1 56         /* one CRT prime: (k+1)(m-1)^2 < 2^61 */
#define LR_BM_MIN_K_2 192        /* two CRT primes: (k+1)(m-1)^2 < 2^122 */
#define LR_BM_MIN_K_3 352        /* three: any m < 2^64 */
#define LR_BM_MIN_K 56           /* the least of them: workspace sizing */

/* Transform length for order k: the smallest power of two >= 2k (and >= 4). */
size_t lr_bm_length(int64_t k);

/* Scratch elements lr_bm_term needs for order k. */
size_t lr_bm_work_elems(int64_t k);

/* Does modulus x->m (>= 2) admit the method for order k (k >= 2, k + 1 <= 2^50)? */
int lr_bm_applies(const lr_mod_t *x, int64_t k);

/* Should auto use Bostan-Mori for modulus x->m and order k (the measured crossovers)? */
int lr_bm_preferred(const lr_mod_t *x, int64_t k);

/* Measurement hook (benchmarks/bench_large_k.py --crossover): when the environment variable
 * LUCAS_BM_FORCE is 1, auto takes Bostan-Mori wherever it applies; 0, never.  Returns 1, 0,
 * or -1 when unset (the workspace then covers Bostan-Mori at every k). */
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
