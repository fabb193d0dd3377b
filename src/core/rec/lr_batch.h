/*
 * Many indices for one recurrence (lr_batch.c), internal to the core: the kernels the batch
 * driver needs from each ring, with the element type erased (every ring it serves has 8-byte
 * elements), and the callbacks it is driven with.  The public entry points (lr_terms_*) are
 * declared in lr_core.h.
 */
#ifndef LR_BATCH_H
#define LR_BATCH_H

#include <stdint.h>

#include "lr_core.h"

/* Runs of consecutive indices shorter than this step inline (from a window of k exact
 * terms); longer ones into contiguous output go to the sequence driver. */
#define LR_RUN_MIN 64

/* Index t of the batch. */
static inline lr_index_t
lr_batch_index(const lr_batch_t *b, int64_t t)
{
    return lr_index_read(b->n + t * b->n_stride, b->n_unsigned);
}

/* Computes one term exactly, writing its 8-byte result to out. */
typedef lr_status (*lr_single_fn)(void *data, lr_index_t n, void *out);

/* Fills count consecutive terms from index start into contiguous out (sequence kernels);
 * on LR_ERR_OVERFLOW *bad is the offset of the first term that does not fit. */
typedef lr_status (*lr_run_fn)(void *data, lr_index_t start, int64_t count, char *out,
                               int64_t *bad);

/*
 * One ring's batch kernels (lr_ring_template.h, filled by lr_batch_ring_<suffix>).  Elements
 * are 8 bytes; x is the ring's context, c and init its coefficients and initial values.
 */
typedef struct {
    int tables; /* the fixed-base table path is sound for this ring (LR_TABLES) */
    int careful; /* floating point: no plain O(k) steps (they could leave the double range
                    * unnoticed), one careful jump per index instead */
    /* fixed-base window table of x^(d 2^(wb)) mod f (see lr_table_build) */
    void (*table_build)(const void *x, int64_t k, const void *c, int w, int nb, void *T,
                        unsigned char *ok, void *t, void *base);
    /* *u = a[n] as the 8-byte output from the table; nonzero: overflow, take `single` */
    int (*table_term)(const void *x, int64_t k, const void *c, const void *init, int w, int nb,
                      const void *T, const unsigned char *ok, uint64_t n, void *r, void *t,
                      uint64_t *u);
    /* *elem = the ring element of an 8-byte output u */
    void (*in)(const void *x, uint64_t u, void *elem);
    /* the 8-byte output of a ring element */
    uint64_t (*out)(const void *x, const void *elem);
    /* win (k elements, a[n..n+k-1]) <- one index later; nonzero on overflow */
    int (*step)(const void *x, int64_t k, const void *c, void *win);
} lr_batch_ring;

/* The rings lr_term.c instantiates with LR_OUT (int64, residues mod m, float64). */
void lr_batch_ring_i64(lr_batch_ring *ring);
void lr_batch_ring_mod(lr_batch_ring *ring);
void lr_batch_ring_f64(lr_batch_ring *ring);

#endif /* LR_BATCH_H */
