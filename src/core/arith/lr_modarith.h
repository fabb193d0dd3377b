/*
 * Exact arithmetic modulo any m in [1, 2^64): Montgomery form for odd m (no 128-bit division
 * in hot loops), plain 128-bit remainders for even m.  Header-only so that every kernel can
 * inline it.  Plain C99 plus unsigned __int128 (checked by meson.build).
 *
 * The one arithmetic header of the core: the context form (lr_mod_t, lr_mod_*) used by the
 * recurrence kernels, the branch-free form (lr_addmod_nb, lr_redc_nb, lr_mmul) used where
 * data-dependent branches mispredict (Lucas chains, primality, polynomial products), the
 * rings Montgomery-or-wrapping (lr_ring_t), and the inverse modulo 2^64 written once.
 */
#ifndef LR_MODARITH_H
#define LR_MODARITH_H

#include <stdint.h>

typedef unsigned __int128 lr_u128;

typedef struct {
    uint64_t m; /* the modulus, 1 <= m */
    uint64_t minv; /* m^-1 mod 2^64 (odd m only) */
    uint64_t r2; /* 2^128 mod m, converts into Montgomery form (odd m only) */
    uint64_t one; /* 1 in the working representation (R mod m, or 1; 0 when m == 1) */
    int odd; /* nonzero: values are kept in Montgomery form */
} lr_mod_t;

/* Remainder of a 128-bit value; only for set-up and the even-modulus path. */
static inline uint64_t
lr_u128_mod(lr_u128 x, uint64_t m)
{
    return (uint64_t)(x % m);
}

/*
 * Inverse of an odd a modulo 2^64 by Newton's iteration x <- x (2 - a x), which doubles the
 * number of correct low bits: (3a) ^ 2 is right to 5 bits, four steps give 80 >= 64.  A
 * constant expression (the trial-division table of lr_primality.c is built from it at compile
 * time); lr_inv_2_64 below is the same for run-time values.
 */
#define LR_NEWTON_2_64(a, x) ((x) * (2u - (a) * (x)))
#define LR_INV_2_64(a) \
    LR_NEWTON_2_64( \
        (a), LR_NEWTON_2_64((a), LR_NEWTON_2_64((a), LR_NEWTON_2_64((a), ((3u * (a)) ^ 2u)))))

static inline uint64_t
lr_inv_2_64(uint64_t a)
{
    return LR_INV_2_64(a);
}

/* Prepare the context for modulus m (m >= 1). */
static inline void
lr_mod_init(lr_mod_t *ctx, uint64_t m)
{
    ctx->m = m;
    ctx->odd = (int)(m & 1u) && m > 1;
    if (ctx->odd) {
        ctx->minv = lr_inv_2_64(m);
        uint64_t r1 = (uint64_t)(-m) % m; /* 2^64 mod m */
        ctx->r2 = lr_u128_mod((lr_u128)r1 * r1, m); /* 2^128 mod m */
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
    uint64_t r = (0u - (uint64_t)a) % m; /* |a| mod m, computed without signed overflow */
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

/* ---- branch-free forms (lr_sel*, lr_*_nb, lr_mmul) ------------------------------------ */

#if defined(__GNUC__) || defined(__clang__)
#define LR_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LR_ALWAYS_INLINE inline
#endif

/*
 * Conditions that depend on the data (bits of a random index, carries of random residues)
 * mispredict half the time as branches, and compilers do not reliably turn ternaries into
 * conditional moves.  lr_sel_lt(p, q, x, y) = p < q ? x : y is a cmp + cmov on x86-64 with
 * GCC or Clang, and mask arithmetic elsewhere.
 */
static inline uint64_t
lr_sel_lt(uint64_t p, uint64_t q, uint64_t x, uint64_t y)
{
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
    __asm__("cmpq %2, %1\n\tcmovbq %3, %0" : "+r"(y) : "r"(p), "r"(q), "r"(x) : "cc");
    return y;
#else
    uint64_t mask = 0u - (uint64_t)(p < q);
    return (x & mask) | (y & ~mask);
#endif
}

/* b ? x : y for b in {0, 1} */
static inline uint64_t
lr_sel(uint64_t b, uint64_t x, uint64_t y)
{
    return lr_sel_lt(0, b, x, y);
}

/* Modular sum and difference of residues a, b < m, branch-free. */
static inline uint64_t
lr_addmod_nb(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t c = m - b; /* a + b >= m  iff  a >= m - b (no 64-bit carry to care about) */
    return lr_sel_lt(a, c, a + b, a - c);
}

static inline uint64_t
lr_submod_nb(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t d = a - b;
    return lr_sel_lt(a, b, d + m, d);
}

/* Montgomery reduction t / 2^64 mod m for t < m 2^64 (as lr_mont_redc, with a conditional
 * move for the final correction). */
static inline uint64_t
lr_redc_nb(lr_u128 t, uint64_t m, uint64_t minv)
{
    uint64_t q = (uint64_t)t * minv;
    uint64_t h = (uint64_t)(((lr_u128)q * m) >> 64), th = (uint64_t)(t >> 64);
    uint64_t d = th - h;
    return lr_sel_lt(th, h, d + m, d);
}

/* Montgomery product a b / 2^64 mod m, branch-free. */
static inline uint64_t
lr_mmul(uint64_t a, uint64_t b, uint64_t m, uint64_t minv)
{
    return lr_redc_nb((lr_u128)a * b, m, minv);
}

/* ---- rings: Montgomery modulo an odd o > 1 (wrap == 0), or Z / 2^64 (wrap != 0) ---------- */

typedef struct {
    lr_mod_t mod; /* the odd modulus (unused when wrap) */
    int wrap;
} lr_ring_t;

static inline uint64_t
lr_r_mul(const lr_ring_t *r, uint64_t a, uint64_t b)
{
    return r->wrap ? a * b : lr_mmul(a, b, r->mod.m, r->mod.minv);
}

static inline uint64_t
lr_r_add(const lr_ring_t *r, uint64_t a, uint64_t b)
{
    return r->wrap ? a + b : lr_addmod_nb(a, b, r->mod.m);
}

static inline uint64_t
lr_r_sub(const lr_ring_t *r, uint64_t a, uint64_t b)
{
    return r->wrap ? a - b : lr_submod_nb(a, b, r->mod.m);
}

static inline uint64_t
lr_r_neg(const lr_ring_t *r, uint64_t a)
{
    return r->wrap ? 0u - a : lr_mod_neg(&r->mod, a);
}

static inline uint64_t
lr_r_one(const lr_ring_t *r)
{
    return r->wrap ? 1u : r->mod.one;
}

/* plain residue (already reduced for Montgomery rings) -> ring element */
static inline uint64_t
lr_r_to(const lr_ring_t *r, uint64_t a)
{
    return r->wrap ? a : lr_mod_to(&r->mod, a);
}

static inline uint64_t
lr_r_from(const lr_ring_t *r, uint64_t a)
{
    return r->wrap ? a : lr_mod_from(&r->mod, a);
}

static inline int
lr_top_bit(uint64_t n)
{
    return n == 0 ? -1 : 63 - __builtin_clzll(n);
}

/* b^e for b in Montgomery form modulo the odd x->m; the result in Montgomery form. */
static inline uint64_t
lr_mont_pow(const lr_mod_t *x, uint64_t b, uint64_t e)
{
    uint64_t r = x->one;
    while (e) {
        if (e & 1u) {
            r = lr_mmul(r, b, x->m, x->minv);
        }
        b = lr_mmul(b, b, x->m, x->minv);
        e >>= 1;
    }
    return r;
}

#endif /* LR_MODARITH_H */
