/*
 * Type-generic kernels for one term of a linear recurrence, instantiated once per ring by
 * lr_term.c, lr_float.c and lr_float_dd.c (PyWavelets-style template: define the macros
 * below, then include this file; lr_ring_native.h and lr_ring_hilo.h define the arithmetic
 * ones for native C types and for double-double structs).
 *
 *   LR_SUFFIX            name suffix of the generated functions (i64, u64w, mod, f64)
 *   LR_T                 element type
 *   LR_CTX               context type (modulus data, or a dummy)
 *   LR_MUL(x, a, b, p)   *p = a*b; evaluates to nonzero on overflow
 *   LR_MULC(x, a, c, p)  optional: the same for a recurrence coefficient c, which is often 1
 *   LR_POLYMUL2(x, c, a, b, out)  optional: out = a*b mod f for k = 2; evaluates to nonzero
 *                        when it handled the product (a faster special case)
 *   LR_POLYMULMOD(x, k, c, a, b, out, t)  optional: out = a*b mod f for any k (out may alias a
 *                        or b; t: 2k-1 scratch); nonzero when it handled the product
 *   LR_POLYSQUARE(x, k, c, r, t)  optional: r <- r^2 mod f in the same way
 *   LR_ADD(x, a, b, p)   *p = a+b; nonzero on overflow
 *   LR_NEG(x, a, p)      *p = -a;  nonzero on overflow
 *   LR_INV(x, a, p)      *p = 1/a; nonzero when a is not invertible
 *   LR_ZERO(x), LR_ONE(x)
 *   LR_GEMM(x, k, A, B, C)  optional: C = A*B for k x k row-major; evaluates to nonzero when
 *                        it handled the product (BLAS), zero to use the generic loops.
 *   LR_RESCALE(v, len, e)   optional (floating point): scale v by a power of two so that its
 *                        largest entry is about 1, adding the exponent to *e; the true value
 *                        is v * 2^e.  Keeps intermediates finite, so a result overflows to inf
 *                        (or underflows) only when the result itself does.
 *   LR_LDEXP(v, e)       with LR_RESCALE: v * 2^e.
 *   LR_OUT, LR_IN, LR_TABLES  optional: the batch kernels (see the end of this file)
 *
 * Self-contained: it includes what it uses, checks its required parameters (#error), and
 * holds arithmetic only -- which algorithm runs when is lr_choose.c's and lr_batch.c's.
 *
 * All functions return 0, LR_ERR_OVERFLOW or LR_ERR_BACKWARDS.  Work arrays are caller-owned.
 * The parameters are #undef'd at the end of this file.
 */

#include <stdint.h>

#include "lr_core.h"
#include "lr_batch.h" /* lr_batch_ring, filled when LR_OUT is defined */
#include "lr_ring_util.h" /* lr_noctx, lr_scale_add, lr_scale_double */

/* the required parameters: a missing one is a build error here, not a puzzle further down */
#if !defined(LR_SUFFIX) || !defined(LR_T) || !defined(LR_CTX)
#error "lr_ring_template.h: define LR_SUFFIX, LR_T and LR_CTX"
#endif
#if !defined(LR_MUL) || !defined(LR_ADD) || !defined(LR_NEG) || !defined(LR_INV)
#error "lr_ring_template.h: define LR_MUL, LR_ADD, LR_NEG and LR_INV"
#endif
#if !defined(LR_ZERO) || !defined(LR_ONE)
#error "lr_ring_template.h: define LR_ZERO and LR_ONE"
#endif
#if defined(LR_RESCALE) != defined(LR_LDEXP)
#error "lr_ring_template.h: LR_RESCALE and LR_LDEXP go together"
#endif
#if defined(LR_OUT) && (!defined(LR_IN) || !defined(LR_TABLES))
#error "lr_ring_template.h: LR_OUT needs LR_IN and LR_TABLES"
#endif

