/*
 * Multi-prime number-theoretic transforms and Garner's CRT (see lr_ntt.h).
 *
 * The transform primes are the three largest primes below 2^62 of the form c 2^32 + 1
 * (2-adic valuations 33, 34, 37): they are close enough to each other that a residue modulo
 * one is below twice any other, which keeps Garner's steps to single conditional subtractions.
 */
#include "lr_ntt.h"

#include "lr_modarith.h"
#include "lr_primality.h"

static const uint64_t lr_ntt_primes[LR_NTT_MAX_PRIMES] = {
    4611685941117976577u, /* 0x3fffffee00000001, 2^33 | p - 1 */
    4611685692009873409u, /* 0x3fffffb400000001, 2^34 | p - 1 */
    4611685606110527489u, /* 0x3fffffa000000001, 2^37 | p - 1 */
};

/* Longest transform the CRT primes all support. */
#define LR_NTT_MAX_N ((size_t)1 << 33)

size_t
lr_ntt_plan_elems(size_t N)
{
    return LR_NTT_MAX_PRIMES * 5 * N; /* tw, tws, itw, itws: N each; odd, odds: N/2 each */
}

static uint64_t
lr_powmod_plain(uint64_t b, uint64_t e, uint64_t p)
{
    uint64_t r = 1 % p;
    b %= p;
    while (e) {
        if (e & 1u) {
            r = (uint64_t)(((lr_u128)r * b) % p);
        }
        b = (uint64_t)(((lr_u128)b * b) % p);
        e >>= 1;
    }
    return r;
}

static inline uint64_t
lr_shoup_quot(uint64_t w, uint64_t p)
{
    return (uint64_t)(((lr_u128)w << 64) / p);
}

/* Modular inverse of a unit modulo the prime p (Fermat; set-up only). */
static uint64_t
lr_inv_prime(uint64_t a, uint64_t p)
{
    return lr_powmod_plain(a, p - 2, p);
}

int
lr_ntt_prime_count(uint64_t m, uint64_t terms, size_t N, int *direct)
{
    *direct = 0;
    if (m < 2 || N < 4 || N > LR_NTT_MAX_N || terms == 0) {
        return 0;
    }
    if ((m & 1u) && m > 2 && m < ((uint64_t)1 << 62) && (m - 1) % N == 0 && lr_is_prime_u64(m)) {
        *direct = 1;
        return 1;
    }
    const lr_u128 sq = (lr_u128)(m - 1) * (m - 1);
    const uint64_t *p = lr_ntt_primes;
    if (sq <= (lr_u128)((p[0] - 1) / 2) / terms) {
        return 1;
    }
    if (sq <= ((lr_u128)((p[1] - 1) / 2) * p[0]) / terms) {
        return 2;
    }
    /* (p2 - 1)/2 p0 p1 > 2^184 while sq < 2^128 */
    return terms <= ((uint64_t)1 << 50) ? 3 : 0;
}

/* Twiddles stage by stage from the last (all powers w^0 .. w^(N/2 - 1)). */
static void
lr_ntt_twiddles(uint64_t p, uint64_t w, size_t N, uint64_t *tw, uint64_t *tws)
{
    uint64_t *last = tw + N / 2;
    const uint64_t ws = lr_shoup_quot(w, p);
    last[0] = 1;
    for (size_t j = 1; j < N / 2; j++) {
        uint64_t v = lr_shoup_mul(last[j - 1], w, ws, p);
        last[j] = v >= p ? v - p : v;
    }
    for (size_t len = N / 4; len >= 1; len >>= 1) {
        for (size_t j = 0; j < len; j++) {
            tw[len + j] = tw[2 * len + 2 * j];
        }
    }
    tw[0] = 1;
    for (size_t j = 0; j < N; j++) {
        tws[j] = lr_shoup_quot(tw[j], p);
    }
}

static void
lr_ntt_prime_init(lr_ntt_prime *q, uint64_t p, size_t N, uint64_t *work)
{
    q->p = p;
    uint64_t inv = p;
    for (int i = 0; i < 6; i++) {
        inv *= 2 - p * inv;
    }
    q->pinv = inv;
    /* a primitive N-th root: z^((p-1)/N) has order N when its N/2-th power is -1 */
    uint64_t w = 1;
    for (uint64_t z = 2; z < p; z++) {
        w = lr_powmod_plain(z, (p - 1) / N, p);
        if (lr_powmod_plain(w, N / 2, p) == p - 1) {
            break;
        }
    }
    q->tw = work;
    q->tws = work + N;
    q->itw = work + 2 * N;
    q->itws = work + 3 * N;
    q->odd = work + 4 * N;
    q->odds = work + 4 * N + N / 2;
    lr_ntt_twiddles(p, w, N, q->tw, q->tws);
    lr_ntt_twiddles(p, lr_inv_prime(w, p), N, q->itw, q->itws);
    /* odd[s] = w^-rev(s), rev over log2(N/2) bits; itw's last stage holds w^-j in order */
    size_t bits = 0;
    while (((size_t)1 << bits) < N / 2) {
        bits++;
    }
    for (size_t s = 0; s < N / 2; s++) {
        size_t r = 0;
        for (size_t b = 0; b < bits; b++) {
            r |= ((s >> b) & 1u) << (bits - 1 - b);
        }
        q->odd[s] = q->itw[N / 2 + r];
        q->odds[s] = q->itws[N / 2 + r];
    }
}

