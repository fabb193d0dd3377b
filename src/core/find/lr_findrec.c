/*
 * find_recurrence: Berlekamp-Massey modulo primes and exact multi-modular reconstruction.
 *
 * Exact path: BM modulo two primes p0, p1 just below 2^62 (lr_cert_primes), Chinese
 * remaindering of each coefficient into [0, p0 p1), rational reconstruction n/d with |n|, d
 * below 2^61, a common denominator, and an exact check of den * s[i+L] == sum(num * s) modulo
 * as many primes as the magnitude bound needs.  Anything out of reach (big coefficients,
 * primes that disagree) reports LR_ERR_UNCERTIFIED and the Python layer takes over.
 */
#include "lr_findrec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lr_berlekamp.h"
#include "lr_modarith.h"

/* log2 of the smallest lr_cert_primes entry, rounded down: each prime adds this many bits. */
#define LR_CERT_PRIME_BITS 61.9
/* Rational reconstruction bound: |n| and d at most 2^61, so 2 |n| d < p0 p1 (~2^124). */
#define LR_RR_BOUND ((lr_u128)1 << 61)

int64_t
lr_findrec_bm(const uint64_t *s, int64_t len, uint64_t p, uint64_t *c, uint64_t *work)
{
    if ((p & 1u) == 0) {
        return lr_bm_mod(s, len, p, c, work); /* p == 2: no Montgomery form */
    }
    lr_mod_t x;
    lr_mod_init(&x, p);
    const uint64_t m = x.m, minv = x.minv;
    size_t n1 = (size_t)len + 1;
    /* connection polynomials C (cur) and B (prev) in Montgomery form; tmp a copy of C */
    uint64_t *cur = work, *prev = work + n1, *tmp = work + 2 * n1;
    memset(cur, 0, n1 * sizeof *cur);
    memset(prev, 0, n1 * sizeof *prev);
    cur[0] = prev[0] = x.one;
    /*
     * The discrepancy is a dot product of Montgomery C with plain terms: sum the 128-bit
     * products and reduce once per block (REDC needs the sum below p 2^64: 2^64 / p products,
     * a whole row for p < 2^32), instead of a dependent modular add after every product.
     */
    const uint64_t fit = UINT64_MAX / m; /* products per block: fit (p-1)^2 < p 2^64 */
    const int64_t block = fit > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fit;
    /* deg C <= L and deg B <= lb: the loops stop there (the rest is zero) */
    int64_t L = 0, lb = 0, shift = 1;
    uint64_t bm = x.one; /* the discrepancy when B was current, Montgomery */

    /* p < 2^32 (998244353, 10^9+7, ...): products fit 64 bits, so runs of `chunk` of them
     * sum in two independent 64-bit accumulators (no 128-bit carries on the critical path);
     * every run's sum then joins the 128-bit total, which one REDC takes since
     * (len + 1) p < 2^64 there */
    const uint64_t chunk = m < ((uint64_t)1 << 32) ? UINT64_MAX / ((m - 1) * (m - 1) | 1) : 0;

    for (int64_t i = 0; i < len; i++) {
        uint64_t d = 0;
        lr_u128 acc = 0;
        if (chunk >= 2 && (uint64_t)len < ((uint64_t)1 << 31)) {
            for (int64_t j = 0; j <= L;) { /* C(0) is no longer 1: j = 0 counts */
                const int64_t run = (uint64_t)(L + 1 - j) < chunk ? L + 1 - j : (int64_t)chunk;
                const int64_t end = j + run;
                uint64_t a0 = 0, a1 = 0;
                for (; j + 1 < end; j += 2) {
                    a0 += cur[j] * s[i - j];
                    a1 += cur[j + 1] * s[i - j - 1];
                }
                if (j < end) {
                    a0 += cur[j] * s[i - j];
                    j++;
                }
                acc += (lr_u128)a0 + a1;
            }
        }
        else {
            int64_t inblock = 0;
            for (int64_t j = 0; j <= L; j++) { /* C(0) is no longer 1: j = 0 counts */
                acc += (lr_u128)cur[j] * s[i - j];
                if (++inblock == block) {
                    d = lr_mod_add(&x, d, lr_mont_redc(acc, m, minv));
                    acc = 0;
                    inblock = 0;
                }
            }
        }
        /* cur is scaled by C(0) != 1 (below): d is the scaled discrepancy, zero iff zero */
        d = lr_mod_add(&x, d, lr_mont_redc(acc, m, minv));
        if (d == 0) {
            shift++;
            continue;
        }
        /*
         * Inversion-free update C <- b C - d x^shift B: both have discrepancy b d at step i.
         * One inverse at the end instead of one per length change (each a ~45-product chain).
         */
        uint64_t dm = lr_mont_mul(d, x.r2, m, minv);
        int grow = 2 * L <= i;
        /* b C on [0, L], minus d B on [shift, shift + lb] (B's buffer is stale beyond lb):
         * [0, shift) and (hi, L] scale only.  Every loop also saves the old C into tmp, which
         * becomes B when the length grows (cheaper than a memcpy call per step). */
        int64_t hi = lb + shift < len ? lb + shift : len;
        const int64_t lo = shift;
        for (int64_t t = 0; t < lo && t <= L; t++) {
            tmp[t] = cur[t];
            cur[t] = lr_mont_mul(bm, cur[t], m, minv);
        }
        if (m < ((uint64_t)1 << 31)) {
            /* b C[t] + (-d) B[t-shift] < 2 m^2 < 2^63: the sum fits 64 bits, whose REDC has no
             * high word */
            const uint64_t ndm = m - dm;
            for (int64_t t = lo; t <= hi; t++) {
                tmp[t] = cur[t];
                const uint64_t v = bm * cur[t] + ndm * prev[t - shift];
                const uint64_t h = (uint64_t)(((lr_u128)(v * minv) * m) >> 64);
                cur[t] = h == 0 ? 0 : m - h;
            }
        }
        else if (m < ((uint64_t)1 << 63)) {
            /* b C[t] + (-d) B[t-shift] < 2 m^2 < m 2^64: one REDC for both products */
            const uint64_t ndm = m - dm;
            for (int64_t t = lo; t <= hi; t++) {
                tmp[t] = cur[t];
                lr_u128 v = (lr_u128)bm * cur[t] + (lr_u128)ndm * prev[t - shift];
                cur[t] = lr_mont_redc(v, m, minv);
            }
        }
        else {
            for (int64_t t = lo; t <= hi; t++) {
                tmp[t] = cur[t];
                cur[t] = lr_mod_sub(&x, lr_mont_mul(bm, cur[t], m, minv),
                                    lr_mont_mul(dm, prev[t - shift], m, minv));
            }
        }
        for (int64_t t = hi + 1 > lo ? hi + 1 : lo; t <= L; t++) {
            tmp[t] = cur[t];
            cur[t] = lr_mont_mul(bm, cur[t], m, minv);
        }
        if (grow) {
            uint64_t *tp = prev;
            prev = tmp;
            tmp = tp;
            lb = L;
            L = i + 1 - L;
            bm = dm;
            shift = 1;
        }
        else {
            shift++;
        }
    }
    /* s[i] = -sum_{j>=1} (C_j / C_0) s[i-j]: c[L-j] = -C_j / C_0 */
    uint64_t c0inv = lr_mont_pow(&x, cur[0], p - 2);
    for (int64_t j = 1; j <= L; j++) {
        c[L - j] = lr_mod_from(&x, lr_mod_neg(&x, lr_mont_mul(cur[j], c0inv, m, minv)));
    }
    return L;
}

