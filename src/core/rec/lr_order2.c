/*
 * Many scattered indices for one order-2 recurrence modulo an odd m: every a[n] is a product
 * of W = ceil(bits / w) entries of fixed-base window tables, computed for LR_O2_LANES
 * indices side by side so that the independent product chains overlap in the pipeline.
 * Two kinds of "pair" carry the powers:
 *
 *  - split: m is a prime and x^2 - c1 x - c0 has distinct nonzero roots r1, r2 in F_m
 *    (Fibonacci modulo about half of all primes, 2^61 - 1 among them).  Then
 *        a[n] = A r1^n + B r2^n,   A = (a1 - a0 r2) / (r1 - r2),   B = a0 - A,
 *    and a pair (r1^e, r2^e) multiplies componentwise: 2 modular products per window.
 *    The roots are units, so negative n work as well: r^n = r^(n mod (m - 1)) (Fermat).
 *  - ring: any odd m.  A pair (u, v) is x^e = u + v x modulo f = x^2 - c1 x - c0, and
 *    a[n] = a0 u + a1 v; a product is a polynomial product mod f (Karatsuba with lazy
 *    reduction below 2^62: 5 multiplications and 3 reductions).
 *
 * Both end in a[n] = P0 X + P1 Y for a pair (X, Y) and plain constants (P0, P1).
 */
#include <stdlib.h>
#include <string.h>

#include "lr_primality.h"
#include "lr_order2.h"
#include "lr_polymod.h"

/* Largest table, in pairs (16 bytes each): 1 MiB, about the L2 cache of today's cores;
 * beyond it the lookups stall on memory. */
#ifndef LR_O2_MAX_PAIRS
#define LR_O2_MAX_PAIRS ((size_t)1 << 16)
#endif
#ifndef LR_O2_LANES
#define LR_O2_LANES 4
#endif

typedef enum {
    LR_O2_SPLIT, /* componentwise */
    LR_O2_RING_LAZY, /* polynomial mod f, m < 2^62 */
    LR_O2_RING /* polynomial mod f, any odd m */
} lr_o2_kind;

typedef struct {
    lr_o2_kind kind;
    uint64_t m, minv;
    uint64_t c0, c1; /* ring: coefficients of f, Montgomery form */
} lr_o2_t;

#if defined(__GNUC__)
#define LR_O2_INLINE static inline __attribute__((always_inline))
#else
#define LR_O2_INLINE static inline
#endif

/* out = a * b for pairs a, b (out may alias neither); kind is R->kind, passed apart so that
 * the callers below specialize on a constant. */
LR_O2_INLINE void
lr_o2_mul(lr_o2_kind kind, const lr_o2_t *R, const uint64_t *a, const uint64_t *b, uint64_t *out)
{
    const uint64_t m = R->m, mi = R->minv;
    if (kind == LR_O2_SPLIT) {
        out[0] = lr_mmul(a[0], b[0], m, mi);
        out[1] = lr_mmul(a[1], b[1], m, mi);
    }
    else if (kind == LR_O2_RING_LAZY) {
        lr_polymul2_lazy(a, b, R->c0, R->c1, m, mi, out);
    }
    else {
        const uint64_t t0 = lr_mmul(a[0], b[0], m, mi), t2 = lr_mmul(a[1], b[1], m, mi);
        const uint64_t t1 = lr_addmod_nb(lr_mmul(a[0], b[1], m, mi), lr_mmul(a[1], b[0], m, mi), m);
        out[0] = lr_addmod_nb(t0, lr_mmul(R->c0, t2, m, mi), m);
        out[1] = lr_addmod_nb(t1, lr_mmul(R->c1, t2, m, mi), m);
    }
}

/*
 * Square root of a quadratic residue a (Montgomery form) modulo the odd prime x->m by
 * Tonelli-Shanks; O(S^2) products for m - 1 = q 2^S.  Returns 0 when no root is found.
 */
static int
lr_sqrt_mod_prime(const lr_mod_t *x, uint64_t a, uint64_t *root)
{
    const uint64_t p = x->m, one = x->one;
    const int S = __builtin_ctzll(p - 1);
    const uint64_t q = (p - 1) >> S;
    uint64_t z = 2;
    while (z < p && lr_jacobi_u64(z, p) != -1) {
        z++;
    }
    if (z >= p) {
        return 0;
    }
    uint64_t c = lr_mont_pow(x, lr_mod_to(x, z), q);
    uint64_t t = lr_mont_pow(x, a, q);
    uint64_t r = lr_mont_pow(x, a, (q + 1) / 2);
    int M = S;
    while (t != one) {
        int i = 0;
        uint64_t tt = t;
        while (tt != one && i < M) {
            tt = lr_mmul(tt, tt, p, x->minv);
            i++;
        }
        if (i >= M) {
            return 0; /* a is not a residue after all */
        }
        uint64_t b = c;
        for (int j = 0; j < M - i - 1; j++) {
            b = lr_mmul(b, b, p, x->minv);
        }
        M = i;
        c = lr_mmul(b, b, p, x->minv);
        t = lr_mmul(t, c, p, x->minv);
        r = lr_mmul(r, b, p, x->minv);
    }
    if (lr_mmul(r, r, p, x->minv) != a) {
        return 0;
    }
    *root = r;
    return 1;
}

