/*
 * Consecutive terms of a linear recurrence, the range kernels (see lr_sequence.h): step an
 * existing window forward, pure arithmetic, no jumps -- the leaf that lr_sequence.c (the
 * driver), lr_float.c and the iterator build on.
 *
 * The stepping kernels are written once as always-inline functions of (K, S) -- order and
 * number of interleaved segments -- and dispatched with constant arguments, so that the
 * compiler emits a straight-line loop for every short recurrence.
 */
#include "lr_sequence.h"
#include "lr_polymod.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define LR_SEQ_HAVE_BLOCK 1
#else
#define LR_SEQ_HAVE_BLOCK 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define LR_INLINE static inline __attribute__((always_inline))
#define LR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LR_INLINE static inline
#define LR_UNLIKELY(x) (x)
#endif

/* Orders whose kernels keep coefficients and window in registers. */
#define LR_SEQ_SMALL_K 4
/* Above this order a modulus too large for one reduction per term sums all products in 192
 * bits (two reductions) rather than reducing group by group. */
#define LR_SEQ_WIDE_K 2

/* CALL(K) with K a constant for the short orders (whose kernels keep coefficients and window
 * in registers), else with k itself: the one dispatch of every kernel on its order. */
/* clang-format off */
#define LR_BY_ORDER(k, CALL) \
    switch (k) { \
        case 1: CALL(1); break; \
        case 2: CALL(2); break; \
        case 3: CALL(3); break; \
        case 4: CALL(4); break; \
        default: CALL(k); break; \
    }
/* clang-format on */

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
        __int128 p = (__int128)c[i] * a[i]; /* |p| <= 2^126 */
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

int
lr_seq_next_i64(int64_t k, const int64_t *c, const int64_t *a, int64_t *out)
{
    return lr_i64_next(k, c, a, out);
}

/*
 * Step S segments (bases base[0..S)) over relative positions [from, to).  Returns the
 * segment that overflowed (its position in *bad) or -1.  For short recurrences the
 * coefficients and the last K terms of every segment live in local arrays that the compiler
 * keeps in registers: reading the previous term back from the output would put a
 * store-to-load round trip into every dependency chain.
 */
