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
int lr_polymod_square(const lr_mod_t *x, int64_t k, const uint64_t *c, uint64_t *r,
                      uint64_t *t);

/* C = A B for k x k row-major matrices in Montgomery form (C aliases neither), each entry one
 * exact sum reduced once; 1 when done, 0 when it does not apply. */
int lr_polymod_matmul(const lr_mod_t *x, int64_t k, const uint64_t *A, const uint64_t *B,
                      uint64_t *C);

#endif /* LR_POLYMOD_H */
