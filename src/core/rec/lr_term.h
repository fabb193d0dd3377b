/*
 * One index of a modular recurrence, prepared once (lr_term.c), for the batch driver
 * (lr_batch.c), which runs the same single-term path for the indices it cannot share work
 * across.  Internal to the core; the public single-term API is lr_core.h's lr_term_*.
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
    const uint64_t *cw, *iw;   /* coefficients and initial values, working representation */
    const uint64_t *c, *init;  /* the same as plain residues */
    uint64_t *scratch;         /* the method's scratch */
    lr_algo algo;              /* lr_choose's answer for one term */
} lr_mod_prepared;

/* Prepare p for modulus m >= 1 (c, init: plain residues); work: lr_work_bytes(method, k)
 * bytes, live as long as p. */
void lr_mod_prepare(lr_mod_prepared *p, lr_method method, int64_t k, const uint64_t *c,
                    const uint64_t *init, uint64_t m, void *work);

/* a[n] mod m as a plain residue written to out (8 bytes); data: an lr_mod_prepared.  The
 * lr_single_fn of lr_batch.h. */
lr_status lr_mod_single(void *data, lr_index_t n, void *out);

#endif /* LR_TERM_H */
