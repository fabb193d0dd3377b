/*
 * Matrix powers A^n by binary powering (see lr_matpow.h), in four rings sharing one driver:
 * checked int64, double, residues mod m in the working (Montgomery for odd m) form, and
 * wrapping integers mod 2^64.  Elements are 8-byte words throughout, so the driver moves
 * uint64_t buffers and only the product knows the ring.
 *
 * int64 exactness: the checked path gives the answer whenever no intermediate overflows.
 * Otherwise the wrapped power mod 2^64 is the only int64 candidate per entry; it is the
 * answer iff the power agrees with it modulo enough primes that their product exceeds twice
 * a proven bound on the entries (lr_matpow_log2_bound), and one mismatch proves overflow.
 */
#include "lr_matpow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lr_blas.h"
#include "lr_modarith.h"
#include "lr_primality.h"
#include "lr_matinv.h"
#include "lr_matpow_f64.h"
#include "lr_polymod.h"

/* Exponents per matrix from which the Cayley-Hamilton plan pays for its set-up. */
#define LR_MP_CH_MIN_COUNT 8

#define LR_MP_BITS(e) (64 - __builtin_clzll(e)) /* bit length of e > 0 */

/* ---- products -------------------------------------------------------------------------- */

/* C = A B when no sum can overflow: wrapping uint64 arithmetic (no UB), which the compiler
 * unrolls for the constant small k of lr_mp_mul_i64_small. */
static inline __attribute__((always_inline)) void
lr_mp_mul_i64_unchecked(int64_t k, const int64_t *A, const int64_t *B, int64_t *C)
{
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = 0; j < k; j++) {
            uint64_t s = 0;
            for (int64_t l = 0; l < k; l++) {
                s += (uint64_t)A[i * k + l] * (uint64_t)B[l * k + j];
            }
            C[i * k + j] = (int64_t)s;
        }
    }
}

/* The kernel for a constant k (unrolled by the compiler) for the small k of 3x3 stacks. */
static void
lr_mp_mul_i64_small(int64_t k, const int64_t *A, const int64_t *B, int64_t *C)
{
#define LR_MP_CASE(K) \
    case K: \
        lr_mp_mul_i64_unchecked(K, A, B, C); \
        return;
    switch (k) {
        LR_MP_CASE(1)
        LR_MP_CASE(2)
        LR_MP_CASE(3)
        LR_MP_CASE(4)
        default:
            lr_mp_mul_i64_unchecked(k, A, B, C);
            return;
    }
#undef LR_MP_CASE
}

static uint64_t
lr_mp_maxabs_i64(size_t len, const int64_t *A)
{
    uint64_t mx = 0;
    for (size_t i = 0; i < len; i++) {
        uint64_t v = A[i] < 0 ? 0u - (uint64_t)A[i] : (uint64_t)A[i];
        mx = v > mx ? v : mx;
    }
    return mx;
}

/* C = A B over int64; returns nonzero when any product or sum overflowed (C is then junk).
 * When k max|A| max|B| < 2^62 nothing can overflow and the unchecked kernel runs; otherwise
 * row-times-row order (i, l, j) keeps the checked inner loop on contiguous rows. */
static int
lr_mp_mul_i64(int64_t k, const int64_t *A, const int64_t *B, int64_t *C)
{
    const size_t kk = (size_t)(k * k);
    if ((double)k * (double)lr_mp_maxabs_i64(kk, A) * (double)lr_mp_maxabs_i64(kk, B) <
        4611686018427387904.0) {
        lr_mp_mul_i64_small(k, A, B, C);
        return 0;
    }
    int ovf = 0;
    for (int64_t i = 0; i < k; i++) {
        int64_t *c = C + i * k;
        memset(c, 0, (size_t)k * sizeof *c);
        for (int64_t l = 0; l < k; l++) {
            const int64_t a = A[i * k + l], *b = B + l * k;
            if (a == 0) {
                continue;
            }
            for (int64_t j = 0; j < k; j++) {
                int64_t t;
                ovf |= __builtin_mul_overflow(a, b[j], &t);
                ovf |= __builtin_add_overflow(c[j], t, &c[j]);
            }
        }
    }
    return ovf;
}

