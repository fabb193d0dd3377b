/*
 * Small helpers shared by the float64 rings (lr_float.c, lr_float_dd.c, lr_term.c): exact
 * powers of two, the exact rounding error of a product, and what lr_ring_template.h needs.
 */
#ifndef LR_FLOAT_UTIL_H
#define LR_FLOAT_UTIL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lr_ring_util.h" /* lr_noctx; lr_scale_add, which also adds lr_xf exponents */

/* 2^-d for 0 <= d <= 1000, built from its bits (exact, no libm call). */
static inline double
lr_pow2_neg(int64_t d)
{
    uint64_t u = (uint64_t)(1023 - d) << 52;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* 2^s for |s| <= 1000, from its bits. */
static inline double
lr_pow2(int s)
{
    uint64_t u = (uint64_t)(1023 + s) << 52;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* The rounding error of a * b, exactly (p = fl(a * b)): one fused multiply-add where the
 * target has it; otherwise Dekker's splitting, inline (a libm fma() call costs more). */
static inline double
lr_two_prod_err(double a, double b, double p)
{
#ifdef __FMA__
    return fma(a, b, -p);
#else
    const double split = 134217729.0; /* 2^27 + 1 */
    double ta = split * a, tb = split * b;
    double ah = ta - (ta - a), al = a - ah;
    double bh = tb - (tb - b), bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#endif
}

/* The exponent s with mx / 2^s in [0.5, 1) for the largest magnitude mx of a vector being
 * rescaled (LR_RESCALE in lr_ring_template.h); 0, leave it alone, for 0, inf and NaN. */
static inline int
lr_rescale_exp(double mx)
{
    int s = 0;
    if (mx > 0.0 && isfinite(mx)) {
        frexp(mx, &s);
    }
    return s;
}

#endif /* LR_FLOAT_UTIL_H */
