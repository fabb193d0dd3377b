/*
 * Batches of many indices for one order-2 recurrence modulo an odd m (lr_order2.c).
 * Plain C99, no Python.h.
 */
#ifndef LR_ORDER2_H
#define LR_ORDER2_H

#include <stdint.h>

#include "lr_core.h"

/* Smaller batches are not worth the set-up (primality test, square root, tables); lr_choose
 * reads it too. */
#define LR_O2_MIN 32

/*
 * a[n] mod m for every index of the batch b, for a[n+2] = c[1] a[n+1] + c[0] a[n] with
 * a[0..1] = init (plain residues in [0, m)).  Returns 1 when it filled b, 0 when it does not
 * apply (even m, a small batch, mostly consecutive indices, negative indices that need the
 * general path) and then b is untouched.  Never fails otherwise: out of memory also means 0.
 */
int lr_order2_terms(const uint64_t *c, const uint64_t *init, uint64_t m, lr_batch_t *b);

#endif /* LR_ORDER2_H */