static void
lr_mp_mul_w64(int64_t k, const uint64_t *A, const uint64_t *B, uint64_t *C)
{
    for (int64_t i = 0; i < k; i++) {
        uint64_t *c = C + i * k;
        memset(c, 0, (size_t)k * sizeof *c);
        for (int64_t l = 0; l < k; l++) {
            const uint64_t a = A[i * k + l], *b = B + l * k;
            for (int64_t j = 0; j < k; j++) {
                c[j] += a * b[j];
            }
        }
    }
}

/* C = A B mod m in working form: BLAS for large k, else one lazy sum per entry. */
static void
lr_mp_mul_mod(const lr_mod_t *x, int64_t k, const uint64_t *A, const uint64_t *B, uint64_t *C)
{
    if (x->m == 1) {
        memset(C, 0, (size_t)(k * k) * sizeof *C);
        return;
    }
    if (lr_blas_matmul_mod(k, A, B, C, x->m)) {
        if (x->odd) {
            /* the exact sum of Montgomery forms carries R^2: one reduction by R */
            for (int64_t i = 0; i < k * k; i++) {
                C[i] = lr_mont_mul(C[i], 1, x->m, x->minv);
            }
        }
        return;
    }
    if (lr_polymod_matmul(x, k, A, B, C)) {
        return; /* odd m, k >= 3: the tuned two-accumulator kernel */
    }
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = 0; j < k; j++) {
            lr_u128 acc = 0;
            uint64_t top = 0;
            for (int64_t l = 0; l < k; l++) {
                const lr_u128 t = (lr_u128)A[i * k + l] * B[l * k + j];
                acc += t;
                top += acc < t;
            }
            C[i * k + j] = lr_mp_finish(x, acc, top);
        }
    }
}

/* C = A B in the ring; returns nonzero on int64 overflow. */
static int
lr_mp_mul(lr_mp_ring ring, const lr_mod_t *x, int64_t k, const uint64_t *A, const uint64_t *B,
          uint64_t *C)
{
    switch (ring) {
        case LR_MP_I64:
            return lr_mp_mul_i64(k, (const int64_t *)A, (const int64_t *)B, (int64_t *)C);
        case LR_MP_F64:
            lr_matmul_f64(k, (const double *)A, (const double *)B, (double *)C);
            return 0;
        case LR_MP_MOD:
            lr_mp_mul_mod(x, k, A, B, C);
            return 0;
        default:
            lr_mp_mul_w64(k, A, B, C);
            return 0;
    }
}

static void
lr_mp_identity(lr_mp_ring ring, const lr_mod_t *x, int64_t k, uint64_t *C)
{
    uint64_t one = 1;
    if (ring == LR_MP_F64) {
        double d = 1.0;
        memcpy(&one, &d, sizeof one);
    }
    else if (ring == LR_MP_MOD) {
        one = x->one;
    }
    memset(C, 0, (size_t)(k * k) * sizeof *C);
    for (int64_t i = 0; i < k; i++) {
        C[i * k + i] = one;
    }
}

/* C = A B over int64 given bounds bA, bB on max|A|, max|B|; *bC receives one on max|C|.
 * The bounds spare the scans of lr_mp_mul_i64 while they stay below 2^62. */
static int
lr_mp_mul_i64_bounded(int64_t k, const int64_t *A, double bA, const int64_t *B, double bB,
                      int64_t *C, double *bC)
{
    const double lim = 4611686018427387904.0; /* 2^62 */
    if ((double)k * bA * bB < lim) {
        lr_mp_mul_i64_small(k, A, B, C);
        *bC = (double)k * bA * bB;
        return 0;
    }
    if (lr_mp_mul_i64(k, A, B, C)) {
        return 1;
    }
    *bC = (double)lr_mp_maxabs_i64((size_t)(k * k), C);
    return 0;
}