LR_INLINE int
lr_i64_run(int64_t K, int S, const int64_t *cin, int64_t *a, const int64_t *base, int64_t from,
           int64_t to, int64_t *bad)
{
    if (from >= to) {
        return -1; /* nothing to do (and the window before `from` may not exist) */
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
    int64_t j = from;
    /* While every window term lies in [-H, H), H the largest power of two with
     * H sum |c[i]| <= 2^63 - 1, no sum can overflow: the products are summed unchecked and
     * only the new terms are tested, by OR-ing v + H (which has no bit above 2H - 1 exactly
     * when v is in range) -- two instructions instead of 2K overflow checks.  The first term
     * out of range hands over to the checked loop. */
    uint64_t D = 0;
    for (int64_t i = 0; i < K; i++) {
        uint64_t ci = c[i] < 0 ? 0u - (uint64_t)c[i] : (uint64_t)c[i];
        D = ci > UINT64_MAX - D ? UINT64_MAX : D + ci;
    }
    uint64_t H = (uint64_t)1 << 62, bits = 0;
    while (H > 1 && H > (uint64_t)INT64_MAX / (D > 0 ? D : 1)) {
        H >>= 1;
    }
    const uint64_t out_of_range = ~(2 * H - 1);
    if (H > (uint64_t)INT64_MAX / (D > 0 ? D : 1)) {
        bits = out_of_range; /* no H fits (sum |c[i]| > 2^63 - 1, e.g. c = INT64_MIN): checked */
    }
    for (int s = 0; s < S; s++) {
        for (int64_t i = 0; i < K; i++) {
            bits |= (uint64_t)w[s][i] + H;
        }
    }
    while (!(bits & out_of_range) && j < to) {
        for (int s = 0; s < S; s++) {
            uint64_t acc = 0;
            for (int64_t i = 0; i < K; i++) {
                /* cin, not the local copy: the compiler reloads it (the output might
                 * alias it), and multiplying from memory leaves the registers to the
                 * windows (fewer spills: 12.5 -> 11.5 ms for 10^7 terms, k = 3) */
                acc += (uint64_t)cin[i] * (uint64_t)w[s][i];
            }
            int64_t v = (int64_t)acc; /* exact: |sum| <= D H */
            p[s][j] = v;
            for (int64_t i = 0; i + 1 < K; i++) {
                w[s][i] = w[s][i + 1];
            }
            w[s][K - 1] = v;
            bits |= acc + H;
        }
        j++;
    }
    for (; j < to; j++) {
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

int
lr_i64_run_any(int64_t k, int S, const int64_t *c, int64_t *a, const int64_t *base, int64_t from,
               int64_t to, int64_t *bad)
{
    int r = -1;
    if (S == LR_SEQ_MAX_SEGMENTS) {
#define LR_I64_ALL(K) r = lr_i64_run(K, LR_SEQ_MAX_SEGMENTS, c, a, base, from, to, bad)
        LR_BY_ORDER(k, LR_I64_ALL);
        return r;
    }
    for (int s = 0; s < S && r < 0; s++) {
#define LR_I64_ONE(K) r = lr_i64_run(K, 1, c, a, base + s, from, to, bad)
        LR_BY_ORDER(k, LR_I64_ONE);
        r = r < 0 ? -1 : s;
    }
    return r;
}

lr_status
lr_seq_fill_i64(int64_t k, const int64_t *c, int64_t *a, int64_t from, int64_t to, int64_t *bad)
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
#define LR_F64_RUN(K) lr_f64_run(K, c, a, from, to)
    LR_BY_ORDER(k, LR_F64_RUN);
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

/* min(t, t - d) for d > 0 is t - d when t >= d, else t (t - d wraps above t): a
 * conditional subtraction in three instructions (mov, sub, cmov). */
LR_INLINE uint64_t
lr_min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
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
    lr_u128 r = x - q * m; /* in [0, 2m) */
    return (uint64_t)r - (m & (0u - (uint64_t)(r >= m)));
}

/* The reduction parameters, copied into locals so that stores to the output cannot alias
 * them (otherwise every term would reload them). */
typedef struct {
    uint64_t m, minv, mask;
    lr_u128 mu;
    int64_t group;
    uint64_t r1, r2, mu64, bias;
} lr_modp;

/* sum cw[i] a[i] mod m for reduction kind KIND (a constant after inlining). */
LR_INLINE uint64_t
lr_mod_next(int KIND, int64_t K, lr_modp x, const uint64_t *cw, const uint64_t *a)
{
    if (KIND == LR_SEQ_MOD_ONES) {
        /* K terms below m: the sum is below K m <= 4m */
        uint64_t t = a[0];
        for (int64_t i = 1; i < K; i++) {
            t += a[i];
        }
        if (K > 2) {
            t = lr_min_u64(t, t - (x.m << 1));
        }
        return lr_min_u64(t, t - x.m);
    }
    if (KIND == LR_SEQ_MOD_SMALL2 || KIND == LR_SEQ_MOD_SMALL4 || KIND == LR_SEQ_MOD_NARROW) {
        /* signed small coefficients: the wrapping sum is the exact value in [0, D m] */
        uint64_t t = x.bias;
        for (int64_t i = 0; i < K; i++) {
            t += cw[i] * a[i];
        }
        if (KIND == LR_SEQ_MOD_NARROW) {
            /* the quotient estimate is at most one short: t in [0, 2m) after */
            t -= (uint64_t)(((lr_u128)t * x.mu64) >> 64) * x.m;
        }
        else if (KIND == LR_SEQ_MOD_SMALL4) {
            uint64_t m2 = x.m << 1;
            t = lr_min_u64(t, t - m2);
        }
        return lr_min_u64(t, t - x.m);
    }
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
                uint64_t v =
                    KIND == LR_SEQ_MOD_MONT ? lr_redc(t, x.m, x.minv) : lr_barrett(t, x.m, x.mu);
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
        return lr_addmod(lr_barrett(t, x.m, x.mu), lr_barrett((lr_u128)h * x.r2, x.m, x.mu), x.m);
    }
    /* POW2 */
    uint64_t r = 0;
    for (int64_t i = 0; i < K; i++) {
        r += cw[i] * a[i];
    }
    return r & x.mask;
}

LR_INLINE void
lr_mod_run(int KIND, int64_t K, int S, const lr_seq_mod_t *xin, uint64_t *a, const int64_t *base,
           int64_t from, int64_t to)
{
    if (from >= to) {
        return;
    }
    const lr_modp x = {xin->m,  xin->minv, xin->mask, xin->mu,  xin->group,
                       xin->r1, xin->r2,   xin->mu64, xin->bias};
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

#if LR_SEQ_HAVE_BLOCK
/*
 * Blocked stepping for odd m < 2^31, k m < 2^32: every term of a block of B is its own dot
 * product with the k terms before the block, so two lanes of SSE2 compute two terms at a
 * time and no term waits for the one before.  Each lane sums K products of 32-bit numbers
 * (below K m^2 < m 2^32) and takes one Montgomery reduction by 2^32 (the table holds the
 * coefficients times 2^32 mod m), leaving u in [0, 2m); u - m is negative exactly when its
 * high half is all ones, which selects the correction.  Returns the first position not done.
 */
LR_INLINE int64_t
lr_mod_block_run(int64_t K, const lr_seq_mod_t *x, uint64_t *a, int64_t from, int64_t to)
{
    const int64_t B = LR_SEQ_BLOCK;
    const uint64_t *bt = x->bt;
    const __m128i vm = _mm_set1_epi64x((long long)x->m);
    const __m128i vi = _mm_set1_epi64x((long long)x->minv32);
    __m128i w[LR_SEQ_BLOCK_MAX_K];
    int64_t n = from;
    for (; to - n >= B; n += B) {
        for (int64_t i = 0; i < K; i++) {
            w[i] = _mm_set1_epi64x((long long)a[n - K + i]);
        }
        uint64_t *o = a + n;
        for (int64_t j = 0; j < B; j += 2) {
            __m128i t = _mm_mul_epu32(_mm_loadu_si128((const __m128i *)(bt + j)), w[0]);
            for (int64_t i = 1; i < K; i++) {
                __m128i ci = _mm_loadu_si128((const __m128i *)(bt + i * B + j));
                t = _mm_add_epi64(t, _mm_mul_epu32(ci, w[i]));
            }
            __m128i q = _mm_mul_epu32(t, vi);
            __m128i u = _mm_srli_epi64(_mm_add_epi64(t, _mm_mul_epu32(q, vm)), 32);
            __m128i r = _mm_sub_epi64(u, vm);
            r = _mm_add_epi64(r, _mm_and_si128(vm, _mm_srli_epi64(r, 32)));
            _mm_storeu_si128((__m128i *)(o + j), r);
        }
    }
    return n;
}

static int64_t
lr_mod_block_any(const lr_seq_mod_t *x, uint64_t *a, int64_t from, int64_t to)
{
    int64_t n = from;
#define LR_MOD_BLOCK(K) n = lr_mod_block_run(K, x, a, from, to)
    LR_BY_ORDER(x->k, LR_MOD_BLOCK);
    return n;
}
#endif

/* lr_mod_run for reduction KIND and S segments (constants after inlining), every order. */
LR_INLINE void
lr_mod_run_k(int KIND, int S, const lr_seq_mod_t *x, uint64_t *a, const int64_t *base, int64_t from,
             int64_t to)
{
#define LR_MOD_RUN(K) lr_mod_run(KIND, K, S, x, a, base, from, to)
    LR_BY_ORDER(x->k, LR_MOD_RUN);
}

/* The same for the kind of x. */
LR_INLINE void
lr_mod_run_kinds(int S, const lr_seq_mod_t *x, uint64_t *a, const int64_t *base, int64_t from,
                 int64_t to)
{
#define LR_MOD_KIND(KIND) \
    case KIND: \
        lr_mod_run_k(KIND, S, x, a, base, from, to); \
        break;
    switch (x->kind) {
        LR_MOD_KIND(LR_SEQ_MOD_LAZY)
        LR_MOD_KIND(LR_SEQ_MOD_MONT)
        LR_MOD_KIND(LR_SEQ_MOD_POW2)
        LR_MOD_KIND(LR_SEQ_MOD_BARRETT)
        LR_MOD_KIND(LR_SEQ_MOD_MONT_WIDE)
        LR_MOD_KIND(LR_SEQ_MOD_BARRETT_WIDE)
        LR_MOD_KIND(LR_SEQ_MOD_SMALL2)
        LR_MOD_KIND(LR_SEQ_MOD_SMALL4)
        LR_MOD_KIND(LR_SEQ_MOD_NARROW)
        LR_MOD_KIND(LR_SEQ_MOD_ONES)
        default:
            break;
    }
}

void
lr_mod_run_any(const lr_seq_mod_t *x, int S, uint64_t *a, const int64_t *base, int64_t from,
               int64_t to)
{
    if (x->kind == LR_SEQ_MOD_ONE) {
        for (int s = 0; s < S; s++) {
            for (int64_t j = from; j < to; j++) {
                a[base[s] + j] = 0;
            }
        }
        return;
    }
    if (S == LR_SEQ_MAX_SEGMENTS) {
        lr_mod_run_kinds(LR_SEQ_MAX_SEGMENTS, x, a, base, from, to);
        return;
    }
#if LR_SEQ_HAVE_BLOCK
    if (S == 1 && x->bt != NULL) {
        from = lr_mod_block_any(x, a + base[0], from, to); /* whole blocks; the rest below */
    }
#endif
    for (int s = 0; s < S; s++) {
        lr_mod_run_kinds(1, x, a, base + s, from, to);
    }
}

/*
 * Switch to a SMALL or NARROW kind when the coefficients, taken as signed d[i] in
 * (-m/2, m/2], have D = sum |d[i]| with D m < 2^64: then sum d[i] a[i] + bias (bias = m
 * times the sum of the negative |d[i]|) lies in [0, D m] and is exact in wrapping 64-bit
 * arithmetic, one product per coefficient without a 128-bit half (Fibonacci mod any
 * m <= 2^63; any coefficients mod m < 2^31 for k <= 4).
 */
static void
lr_seq_mod_small(lr_seq_mod_t *x, int64_t k, const uint64_t *c, uint64_t m, uint64_t *cw)
{
    const uint64_t dmax = UINT64_MAX / m; /* D m <= 2^64 - 1 */
    uint64_t D = 0, neg = 0;
    for (int64_t i = 0; i < k; i++) {
        uint64_t ci = c[i] % m;
        uint64_t mag = ci <= m / 2 ? ci : m - ci;
        if (mag > dmax - D) {
            return;
        }
        D += mag;
        neg += ci <= m / 2 ? 0 : mag;
    }
    for (int64_t i = 0; i < k; i++) {
        uint64_t ci = c[i] % m;
        cw[i] = ci <= m / 2 ? ci : ci - m; /* two's complement of a negative d[i] */
    }
    x->bias = neg * m;
    x->mu64 = UINT64_MAX / m;
    /* the sum lies in [N, D m - P] (P, N: sums of the positive, negative |d[i]|): it
     * reaches D m itself when every coefficient is negative and the window zero */
    uint64_t span = D + (neg == D && D > 0);
    x->kind = span <= 2 ? LR_SEQ_MOD_SMALL2 : (span <= 4 ? LR_SEQ_MOD_SMALL4 : LR_SEQ_MOD_NARROW);
    if (D == (uint64_t)k && neg == 0 && k <= LR_SEQ_SMALL_K) {
        /* D = k with k nonzero coefficients of at most 1: all ones, no products at all */
        int ones = 1;
        for (int64_t i = 0; i < k; i++) {
            ones &= cw[i] == 1;
        }
        x->kind = ones ? LR_SEQ_MOD_ONES : x->kind;
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
        x->r2 = (uint64_t)((~(lr_u128)0 % m + 1) % m); /* 2^128 mod m */
        if (x->kind == LR_SEQ_MOD_BARRETT && x->group < k && k > LR_SEQ_WIDE_K) {
            x->kind = LR_SEQ_MOD_BARRETT_WIDE;
        }
        for (int64_t i = 0; i < k; i++) {
            cw[i] = c[i] % m;
        }
    }
    if (x->kind != LR_SEQ_MOD_ONE && x->kind != LR_SEQ_MOD_POW2) {
        lr_seq_mod_small(x, k, c, m, cw);
    }
    return LR_OK;
}

int
lr_seq_mod_block(lr_seq_mod_t *x, const uint64_t *c, uint64_t *tab)
{
    const uint64_t m = x->m;
    const int64_t k = x->k, B = LR_SEQ_BLOCK;
    if (!LR_SEQ_HAVE_BLOCK || !(m & 1u) || m < 3 || m >= ((uint64_t)1 << 31) ||
        k > LR_SEQ_BLOCK_MAX_K || (uint64_t)k * m >= ((uint64_t)1 << 32)) {
        return 0;
    }
    /* v = x^(k+j) mod the characteristic polynomial, a[n+k+j] = sum v[i] a[n+i]
     * (x^(t+1) = x x^t: a shift, plus the top coefficient times c), times 2^32 mod m */
    uint64_t v[LR_SEQ_BLOCK_MAX_K];
    for (int64_t i = 0; i < k; i++) {
        v[i] = ((c[i] % m) << 32) % m; /* c < 2^31 */
    }
    for (int64_t j = 0; j < B; j++) {
        uint64_t top = v[k - 1];
        for (int64_t i = k - 1; i >= 0; i--) {
            tab[i * B + j] = v[i];
            v[i] = ((i > 0 ? v[i - 1] : 0) + top * (c[i] % m)) % m;
        }
    }
    uint32_t inv = (uint32_t)m; /* m^-1 mod 2^32 by Newton, 3 -> 48 correct bits */
    for (int i = 0; i < 4; i++) {
        inv *= 2u - (uint32_t)m * inv;
    }
    x->minv32 = (uint32_t)(0u - inv);
    x->bt = tab;
    return 1;
}

void
lr_seq_fill_mod(const lr_seq_mod_t *x, uint64_t *a, int64_t from, int64_t to)
{
    const int64_t base = 0;
    lr_mod_run_any(x, 1, a, &base, from, to);
}
