/*
 * Powers A^n of square matrices: int64 (exact or a proven overflow), float64 (BLAS dgemm for
 * large k) and residues modulo any 1 <= m < 2^64 (BLAS modular dgemm for large k).  Plain
 * C99 plus unsigned __int128, no Python.h.
 *
 * A plan holds one matrix and serves any number of exponents: with `share` set it keeps the
 * powers A^(2^j) (and those of A^-1) between calls, so that many n for one matrix pay for the
 * squarings once.
 */
#ifndef LR_MATPOW_H
#define LR_MATPOW_H

#include <stddef.h>
#include <stdint.h>

#include "lr_core.h"
#include "lr_modarith.h"

typedef enum {
    LR_MP_I64 = 0,   /* exact int64 */
    LR_MP_F64 = 1,   /* IEEE double */
    LR_MP_MOD = 2,   /* residues mod m, 1 <= m < 2^64 */
    LR_MP_W64 = 3,   /* internal: integers mod 2^64 (wrapping), the int64 candidate */
} lr_mp_ring;

/* Squares of one base matrix (A or A^-1) in the working representation. */
typedef struct {
    uint64_t *base;   /* k*k; NULL until prepared */
    uint64_t *sq;     /* share: sq + j*kk = base^(2^j) for j < nsq */
    int nsq;
    int ovf;          /* int64: base^(2^ovf) overflowed (64: none so far) */
    int exact;        /* int64 inverse: base is the exact inverse (else certify every n) */
} lr_mp_table;

typedef struct {
    lr_mp_ring ring;
    int64_t k;
    uint64_t m;           /* LR_MP_MOD */
    lr_mod_t ctx;         /* LR_MP_MOD */
    int share;
    uint64_t *a;          /* the matrix as given (int64 bits, double bits or plain residues) */
    uint64_t *t0, *t1, *t2;   /* scratch, k*k each */
    lr_mp_table pos, neg;
    int neg_state;        /* 0: not tried, 1: inverse ready, 2: no inverse */
    int own;              /* the plan allocated its workspace */
} lr_matpow_t;

/* Bytes of the workspace a plan for order k uses (0: k too large for memory sizes). */
size_t lr_matpow_work_bytes(int64_t k);

/*
 * Prepare a plan for the k x k row-major matrix a (int64_t, double or plain residues in
 * [0, m) as uint64_t, by ring).  The plan copies a.  share: keep squares between calls
 * (many exponents for this matrix follow).  work: lr_matpow_work_bytes(k) bytes, 8-byte
 * aligned, reused by consecutive plans (no malloc per matrix), or NULL to allocate.
 * LR_ERR_NOMEM / LR_ERR_ORDER on failure; release with lr_matpow_free either way.
 */
lr_status lr_matpow_init(lr_matpow_t *p, lr_mp_ring ring, int64_t k, const void *a, uint64_t m,
                         int share, void *work);

/*
 * out = A^n (k*k contiguous, same element type as a; residues plain in [0, m)).
 *   LR_ERR_OVERFLOW:   int64, an entry of the true power does not fit (proven)
 *   LR_ERR_UNCERTIFIED: int64, the magnitude bound was too large to decide
 *   LR_ERR_BACKWARDS:  n < 0 and A has no inverse in the ring (det not +-1 over the integers,
 *                      not a unit mod m, or a zero pivot for floats)
 */
lr_status lr_matpow_apply(lr_matpow_t *p, lr_index_t n, void *out);

void lr_matpow_free(lr_matpow_t *p);

/*
 * Upper bound on log2 max|(B^e)_ij| (e >= 1) for an integer k x k matrix B given log2 bounds
 * on its largest absolute entry and on its largest absolute row sum (both >= 0): the one
 * place that decides how many primes certify an int64 power (swap in a tighter growth bound
 * here).
 */
double lr_matpow_log2_bound(int64_t k, double log2_maxabs, double log2_rowsum, uint64_t e);

#endif /* LR_MATPOW_H */
