/*
 * Exact int64 values of the Lucas sequences (lr_lucas_uv_i64) and the Fibonacci/Lucas tables.
 * Degenerate sequences (Q = 0, D = 0, or alpha/beta a root of unity: P = 0, P^2 = Q, 2Q, 3Q)
 * have closed forms, so huge n with small results (U_n(0, 5) = 0 for even n) are exact.
 * Otherwise the pair doubling runs on 128-bit integers while they stay below 2^125; if they
 * do not, the true value is decided from residues (lr_lucas_uv_mod, lr_lucas_uv_wrap):
 * U_n mod 2^64 names the only int64 candidate, and a residue modulo a 62-bit prime that
 * disagrees with it proves the overflow, while agreement modulo enough primes for the
 * magnitude bound proves the value.
 */
#include "lr_classic.h"

#include <math.h>

#include "lr_modarith.h"

typedef __int128 lr_i128;

/* ---- exact int64 ------------------------------------------------------------------------- */

#define LR_TWO63 ((lr_i128)1 << 63)

static inline lr_i128
lr_abs128(lr_i128 x)
{
    return x < 0 ? -x : x;
}

/*
 * *acc *= x for nonzero integers with |*acc|, |x| <= 2^63.  Returns 1 when |product| > 2^63:
 * every later factor is a nonzero integer too, so the final magnitude is then > 2^63 as well.
 */
static inline int
lr_mul_big(lr_i128 *acc, lr_i128 x)
{
    if (lr_abs128(x) > LR_TWO63) {
        return 1;
    }
    *acc *= x;
    return lr_abs128(*acc) > LR_TWO63;
}

/* *acc *= b^e (b != 0) with the same convention. */
static int
lr_pow_big(lr_i128 *acc, lr_i128 b, uint64_t e)
{
    if (b == 1 || e == 0) {
        return 0;
    }
    if (b == -1) {
        if (e & 1u) {
            *acc = -*acc;
        }
        return 0;
    }
    /* |b| >= 2: e <= 63 multiplications at most before the product exceeds 2^63 */
    for (uint64_t i = 0; i < e; i++) {
        if (lr_mul_big(acc, b)) {
            return 1;
        }
    }
    return 0;
}

/*
 * One closed-form value coef * t^a * lam^q (coef == 0 gives 0).  *big set when its magnitude
 * exceeds 2^63.
 */
static lr_i128
lr_closed_value(lr_i128 coef, lr_i128 t, uint64_t a, lr_i128 lam, uint64_t q, int *big)
{
    lr_i128 acc = coef;
    *big = 0;
    if (coef == 0) {
        return 0;
    }
    if (lr_abs128(acc) > LR_TWO63 || lr_pow_big(&acc, t, a) || lr_pow_big(&acc, lam, q)) {
        *big = 1;
        return 0;
    }
    return acc;
}

/*
 * Degenerate sequences, exactly.  Returns 1 (and fills u, v, the *_big flags) when (P, Q) is
 * degenerate, 0 otherwise.  n >= 0.
 */
static int
lr_uv_degenerate(int64_t P, int64_t Q, uint64_t n, lr_i128 *u, int *ubig, lr_i128 *v, int *vbig)
{
    const lr_i128 p = P, q = Q, p2 = p * p;
    if (Q == 0) {
        /* beta = 0: U_n = P^(n-1), V_n = P^n for n >= 1 */
        if (n == 0) {
            *u = 0;
            *v = 2;
            *ubig = *vbig = 0;
        }
        else if (P == 0) {
            *u = n == 1;
            *v = 0;
            *ubig = *vbig = 0;
        }
        else {
            *u = lr_closed_value(1, p, n - 1, 1, 0, ubig);
            *v = lr_closed_value(1, p, n, 1, 0, vbig);
        }
        return 1;
    }
    if (p2 == 4 * q) {
        /* double root t = P/2: U_n = n t^(n-1), V_n = 2 t^n */
        lr_i128 t = p / 2;
        *ubig = 0;
        *u = n == 0 ? 0 : lr_closed_value((lr_i128)n, t, n - 1, 1, 0, ubig);
        *v = lr_closed_value(2, t, n, 1, 0, vbig);
        return 1;
    }
    /* alpha/beta a root of unity of order h: alpha^h = beta^h = lam, so
     * X_(hq+r) = lam^q X_r.  Scaled families (tP0, t^2 Q0) give X_n = t^(n-1 or n) X_n(P0,Q0). */
    int64_t P0, Q0;
    int h;
    lr_i128 t;
    if (P == 0) {
        P0 = 0;
        Q0 = 0; /* unused: handled by the generic code with t = 1, base (0, Q) */
        h = 2;
        t = 1;
    }
    else if (p2 == q) {
        P0 = 1;
        Q0 = 1;
        h = 3;
        t = p;
    }
    else if (p2 == 2 * q) {
        P0 = 2;
        Q0 = 2;
        h = 4;
        t = p / 2;
    }
    else if (p2 == 3 * q) {
        P0 = 3;
        Q0 = 3;
        h = 6;
        t = p / 3;
    }
    else {
        return 0;
    }
    /* base terms X_0 .. X_h of the unscaled sequence (for P = 0 the sequence itself) */
    lr_i128 bu[7], bv[7], bp = P == 0 ? 0 : P0, bq = P == 0 ? q : Q0;
    bu[0] = 0;
    bu[1] = 1;
    bv[0] = 2;
    bv[1] = bp;
    for (int i = 2; i <= h; i++) {
        bu[i] = bp * bu[i - 1] - bq * bu[i - 2];
        bv[i] = bp * bv[i - 1] - bq * bv[i - 2];
    }
    lr_i128 lam = bv[h] / 2; /* U_h = 0 and V_h = 2 lam */
    uint64_t qq = n / (uint64_t)h, rr = n % (uint64_t)h;
    if (n == 0) {
        *u = 0;
        *ubig = 0;
    }
    else {
        *u = lr_closed_value(bu[rr], t, n - 1, lam, qq, ubig);
    }
    *v = lr_closed_value(bv[rr], t, n, lam, qq, vbig);
    return 1;
}

