/*
 * Consecutive terms of a linear recurrence (see lr_sequence.h).
 *
 * The stepping kernels are written once as always-inline functions of (K, S) -- order and
 * number of interleaved segments -- and dispatched with constant arguments, so that the
 * compiler emits a straight-line loop for every short recurrence.
 */
#include "lr_sequence.h"
#include "lr_polymod.h"
#include "lr_float.h"

#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define LR_INLINE static inline __attribute__((always_inline))
#define LR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LR_INLINE static inline
#define LR_UNLIKELY(x) (x)
#endif

/* Orders whose kernels keep coefficients and window in registers. */
#define LR_SEQ_SMALL_K 4
/* Orders whose outputs are split into interleaved segments (beyond, the k products of one
 * term already keep the multipliers busy). */
#define LR_SEQ_SPLIT_MAX_K 16
/* Above this order a modulus too large for one reduction per term sums all products in 192
 * bits (two reductions) rather than reducing group by group. */
#define LR_SEQ_WIDE_K 2
/* Interleaving needs a jump per segment: only worth it for long outputs. */
#define LR_SEQ_SPLIT_MIN ((int64_t)1 << 15)

lr_index_t
lr_index_add(lr_index_t n, uint64_t off)
{
    if (!n.neg) {
        n.mag += off;
    }
    else if (off <= n.mag) {
        n.mag -= off;
        n.neg = n.mag != 0;
    }
    else {
        n.neg = 0;
        n.mag = off - n.mag;
    }
    return n;
}

/* ---- int64 -------------------------------------------------------------------------- */

/*
 * Exact decision for one term after the fast path saw an overflow: products are exact in
 * 128 bits, and wrap-arounds of the 128-bit sum are counted so that partial sums may leave
 * the range while the true value is still known.  Returns nonzero when it does not fit.
 */
static int
lr_i64_next_exact(int64_t k, const int64_t *c, const int64_t *a, int64_t *out)
{
    __int128 acc = 0;
    int64_t wraps = 0;
    for (int64_t i = 0; i < k; i++) {
        __int128 p = (__int128)c[i] * a[i];   /* |p| <= 2^126 */
        if (__builtin_add_overflow(acc, p, &acc)) {
            wraps += p > 0 ? 1 : -1;
        }
    }
    /* true value = acc + wraps * 2^128 */
    if (wraps != 0 || acc < INT64_MIN || acc > INT64_MAX) {
        return 1;
    }
    *out = (int64_t)acc;
    return 0;
}

/* *out = sum c[i] a[i]; nonzero when the true value does not fit int64. */
LR_INLINE int
lr_i64_next(int64_t K, const int64_t *c, const int64_t *a, int64_t *out)
{
    int64_t acc = 0, p;
    int ovf = 0;
    for (int64_t i = 0; i < K; i++) {
        ovf |= __builtin_mul_overflow(c[i], a[i], &p);
        ovf |= __builtin_add_overflow(acc, p, &acc);
    }
    if (LR_UNLIKELY(ovf)) {
        return lr_i64_next_exact(K, c, a, out);
    }
    *out = acc;
    return 0;
}

/*
 * Step S segments (bases base[0..S)) over relative positions [from, to).  Returns the
 * segment that overflowed (its position in *bad) or -1.  For short recurrences the
 * coefficients and the last K terms of every segment live in local arrays that the compiler
 * keeps in registers: reading the previous term back from the output would put a
 * store-to-load round trip into every dependency chain.
 */
LR_INLINE int
lr_i64_run(int64_t K, int S, const int64_t *cin, int64_t *a, const int64_t *base,
           int64_t from, int64_t to, int64_t *bad)
{
    if (from >= to) {
        return -1;   /* nothing to do (and the window before `from` may not exist) */
    }
    if (K > LR_SEQ_SMALL_K || K < 1) {
        for (int64_t j = from; j < to; j++) {
            for (int s = 0; s < S; s++) {
                int64_t *p = a + base[s] + j;
                if (LR_UNLIKELY(lr_i64_next(K, cin, p - K, p))) {
                    *bad = j;
                    return s;
                }
            }
        }
        return -1;
    }
    int64_t c[LR_SEQ_SMALL_K], w[LR_SEQ_MAX_SEGMENTS][LR_SEQ_SMALL_K];
    int64_t *p[LR_SEQ_MAX_SEGMENTS];
    for (int64_t i = 0; i < K; i++) {
        c[i] = cin[i];
    }
    for (int s = 0; s < S; s++) {
        p[s] = a + base[s];
        for (int64_t i = 0; i < K; i++) {
            w[s][i] = p[s][from - K + i];
        }
    }
    for (int64_t j = from; j < to; j++) {
        for (int s = 0; s < S; s++) {
            int64_t v;
            if (LR_UNLIKELY(lr_i64_next(K, c, w[s], &v))) {
                *bad = j;
                return s;
            }
            p[s][j] = v;
            for (int64_t i = 0; i + 1 < K; i++) {
                w[s][i] = w[s][i + 1];
            }
            w[s][K - 1] = v;
        }
    }
    return -1;
}

