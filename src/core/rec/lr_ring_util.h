/*
 * What lr_ring_template.h needs besides its parameters: the dummy context of rings without
 * one, and the saturating scale exponents of the floating-point rings.  Plain C99.
 */
#ifndef LR_RING_UTIL_H
#define LR_RING_UTIL_H

#include <stdint.h>

/* Context of the rings that need none (int64, wrapping uint64, the float rings). */
typedef struct {
    int unused;
} lr_noctx;

/* The context argument for those rings' kernels. */
#define LR_NOCTX (&(const lr_noctx){0})

/* Scale exponents saturate far beyond the double range, where the result is inf or 0 anyway
 * (2^(2^60) whatever the mantissa), and the sum of two saturated exponents cannot overflow
 * int64. */
#define LR_SCALE_MAX ((int64_t)1 << 60)

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

#endif /* LR_RING_UTIL_H */
