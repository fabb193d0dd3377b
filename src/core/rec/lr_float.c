/*
 * Careful float64 paths (see lr_float.h): extended-exponent arithmetic for results whose
 * fast double computation left the double range somewhere, and 128-bit exact integers for
 * signed integer-valued recurrences.
 */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lr_core.h"
#include "lr_float.h"
#include "lr_float_util.h"
#include "lr_sequence.h"

#if defined(__SSE2__) || defined(__x86_64__)
#include <xmmintrin.h>
#define LR_HAVE_MXCSR 1
#endif

/* ---- floating-point flags ------------------------------------------------------------- */

#ifdef LR_HAVE_MXCSR
/* The MXCSR status bits are exactly the LR_FP_* bits; reading them is a few cycles, where
 * fetestexcept also saves the x87 environment.  Plain double arithmetic on x86-64 is SSE. */
unsigned
lr_fp_flags(void)
{
    return _mm_getcsr() & 0x3fu;
}

void
lr_fp_set_flags(unsigned flags)
{
    _mm_setcsr((_mm_getcsr() & ~0x3fu) | (flags & 0x3fu));
}
#else
/* FE_* exception <-> LR_FP_* bit, for the exceptions this platform has: one table for both
 * directions. */
static const struct {
    int fe;
    unsigned lr;
} lr_fe_bits[] = {
#ifdef FE_INVALID
    {FE_INVALID, LR_FP_INVALID},
#endif
#ifdef FE_DIVBYZERO
    {FE_DIVBYZERO, LR_FP_DIVZERO},
#endif
#ifdef FE_OVERFLOW
    {FE_OVERFLOW, LR_FP_OVERFLOW},
#endif
#ifdef FE_UNDERFLOW
    {FE_UNDERFLOW, LR_FP_UNDERFLOW},
#endif
#ifdef FE_INEXACT
    {FE_INEXACT, LR_FP_INEXACT},
#endif
    {0, 0u}, /* maps nothing; keeps the array non-empty */
};

unsigned
lr_fp_flags(void)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    unsigned r = 0;
    for (size_t i = 0; i < sizeof lr_fe_bits / sizeof lr_fe_bits[0]; i++) {
        r |= (f & lr_fe_bits[i].fe) ? lr_fe_bits[i].lr : 0u;
    }
    return r;
}

void
lr_fp_set_flags(unsigned flags)
{
    feclearexcept(FE_ALL_EXCEPT);
    int f = 0;
    for (size_t i = 0; i < sizeof lr_fe_bits / sizeof lr_fe_bits[0]; i++) {
        f |= (flags & lr_fe_bits[i].lr) ? lr_fe_bits[i].fe : 0;
    }
    if (f) {
        feraiseexcept(f);
    }
}
#endif

int
lr_f64_all_finite(int64_t k, const double *v)
{
    for (int64_t i = 0; i < k; i++) {
        if (!isfinite(v[i])) {
            return 0;
        }
    }
    return 1;
}

/* ---- extended-exponent arithmetic ---------------------------------------------------- */

static inline lr_xf
lr_xf_zero(void)
{
    lr_xf r = {0.0, 0.0, 0};
    return r;
}

lr_xf
lr_xf_from(double v)
{
    int s = 0;
    double f = frexp(v, &s);
    lr_xf r = {f, 0.0, f == 0.0 ? 0 : (int64_t)s};
    return r;
}

/* (hi + lo) * 2^e with |hi| < 2 (or tiny after cancellation) brought back to [0.5, 1). */
static inline lr_xf
lr_xf_norm(double hi, double lo, int64_t e)
{
    lr_xf r;
    r.hi = hi + lo; /* renormalize the pair: |lo| <= ulp(hi) / 2 */
    r.lo = lo - (r.hi - hi);
    r.e = e;
    double a = fabs(r.hi);
    if (a >= 0.5 && a < 1.0) {
        return r;
    }
    if (a == 0.0) {
        return lr_xf_zero();
    }
    int s = 0;
    frexp(r.hi, &s);
    if (s > -1000) { /* s <= 1: the pair came from mantissas below 2 */
        double f = lr_pow2(-s);
        r.hi *= f;
        r.lo *= f;
    }
    else {
        r.hi = ldexp(r.hi, -s);
        r.lo = ldexp(r.lo, -s);
    }
    r.e = lr_scale_add(e, s);
    return r;
}