static int
lr_i64_run_any(int64_t k, int S, const int64_t *c, int64_t *a, const int64_t *base,
               int64_t from, int64_t to, int64_t *bad)
{
    if (S == LR_SEQ_MAX_SEGMENTS) {
        switch (k) {
            case 1: return lr_i64_run(1, LR_SEQ_MAX_SEGMENTS, c, a, base, from, to, bad);
            case 2: return lr_i64_run(2, LR_SEQ_MAX_SEGMENTS, c, a, base, from, to, bad);
            case 3: return lr_i64_run(3, LR_SEQ_MAX_SEGMENTS, c, a, base, from, to, bad);
            case 4: return lr_i64_run(4, LR_SEQ_MAX_SEGMENTS, c, a, base, from, to, bad);
            default: return lr_i64_run(k, LR_SEQ_MAX_SEGMENTS, c, a, base, from, to, bad);
        }
    }
    int r = -1;
    for (int s = 0; s < S && r < 0; s++) {
        switch (k) {
            case 1: r = lr_i64_run(1, 1, c, a, base + s, from, to, bad); break;
            case 2: r = lr_i64_run(2, 1, c, a, base + s, from, to, bad); break;
            case 3: r = lr_i64_run(3, 1, c, a, base + s, from, to, bad); break;
            case 4: r = lr_i64_run(4, 1, c, a, base + s, from, to, bad); break;
            default: r = lr_i64_run(k, 1, c, a, base + s, from, to, bad); break;
        }
        r = r < 0 ? -1 : s;
    }
    return r;
}

lr_status
lr_seq_fill_i64(int64_t k, const int64_t *c, int64_t *a, int64_t from, int64_t to,
                int64_t *bad)
{
    const int64_t base = 0;
    if (lr_i64_run_any(k, 1, c, a, &base, from, to, bad) >= 0) {
        return LR_ERR_OVERFLOW;
    }
    return LR_OK;
}

/* ---- float64 ------------------------------------------------------------------------- */

LR_INLINE void
lr_f64_run(int64_t K, const double *cin, double *a, int64_t from, int64_t to)
{
    if (from >= to) {
        return;
    }
    if (K > LR_SEQ_SMALL_K || K < 1) {
        for (int64_t j = from; j < to; j++) {
            const double *p = a + j - K;
            double acc = cin[0] * p[0];
            for (int64_t i = 1; i < K; i++) {
                acc += cin[i] * p[i];
            }
            a[j] = acc;
        }
        return;
    }
    double c[LR_SEQ_SMALL_K], w[LR_SEQ_SMALL_K];
    for (int64_t i = 0; i < K; i++) {
        c[i] = cin[i];
        w[i] = a[from - K + i];
    }
    for (int64_t j = from; j < to; j++) {
        double acc = c[0] * w[0];
        for (int64_t i = 1; i < K; i++) {
            acc += c[i] * w[i];
        }
        a[j] = acc;
        for (int64_t i = 0; i + 1 < K; i++) {
            w[i] = w[i + 1];
        }
        w[K - 1] = acc;
    }
}

void
lr_seq_fill_f64(int64_t k, const double *c, double *a, int64_t from, int64_t to)
{
    switch (k) {
        case 1: lr_f64_run(1, c, a, from, to); break;
        case 2: lr_f64_run(2, c, a, from, to); break;
        case 3: lr_f64_run(3, c, a, from, to); break;
        case 4: lr_f64_run(4, c, a, from, to); break;
        default: lr_f64_run(k, c, a, from, to); break;
    }
}

/* ---- residues ------------------------------------------------------------------------ */

