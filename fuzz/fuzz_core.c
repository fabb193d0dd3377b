/*
 * libFuzzer target for the plain-C core (src/core): every entry point of lr_core.h fed with
 * recurrences, indices and moduli decoded from the fuzzer's bytes, built with
 * -fsanitize=fuzzer,address,undefined so that any out-of-bounds access, leak or undefined
 * behaviour aborts the run.  Beyond "does not crash", each input is checked for consistency:
 *
 *   - the methods (auto, matrix, poly) agree on int64 and modular results;
 *   - residues lie in [0, m);
 *   - int64 results agree with plain stepping modulo 2^64 and modulo four large primes
 *     (written here, independently of the core, for |n| <= LR_FZ_STEP_MAX), and an
 *     OverflowError is claimed only when some residue shows that no int64 can be the value;
 *   - modular results agree with plain stepping mod m for small |n|;
 *   - k+1 consecutive terms from the batch engine satisfy the recurrence, and every batch
 *     result equals the single-term result for its index;
 *   - the sequence driver (lr_seq_begin/step, stepped in small budgets) writes the single-term
 *     values and stops at the first int64 term that does not fit;
 *   - Lucas U_n, V_n (int64 and mod m) equal the general term of their order-2 recurrence,
 *     and the 64-bit primality test agrees with a Miller-Rabin written here.
 *
 * A failed check calls abort(), which libFuzzer reports with the input that caused it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lr_classic.h"
#include "lr_core.h"
#include "lr_sequence.h"

#define LR_FZ_KMAX 24
#define LR_FZ_STEP_MAX 600
#define LR_FZ_BATCH_MAX 160

typedef unsigned __int128 u128;

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz_core: check failed at line %d: %s\n  ", __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fprintf(stderr, "\n"); \
            abort(); \
        } \
    } while (0)

/* ---- byte reader ------------------------------------------------------------------------ */

typedef struct {
    const uint8_t *p;
    size_t left;
} reader;

static uint8_t
rd_u8(reader *r)
{
    if (r->left == 0) {
        return 0;
    }
    r->left--;
    return *r->p++;
}

static uint64_t
rd_bytes(reader *r, int len)
{
    uint64_t v = 0;
    for (int i = 0; i < len; i++) {
        v |= (uint64_t)rd_u8(r) << (8 * i);
    }
    return v;
}

/* A signed value whose size the fuzzer picks: a tag byte, then 0..8 bytes, sign-extended,
 * or one of the edge values. */
static int64_t
rd_i64(reader *r)
{
    uint8_t tag = rd_u8(r);
    switch (tag >> 4) {
        case 0xF:
            return INT64_MIN;
        case 0xE:
            return INT64_MAX;
        case 0xD:
            return (tag & 1) ? -1 : 1;
        default: {
            int len = tag & 7;
            if (len == 0) {
                return (int64_t)(tag >> 3) - 8; /* small values -8..21 without extra bytes */
            }
            uint64_t v = rd_bytes(r, len);
            if (len < 8 && (v >> (8 * len - 1)) & 1) {
                v |= ~(uint64_t)0 << (8 * len); /* sign-extend */
            }
            return (int64_t)v;
        }
    }
}

static uint64_t
rd_u64(reader *r)
{
    uint8_t tag = rd_u8(r);
    if ((tag >> 4) == 0xF) {
        return UINT64_MAX - (tag & 3);
    }
    int len = tag & 7;
    if (len == 0) {
        return tag >> 3;
    }
    return rd_bytes(r, len == 7 ? 8 : len);
}

/* ---- independent reference: plain stepping --------------------------------------------- */

static uint64_t
mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((u128)a * b) % m);
}

static uint64_t
addmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((u128)a + b) % m);
}

static uint64_t
red_i64(int64_t v, uint64_t m)
{
    if (v >= 0) {
        return (uint64_t)v % m;
    }
    uint64_t r = (0u - (uint64_t)v) % m;
    return r ? m - r : 0;
}