static inline lr_xf
lr_xf_mul(lr_xf a, lr_xf b)
{
    /* both in [0.5, 1): the double-double product is in [0.25, 1), never out of range */
    double p = a.hi * b.hi;
    double err = lr_two_prod_err(a.hi, b.hi, p) + (a.hi * b.lo + a.lo * b.hi);
    return lr_xf_norm(p, err, lr_scale_add(a.e, b.e));
}

static inline lr_xf
lr_xf_add(lr_xf a, lr_xf b)
{
    if (b.hi == 0.0) {
        return a;
    }
    if (a.hi == 0.0) {
        return b;
    }
    if (a.e < b.e) {
        lr_xf t = a;
        a = b;
        b = t;
    }
    int64_t d = a.e - b.e;
    if (d > 120) {
        return a; /* b is below the last bit of the double-double a */
    }
    double f = lr_pow2_neg(d);
    double bh = b.hi * f, bl = b.lo * f;
    double sh = a.hi + bh;
    double bb = sh - a.hi;
    double err = (a.hi - (sh - bb)) + (bh - bb);
    return lr_xf_norm(sh, err + a.lo + bl, a.e);
}

/* 1/a to double precision, the start of lr_xf_inv's Newton step (lr_ring_hilo.h) */
static inline lr_xf
lr_xf_recip(lr_xf a)
{
    return lr_xf_norm(1.0 / a.hi, 0.0, -a.e);
}

double
lr_xf_to_f64(lr_xf v)
{
    if (v.hi == 0.0) {
        return v.hi;
    }
    /* beyond +-2200 the result is inf or 0 whatever the mantissa */
    int e = v.e > 2200 ? 2200 : (v.e < -2200 ? -2200 : (int)v.e);
    return ldexp(v.hi + v.lo, e);
}

/* ---- ring: extended-exponent doubles ---------------------------------------------------- */
#define LR_SUFFIX xf
#define LR_T lr_xf
#include "lr_ring_hilo.h"

lr_status
lr_f64_term_wide(lr_method method, int64_t k, const double *c, const double *init, lr_index_t n,
                 lr_xf *out)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    /* always the polynomial method: the same value, and O(k^2 log n) rather than O(k^3 log n)
     * in this slow arithmetic (a k = 512 matrix fallback would take minutes) */
    (void)method;
    size_t kk = (size_t)k;
    size_t elems = 2 * kk + 5 * kk;
    lr_xf *mem = malloc(elems * sizeof(lr_xf));
    if (mem == NULL) {
        return LR_ERR_NOMEM;
    }
    lr_xf *cx = mem, *ix = mem + k, *work = mem + 2 * k;
    for (int64_t i = 0; i < k; i++) {
        cx[i] = lr_xf_from(c[i]);
        ix[i] = lr_xf_from(init[i]);
    }
    int st = lr_poly_term_xf(LR_NOCTX, k, cx, ix, n, out, work);
    free(mem);
    return (lr_status)st;
}

/*
 * Can the rest of a sequence be told from its window?  With c >= 0, max c >= 1 and a window
 * of values >= 2^1024, every later term is at least the smallest of them: all inf.  With
 * sum |c| <= 1 and a window below 2^-1100, no later term is larger: all round to 0.
 * Returns +inf, 0.0, or NaN when neither holds.  (Spares an overflowing Fibonacci or a
 * decaying average the slow arithmetic for the millions of terms after the range ends.)
 */
