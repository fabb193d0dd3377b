/*
 * One term of a linear recurrence in each number ring lucas supports, and the exactness
 * machinery for int64: a checked fast path, then a multi-modular proof when an intermediate
 * (not necessarily the result) overflows.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "lr_blas.h"
#include "lr_core.h"
#include "lr_modarith.h"

typedef struct {
    int unused;
} lr_noctx;

/* Scale exponents saturate far beyond the double range, where the result is inf or 0 anyway
 * (and the doubling of an exponent must not overflow int64). */
#define LR_SCALE_MAX ((int64_t)1 << 40)

static inline int64_t
lr_scale_add(int64_t a, int64_t b)
{
    int64_t s = a + b;
    return s > LR_SCALE_MAX ? LR_SCALE_MAX : (s < -LR_SCALE_MAX ? -LR_SCALE_MAX : s);
}

static inline int64_t
lr_scale_double(int64_t a)
{
    return lr_scale_add(a, a);
}

/* See LR_RESCALE in lr_ring_template.h. */
static void
lr_f64_rescale(double *v, int64_t len, int64_t *e)
{
    double mx = 0.0;
    for (int64_t i = 0; i < len; i++) {
        double a = fabs(v[i]);
        mx = a > mx ? a : mx;
    }
    if (!(mx > 0.0) || !isfinite(mx)) {
        return;
    }
    int s;
    frexp(mx, &s);
    if (s == 0) {
        return;
    }
    for (int64_t i = 0; i < len; i++) {
        v[i] = ldexp(v[i], -s);
    }
    *e = lr_scale_add(*e, s);
}

static inline double
lr_f64_ldexp(double v, int64_t e)
{
    /* |e| <= 2^40: clamp into int range; beyond +-4000 the result is inf/0 either way */
    int ei = e > 4000 ? 4000 : (e < -4000 ? -4000 : (int)e);
    return ldexp(v, ei);
}

/* ---- ring: int64, every operation checked ------------------------------------------- */
static inline int
lr_i64_inv(int64_t a, int64_t *p)
{
    /* over the integers only +-1 are units */
    if (a == 1 || a == -1) {
        *p = a;
        return 0;
    }
    return 1;
}

#define LR_SUFFIX i64
#define LR_T int64_t
#define LR_CTX lr_noctx
#define LR_MUL(x, a, b, p) __builtin_mul_overflow((a), (b), (p))
#define LR_ADD(x, a, b, p) __builtin_add_overflow((a), (b), (p))
#define LR_NEG(x, a, p) __builtin_sub_overflow((int64_t)0, (a), (p))
#define LR_INV(x, a, p) lr_i64_inv((a), (p))
#define LR_ZERO(x) ((int64_t)0)
#define LR_ONE(x) ((int64_t)1)
#include "lr_ring_template.h"
#undef LR_SUFFIX
#undef LR_T
#undef LR_CTX
#undef LR_MUL
#undef LR_ADD
#undef LR_NEG
#undef LR_INV
#undef LR_ZERO
#undef LR_ONE

/* ---- ring: integers mod 2^64 (wrapping), the candidate for a certified int64 --------- */
static inline int
lr_u64w_inv(uint64_t a, uint64_t *p)
{
    if (!(a & 1u)) {
        return 1;
    }
    uint64_t inv = a;   /* Newton: correct to 3, 6, 12, ... bits */
    for (int i = 0; i < 6; i++) {
        inv *= 2 - a * inv;
    }
    *p = inv;
    return 0;
}

#define LR_SUFFIX u64w
#define LR_T uint64_t
#define LR_CTX lr_noctx
#define LR_MUL(x, a, b, p) (*(p) = (a) * (b), 0)
#define LR_ADD(x, a, b, p) (*(p) = (a) + (b), 0)
#define LR_NEG(x, a, p) (*(p) = 0u - (a), 0)
#define LR_INV(x, a, p) lr_u64w_inv((a), (p))
#define LR_ZERO(x) ((uint64_t)0)
#define LR_ONE(x) ((uint64_t)1)
#include "lr_ring_template.h"
#undef LR_SUFFIX
#undef LR_T
#undef LR_CTX
#undef LR_MUL
#undef LR_ADD
#undef LR_NEG
#undef LR_INV
#undef LR_ZERO
#undef LR_ONE

/* ---- ring: residues mod m in the working (Montgomery for odd m) representation ------- */
static inline int
lr_mod_inv_rep(const lr_mod_t *x, uint64_t a, uint64_t *p)
{
    uint64_t plain = lr_mod_from(x, a), inv;
    if (!lr_mod_inverse_plain(plain, x->m, &inv)) {
        return 1;
    }
    *p = lr_mod_to(x, inv);
    return 0;
}