/*
 * Montgomery reduction t / 2^64 mod m for t < m 2^64 (see lr_mont_mul).  Branch-free: the
 * residues are random, so a conditional jump would be mispredicted half of the time.
 */
LR_INLINE uint64_t
lr_redc(lr_u128 t, uint64_t m, uint64_t minv)
{
    uint64_t q = (uint64_t)t * minv;
    uint64_t h = (uint64_t)(((lr_u128)q * m) >> 64);
    uint64_t th = (uint64_t)(t >> 64);
    return th - h + (m & (0u - (uint64_t)(th < h)));
}

LR_INLINE uint64_t
lr_addmod(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t s = a + b;
    uint64_t wrap = (uint64_t)(s < a) | (uint64_t)(s >= m);
    return s - (m & (0u - wrap));
}

/* x mod m by Barrett reduction with mu = floor((2^128 - 1) / m): the quotient estimate is
 * the exact high half of x * mu, at most one below the true quotient. */
LR_INLINE uint64_t
lr_barrett(lr_u128 x, uint64_t m, lr_u128 mu)
{
    uint64_t x0 = (uint64_t)x, x1 = (uint64_t)(x >> 64);
    uint64_t u0 = (uint64_t)mu, u1 = (uint64_t)(mu >> 64);
    lr_u128 a = (lr_u128)x0 * u0, b = (lr_u128)x0 * u1, c = (lr_u128)x1 * u0;
    lr_u128 mid = (a >> 64) + (uint64_t)b + (uint64_t)c;
    lr_u128 q = (lr_u128)x1 * u1 + (b >> 64) + (c >> 64) + (mid >> 64);
    lr_u128 r = x - q * m;   /* in [0, 2m) */
    return (uint64_t)r - (m & (0u - (uint64_t)(r >= m)));
}

/* The reduction parameters, copied into locals so that stores to the output cannot alias
 * them (otherwise every term would reload them). */
typedef struct {
    uint64_t m, minv, mask;
    lr_u128 mu;
    int64_t group;
    uint64_t r1, r2;
} lr_modp;

/* sum cw[i] a[i] mod m for reduction kind KIND (a constant after inlining). */
LR_INLINE uint64_t
lr_mod_next(int KIND, int64_t K, lr_modp x, const uint64_t *cw, const uint64_t *a)
{
    if (KIND == LR_SEQ_MOD_LAZY) {
        lr_u128 t = 0;
        for (int64_t i = 0; i < K; i++) {
            t += (lr_u128)cw[i] * a[i];
        }
        return lr_redc(t, x.m, x.minv);
    }
    if (KIND == LR_SEQ_MOD_MONT || KIND == LR_SEQ_MOD_BARRETT) {
        /* groups of x.group products, each summed exactly in 128 bits and reduced once */
        uint64_t r = 0;
        lr_u128 t = 0;
        int64_t left = x.group;
        for (int64_t i = 0; i < K; i++) {
            t += (lr_u128)cw[i] * a[i];
            if (--left == 0 || i == K - 1) {
                uint64_t v = KIND == LR_SEQ_MOD_MONT ? lr_redc(t, x.m, x.minv)
                                                     : lr_barrett(t, x.m, x.mu);
                r = lr_addmod(r, v, x.m);
                t = 0;
                left = x.group;
            }
        }
        return r;
    }
    if (KIND == LR_SEQ_MOD_MONT_WIDE || KIND == LR_SEQ_MOD_BARRETT_WIDE) {
        /* S = h 2^128 + t exactly, then reduced in two independent pieces */
        lr_u128 t = 0;
        uint64_t h = 0;
        for (int64_t i = 0; i < K; i++) {
            lr_u128 p = (lr_u128)cw[i] * a[i];
            t += p;
            h += t < p;
        }
        if (KIND == LR_SEQ_MOD_MONT_WIDE) {
            /* S / 2^64 = t1 + (t0 / 2^64 + h 2^64): REDC(t1 * (2^64 mod m)) = t1 mod m and
             * REDC(t0 + h * (2^128 mod m)) = t0 / 2^64 + h 2^64 mod m */
            uint64_t t0 = (uint64_t)t, t1 = (uint64_t)(t >> 64);
            uint64_t v1 = lr_redc((lr_u128)t1 * x.r1, x.m, x.minv);
            uint64_t v2 = lr_redc((lr_u128)h * x.r2 + t0, x.m, x.minv);
            return lr_addmod(v1, v2, x.m);
        }
        return lr_addmod(lr_barrett(t, x.m, x.mu), lr_barrett((lr_u128)h * x.r2, x.m, x.mu),
                         x.m);
    }
    /* POW2 */
    uint64_t r = 0;
    for (int64_t i = 0; i < K; i++) {
        r += cw[i] * a[i];
    }
    return r & x.mask;
}