/* C = B^e (e >= 1) by right-to-left binary powering; x, t: scratch.  On int64 overflow
 * returns nonzero at once. */
static int
lr_mp_pow_plain(lr_mp_ring ring, const lr_mod_t *ctx, int64_t k, const uint64_t *B, uint64_t e,
                uint64_t *C, uint64_t *x, uint64_t *t)
{
    const size_t bytes = (size_t)(k * k) * sizeof *C;
    const int i64 = ring == LR_MP_I64;
    double bx = i64 ? (double)lr_mp_maxabs_i64((size_t)(k * k), (const int64_t *)B) : 0.0;
    double bc = 0.0, bt = 0.0;
    int have = 0;
    memcpy(x, B, bytes);
    for (;;) {
        if (e & 1) {
            if (!have) {
                memcpy(C, x, bytes);
                bc = bx;
                have = 1;
            }
            else {
                if (i64 ? lr_mp_mul_i64_bounded(k, (const int64_t *)C, bc, (const int64_t *)x, bx,
                                                (int64_t *)t, &bc)
                        : lr_mp_mul(ring, ctx, k, C, x, t)) {
                    return 1;
                }
                memcpy(C, t, bytes);
            }
        }
        e >>= 1;
        if (e == 0) {
            return 0;
        }
        if (i64 ? lr_mp_mul_i64_bounded(k, (const int64_t *)x, bx, (const int64_t *)x, bx,
                                        (int64_t *)t, &bt)
                : lr_mp_mul(ring, ctx, k, x, x, t)) {
            return 1;
        }
        bx = bt;
        uint64_t *s = x;
        x = t;
        t = s;
    }
}

/* C = B^e (e >= 1) from the table of squares, extending it as far as e needs.  Returns 1 on
 * int64 overflow (of a needed square or of a product), -1 when memory is short. */
static int
lr_mp_pow_table(lr_matpow_t *p, lr_mp_table *tb, uint64_t e, uint64_t *C)
{
    const int64_t k = p->k;
    const size_t kk = (size_t)(k * k), bytes = kk * sizeof *C;
    const int need = LR_MP_BITS(e);
    if (need > tb->ovf) {
        return 1;
    }
    if (need > tb->nsq) {
        uint64_t *sq = realloc(tb->sq, (size_t)need * bytes);
        if (sq == NULL) {
            return -1;
        }
        tb->sq = sq;
        if (tb->nsq == 0) {
            memcpy(sq, tb->base, bytes);
            tb->nsq = 1;
        }
        while (tb->nsq < need) {
            if (lr_mp_mul(p->ring, &p->ctx, k, sq + (tb->nsq - 1) * kk, sq + (tb->nsq - 1) * kk,
                          sq + tb->nsq * kk)) {
                tb->ovf = tb->nsq; /* this square and all above it do not fit */
                return 1;
            }
            tb->nsq++;
        }
    }
    int have = 0;
    for (int j = 0; j < need; j++) {
        if (!((e >> j) & 1u)) {
            continue;
        }
        if (!have) {
            memcpy(C, tb->sq + j * kk, bytes);
            have = 1;
        }
        else {
            if (lr_mp_mul(p->ring, &p->ctx, k, C, tb->sq + j * kk, p->t2)) {
                return 1;
            }
            memcpy(C, p->t2, bytes);
        }
    }
    return 0;
}

/* ---- int64: determinant +-1, bounds, certification ------------------------------------- */

double
lr_matpow_log2_bound(int64_t k, double log2_maxabs, double log2_rowsum, uint64_t e)
{
    /* ||B^e||_max <= ||B^(e-1)||_inf ||B||_max <= rowsum^(e-1) maxabs */
    (void)k;
    double bits = log2_maxabs + (double)(e - 1) * log2_rowsum;
    return bits * (1.0 + 1e-9) + 1.0;
}