/* inverse of a mod m by the extended Euclidean algorithm; 0 when gcd != 1 (m > 1). */
static int
invmod(uint64_t a, uint64_t m, uint64_t *inv)
{
    /* signed 128-bit coefficients keep it simple */
    __int128 r0 = m, r1 = a % m, s0 = 0, s1 = 1;
    while (r1 != 0) {
        __int128 q = r0 / r1, t;
        t = r0 - q * r1;
        r0 = r1;
        r1 = t;
        t = s0 - q * s1;
        s0 = s1;
        s1 = t;
    }
    if (r0 != 1) {
        return 0;
    }
    __int128 v = s0 % (__int128)m;
    if (v < 0) {
        v += m;
    }
    *inv = (uint64_t)v;
    return 1;
}

/*
 * a[n] mod m (m == 0 means mod 2^64, wrapping) by stepping |n| times; c, init reduced here.
 * Returns 0 when n < 0 and c[0] is not invertible in the ring.
 */
static int
ref_step(int64_t k, const int64_t *c, const int64_t *init, int64_t n, uint64_t m, uint64_t *res)
{
    uint64_t cc[LR_FZ_KMAX], a[LR_FZ_KMAX];
    for (int64_t i = 0; i < k; i++) {
        cc[i] = m ? red_i64(c[i], m) : (uint64_t)c[i];
        a[i] = m ? red_i64(init[i], m) : (uint64_t)init[i];
    }
    if (m == 1) {
        *res = 0;
        return 1;
    }
    if (n >= 0) {
        for (int64_t j = k; j <= n; j++) {
            uint64_t s = 0;
            for (int64_t i = 0; i < k; i++) {
                s = m ? addmod(s, mulmod(cc[i], a[i], m), m) : s + cc[i] * a[i];
            }
            memmove(a, a + 1, (size_t)(k - 1) * sizeof a[0]);
            a[k - 1] = s;
        }
        *res = n < k ? a[n] : a[k - 1];
        return 1;
    }
    /* backwards: a[j] = (a[j+k] - sum_{i>=1} c[i] a[j+i]) / c[0] */
    uint64_t inv0;
    if (m) {
        if (!invmod(cc[0], m, &inv0)) {
            return 0;
        }
    }
    else {
        if (c[0] != 1 && c[0] != -1) {
            return 0; /* over the integers (the int64 reference) only +-1 */
        }
        inv0 = cc[0];
    }
    for (int64_t j = -1; j >= n; j--) {
        uint64_t s = a[k - 1];
        for (int64_t i = 1; i < k; i++) {
            uint64_t p = m ? mulmod(cc[i], a[i - 1], m) : cc[i] * a[i - 1];
            s = m ? addmod(s, m - p, m) : s - p;
        }
        s = m ? mulmod(s, inv0, m) : s * inv0;
        memmove(a + 1, a, (size_t)(k - 1) * sizeof a[0]);
        a[0] = s;
    }
    *res = a[0];
    return 1;
}

static const uint64_t ref_primes[4] = {
    4611686018427387847ull,
    4611686018427387817ull,
    4611686018427387787ull,
    4611686018427387733ull,
};

/* ---- helpers around the core -------------------------------------------------------- */

/* The workspace of one lr_term_* call (the harness's k always has one). */
static void *
work_for(lr_method meth, int64_t k)
{
    size_t wb = lr_work_bytes(meth, k);
    CHECK(wb > 0, "k=%lld", (long long)k);
    void *w = malloc(wb);
    CHECK(w != NULL, "malloc");
    return w;
}

static lr_status
one_i64(lr_method meth, int64_t k, const int64_t *c, const int64_t *init, lr_index_t n,
        int64_t *out)
{
    void *w = work_for(meth, k);
    lr_status st = lr_term_i64(meth, k, c, init, n, out, w);
    free(w);
    return st;
}

static lr_status
one_mod(lr_method meth, int64_t k, const uint64_t *c, const uint64_t *init, lr_index_t n,
        uint64_t m, uint64_t *out)
{
    void *w = work_for(meth, k);
    lr_status st = lr_term_mod(meth, k, c, init, n, m, out, w);
    free(w);
    return st;
}

static lr_status
one_f64(lr_method meth, int64_t k, const double *c, const double *init, lr_index_t n, double *out)
{
    void *w = work_for(meth, k);
    lr_status st = lr_term_f64(meth, k, c, init, n, out, w);
    free(w);
    return st;
}

static int
valid_status(lr_status st)
{
    return st == LR_OK || st == LR_ERR_OVERFLOW || st == LR_ERR_UNCERTIFIED ||
           st == LR_ERR_BACKWARDS || st == LR_ERR_NOMEM;
}