LR_INLINE void
lr_mod_run(int KIND, int64_t K, int S, const lr_seq_mod_t *xin, uint64_t *a,
           const int64_t *base, int64_t from, int64_t to)
{
    if (from >= to) {
        return;
    }
    const lr_modp x = {xin->m, xin->minv, xin->mask, xin->mu, xin->group, xin->r1, xin->r2};
    if (K > LR_SEQ_SMALL_K || K < 1) {
        const uint64_t *cw = xin->cw;
        for (int64_t j = from; j < to; j++) {
            for (int s = 0; s < S; s++) {
                uint64_t *p = a + base[s] + j;
                *p = lr_mod_next(KIND, K, x, cw, p - K);
            }
        }
        return;
    }
    uint64_t c[LR_SEQ_SMALL_K], w[LR_SEQ_MAX_SEGMENTS][LR_SEQ_SMALL_K];
    uint64_t *p[LR_SEQ_MAX_SEGMENTS];
    for (int64_t i = 0; i < K; i++) {
        c[i] = xin->cw[i];
    }
    for (int s = 0; s < S; s++) {
        p[s] = a + base[s];
        for (int64_t i = 0; i < K; i++) {
            w[s][i] = p[s][from - K + i];
        }
    }
    for (int64_t j = from; j < to; j++) {
        for (int s = 0; s < S; s++) {
            uint64_t v = lr_mod_next(KIND, K, x, c, w[s]);
            p[s][j] = v;
            for (int64_t i = 0; i + 1 < K; i++) {
                w[s][i] = w[s][i + 1];
            }
            w[s][K - 1] = v;
        }
    }
}

#define LR_MOD_BY_K(KIND, S)                                                               \
    switch (k) {                                                                           \
        case 1: lr_mod_run(KIND, 1, S, x, a, base, from, to); break;                       \
        case 2: lr_mod_run(KIND, 2, S, x, a, base, from, to); break;                       \
        case 3: lr_mod_run(KIND, 3, S, x, a, base, from, to); break;                       \
        case 4: lr_mod_run(KIND, 4, S, x, a, base, from, to); break;                       \
        default: lr_mod_run(KIND, k, S, x, a, base, from, to); break;                      \
    }

#define LR_MOD_BY_KIND(S)                                                                  \
    switch (x->kind) {                                                                     \
        case LR_SEQ_MOD_LAZY: LR_MOD_BY_K(LR_SEQ_MOD_LAZY, S); break;                      \
        case LR_SEQ_MOD_MONT: LR_MOD_BY_K(LR_SEQ_MOD_MONT, S); break;                      \
        case LR_SEQ_MOD_POW2: LR_MOD_BY_K(LR_SEQ_MOD_POW2, S); break;                      \
        case LR_SEQ_MOD_BARRETT: LR_MOD_BY_K(LR_SEQ_MOD_BARRETT, S); break;                \
        case LR_SEQ_MOD_MONT_WIDE: LR_MOD_BY_K(LR_SEQ_MOD_MONT_WIDE, S); break;            \
        case LR_SEQ_MOD_BARRETT_WIDE: LR_MOD_BY_K(LR_SEQ_MOD_BARRETT_WIDE, S); break;      \
        default: break;                                                                    \
    }

static void
lr_mod_run_any(const lr_seq_mod_t *x, int S, uint64_t *a, const int64_t *base, int64_t from,
               int64_t to)
{
    const int64_t k = x->k;
    if (x->kind == LR_SEQ_MOD_ONE) {
        for (int s = 0; s < S; s++) {
            for (int64_t j = from; j < to; j++) {
                a[base[s] + j] = 0;
            }
        }
        return;
    }
    if (S == LR_SEQ_MAX_SEGMENTS) {
        LR_MOD_BY_KIND(LR_SEQ_MAX_SEGMENTS);
        return;
    }
    for (int s = 0; s < S; s++) {
        const int64_t *b0 = base;
        base = b0 + s;
        LR_MOD_BY_KIND(1);
        base = b0;
    }
}

