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
    LR_MP_I64 = 0, /* exact int64 */
    LR_MP_F64 = 1, /* IEEE double */
    LR_MP_MOD = 2, /* residues mod m, 1 <= m < 2^64 */
    LR_MP_W64 = 3, /* internal: integers mod 2^64 (wrapping), the int64 candidate */
} lr_mp_ring;

/* Squares of one base matrix (A or A^-1) in the working representation. */
typedef struct {
    uint64_t *base; /* k*k; NULL until prepared */
    uint64_t *sq; /* share: sq + j*kk = base^(2^j) for j < nsq */
    int nsq;
    int ovf; /* int64: base^(2^ovf) overflowed (64: none so far) */
    int exact; /* int64 inverse: base is the exact inverse (else certify every n) */
} lr_mp_table;

typedef struct {
    lr_mp_ring ring;
    int64_t k;
    uint64_t m; /* LR_MP_MOD */
    lr_mod_t ctx; /* LR_MP_MOD */
    int share; /* keep the squares: more exponents follow */
    int64_t count; /* how many exponents are expected */
    struct lr_mp_ch_s *ch; /* Cayley-Hamilton plan (modular, many exponents), or NULL */
    struct lr_mp_cs_s *cs; /* the same for m < 2^32, or NULL */
    uint64_t *a; /* the matrix as given (int64 bits, double bits or plain residues) */
    uint64_t *t0, *t1, *t2; /* scratch, k*k each */
    lr_mp_table pos, neg;
    int neg_state; /* 0: not tried, 1: inverse ready, 2: no inverse */
    int own; /* the plan allocated its workspace */
    int prime; /* LR_MP_MOD with an odd prime m, k large: Paterson-Stockmeyer */
} lr_matpow_t;

/* Bytes of the workspace a plan for order k uses (0: k too large for memory sizes). */
size_t lr_matpow_work_bytes(int64_t k);

/*
 * Prepare a plan for the k x k row-major matrix a (int64_t, double or plain residues in
 * [0, m) as uint64_t, by ring).  The plan copies a.  count: how many exponents will be
 * applied (> 1: keep squares between calls, or a Cayley-Hamilton plan modulo odd m).  work: lr_matpow_work_bytes(k) bytes, 8-byte
 * aligned, reused by consecutive plans (no malloc per matrix), or NULL to allocate.
 * LR_ERR_NOMEM / LR_ERR_ORDER on failure; release with lr_matpow_free either way.
 */
lr_status lr_matpow_init(lr_matpow_t *p, lr_mp_ring ring, int64_t k, const void *a, uint64_t m,
                         int64_t count, void *work);

/*
 * out = A^n (k*k contiguous, same element type as a; residues plain in [0, m)).
 *   LR_ERR_OVERFLOW:   int64, an entry of the true power does not fit (proven)
 *   LR_ERR_UNCERTIFIED: int64, the magnitude bound was too large to decide
 *   LR_ERR_BACKWARDS:  n < 0 and A has no inverse in the ring (det not +-1 over the integers,
 *                      not a unit mod m, or a zero pivot for floats)
 */
lr_status lr_matpow_apply(lr_matpow_t *p, lr_index_t n, void *out);

/* A hint: exponent n comes soon (many exponents of one matrix: its table entries start
 * loading while the current one is computed).  Never required. */
void lr_matpow_prefetch(const lr_matpow_t *p, lr_index_t n);

void lr_matpow_free(lr_matpow_t *p);

/* out = A^e for one int64 matrix and e >= 0 by checked binary powering, without a plan (the
 * small-matrix stack case); nonzero when an intermediate overflowed: then a plan decides.
 * work: 2 k*k words. */
int lr_matpow_i64_quick(int64_t k, const int64_t *a, uint64_t e, int64_t *out, void *work);

/*
 * Upper bound on log2 max|(B^e)_ij| (e >= 1) for an integer k x k matrix B given log2 bounds
 * on its largest absolute entry and on its largest absolute row sum (both >= 0): the one
 * place that decides how many primes certify an int64 power (swap in a tighter growth bound
 * here).
 */
double lr_matpow_log2_bound(int64_t k, double log2_maxabs, double log2_rowsum, uint64_t e);

/* ---- internal: shared by lr_matpow.c and lr_matpow_ch.c ------------------------------- */

/* Sum (top 2^128 + acc) of products of working-form residues, reduced into working form:
 * Montgomery (value / 2^64) for odd m, a plain remainder for even m. */