static double
lr_f64_fill_fate(int64_t k, const double *c, const lr_xf *win)
{
    double cmax = 0.0, csum = 0.0;
    int cneg = 0, big = 1, small = 1;
    for (int64_t i = 0; i < k; i++) {
        cmax = c[i] > cmax ? c[i] : cmax;
        csum += fabs(c[i]);
        cneg |= c[i] < 0.0;
        big &= win[i].hi > 0.0 && win[i].e > 1025;
        small &= win[i].hi == 0.0 || win[i].e < -1100;
    }
    if (big && !cneg && cmax >= 1.0) {
        return INFINITY;
    }
    if (small && csum <= 1.0) {
        return 0.0;
    }
    return NAN;
}

void
lr_f64_fill_wide(int64_t k, const double *c, lr_xf *win, double *out, int64_t count)
{
    for (int64_t j = 0; j < count; j++) {
        if ((j & 255) == 255) {
            double fate = lr_f64_fill_fate(k, c, win);
            if (!isnan(fate)) {
                for (; j < count; j++) {
                    out[j] = fate;
                }
                return;
            }
        }
        lr_xf acc = lr_xf_zero();
        for (int64_t i = 0; i < k; i++) {
            acc = lr_xf_add(acc, lr_xf_mul(lr_xf_from(c[i]), win[i]));
        }
        out[j] = lr_xf_to_f64(acc);
        memmove(win, win + 1, (size_t)(k - 1) * sizeof(lr_xf));
        win[k - 1] = acc;
    }
}

/* ---- ring: 128-bit integers, every operation checked ------------------------------------ */
typedef __int128 lr_i128;

#define LR_SUFFIX i128
#define LR_T lr_i128
#define LR_NATIVE_CHECKED 1
#include "lr_ring_native.h"

int
lr_f64_term_exact(int64_t k, const double *c, const double *init, lr_index_t n, double *out)
{
    const double lim = 9007199254740992.0 * 512.0; /* 2^62 */
    for (int64_t i = 0; i < k; i++) {
        if (!(fabs(c[i]) < lim && fabs(init[i]) < lim) || c[i] != trunc(c[i]) ||
            init[i] != trunc(init[i])) {
            return 0;
        }
    }
    lr_i128 *mem = malloc((size_t)(7 * k) * sizeof(lr_i128));
    if (mem == NULL) {
        return 0;
    }
    lr_i128 *cx = mem, *ix = mem + k, *work = mem + 2 * k;
    for (int64_t i = 0; i < k; i++) {
        cx[i] = (lr_i128)(int64_t)c[i];
        ix[i] = (lr_i128)(int64_t)init[i];
    }
    lr_i128 v = 0;
    int st = lr_poly_term_i128(LR_NOCTX, k, cx, ix, n, &v, work);
    free(mem);
    if (st) {
        return 0;
    }
    /* the conversion of a 128-bit integer rounds to nearest */
    *out = (double)v;
    return 1;
}

/* ---- lr_term_f64: fast, then careful where needed --------------------------------------- */

/* Has some coefficient or initial value a negative sign (cancellation is possible)? */
int
lr_f64_any_negative(int64_t k, const double *c, const double *init)
{
    for (int64_t i = 0; i < k; i++) {
        if (signbit(c[i]) || signbit(init[i])) {
            return 1;
        }
    }
    return 0;
}

/*
 * The fast computation (double-double for k <= 16, doubles above; the shifted basis for a
 * multiple root at +-1) runs with the suspect flags of this thread clear.  When it raised no
 * underflow, overflow or invalid flag, every intermediate stayed a normal double and the
 * result carries only rounding errors; otherwise it is redone with extended exponents, where
 * nothing leaves the range and only the final conversion can overflow (raising the flag
 * NumPy reports) or underflow.  Signed integer-valued inputs whose result is moderate are
 * recomputed exactly where 128-bit integers suffice: cancellation there (a repeated root on
 * the unit circle) costs digits.  The caller's flags are restored, plus those of the result.
 */
