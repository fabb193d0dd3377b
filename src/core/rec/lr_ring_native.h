/*
 * lr_ring_template.h over a native C arithmetic type, with no context.  Define LR_SUFFIX, LR_T
 * and LR_NATIVE_CHECKED, then include this file instead of the template:
 *
 *   LR_NATIVE_CHECKED 1   signed integers: every operation is checked for overflow, and the
 *                         units are +-1 (LR_INV is supplied)
 *   LR_NATIVE_CHECKED 0   plain C arithmetic (wrapping unsigned, IEEE double): define LR_INV
 *
 * Any optional template parameter (LR_GEMM, LR_RESCALE, LR_OUT, ...) is defined beforehand
 * as for the template itself.
 */

#if !defined(LR_SUFFIX) || !defined(LR_T) || !defined(LR_NATIVE_CHECKED)
#error "lr_ring_native.h: define LR_SUFFIX, LR_T and LR_NATIVE_CHECKED"
#endif

#include "lr_ring_util.h" /* lr_noctx */

#define LR_CTX lr_noctx
#if LR_NATIVE_CHECKED
#define LR_MUL(x, a, b, p) __builtin_mul_overflow((a), (b), (p))
#define LR_ADD(x, a, b, p) __builtin_add_overflow((a), (b), (p))
#define LR_NEG(x, a, p) __builtin_sub_overflow((LR_T)0, (a), (p))
/* over the integers only +-1 are units */
#define LR_INV(x, a, p) (((a) == 1 || (a) == -1) ? (*(p) = (a), 0) : 1)
#else
#define LR_MUL(x, a, b, p) (*(p) = (a) * (b), 0)
#define LR_ADD(x, a, b, p) (*(p) = (a) + (b), 0)
#define LR_NEG(x, a, p) (*(p) = -(a), 0)
#endif
#define LR_ZERO(x) ((LR_T)0)
#define LR_ONE(x) ((LR_T)1)
#include "lr_ring_template.h"

#undef LR_NATIVE_CHECKED