#define LR_SUFFIX mod
#define LR_T uint64_t
#define LR_CTX lr_mod_t
#define LR_MUL(x, a, b, p) (*(p) = lr_mod_mul((x), (a), (b)), 0)
#define LR_ADD(x, a, b, p) (*(p) = lr_mod_add((x), (a), (b)), 0)
#define LR_NEG(x, a, p) (*(p) = lr_mod_neg((x), (a)), 0)
#define LR_INV(x, a, p) lr_mod_inv_rep((x), (a), (p))
#define LR_ZERO(x) ((uint64_t)0)
#define LR_ONE(x) ((x)->one)
#include "lr_ring_template.h"
#undef LR_SUFFIX
#undef LR_T
#undef LR_CTX
#undef LR_MUL
#undef LR_ADD
#undef LR_NEG
#undef LR_INV
#undef LR_ZERO
#undef LR_ONE

/* ---- ring: IEEE double ---------------------------------------------------------------- */
static inline int
lr_f64_inv(double a, double *p)
{
    if (a == 0.0) {
        return 1;
    }
    *p = 1.0 / a;
    return 0;
}

#define LR_SUFFIX f64
#define LR_T double
#define LR_CTX lr_noctx
#define LR_MUL(x, a, b, p) (*(p) = (a) * (b), 0)
#define LR_ADD(x, a, b, p) (*(p) = (a) + (b), 0)
#define LR_NEG(x, a, p) (*(p) = -(a), 0)
#define LR_INV(x, a, p) lr_f64_inv((a), (p))
#define LR_ZERO(x) 0.0
#define LR_ONE(x) 1.0
#define LR_GEMM(x, k, A, B, C) lr_blas_dgemm_square((k), (A), (B), (C))
#define LR_RESCALE(v, len, e) lr_f64_rescale((v), (len), (e))
#define LR_LDEXP(v, e) lr_f64_ldexp((v), (e))
#include "lr_ring_template.h"
#undef LR_SUFFIX
#undef LR_T
#undef LR_CTX
#undef LR_MUL
#undef LR_ADD
#undef LR_NEG
#undef LR_INV
#undef LR_ZERO
#undef LR_ONE
#undef LR_GEMM
#undef LR_RESCALE
#undef LR_LDEXP

/* ---- workspace ------------------------------------------------------------------------ */

/* Bytes a method needs (8-byte elements); the int64 path also runs the polynomial method in
 * other rings while certifying, so POLY's needs are always included. */
size_t
lr_work_bytes(lr_method method, int64_t k)
{
    if (k < 1 || (uint64_t)k > (SIZE_MAX / 8 - 16) / 8) {
        return 0;
    }
    size_t kk = (size_t)k;
    /* 2k converted inputs (modular and certifying paths), then the method's scratch */
    size_t elems = 2 * kk + 5 * kk + 8;
    if (method == LR_METHOD_MATRIX) {
        if (kk > (size_t)1 << 26 || kk * kk > (SIZE_MAX / 8 - 16) / 2 - 8 * kk) {
            return 0;
        }
        size_t m = 2 * kk + 2 * kk * kk + 4 * kk + 8;
        elems = m > elems ? m : elems;
    }
    return elems * 8;
}

/* ---- int64: fast path, then proof ----------------------------------------------------- */

/*
 * Upper bound on log2|a[n]| from the majorant recurrence |c|, |init|: every new term is at
 * most S = max(1, sum |c|) times the largest of the k before it.  Rounded up generously.
 */
static double
lr_i64_log2_bound(int64_t k, const int64_t *c, const int64_t *init, lr_index_t n)
{
    double s = 0.0, imax = 1.0;
    for (int64_t i = 0; i < k; i++) {
        double ai = fabs((double)init[i]);
        imax = ai > imax ? ai : imax;
    }
    if (!n.neg) {
        for (int64_t i = 0; i < k; i++) {
            s += fabs((double)c[i]);
        }
    }
    else {
        /* reversed recurrence with c[0] = +-1: |d[0]| = 1, |d[j]| = |c[k-j]| */
        s = 1.0;
        for (int64_t i = 1; i < k; i++) {
            s += fabs((double)c[i]);
        }
    }
    if (s < 1.0) {
        s = 1.0;
    }
    double steps = (double)n.mag + 1.0;   /* at most n - k + 1 (or |n|) new terms */
    double bits = log2(imax) + steps * log2(s);
    return bits * (1.0 + 1e-9) + 2.0;
}