static int64_t
index_as_small(lr_index_t n, int *ok)
{
    *ok = n.mag <= LR_FZ_STEP_MAX;
    if (!*ok) {
        return 0;
    }
    return n.neg ? -(int64_t)n.mag : (int64_t)n.mag;
}

/* Is v (a claimed int64 value, or "does not fit" when fits == 0) consistent with stepping
 * modulo 2^64 and four primes?  Only for small |n| and recurrences that can be stepped. */
static void
check_i64_against_steps(int64_t k, const int64_t *c, const int64_t *init, lr_index_t n,
                        lr_status st, int64_t v)
{
    int small;
    int64_t ns = index_as_small(n, &small);
    if (!small) {
        return;
    }
    uint64_t w;
    if (!ref_step(k, c, init, ns, 0, &w)) {
        CHECK(st == LR_ERR_BACKWARDS, "n=%lld st=%d: expected BACKWARDS", (long long)ns, st);
        return;
    }
    int agree = 1; /* do the residues say the value is the int64 (int64_t)w? */
    for (int j = 0; j < 4; j++) {
        uint64_t r;
        ref_step(k, c, init, ns, ref_primes[j], &r);
        if (r != red_i64((int64_t)w, ref_primes[j])) {
            agree = 0;
        }
    }
    if (st == LR_OK) {
        CHECK(agree && v == (int64_t)w, "n=%lld: int64 result %lld, stepping says %lld (%d)",
              (long long)ns, (long long)v, (long long)(int64_t)w, agree);
    }
    else if (st == LR_ERR_OVERFLOW) {
        CHECK(!agree, "n=%lld: OVERFLOW claimed but the value looks like int64 %lld", (long long)ns,
              (long long)(int64_t)w);
    }
    else {
        CHECK(st == LR_ERR_UNCERTIFIED, "n=%lld: unexpected status %d", (long long)ns, st);
    }
}

/* ---- the three rings ---------------------------------------------------------------- */

static lr_index_t
rd_index(reader *r)
{
    uint8_t how = rd_u8(r);
    lr_index_t n;
    switch (how & 3) {
        case 0: /* small, often in the stepping range */
            n = lr_index_from_i64((int64_t)(int16_t)rd_bytes(r, 2) % (LR_FZ_STEP_MAX + 1));
            break;
        case 1:
            n = lr_index_from_i64(rd_i64(r));
            break;
        case 2:
            n = lr_index_from_u64(rd_u64(r));
            break;
        default:
            n = lr_index_from_i64((int64_t)(int8_t)rd_u8(r));
            break;
    }
    return n;
}

static void
fuzz_i64(reader *r, int64_t k, const int64_t *c, const int64_t *init)
{
    lr_index_t n = rd_index(r);
    int64_t v[LR_METHOD_COUNT] = {0};
    lr_status st[LR_METHOD_COUNT];
    for (int meth = 0; meth < LR_METHOD_COUNT; meth++) {
        st[meth] = one_i64((lr_method)meth, k, c, init, n, &v[meth]);
        CHECK(valid_status(st[meth]) && st[meth] != LR_ERR_NOMEM, "status %d", st[meth]);
        check_i64_against_steps(k, c, init, n, st[meth], v[meth]);
    }
    for (int meth = 1; meth < LR_METHOD_COUNT; meth++) {
        /* OK and OVERFLOW are facts about a[n]: two methods may not disagree on them */
        if ((st[0] == LR_OK || st[0] == LR_ERR_OVERFLOW) &&
            (st[meth] == LR_OK || st[meth] == LR_ERR_OVERFLOW)) {
            CHECK(st[0] == st[meth], "method %d status %d vs auto %d", meth, st[meth], st[0]);
        }
        if (st[0] == LR_OK && st[meth] == LR_OK) {
            CHECK(v[0] == v[meth], "method %d: %lld vs auto %lld", meth, (long long)v[meth],
                  (long long)v[0]);
        }
        CHECK((st[0] == LR_ERR_BACKWARDS) == (st[meth] == LR_ERR_BACKWARDS), "backwards");
    }
    if (st[0] == LR_OK) {
        /* the value agrees with the modular entry point for a large prime */
        uint64_t p = ref_primes[rd_u8(r) & 3], cp[LR_FZ_KMAX], ip[LR_FZ_KMAX], res;
        for (int64_t i = 0; i < k; i++) {
            cp[i] = red_i64(c[i], p);
            ip[i] = red_i64(init[i], p);
        }
        CHECK(one_mod(LR_METHOD_AUTO, k, cp, ip, n, p, &res) == LR_OK, "mod p failed");
        CHECK(res == red_i64(v[0], p), "int64 %lld vs mod p %llu", (long long)v[0],
              (unsigned long long)res);
    }
}