/*
 * The split form: roots of x^2 - c1 x - c0, (c1 +- s) / 2 with s^2 = c1^2 + 4 c0 a nonzero
 * residue.  Sets the base pair (r1, r2) and the plain constants (A, B); 0 when m is not a
 * prime or the roots are not distinct nonzero elements of F_m.
 */
static int
lr_o2_split(const lr_mod_t *x, const uint64_t *c, const uint64_t *init, uint64_t *base, uint64_t *P)
{
    const uint64_t p = x->m, c0 = c[0], c1 = c[1];
    const uint64_t disc = (uint64_t)(((lr_u128)c1 * c1 + (lr_u128)4 * c0) % p);
    if (c0 == 0 || disc == 0 || !lr_is_prime_u64(p) || lr_jacobi_u64(disc, p) != 1) {
        return 0;
    }
    uint64_t s, sinv;
    if (!lr_sqrt_mod_prime(x, lr_mod_to(x, disc), &s) ||
        !lr_mod_inverse_plain(lr_mod_from(x, s), p, &sinv)) {
        return 0;
    }
    const uint64_t half = lr_mod_to(x, (p + 1) / 2), c1w = lr_mod_to(x, c1);
    base[0] = lr_mmul(lr_mod_add(x, c1w, s), half, p, x->minv);
    base[1] = lr_mmul(lr_mod_sub(x, c1w, s), half, p, x->minv);
    /* (r1 - r2) = s;  A * (X in Montgomery form) then comes out plain */
    const uint64_t a0 = lr_mod_to(x, init[0]), a1 = lr_mod_to(x, init[1]);
    const uint64_t num = lr_mod_sub(x, a1, lr_mmul(a0, base[1], p, x->minv));
    P[0] = lr_mod_from(x, lr_mmul(num, lr_mod_to(x, sinv), p, x->minv));
    P[1] = lr_mod_sub(x, init[0], P[0]);
    return 1;
}

/*
 * Window width for `count` exponents of `bits` bits: building the tables costs W 2^w pair
 * products, each index W - 1 (W = ceil(bits / w) windows).  0 when nothing fits.
 */
static int
lr_o2_window(int bits, int64_t count)
{
    double best = 0.0;
    int bestw = 0;
    for (int w = 1; w <= 20 && w <= bits; w++) {
        int W = (bits + w - 1) / w;
        if ((size_t)W << w > LR_O2_MAX_PAIRS) {
            break;
        }
        double cost = W * (double)((size_t)1 << w) + (double)count * (W - 1);
        if (bestw == 0 || cost < best) {
            best = cost;
            bestw = w;
        }
    }
    return bestw;
}

static inline uint64_t
lr_o2_read(const lr_batch_t *b, int64_t t, int *neg)
{
    uint64_t v;
    memcpy(&v, b->n + t * b->n_stride, sizeof v);
    if (!b->n_unsigned && (int64_t)v < 0) {
        *neg = 1;
        return 0u - v;
    }
    *neg = 0;
    return v;
}

/*
 * a[n] = P0 X + P1 Y for every index n of b, (X, Y) = the product of the W table entries
 * picked by the w-bit digits of n (for negative n, of n mod (m - 1): split kind only).
 */