lr_status
lr_term_f64(lr_method method, int64_t k, const double *c, const double *init, lr_index_t n,
            double *out, void *work)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    /* the flags are only written when they must be: on some CPUs (AMD Zen) loading MXCSR
     * slows the whole computation that follows by a third */
    unsigned saved = lr_fp_flags();
    if (saved & LR_FP_SUSPECT) {
        lr_fp_set_flags(saved & ~LR_FP_SUSPECT);
    }
    /* inf and NaN inputs take plain IEEE arithmetic: nothing to rescue there */
    const int finite = lr_f64_all_finite(k, c) && lr_f64_all_finite(k, init);
    int st, shifted = 0;
    if (finite && lr_f64_any_negative(k, c, c) && lr_f64_term_shifted(k, c, init, n, out)) {
        st = 0; /* a multiple root at +-1: every method computes it in the shifted basis */
        shifted = 1;
    }
    else if (k < LR_DD_MAX_K && finite) {
        st = lr_f64_term_dd(method, k, c, init, n, out);
    }
    else {
        st = lr_term_f64_plain(method, k, c, init, n, out, work);
    }
    unsigned raised = lr_fp_flags();
    if (st == 0 && (raised & LR_FP_SUSPECT) && finite && !shifted) {
        lr_xf v;
        st = lr_f64_term_wide(method, k, c, init, n, &v);
        lr_fp_set_flags(0); /* only the conversion of the result may signal */
        if (st == 0) {
            *out = lr_xf_to_f64(v);
        }
        raised = lr_fp_flags();
    }
    if (st == 0 && (!isfinite(*out) || fabs(*out) <= 0x1p126) && lr_f64_any_negative(k, c, init)) {
        double exact;
        if (lr_f64_term_exact(k, c, init, n, &exact)) {
            *out = exact;
            raised = saved; /* an exact result: nothing to report */
        }
    }
    if ((raised | saved) != lr_fp_flags()) {
        lr_fp_set_flags(saved | raised);
    }
    return (lr_status)st;
}

/* ---- float64 sequences -------------------------------------------------------------------- */

/*
 * Float64 stepping of out[from..to) (one chain).  Plain stepping, unless it raised an
 * underflow, overflow or invalid flag: then a term beyond the double range (inf, or a
 * subnormal that lost its digits) may have fed later ones, and the stretch is redone in
 * extended-exponent arithmetic from a window of careful jumps, so that every term that is
 * a normal double comes out accurate.  The caller's flags survive.
 */
void
lr_f64_fill_checked(int64_t k, const double *c, const double *init, lr_index_t start, double *a,
                    int64_t from, int64_t to)
{
    unsigned saved = lr_fp_flags();
    if (saved & LR_FP_SUSPECT) { /* written only when needed: loading MXCSR is slow */
        lr_fp_set_flags(saved & ~LR_FP_SUSPECT);
    }
    lr_seq_fill_f64(k, c, a, from, to);
    unsigned raised = lr_fp_flags();
    lr_xf *win = NULL;
    if ((raised & LR_FP_SUSPECT) && from < to && lr_f64_all_finite(k, c) &&
        (win = malloc((size_t)k * sizeof(lr_xf))) != NULL) {
        int ok = 1;
        for (int64_t i = 0; i < k && ok; i++) {
            int64_t off = from - k + i; /* >= 0: the window terms lead every chain */
            if (init != NULL && lr_f64_all_finite(k, (const double *)init)) {
                lr_index_t idx = lr_index_add(start, (uint64_t)off);
                ok = lr_f64_term_wide(LR_METHOD_AUTO, k, c, (const double *)init, idx, &win[i]) ==
                     LR_OK;
            }
            else {
                /* the caller's window: the best values there are */
                win[i] = lr_xf_from(a[off]);
            }
        }
        if (ok) {
            lr_fp_set_flags(0);
            lr_f64_fill_wide(k, c, win, a + from, to - from);
            raised = lr_fp_flags() & ~(unsigned)LR_FP_UNDERFLOW;
        }
    }
    free(win);
    if ((saved | raised) != lr_fp_flags()) {
        lr_fp_set_flags(saved | raised);
    }
}