/* log2 of Hadamard's bound prod_i max(1, ||row_i||_2): bounds |det A| and, for det = +-1,
 * every entry of A^-1 (a cofactor is a minor of k-1 truncated rows). */
static double
lr_mp_log2_hadamard(int64_t k, const int64_t *A)
{
    double s = 0.0;
    for (int64_t i = 0; i < k; i++) {
        double r = 0.0;
        for (int64_t j = 0; j < k; j++) {
            double v = (double)A[i * k + j];
            r += v * v;
        }
        s += r > 1.0 ? 0.5 * log2(r) : 0.0;
    }
    return s * (1.0 + 1e-9) + 1.0;
}

static void
lr_mp_log2_norms(int64_t k, const int64_t *A, double *log2_maxabs, double *log2_rowsum)
{
    double mx = 1.0, rs = 1.0;
    for (int64_t i = 0; i < k; i++) {
        double r = 0.0;
        for (int64_t j = 0; j < k; j++) {
            double v = fabs((double)A[i * k + j]);
            mx = v > mx ? v : mx;
            r += v;
        }
        rs = r > rs ? r : rs;
    }
    *log2_maxabs = log2(mx) * (1.0 + 1e-12);
    *log2_rowsum = log2(rs) * (1.0 + 1e-12);
}

/* The j-th certification prime (j < LR_CERT_MAX_PRIMES); prev: the (j-1)-th. */
static uint64_t
lr_mp_cert_prime(int j, uint64_t prev)
{
    if (j < LR_CERT_NPRIMES) {
        return lr_cert_primes[j];
    }
    do {
        prev -= 2;
    } while (!lr_is_prime_u64(prev));
    return prev;
}

/* Is det(A) = +-1 exactly?  Decided modulo primes whose product exceeds twice Hadamard's
 * bound: 0 yes, 1 no, 2 undecided (the bound needs more primes than the cap). */
static int
lr_mp_i64_det_unit(int64_t k, const int64_t *A, uint64_t *w)
{
    const double need = lr_mp_log2_hadamard(k, A) + 2.0;
    double have = 0.0;
    uint64_t q = 0;
    int sign = 0;
    for (int j = 0; j < LR_CERT_MAX_PRIMES; j++) {
        q = lr_mp_cert_prime(j, q);
        uint64_t d = lr_mp_det_mod_prime(k, A, q, w);
        int s = d == 1 ? 1 : (d == q - 1 ? -1 : 0);
        if (s == 0 || (sign != 0 && s != sign)) {
            return 1;
        }
        sign = s;
        have += 61.9; /* every prime used exceeds 2^61.9 */
        if (have > need) {
            return 0;
        }
    }
    return 2;
}