lr_status
lr_seq_mod_init(lr_seq_mod_t *x, int64_t k, const uint64_t *c, uint64_t m, uint64_t *cw)
{
    if (m == 0) {
        return LR_ERR_MODULUS;
    }
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    memset(x, 0, sizeof *x);
    x->k = k;
    x->m = m;
    x->cw = cw;
    if (m == 1) {
        x->kind = LR_SEQ_MOD_ONE;
        for (int64_t i = 0; i < k; i++) {
            cw[i] = 0;
        }
    }
    else if (m & 1u) {
        lr_mod_t ctx;
        lr_mod_init(&ctx, m);
        x->minv = ctx.minv;
        /* g products below (m-1)^2 each stay below m 2^64 when g (m-1) < 2^64 */
        uint64_t g = UINT64_MAX / (m - 1);
        x->group = g > (uint64_t)k ? k : (int64_t)g;
        x->r1 = ctx.one;
        x->r2 = ctx.r2;
        x->kind = x->group == k ? LR_SEQ_MOD_LAZY
                                : (k <= LR_SEQ_WIDE_K ? LR_SEQ_MOD_MONT : LR_SEQ_MOD_MONT_WIDE);
        for (int64_t i = 0; i < k; i++) {
            cw[i] = lr_mod_to(&ctx, c[i]);
        }
    }
    else {
        x->kind = (m & (m - 1)) == 0 ? LR_SEQ_MOD_POW2 : LR_SEQ_MOD_BARRETT;
        x->mask = m - 1;
        x->mu = ~(lr_u128)0 / m;
        /* g products below (m-1)^2 each keep the 128-bit sum from wrapping */
        lr_u128 g = ~(lr_u128)0 / ((lr_u128)(m - 1) * (m - 1));
        x->group = g > (lr_u128)k ? k : (int64_t)g;
        x->r2 = (uint64_t)((~(lr_u128)0 % m + 1) % m);   /* 2^128 mod m */
        if (x->kind == LR_SEQ_MOD_BARRETT && x->group < k && k > LR_SEQ_WIDE_K) {
            x->kind = LR_SEQ_MOD_BARRETT_WIDE;
        }
        for (int64_t i = 0; i < k; i++) {
            cw[i] = c[i] % m;
        }
    }
    return LR_OK;
}

void
lr_seq_fill_mod(const lr_seq_mod_t *x, uint64_t *a, int64_t from, int64_t to)
{
    const int64_t base = 0;
    lr_mod_run_any(x, 1, a, &base, from, to);
}

/* ---- driver ---------------------------------------------------------------------------- */

size_t
lr_seq_work_bytes(lr_method method, int64_t k)
{
    size_t wb = lr_work_bytes(method, k);
    if (wb == 0 || (size_t)k > (SIZE_MAX - wb - 16) / 8) {
        return 0;
    }
    /* the term workspace, then k slots for the kernel's coefficients (16-byte multiple) */
    return wb + (((size_t)k * 8 + 15) & ~(size_t)15);
}

/*
 * a[n] mod 2^64 for n >= 0 by x^n mod the characteristic polynomial in wrapping arithmetic,
 * O(k^2 log n).  The only int64 candidate for a[n]: cheap where the certified int64 jump
 * can be slow (a fitting term far out whose magnitude bound is astronomic).
 *   work: 3k slots
 */
static uint64_t
lr_u64w_term(int64_t k, const int64_t *c, const int64_t *init, uint64_t n, uint64_t *work)
{
    if (n < (uint64_t)k) {
        return (uint64_t)init[n];
    }
    uint64_t *r = work, *t = work + k;
    for (int64_t i = 0; i < k; i++) {
        r[i] = i == 0;
    }
    int hb = 63;
    while (!((n >> hb) & 1u)) {
        hb--;
    }
    for (int b = hb; b >= 0; b--) {
        int shift = (int)((n >> b) & 1u);
        for (int64_t i = 0; i < 2 * k; i++) {
            t[i] = 0;
        }
        for (int64_t i = 0; i < k; i++) {
            for (int64_t j = 0; j < k; j++) {
                t[i + j + shift] += r[i] * r[j];
            }
        }
        for (int64_t d = 2 * k - 1; d >= k; d--) {
            for (int64_t i = 0; i < k; i++) {
                t[d - k + i] += t[d] * (uint64_t)c[i];
            }
        }
        for (int64_t i = 0; i < k; i++) {
            r[i] = t[i];
        }
    }
    uint64_t acc = 0;
    for (int64_t i = 0; i < k; i++) {
        acc += r[i] * (uint64_t)init[i];
    }
    return acc;
}

