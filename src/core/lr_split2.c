/*
 * Order-2 recurrences modulo a prime p whose characteristic polynomial x^2 - c1 x - c0 has
 * two distinct nonzero roots r1, r2 in F_p (Fibonacci modulo about half of all primes, for
 * instance 2^61 - 1):
 *     a[n] = A r1^n + B r2^n,   A = (a1 - a0 r2) / (r1 - r2),   B = a0 - A.
 * For a batch of scattered indices both powers come from fixed-base window tables, one
 * Montgomery product per window and root: about 2 (bits/w) products per index, against a
 * polynomial product mod f (5 multiplications, 3 reductions) per window for x^n mod f.
 * The roots are units, so negative n work too: r^n = r^(n mod (p - 1)) (Fermat).
 */
#include <stdlib.h>
#include <string.h>

#include "lr_classic.h"
#include "lr_split2.h"

/* Smaller batches are not worth the set-up (primality test, square root, tables). */
#define LR_SPLIT2_MIN 32
#ifndef LR_SPLIT2_LANES
#define LR_SPLIT2_LANES 4
#endif
/* Largest pair table, in bytes: beyond the L2 cache of today's cores the lookups stall. */
#ifndef LR_SPLIT2_MAX_TABLE
#define LR_SPLIT2_MAX_TABLE ((size_t)1 << 20)
#endif

static uint64_t
lr_mont_pow(const lr_mod_t *x, uint64_t base, uint64_t e)
{
    uint64_t r = x->one;
    for (int b = lr_top_bit(e); b >= 0; b--) {
        r = lr_mont_mul(r, r, x->m, x->minv);
        if ((e >> b) & 1u) {
            r = lr_mont_mul(r, base, x->m, x->minv);
        }
    }
    return r;
}

/*
 * Square root of a quadratic residue a (Montgomery form) modulo the odd prime x->m by
 * Tonelli-Shanks; O(S^2) products for p - 1 = q 2^S.  Returns 0 when no root is found.
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
            tt = lr_mont_mul(tt, tt, p, x->minv);
            i++;
        }
        if (i >= M) {
            return 0;   /* a is not a residue after all */
        }
        uint64_t b = c;
        for (int j = 0; j < M - i - 1; j++) {
            b = lr_mont_mul(b, b, p, x->minv);
        }
        M = i;
        c = lr_mont_mul(b, b, p, x->minv);
        t = lr_mont_mul(t, c, p, x->minv);
        r = lr_mont_mul(r, b, p, x->minv);
    }
    if (lr_mont_mul(r, r, p, x->minv) != a) {
        return 0;
    }
    *root = r;
    return 1;
}

static inline uint64_t
lr_split2_read(const lr_batch_t *b, int64_t t, int *neg)
{
    const char *ptr = b->n + t * b->n_stride;
    uint64_t v;
    memcpy(&v, ptr, sizeof v);
    if (!b->n_unsigned && (int64_t)v < 0) {
        *neg = 1;
        return 0u - v;
    }
    *neg = 0;
    return v;
}

/*
 * Window width for `count` exponents of `bits` bits: table building costs 2 W 2^w products
 * (W = ceil(bits / w) windows, two roots), each index 2 (W - 1).  0: tables do not pay.
 */
static int
lr_split2_window(int bits, int64_t count)
{
    double best = 0.0;
    int bestw = 0;
    for (int w = 2; w <= 20 && w <= bits + 1; w++) {
        int W = (bits + w - 1) / w;
        if ((size_t)W * ((size_t)1 << w) * 2 * sizeof(uint64_t) > LR_SPLIT2_MAX_TABLE) {
            break;
        }
        double cost = 2.0 * W * (double)(1u << w) + (double)count * 2.0 * (W - 1);
        if (bestw == 0 || cost < best) {
            best = cost;
            bestw = w;
        }
    }
    return bestw;
}