/* A^n exactly as int64 after the checked path overflowed (see the top of the file). */
static lr_status
lr_mp_certify(const lr_matpow_t *p, lr_index_t n, int64_t *out)
{
    const int64_t k = p->k;
    const size_t kk = (size_t)(k * k);
    const int64_t *A = (const int64_t *)p->a;
    uint64_t *buf = malloc(7 * kk * sizeof *buf);
    if (buf == NULL) {
        return LR_ERR_NOMEM;
    }
    uint64_t *W = buf, *cand = buf + kk, *x = buf + 2 * kk, *t = buf + 3 * kk;
    uint64_t *w = buf + 4 * kk, *M = buf + 5 * kk, *R = buf + 6 * kk;
    lr_status st = LR_ERR_UNCERTIFIED;
    double lmax, lrow;
    if (n.neg) {
        /* det = +-1 was proven before: A^-1 exists mod 2^64 and mod every prime */
        if (lr_mp_inverse_w64(k, p->a, W, w)) {
            st = LR_ERR_BACKWARDS;
            goto done;
        }
        lmax = lr_mp_log2_hadamard(k, A);
        lrow = lmax + log2((double)k);
    }
    else {
        memcpy(W, p->a, kk * sizeof *W);
        lr_mp_log2_norms(k, A, &lmax, &lrow);
    }
    lr_mp_pow_plain(LR_MP_W64, NULL, k, W, n.mag, cand, x, t);
    double need = lr_matpow_log2_bound(k, lmax, lrow, n.mag);
    need = (need > 63.0 ? need : 63.0) + 2.0;
    double have = 0.0;
    uint64_t q = 0;
    for (int j = 0; j < LR_CERT_MAX_PRIMES; j++) {
        q = lr_mp_cert_prime(j, q);
        lr_mod_t ctx;
        lr_mod_init(&ctx, q);
        for (size_t i = 0; i < kk; i++) {
            M[i] = lr_mod_reduce_i64(A[i], q);
        }
        if (n.neg) {
            if (lr_mp_inverse_mod(k, M, q, R, w)) {
                st = LR_ERR_BACKWARDS;
                goto done;
            }
            memcpy(M, R, kk * sizeof *M);
        }
        for (size_t i = 0; i < kk; i++) {
            M[i] = lr_mod_to(&ctx, M[i]);
        }
        lr_mp_pow_plain(LR_MP_MOD, &ctx, k, M, n.mag, R, x, t);
        for (size_t i = 0; i < kk; i++) {
            if (lr_mod_from(&ctx, R[i]) != lr_mod_reduce_i64((int64_t)cand[i], q)) {
                st = LR_ERR_OVERFLOW;
                goto done;
            }
        }
        have += 61.9;
        if (have > need) {
            memcpy(out, cand, kk * sizeof *out);
            st = LR_OK;
            goto done;
        }
    }
done:
    free(buf);
    return st;
}

/* ---- plans ------------------------------------------------------------------------------ */

size_t
lr_matpow_work_bytes(int64_t k)
{
    if (k < 1 || k > ((int64_t)1 << 24) || (size_t)(k * k) > SIZE_MAX / 8 / 8) {
        return 0;
    }
    return 5 * (size_t)(k * k) * sizeof(uint64_t);
}

lr_status
lr_matpow_init(lr_matpow_t *p, lr_mp_ring ring, int64_t k, const void *a, uint64_t m, int64_t count,
               void *work)
{
    memset(p, 0, sizeof *p);
    p->ring = ring;
    p->k = k;
    p->m = m;
    p->share = count > 1;
    p->count = count;
    p->pos.ovf = p->neg.ovf = 64;
    p->pos.exact = 1;
    /* 7 k^2 words in the largest buffer (certification): sizes below cannot wrap */
    if (k < 1 || k > ((int64_t)1 << 24)) {
        return LR_ERR_ORDER;
    }
    const size_t kk = (size_t)(k * k);
    if (kk > SIZE_MAX / 8 / 8) {
        return LR_ERR_ORDER;
    }
    if (ring == LR_MP_MOD) {
        if (m == 0) {
            return LR_ERR_MODULUS;
        }
        lr_mod_init(&p->ctx, m);
        /* Paterson-Stockmeyer needs a field (Hessenberg form) and pays off with BLAS */
        p->prime = k >= LR_BLAS_MIN_K && lr_have_blas() && (m & 1u) && lr_is_prime_u64(m);
    }
    p->own = work == NULL;
    p->a = p->own ? malloc(5 * kk * sizeof *p->a) : work;
    if (p->a == NULL) {
        return LR_ERR_NOMEM;
    }
    p->t0 = p->a + kk;
    p->t1 = p->a + 2 * kk;
    p->t2 = p->a + 3 * kk;
    memcpy(p->a, a, kk * sizeof *p->a);
    /* the powers start from A itself except in the working (Montgomery) form */
    p->pos.base = ring == LR_MP_MOD ? p->a + 4 * kk : p->a;
    if (ring == LR_MP_MOD) {
        for (size_t i = 0; i < kk; i++) {
            p->pos.base[i] = lr_mod_to(&p->ctx, p->a[i]);
        }
    }
    return LR_OK;
}