static void
fuzz_mod(reader *r, int64_t k, const int64_t *c, const int64_t *init)
{
    uint64_t m = rd_u64(r);
    if (m == 0) {
        uint64_t z = 0, out;
        CHECK(one_mod(LR_METHOD_AUTO, k, &z, &z, lr_index_from_i64(0), 0, &out) == LR_ERR_MODULUS,
              "m = 0 accepted");
        m = 1 + (rd_u8(r) & 15);
    }
    uint64_t cm[LR_FZ_KMAX], im[LR_FZ_KMAX];
    for (int64_t i = 0; i < k; i++) {
        cm[i] = red_i64(c[i], m);
        im[i] = red_i64(init[i], m);
    }
    lr_index_t n = rd_index(r);
    uint64_t v[LR_METHOD_COUNT] = {0};
    lr_status st[LR_METHOD_COUNT];
    for (int meth = 0; meth < LR_METHOD_COUNT; meth++) {
        st[meth] = one_mod((lr_method)meth, k, cm, im, n, m, &v[meth]);
        CHECK(st[meth] == LR_OK || st[meth] == LR_ERR_BACKWARDS, "status %d", st[meth]);
        if (st[meth] == LR_OK) {
            CHECK(v[meth] < m, "residue %llu >= m %llu", (unsigned long long)v[meth],
                  (unsigned long long)m);
        }
        CHECK(st[meth] == st[0], "method %d status %d vs %d", meth, st[meth], st[0]);
        if (st[0] == LR_OK) {
            CHECK(v[meth] == v[0], "method %d: %llu vs %llu (m=%llu)", meth,
                  (unsigned long long)v[meth], (unsigned long long)v[0], (unsigned long long)m);
        }
    }
    int small;
    int64_t ns = index_as_small(n, &small);
    if (small) {
        uint64_t ref;
        int can = ref_step(k, c, init, ns, m, &ref);
        CHECK(can == (st[0] == LR_OK), "n=%lld m=%llu: reference can=%d status %d", (long long)ns,
              (unsigned long long)m, can, st[0]);
        if (can) {
            CHECK(ref == v[0], "n=%lld m=%llu: %llu, stepping says %llu", (long long)ns,
                  (unsigned long long)m, (unsigned long long)v[0], (unsigned long long)ref);
        }
    }
}

static void
fuzz_f64(reader *r, int64_t k, const int64_t *c, const int64_t *init)
{
    double cf[LR_FZ_KMAX], fi[LR_FZ_KMAX];
    int scale = rd_u8(r) % 70;
    for (int64_t i = 0; i < k; i++) {
        /* mostly ordinary values; sometimes NaN, inf, subnormals */
        uint8_t sp = rd_u8(r);
        cf[i] = sp == 0xFF   ? NAN
                : sp == 0xFE ? INFINITY
                : sp == 0xFD ? 5e-324
                             : ldexp((double)c[i], -scale);
        fi[i] = ldexp((double)init[i], -scale);
    }
    lr_index_t n = rd_index(r);
    for (int meth = 0; meth < LR_METHOD_COUNT; meth++) {
        double out = 0.0;
        lr_status st = one_f64((lr_method)meth, k, cf, fi, n, &out);
        CHECK(st == LR_OK || st == LR_ERR_BACKWARDS, "f64 status %d", st);
        if (st == LR_ERR_BACKWARDS) {
            CHECK(n.neg && cf[0] == 0.0, "f64 BACKWARDS with c[0]=%g n.neg=%d", cf[0], n.neg);
        }
    }
}

/* ---- batches --------------------------------------------------------------------------- */

/* Positions of a long output compared with single terms (each single int64 term may cost a
 * full certification): the first and last 8, and every 13th in between. */
static int
worth_checking(int64_t t, int64_t count)
{
    return t < 8 || t >= count - 8 || t % 13 == 0;
}