/* r <- r * x mod f(x) = x^k - sum c[i] x^i (Montgomery representation). */
static void
lr_seq_times_x(const lr_mod_t *ctx, int64_t k, const uint64_t *cw, uint64_t *r)
{
    uint64_t top = r[k - 1];
    for (int64_t i = k - 1; i > 0; i--) {
        r[i] = r[i - 1];
    }
    r[0] = 0;
    for (int64_t i = 0; i < k; i++) {
        r[i] = lr_mod_add(ctx, r[i], lr_mod_mul(ctx, top, cw[i]));
    }
}

void
lr_seq_window_mod(int64_t k, const uint64_t *c, const uint64_t *init, uint64_t n, uint64_t m,
                  int64_t w, uint64_t *out, uint64_t *work)
{
    if (m == 1) {
        for (int64_t j = 0; j < w; j++) {
            out[j] = 0;
        }
        return;
    }
    lr_mod_t ctx;
    lr_mod_init(&ctx, m);
    uint64_t *r = work, *t = work + k, *cw = work + 3 * k, *iw = work + 4 * k;
    for (int64_t i = 0; i < k; i++) {
        cw[i] = lr_mod_to(&ctx, c[i]);
        iw[i] = lr_mod_to(&ctx, init[i]);
        r[i] = i == 0 ? ctx.one : 0;
    }
    /* r = x^n mod f, left to right over the bits of n */
    for (int b = 63; b >= 0; b--) {
        int started = (n >> b) != 0;
        if (!started) {
            continue;
        }
        if (!lr_polymod_square(&ctx, k, cw, r, t)) {   /* even m or small k: plainly */
            for (int64_t i = 0; i < 2 * k - 1; i++) {
                t[i] = 0;
            }
            for (int64_t i = 0; i < k; i++) {
                if (r[i] == 0) {
                    continue;
                }
                for (int64_t j = 0; j < k; j++) {
                    t[i + j] = lr_mod_add(&ctx, t[i + j], lr_mod_mul(&ctx, r[i], r[j]));
                }
            }
            for (int64_t d = 2 * k - 2; d >= k; d--) {
                for (int64_t i = 0; i < k; i++) {
                    t[d - k + i] = lr_mod_add(&ctx, t[d - k + i],
                                              lr_mod_mul(&ctx, t[d], cw[i]));
                }
            }
            for (int64_t i = 0; i < k; i++) {
                r[i] = t[i];
            }
        }
        if ((n >> b) & 1u) {
            lr_seq_times_x(&ctx, k, cw, r);
        }
    }
    for (int64_t j = 0; j < w; j++) {
        uint64_t acc = 0;
        for (int64_t i = 0; i < k; i++) {
            acc = lr_mod_add(&ctx, acc, lr_mod_mul(&ctx, r[i], iw[i]));
        }
        out[j] = lr_mod_from(&ctx, acc);
        if (j + 1 < w) {
            lr_seq_times_x(&ctx, k, cw, r);
        }
    }
}

/* One window term: out[j] = a[start + j] by a jump (j is the first offset of its segment
 * plus less than k). */
static lr_status
lr_seq_window_term(lr_seq_t *s, int64_t j, int64_t *bad)
{
    lr_index_t idx = lr_index_add(s->start, (uint64_t)j);
    *bad = j;
    if (s->ring == LR_SEQ_I64 && j >= s->k && !idx.neg) {
        /* a later segment: a candidate, confirmed by stepping into it from the one before */
        ((uint64_t *)s->out)[j] = lr_u64w_term(s->k, (const int64_t *)s->c,
                                               (const int64_t *)s->init, idx.mag, s->work);
        s->verify = 1;
        return LR_OK;
    }
    if (s->ring == LR_SEQ_I64) {
        return lr_term_i64(s->method, s->k, (const int64_t *)s->c, (const int64_t *)s->init,
                           idx, (int64_t *)s->out + j, s->work);
    }
    if (s->ring == LR_SEQ_F64) {
        return lr_term_f64(s->method, s->k, (const double *)s->c, (const double *)s->init, idx,
                           (double *)s->out + j, s->work);
    }
    return lr_term_mod(s->method, s->k, (const uint64_t *)s->c, (const uint64_t *)s->init, idx,
                       s->mod.m, (uint64_t *)s->out + j, s->work);
}

