/*
 * Exact uint64 terms from uint64 coefficients and initial values (term's uint64 loop): the
 * checked int64 engine when the inputs fit int64, whose exact result fits uint64 iff it is
 * not negative; the certifier with an unsigned target when that engine overflows (a value
 * in [2^63, 2^64) still fits) or an input does not fit int64.
 */
#include <stdlib.h>
#include <string.h>

#include "lr_batch.h"
#include "lr_certify.h"
#include "lr_core.h"

/* Do every coefficient and initial value fit int64? */
static int
lr_u64_inputs_fit_i64(int64_t k, const uint64_t *c, const uint64_t *init)
{
    uint64_t top = 0;
    for (int64_t i = 0; i < k; i++) {
        top |= c[i] | init[i];
    }
    return !(top >> 63);
}

lr_status
lr_term_u64(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
            lr_index_t n, uint64_t *out, void *work)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (n.neg && c[0] != 1) {
        return LR_ERR_BACKWARDS;   /* over the integers only c[0] = +-1 runs backwards */
    }
    uint64_t any = 0;
    for (int64_t i = 0; i < k; i++) {
        any |= init[i];
    }
    if (any == 0) {
        *out = 0;
        return LR_OK;
    }
    if (lr_u64_inputs_fit_i64(k, c, init)) {
        int64_t v;
        lr_status st = lr_term_i64_checked(method, k, (const int64_t *)c,
                                           (const int64_t *)init, n, &v, work);
        if (st == LR_OK) {
            if (v < 0) {
                return LR_ERR_OVERFLOW;   /* exact and negative */
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

lr_status
lr_terms_u64(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
             lr_batch_t *b)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (lr_u64_inputs_fit_i64(k, c, init)) {
        /* the batched int64 engine (runs, power tables); an index it cannot fit in int64
         * may still fit uint64: then every index is redone below */
        lr_status st = lr_terms_i64(method, k, (const int64_t *)c, (const int64_t *)init, b);
        if (st == LR_OK) {
            for (int64_t t = 0; t < b->count; t++) {
                int64_t v;
                memcpy(&v, b->out + t * b->out_stride, sizeof v);
                if (v < 0) {
                    b->failed_n = lr_batch_index(b, t);
                    return LR_ERR_OVERFLOW;
                }
            }
            return LR_OK;
        }
        if (st != LR_ERR_OVERFLOW && st != LR_ERR_UNCERTIFIED) {
            return st;
        }
    }
    size_t wb = lr_work_bytes(method, k);
    void *work = wb ? malloc(wb) : NULL;
    if (work == NULL) {
        return wb ? LR_ERR_NOMEM : LR_ERR_ORDER;
    }
    lr_status st = LR_OK;
    for (int64_t t = 0; t < b->count && st == LR_OK; t++) {
        lr_index_t n = lr_batch_index(b, t);
        uint64_t v = 0;
        st = lr_term_u64(method, k, c, init, n, &v, work);
        if (st == LR_OK) {
            memcpy(b->out + t * b->out_stride, &v, sizeof v);
        }
        else {
            b->failed_n = n;
        }
    }
    free(work);
    return st;
}
