/*
 * Finding a linear recurrence from terms (find_recurrence): Berlekamp-Massey modulo word-size
 * primes, and for integer terms a multi-modular reconstruction of the exact rational
 * coefficients (Chinese remaindering, rational reconstruction) that is verified exactly.
 * Plain C99; no Python.h.  Coefficients come out in lucas's seed order.
 */
#ifndef LR_FINDREC_H
#define LR_FINDREC_H

#include <stddef.h>
#include <stdint.h>

#include "lr_core.h"

/* uint64 slots of workspace that lr_findrec_bm needs for a sequence of len terms. */
#define LR_FINDREC_BM_WORK(len) (4 * ((size_t)(len) + 1))

/*
 * Shortest recurrence s[i+L] = sum(c[j] * s[i+j] for j < L) (mod p) of len residues
 * s[i] < p, p prime.  Same result as lr_bm_mod (lr_berlekamp.h, used for p == 2), about
 * 5x faster for odd p: Montgomery form, dot products summed in 128 bits with one reduction,
 * the inversion-free update (one inverse per sequence), loops bounded by the degrees.
 *   c:    room for len coefficients
 *   work: LR_FINDREC_BM_WORK(len) uint64 slots
 * Returns L.
 */
int64_t lr_findrec_bm(const uint64_t *s, int64_t len, uint64_t p, uint64_t *c, uint64_t *work);

/*
 * lr_findrec_bm on each of rows sequences of len terms (row r at s + r * len; values are
 * reduced modulo p first, int64 rows when is_signed).  orders[r] receives L, coefs +
 * r * len its L coefficients.  Returns LR_OK or LR_ERR_NOMEM.
 */
lr_status lr_findrec_mod_rows(const void *s, int is_signed, int64_t rows, int64_t len, uint64_t p,
                              int64_t *orders, uint64_t *coefs);

/* The residue rows and the bound that make the exact search prove its answer. */
typedef struct {
    const uint64_t *res; /* res[j * len + i] = s[i] mod lr_cert_primes[j] */
    int64_t nres; /* number of residue rows (primes), >= 2 */
    int64_t len; /* number of terms */
    double term_bits; /* every |s[i]| < 2^term_bits */
} lr_findrec_in;

/* Bytes of workspace for lr_findrec_exact / lr_findrec_exact_i64; 0 on size overflow. */
size_t lr_findrec_work_bytes(int64_t len, int64_t nres);

/* Residue rows lr_findrec_exact_i64 uses for int64 terms. */
#define LR_FINDREC_I64_NRES 4 /* 4 x 61.9 bits > 64 + 64 + log2(len) + 1 */

/*
 * The minimal recurrence of integer terms with coefficients num[j] / *den (den > 0,
 * gcd with every num not necessarily 1, common denominator), found modulo two primes and
 * reconstructed, then VERIFIED: den * s[i+L] == sum(num[j] * s[i+j]) is checked modulo
 * enough primes that the identity holds over the integers.  When 2L <= len the order is
 * proven minimal (the L x L Hankel determinant is nonzero modulo the first prime).
 * Returns LR_OK, or LR_ERR_UNCERTIFIED when the two primes disagree, the coefficients do
 * not fit int64 or there are too few residue rows: the caller uses the general path.
 *   num:  room for len values
 *   work: lr_findrec_work_bytes(len, nres) bytes
 */
lr_status lr_findrec_exact(const lr_findrec_in *in, int64_t *order, int64_t *num, int64_t *den,
                           void *work);

/* lr_findrec_exact for int64 terms: residues computed here (work for LR_FINDREC_I64_NRES
 * rows plus len * LR_FINDREC_I64_NRES uint64 slots: lr_findrec_i64_work_bytes). */
size_t lr_findrec_i64_work_bytes(int64_t len);
lr_status lr_findrec_exact_i64(const int64_t *s, int64_t len, int64_t *order, int64_t *num,
                               int64_t *den, void *work);

#endif /* LR_FINDREC_H */