/*
 * Decide a[n] exactly after the checked path overflowed somewhere.  The value mod 2^64 gives
 * the only int64 candidate; it is the answer iff a[n] agrees with it modulo enough primes
 * that their product exceeds |a[n]| + 2^63.  A mismatch proves that a[n] does not fit.
 */
static lr_status
lr_i64_certify(int64_t k, const int64_t *c, const int64_t *init, lr_index_t n,
               int64_t *out, uint64_t *work)
{
    lr_noctx nx = {0};
    uint64_t *cw = work, *iw = work + k, *scratch = work + 2 * k;
    for (int64_t i = 0; i < k; i++) {
        cw[i] = (uint64_t)c[i];
        iw[i] = (uint64_t)init[i];
    }
    uint64_t w;
    int st = lr_poly_term_u64w(&nx, k, cw, iw, n, &w, scratch);
    if (st) {
        return (lr_status)st;
    }
    int64_t cand = (int64_t)w;
    double bound = lr_i64_log2_bound(k, c, init, n);
    double need = (bound > 63.0 ? bound : 63.0) + 2.0;
    double have = 0.0;
    for (int j = 0; j < LR_CERT_NPRIMES; j++) {
        uint64_t p = lr_cert_primes[j];
        lr_mod_t ctx;
        lr_mod_init(&ctx, p);
        for (int64_t i = 0; i < k; i++) {
            cw[i] = lr_mod_to(&ctx, lr_mod_reduce_i64(c[i], p));
            iw[i] = lr_mod_to(&ctx, lr_mod_reduce_i64(init[i], p));
        }
        uint64_t r;
        st = lr_poly_term_mod(&ctx, k, cw, iw, n, &r, scratch);
        if (st) {
            return (lr_status)st;
        }
        if (lr_mod_from(&ctx, r) != lr_mod_reduce_i64(cand, p)) {
            return LR_ERR_OVERFLOW;
        }
        have += 61.99;   /* every table prime exceeds 2^61.99 */
        if (have > need) {
            *out = cand;
            return LR_OK;
        }
    }
    return LR_ERR_UNCERTIFIED;
}

lr_status
lr_term_i64(lr_method method, int64_t k, const int64_t *c, const int64_t *init,
            lr_index_t n, int64_t *out, void *work)
{
    lr_noctx nx = {0};
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (n.neg && c[0] != 1 && c[0] != -1) {
        return LR_ERR_BACKWARDS;
    }
    int st;
    if (method == LR_METHOD_MATRIX) {
        st = lr_matrix_term_i64(&nx, k, c, init, n, out, (int64_t *)work);
    }
    else {
        st = lr_poly_term_i64(&nx, k, c, init, n, out, (int64_t *)work);
    }
    if (st == LR_ERR_OVERFLOW) {
        /* an intermediate overflowed; the result itself may still fit (F(92), zeros of
         * oscillating sequences, ...) */
        return lr_i64_certify(k, c, init, n, out, (uint64_t *)work);
    }
    return (lr_status)st;
}

lr_status
lr_term_f64(lr_method method, int64_t k, const double *c, const double *init,
            lr_index_t n, double *out, void *work)
{
    lr_noctx nx = {0};
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    int st;
    if (method == LR_METHOD_MATRIX) {
        st = lr_matrix_term_f64(&nx, k, c, init, n, out, (double *)work);
    }
    else {
        st = lr_poly_term_f64(&nx, k, c, init, n, out, (double *)work);
    }
    return (lr_status)st;
}

lr_status
lr_term_mod(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
            lr_index_t n, uint64_t m, uint64_t *out, void *work)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (m == 0) {
        return LR_ERR_MODULUS;
    }
    if (m == 1) {
        /* one residue class: every value is 0 and every element is a unit */
        *out = 0;
        return LR_OK;
    }
    lr_mod_t ctx;
    lr_mod_init(&ctx, m);
    /* layout: inputs in the working representation, then the method's scratch */
    uint64_t *cw = (uint64_t *)work, *iw = cw + k, *scratch = cw + 2 * k;
    for (int64_t i = 0; i < k; i++) {
        cw[i] = lr_mod_to(&ctx, c[i]);
        iw[i] = lr_mod_to(&ctx, init[i]);
    }
    uint64_t r;
    int st;
    if (method == LR_METHOD_MATRIX) {
        st = lr_matrix_term_mod(&ctx, k, cw, iw, n, &r, scratch);
    }
    else {
        st = lr_poly_term_mod(&ctx, k, cw, iw, n, &r, scratch);
    }
    if (st) {
        return (lr_status)st;
    }
    *out = lr_mod_from(&ctx, r);
    return LR_OK;
}