int
lr_ntt_plan_init(lr_ntt_plan *pl, uint64_t m, uint64_t terms, size_t N, uint64_t *work)
{
    int direct;
    const int count = lr_ntt_prime_count(m, terms, N, &direct);
    if (count == 0) {
        return 0;
    }
    pl->N = N;
    pl->count = count;
    pl->direct = direct;
    pl->m = m;
    lr_mod_init(&pl->mctx, m);
    for (int j = 0; j < count; j++) {
        lr_ntt_prime_init(&pl->pr[j], direct ? m : lr_ntt_primes[j], N, work + 5 * N * j);
    }
    if (direct) {
        return 1;
    }
    /* Garner constants: g[j] = (p0 .. p_{j-1})^-1 mod p_j; pm[j] = p0 mod p_j (j = 2) */
    const uint64_t *p = lr_ntt_primes;
    for (int j = 1; j < count; j++) {
        uint64_t prod = 1;
        for (int i = 0; i < j; i++) {
            prod = (uint64_t)(((lr_u128)prod * (p[i] % p[j])) % p[j]);
        }
        pl->g[j] = lr_inv_prime(prod, p[j]);
        pl->gs[j] = lr_shoup_quot(pl->g[j], p[j]);
        pl->pm[j] = p[0] % p[j];
        pl->pms[j] = lr_shoup_quot(pl->pm[j], p[j]);
    }
    /* acc[i] = p0 .. p_{i-1} mod m; acc[count] = -(p0 .. p_{count-1}) mod m */
    uint64_t acc[LR_NTT_MAX_PRIMES + 1];
    acc[0] = 1 % m;
    for (int i = 1; i <= count; i++) {
        acc[i] = (uint64_t)(((lr_u128)acc[i - 1] * (p[i - 1] % m)) % m);
    }
    acc[count] = acc[count] == 0 ? 0 : m - acc[count];
    for (int i = 0; i <= count; i++) {
        /* odd m: Montgomery form, so that one REDC of the sum lands on the plain residue */
        pl->acc[i] = pl->mctx.odd ? (uint64_t)(((lr_u128)acc[i] << 64) % m) : acc[i];
    }
    pl->half = (p[count - 1] - 1) / 2;
    return 1;
}

/* src < 2^64 < 4p + 2p: two conditional steps reach [0, 2p) */
static inline uint64_t
lr_ntt_reduce_in(uint64_t v, uint64_t p2)
{
    v -= v >= p2 ? p2 : 0;
    return v - (v >= p2 ? p2 : 0);
}

/* The DIF stages from len0 down (len0 = n/2: the whole transform). */
static void
lr_ntt_forward_stages(const lr_ntt_prime *q, uint64_t *a, size_t n, size_t len0)
{
    const uint64_t p = q->p, p2 = 2 * p;
    for (size_t len = len0; len >= 2; len >>= 1) {
        const uint64_t *t = q->tw + len, *ts = q->tws + len;
        for (size_t s = 0; s < n; s += 2 * len) {
            uint64_t *lo = a + s, *hi = a + s + len;
            for (size_t j = 0; j < len; j++) {
                const uint64_t u = lo[j], v = hi[j];
                const uint64_t x = u + v;
                lo[j] = x >= p2 ? x - p2 : x;
                hi[j] = lr_shoup_mul(u - v + p2, t[j], ts[j], p);
            }
        }
    }
    for (size_t s = 0; s < n; s += 2) { /* len 1: the twiddle is 1 */
        const uint64_t u = a[s], v = a[s + 1];
        const uint64_t x = u + v, y = u - v + p2;
        a[s] = x >= p2 ? x - p2 : x;
        a[s + 1] = y >= p2 ? y - p2 : y;
    }
}

void
lr_ntt_load_forward(const lr_ntt_prime *q, const uint64_t *src, size_t len, uint64_t *dst, size_t N)
{
    /* the first stage, fused with the load: the upper half of the input is zero (but for
     * src[N/2] when len = N/2 + 1), so it is lo = u, hi = u w^j */
    const uint64_t p = q->p, p2 = 2 * p;
    const size_t h = N / 2;
    const uint64_t *t = q->tw + h, *ts = q->tws + h;
    const size_t lo_len = len < h ? len : h;
    for (size_t j = 0; j < lo_len; j++) {
        const uint64_t u = lr_ntt_reduce_in(src[j], p2);
        dst[j] = u;
        dst[h + j] = lr_shoup_mul(u, t[j], ts[j], p);
    }
    for (size_t j = lo_len; j < h; j++) {
        dst[j] = 0;
        dst[h + j] = 0;
    }
    for (size_t j = h; j < len; j++) { /* at most src[N/2] (t[0] = 1) */
        const uint64_t v = lr_ntt_reduce_in(src[j], p2), u = dst[j - h];
        const uint64_t x = u + v, y = u - v + p2;
        dst[j - h] = x >= p2 ? x - p2 : x;
        dst[j] = y >= p2 ? y - p2 : y;
    }
    lr_ntt_forward_stages(q, dst, N, N / 4);
}

