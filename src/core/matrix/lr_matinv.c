/*
 * Matrix inverses and determinants for matrix powers with negative exponents (lr_matinv.h):
 * modulo any m (Euclidean row reduction), modulo 2^64 (odd pivots), in double (partial
 * pivoting), and determinants modulo a prime.
 */
#include "lr_matinv.h"

#include <math.h>
#include <string.h>

#include "lr_modarith.h"

/* w = A, out = I for k x k matrices of 8-byte elements; one: the bits of the unit. */
static void
lr_mi_begin(int64_t k, const void *A, void *out, void *w, uint64_t one)
{
    memcpy(w, A, (size_t)(k * k) * 8);
    uint64_t *o = out;
    for (int64_t i = 0; i < k * k; i++) {
        o[i] = i % (k + 1) == 0 ? one : 0;
    }
}

/* Swap rows i and j of a k x k matrix of 8-byte elements (any type: moved as bytes). */
static void
lr_mi_swap_rows(void *R, int64_t k, int64_t i, int64_t j)
{
    unsigned char *a = (unsigned char *)R + (size_t)(i * k) * 8;
    unsigned char *b = (unsigned char *)R + (size_t)(j * k) * 8;
    for (size_t t = 0; t < (size_t)k * 8; t++) {
        const unsigned char s = a[t];
        a[t] = b[t];
        b[t] = s;
    }
}

/* Gauss-Jordan on column j of w (and alike on out) once row j holds the pivot and inv is its
 * inverse: scale row j, then clear column j in every other row.  T: the element type. */
#define LR_MI_ELIMINATE(T, w, out, k, j, inv) \
    do { \
        for (int64_t c_ = 0; c_ < (k); c_++) { \
            (w)[(j) * (k) + c_] *= (inv); \
            (out)[(j) * (k) + c_] *= (inv); \
        } \
        for (int64_t i_ = 0; i_ < (k); i_++) { \
            const T q_ = (w)[i_ * (k) + (j)]; \
            if (i_ != (j) && q_ != 0) { \
                for (int64_t c_ = 0; c_ < (k); c_++) { \
                    (w)[i_ * (k) + c_] -= q_ * (w)[(j) * (k) + c_]; \
                    (out)[i_ * (k) + c_] -= q_ * (out)[(j) * (k) + c_]; \
                } \
            } \
        } \
    } while (0)

/* out = A^-1 mod m for plain residues, any m >= 2, by Euclidean row reduction (pivots need
 * not be units until the column is reduced to one entry).  Returns 1 when det(A) is not a
 * unit mod m.  w: k*k scratch. */
int
lr_mp_inverse_mod(int64_t k, const uint64_t *A, uint64_t m, uint64_t *out, uint64_t *w)
{
    lr_mi_begin(k, A, out, w, 1);
#define LR_ROWOP(R, i, j, q) \
    for (int64_t c_ = 0; c_ < k; c_++) { /* row i -= q row j */ \
        (R)[(i) * k + c_] = \
            lr_mp_submod((R)[(i) * k + c_], lr_u128_mod((lr_u128)(q) * (R)[(j) * k + c_], m), m); \
    }
    for (int64_t j = 0; j < k; j++) {
        for (;;) {
            /* smallest nonzero entry of column j at or below the diagonal becomes the pivot */
            int64_t best = -1;
            int others = 0;
            for (int64_t i = j; i < k; i++) {
                uint64_t v = w[i * k + j];
                if (v != 0) {
                    others += best >= 0;
                    if (best < 0 || v < w[best * k + j]) {
                        best = i;
                    }
                }
            }
            if (best < 0) {
                return 1; /* a zero column below the diagonal: det = 0 */
            }
            if (best != j) {
                lr_mi_swap_rows(w, k, best, j);
                lr_mi_swap_rows(out, k, best, j);
            }
            if (!others) {
                break;
            }
            const uint64_t pv = w[j * k + j];
            for (int64_t i = j + 1; i < k; i++) {
                uint64_t q = w[i * k + j] / pv;
                if (q) {
                    LR_ROWOP(w, i, j, q);
                    LR_ROWOP(out, i, j, q);
                }
            }
        }
        uint64_t inv;
        if (!lr_mod_inverse_plain(w[j * k + j], m, &inv)) {
            return 1; /* a non-unit pivot: det(A) shares a factor with m */
        }
        for (int64_t c = 0; c < k; c++) {
            w[j * k + c] = lr_u128_mod((lr_u128)w[j * k + c] * inv, m);
            out[j * k + c] = lr_u128_mod((lr_u128)out[j * k + c] * inv, m);
        }
        for (int64_t i = 0; i < k; i++) {
            uint64_t q = w[i * k + j];
            if (i != j && q) {
                LR_ROWOP(w, i, j, q);
                LR_ROWOP(out, i, j, q);
            }
        }
    }
#undef LR_ROWOP
    return 0;
}

