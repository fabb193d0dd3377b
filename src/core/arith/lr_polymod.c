/*
 * Polynomial products modulo f(x) = x^k - sum c[i] x^i, and matrix products, over Z/m
 * (odd m, Montgomery form) with lazy reduction: every coefficient of the product, and of its
 * reduction mod f (every matrix entry), is one exact sum of 128-bit products (a three-word
 * accumulator), reduced once.  One multiplication and a three-word addition per term, where
 * the generic kernels pay a full modular product and a modular addition.
 *
 * Working from the top coefficient down, the reduction folds into the same sums: with q[j]
 * the final (reduced) coefficient j >= k of the product, x^j = x^(j-k) sum c[i] x^i gives
 *     coefficient d = (sum of a[i] b[d-i]) + sum over j in (d, d+k] with j >= k of
 *                     q[j] c[k - (j - d)],
 * and the q[j] it needs are all above d, hence already final.  In place is safe: a
 * coefficient d < k is written after every read of a[i], b[i] with i >= d.
 */
#include "lr_polymod.h"

#include "lr_modarith.h"

/* (top 2^128 + acc) / 2^64 mod m: the sum of products of Montgomery forms, back in
 * Montgomery form.  With acc = hi 2^64 + lo and R = 2^64:
 *     (top R^2 + hi R + lo) / R = top R + hi + lo / R = REDC(top R^2) + REDC(hi R) + REDC(lo). */
static inline uint64_t
lr_pm_finish(const lr_mod_t *x, lr_u128 acc, uint64_t top)
{
    const uint64_t m = x->m, mi = x->minv, hi = (uint64_t)(acc >> 64);
    if (top == 0 && hi < m) {
        return lr_redc_nb(acc, m, mi);
    }
    uint64_t y = lr_redc_nb((lr_u128)(uint64_t)acc, m, mi);
    y = lr_addmod_nb(y, lr_redc_nb((lr_u128)hi * x->one, m, mi), m);
    if (top) {
        y = lr_addmod_nb(y, lr_redc_nb((lr_u128)top * x->r2, m, mi), m);
    }
    return y;
}

#define LR_PM_ADD(acc, top, p) \
    do { \
        const lr_u128 p_ = (p); \
        (acc) += p_; \
        (top) += (acc) < p_; \
    } while (0)

/* (acc, top) += sum over i of u[i] v[-i] for i in [0, len) (v walks backwards), with two
 * accumulators so that consecutive additions do not wait on each other's carries. */
static inline void
lr_pm_dot_rev(const uint64_t *u, const uint64_t *v, int64_t len, lr_u128 *acc, uint64_t *top)
{
    lr_u128 s0 = *acc, s1 = 0;
    uint64_t t0 = *top, t1 = 0;
    int64_t i = 0;
    for (; i + 1 < len; i += 2) {
        LR_PM_ADD(s0, t0, (lr_u128)u[i] * v[-i]);
        LR_PM_ADD(s1, t1, (lr_u128)u[i + 1] * v[-i - 1]);
    }
    if (i < len) {
        LR_PM_ADD(s0, t0, (lr_u128)u[i] * v[-i]);
    }
    LR_PM_ADD(s0, t0, s1);
    *acc = s0;
    *top = t0 + t1;
}

/* The reduction terms of coefficient d, added to (acc, top); q[j - k] = final coefficient j. */
static inline void
lr_pm_fold(int64_t k, int64_t d, const uint64_t *c, const uint64_t *q, lr_u128 *acc, uint64_t *top)
{
    const int64_t j0 = d + 1 > k ? d + 1 : k;
    const int64_t j1 = d + k < 2 * k - 2 ? d + k : 2 * k - 2;
    if (j1 >= j0) {
        lr_pm_dot_rev(q + (j0 - k), c + (k - j0 + d), j1 - j0 + 1, acc, top);
    }
}

/* Coefficient d from its product sum (acc, top): add the reduction terms, reduce once, and
 * store it in t (d >= k, for the coefficients below) or out (d < k). */
static inline void
lr_pm_close(const lr_mod_t *x, int64_t k, int64_t d, const uint64_t *c, lr_u128 acc, uint64_t top,
            uint64_t *t, uint64_t *out)
{
    lr_pm_fold(k, d, c, t, &acc, &top);
    const uint64_t v = lr_pm_finish(x, acc, top);
    if (d >= k) {
        t[d - k] = v;
    }
    else {
        out[d] = v;
    }
}

int
lr_polymod_mul(const lr_mod_t *x, int64_t k, const uint64_t *c, const uint64_t *a,
               const uint64_t *b, uint64_t *out, uint64_t *t)
{
    if (!x->odd || k < LR_POLYMOD_MIN_K) {
        return 0;
    }
    for (int64_t d = 2 * k - 2; d >= 0; d--) {
        lr_u128 acc = 0;
        uint64_t top = 0;
        const int64_t i0 = d - k + 1 > 0 ? d - k + 1 : 0, i1 = d < k - 1 ? d : k - 1;
        lr_pm_dot_rev(a + i0, b + (d - i0), i1 - i0 + 1, &acc, &top);
        lr_pm_close(x, k, d, c, acc, top, t, out);
    }
    return 1;
}

int
lr_polymod_square(const lr_mod_t *x, int64_t k, const uint64_t *c, uint64_t *r, uint64_t *t)
{
    if (!x->odd || k < LR_POLYMOD_MIN_K) {
        return 0;
    }
    for (int64_t d = 2 * k - 2; d >= 0; d--) {
        lr_u128 acc = 0;
        uint64_t top = 0;
        /* the cross terms i < d - i once, doubled, then the square term */
        const int64_t i0 = d - k + 1 > 0 ? d - k + 1 : 0;
        const int64_t i1 = (d - 1) / 2; /* the last i with i < d - i */
        if (d > 0 && i1 >= i0) {
            lr_pm_dot_rev(r + i0, r + (d - i0), i1 - i0 + 1, &acc, &top);
        }
        top = (top << 1) | (uint64_t)(acc >> 127);
        acc <<= 1;
        if (!(d & 1)) {
            LR_PM_ADD(acc, top, (lr_u128)r[d / 2] * r[d / 2]);
        }
        lr_pm_close(x, k, d, c, acc, top, t, r);
    }
    return 1;
}

int
lr_polymod_matmul(const lr_mod_t *x, int64_t k, const uint64_t *A, const uint64_t *B, uint64_t *C)
{
    if (!x->odd || k < LR_POLYMOD_MIN_K) {
        return 0;
    }
    for (int64_t i = 0; i < k; i++) {
        const uint64_t *a = A + i * k;
        for (int64_t j = 0; j < k; j++) {
            /* row i of A against column j of B (stride k): two accumulators, as above */
            lr_u128 s0 = 0, s1 = 0;
            uint64_t t0 = 0, t1 = 0;
            int64_t l = 0;
            for (; l + 1 < k; l += 2) {
                LR_PM_ADD(s0, t0, (lr_u128)a[l] * B[l * k + j]);
                LR_PM_ADD(s1, t1, (lr_u128)a[l + 1] * B[(l + 1) * k + j]);
            }
            if (l < k) {
                LR_PM_ADD(s0, t0, (lr_u128)a[l] * B[l * k + j]);
            }
            LR_PM_ADD(s0, t0, s1);
            C[i * k + j] = lr_pm_finish(x, s0, t0 + t1);
        }
    }
    return 1;
}
