/*
 * Double-double float64 paths (see lr_float.h): the fast path for short recurrences, and
 * multiple roots at +-1 in the Taylor-shifted basis.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lr_core.h"
#include "lr_float.h"
#include "lr_float_util.h"

/* ---- ring: double-double with power-of-two rescaling ----------------------------------- */

/*
 * hi + lo with |lo| <= ulp(hi)/2: about 106 bits.  Powering by squaring doubles the
 * relative error of the power at every step, so errors made early are amplified ~n times;
 * with 2^-106 per operation that amplification stays far below the double rounding of the
 * result.  Products are exact through fma (two-product), sums use two-sum.
 */
typedef struct {
    double hi, lo;
} lr_dd;

static inline lr_dd
lr_dd_quick(double s, double e)
{
    lr_dd r;
    r.hi = s + e;
    r.lo = e - (r.hi - s);
    return r;
}

static inline lr_dd
lr_dd_add(lr_dd a, lr_dd b)
{
    double s = a.hi + b.hi;
    double bb = s - a.hi;
    double err = (a.hi - (s - bb)) + (b.hi - bb);
    return lr_dd_quick(s, err + a.lo + b.lo);
}

static inline lr_dd
lr_dd_mul(lr_dd a, lr_dd b)
{
    double p = a.hi * b.hi;
    double e = lr_two_prod_err(a.hi, b.hi, p);
    e += a.hi * b.lo + a.lo * b.hi;
    return lr_dd_quick(p, e);
}

static inline lr_dd
lr_dd_from(double v)
{
    lr_dd r = {v, 0.0};
    return r;
}

/* 1/a to double precision, the start of lr_dd_inv's Newton step (lr_ring_hilo.h) */
static inline lr_dd
lr_dd_recip(lr_dd a)
{
    return lr_dd_from(1.0 / a.hi);
}

/* Scale v so that its largest |hi| lies in [0.5, 1), adding the exponent to *e (see
 * LR_RESCALE in lr_ring_template.h). */
static void
lr_dd_rescale(lr_dd *v, int64_t len, int64_t *e)
{
    double mx = 0.0;
    for (int64_t i = 0; i < len; i++) {
        double a = fabs(v[i].hi);
        mx = a > mx ? a : mx;
    }
    int s = lr_rescale_exp(mx);
    if (s == 0) {
        return;
    }
    if (s > 1000 || s < -1000) {
        for (int64_t i = 0; i < len; i++) {
            v[i].hi = ldexp(v[i].hi, -s);
            v[i].lo = ldexp(v[i].lo, -s);
        }
    }
    else {
        double f = lr_pow2(-s);
        for (int64_t i = 0; i < len; i++) {
            v[i].hi *= f;
            v[i].lo *= f;
        }
    }
    *e = lr_scale_add(*e, s);
}

static inline lr_dd
lr_dd_ldexp(lr_dd v, int64_t e)
{
    /* |e| is saturated far beyond the double range; the sum is rounded once, then scaled */
    int ei = e > 4000 ? 4000 : (e < -4000 ? -4000 : (int)e);
    lr_dd r = {ldexp(v.hi + v.lo, ei), 0.0};
    return r;
}

#define LR_SUFFIX dd
#define LR_T lr_dd
#define LR_RESCALE(v, len, e) lr_dd_rescale((v), (len), (e))
#define LR_LDEXP(v, e) lr_dd_ldexp((v), (e))
#include "lr_ring_hilo.h"