/* Magnitude of x as unsigned 128-bit and its bit length. */
static inline int
lr_bits128(lr_i128 x)
{
    lr_u128 a = (lr_u128)(x < 0 ? -x : x);
    uint64_t hi = (uint64_t)(a >> 64), lo = (uint64_t)a;
    if (hi != 0) {
        return 128 - __builtin_clzll(hi);
    }
    return lo == 0 ? 0 : 64 - __builtin_clzll(lo);
}

#define LR_EXACT_BITS 125 /* values of the 128-bit doubling stay below 2^125 */

/* *r = a * b unless the product may reach 2^125 (then 1). */
static inline int
lr_mul125(lr_i128 a, lr_i128 b, lr_i128 *r)
{
    if (a == 0 || b == 0) {
        *r = 0;
        return 0;
    }
    if (lr_bits128(a) + lr_bits128(b) > LR_EXACT_BITS) {
        return 1;
    }
    *r = a * b;
    return 0;
}

static inline int
lr_add125(lr_i128 a, lr_i128 b, lr_i128 *r)
{
    *r = a + b; /* |a|, |b| < 2^125: no 128-bit overflow */
    return lr_bits128(*r) > LR_EXACT_BITS;
}

/* Pair doubling over the integers while everything stays below 2^125.  0 on success. */
static int
lr_u_pair_exact(lr_i128 P, lr_i128 Q, uint64_t n, lr_i128 *un, lr_i128 *un1)
{
    lr_i128 ua = 0, ub = 1;
    for (int b = lr_top_bit(n); b >= 0; b--) {
        lr_i128 a2, b2, qa2, odd, w, t;
        if (lr_mul125(ua, ua, &a2) || lr_mul125(ub, ub, &b2) || lr_mul125(Q, a2, &qa2) ||
            lr_add125(b2, -qa2, &odd)) {
            return 1;
        }
        if ((n >> b) & 1u) {
            lr_i128 qa, pb;
            if (lr_mul125(Q, ua, &qa) || lr_mul125(P, ub, &pb) || lr_add125(pb, -2 * qa, &w) ||
                lr_mul125(ub, w, &t)) {
                return 1;
            }
            ua = odd;
            ub = t;
        }
        else {
            lr_i128 pa;
            if (lr_mul125(P, ua, &pa) || lr_add125(2 * ub, -pa, &w) || lr_mul125(ua, w, &t)) {
                return 1;
            }
            ua = t;
            ub = odd;
        }
    }
    *un = ua;
    *un1 = ub;
    return 0;
}

#define LR_CERT_MAX 16 /* primes used at most: proves values up to ~1040 bits */

/*
 * Decide X_n (X = U when which == LR_WANT_U, else V) of a non-degenerate sequence from
 * residues.  On LR_OK *x is the exact value, |*x| <= 2^63.  LR_ERR_OVERFLOW: |X_n| > 2^63.
 */