static void
fuzz_batch(reader *r, int64_t k, const int64_t *c, const int64_t *init)
{
    uint8_t how = rd_u8(r);
    int ring = how % 3; /* 0 int64, 1 mod, 2 float64 */
    int pattern = (how / 3) % 4; /* arange, arange + noise, repeated, random */
    int uns = (how >> 6) & 1;
    int64_t count = 1 + rd_u8(r) % LR_FZ_BATCH_MAX;
    int64_t nstride = 1 + (rd_u8(r) & 1); /* in elements of the index buffer */
    int64_t ostride = 1 + (rd_u8(r) & 1);
    lr_index_t base = rd_index(r);
    if (uns) {
        base.neg = 0;
    }
    uint64_t m = 1 + rd_u64(r);
    if (m == 0) {
        m = 1;
    }

    uint64_t *nbuf = calloc((size_t)(count * nstride), 8);
    uint64_t *obuf = calloc((size_t)(count * ostride), 8);
    CHECK(nbuf && obuf, "calloc");
    for (int64_t t = 0; t < count; t++) {
        int64_t off;
        switch (pattern) {
            case 0:
                off = t;
                break;
            case 1:
                off = t + ((rd_u8(r) % 7 == 0) ? (int64_t)(int8_t)rd_u8(r) : 0);
                break;
            case 2:
                off = (int64_t)(rd_u8(r) % 3);
                break;
            default:
                off = (int64_t)rd_bytes(r, 3);
                break;
        }
        /* base + off, saturating at the ends of the index type */
        uint64_t v;
        if (uns) {
            v = base.mag + (uint64_t)off;
            if (off >= 0 && v < base.mag) {
                v = UINT64_MAX;
            }
            if (off < 0 && v > base.mag) {
                v = 0;
            }
        }
        else {
            int64_t b = base.neg ? -(int64_t)(base.mag - 1) - 1 : (int64_t)(base.mag & INT64_MAX);
            int64_t s;
            if (__builtin_add_overflow(b, off, &s)) {
                s = off > 0 ? INT64_MAX : INT64_MIN;
            }
            v = (uint64_t)s;
        }
        nbuf[t * nstride] = v;
    }

    lr_batch_t b = {(const char *)nbuf, nstride * 8, uns, (char *)obuf, ostride * 8, count, {0, 0}};
    uint64_t cm[LR_FZ_KMAX], im[LR_FZ_KMAX];
    double cf[LR_FZ_KMAX], fi[LR_FZ_KMAX];
    lr_status st;
    lr_method meth = (lr_method)(rd_u8(r) % LR_METHOD_COUNT);
    if (ring == 0) {
        st = lr_terms_i64(meth, k, c, init, &b);
    }
    else if (ring == 1) {
        for (int64_t i = 0; i < k; i++) {
            cm[i] = red_i64(c[i], m);
            im[i] = red_i64(init[i], m);
        }
        st = lr_terms_mod(meth, k, cm, im, m, &b);
    }
    else {
        for (int64_t i = 0; i < k; i++) {
            cf[i] = (double)c[i] / 4096.0;
            fi[i] = (double)init[i] / 4096.0;
        }
        st = lr_terms_f64(meth, k, cf, fi, &b);
    }
    CHECK(valid_status(st) && st != LR_ERR_NOMEM, "batch status %d", st);

    if (st == LR_OK && ring != 2) {
        /* elements equal their single-term values */
        for (int64_t t = 0; t < count; t++) {
            if (!worth_checking(t, count)) {
                continue;
            }
            uint64_t raw = nbuf[t * nstride];
            lr_index_t n = uns ? lr_index_from_u64(raw) : lr_index_from_i64((int64_t)raw);
            uint64_t got = obuf[t * ostride];
            if (ring == 0) {
                int64_t v;
                lr_status s1 = one_i64(LR_METHOD_POLY, k, c, init, n, &v);
                CHECK(s1 != LR_ERR_OVERFLOW && s1 != LR_ERR_BACKWARDS,
                      "batch OK but a single term at t=%lld says %d", (long long)t, s1);
                if (s1 == LR_OK) {
                    CHECK((uint64_t)v == got, "batch t=%lld: %lld vs single %lld", (long long)t,
                          (long long)(int64_t)got, (long long)v);
                }
            }
            else {
                uint64_t v;
                CHECK(one_mod(LR_METHOD_POLY, k, cm, im, n, m, &v) == LR_OK, "single mod");
                CHECK(v == got, "batch mod t=%lld: %llu vs single %llu (m=%llu)", (long long)t,
                      (unsigned long long)got, (unsigned long long)v, (unsigned long long)m);
            }
        }
        /* k+1 consecutive results satisfy the recurrence (ring arithmetic) */
        for (int64_t t = 0; t + k < count; t++) {
            int consecutive = 1;
            for (int64_t j = 0; j < k && consecutive; j++) {
                uint64_t a = nbuf[(t + j) * nstride], bnext = nbuf[(t + j + 1) * nstride];
                consecutive = bnext == a + 1 && (uns || (int64_t)a != INT64_MAX);
            }
            if (!consecutive) {
                continue;
            }
            uint64_t s = 0;
            for (int64_t i = 0; i < k; i++) {
                uint64_t a = obuf[(t + i) * ostride];
                s = ring == 0 ? s + (uint64_t)c[i] * a : addmod(s, mulmod(cm[i], a, m), m);
            }
            CHECK(s == obuf[(t + k) * ostride], "recurrence broken at t=%lld", (long long)t);
        }
    }
    else if (st != LR_OK && ring != 2) {
        /* the reported index is in the batch and fails on its own too */
        int found = 0;
        for (int64_t t = 0; t < count && !found; t++) {
            uint64_t raw = nbuf[t * nstride];
            lr_index_t n = uns ? lr_index_from_u64(raw) : lr_index_from_i64((int64_t)raw);
            found = n.neg == b.failed_n.neg && n.mag == b.failed_n.mag;
        }
        CHECK(found, "failed_n %s%llu is not in the batch", b.failed_n.neg ? "-" : "",
              (unsigned long long)b.failed_n.mag);
        if (ring == 0) {
            int64_t v;
            lr_status s1 = one_i64(LR_METHOD_POLY, k, c, init, b.failed_n, &v);
            CHECK(s1 != LR_OK || st == LR_ERR_UNCERTIFIED,
                  "batch says %d at n=%s%llu, a single term is fine", st, b.failed_n.neg ? "-" : "",
                  (unsigned long long)b.failed_n.mag);
        }
    }
    free(nbuf);
    free(obuf);
}