lr_status
lr_findrec_mod_rows(const void *s, int is_signed, int64_t rows, int64_t len, uint64_t p,
                    int64_t *orders, uint64_t *coefs)
{
    if (len < 0 || (uint64_t)len > SIZE_MAX / 64) {
        return LR_ERR_NOMEM;
    }
    uint64_t *buf = malloc((LR_FINDREC_BM_WORK(len) + (size_t)len + 1) * sizeof *buf);
    if (buf == NULL) {
        return LR_ERR_NOMEM;
    }
    uint64_t *row = buf + LR_FINDREC_BM_WORK(len);
    for (int64_t r = 0; r < rows; r++) {
        if (is_signed) {
            const int64_t *src = (const int64_t *)s + r * len;
            for (int64_t i = 0; i < len; i++) { /* residues already: no division */
                row[i] = src[i] >= 0 && (uint64_t)src[i] < p ? (uint64_t)src[i]
                                                             : lr_mod_reduce_i64(src[i], p);
            }
        }
        else {
            const uint64_t *src = (const uint64_t *)s + r * len;
            for (int64_t i = 0; i < len; i++) {
                row[i] = src[i] < p ? src[i] : src[i] % p;
            }
        }
        orders[r] = lr_findrec_bm(row, len, p, coefs + r * len, buf);
    }
    free(buf);
    return LR_OK;
}