void
lr_ntt_inverse(const lr_ntt_prime *q, uint64_t *a, size_t n)
{
    const uint64_t p = q->p, p2 = 2 * p;
    for (size_t s = 0; s < n; s += 2) { /* len 1 */
        uint64_t u = a[s], v = a[s + 1];
        u -= u >= p2 ? p2 : 0;
        v -= v >= p2 ? p2 : 0;
        a[s] = u + v;
        a[s + 1] = u - v + p2;
    }
    for (size_t len = 2; len < n; len <<= 1) {
        const uint64_t *t = q->itw + len, *ts = q->itws + len;
        for (size_t s = 0; s < n; s += 2 * len) {
            uint64_t *lo = a + s, *hi = a + s + len;
            for (size_t j = 0; j < len; j++) {
                uint64_t u = lo[j];
                u -= u >= p2 ? p2 : 0;
                const uint64_t v = lr_shoup_mul(hi[j], t[j], ts[j], p);
                lo[j] = u + v;
                hi[j] = u - v + p2;
            }
        }
    }
}

void
lr_ntt_scale(const lr_ntt_prime *q, size_t n, uint64_t *s, uint64_t *ss)
{
    const uint64_t p = q->p;
    const uint64_t r = (uint64_t)((((lr_u128)1) << 64) % p);
    *s = (uint64_t)(((lr_u128)r * lr_inv_prime(n % p, p)) % p);
    *ss = lr_shoup_quot(*s, p);
}

/* x in [0, 2p) -> [0, p) */
static inline uint64_t
lr_ntt_fold(uint64_t x, uint64_t p)
{
    return x >= p ? x - p : x;
}

void
lr_ntt_crt(const lr_ntt_plan *pl, uint64_t *const *in, const uint64_t *s, const uint64_t *ss,
           size_t len, uint64_t *out)
{
    const uint64_t *p = lr_ntt_primes;
    const uint64_t m = pl->m;
    if (pl->direct) {
        const uint64_t q = pl->pr[0].p;
        for (size_t i = 0; i < len; i++) {
            out[i] = lr_ntt_fold(lr_shoup_mul(in[0][i], s[0], ss[0], q), q);
        }
        return;
    }
    const int c = pl->count;
    const uint64_t *acc = pl->acc;
    for (size_t i = 0; i < len; i++) {
        uint64_t x[LR_NTT_MAX_PRIMES] = {0, 0, 0};
        x[0] = lr_ntt_fold(lr_shoup_mul(in[0][i], s[0], ss[0], p[0]), p[0]);
        if (c >= 2) {
            /* x1 = (r1 - x0) / p0 mod p1; x0 < p0 < 2 p1 */
            const uint64_t r1 = lr_ntt_fold(lr_shoup_mul(in[1][i], s[1], ss[1], p[1]), p[1]);
            const uint64_t x01 = lr_ntt_fold(x[0], p[1]);
            x[1] = lr_ntt_fold(lr_shoup_mul(r1 + p[1] - x01, pl->g[1], pl->gs[1], p[1]), p[1]);
        }
        if (c == 3) {
            /* x2 = (r2 - x0 - x1 p0) / (p0 p1) mod p2 */
            const uint64_t r2 = lr_ntt_fold(lr_shoup_mul(in[2][i], s[2], ss[2], p[2]), p[2]);
            uint64_t t = lr_ntt_fold(lr_shoup_mul(x[1], pl->pm[2], pl->pms[2], p[2]), p[2]);
            t += lr_ntt_fold(x[0], p[2]);
            t = lr_ntt_fold(t, p[2]);
            x[2] = lr_ntt_fold(lr_shoup_mul(r2 + p[2] - t, pl->g[2], pl->gs[2], p[2]), p[2]);
        }
        /* the integer sum x_i p0..p_{i-1} is in [0, M): above M/2 it stands for a negative */
        const uint64_t neg = x[c - 1] > pl->half;
        lr_u128 sum = (lr_u128)x[0] * acc[0];
        for (int j = 1; j < c; j++) {
            sum += (lr_u128)x[j] * acc[j];
        }
        sum += neg ? acc[c] : 0;
        /* below 3 2^62 m + m < 2^64 m: one REDC (odd m) or one remainder */
        out[i] = pl->mctx.odd ? lr_mont_redc(sum, m, pl->mctx.minv) : (uint64_t)(sum % m);
    }
}