lr_status
lr_f64_term_dd(lr_method method, int64_t k, const double *c, const double *init, lr_index_t n,
               double *out)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    size_t kk = (size_t)k;
    size_t elems = 2 * kk + (method == LR_METHOD_MATRIX ? 2 * kk * kk + 4 * kk : 5 * kk);
    lr_dd stack[7 * 16];
    lr_dd *mem = elems <= sizeof stack / sizeof stack[0] ? stack : malloc(elems * sizeof(lr_dd));
    if (mem == NULL) {
        return LR_ERR_NOMEM;
    }
    lr_dd *cx = mem, *ix = mem + k, *work = mem + 2 * k, v = {0.0, 0.0};
    for (int64_t i = 0; i < k; i++) {
        cx[i] = lr_dd_from(c[i]);
        ix[i] = lr_dd_from(init[i]);
    }
    int st;
    if (method == LR_METHOD_MATRIX) {
        st = lr_matrix_term_dd(LR_NOCTX, k, cx, ix, n, &v, work);
    }
    else {
        st = lr_poly_term_dd(LR_NOCTX, k, cx, ix, n, &v, work);
    }
    if (mem != stack) {
        free(mem);
    }
    *out = v.hi + v.lo;
    return (lr_status)st;
}

/* ---- repeated roots at +-1: the Taylor-shifted basis -------------------------------------- */

/*
 * With f(x) = x^k - sum c[i] x^i having a multiple root at s = +-1, the coefficients of
 * x^n mod f in the monomial basis are ~n^(mult-1) while their combination that matters is
 * smaller by that much: the products of a squaring (~n^(2 mult - 2)) cancel almost entirely
 * in the reduction, and every digit is gone by n ~ 2^(106 / (2 mult - 2)).  In the basis
 * y = x - s the same power (y + s)^n mod g(y), g(y) = f(y + s), has no such cancellation
 * ((y + 1)^n mod y^m is binomials), so a[n] = n or 2 n^3 keep their digits.
 */

/* f(s) and f'(s) for s = +-1, exactly for integer-valued coefficients of moderate size. */
static int
lr_f64_multiple_root(int64_t k, const double *c, double s)
{
    double f = 1.0, df = (double)k; /* x^k and k x^(k-1) at |s| = 1, signs below */
    double sk = (k % 2 == 0 || s > 0) ? 1.0 : -1.0;
    double sk1 = ((k - 1) % 2 == 0 || s > 0) ? 1.0 : -1.0;
    f *= sk;
    df *= sk1;
    double si = 1.0; /* s^i */
    for (int64_t i = 0; i < k; i++) {
        f -= c[i] * si;
        if (i > 0) {
            df -= (double)i * c[i] * (s > 0 || i % 2 == 1 ? 1.0 : -1.0);
        }
        si *= s;
    }
    return f == 0.0 && df == 0.0;
}