/* ---- exact path -------------------------------------------------------------------------- */

size_t
lr_findrec_work_bytes(int64_t len, int64_t nres)
{
    if (len < 0 || nres < 0 || (uint64_t)len > SIZE_MAX / 64 || nres > LR_CERT_NPRIMES) {
        return 0;
    }
    /* two coefficient vectors, the BM workspace, the reduced numerators */
    return (3 * (size_t)len + LR_FINDREC_BM_WORK(len) + 1) * sizeof(uint64_t);
}

size_t
lr_findrec_i64_work_bytes(int64_t len)
{
    size_t base = lr_findrec_work_bytes(len, LR_FINDREC_I64_NRES);
    if (base == 0) {
        return 0;
    }
    return base + (size_t)len * LR_FINDREC_I64_NRES * sizeof(uint64_t);
}

static lr_u128
lr_gcd_u128(lr_u128 a, lr_u128 b)
{
    while (b != 0) {
        lr_u128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/*
 * The fraction n/d with |n| <= LR_RR_BOUND, 0 < d <= LR_RR_BOUND and n == x d (mod M), by
 * the half-extended Euclidean algorithm (unique when it exists since 2 B^2 < M).
 * Returns 0 when there is none.
 */
static int
lr_rational_reconstruct(lr_u128 x, lr_u128 M, __int128 *n, __int128 *d)
{
    lr_u128 r0 = M, r1 = x;
    __int128 t0 = 0, t1 = 1;
    while (r1 > LR_RR_BOUND) {
        lr_u128 q = r0 / r1, r2 = r0 - q * r1;
        __int128 t2 = t0 - (__int128)q * t1;
        r0 = r1;
        r1 = r2;
        t0 = t1;
        t1 = t2;
    }
    __int128 num = (__int128)r1, den = t1;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    if (den == 0 || (lr_u128)den > LR_RR_BOUND || lr_gcd_u128(r1, (lr_u128)den) != 1) {
        return 0;
    }
    *n = num;
    *d = den;
    return 1;
}

/* den * s[i+L] == sum(num[j] * s[i+j]) modulo p for every i, s the residues modulo p. */
static int
lr_identity_holds_mod(const uint64_t *s, int64_t len, int64_t L, const int64_t *num, int64_t den,
                      uint64_t p, uint64_t *numm)
{
    lr_mod_t x;
    lr_mod_init(&x, p);
    /* Montgomery forms times plain residues give plain products */
    for (int64_t j = 0; j < L; j++) {
        numm[j] = lr_mod_to(&x, lr_mod_reduce_i64(num[j], p));
    }
    uint64_t denm = lr_mod_to(&x, lr_mod_reduce_i64(den, p));
    for (int64_t i = 0; i + L < len; i++) {
        uint64_t acc = 0;
        for (int64_t j = 0; j < L; j++) {
            acc = lr_mod_add(&x, acc, lr_mont_mul(numm[j], s[i + j], x.m, x.minv));
        }
        if (acc != lr_mont_mul(denm, s[i + L], x.m, x.minv)) {
            return 0;
        }
    }
    return 1;
}

lr_status
lr_findrec_exact(const lr_findrec_in *in, int64_t *order, int64_t *num, int64_t *den, void *work)
{
    const int64_t len = in->len;
    if (in->nres < 2) {
        return LR_ERR_UNCERTIFIED;
    }
    const uint64_t p0 = lr_cert_primes[0], p1 = lr_cert_primes[1];
    uint64_t *c0 = work, *c1 = c0 + len, *numm = c1 + len, *bmw = numm + len;
    int64_t L = lr_findrec_bm(in->res, len, p0, c0, bmw);
    if (lr_findrec_bm(in->res + len, len, p1, c1, bmw) != L) {
        return LR_ERR_UNCERTIFIED; /* one of the primes is unlucky: general path */
    }
    /* CRT: x = c0 + p0 * ((c1 - c0) / p0 mod p1), in [0, p0 p1) */
    uint64_t p0inv = 0;
    lr_mod_inverse_plain(p0 % p1, p1, &p0inv);
    const lr_u128 M = (lr_u128)p0 * p1;
    lr_u128 D = 1;
    for (int64_t j = 0; j < L; j++) {
        uint64_t diff = c1[j] >= c0[j] % p1 ? c1[j] - c0[j] % p1 : c1[j] + p1 - c0[j] % p1;
        uint64_t t = lr_u128_mod((lr_u128)diff * p0inv, p1);
        lr_u128 xj = (lr_u128)c0[j] + (lr_u128)p0 * t;
        __int128 n, d;
        if (!lr_rational_reconstruct(xj, M, &n, &d)) {
            return LR_ERR_UNCERTIFIED;
        }
        /* numerators first, scaled to the common denominator below */
        lr_u128 g = lr_gcd_u128(D, (lr_u128)d);
        D = D / g * (lr_u128)d;
        if (D > ((lr_u128)1 << 62)) {
            return LR_ERR_UNCERTIFIED;
        }
        /* keep n/d in c0/c1 as int64 bit patterns until D is known */
        c0[j] = (uint64_t)(int64_t)n;
        c1[j] = (uint64_t)(int64_t)d;
    }
    double abs_sum = (double)D;
    for (int64_t j = 0; j < L; j++) {
        __int128 scaled = (__int128)(int64_t)c0[j] * (__int128)(D / (lr_u128)(int64_t)c1[j]);
        if (scaled > INT64_MAX || scaled < -INT64_MAX) {
            return LR_ERR_UNCERTIFIED;
        }
        num[j] = (int64_t)scaled;
        abs_sum += fabs((double)num[j]);
    }
    /* |den s[i+L] - sum num s| < 2^bound: primes whose product exceeds that prove it is 0 */
    double bound = in->term_bits + log2(abs_sum) + 1.0;
    int64_t need = (int64_t)ceil(bound / LR_CERT_PRIME_BITS);
    if (need < 1) {
        need = 1;
    }
    if (need > in->nres) {
        return LR_ERR_UNCERTIFIED;
    }
    for (int64_t k = 0; k < need; k++) {
        if (!lr_identity_holds_mod(in->res + k * len, len, L, num, (int64_t)D, lr_cert_primes[k],
                                   numm)) {
            return LR_ERR_UNCERTIFIED;
        }
    }
    *order = L;
    *den = (int64_t)D;
    return LR_OK;
}

lr_status
lr_findrec_exact_i64(const int64_t *s, int64_t len, int64_t *order, int64_t *num, int64_t *den,
                     void *work)
{
    uint64_t *res = (uint64_t *)((char *)work + lr_findrec_work_bytes(len, LR_FINDREC_I64_NRES));
    for (int64_t k = 0; k < LR_FINDREC_I64_NRES; k++) {
        uint64_t p = lr_cert_primes[k];
        for (int64_t i = 0; i < len; i++) {
            res[k * len + i] = lr_mod_reduce_i64(s[i], p);
        }
    }
    lr_findrec_in in = {res, LR_FINDREC_I64_NRES, len, 64.0};
    return lr_findrec_exact(&in, order, num, den, work);
}
