/*
 * Number-theoretic transforms over word-size primes p < 2^62 and Chinese remaindering back to
 * any modulus m < 2^64 (lr_ntt.c).  Plain C99 + unsigned __int128, no Python.h.
 *
 * A product of two polynomials with coefficients in [0, m) has integer coefficients of size
 * below (terms) m^2 < 2^148 for k < 2^20: its residues modulo three ~62-bit NTT primes
 * (186 bits) determine it, and Garner's mixed-radix reconstruction gives it modulo m.  When m
 * itself is an NTT prime below 2^62 (998244353, ...), one transform modulo m needs no CRT.
 *
 * Butterflies are Harvey's lazy ones (values kept in [0, 2p) or [0, 4p), Shoup's products
 * with precomputed quotients w' = floor(w 2^64 / p)), which is why p < 2^62.
 */
#ifndef LR_NTT_H
#define LR_NTT_H

#include <stddef.h>
#include <stdint.h>

#include "lr_modarith.h"

#define LR_NTT_MAX_PRIMES 3

/* One transform prime: twiddles for length N and its Shoup quotients.  tw[len + j] =
 * w^(j N / (2 len)) for j < len, stage by stage (the same table serves every length <= N);
 * itw likewise for w^-1; odd[s] = w^-rev(s) for s < N/2 in bit-reversed order (the odd half
 * of a product, Bostan-Mori). */
typedef struct {
    uint64_t p, pinv; /* the prime, p^-1 mod 2^64 (REDC) */
    uint64_t *tw, *tws, *itw, *itws, *odd, *odds;
} lr_ntt_prime;

typedef struct {
    size_t N; /* the longest transform */
    int count; /* primes in use, 1..3 */
    int direct; /* the one prime is m itself: residues need no CRT */
    uint64_t m;
    lr_mod_t mctx;
    lr_ntt_prime pr[LR_NTT_MAX_PRIMES];
    uint64_t g[LR_NTT_MAX_PRIMES], gs[LR_NTT_MAX_PRIMES]; /* Garner: (p0..p_{j-1})^-1 */
    uint64_t pm[LR_NTT_MAX_PRIMES], pms[LR_NTT_MAX_PRIMES]; /* p0..p_{i-1} mod p_j, i<j */
    uint64_t acc[LR_NTT_MAX_PRIMES + 1]; /* p0..p_{i-1} mod m (times 2^64 for odd m); last:
                                            * minus the whole product, for negative values */
    uint64_t half; /* top Garner digit above this: the value is negative */
} lr_ntt_plan;

/* Elements of workspace a plan needs for transforms up to length N (three primes). */
size_t lr_ntt_plan_elems(size_t N);

/*
 * Prepares transforms of length N (a power of two, 4 <= N <= 2^33) exact for products whose
 * integer coefficients have absolute value at most terms (m-1)^2, modulo m >= 2.  Picks m itself
 * when it is a prime below 2^62 with N | m - 1, else the fewest CRT primes that suffice.
 * Returns 0 when no plan exists (terms too large).  work: lr_ntt_plan_elems(N) elements.
 */
int lr_ntt_plan_init(lr_ntt_plan *pl, uint64_t m, uint64_t terms, size_t N, uint64_t *work);

/* How many transforms per product a plan for (m, terms, N) would use: 1 (m itself or one
 * CRT prime), 2 or 3; 0 when none fits.  Cheap; no tables. */
int lr_ntt_prime_count(uint64_t m, uint64_t terms, size_t N, int *direct);

/* dst[0..N) = the transform (bit-reversed, [0, 2p)) of src[0..len) (residues below 2^64,
 * len <= N/2 + 1, zero-padded); the first stage is fused into the load, as it has no
 * additions to do on a zero upper half. */
void lr_ntt_load_forward(const lr_ntt_prime *q, const uint64_t *src, size_t len, uint64_t *dst,
                         size_t N);

/* In place, length n <= N: bit-reversed in ([0, 4p)), natural out ([0, 4p)), without the
 * factor 1/n. */
void lr_ntt_inverse(const lr_ntt_prime *q, uint64_t *a, size_t n);

/* REDC of a product of two values below 2p: a b / 2^64 mod p, in [0, p). */
static inline uint64_t
lr_ntt_mul(const lr_ntt_prime *q, uint64_t a, uint64_t b)
{
    return lr_mont_redc((lr_u128)a * b, q->p, q->pinv);
}

/* x w mod p in [0, 2p) for any x < 2^64 (Shoup: ws = floor(w 2^64 / p)). */
static inline uint64_t
lr_shoup_mul(uint64_t x, uint64_t w, uint64_t ws, uint64_t p)
{
    uint64_t qh = (uint64_t)(((lr_u128)x * ws) >> 64);
    return x * w - qh * p;
}

/* The factor that turns an inverse transform of length n, taken of REDC products, back into
 * plain coefficients: 2^64 / n mod p, with its Shoup quotient. */
void lr_ntt_scale(const lr_ntt_prime *q, size_t n, uint64_t *s, uint64_t *ss);

/*
 * out[i] = the integer whose residues are in[j][i] s[j] (j < count), modulo m, for i < len;
 * the integer is taken in (-M/2, M/2), M the product of the primes.  Plain residues out.
 */
void lr_ntt_crt(const lr_ntt_plan *pl, uint64_t *const *in, const uint64_t *s, const uint64_t *ss,
                size_t len, uint64_t *out);

#endif /* LR_NTT_H */