int
lr_split2_terms(const uint64_t *c, const uint64_t *init, uint64_t p, lr_batch_t *b)
{
    const int64_t count = b->count;
    if (count < LR_SPLIT2_MIN || p < 3 || !(p & 1u)) {
        return 0;
    }
    /* scan the indices: consecutive runs are the sequence kernels' business */
    uint64_t maxn = 0;
    int64_t next = 0, neg = 0;
    uint64_t prev = 0;
    int prevneg = 1;
    for (int64_t t = 0; t < count; t++) {
        int ng;
        uint64_t v = lr_split2_read(b, t, &ng);
        if (ng) {
            neg++;
        }
        else {
            maxn = v > maxn ? v : maxn;
            next += !prevneg && v == prev + 1;
        }
        prev = v;
        prevneg = ng;
    }
    if (next >= count / 4 || !lr_is_prime_u64(p)) {
        return 0;
    }
    /* roots of x^2 - c1 x - c0: (c1 +- s) / 2 with s^2 = c1^2 + 4 c0 a nonzero residue */
    const uint64_t c0 = c[0], c1 = c[1];
    const uint64_t disc = (uint64_t)(((lr_u128)c1 * c1 + (lr_u128)4 * c0) % p);
    if (c0 == 0 || disc == 0 || lr_jacobi_u64(disc, p) != 1) {
        return 0;
    }
    lr_mod_t x;
    lr_mod_init(&x, p);
    uint64_t s, sinv;
    if (!lr_sqrt_mod_prime(&x, lr_mod_to(&x, disc), &s) ||
        !lr_mod_inverse_plain(lr_mod_from(&x, s), p, &sinv)) {
        return 0;
    }
    const uint64_t half = lr_mod_to(&x, (p + 1) / 2), c1w = lr_mod_to(&x, c1);
    const uint64_t r1 = lr_mmul(lr_mod_add(&x, c1w, s), half, p, x.minv);
    const uint64_t r2 = lr_mmul(lr_mod_sub(&x, c1w, s), half, p, x.minv);
    /* A and B as plain residues, so that A * X (X in Montgomery form) comes out plain */
    const uint64_t a0 = lr_mod_to(&x, init[0]), a1 = lr_mod_to(&x, init[1]);
    const uint64_t num = lr_mod_sub(&x, a1, lr_mmul(a0, r2, p, x.minv));
    const uint64_t A = lr_mmul(lr_mont_mul(num, lr_mod_to(&x, sinv), p, x.minv), 1, p,
                                   x.minv);
    const uint64_t B = lr_mod_sub(&x, init[0], A);

    int bits = lr_top_bit(maxn) + 1;
    if (neg) {
        int pb = lr_top_bit(p - 2) + 1;
        bits = pb > bits ? pb : bits;
    }
    bits = bits < 1 ? 1 : bits;
    const int w = lr_split2_window(bits, count);
    if (w == 0) {
        return 0;
    }
    const int W = (bits + w - 1) / w;
    const size_t D = (size_t)1 << w;
    uint64_t *T = malloc((size_t)W * D * 2 * sizeof(uint64_t));
    if (T == NULL) {
        return 0;   /* the general path needs far less memory */
    }
    /* T[(j D + d) 2 + i] = r_i^(d 2^(j w)): the 2W chains advance side by side */
    uint64_t base[2] = {r1, r2};
    for (int j = 0; j < W; j++) {
        uint64_t *Tj = T + (size_t)j * D * 2;
        Tj[0] = Tj[1] = x.one;
        Tj[2] = base[0];
        Tj[3] = base[1];
        for (int i = 0; i < w; i++) {
            base[0] = lr_mmul(base[0], base[0], p, x.minv);
            base[1] = lr_mmul(base[1], base[1], p, x.minv);
        }
    }
    for (size_t d = 2; d < D; d++) {
        for (int j = 0; j < W; j++) {
            uint64_t *Tj = T + (size_t)j * D * 2;
            Tj[2 * d] = lr_mmul(Tj[2 * d - 2], Tj[2], p, x.minv);
            Tj[2 * d + 1] = lr_mmul(Tj[2 * d - 1], Tj[3], p, x.minv);
        }
    }
    const uint64_t mask = D - 1, pm1 = p - 1;
    const int lazy = p < ((uint64_t)1 << 63);
    /* LR_SPLIT2_LANES indices at a time: their product chains are independent, so the
     * multiplier need not wait on one chain's latency */
    int64_t t = 0;
    for (; t < count; t += LR_SPLIT2_LANES) {
        uint64_t e[LR_SPLIT2_LANES], X[LR_SPLIT2_LANES], Y[LR_SPLIT2_LANES];
        const int lanes = count - t < LR_SPLIT2_LANES ? (int)(count - t) : LR_SPLIT2_LANES;
        for (int l = 0; l < LR_SPLIT2_LANES; l++) {
            int ng;
            e[l] = lr_split2_read(b, t + (l < lanes ? l : 0), &ng);
            if (ng) {
                uint64_t r = e[l] % pm1;
                e[l] = r == 0 ? 0 : pm1 - r;
            }
            const uint64_t *E = T + 2 * (e[l] & mask);
            X[l] = E[0];
            Y[l] = E[1];
        }
        for (int j = 1; j < W; j++) {
            const uint64_t *Tj = T + (size_t)j * D * 2;
            for (int l = 0; l < LR_SPLIT2_LANES; l++) {
                const uint64_t *E = Tj + ((e[l] >> (j * w)) & mask) * 2;
                X[l] = lr_mmul(X[l], E[0], p, x.minv);
                Y[l] = lr_mmul(Y[l], E[1], p, x.minv);
            }
        }
        for (int l = 0; l < lanes; l++) {
            uint64_t v;
            if (lazy) {
                /* A X + B Y < 2 p^2 < p 2^64: one reduction for both products */
                const lr_u128 s2 = (lr_u128)A * X[l] + (lr_u128)B * Y[l];
                const uint64_t q = (uint64_t)s2 * x.minv;
                const uint64_t h = (uint64_t)(((lr_u128)q * p) >> 64);
                const uint64_t th = (uint64_t)(s2 >> 64), d = th - h;
                v = lr_sel_lt(th, h, d + p, d);
            }
            else {
                v = lr_addmod_nb(lr_mmul(A, X[l], p, x.minv), lr_mmul(B, Y[l], p, x.minv), p);
            }
            memcpy(b->out + (t + l) * b->out_stride, &v, sizeof v);
        }
    }
    free(T);
    return 1;
}