/* ---- the sequence driver ------------------------------------------------------------- */

static void
fuzz_sequence(reader *r, int64_t k, const int64_t *c, const int64_t *init)
{
    uint8_t how = rd_u8(r);
    lr_seq_ring ring = (lr_seq_ring)(how % 3);
    int64_t count = rd_u8(r) % 200;
    int64_t budget = 1 + rd_u8(r) % 50;
    lr_index_t start = rd_index(r);
    if (!start.neg && start.mag > UINT64_MAX - 300) {
        start.mag = UINT64_MAX - 300;
    }
    if (start.neg && start.mag > ((uint64_t)1 << 63)) {
        start.mag = (uint64_t)1 << 63;
    }
    uint64_t m = 1 + rd_u64(r);
    if (m == 0) {
        m = 1;
    }
    uint64_t cm[LR_FZ_KMAX], im[LR_FZ_KMAX];
    double cf[LR_FZ_KMAX], fi[LR_FZ_KMAX];
    const void *cp = c, *ip = init;
    if (ring == LR_SEQ_MOD) {
        for (int64_t i = 0; i < k; i++) {
            cm[i] = red_i64(c[i], m);
            im[i] = red_i64(init[i], m);
        }
        cp = cm;
        ip = im;
    }
    else if (ring == LR_SEQ_F64) {
        for (int64_t i = 0; i < k; i++) {
            cf[i] = (double)c[i] / 65536.0;
            fi[i] = (double)init[i] / 65536.0;
        }
        cp = cf;
        ip = fi;
    }
    size_t wb = lr_seq_work_bytes(LR_METHOD_AUTO, k);
    CHECK(wb > 0, "lr_seq_work_bytes");
    void *work = malloc(wb);
    uint64_t *out = calloc((size_t)count + 1, 8);
    CHECK(work && out, "malloc");
    lr_seq_t seq;
    int64_t bad = -1;
    lr_status st =
        lr_seq_begin(&seq, ring, LR_METHOD_AUTO, k, cp, ip, m, start, count, out, work, &bad);
    while (st == LR_OK && !seq.finished) {
        st = lr_seq_step(&seq, budget, &bad);
    }
    CHECK(valid_status(st) && st != LR_ERR_NOMEM, "sequence status %d", st);
    int64_t good = count; /* out[0..good) must hold exact terms */
    if (st == LR_ERR_OVERFLOW) {
        CHECK(ring == LR_SEQ_I64 && bad >= 0 && bad < count, "overflow at %lld of %lld",
              (long long)bad, (long long)count);
        good = bad;
    }
    else if (st != LR_OK) {
        good = 0;
    }
    if (ring != LR_SEQ_F64) {
        for (int64_t j = 0; j < count; j++) {
            if (!worth_checking(j, count) && !(st == LR_ERR_OVERFLOW && j == good)) {
                continue;
            }
            /* index start + j */
            lr_index_t n;
            if (!start.neg) {
                n = lr_index_from_u64(start.mag + (uint64_t)j);
            }
            else if ((uint64_t)j >= start.mag) {
                n = lr_index_from_u64((uint64_t)j - start.mag);
            }
            else {
                n.neg = 1;
                n.mag = start.mag - (uint64_t)j;
            }
            if (ring == LR_SEQ_MOD) {
                uint64_t v;
                lr_status s1 = one_mod(LR_METHOD_POLY, k, cm, im, n, m, &v);
                if (st == LR_OK) {
                    CHECK(s1 == LR_OK && v == out[j], "seq mod j=%lld: %llu vs %llu", (long long)j,
                          (unsigned long long)out[j], (unsigned long long)v);
                }
                else {
                    CHECK(st == LR_ERR_BACKWARDS, "seq mod status %d", st);
                }
            }
            else {
                int64_t v;
                lr_status s1 = one_i64(LR_METHOD_POLY, k, c, init, n, &v);
                if (j < good) {
                    CHECK(s1 != LR_ERR_OVERFLOW && s1 != LR_ERR_BACKWARDS,
                          "seq wrote j=%lld but a single term says %d", (long long)j, s1);
                    if (s1 == LR_OK) {
                        CHECK((int64_t)out[j] == v, "seq i64 j=%lld: %lld vs %lld", (long long)j,
                              (long long)out[j], (long long)v);
                    }
                }
                else if (j == good && st == LR_ERR_OVERFLOW) {
                    CHECK(s1 != LR_OK, "seq says a[start+%lld] does not fit; single: %lld",
                          (long long)j, (long long)v);
                    break;
                }
            }
        }
    }
    free(work);
    free(out);
}

