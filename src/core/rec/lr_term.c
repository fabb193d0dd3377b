/*
 * One term of a linear recurrence in each number ring lucas supports, and the exactness
 * machinery for int64: a checked fast path, then a multi-modular proof when an intermediate
 * (not necessarily the result) overflows.  One index only: many indices are lr_batch.c's,
 * consecutive runs lr_sequence.c's (both call in here, never the other way round).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lr_blas.h"
#include "lr_core.h"
#include "lr_modarith.h"
#include "lr_polymod.h"
#include "lr_bostan_mori.h"
#include "lr_float.h"
#include "lr_float_util.h"
#include "lr_choose.h"
#include "lr_ring_util.h"
#include "lr_term.h"

/* See LR_RESCALE in lr_ring_template.h. */
static void
lr_f64_rescale(double *v, int64_t len, int64_t *e)
{
    double mx = 0.0;
    for (int64_t i = 0; i < len; i++) {
        double a = fabs(v[i]);
        mx = a > mx ? a : mx;
    }
    int s = lr_rescale_exp(mx);
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

static inline uint64_t
lr_f64_bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static inline double
lr_f64_from_bits(uint64_t u)
{
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* ---- ring: int64, every operation checked ------------------------------------------- */
#define LR_SUFFIX i64
#define LR_T int64_t
#define LR_NATIVE_CHECKED 1
#define LR_OUT(x, v) ((uint64_t)(v))
#define LR_IN(x, u) ((int64_t)(u))
#define LR_TABLES 1
#include "lr_ring_native.h"

/* ---- ring: integers mod 2^64 (wrapping), the candidate for a certified int64 --------- */
#define LR_SUFFIX u64w
#define LR_T uint64_t
#define LR_NATIVE_CHECKED 0
#define LR_INV(x, a, p) (((a) & 1u) ? (*(p) = lr_inv_2_64(a), 0) : 1) /* the odd residues */
#include "lr_ring_native.h"

/* ---- ring: residues mod m in the working (Montgomery for odd m) representation ------- */
/* The order-2 product of lr_polymod.h where it applies (odd m < 2^62); 0 otherwise. */
static inline int
lr_mod_polymul2(const lr_mod_t *x, const uint64_t *c, const uint64_t *a, const uint64_t *b,
                uint64_t *out)
{
    if (!x->odd || x->m >= ((uint64_t)1 << 62)) {
        return 0;
    }
    lr_polymul2_lazy(a, b, c[0], c[1], x->m, x->minv, out);
    return 1;
}

/* Matrix product mod m through BLAS; A, B in the working representation.  The exact sum
 * of Montgomery-form products carries R^2, so one reduction by R brings it back. */
static int
lr_mod_gemm(const lr_mod_t *x, int64_t k, const uint64_t *A, const uint64_t *B, uint64_t *C)
{
    if (!lr_blas_matmul_mod(k, A, B, C, x->m)) {
        return lr_polymod_matmul(x, k, A, B, C); /* below the BLAS sizes: lazy sums */
    }
    if (x->odd) {
        for (int64_t i = 0; i < k * k; i++) {
            C[i] = lr_mont_mul(C[i], 1, x->m, x->minv);
        }
    }
    return 1;
}

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
#define LR_MULC(x, a, b, p) (*(p) = (b) == (x)->one ? (a) : lr_mod_mul((x), (a), (b)), 0)
#define LR_ADD(x, a, b, p) (*(p) = lr_mod_add((x), (a), (b)), 0)
#define LR_NEG(x, a, p) (*(p) = lr_mod_neg((x), (a)), 0)
#define LR_INV(x, a, p) lr_mod_inv_rep((x), (a), (p))
#define LR_ZERO(x) ((uint64_t)0)
#define LR_ONE(x) ((x)->one)
#define LR_OUT(x, v) lr_mod_from((x), (v))
#define LR_IN(x, u) lr_mod_to((x), (u))
#define LR_TABLES 1
#define LR_GEMM(x, k, A, B, C) lr_mod_gemm((x), (k), (A), (B), (C))
#define LR_POLYMUL2(x, c, a, b, out) lr_mod_polymul2((x), (c), (a), (b), (out))
#define LR_POLYMULMOD(x, k, c, a, b, out, t) lr_polymod_mul((x), (k), (c), (a), (b), (out), (t))
#define LR_POLYSQUARE(x, k, c, r, t) lr_polymod_square((x), (k), (c), (r), (t))
#include "lr_ring_template.h"

/* ---- ring: IEEE double ---------------------------------------------------------------- */
#define LR_SUFFIX f64
#define LR_T double
#define LR_NATIVE_CHECKED 0
#define LR_INV(x, a, p) ((a) != 0.0 ? (*(p) = 1.0 / (a), 0) : 1)
#define LR_GEMM(x, k, A, B, C) lr_blas_dgemm_square((k), (A), (B), (C))
#define LR_RESCALE(v, len, e) lr_f64_rescale((v), (len), (e))
#define LR_LDEXP(v, e) lr_f64_ldexp((v), (e))
#define LR_OUT(x, v) lr_f64_bits(v)
#define LR_IN(x, u) lr_f64_from_bits(u)
#define LR_TABLES 0 /* table entries would need their own scale exponents */
#include "lr_ring_native.h"

/* ---- workspace ------------------------------------------------------------------------ */

/* Bytes a method needs (8-byte elements); the int64 path also runs the polynomial method in
 * other rings while certifying, so POLY's needs are always included. */
size_t
lr_work_bytes(lr_method method, int64_t k)
{
    if (k < 1 || (uint64_t)k > (SIZE_MAX / 8 - 64) / 32) { /* sizes below cannot wrap */
        return 0;
    }
    size_t kk = (size_t)k;
    /* 2k converted inputs (modular and certifying paths), then the method's scratch */
    size_t elems = 2 * kk + 5 * kk + 8;
    if (method == LR_METHOD_AUTO && k >= LR_BM_MIN_K) {
        elems += lr_bm_work_elems(k); /* Bostan-Mori (any modulus, from the crossover) */
    }
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

/* a[n] mod 2^64: the certifier's candidate (lr_certify.c). */
lr_status
lr_term_wrap64(int64_t k, const uint64_t *c, const uint64_t *init, lr_index_t n, uint64_t *out,
               void *scratch)
{
    return (lr_status)lr_poly_term_u64w(LR_NOCTX, k, c, init, n, out, (uint64_t *)scratch);
}

/* The checked fast path alone: LR_ERR_OVERFLOW when any intermediate overflows. */
lr_status
lr_term_i64_checked(lr_method method, int64_t k, const int64_t *c, const int64_t *init,
                    lr_index_t n, int64_t *out, void *work)
{
    int st;
    if (lr_choose(method, LR_RING_I64, k, NULL, LR_CHOOSE_ONE_TERM) == LR_ALGO_MATRIX) {
        st = lr_matrix_term_i64(LR_NOCTX, k, c, init, n, out, (int64_t *)work);
    }
    else {
        st = lr_poly_term_i64(LR_NOCTX, k, c, init, n, out, (int64_t *)work);
    }
    return (lr_status)st;
}

/* a[n] by the plain double kernels (power-of-two rescaling only); lr_float.c decides when
 * they can be trusted (lr_term_f64). */
lr_status
lr_term_f64_plain(lr_method method, int64_t k, const double *c, const double *init, lr_index_t n,
                  double *out, void *work)
{
    if (lr_choose(method, LR_RING_F64, k, NULL, LR_CHOOSE_ONE_TERM) == LR_ALGO_MATRIX) {
        return (lr_status)lr_matrix_term_f64(LR_NOCTX, k, c, init, n, out, (double *)work);
    }
    return (lr_status)lr_poly_term_f64(LR_NOCTX, k, c, init, n, out, (double *)work);
}

/* ---- order 2 modulo an odd m: Lucas-sequence doubling ---------------------------------- */

/* x/2 mod an odd m, in either representation (halving commutes with Montgomery form). */
static inline uint64_t
lr_mod_half(const lr_mod_t *ctx, uint64_t v)
{
    return (v & 1u) ? (v >> 1) + (ctx->m >> 1) + 1 : v >> 1;
}

/*
 * a[n] for order 2 modulo an odd m > 1, values in Montgomery form.  With P = c[1], Q = -c[0]:
 * U_2j = U_j V_j, V_2j = V_j^2 - 2Q^j, U_2j+1 = (P U_2j + V_2j)/2,
 * V_2j+1 = ((P^2-4Q) U_2j + P V_2j)/2, a[n] = ((2a1 - P a0) U_n + a0 V_n)/2:
 * 2 products per bit plus 1-3 on odd bits (Fibonacci: 2.5 per bit against 6 for the
 * polynomial method).
 */
static void
lr_lucas2_mod(const lr_mod_t *x, const uint64_t *c, const uint64_t *init, uint64_t n, uint64_t *out)
{
    const uint64_t one = x->one, mone = lr_mod_neg(x, one);
    const uint64_t P = c[1], Q = lr_mod_neg(x, c[0]);
    const uint64_t Q4 = lr_mod_add(x, lr_mod_add(x, Q, Q), lr_mod_add(x, Q, Q));
    const uint64_t D = lr_mod_sub(x, lr_mod_mul(x, P, P), Q4);
    const int p_one = P == one, q_unit = Q == one || Q == mone;
    uint64_t U = 0, V = lr_mod_add(x, one, one), Qj = one;
    int hb = 63;
    while (hb >= 0 && !((n >> hb) & 1u)) {
        hb--;
    }
    for (int i = hb; i >= 0; i--) {
        uint64_t q2 = lr_mod_add(x, Qj, Qj);
        U = lr_mod_mul(x, U, V);
        V = lr_mod_sub(x, lr_mod_mul(x, V, V), q2);
        Qj = q_unit ? one : lr_mod_mul(x, Qj, Qj);
        if ((n >> i) & 1u) {
            uint64_t pu = p_one ? U : lr_mod_mul(x, P, U);
            uint64_t pv = p_one ? V : lr_mod_mul(x, P, V);
            uint64_t du = lr_mod_mul(x, D, U);
            U = lr_mod_half(x, lr_mod_add(x, pu, V));
            V = lr_mod_half(x, lr_mod_add(x, du, pv));
            Qj = q_unit ? (Q == one ? Qj : lr_mod_neg(x, Qj)) : lr_mod_mul(x, Qj, Q);
        }
    }
    uint64_t a2 = lr_mod_add(x, init[1], init[1]);
    uint64_t cu = lr_mod_sub(x, a2, lr_mod_mul(x, P, init[0]));
    *out = lr_mod_half(x, lr_mod_add(x, lr_mod_mul(x, cu, U), lr_mod_mul(x, init[0], V)));
}

lr_status
lr_mod_single(void *data, lr_index_t n, void *out)
{
    const lr_mod_prepared *p = (const lr_mod_prepared *)data;
    uint64_t r;
    int st;
    if (p->ctx.m == 1) {
        r = 0; /* one residue class: every value is 0 and every element a unit */
    }
    else {
        if (p->algo == LR_ALGO_MATRIX) {
            st = lr_matrix_term_mod(&p->ctx, p->k, p->cw, p->iw, n, &r, p->scratch);
        }
        else if (p->algo == LR_ALGO_LUCAS2) {
            st = 0;
            if (!n.neg) {
                lr_lucas2_mod(&p->ctx, p->cw, p->iw, n.mag, &r);
            }
            else {
                /* backwards: the reversed recurrence, forwards */
                uint64_t *d = p->scratch, *b = p->scratch + 2;
                st = lr_reverse_mod(&p->ctx, 2, p->cw, p->iw, d, b);
                if (!st) {
                    lr_lucas2_mod(&p->ctx, d, b, 1 + n.mag, &r);
                }
            }
        }
        else if (p->algo == LR_ALGO_BOSTAN_MORI && !n.neg) {
            /* the result comes out plain */
            r = lr_bm_term(&p->ctx, p->k, p->cw, p->iw, n.mag, p->scratch);
            memcpy(out, &r, sizeof r);
            return LR_OK;
        }
        else {
            st = lr_poly_term_mod(&p->ctx, p->k, p->cw, p->iw, n, &r, p->scratch);
        }
        if (st) {
            return (lr_status)st;
        }
        r = lr_mod_from(&p->ctx, r);
    }
    memcpy(out, &r, sizeof r);
    return LR_OK;
}

/* Convert c, init into the work area (layout: 2k inputs, then the method's scratch). */
void
lr_mod_prepare(lr_mod_prepared *p, lr_method method, int64_t k, const uint64_t *c,
               const uint64_t *init, uint64_t m, void *work)
{
    uint64_t *cw = (uint64_t *)work, *iw = cw + k;
    p->method = method;
    p->k = k;
    lr_mod_init(&p->ctx, m);
    for (int64_t i = 0; i < k; i++) {
        cw[i] = lr_mod_to(&p->ctx, c[i]);
        iw[i] = lr_mod_to(&p->ctx, init[i]);
    }
    p->cw = cw;
    p->iw = iw;
    p->c = c;
    p->init = init;
    p->scratch = cw + 2 * k;
    p->algo = lr_choose(method, LR_RING_MOD, k, &p->ctx, LR_CHOOSE_ONE_TERM);
}

lr_status
lr_term_mod(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init, lr_index_t n,
            uint64_t m, uint64_t *out, void *work)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (m == 0) {
        return LR_ERR_MODULUS;
    }
    lr_mod_prepared p;
    lr_mod_prepare(&p, method, k, c, init, m, work);
    return lr_mod_single(&p, n, out);
}