/* The inverse of the plan's matrix as the base of p->neg, once. */
static lr_status
lr_mp_prepare_inverse(lr_matpow_t *p)
{
    if (p->neg_state) {
        return p->neg_state == 1 ? LR_OK : LR_ERR_BACKWARDS;
    }
    const int64_t k = p->k;
    const size_t kk = (size_t)(k * k);
    uint64_t *inv = malloc(kk * sizeof *inv);
    if (inv == NULL) {
        return LR_ERR_NOMEM;
    }
    int fail = 0;
    p->neg.exact = 1;
    if (p->ring == LR_MP_F64) {
        fail = lr_mp_inverse_f64(k, (const double *)p->a, (double *)inv, (double *)p->t0);
    }
    else if (p->ring == LR_MP_MOD) {
        if (p->m == 1) {
            memset(inv, 0, kk * sizeof *inv);
        }
        else if (!(fail = lr_mp_inverse_mod(k, p->a, p->m, inv, p->t0))) {
            for (size_t i = 0; i < kk; i++) {
                inv[i] = lr_mod_to(&p->ctx, inv[i]);
            }
        }
    }
    else {
        int d = lr_mp_i64_det_unit(k, (const int64_t *)p->a, p->t0);
        if (d == 2) {
            free(inv);
            return LR_ERR_UNCERTIFIED;
        }
        fail = d || lr_mp_inverse_w64(k, p->a, inv, p->t0);
        /* the wrapped inverse is the true one iff A times it is I over the integers */
        if (!fail) {
            int64_t *c = (int64_t *)p->t1;
            int ok = !lr_mp_mul_i64(k, (const int64_t *)p->a, (const int64_t *)inv, c);
            for (size_t i = 0; ok && i < kk; i++) {
                ok = c[i] == (i % (size_t)(k + 1) == 0);
            }
            p->neg.exact = ok;
        }
    }
    if (fail) {
        free(inv);
        p->neg_state = 2;
        return LR_ERR_BACKWARDS;
    }
    p->neg.base = inv;
    p->neg_state = 1;
    return LR_OK;
}

/* Does the uint32 Cayley-Hamilton plan serve m?  Every 2 <= m < 2^32 could; odd m so large
 * that only one product fits a lazy sum run faster in the 64-bit Montgomery plan. */
static int
lr_mp_word_modulus(uint64_t m)
{
    if (m < 2 || m > UINT32_MAX) {
        return 0;
    }
    return !(m & 1u) || (lr_u128)(m - 1) * (m - 1) * 2 + m <= UINT64_MAX;
}