#define LR_CAT_(a, b) a##_##b
#define LR_CAT(a, b) LR_CAT_(a, b)
#define LR_FN(name) LR_CAT(name, LR_SUFFIX)
/* not every ring uses every kernel */
#define LR_STATIC static __attribute__((unused))

#define LR_TRY(expr) \
    do { \
        if (expr) { \
            return LR_ERR_OVERFLOW; \
        } \
    } while (0)

#ifndef LR_MULC
#define LR_MULC(x, a, b, p) LR_MUL(x, a, b, p)
#endif

#ifdef LR_RESCALE
#define LR_SCALE(v, len, e) LR_RESCALE((v), (len), (e))
#define LR_UNSCALE(v, e) LR_LDEXP((v), (e))
#else
#define LR_SCALE(v, len, e) ((void)(e))
#define LR_UNSCALE(v, e) (v)
#endif

/*
 * Coefficients and initial values of the reversed recurrence b[t] = a[k-1-t], so that a
 * negative index n becomes b[k-1+|n|]:  b[t+k] = sum d[j] b[t+j] with d[0] = 1/c[0] and
 * d[j] = -c[k-j]/c[0].
 */
LR_STATIC int
LR_FN(lr_reverse)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init, LR_T *d, LR_T *b)
{
    LR_T inv0;
    if (LR_INV(x, c[0], &inv0)) {
        return LR_ERR_BACKWARDS;
    }
    d[0] = inv0;
    for (int64_t j = 1; j < k; j++) {
        LR_T p;
        LR_TRY(LR_MUL(x, c[k - j], inv0, &p));
        LR_TRY(LR_NEG(x, p, &d[j]));
    }
    for (int64_t t = 0; t < k; t++) {
        b[t] = init[k - 1 - t];
    }
    return 0;
}

/* out = t mod f for a product t of degree <= 2k-2 (t is overwritten): from the top,
 * x^d = x^(d-k) * sum c[i] x^i. */
LR_STATIC int
LR_FN(lr_poly_reduce)(const LR_CTX *x, int64_t k, const LR_T *c, LR_T *t, LR_T *out)
{
    LR_T p;
    for (int64_t d = 2 * k - 2; d >= k; d--) {
        LR_T q = t[d];
        for (int64_t i = 0; i < k; i++) {
            LR_TRY(LR_MULC(x, q, c[i], &p));
            LR_TRY(LR_ADD(x, t[d - k + i], p, &t[d - k + i]));
        }
    }
    for (int64_t i = 0; i < k; i++) {
        out[i] = t[i];
    }
    return 0;
}

/* r <- r^2 mod f, where f(x) = x^k - sum c[i] x^i.  t: scratch of 2k-1 elements. */
LR_STATIC int
LR_FN(lr_poly_square)(const LR_CTX *x, int64_t k, const LR_T *c, LR_T *r, LR_T *t)
{
    LR_T p;
#ifdef LR_POLYSQUARE
    if (LR_POLYSQUARE(x, k, c, r, t)) {
        return 0;
    }
#endif
    for (int64_t i = 0; i < 2 * k - 1; i++) {
        t[i] = LR_ZERO(x);
    }
    /* cross terms once, doubled, then the diagonal: about k^2/2 products */
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = i + 1; j < k; j++) {
            LR_TRY(LR_MUL(x, r[i], r[j], &p));
            LR_TRY(LR_ADD(x, t[i + j], p, &t[i + j]));
        }
    }
    for (int64_t i = 1; i < 2 * k - 2; i++) {
        LR_TRY(LR_ADD(x, t[i], t[i], &t[i]));
    }
    for (int64_t i = 0; i < k; i++) {
        LR_TRY(LR_MUL(x, r[i], r[i], &p));
        LR_TRY(LR_ADD(x, t[2 * i], p, &t[2 * i]));
    }
    return LR_FN(lr_poly_reduce)(x, k, c, t, r);
}