static lr_status
lr_uv_by_residues(int64_t P, int64_t Q, uint64_t n, int which, lr_i128 *x)
{
    uint64_t wu, wv;
    lr_lucas_uv_wrap((uint64_t)P, (uint64_t)Q, n, which, &wu, &wv);
    const uint64_t c = which == LR_WANT_U ? wu : wv;
    /* the integers of magnitude <= 2^63 that are c mod 2^64: one, or two for c == 2^63 */
    lr_i128 cand[2];
    int ncand = 0;
    cand[ncand++] = (lr_i128)(int64_t)c;
    if (c == (uint64_t)1 << 63) {
        cand[ncand++] = LR_TWO63;
    }
    /* log2 of a bound on |X_n|: both roots satisfy |x| <= |P| + sqrt|Q| =: rho */
    double rho = fabs((double)P) + sqrt(fabs((double)Q));
    double l2 = log2(rho > 1.0 ? rho : 1.0) * (1.0 + 1e-9) + 1e-9;
    double bound =
        which == LR_WANT_U ? log2((double)n + 1.0) + ((double)n - 1.0) * l2 : 1.0 + (double)n * l2;
    bound += 2.0; /* slack for rounding in log2 and the conversions above */
    for (int j = 0; j < LR_CERT_MAX; j++) {
        const uint64_t p = lr_cert_primes[j];
        uint64_t ru, rv;
        lr_index_t idx = {0, n};
        lr_lucas_uv_mod(lr_mod_reduce_i64(P, p), lr_mod_reduce_i64(Q, p), idx, p, which, &ru, &rv);
        const uint64_t rx = which == LR_WANT_U ? ru : rv;
        int keep = 0;
        for (int i = 0; i < ncand; i++) {
            lr_i128 cm = cand[i] % (lr_i128)p;
            if (cm < 0) {
                cm += p;
            }
            if ((uint64_t)cm == rx) {
                cand[keep++] = cand[i];
            }
        }
        ncand = keep;
        if (ncand == 0) {
            return LR_ERR_OVERFLOW; /* no integer of magnitude <= 2^63 has these residues */
        }
        /* X_n = cand mod 2^64 * p_0 ... p_j > 2^(64 + 61 (j+1)); unique once that exceeds
         * the bound plus 2^63 */
        if (bound + 1.0 < 64.0 + 61.0 * (double)(j + 1)) {
            *x = cand[0];
            return LR_OK;
        }
    }
    return LR_ERR_UNCERTIFIED;
}

/* n >= 0.  Wanted values exact in *u / *v (magnitude <= 2^63), or an error status. */
static lr_status
lr_uv_exact(int64_t P, int64_t Q, uint64_t n, int want, lr_i128 *u, lr_i128 *v)
{
    int ubig = 0, vbig = 0;
    if (lr_uv_degenerate(P, Q, n, u, &ubig, v, &vbig)) {
        if (((want & LR_WANT_U) && ubig) || ((want & LR_WANT_V) && vbig)) {
            return LR_ERR_OVERFLOW;
        }
        return LR_OK;
    }
    lr_i128 un, un1;
    int uok = 0, vok = 0;
    if (lr_u_pair_exact(P, Q, n, &un, &un1) == 0) {
        lr_i128 pu, vv;
        *u = un;
        uok = lr_abs128(un) <= LR_TWO63;
        if (!uok && (want & LR_WANT_U)) {
            return LR_ERR_OVERFLOW;
        }
        if (lr_mul125(P, un, &pu) == 0 && lr_add125(2 * un1, -pu, &vv) == 0) {
            *v = vv;
            vok = 1;
            if (lr_abs128(vv) > LR_TWO63 && (want & LR_WANT_V)) {
                return LR_ERR_OVERFLOW;
            }
        }
    }
    if ((want & LR_WANT_U) && !uok) {
        lr_status st = lr_uv_by_residues(P, Q, n, LR_WANT_U, u);
        if (st != LR_OK) {
            return st;
        }
    }
    if ((want & LR_WANT_V) && !vok) {
        lr_status st = lr_uv_by_residues(P, Q, n, LR_WANT_V, v);
        if (st != LR_OK) {
            return st;
        }
    }
    return LR_OK;
}

static inline int
lr_fits_i64(lr_i128 x)
{
    return x >= -LR_TWO63 && x < LR_TWO63;
}

lr_status
lr_lucas_uv_i64(int64_t P, int64_t Q, lr_index_t n, int want, int64_t *u, int64_t *v)
{
    if (n.neg && Q != 1 && Q != -1) {
        return LR_ERR_BACKWARDS;
    }
    lr_i128 U = 0, V = 0;
    lr_status st = lr_uv_exact(P, Q, n.mag, want, &U, &V);
    if (st != LR_OK) {
        return st;
    }
    if (n.neg) {
        /* U_-n = -Q^n U_n, V_-n = Q^n V_n with Q^n = +-1 */
        int qn_neg = Q == -1 && (n.mag & 1u);
        U = qn_neg ? U : -U;
        V = qn_neg ? -V : V;
    }
    if (want & LR_WANT_U) {
        if (!lr_fits_i64(U)) {
            return LR_ERR_OVERFLOW;
        }
        *u = (int64_t)U;
    }
    if (want & LR_WANT_V) {
        if (!lr_fits_i64(V)) {
            return LR_ERR_OVERFLOW;
        }
        *v = (int64_t)V;
    }
    return LR_OK;
}

void
lr_fib_luc_tables(int64_t *fib, int64_t *luc)
{
    fib[0] = 0;
    fib[1] = 1;
    for (int i = 2; i <= LR_FIB_MAX_I64; i++) {
        fib[i] = fib[i - 1] + fib[i - 2];
    }
    luc[0] = 2;
    luc[1] = 1;
    for (int i = 2; i <= LR_LUC_MAX_I64; i++) {
        luc[i] = luc[i - 1] + luc[i - 2];
    }
}
