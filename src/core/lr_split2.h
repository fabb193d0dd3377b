/*
 * Order-2 recurrences modulo a prime through the roots of the characteristic polynomial
 * (lr_split2.c).  Plain C99, no Python.h.
 */
#ifndef LR_SPLIT2_H
#define LR_SPLIT2_H

#include <stdint.h>

#include "lr_core.h"

/*
 * a[n] mod p for every index of the batch b, for a[n+2] = c[1] a[n+1] + c[0] a[n] with
 * a[0..1] = init (plain residues in [0, p)).  Returns 1 when it filled b (p an odd prime,
 * x^2 - c[1] x - c[0] with distinct nonzero roots mod p, and a batch large and scattered
 * enough to pay for the set-up); 0 when it does not apply, and then b is untouched.
 */
int lr_split2_terms(const uint64_t *c, const uint64_t *init, uint64_t p, lr_batch_t *b);

#endif /* LR_SPLIT2_H */