/* r <- r*x mod f */
LR_STATIC int
LR_FN(lr_poly_times_x)(const LR_CTX *x, int64_t k, const LR_T *c, LR_T *r)
{
    LR_T top = r[k - 1], p;
    for (int64_t i = k - 1; i > 0; i--) {
        r[i] = r[i - 1];
    }
    r[0] = LR_ZERO(x);
    for (int64_t i = 0; i < k; i++) {
        LR_TRY(LR_MULC(x, top, c[i], &p));
        LR_TRY(LR_ADD(x, r[i], p, &r[i]));
    }
    return 0;
}

/* dot product sum r[i]*v[i] */
LR_STATIC int
LR_FN(lr_dot)(const LR_CTX *x, int64_t k, const LR_T *r, const LR_T *v, LR_T *out)
{
    LR_T acc = LR_ZERO(x), p;
    for (int64_t i = 0; i < k; i++) {
        LR_TRY(LR_MUL(x, r[i], v[i], &p));
        LR_TRY(LR_ADD(x, acc, p, &acc));
    }
    *out = acc;
    return 0;
}

/*
 * Fiduccia's method for an index n >= k (smaller ones are lr_any_index's): a[n] =
 * sum r[i] a[i] with r(x) = x^n mod f(x).  O(k^2 log n).  work: 3k elements.
 */
LR_STATIC int
LR_FN(lr_poly_forward)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init, uint64_t n,
                       LR_T *out, LR_T *work)
{
    LR_T *r = work, *t = work + k;
    int hb = 63;
    while (!((n >> hb) & 1u)) {
        hb--;
    }
    /* start from the longest prefix of n's bits whose monomial needs no reduction */
    uint64_t m = 0;
    int i = hb;
    while (i >= 0 && 2 * m + ((n >> i) & 1u) < (uint64_t)k) {
        m = 2 * m + ((n >> i) & 1u);
        i--;
    }
    for (int64_t j = 0; j < k; j++) {
        r[j] = LR_ZERO(x);
    }
    r[m] = LR_ONE(x);
    int64_t e = 0; /* scale exponent of r (floating point only) */
    for (; i >= 0; i--) {
        int st = LR_FN(lr_poly_square)(x, k, c, r, t);
        if (st) {
            return st;
        }
        e = lr_scale_double(e);
        if ((n >> i) & 1u) {
            st = LR_FN(lr_poly_times_x)(x, k, c, r);
            if (st) {
                return st;
            }
        }
        LR_SCALE(r, k, &e);
    }
    int st = LR_FN(lr_dot)(x, k, r, init, out);
    *out = LR_UNSCALE(*out, e);
    return st;
}

/* A method for a non-negative index (lr_poly_forward, lr_matrix_forward). */
typedef int (*LR_FN(lr_forward_fn))(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init,
                                    uint64_t n, LR_T *out, LR_T *work);

/* Any index by a forward method: one below k is an initial value, a negative one goes
 * through the reversed recurrence, whose coefficients and initial values go to rev (2k
 * elements after the method's work). */
static inline int
LR_FN(lr_any_index)(LR_FN(lr_forward_fn) forward, const LR_CTX *x, int64_t k, const LR_T *c,
                    const LR_T *init, lr_index_t n, LR_T *out, LR_T *work, LR_T *rev)
{
    if (!n.neg && n.mag < (uint64_t)k) {
        *out = init[n.mag];
        return 0;
    }
    if (!n.neg) {
        return forward(x, k, c, init, n.mag, out, work);
    }
    int st = LR_FN(lr_reverse)(x, k, c, init, rev, rev + k);
    if (st) {
        return st;
    }
    return forward(x, k, rev, rev + k, (uint64_t)(k - 1) + n.mag, out, work);
}

/* Polynomial method for any index.  work: 5k elements. */
LR_STATIC int
LR_FN(lr_poly_term)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init, lr_index_t n,
                    LR_T *out, LR_T *work)
{
    return LR_FN(lr_any_index)(LR_FN(lr_poly_forward), x, k, c, init, n, out, work, work + 3 * k);
}

