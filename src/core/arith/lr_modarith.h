/*
 * Exact arithmetic modulo any m in [1, 2^64): Montgomery form for odd m (no 128-bit division
 * in hot loops), plain 128-bit remainders for even m.  Header-only so that every kernel can
 * inline it.  Plain C99 plus unsigned __int128 (checked by meson.build).
 */
#ifndef LR_MODARITH_H
#define LR_MODARITH_H

#include <stdint.h>

typedef unsigned __int128 lr_u128;

typedef struct {
    uint64_t m;      /* the modulus, 1 <= m */
    uint64_t minv;   /* m^-1 mod 2^64 (odd m only) */
    uint64_t r2;     /* 2^128 mod m, converts into Montgomery form (odd m only) */
    uint64_t one;    /* 1 in the working representation (R mod m, or 1; 0 when m == 1) */
    int odd;         /* nonzero: values are kept in Montgomery form */
} lr_mod_t;

/* Remainder of a 128-bit value; only for set-up and the even-modulus path. */
static inline uint64_t
lr_u128_mod(lr_u128 x, uint64_t m)
{
    return (uint64_t)(x % m);
}

/* Prepare the context for modulus m (m >= 1). */
static inline void
lr_mod_init(lr_mod_t *ctx, uint64_t m)
{
    ctx->m = m;
    ctx->odd = (int)(m & 1u) && m > 1;
    if (ctx->odd) {
        /* Newton iteration: each step doubles the number of correct low bits. */
        uint64_t inv = m;
        for (int i = 0; i < 6; i++) {
            inv *= 2 - m * inv;
        }
        ctx->minv = inv;
        uint64_t r1 = (uint64_t)(-m) % m;           /* 2^64 mod m */
        ctx->r2 = lr_u128_mod((lr_u128)r1 * r1, m);  /* 2^128 mod m */
        ctx->one = r1;
    }
    else {
        ctx->minv = 0;
        ctx->r2 = 0;
        ctx->one = m == 1 ? 0 : 1;
    }
}

/* Montgomery reduction t/2^64 mod m for any t < m*2^64.  Written as hi(t) - hi(q*m) so that
 * no intermediate exceeds 128 bits even for m close to 2^64. */
static inline uint64_t
lr_mont_redc(lr_u128 t, uint64_t m, uint64_t minv)
{
    uint64_t q = (uint64_t)t * minv;
    uint64_t h = (uint64_t)(((lr_u128)q * m) >> 64);
    uint64_t th = (uint64_t)(t >> 64);
    return th >= h ? th - h : th - h + m;
}

/* Montgomery product a*b/2^64 mod m for a, b < m. */
static inline uint64_t
lr_mont_mul(uint64_t a, uint64_t b, uint64_t m, uint64_t minv)
{
    return lr_mont_redc((lr_u128)a * b, m, minv);
}

/* Product in the working representation. */
static inline uint64_t
lr_mod_mul(const lr_mod_t *ctx, uint64_t a, uint64_t b)
{
    if (ctx->odd) {
        return lr_mont_mul(a, b, ctx->m, ctx->minv);
    }
    return lr_u128_mod((lr_u128)a * b, ctx->m);
}

static inline uint64_t
lr_mod_add(const lr_mod_t *ctx, uint64_t a, uint64_t b)
{
    uint64_t s = a + b;
    /* s < a catches the carry out of 64 bits when m > 2^63 */
    return (s < a || s >= ctx->m) ? s - ctx->m : s;
}

static inline uint64_t
lr_mod_sub(const lr_mod_t *ctx, uint64_t a, uint64_t b)
{
    return a >= b ? a - b : a - b + ctx->m;
}

static inline uint64_t
lr_mod_neg(const lr_mod_t *ctx, uint64_t a)
{
    return a == 0 ? 0 : ctx->m - a;
}

/* Plain residue in [0, m) -> working representation. */
static inline uint64_t
lr_mod_to(const lr_mod_t *ctx, uint64_t a)
{
    if (ctx->m == 1) {
        return 0;
    }
    if (ctx->odd) {
        return lr_mont_mul(a % ctx->m, ctx->r2, ctx->m, ctx->minv);
    }
    return a % ctx->m;
}

/* Working representation -> plain residue in [0, m). */
static inline uint64_t
lr_mod_from(const lr_mod_t *ctx, uint64_t a)
{
    if (ctx->odd) {
        return lr_mont_mul(a, 1, ctx->m, ctx->minv);
    }
    return a;
}

/* Signed 64-bit integer -> residue in [0, m); exact for INT64_MIN too. */
static inline uint64_t
lr_mod_reduce_i64(int64_t a, uint64_t m)
{
    if (a >= 0) {
        return (uint64_t)a % m;
    }
    uint64_t r = (0u - (uint64_t)a) % m;   /* |a| mod m, computed without signed overflow */
    return r == 0 ? 0 : m - r;
}

/* Inverse of a plain residue a modulo m by the extended Euclidean algorithm; returns 0 when
 * gcd(a, m) != 1 (for m == 1 every residue is 0 and 0 counts as invertible: returns 0 too,
 * so callers test m == 1 first). */
static inline int
lr_mod_inverse_plain(uint64_t a, uint64_t m, uint64_t *inv)
{
    /* Bezout coefficients kept as signed 128-bit to avoid overflow for m near 2^64. */
    __int128 t = 0, newt = 1;
    uint64_t r = m, newr = a % m;
    while (newr != 0) {
        uint64_t q = r / newr;
        __int128 tmp = t - (__int128)q * newt;
        t = newt;
        newt = tmp;
        uint64_t rtmp = r - q * newr;
        r = newr;
        newr = rtmp;
    }
    if (r != 1) {
        return 0;
    }
    if (t < 0) {
        t += m;
    }
    *inv = (uint64_t)t;
    return 1;
}

#endif /* LR_MODARITH_H */