int
lr_f64_term_shifted(int64_t k, const double *c, const double *init, lr_index_t n, double *out)
{
    if (k < 2 || k > 64) {
        return 0;
    }
    const double *cc = c, *ii = init;
    double *rev = NULL;
    uint64_t N = n.mag;
    if (n.neg) {
        /* the reversed recurrence (roots 1/lambda: a multiple root at +-1 stays one); only
         * c[0] = +-1, where it is exact */
        if (c[0] != 1.0 && c[0] != -1.0) {
            return 0;
        }
        rev = malloc(2 * (size_t)k * sizeof(double));
        if (rev == NULL) {
            return 0;
        }
        for (int64_t j = 0; j < k; j++) {
            rev[j] = j == 0 ? c[0] : -c[k - j] * c[0];
            rev[k + j] = init[k - 1 - j];
        }
        cc = rev;
        ii = rev + k;
        N = (uint64_t)(k - 1) + n.mag;
        if (N < n.mag) {
            free(rev);
            return 0;
        }
    }
    double s =
        lr_f64_multiple_root(k, cc, 1.0) ? 1.0 : (lr_f64_multiple_root(k, cc, -1.0) ? -1.0 : 0.0);
    if (s == 0.0 || N < (uint64_t)k) {
        free(rev);
        return 0;
    }
    lr_dd *mem = malloc(6 * (size_t)k * sizeof(lr_dd));
    if (mem == NULL) {
        free(rev);
        return 0;
    }
    lr_dd *d = mem, *b = mem + k, *r = mem + 2 * k, *t = mem + 3 * k, *tmp = mem + 5 * k;
    /* g(y) = f(y + s) = y^k - sum d[j] y^j: the coefficient of y^j in (y+s)^i is
     * C(i, j) s^(i-j), built row by row in tmp (Pascal's triangle, exact for k <= 64 up
     * to the last bits; double-double keeps them) */
    for (int64_t j = 0; j < k; j++) {
        d[j] = lr_dd_from(0.0);
        b[j] = lr_dd_from(0.0);
        tmp[j] = lr_dd_from(0.0);
    }
    /* tmp holds row i of the shifted binomials C(i, j) s^(i-j), j <= i */
    for (int64_t i = 0; i <= k; i++) {
        if (i == 0) {
            tmp[0] = lr_dd_from(1.0);
        }
        else {
            /* row i from row i-1: C(i,j) s^(i-j) = C(i-1,j-1) s^(i-j) + C(i-1,j) s^(i-j) */
            lr_dd prev = lr_dd_from(0.0);
            for (int64_t j = 0; j <= i && j < k; j++) {
                lr_dd cur = j < i ? tmp[j] : lr_dd_from(0.0);
                lr_dd v = lr_dd_add(lr_dd_mul(cur, lr_dd_from(s)), prev);
                prev = cur;
                tmp[j] = v;
            }
            /* the y^k term of row k is 1: f's monic part, absent from d */
        }
        if (i < k) {
            /* -c[i] (y+s)^i contributes +c[i] C(i,j) s^(i-j) to d[j]; the functional
             * L(y^j) = L((x - s)^j) = sum_i C(j,i) (-s)^(j-i) a[i] is built in b below */
            for (int64_t j = 0; j <= i; j++) {
                d[j] = lr_dd_add(d[j], lr_dd_mul(lr_dd_from(cc[i]), tmp[j]));
            }
        }
        else {
            for (int64_t j = 0; j < k; j++) {
                d[j] = lr_dd_add(d[j], lr_dd_neg(tmp[j]));
            }
        }
    }
    /* d[j] so far: sum_i c[i] C(i,j) s^(i-j) - C(k,j) s^(k-j) = -(coefficient of y^j in g),
     * which is exactly the recurrence coefficient of g */
    /* b[j] = sum_i C(j,i) (-s)^(j-i) a[i] (finite differences for s = 1) */
    for (int64_t j = 0; j < k; j++) {
        lr_dd acc = lr_dd_from(0.0), binom = lr_dd_from(1.0); /* C(j, i) */
        for (int64_t i = j; i >= 0; i--) {
            /* term for index i: C(j,i) (-s)^(j-i) a[i]; C(j,i) walks down from C(j,j) */
            double sign = ((j - i) % 2 == 0 || s < 0) ? 1.0 : -1.0;
            acc = lr_dd_add(acc, lr_dd_mul(lr_dd_mul(binom, lr_dd_from(sign)), lr_dd_from(ii[i])));
            if (i > 0) {
                /* C(j, i-1) = C(j, i) * i / (j - i + 1): exact integers */
                binom = lr_dd_from((binom.hi + binom.lo) * (double)i / (double)(j - i + 1));
            }
        }
        b[j] = acc;
    }
    /* r = (y + s)^N mod g, left to right over the bits of N, with power-of-two scaling */
    for (int64_t j = 0; j < k; j++) {
        r[j] = lr_dd_from(j == 0 ? 1.0 : 0.0);
    }
    int64_t e = 0;
    int hb = 63;
    while (!((N >> hb) & 1u)) {
        hb--;
    }
    for (int i = hb; i >= 0; i--) {
        lr_poly_square_dd(LR_NOCTX, k, d, r, t);
        e = lr_scale_double(e);
        if ((N >> i) & 1u) {
            for (int64_t j = 0; j < k; j++) {
                tmp[j] = lr_dd_mul(r[j], lr_dd_from(s));
            }
            lr_poly_times_x_dd(LR_NOCTX, k, d, r);
            for (int64_t j = 0; j < k; j++) {
                r[j] = lr_dd_add(r[j], tmp[j]);
            }
        }
        lr_dd_rescale(r, k, &e);
    }
    lr_dd v;
    lr_dot_dd(LR_NOCTX, k, r, b, &v);
    *out = lr_dd_ldexp(v, e).hi;
    free(mem);
    free(rev);
    return 1;
}