/* C = A*B for k x k row-major matrices (i-k-j order streams rows of B and C). */
LR_STATIC int
LR_FN(lr_mat_mul)(const LR_CTX *x, int64_t k, const LR_T *A, const LR_T *B, LR_T *C)
{
#ifdef LR_GEMM
    if (LR_GEMM(x, k, A, B, C)) {
        return 0;
    }
#endif
    LR_T p;
    for (int64_t i = 0; i < k * k; i++) {
        C[i] = LR_ZERO(x);
    }
    for (int64_t i = 0; i < k; i++) {
        for (int64_t l = 0; l < k; l++) {
            LR_T a = A[i * k + l];
            for (int64_t j = 0; j < k; j++) {
                LR_TRY(LR_MUL(x, a, B[l * k + j], &p));
                LR_TRY(LR_ADD(x, C[i * k + j], p, &C[i * k + j]));
            }
        }
    }
    return 0;
}

/*
 * Companion-matrix power for an index n >= k: state s_n = C^n s_0, with the powers
 * C^(2^j) applied to the state vector as their bits appear.  O(k^3 log n).
 * work: 2k^2 + 2k elements.
 */
LR_STATIC int
LR_FN(lr_matrix_forward)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init, uint64_t n,
                         LR_T *out, LR_T *work)
{
    LR_T *P = work, *Q = work + k * k, *s = work + 2 * k * k, *u = s + k;
    for (int64_t i = 0; i < k * k; i++) {
        P[i] = LR_ZERO(x);
    }
    for (int64_t i = 0; i + 1 < k; i++) {
        P[i * k + i + 1] = LR_ONE(x);
    }
    for (int64_t j = 0; j < k; j++) {
        P[(k - 1) * k + j] = c[j];
        s[j] = init[j];
    }
    int64_t ep = 0, es = 0; /* scale exponents of P and s (floating point only) */
    for (;;) {
        if (n & 1u) {
            for (int64_t i = 0; i < k; i++) {
                int st = LR_FN(lr_dot)(x, k, P + i * k, s, &u[i]);
                if (st) {
                    return st;
                }
            }
            for (int64_t i = 0; i < k; i++) {
                s[i] = u[i];
            }
            es = lr_scale_add(es, ep);
            LR_SCALE(s, k, &es);
        }
        n >>= 1;
        if (n == 0) {
            break;
        }
        int st = LR_FN(lr_mat_mul)(x, k, P, P, Q);
        if (st) {
            return st;
        }
        LR_T *tmp = P;
        P = Q;
        Q = tmp;
        ep = lr_scale_double(ep);
        LR_SCALE(P, k * k, &ep);
    }
    *out = LR_UNSCALE(s[0], es);
    return 0;
}

/* Matrix method for any index.  work: 2k^2 + 4k elements. */
LR_STATIC int
LR_FN(lr_matrix_term)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init, lr_index_t n,
                      LR_T *out, LR_T *work)
{
    return LR_FN(lr_any_index)(LR_FN(lr_matrix_forward), x, k, c, init, n, out, work,
                               work + 2 * k * k + 2 * k);
}

/* ---- kernels for many indices, one recurrence (the policy is lr_batch.c's) --------------- */

/* out = a*b mod f.  t: scratch of 2k-1 elements; out may alias a or b. */
LR_STATIC int
LR_FN(lr_poly_mulmod)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *a, const LR_T *b,
                      LR_T *out, LR_T *t)
{
    LR_T p;
#ifdef LR_POLYMUL2
    if (k == 2 && LR_POLYMUL2(x, c, a, b, out)) {
        return 0;
    }
#endif
#ifdef LR_POLYMULMOD
    if (LR_POLYMULMOD(x, k, c, a, b, out, t)) {
        return 0;
    }
#endif
    for (int64_t i = 0; i < 2 * k - 1; i++) {
        t[i] = LR_ZERO(x);
    }
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = 0; j < k; j++) {
            LR_TRY(LR_MUL(x, a[i], b[j], &p));
            LR_TRY(LR_ADD(x, t[i + j], p, &t[i + j]));
        }
    }
    return LR_FN(lr_poly_reduce)(x, k, c, t, out);
}

