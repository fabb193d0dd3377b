/* Inverses and determinants of k x k row-major matrices (lr_matinv.c); plain C99 plus
 * unsigned __int128, no Python.h.  w: k*k words of scratch everywhere. */
#ifndef LR_MATINV_H
#define LR_MATINV_H

#include <stdint.h>

#include "lr_modarith.h"

static inline uint64_t
lr_mp_submod(uint64_t a, uint64_t b, uint64_t m)
{
    return a >= b ? a - b : a - b + m;
}

/* out = A^-1 mod m (2 <= m) for plain residues; 1 when det(A) is not a unit mod m. */
int lr_mp_inverse_mod(int64_t k, const uint64_t *A, uint64_t m, uint64_t *out, uint64_t *w);

/* out = A^-1 mod 2^64; 1 when det(A) is even. */
int lr_mp_inverse_w64(int64_t k, const uint64_t *A, uint64_t *out, uint64_t *w);

/* out = A^-1 in double; 1 when a pivot is exactly zero. */
int lr_mp_inverse_f64(int64_t k, const double *A, double *out, double *w);

/* det(A) mod the prime q for an int64 matrix. */
uint64_t lr_mp_det_mod_prime(int64_t k, const int64_t *A, uint64_t q, uint64_t *w);

#endif /* LR_MATINV_H */