/* ---- Lucas U, V and primality ------------------------------------------------------------ */

static uint64_t
powmod(uint64_t a, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    a %= m;
    while (e) {
        if (e & 1) {
            r = mulmod(r, a, m);
        }
        a = mulmod(a, a, m);
        e >>= 1;
    }
    return r;
}

/* Deterministic Miller-Rabin for 64-bit n: the first 12 primes as bases suffice. */
static int
ref_is_prime(uint64_t n)
{
    static const uint64_t bases[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2) {
        return 0;
    }
    for (int i = 0; i < 12; i++) {
        if (n % bases[i] == 0) {
            return n == bases[i];
        }
    }
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) {
        d >>= 1;
        s++;
    }
    for (int i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) {
            continue;
        }
        int composite = 1;
        for (int j = 1; j < s && composite; j++) {
            x = mulmod(x, x, n);
            composite = x != n - 1;
        }
        if (composite) {
            return 0;
        }
    }
    return 1;
}

static void
fuzz_classic(reader *r, int64_t k, const int64_t *c, const int64_t *init)
{
    (void)k; /* Lucas sequences and primality draw their own inputs */
    (void)c;
    (void)init;
    int64_t P = rd_i64(r), Q = rd_i64(r);
    lr_index_t n = rd_index(r);
    uint64_t m = rd_u64(r);
    /* U: c = [-Q, P], init [0, 1]; V: init [2, P] */
    int64_t cU[2], iU[2] = {0, 1}, iV[2];
    int negQ_ok = !__builtin_sub_overflow((int64_t)0, Q, &cU[0]);
    cU[1] = P;
    iV[0] = 2;
    iV[1] = P;
    int64_t u = 0, v = 0, tu = 0, tv = 0;
    lr_status su = lr_lucas_uv_i64(P, Q, n, LR_WANT_U, &u, NULL);
    lr_status sv = lr_lucas_uv_i64(P, Q, n, LR_WANT_V, NULL, &v);
    CHECK(valid_status(su) && valid_status(sv), "uv status %d %d", su, sv);
    if (negQ_ok) {
        lr_status tsu = one_i64(LR_METHOD_POLY, 2, cU, iU, n, &tu);
        lr_status tsv = one_i64(LR_METHOD_POLY, 2, cU, iV, n, &tv);
        if ((su == LR_OK || su == LR_ERR_OVERFLOW) && (tsu == LR_OK || tsu == LR_ERR_OVERFLOW)) {
            CHECK(su == tsu, "U status %d vs term %d (P=%lld Q=%lld)", su, tsu, (long long)P,
                  (long long)Q);
        }
        if (su == LR_OK && tsu == LR_OK) {
            CHECK(u == tu, "U %lld vs term %lld", (long long)u, (long long)tu);
        }
        if ((sv == LR_OK || sv == LR_ERR_OVERFLOW) && (tsv == LR_OK || tsv == LR_ERR_OVERFLOW)) {
            CHECK(sv == tsv, "V status %d vs term %d (P=%lld Q=%lld)", sv, tsv, (long long)P,
                  (long long)Q);
        }
        if (sv == LR_OK && tsv == LR_OK) {
            CHECK(v == tv, "V %lld vs term %lld", (long long)v, (long long)tv);
        }
    }
    if (m > 0) {
        uint64_t Pm = red_i64(P, m), Qm = red_i64(Q, m), um, vm;
        lr_status sm = lr_lucas_uv_mod(Pm, Qm, n, m, LR_WANT_U | LR_WANT_V, &um, &vm);
        uint64_t cm[2] = {Qm ? m - Qm : 0, Pm}, iu[2] = {0, 1 % m}, iv[2] = {2 % m, Pm}, ru, rv;
        lr_status t1 = one_mod(LR_METHOD_AUTO, 2, cm, iu, n, m, &ru);
        one_mod(LR_METHOD_AUTO, 2, cm, iv, n, m, &rv);
        CHECK(sm == t1, "uv mod status %d vs term %d", sm, t1);
        if (sm == LR_OK) {
            CHECK(um == ru && vm == rv && um < m && vm < m,
                  "uv mod P=%llu Q=%llu m=%llu: (%llu, %llu) vs (%llu, %llu)",
                  (unsigned long long)Pm, (unsigned long long)Qm, (unsigned long long)m,
                  (unsigned long long)um, (unsigned long long)vm, (unsigned long long)ru,
                  (unsigned long long)rv);
        }
    }
    uint64_t q = rd_u64(r);
    CHECK(lr_is_prime_u64(q) == ref_is_prime(q), "is_prime(%llu)", (unsigned long long)q);
    CHECK(lr_is_prime_u64(m | 1) == ref_is_prime(m | 1), "is_prime(%llu)",
          (unsigned long long)(m | 1));
}

/* The area each input exercises, by the low 3 bits of its first byte. */
typedef void (*fuzz_target)(reader *r, int64_t k, const int64_t *c, const int64_t *init);
static const fuzz_target targets[8] = {
    fuzz_i64, fuzz_mod, fuzz_f64, fuzz_batch, fuzz_sequence, fuzz_classic, fuzz_i64, fuzz_batch,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    uint8_t head = rd_u8(&r);
    int64_t k = 1 + rd_u8(&r) % ((head & 0x80) ? LR_FZ_KMAX : 4);
    int64_t c[LR_FZ_KMAX], init[LR_FZ_KMAX];
    for (int64_t i = 0; i < k; i++) {
        c[i] = rd_i64(&r);
    }
    for (int64_t i = 0; i < k; i++) {
        init[i] = rd_i64(&r);
    }
    /* order-size and modulus errors are reported, not crashed on */
    CHECK(lr_work_bytes(LR_METHOD_AUTO, 0) == 0 && lr_work_bytes(LR_METHOD_MATRIX, -5) == 0 &&
              lr_work_bytes(LR_METHOD_MATRIX, INT64_MAX) == 0,
          "lr_work_bytes accepts bad k");

    targets[head & 7](&r, k, c, init);
    return 0;
}