/*
 * Fixed-base window table: entry (b, d), k elements at T + (b*D + d)*k, holds
 * x^(d * 2^(w*b)) mod f for D = 2^w, b < nb.  ok[b*D + d] says whether the entry was computed
 * without overflow (checked rings; always 1 elsewhere).  t: 2k-1 scratch, base: k scratch.
 */
LR_STATIC void
LR_FN(lr_table_build)(const LR_CTX *x, int64_t k, const LR_T *c, int w, int nb, LR_T *T,
                      unsigned char *ok, LR_T *t, LR_T *base)
{
    const int64_t D = (int64_t)1 << w;
    int base_ok = 1;
    for (int64_t i = 0; i < k; i++) {
        base[i] = LR_ZERO(x);
    }
    if (k == 1) {
        base[0] = c[0]; /* x mod (x - c0) */
    }
    else {
        base[1] = LR_ONE(x);
    }
    for (int b = 0; b < nb; b++) {
        LR_T *row = T + (int64_t)b * D * k;
        unsigned char *rok = ok + (int64_t)b * D;
        for (int64_t i = 0; i < k; i++) {
            row[i] = LR_ZERO(x);
            row[k + i] = base[i];
        }
        row[0] = LR_ONE(x);
        rok[0] = 1;
        rok[1] = (unsigned char)base_ok;
        for (int64_t d = 2; d < D; d++) {
            rok[d] =
                (unsigned char)(rok[d - 1] && !LR_FN(lr_poly_mulmod)(x, k, c, row + (d - 1) * k,
                                                                     base, row + d * k, t));
        }
        if (b + 1 < nb) {
            base_ok = base_ok && rok[D - 1] &&
                      !LR_FN(lr_poly_mulmod)(x, k, c, row + (D - 1) * k, base, base, t);
        }
    }
}

/* r = x^n mod f from the table (n < 2^(w*nb)).  LR_ERR_OVERFLOW when an entry or a product
 * overflowed (checked rings), for the caller to take the slow exact path. */
LR_STATIC int
LR_FN(lr_table_pow)(const LR_CTX *x, int64_t k, const LR_T *c, int w, int nb, const LR_T *T,
                    const unsigned char *ok, uint64_t n, LR_T *r, LR_T *t)
{
    const int64_t D = (int64_t)1 << w;
    int first = 1;
    for (int b = 0; b < nb; b++) {
        int64_t d = (int64_t)((n >> (w * b)) & (uint64_t)(D - 1));
        if (d == 0) {
            continue;
        }
        int64_t e = (int64_t)b * D + d;
        if (!ok[e]) {
            return LR_ERR_OVERFLOW;
        }
        if (first) {
            for (int64_t i = 0; i < k; i++) {
                r[i] = T[e * k + i];
            }
            first = 0;
        }
        else if (LR_FN(lr_poly_mulmod)(x, k, c, r, T + e * k, r, t)) {
            return LR_ERR_OVERFLOW;
        }
    }
    if (first) { /* n == 0 */
        for (int64_t i = 0; i < k; i++) {
            r[i] = LR_ZERO(x);
        }
        r[0] = LR_ONE(x);
    }
    return 0;
}

/* Window a[n..n+k-1] from r = x^n mod f (r is consumed). */
LR_STATIC int
LR_FN(lr_window_from_poly)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init, LR_T *r,
                           LR_T *win)
{
    for (int64_t j = 0; j < k; j++) {
        int st = LR_FN(lr_dot)(x, k, r, init, &win[j]);
        if (st) {
            return st;
        }
        if (j + 1 < k && (st = LR_FN(lr_poly_times_x)(x, k, c, r))) {
            return st;
        }
    }
    return 0;
}

