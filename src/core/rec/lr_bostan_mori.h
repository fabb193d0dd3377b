/*
 * Bostan-Mori's algorithm over NTT-friendly primes (lr_bostan_mori.c).  Plain C99, no
 * Python.h.
 */
#ifndef LR_BOSTAN_MORI_H
#define LR_BOSTAN_MORI_H

#include <stddef.h>
#include <stdint.h>

#include "lr_modarith.h"

/* From this order on, Bostan-Mori beats Fiduccia with lazy products: they tie at k = 256,
 * Bostan-Mori is 1.6x faster at 512 and 2.7x at 1024 (x86-64, 998244353). */
#define LR_BM_MIN_K 300

/* Transform length for order k: the smallest power of two above 2k. */
size_t lr_bm_length(int64_t k);

/* Scratch elements lr_bm_term needs for order k. */
size_t lr_bm_work_elems(int64_t k);

/* Does modulus x->m admit the method for order k: a prime with 2^e | m - 1 for the
 * transform length 2^e? */
int lr_bm_applies(const lr_mod_t *x, int64_t k);

/*
 * a[n] mod m (n >= 0) for a[n+k] = sum c[i] a[n+i], a[0..k) = init; c, init in Montgomery
 * form, the result in plain form.  O(k log k log n): one product of two degree-k
 * polynomials per bit of n, through number-theoretic transforms.  x->m must satisfy
 * lr_bm_applies; work: lr_bm_work_elems(k) elements.
 */
uint64_t lr_bm_term(const lr_mod_t *x, int64_t k, const uint64_t *c, const uint64_t *init,
                    uint64_t n, uint64_t *work);

#endif /* LR_BOSTAN_MORI_H */
