/*
 * lr_ring_template.h over a double-double type: a struct with fields hi and lo (lr_dd; lr_xf
 * adds an exponent).  Define LR_SUFFIX (S) and LR_T, and before this file the inline
 * element functions lr_S_add, lr_S_mul, lr_S_from (a double) and lr_S_recip (1/a to double
 * precision), then include this file instead of the template.  It adds lr_S_neg and lr_S_inv
 * (one Newton step: about 106 bits).  Optional template parameters (LR_RESCALE, ...) are
 * defined beforehand as for the template itself.
 */

#if !defined(LR_SUFFIX) || !defined(LR_T)
#error "lr_ring_hilo.h: define LR_SUFFIX and LR_T"
#endif

#include "lr_ring_util.h" /* lr_noctx */

#define LR_HILO_CAT_(s, op) lr_##s##_##op
#define LR_HILO_CAT(s, op) LR_HILO_CAT_(s, op)
#define LR_HILO(op) LR_HILO_CAT(LR_SUFFIX, op)

static inline LR_T
LR_HILO(neg)(LR_T a)
{
    a.hi = -a.hi;
    a.lo = -a.lo;
    return a;
}

static inline int
LR_HILO(inv)(LR_T a, LR_T *p)
{
    if (a.hi == 0.0) {
        return 1;
    }
    /* q + q (1 - a q) from the double reciprocal q */
    LR_T q = LR_HILO(recip)(a);
    LR_T corr = LR_HILO(add)(LR_HILO(from)(1.0), LR_HILO(neg)(LR_HILO(mul)(a, q)));
    *p = LR_HILO(add)(q, LR_HILO(mul)(q, corr));
    return 0;
}

#define LR_CTX lr_noctx
#define LR_MUL(x, a, b, p) (*(p) = LR_HILO(mul)((a), (b)), 0)
#define LR_ADD(x, a, b, p) (*(p) = LR_HILO(add)((a), (b)), 0)
#define LR_NEG(x, a, p) (*(p) = LR_HILO(neg)(a), 0)
#define LR_INV(x, a, p) LR_HILO(inv)((a), (p))
#define LR_ZERO(x) ((LR_T){0})
#define LR_ONE(x) LR_HILO(from)(1.0)
#include "lr_ring_template.h"

#undef LR_HILO
#undef LR_HILO_CAT
#undef LR_HILO_CAT_