static inline uint64_t
lr_mp_finish(const lr_mod_t *x, lr_u128 acc, uint64_t top)
{
    const uint64_t m = x->m, hi = (uint64_t)(acc >> 64), lo = (uint64_t)acc;
    /* h = top 2^64 + hi < m 2^64, since a sum of k products of residues is below k m^2 */
    const lr_u128 h = ((lr_u128)top << 64) | hi;
    if (x->odd && top == 0 && hi < m) {
        return lr_mont_redc(acc, m, x->minv); /* the common case: acc < m 2^64 */
    }
    if (x->odd) {
        /* V / R = h + lo / R, and h mod m = REDC(REDC(h) * R^2) */
        uint64_t hm = lr_mont_mul(lr_mont_redc(h, m, x->minv), x->r2, m, x->minv);
        return lr_mod_add(x, hm, lr_mont_redc(lo, m, x->minv));
    }
    const uint64_t hm = lr_u128_mod(h, m);
    return lr_u128_mod(((lr_u128)hm << 64) | lo, m);
}

/*
 * Cayley-Hamilton plan for many exponents of one matrix modulo an odd m (3 <= k <=
 * LR_MP_CH_MAX_K): A^n = r(A) with r = x^n mod the characteristic polynomial f of A.
 * r comes from a window table of x^(d 2^(w b)) mod f (a few polynomial products of length k
 * per n), and r(A) = sum r_i A^i from the stored powers A^0..A^(k-1): O(k^3) per n where
 * binary powering pays O(k^3 log n).
 */
#define LR_MP_CH_MAX_K 32

typedef struct lr_mp_ch_s {
    int64_t k;
    int w; /* window bits */
    int nb; /* blocks built */
    uint64_t *c; /* f(x) = x^k - sum c[i] x^i, working form */
    uint64_t *pw; /* pw[(a k + b) k + i] = (A^i)_ab */
    uint64_t *tab; /* tab[(b 2^w + d) k + j]: x^(d 2^(w b)) mod f */
    uint64_t *base; /* x^(2^(w nb)) mod f */
    uint64_t *r, *t; /* scratch: k and 2k words */
} lr_mp_ch;

/* A in working form; count: how many exponents are expected (sizes the window). */
lr_status lr_mp_ch_init(lr_mp_ch *ch, const lr_mod_t *x, int64_t k, const uint64_t *A,
                        int64_t count);
/* out = A^e (e >= 1) in working form. */
lr_status lr_mp_ch_apply(lr_mp_ch *ch, const lr_mod_t *x, uint64_t e, uint64_t *out);
void lr_mp_ch_free(lr_mp_ch *ch);

/*
 * The same for 2 <= m < 2^32 (odd or even) and 1 <= k <= LR_MP_CH_MAX_K, in plain residues
 * stored as uint32_t with lazy 64-bit sums (vectorized row operations): the many-exponent
 * path for word-size moduli.
 */
typedef struct lr_mp_cs_s {
    int64_t k;
    uint64_t m, bar; /* bar = floor(2^64 / m) (Barrett) */
    int64_t lazy; /* products (below (m-1)^2) a uint64_t sum of one residue takes */
    int w, nb; /* window bits, blocks built */
    uint32_t *c; /* f(x) = x^k - sum c[i] x^i */
    uint32_t *xr; /* xr + j k = x^(k+j) mod f, j < k - 1 */
    uint32_t *pw; /* pw + i k^2 = A^i */
    uint32_t *tab; /* tab[(b 2^w + d) k + j]: x^(d 2^(w b)) mod f */
    uint32_t *base, *r, *t; /* x^(2^(w nb)) mod f; scratch */
    uint64_t *acc; /* k^2 + 2k words of scratch */
} lr_mp_cs;

/* A: plain residues mod m. */
lr_status lr_mp_cs_init(lr_mp_cs *cs, int64_t k, const uint64_t *A, uint64_t m, int64_t count);
/* out = A^e (e >= 1), plain residues. */
void lr_mp_cs_apply(lr_mp_cs *cs, uint64_t e, uint64_t *out);
/* Start loading what lr_mp_cs_apply(cs, e) will read (the table entries built so far). */
void lr_mp_cs_prefetch(const lr_mp_cs *cs, uint64_t e);
void lr_mp_cs_free(lr_mp_cs *cs);

/* out = A^e (e >= 1) modulo a prime, A and out in working form, by Cayley-Hamilton and
 * Paterson-Stockmeyer with the matrix product mul: ~2 sqrt(k) products instead of
 * ~1.5 log2(e).  0, or -1 when memory is short. */
int lr_mp_ps_pow(const lr_mod_t *x, int64_t k, const uint64_t *A, uint64_t e, uint64_t *out,
                 void (*mul)(const lr_mod_t *, int64_t, const uint64_t *, const uint64_t *,
                             uint64_t *));

#endif /* LR_MATPOW_H */
