/* expect: lr_ring_template.h: define LR_MUL, LR_ADD, LR_NEG and LR_INV */
/*
 * lr_ring_template.h guards its parameters: a ring that forgets one is rejected by an #error
 * that names it (tests/c/run.sh checks that this file does not compile).
 */
#include <stdint.h>

#define LR_SUFFIX broken
#define LR_T int64_t
#define LR_CTX lr_noctx
#define LR_ADD(x, a, b, p) __builtin_add_overflow((a), (b), (p))
#define LR_NEG(x, a, p) __builtin_sub_overflow((int64_t)0, (a), (p))
#define LR_INV(x, a, p) 1
#define LR_ZERO(x) ((int64_t)0)
#define LR_ONE(x) ((int64_t)1)
#include "lr_ring_template.h"