/* One segment covering the whole output; the first `done` terms are already right. */
static void
lr_seq_single(lr_seq_t *s, int64_t done)
{
    s->nseg = 1;
    s->seg[0] = 0;
    s->seg[1] = s->count;
    s->len = s->count;
    s->done = done;
    s->verify = 0;
    s->finished = done >= s->count;
}

/*
 * int64 with candidate windows, all segments stepped: continue each segment exactly for k
 * terms into the next one.  Where that disagrees (the candidate was the residue of a term
 * beyond int64) or overflows, stepping restarts as one chain from that point, which finds
 * the first term that does not fit.  Segment 0 is exact, so by induction so is every
 * segment that is confirmed.
 */
static void
lr_seq_confirm(lr_seq_t *s)
{
    const int64_t k = s->k, *c = (const int64_t *)s->c;
    int64_t *a = (int64_t *)s->out;
    for (int i = 1; i < s->nseg; i++) {
        int64_t b = s->seg[i];
        for (int64_t j = 0; j < k; j++) {
            int64_t v;
            int64_t w[2 * LR_SEQ_SPLIT_MAX_K];
            for (int64_t t = 0; t < k; t++) {   /* a[b+j-k .. b+j-1], confirmed ones first */
                w[t] = a[b + j - k + t];
            }
            if (lr_i64_next(k, c, w, &v) || v != a[b + j]) {
                lr_seq_single(s, b + j);
                return;
            }
        }
    }
    s->verify = 0;
}

lr_status
lr_seq_begin(lr_seq_t *s, lr_seq_ring ring, lr_method method, int64_t k, const void *c,
             const void *init, uint64_t m, lr_index_t start, int64_t count, void *out,
             void *work, int64_t *bad)
{
    memset(s, 0, sizeof *s);
    *bad = 0;
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    s->ring = ring;
    s->k = k;
    s->count = count;
    s->out = out;
    s->c = c;
    size_t wb = lr_work_bytes(method, k);
    if (wb == 0) {
        return LR_ERR_ORDER;
    }
    if (ring == LR_SEQ_MOD) {
        lr_status st = lr_seq_mod_init(&s->mod, k, (const uint64_t *)c, m,
                                       (uint64_t *)((char *)work + wb));
        if (st != LR_OK) {
            return st;
        }
    }
    lr_seq_single(s, count < k ? count : k);
    if (count <= 0 || init == NULL) {
        return LR_OK;
    }
    s->finished = 0;
    s->init = init;
    s->init0 = init;
    s->method = method;
    s->start = start;
    s->work = work;
    /* Split long outputs of short exact recurrences into interleaved segments.  Floats stay
     * one chain, so that every term is the plain stepping of the ones before it. */
    if (ring != LR_SEQ_F64 && k <= LR_SEQ_SPLIT_MAX_K && count >= LR_SEQ_SPLIT_MIN &&
        count >= 1024 * k * k) {
        s->nseg = LR_SEQ_MAX_SEGMENTS;
        s->len = count / LR_SEQ_MAX_SEGMENTS;
        for (int i = 0; i < LR_SEQ_MAX_SEGMENTS; i++) {
            s->seg[i] = i * s->len;
        }
        s->seg[LR_SEQ_MAX_SEGMENTS] = count;
        s->done = k;
    }
    return LR_OK;
}

/* Compute pending window terms for about `budget` multiply-adds (at least one term). */
static lr_status
lr_seq_windows(lr_seq_t *s, int64_t budget, int64_t *bad)
{
    /* one jump: about k^2 products per bit of the index */
    const int64_t cost = s->k * s->k * 64;
    int64_t spent = 0;
    while (s->init != NULL) {
        int i = s->wseg;
        int64_t n = s->seg[i + 1] - s->seg[i];
        if (s->wj >= (n < s->k ? n : s->k)) {
            if (++s->wseg >= s->nseg) {
                s->init = NULL;
            }
            s->wj = 0;
            continue;
        }
        if (spent > 0 && spent + cost > budget) {
            return LR_OK;
        }
        spent += cost;
        lr_index_t idx = lr_index_add(s->start, (uint64_t)s->seg[i]);
        if (s->ring == LR_SEQ_MOD && s->wj == 0 && !idx.neg) {
            /* the whole window of this segment from one power */
            int64_t w = n < s->k ? n : s->k;
            lr_seq_window_mod(s->k, (const uint64_t *)s->c, (const uint64_t *)s->init, idx.mag,
                              s->mod.m, w, (uint64_t *)s->out + s->seg[i], s->work);
            s->wj = w;
            continue;
        }
        lr_status st = lr_seq_window_term(s, s->seg[i] + s->wj, bad);
        s->wj++;
        if (st == LR_OK) {
            continue;
        }
        if (i > 0 && (st == LR_ERR_OVERFLOW || st == LR_ERR_UNCERTIFIED)) {
            /* a later segment starts beyond int64: step one chain from the front, which
             * finds the first term that does not fit exactly */
            lr_seq_single(s, s->k);
            s->init = NULL;
            return LR_OK;
        }
        return st;
    }
    return LR_OK;
}

