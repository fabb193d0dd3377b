/*
 * Internal entry points of the one-index engine (lr_term.c) for the files above it: the
 * batch driver (lr_batch.c), the certifier (lr_certify.c) and the exact integer entries
 * (lr_term_exact.c).  The public single-term API is lr_core.h's lr_term_*.
 */
#ifndef LR_TERM_H
#define LR_TERM_H

#include <stdint.h>

#include "lr_core.h"
#include "lr_choose.h"
#include "lr_modarith.h"

/* Inputs of one modular recurrence converted once into the working representation. */
typedef struct {
    lr_method method;
    int64_t k;
    lr_mod_t ctx;
    const uint64_t *cw, *iw; /* coefficients and initial values, working representation */
    const uint64_t *c, *init; /* the same as plain residues */
    uint64_t *scratch; /* the method's scratch */
    lr_algo algo; /* lr_choose's answer for one term */
} lr_mod_prepared;

/* Prepare p for modulus m >= 1 (c, init: plain residues); work: lr_work_bytes(method, k)
 * bytes, live as long as p. */
void lr_mod_prepare(lr_mod_prepared *p, lr_method method, int64_t k, const uint64_t *c,
                    const uint64_t *init, uint64_t m, void *work);

/* a[n] mod m as a plain residue written to out (8 bytes); data: an lr_mod_prepared.  The
 * lr_single_fn of lr_batch.h. */
lr_status lr_mod_single(void *data, lr_index_t n, void *out);

/* a[n] mod 2^64 through the polynomial method in the wrapping ring (lr_term.c).
 * scratch: lr_work_bytes(LR_METHOD_POLY, k) bytes. */
lr_status lr_term_wrap64(int64_t k, const uint64_t *c, const uint64_t *init, lr_index_t n,
                         uint64_t *out, void *scratch);

/* The checked int64 fast path of lr_term_i64 alone (lr_term.c): LR_ERR_OVERFLOW as soon as
 * any intermediate overflows, whether or not the result would fit. */
lr_status lr_term_i64_checked(lr_method method, int64_t k, const int64_t *c, const int64_t *init,
                              lr_index_t n, int64_t *out, void *work);

/* Do every coefficient and initial value fit int64? */
static inline int
lr_u64_fit_i64(int64_t k, const uint64_t *c, const uint64_t *init)
{
    uint64_t top = 0;
    for (int64_t i = 0; i < k; i++) {
        top |= c[i] | init[i];
    }
    return !(top >> 63);
}

#endif /* LR_TERM_H */
