/*
 * Exact integer terms: the checked int64 engine (lr_term.c) first, the certifier
 * (lr_certify.c) when an intermediate overflows.  This file sits above both, so the term
 * engine never calls the certifier that calls it.
 *
 * int64 (term's int64 loops, sequence and LucasIter jumps): lr_term_i64.
 * uint64 from uint64 coefficients and initial values (one index of term's uint64 loop): the
 * checked int64 engine when the inputs fit int64, whose exact result fits uint64 iff it is
 * not negative; the certifier with an unsigned target when that engine overflows (a value
 * in [2^63, 2^64) still fits) or an input does not fit int64.
 */
#include <stdlib.h>
#include <string.h>

#include "lr_certify.h"
#include "lr_term.h"
#include "lr_core.h"

lr_status
lr_term_i64(lr_method method, int64_t k, const int64_t *c, const int64_t *init, lr_index_t n,
            int64_t *out, void *work)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (n.neg && c[0] != 1 && c[0] != -1) {
        return LR_ERR_BACKWARDS;
    }
    int64_t any = 0;
    for (int64_t i = 0; i < k; i++) {
        any |= init[i];
    }
    if (any == 0) {
        /* the zero sequence: no bound to prove, whatever the intermediates would do */
        *out = 0;
        return LR_OK;
    }
    lr_status st = lr_term_i64_checked(method, k, c, init, n, out, work);
    if (st == LR_ERR_OVERFLOW) {
        /* an intermediate overflowed; the result itself may still fit (F(92), zeros of
         * oscillating sequences, ...) */
        uint64_t v;
        lr_status cs = lr_cert_term(k, (const uint64_t *)c, (const uint64_t *)init, 0, n, 0, &v);
        if (cs == LR_OK) {
            *out = (int64_t)v;
        }
        return cs;
    }
    return (lr_status)st;
}

lr_status
lr_term_u64(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init, lr_index_t n,
            uint64_t *out, void *work)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (n.neg && c[0] != 1) {
        return LR_ERR_BACKWARDS; /* over the integers only c[0] = +-1 runs backwards */
    }
    uint64_t any = 0;
    for (int64_t i = 0; i < k; i++) {
        any |= init[i];
    }
    if (any == 0) {
        *out = 0;
        return LR_OK;
    }
    if (lr_u64_fit_i64(k, c, init)) {
        int64_t v;
        lr_status st =
            lr_term_i64_checked(method, k, (const int64_t *)c, (const int64_t *)init, n, &v, work);
        if (st == LR_OK) {
            if (v < 0) {
                return LR_ERR_OVERFLOW; /* exact and negative */
            }
            *out = (uint64_t)v;
            return LR_OK;
        }
        if (st != LR_ERR_OVERFLOW) {
            return st;
        }
    }
    return lr_cert_term(k, c, init, 1, n, 1, out);
}