/* Float64 stepping of out[from..to), checked (lr_f64_fill_checked in lr_float.c). */
static void
lr_seq_fill_f64_checked(lr_seq_t *s, double *a, int64_t from, int64_t to)
{
    lr_f64_fill_checked(s->k, (const double *)s->c, (const double *)s->init0, s->start, a,
                        from, to);
}

/* One phase of the work (windows, interleaved segments, or the last segment's tail). */
static lr_status
lr_seq_step_once(lr_seq_t *s, int64_t budget, int64_t *bad)
{
    if (s->init != NULL) {
        lr_status st = lr_seq_windows(s, budget, bad);
        if (st != LR_OK || s->init != NULL) {
            return st;
        }
    }
    /* the budget counts multiply-adds: k per term */
    budget = budget / s->k > 0 ? budget / s->k : 1;
    const int S = s->nseg;
    const int64_t lastlen = s->seg[S] - s->seg[S - 1];
    int64_t from = s->done, to;
    if (from < s->len) {
        /* all segments side by side */
        int64_t per = budget / S > 0 ? budget / S : 1;
        to = s->len - from > per ? from + per : s->len;
        if (s->ring == LR_SEQ_I64) {
            int64_t j;
            int seg = lr_i64_run_any(s->k, S, (const int64_t *)s->c, (int64_t *)s->out, s->seg,
                                     from, to, &j);
            if (seg == 0) {
                *bad = j;
                return LR_ERR_OVERFLOW;
            }
            if (seg > 0) {
                /* the first failure may lie in an earlier segment: continue one chain */
                lr_seq_single(s, j);
                return LR_OK;
            }
        }
        else if (s->ring == LR_SEQ_F64) {
            for (int i = 0; i < S; i++) {
                lr_seq_fill_f64_checked(s, (double *)s->out + s->seg[i], from, to);
            }
        }
        else {
            lr_mod_run_any(&s->mod, S, (uint64_t *)s->out, s->seg, from, to);
        }
    }
    else {
        /* the remainder of the last segment */
        to = lastlen - from > budget ? from + budget : lastlen;
        const int64_t *b = &s->seg[S - 1];
        if (s->ring == LR_SEQ_I64) {
            int64_t j;
            if (lr_i64_run_any(s->k, 1, (const int64_t *)s->c, (int64_t *)s->out, b, from, to,
                               &j) >= 0) {
                int64_t at = *b + j;
                if (s->verify) {
                    /* genuine only if this segment's window is */
                    lr_seq_confirm(s);
                    if (s->nseg == 1) {
                        return LR_OK;
                    }
                }
                *bad = at;
                return LR_ERR_OVERFLOW;
            }
        }
        else if (s->ring == LR_SEQ_F64) {
            lr_seq_fill_f64_checked(s, (double *)s->out + *b, from, to);
        }
        else {
            lr_mod_run_any(&s->mod, 1, (uint64_t *)s->out, b, from, to);
        }
    }
    s->done = to;
    if (to >= lastlen) {
        s->finished = 1;
        if (s->verify) {
            lr_seq_confirm(s);
        }
    }
    return LR_OK;
}

lr_status
lr_seq_step(lr_seq_t *s, int64_t budget, int64_t *bad)
{
    if (budget > 0) {
        return s->finished ? LR_OK : lr_seq_step_once(s, budget, bad);
    }
    lr_status st = LR_OK;
    while (st == LR_OK && !s->finished) {
        st = lr_seq_step_once(s, INT64_MAX, bad);
    }
    return st;
}