lr_status
lr_matpow_apply(lr_matpow_t *p, lr_index_t n, void *out_)
{
    uint64_t *out = out_;
    const int64_t k = p->k;
    const size_t kk = (size_t)(k * k);
    lr_mp_table *tb = &p->pos;
    if (n.mag == 0) {
        lr_mp_identity(p->ring, &p->ctx, k, out);
    }
    else {
        if (n.neg) {
            lr_status st = lr_mp_prepare_inverse(p);
            if (st != LR_OK) {
                if (p->ring == LR_MP_F64) {
                    /* as numpy.linalg.inv inside a gufunc: NaN, reported as invalid */
                    double nan = NAN;
                    for (size_t i = 0; i < kk; i++) {
                        memcpy(&out[i], &nan, sizeof nan);
                    }
                }
                return st;
            }
            tb = &p->neg;
        }
        if (!n.neg && p->ring == LR_MP_MOD && lr_mp_word_modulus(p->m) && k <= LR_MP_CH_MAX_K &&
            p->count >= LR_MP_CH_MIN_COUNT) {
            /* many exponents, word-size m: Cayley-Hamilton in lazy 64-bit sums */
            if (p->cs == NULL) {
                p->cs = malloc(sizeof *p->cs);
                if (p->cs == NULL || lr_mp_cs_init(p->cs, k, p->a, p->m, p->count) != LR_OK) {
                    return LR_ERR_NOMEM;
                }
            }
            lr_mp_cs_apply(p->cs, n.mag, out);
            return LR_OK;
        }
        int r = 1;
        if (!n.neg && p->ring == LR_MP_MOD && p->ctx.odd && k >= LR_POLYMOD_MIN_K &&
            k <= LR_MP_CH_MAX_K && p->count >= LR_MP_CH_MIN_COUNT) {
            /* many exponents: Cayley-Hamilton, O(k^3) per exponent instead of O(k^3 log n) */
            if (p->ch == NULL) {
                p->ch = malloc(sizeof *p->ch);
                if (p->ch == NULL ||
                    lr_mp_ch_init(p->ch, &p->ctx, k, p->pos.base, p->count) != LR_OK) {
                    return LR_ERR_NOMEM;
                }
            }
            lr_mp_ch_apply(p->ch, &p->ctx, n.mag, out);
            r = 0;
            tb = NULL;
        }
        if (tb != NULL && p->prime && k >= LR_BLAS_MIN_K &&
            2 * (int)sqrt((double)k) + 8 < LR_MP_BITS(n.mag) + __builtin_popcountll(n.mag)) {
            /* one large exponent mod a prime: ~2 sqrt(k) products instead of ~1.5 log2 n */
            if (lr_mp_ps_pow(&p->ctx, k, tb->base, n.mag, out, lr_mp_mul_mod) < 0) {
                return LR_ERR_NOMEM;
            }
            r = 0;
            tb = NULL;
        }
        if (tb != NULL && tb->exact) {
            if (p->share) {
                r = lr_mp_pow_table(p, tb, n.mag, out);
            }
            else if (p->ring == LR_MP_F64) {
                /* every product is a dgemm: the plan with the fewest products */
                r = lr_matpow_f64_pow(k, (const double *)tb->base, n.mag, (double *)out,
                                      (double *)p->t0); /* t0, t1, t2 */
            }
            else {
                r = lr_mp_pow_plain(p->ring, &p->ctx, k, tb->base, n.mag, out, p->t0, p->t1);
            }
            if (r < 0) {
                return LR_ERR_NOMEM;
            }
        }
        if (r) {
            return lr_mp_certify(p, n, (int64_t *)out);
        }
    }
    if (p->ring == LR_MP_MOD && p->ctx.odd) {
        for (size_t i = 0; i < kk; i++) {
            out[i] = lr_mod_from(&p->ctx, out[i]);
        }
    }
    return LR_OK;
}

int
lr_matpow_i64_quick(int64_t k, const int64_t *a, uint64_t e, int64_t *out, void *work)
{
    uint64_t *x = work, *t = x + (size_t)(k * k);
    if (e == 0) {
        lr_mp_identity(LR_MP_I64, NULL, k, (uint64_t *)out);
        return 0;
    }
    return lr_mp_pow_plain(LR_MP_I64, NULL, k, (const uint64_t *)a, e, (uint64_t *)out, x, t);
}

void
lr_matpow_prefetch(const lr_matpow_t *p, lr_index_t n)
{
    if (p->cs != NULL && !n.neg && n.mag != 0) {
        lr_mp_cs_prefetch(p->cs, n.mag);
    }
}

void
lr_matpow_free(lr_matpow_t *p)
{
    if (p->own) {
        free(p->a);
    }
    free(p->pos.sq);
    free(p->neg.base);
    free(p->neg.sq);
    if (p->ch != NULL) {
        lr_mp_ch_free(p->ch);
        free(p->ch);
    }
    if (p->cs != NULL) {
        lr_mp_cs_free(p->cs);
        free(p->cs);
    }
    memset(p, 0, sizeof *p);
}