LR_O2_INLINE void
lr_o2_eval(lr_o2_kind kind, const lr_o2_t *R, const uint64_t *T, int w, int W, const uint64_t *P,
           lr_batch_t *b)
{
    const int64_t count = b->count;
    const size_t D = (size_t)1 << w;
    const uint64_t m = R->m, mask = D - 1, mm1 = m - 1;
    const int lazy = m < ((uint64_t)1 << 63);
    for (int64_t t = 0; t < count; t += LR_O2_LANES) {
        uint64_t e[LR_O2_LANES], Z[LR_O2_LANES][2];
        const int lanes = count - t < LR_O2_LANES ? (int)(count - t) : LR_O2_LANES;
        for (int l = 0; l < LR_O2_LANES; l++) {
            int ng;
            e[l] = lr_o2_read(b, t + (l < lanes ? l : 0), &ng);
            if (ng) { /* split only: the roots have orders dividing m - 1 */
                uint64_t r = e[l] % mm1;
                e[l] = r == 0 ? 0 : mm1 - r;
            }
            memcpy(Z[l], T + 2 * (e[l] & mask), sizeof Z[l]);
        }
        for (int j = 1; j < W; j++) {
            const uint64_t *Tj = T + (size_t)j * D * 2;
            for (int l = 0; l < LR_O2_LANES; l++) {
                uint64_t z[2];
                lr_o2_mul(kind, R, Z[l], Tj + ((e[l] >> (j * w)) & mask) * 2, z);
                Z[l][0] = z[0];
                Z[l][1] = z[1];
            }
        }
        for (int l = 0; l < lanes; l++) {
            uint64_t v;
            if (lazy) { /* P0 X + P1 Y < 2 m^2 < m 2^64: one reduction for both */
                v = lr_redc_nb((lr_u128)P[0] * Z[l][0] + (lr_u128)P[1] * Z[l][1], m, R->minv);
            }
            else {
                v = lr_addmod_nb(lr_mmul(P[0], Z[l][0], m, R->minv),
                                 lr_mmul(P[1], Z[l][1], m, R->minv), m);
            }
            memcpy(b->out + (t + l) * b->out_stride, &v, sizeof v);
        }
    }
}

int
lr_order2_terms(const uint64_t *c, const uint64_t *init, uint64_t m, lr_batch_t *b)
{
    const int64_t count = b->count;
    if (count < LR_O2_MIN || m < 3 || !(m & 1u)) {
        return 0;
    }
    /* scan the indices: consecutive runs are the sequence kernels' business */
    uint64_t maxn = 0, prev = 0;
    int64_t next = 0, neg = 0;
    int prevneg = 1;
    for (int64_t t = 0; t < count; t++) {
        int ng;
        uint64_t v = lr_o2_read(b, t, &ng);
        neg += ng;
        if (!ng) {
            maxn = v > maxn ? v : maxn;
            next += !prevneg && v == prev + 1;
        }
        if (next >= count / 4) {
            return 0; /* decided: the count only grows (an arange stops after a quarter) */
        }
        prev = v;
        prevneg = ng;
    }
    lr_mod_t x;
    lr_mod_init(&x, m);
    lr_o2_t R;
    R.m = m;
    R.minv = x.minv;
    R.c0 = lr_mod_to(&x, c[0]);
    R.c1 = lr_mod_to(&x, c[1]);
    uint64_t base[2], P[2], id[2];
    if (lr_o2_split(&x, c, init, base, P)) {
        R.kind = LR_O2_SPLIT;
        id[0] = id[1] = x.one;
    }
    else if (neg) {
        return 0; /* x may not even be a unit: the general path decides */
    }
    else {
        R.kind = m < ((uint64_t)1 << 62) ? LR_O2_RING_LAZY : LR_O2_RING;
        base[0] = 0;
        base[1] = x.one; /* x itself */
        id[0] = x.one;
        id[1] = 0;
        P[0] = init[0];
        P[1] = init[1];
    }
    int bits = lr_top_bit(maxn) + 1;
    if (neg) {
        int pb = lr_top_bit(m - 2) + 1;
        bits = pb > bits ? pb : bits;
    }
    bits = bits < 1 ? 1 : bits;
    const int w = lr_o2_window(bits, count);
    if (w == 0) {
        return 0;
    }
    const int W = (bits + w - 1) / w;
    const size_t D = (size_t)1 << w;
    uint64_t *T = malloc((size_t)W * D * 2 * sizeof(uint64_t));
    if (T == NULL) {
        return 0; /* the general path needs far less memory */
    }
    /* T[(j D + d) 2 ..] = base^(d 2^(j w)); the W chains of a column advance side by side */
    for (int j = 0; j < W; j++) {
        uint64_t *Tj = T + (size_t)j * D * 2;
        memcpy(Tj, id, sizeof id);
        if (D > 1) {
            memcpy(Tj + 2, base, sizeof base);
        }
        for (int i = 0; i < w; i++) {
            uint64_t sq[2];
            lr_o2_mul(R.kind, &R, base, base, sq);
            memcpy(base, sq, sizeof sq);
        }
    }
    for (size_t d = 2; d < D; d++) {
        for (int j = 0; j < W; j++) {
            uint64_t *Tj = T + (size_t)j * D * 2;
            lr_o2_mul(R.kind, &R, Tj + 2 * d - 2, Tj + 2, Tj + 2 * d);
        }
    }
    switch (R.kind) {
        case LR_O2_SPLIT:
            lr_o2_eval(LR_O2_SPLIT, &R, T, w, W, P, b);
            break;
        case LR_O2_RING_LAZY:
            lr_o2_eval(LR_O2_RING_LAZY, &R, T, w, W, P, b);
            break;
        default:
            lr_o2_eval(LR_O2_RING, &R, T, w, W, P, b);
            break;
    }
    free(T);
    return 1;
}
