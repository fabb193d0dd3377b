/*
 * Polynomial products modulo f(x) = x^k - sum c[i] x^i, and matrix products, over Z/m for
 * odd m with lazy reduction (lr_polymod.c).  Plain C99 + unsigned __int128, no Python.h.
 */
#ifndef LR_POLYMOD_H
#define LR_POLYMOD_H

#include <stdint.h>

#include "lr_modarith.h"

/* Below this order the generic kernels (one modular product per term) are as fast. */
#define LR_POLYMOD_MIN_K 3

/*
 * out = a*b mod f, all in Montgomery form modulo the odd x->m; out may alias a or b;
 * t: scratch of 2k-1 elements.  Returns 1 when done, 0 when it does not apply (even m or
 * k < LR_POLYMOD_MIN_K) and nothing was touched.
 */
int lr_polymod_mul(const lr_mod_t *x, int64_t k, const uint64_t *c, const uint64_t *a,
                   const uint64_t *b, uint64_t *out, uint64_t *t);

/* r <- r^2 mod f in the same way. */
int lr_polymod_square(const lr_mod_t *x, int64_t k, const uint64_t *c, uint64_t *r, uint64_t *t);

/* C = A B for k x k row-major matrices in Montgomery form (C aliases neither), each entry one
 * exact sum reduced once; 1 when done, 0 when it does not apply. */
int lr_polymod_matmul(const lr_mod_t *x, int64_t k, const uint64_t *A, const uint64_t *B,
                      uint64_t *C);

/*
 * (a0 + a1 x)(b0 + b1 x) mod x^2 - c1 x - c0 for odd m < 2^62 in Montgomery form (c0, c1
 * too), with lazy reduction: Karatsuba's 3 products, a1 b1 reduced once and multiplied by
 * c0 and c1, and one reduction per output.  Every sum stays below m 2^64 (at most 3 m^2), as
 * REDC requires.  5 multiplications and 3 reductions against 6 full modular products.
 */
static inline void
lr_polymul2_lazy(const uint64_t *a, const uint64_t *b, uint64_t c0, uint64_t c1, uint64_t m,
                 uint64_t minv, uint64_t *out)
{
    const lr_u128 t0 = (lr_u128)a[0] * b[0], t2 = (lr_u128)a[1] * b[1];
    const lr_u128 mid = (lr_u128)(a[0] + a[1]) * (b[0] + b[1]) - t0 - t2;
    const uint64_t t2r = lr_redc_nb(t2, m, minv);
    out[0] = lr_redc_nb(t0 + (lr_u128)c0 * t2r, m, minv);
    out[1] = lr_redc_nb(mid + (lr_u128)c1 * t2r, m, minv);
}

#endif /* LR_POLYMOD_H */
