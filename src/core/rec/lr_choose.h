/*
 * Which algorithm computes a call with method "auto" (and what an explicit method means):
 * lr_choose mirrors README's "How auto computes" table row by row, so that the rule is
 * written once.  Internal to the core; plain C99.
 */
#ifndef LR_CHOOSE_H
#define LR_CHOOSE_H

#include <stdint.h>

#include "lr_core.h"
#include "lr_modarith.h"

typedef enum {
    LR_ALGO_POLY = 0, /* x^n mod the characteristic polynomial (Fiduccia) */
    LR_ALGO_BOSTAN_MORI, /* [x^n] P/Q through number-theoretic transforms (n >= 0) */
    LR_ALGO_LUCAS2, /* order 2 modulo an odd m: Lucas-sequence doubling */
    LR_ALGO_MATRIX, /* companion-matrix power */
    LR_ALGO_BATCH, /* many n, one recurrence: runs step, the rest share a table */
    LR_ALGO_ORDER2_MANY, /* many scattered n, order 2, odd m (lr_order2.c; it may decline,
                             * and then the batch row applies) */
    LR_ALGO_EACH, /* many n, every index on its own (explicit methods) */
} lr_algo;

/* The number ring of a call. */
typedef enum {
    LR_RING_I64 = 0, /* exact int64 (uint64 goes through it) */
    LR_RING_F64, /* float64 */
    LR_RING_MOD, /* residues modulo m */
} lr_ring_kind;

/* `count` of a single-term entry point (lr_term_*), as opposed to a batch of indices. */
#define LR_CHOOSE_ONE_TERM 0

/*
 * The algorithm for an order-k recurrence in `ring`.
 *   mod:   the modulus context for LR_RING_MOD (NULL otherwise).
 *   count: LR_CHOOSE_ONE_TERM for one term; else the number of indices of a batch.
 * One term: POLY, BOSTAN_MORI, LUCAS2 or MATRIX (BOSTAN_MORI only serves n >= 0: the caller
 * takes POLY for a negative index; m == 1 never gets here, every value is 0).  A batch:
 * BATCH, ORDER2_MANY or EACH, and EACH computes every index as one term.
 */
lr_algo lr_choose(lr_method method, lr_ring_kind ring, int64_t k, const lr_mod_t *mod,
                  int64_t count);

#endif /* LR_CHOOSE_H */