/* win <- window one index later: O(k). */
LR_STATIC int
LR_FN(lr_window_step)(const LR_CTX *x, int64_t k, const LR_T *c, LR_T *win)
{
    LR_T next;
    int st = LR_FN(lr_dot)(x, k, c, win, &next);
    if (st) {
        return st;
    }
    for (int64_t i = 0; i + 1 < k; i++) {
        win[i] = win[i + 1];
    }
    win[k - 1] = next;
    return 0;
}

#ifdef LR_OUT
/*
 * The ring's kernels for the batch driver (lr_batch.c, which holds the policy), with the
 * element type erased, and the exported lr_batch_ring_<suffix> that hands them over: define
 * LR_OUT for a ring in exactly one file.
 *   LR_OUT(x, v)  ring element -> the 8-byte result written to the output
 *   LR_IN(x, u)   8-byte result -> ring element
 *   LR_TABLES     nonzero: the table path is sound for this ring
 */
typedef char LR_FN(lr_batch_elem_is_8_bytes)[sizeof(LR_T) == 8 ? 1 : -1];

static void
LR_FN(lr_bk_table_build)(const void *x, int64_t k, const void *c, int w, int nb, void *T,
                         unsigned char *ok, void *t, void *base)
{
    LR_FN(lr_table_build)((const LR_CTX *)x, k, (const LR_T *)c, w, nb, (LR_T *)T, ok, (LR_T *)t,
                          (LR_T *)base);
}

static int
LR_FN(lr_bk_table_term)(const void *x, int64_t k, const void *c, const void *init, int w, int nb,
                        const void *T, const unsigned char *ok, uint64_t n, void *r, void *t,
                        uint64_t *u)
{
    const LR_CTX *cx = (const LR_CTX *)x;
    LR_T v;
    if (LR_FN(lr_table_pow)(cx, k, (const LR_T *)c, w, nb, (const LR_T *)T, ok, n, (LR_T *)r,
                            (LR_T *)t) ||
        LR_FN(lr_dot)(cx, k, (const LR_T *)r, (const LR_T *)init, &v)) {
        return LR_ERR_OVERFLOW;
    }
    *u = LR_OUT(cx, v);
    return 0;
}

static void
LR_FN(lr_bk_in)(const void *x, uint64_t u, void *elem)
{
    *(LR_T *)elem = LR_IN((const LR_CTX *)x, u);
}

static uint64_t
LR_FN(lr_bk_out)(const void *x, const void *elem)
{
    return LR_OUT((const LR_CTX *)x, *(const LR_T *)elem);
}

static int
LR_FN(lr_bk_step)(const void *x, int64_t k, const void *c, void *win)
{
    return LR_FN(lr_window_step)((const LR_CTX *)x, k, (const LR_T *)c, (LR_T *)win);
}

void
LR_FN(lr_batch_ring)(lr_batch_ring *ring)
{
    ring->tables = LR_TABLES;
#ifdef LR_RESCALE
    ring->careful = 1;
#else
    ring->careful = 0;
#endif
    ring->table_build = LR_FN(lr_bk_table_build);
    ring->table_term = LR_FN(lr_bk_table_term);
    ring->in = LR_FN(lr_bk_in);
    ring->out = LR_FN(lr_bk_out);
    ring->step = LR_FN(lr_bk_step);
}
#endif /* LR_OUT */

#undef LR_TRY
#undef LR_SCALE
#undef LR_UNSCALE
#undef LR_FN
#undef LR_STATIC
#undef LR_CAT
#undef LR_CAT_

/* the template's parameters, so that the next ring starts from a clean slate */
#undef LR_SUFFIX
#undef LR_T
#undef LR_CTX
#undef LR_MUL
#undef LR_MULC
#undef LR_ADD
#undef LR_NEG
#undef LR_INV
#undef LR_ZERO
#undef LR_ONE
#undef LR_GEMM
#undef LR_RESCALE
#undef LR_LDEXP
#undef LR_POLYMUL2
#undef LR_POLYMULMOD
#undef LR_POLYSQUARE
#undef LR_OUT
#undef LR_IN
#undef LR_TABLES