/* out = A^-1 mod 2^64 (Gauss-Jordan with odd pivots); 1 when det(A) is even. */
int
lr_mp_inverse_w64(int64_t k, const uint64_t *A, uint64_t *out, uint64_t *w)
{
    lr_mi_begin(k, A, out, w, 1);
    for (int64_t j = 0; j < k; j++) {
        int64_t piv = -1;
        for (int64_t i = j; i < k && piv < 0; i++) {
            piv = (w[i * k + j] & 1u) ? i : -1;
        }
        if (piv < 0) {
            return 1; /* column even at and below the diagonal: det(A) is even */
        }
        lr_mi_swap_rows(w, k, piv, j);
        lr_mi_swap_rows(out, k, piv, j);
        const uint64_t inv = lr_inv_2_64(w[j * k + j]);
        LR_MI_ELIMINATE(uint64_t, w, out, k, j, inv);
    }
    return 0;
}

/* out = A^-1 by Gauss-Jordan with partial pivoting; 1 when a pivot is exactly zero. */
int
lr_mp_inverse_f64(int64_t k, const double *A, double *out, double *w)
{
    double one = 1.0;
    uint64_t one_bits;
    memcpy(&one_bits, &one, sizeof one_bits);
    lr_mi_begin(k, A, out, w, one_bits);
    for (int64_t j = 0; j < k; j++) {
        int64_t piv = j;
        for (int64_t i = j + 1; i < k; i++) {
            piv = fabs(w[i * k + j]) > fabs(w[piv * k + j]) ? i : piv;
        }
        if (w[piv * k + j] == 0.0) {
            return 1;
        }
        lr_mi_swap_rows(w, k, piv, j);
        lr_mi_swap_rows(out, k, piv, j);
        const double inv = 1.0 / w[j * k + j];
        LR_MI_ELIMINATE(double, w, out, k, j, inv);
    }
    return 0;
}

/* det(A) mod the prime q by Gaussian elimination (plain residues); w: k*k scratch. */
uint64_t
lr_mp_det_mod_prime(int64_t k, const int64_t *A, uint64_t q, uint64_t *w)
{
    for (int64_t i = 0; i < k * k; i++) {
        w[i] = lr_mod_reduce_i64(A[i], q);
    }
    uint64_t det = 1;
    for (int64_t j = 0; j < k; j++) {
        int64_t piv = -1;
        for (int64_t i = j; i < k && piv < 0; i++) {
            piv = w[i * k + j] ? i : -1;
        }
        if (piv < 0) {
            return 0;
        }
        if (piv != j) {
            lr_mi_swap_rows(w, k, piv, j);
            det = lr_mp_submod(0, det, q);
        }
        det = lr_u128_mod((lr_u128)det * w[j * k + j], q);
        uint64_t inv = 0; /* the pivot is nonzero mod the prime q: always set */
        lr_mod_inverse_plain(w[j * k + j], q, &inv);
        for (int64_t i = j + 1; i < k; i++) {
            uint64_t f = lr_u128_mod((lr_u128)w[i * k + j] * inv, q);
            if (f) {
                for (int64_t c = j; c < k; c++) {
                    w[i * k + c] =
                        lr_mp_submod(w[i * k + c], lr_u128_mod((lr_u128)f * w[j * k + c], q), q);
                }
            }
        }
    }
    return det;
}
