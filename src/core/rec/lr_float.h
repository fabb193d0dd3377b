/*
 * The careful float64 paths (lr_float.c): what lr_term_f64 and the float sequence kernels
 * fall back to when the fast double computation raised an underflow, overflow or invalid
 * flag, so that a result that is a normal double is never lost to an intermediate that left
 * the double range; and an exact path for signed integer-valued recurrences, whose
 * cancellation the fast path cannot resolve (a[n] = n from c = [-1, 2]).
 */
#ifndef LR_FLOAT_H
#define LR_FLOAT_H

#include <stdint.h>

#include "lr_core.h"

/* A double-double with a separate binary exponent: (hi + lo) * 2^e.  Never
 * overflows or underflows (exponents saturate at +-2^60, far beyond any double). */
typedef struct {
    double hi, lo; /* a double-double mantissa: 0.5 <= |hi| < 1, |lo| <= ulp(hi) / 2 */
    int64_t e;
} lr_xf;

lr_xf lr_xf_from(double v);

/* Floating-point exception flags of this thread, as a bit set (see lr_fp_flags). */
#define LR_FP_INVALID 1u
#define LR_FP_DIVZERO 2u
#define LR_FP_OVERFLOW 4u
#define LR_FP_UNDERFLOW 8u
#define LR_FP_DENORMAL 16u /* a subnormal operand (x86 only) */
#define LR_FP_INEXACT 32u
/* Flags after which a fast double result may be far from the true value. */
#define LR_FP_SUSPECT \
    (LR_FP_INVALID | LR_FP_DIVZERO | LR_FP_OVERFLOW | LR_FP_UNDERFLOW | LR_FP_DENORMAL)

unsigned lr_fp_flags(void);
/* Replace the flags of this thread by `flags`. */
void lr_fp_set_flags(unsigned flags);

/* Are all k values finite? */
int lr_f64_all_finite(int64_t k, const double *v);

/* v as the nearest double (inf or a subnormal/0 when it lies beyond the double range). */
double lr_xf_to_f64(lr_xf v);

/*
 * a[n] in extended-exponent arithmetic (no intermediate leaves the range): the polynomial
 * method on lr_xf values, whatever `method` asks for (same value, k times cheaper).
 * Inputs must be finite.  Allocates its workspace.
 * Returns LR_OK, LR_ERR_BACKWARDS (negative n, c[0] == 0) or LR_ERR_NOMEM.
 */
lr_status lr_f64_term_wide(lr_method method, int64_t k, const double *c, const double *init,
                           lr_index_t n, lr_xf *out);

/*
 * a[n] exactly, for integer-valued c and init: the polynomial method over 128-bit integers,
 * every operation checked.  Returns 1 and the correctly rounded *out when every intermediate
 * fit; 0 otherwise (not integers, an intermediate beyond 2^127, or negative n with
 * c[0] != +-1).
 */
int lr_f64_term_exact(int64_t k, const double *c, const double *init, lr_index_t n, double *out);

/* Orders below which the fast path works in double-double (see lr_f64_term_dd); above, its
 * cost (5-10x plain doubles without hardware fma) would show, and plain doubles are used. */
#define LR_DD_MAX_K 17

/*
 * a[n] with double-double intermediates (about 106 bits) and power-of-two rescaling: the
 * fast path for k < LR_DD_MAX_K, where powering's amplification of early rounding errors
 * (about n-fold) would otherwise dominate the error.  Same statuses as lr_term_f64.
 */
lr_status lr_f64_term_dd(lr_method method, int64_t k, const double *c, const double *init,
                         lr_index_t n, double *out);

/*
 * a[n] when the characteristic polynomial has a multiple root at 1 or -1 (polynomial growth:
 * a[n] = n, 2 n^3, ...), computed in the basis y = x -+ 1 where the powering does not cancel.
 * Returns 0 (and does nothing) when there is no such root (or k > 64), 1 with *out set.
 */
int lr_f64_term_shifted(int64_t k, const double *c, const double *init, lr_index_t n, double *out);

/*
 * Sequence stepping in extended-exponent arithmetic: win holds a[j-k..j-1] (updated in
 * place, unless the rest is all inf or all 0: see lr_f64_fill_fate); writes a[j..j+count)
 * as doubles to out.
 */
void lr_f64_fill_wide(int64_t k, const double *c, lr_xf *win, double *out, int64_t count);

/* The plain double kernels of lr_term.c (power-of-two rescaling only). */
lr_status lr_term_f64_plain(lr_method method, int64_t k, const double *c, const double *init,
                            lr_index_t n, double *out, void *work);

/* Has some coefficient or initial value a negative sign?  (lr_float.c) */
int lr_f64_any_negative(int64_t k, const double *c, const double *init);

/*
 * Float64 stepping a[j] = sum c[i] a[j-k+i] of a[from..to) (from >= k), a[0] being the term
 * of index `start`.  Plain stepping, unless it raised an underflow, overflow or invalid flag:
 * then a term beyond the double range (inf, or a subnormal that lost its digits) may have
 * fed later ones, and the stretch is redone in extended-exponent arithmetic from a window
 * of careful jumps (init: a[0..k-1] of the recurrence; NULL: from a[from-k..from) as they
 * are).  The caller's flags survive.
 */
void lr_f64_fill_checked(int64_t k, const double *c, const double *init, lr_index_t start,
                         double *a, int64_t from, int64_t to);

#endif /* LR_FLOAT_H */
