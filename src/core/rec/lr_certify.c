/*
 * The one int64 / uint64 certifier (see lr_certify.h for the argument).
 *
 * 1. An annihilating polynomial f (monic, integer): the minimal polynomial of the sequence
 *    from Berlekamp-Massey modulo two primes, verified exactly (f(S)a vanishes on k
 *    consecutive indices, checked modulo primes whose product exceeds a bound on those
 *    integers), else the given recurrence.  Roots the initial values avoid drop out.
 * 2. Zero roots are stripped: x^s g(x) annihilates a means g annihilates a[s:].
 * 3. With d = deg g, companion matrix M, state v (d initial values, a subset of init):
 *    |a[s+N]| <= ||v||_2 ||M^N||_2 <= ||v||_2 sum_{i<d} C(N,i) rho^(N-i) F^i  (Schur form:
 *    M = Q(D+U)Q*, words with d or more strictly upper factors vanish, ||U|| <= ||M||_F = F).
 * 4. rho = 1 exactly when every root of g is a root of unity: Graeffe's root squaring in
 *    exact integers keeps every coefficient within C(d,i) (true whenever all roots lie in the
 *    closed unit disk); after 2^J > 16 d^2 squarings that is impossible for a root outside:
 *    by Dimitrov (2019) its house is >= 2^(1/(4d)), so the Mahler measure would exceed
 *    2^d >= ||G^J g||_2 (Landau).  Otherwise Fujiwara's bound on floating-point Graeffe
 *    iterates carried as intervals (midpoint, radius), so the bound stays rigorous.
 * Negative n (c[0] = +-1) runs the same argument on the reversed sequence, whose annihilator
 * is the reciprocal polynomial.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lr_berlekamp.h"
#include "lr_certify.h"
#include "lr_term.h"
#include "lr_primality.h"
#include "lr_modarith.h"

/* Every certificate prime exceeds 2^61.9. */
#define LR_CERT_PRIME_BITS 61.9
/* Floating-point Graeffe iterations for a spectral radius bound (each halves the log2 of
 * Fujiwara's factor 2). */
#define LR_CERT_GRAEFFE_F64 10

typedef struct {
    int64_t d; /* degree of the annihilator after stripping zero roots */
    int64_t s; /* zero roots stripped (forward direction) */
    double log2_rho; /* upper bound on log2 of the spectral radius (>= 0) */
    double log2_f; /* log2 of the companion's Frobenius norm */
} lr_cert_dir;

typedef struct {
    lr_cert_dir fwd, bwd;
    int64_t deg; /* degree of the annihilator (zero roots included) */
    int have_bwd;
    double log2_v; /* log2 ||init||_2: every state vector used is a subset of init */
} lr_cert_info;

/* Certificate prime number j (0, 1, ...); prev is prime j-1 (beyond the table the next
 * primes below it are found on the fly). */
static uint64_t
lr_cert_prime(int j, uint64_t prev)
{
    if (j < LR_CERT_NPRIMES) {
        return lr_cert_primes[j];
    }
    uint64_t p = prev;
    do {
        p -= 2;
    } while (!lr_is_prime_u64(p));
    return p;
}

static inline uint64_t
lr_cert_reduce(uint64_t v, int in_unsigned, uint64_t p)
{
    return in_unsigned ? v % p : lr_mod_reduce_i64((int64_t)v, p);
}

static inline double
lr_cert_abs(uint64_t v, int in_unsigned)
{
    return in_unsigned ? (double)v : fabs((double)(int64_t)v);
}

/* a[0..len-1] mod p as plain residues, by running the recurrence (cw: k slots). */
static void
lr_cert_prefix_mod(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned, uint64_t p,
                   int64_t len, uint64_t *cw, uint64_t *out)
{
    lr_mod_t x;
    lr_mod_init(&x, p);
    for (int64_t i = 0; i < k; i++) {
        cw[i] = lr_mod_to(&x, lr_cert_reduce(c[i], in_unsigned, p));
    }
    for (int64_t j = 0; j < len; j++) {
        if (j < k) {
            out[j] = lr_mod_to(&x, lr_cert_reduce(init[j], in_unsigned, p));
            continue;
        }
        uint64_t acc = 0;
        for (int64_t i = 0; i < k; i++) {
            acc = lr_mod_add(&x, acc, lr_mod_mul(&x, cw[i], out[j - k + i]));
        }
        out[j] = acc;
    }
    for (int64_t j = 0; j < len; j++) {
        out[j] = lr_mod_from(&x, out[j]);
    }
}

/* Symmetric residue of r mod p as int64 when |value| < 2^61 (else 0 and *ok = 0). */
static int64_t
lr_cert_symmetric(uint64_t r, uint64_t p, int *ok)
{
    int64_t v = r > p / 2 ? -(int64_t)(p - r) : (int64_t)r;
    if (v >= ((int64_t)1 << 61) || v <= -((int64_t)1 << 61)) {
        *ok = 0;
    }
    return v;
}

/*
 * The minimal polynomial f[0..d] (f[d] = 1, coefficient of x^i in f[i]) of the sequence,
 * proven to annihilate it; 0 when the search does not succeed (the caller then uses the
 * given recurrence).  tmp: room for 7k + LR_BM_WORK(2k) uint64.
 */
static int
lr_cert_minpoly(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned, int64_t *f,
                int64_t *deg, uint64_t *tmp)
{
    const int64_t len = 2 * k;
    uint64_t *seq = tmp, *e1 = tmp + len, *e2 = e1 + len, *bw = e2 + len, *cw = bw + 3 * len + 3;
    const uint64_t p1 = lr_cert_primes[0], p2 = lr_cert_primes[1];
    lr_cert_prefix_mod(k, c, init, in_unsigned, p1, len, cw, seq);
    int64_t d1 = lr_bm_mod(seq, len, p1, e1, bw);
    lr_cert_prefix_mod(k, c, init, in_unsigned, p2, len, cw, seq);
    int64_t d2 = lr_bm_mod(seq, len, p2, e2, bw);
    if (d1 != d2 || d1 >= k) {
        return 0; /* nothing to gain (d == k), or the primes disagree */
    }
    const int64_t d = d1;
    int ok = 1;
    double sum_abs = 1.0;
    for (int64_t i = 0; i < d; i++) {
        int64_t r = lr_cert_symmetric(e1[i], p1, &ok);
        if (!ok || lr_mod_reduce_i64(r, p2) != e2[i]) {
            return 0;
        }
        f[i] = -r; /* a[j+d] = sum r_i a[j+i]  <=>  f(x) = x^d - sum r_i x^i */
        sum_abs += fabs((double)r);
    }
    f[d] = 1;
    /* (f(S)a)[j], j < k, is sum_i f_i a[j+i]: |.| <= (1 + sum|r|) max_{j < k+d} |a[j]|, and
     * |a[j]| <= max|init| * S^(j-k+1) with S = max(1, sum|c|) (majorant recurrence) */
    double imax = 1.0, csum = 0.0;
    for (int64_t i = 0; i < k; i++) {
        double a = lr_cert_abs(init[i], in_unsigned);
        imax = a > imax ? a : imax;
        csum += lr_cert_abs(c[i], in_unsigned);
    }
    double steps = (double)d; /* indices k .. k+d-1 */
    double need = log2(sum_abs) + log2(imax) + steps * log2(csum > 1.0 ? csum : 1.0);
    need = need * (1.0 + 1e-9) + 2.0;
    double have = 0.0;
    uint64_t p = 0;
    for (int j = 0; j < LR_CERT_MAX_PRIMES && have <= need; j++) {
        p = lr_cert_prime(j, p);
        lr_mod_t x;
        lr_mod_init(&x, p);
        lr_cert_prefix_mod(k, c, init, in_unsigned, p, k + d, cw, seq);
        for (int64_t t = 0; t < k; t++) {
            uint64_t acc = seq[t + d];
            for (int64_t i = 0; i < d; i++) {
                uint64_t fi = lr_mod_reduce_i64(f[i], p);
                acc = (uint64_t)(((lr_u128)acc + (lr_u128)fi * seq[t + i]) % p);
            }
            if (acc != 0) {
                return 0;
            }
        }
        have += LR_CERT_PRIME_BITS;
    }
    if (have <= need) {
        return 0;
    }
    *deg = d;
    return 1;
}

/* Is every root of the monic integer g (degree d, g[0] != 0) a root of unity?  Exact. */
static int
lr_cert_all_unity(int64_t d, const int64_t *g)
{
    if (d > LR_CERT_UNITY_MAX_D) {
        return 0;
    }
    int64_t binom[LR_CERT_UNITY_MAX_D + 1], cur[LR_CERT_UNITY_MAX_D + 1];
    binom[0] = 1;
    for (int64_t i = 1; i <= d; i++) {
        /* C(d,i) = C(d,i-1) (d-i+1) / i, exact in int128 and fits int64 for d <= 62 */
        binom[i] = (int64_t)((__int128)binom[i - 1] * (d - i + 1) / i);
    }
    for (int64_t i = 0; i <= d; i++) {
        if (g[i] > binom[i] || g[i] < -binom[i]) {
            return 0; /* some root lies outside the unit disk */
        }
        cur[i] = g[i];
    }
    int iters = 0;
    while ((double)((uint64_t)1 << iters) <= 16.0 * (double)d * (double)d) {
        iters++;
    }
    for (int it = 0; it < iters; it++) {
        int64_t nxt[LR_CERT_UNITY_MAX_D + 1];
        for (int64_t i = 0; i <= d; i++) {
            /* G(g)(x^2) = (-1)^d g(x) g(-x): coefficient of x^(2i) of g(x)g(-x) */
            __int128 acc = 0;
            int64_t lo = 2 * i - d > 0 ? 2 * i - d : 0, hi = 2 * i < d ? 2 * i : d;
            for (int64_t j = lo; j <= hi; j++) {
                int64_t l = 2 * i - j;
                __int128 t = (__int128)cur[j] * cur[l];
                acc += (l & 1) ? -t : t;
            }
            if (d & 1) {
                acc = -acc;
            }
            if (acc > binom[i] || acc < -binom[i]) {
                return 0;
            }
            nxt[i] = (int64_t)acc;
        }
        memcpy(cur, nxt, (size_t)(d + 1) * sizeof cur[0]);
    }
    return 1;
}

/*
 * Upper bound on log2 of the spectral radius of the monic g (degree d >= 1, coefficients as
 * doubles, g[d] = 1): Fujiwara's bound 2 max |g[d-j]|^(1/j) (|g[0]/2|^(1/d)) on Graeffe
 * iterates, which carry a radius covering every rounding error.  tmp: 4(d+1) doubles.
 */
static double
lr_cert_log2_radius(int64_t d, const double *g, double *tmp)
{
    double *mid = tmp, *rad = tmp + (d + 1), *nm = rad + (d + 1), *nr = nm + (d + 1);
    for (int64_t i = 0; i <= d; i++) {
        mid[i] = g[i];
        rad[i] = fabs(g[i]) * DBL_EPSILON; /* the conversion to double may round */
    }
    double best = INFINITY;
    for (int it = 0;; it++) {
        /* Fujiwara on this iterate: roots r^(2^it) */
        double fj = -INFINITY;
        int finite = 1;
        for (int64_t j = 1; j <= d; j++) {
            double a = fabs(mid[d - j]) + rad[d - j];
            if (j == d) {
                a *= 0.5;
            }
            if (!isfinite(a)) {
                finite = 0;
                break;
            }
            if (a > 0.0) {
                double t = log2(a) / (double)j;
                fj = t > fj ? t : fj;
            }
        }
        if (!finite) {
            break;
        }
        double b = (1.0 + fj) / (double)((uint64_t)1 << it);
        b = b * (1.0 + 1e-12) + 1e-12; /* libm's log2 is not correctly rounded */
        best = b < best ? b : best;
        if (it == LR_CERT_GRAEFFE_F64) {
            break;
        }
        for (int64_t i = 0; i <= d; i++) {
            double acc = 0.0, err = 0.0, mag = 0.0;
            int64_t lo = 2 * i - d > 0 ? 2 * i - d : 0, hi = 2 * i < d ? 2 * i : d;
            for (int64_t j = lo; j <= hi; j++) {
                int64_t l = 2 * i - j;
                double t = mid[j] * mid[l];
                acc += (l & 1) ? -t : t;
                mag += fabs(t);
                err += fabs(mid[j]) * rad[l] + rad[j] * fabs(mid[l]) + rad[j] * rad[l];
            }
            /* rounding of d+1 products and sums: (2d+4) eps times the magnitude */
            double terms = (double)(hi - lo + 2);
            nm[i] = (d & 1) ? -acc : acc;
            nr[i] = (err + 2.0 * terms * DBL_EPSILON * mag) * (1.0 + 1e-10);
        }
        memcpy(mid, nm, (size_t)(d + 1) * sizeof mid[0]);
        memcpy(rad, nr, (size_t)(d + 1) * sizeof rad[0]);
        mid[d] = 1.0; /* monic stays exactly monic */
        rad[d] = 0.0;
    }
    return best > 0.0 ? best : 0.0; /* |g(0)| >= 1 for an integer g: rho >= 1 */
}

/* Fill one direction's bound data from the monic g (degree d; gi exact when non-NULL). */
static void
lr_cert_direction(int64_t d, const double *g, const int64_t *gi, double *tmp, lr_cert_dir *dir)
{
    dir->d = d;
    if (d == 0) {
        dir->log2_rho = 0.0;
        dir->log2_f = 0.0;
        return;
    }
    double f2 = (double)(d - 1);
    for (int64_t i = 0; i < d; i++) {
        f2 += g[i] * g[i];
    }
    dir->log2_f = 0.5 * log2(f2) * (1.0 + 1e-12) + 1e-12;
    if (gi != NULL && lr_cert_all_unity(d, gi)) {
        dir->log2_rho = 0.0;
    }
    else {
        dir->log2_rho = lr_cert_log2_radius(d, g, tmp);
    }
}

/* The analysis of one recurrence and its initial values. */
static lr_status
lr_cert_analyse(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned,
                lr_cert_info *info)
{
    /* lr_cert_minpoly: 3 x 2k sequences, LR_BM_WORK(2k), k coefficients */
    size_t nu = 6 * (size_t)k + LR_BM_WORK(2 * k) + (size_t)k + 8;
    size_t nd = 4 * ((size_t)k + 1) + (size_t)k + 1;
    size_t ni = 2 * ((size_t)k + 1);
    char *mem = malloc(nu * 8 + nd * 8 + ni * 8);
    if (mem == NULL) {
        return LR_ERR_NOMEM;
    }
    uint64_t *tmp = (uint64_t *)(void *)mem;
    double *dtmp = (double *)(void *)(mem + nu * 8), *g = dtmp + 4 * (k + 1);
    int64_t *f = (int64_t *)(void *)(mem + nu * 8 + nd * 8), *gi = f + (k + 1);

    double v2 = 0.0;
    for (int64_t i = 0; i < k; i++) {
        double a = lr_cert_abs(init[i], in_unsigned);
        v2 += a * a;
    }
    info->log2_v = v2 > 0.0 ? 0.5 * log2(v2) * (1.0 + 1e-12) + 1e-12 : -INFINITY;

    int64_t d = k;
    int exact = 1; /* f holds the annihilator exactly as int64 */
    if (k > LR_CERT_MINPOLY_MAX_K || !lr_cert_minpoly(k, c, init, in_unsigned, f, &d, tmp)) {
        d = k;
        f[k] = 1;
        for (int64_t i = 0; i < k; i++) {
            /* x^k - sum c_i x^i; exact only where -c_i fits */
            if (in_unsigned ? c[i] > (uint64_t)INT64_MAX : (int64_t)c[i] == INT64_MIN) {
                exact = 0;
                f[i] = 0;
            }
            else {
                f[i] = in_unsigned ? -(int64_t)c[i] : -(int64_t)c[i];
            }
        }
    }
    info->deg = d;
    /* forward: strip zero roots */
    int64_t s = 0;
    while (s < d && (exact ? f[s] == 0 : (in_unsigned ? c[s] == 0 : (int64_t)c[s] == 0))) {
        s++;
    }
    int64_t d0 = d - s;
    for (int64_t i = 0; i <= d0; i++) {
        if (exact || d != k) {
            g[i] = (double)f[s + i];
        }
        else {
            g[i] = i == d0 ? 1.0 : -(in_unsigned ? (double)c[s + i] : (double)(int64_t)c[s + i]);
        }
        gi[i] = f[s + i];
    }
    lr_cert_direction(d0, g, exact ? gi : NULL, dtmp, &info->fwd);
    info->fwd.s = s;
    /* backward (only used when c[0] = +-1, so f[0] = +-1 and s = 0): the reciprocal
     * polynomial x^d f(1/x) / f(0), monic with the same coefficient set */
    info->have_bwd = s == 0 && exact && d > 0 && (f[0] == 1 || f[0] == -1);
    if (info->have_bwd) {
        for (int64_t i = 0; i <= d; i++) {
            gi[i] = f[d - i] * f[0];
            g[i] = (double)gi[i];
        }
        lr_cert_direction(d, g, gi, dtmp, &info->bwd);
        info->bwd.s = 0;
    }
    free(mem);
    return LR_OK;
}

/* log2 of sum_{i<d} C(N,i) rho^(N-i) F^i, rounded up. */
static double
lr_cert_growth_bits(const lr_cert_dir *dir, double N)
{
    if (dir->d == 0) {
        return -INFINITY;
    }
    double lf = dir->log2_f > 0.0 ? dir->log2_f : 0.0;
    double best = -INFINITY;
    double ln = N > 1.0 ? log2(N) : 0.0;
    double lfact = 0.0; /* log2(i!), summed here: lgamma() writes the global signgam */
    for (int64_t i = 0; i < dir->d && (double)i <= N; i++) {
        if (i > 1) {
            lfact += log2((double)i);
        }
        /* C(N,i) <= N^i / i! (i! slightly under-counted against rounding) */
        double lc = (double)i * ln - lfact * (1.0 - 1e-12);
        double t = lc + N * dir->log2_rho + (double)i * lf;
        best = t > best ? t : best;
    }
    return best + log2((double)dir->d);
}

static lr_status
lr_cert_bound_from_info(int64_t k, const uint64_t *init, int in_unsigned, const lr_cert_info *info,
                        lr_index_t n, double *bits)
{
    if (!n.neg && n.mag < (uint64_t)k) {
        double a = lr_cert_abs(init[n.mag], in_unsigned);
        *bits = a > 0.0 ? log2(a) + 1e-9 : -INFINITY;
        return LR_OK;
    }
    const lr_cert_dir *dir;
    double N;
    if (!n.neg) {
        dir = &info->fwd;
        if (n.mag < (uint64_t)dir->s) {
            double a = lr_cert_abs(init[n.mag], in_unsigned);
            *bits = a > 0.0 ? log2(a) + 1e-9 : -INFINITY;
            return LR_OK;
        }
        N = (double)(n.mag - (uint64_t)dir->s);
    }
    else {
        if (!info->have_bwd) {
            return LR_ERR_UNCERTIFIED;
        }
        dir = &info->bwd;
        N = (double)(k - 1) + (double)n.mag; /* a[-m] = b[k-1+m], b[j] = a[k-1-j] */
    }
    double g = lr_cert_growth_bits(dir, N);
    if (g == -INFINITY || info->log2_v == -INFINITY) {
        *bits = -INFINITY;
        return LR_OK;
    }
    double b = info->log2_v + g;
    *bits = b * (1.0 + 1e-9) + 2.0;
    return LR_OK;
}

lr_status
lr_cert_log2_bound(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned,
                   lr_index_t n, double *bits)
{
    lr_cert_info info;
    lr_status st = lr_cert_analyse(k, c, init, in_unsigned, &info);
    if (st != LR_OK) {
        return st;
    }
    return lr_cert_bound_from_info(k, init, in_unsigned, &info, n, bits);
}

/* Residue classes n mod L up to this are checked for a sequence that vanishes on them. */
#define LR_CERT_ZERO_CLASS_MAX_L 16
/* ... when deciding their d terms takes at most this many primes. */
#define LR_CERT_ZERO_CLASS_MAX_PRIMES 64

/*
 * Is a[n] = 0 because a vanishes on the whole class n mod L, for some L <= 16?  (Re((1+i)^n)
 * is 0 for n = 2 mod 4 while its magnitude bound grows like n/2 bits.)  b[j] = a[r + jL]
 * satisfies a recurrence of order deg (the roots' L-th powers), so b = 0 as soon as
 * b[0..deg-1] = 0, checked modulo primes beyond the majorant bound on those terms.
 */
static int
lr_cert_zero_class(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned, uint64_t n,
                   int64_t deg)
{
    double imax = 1.0, csum = 0.0;
    for (int64_t i = 0; i < k; i++) {
        double a = lr_cert_abs(init[i], in_unsigned);
        imax = a > imax ? a : imax;
        csum += lr_cert_abs(c[i], in_unsigned);
    }
    const double ls = log2(csum > 1.0 ? csum : 1.0);
    const int64_t len = LR_CERT_ZERO_CLASS_MAX_L * (deg > 0 ? deg : 1) + 1;
    uint64_t *mem = malloc(((size_t)len + (size_t)k) * 8);
    if (mem == NULL) {
        return 0;
    }
    uint64_t *seq = mem, *cw = mem + len;
    int found = 0;
    for (int64_t L = 2; L <= LR_CERT_ZERO_CLASS_MAX_L && !found; L++) {
        const int64_t r = (int64_t)(n % (uint64_t)L), last = r + (deg - 1) * L;
        double need =
            (log2(imax) + (double)(last >= k ? last - k + 1 : 0) * ls) * (1.0 + 1e-9) + 2.0;
        if (need > LR_CERT_ZERO_CLASS_MAX_PRIMES * LR_CERT_PRIME_BITS) {
            continue;
        }
        double have = 0.0;
        uint64_t p = 0;
        int zero = 1;
        for (int j = 0; zero && have <= need; j++) {
            p = lr_cert_prime(j, p);
            lr_cert_prefix_mod(k, c, init, in_unsigned, p, last + 1, cw, seq);
            for (int64_t t = r; t <= last; t += L) {
                zero = zero && seq[t] == 0;
            }
            have += LR_CERT_PRIME_BITS;
        }
        found = zero;
    }
    free(mem);
    return found;
}

lr_status
lr_cert_term(int64_t k, const uint64_t *c, const uint64_t *init, int in_unsigned, lr_index_t n,
             int out_unsigned, uint64_t *out)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    size_t wb = lr_work_bytes(LR_METHOD_AUTO, k);
    size_t wp = lr_work_bytes(LR_METHOD_POLY, k);
    wb = wp > wb ? wp : wb;
    uint64_t *work = wb ? malloc(wb + 2 * (size_t)k * 8) : NULL;
    if (work == NULL) {
        return wb ? LR_ERR_NOMEM : LR_ERR_ORDER;
    }
    uint64_t *cm = work, *im = work + k;
    void *scratch = work + 2 * k;
    uint64_t w;
    lr_status st = lr_term_wrap64(k, c, init, n, &w, scratch);
    if (st != LR_OK) {
        free(work);
        return st;
    }
    /* the candidate: the only value of the target type congruent to a[n] mod 2^64.  The
     * bound (the costly part) is computed only once the first prime agrees: a value that
     * does not fit is nearly always refuted by that prime alone. */
    double need = INFINITY, have = 0.0;
    uint64_t p = 0;
    for (int j = 0; j < LR_CERT_MAX_PRIMES; j++) {
        p = lr_cert_prime(j, p);
        for (int64_t i = 0; i < k; i++) {
            cm[i] = lr_cert_reduce(c[i], in_unsigned, p);
            im[i] = lr_cert_reduce(init[i], in_unsigned, p);
        }
        uint64_t r;
        st = lr_term_mod(LR_METHOD_AUTO, k, cm, im, n, p, &r, scratch);
        if (st != LR_OK) {
            break;
        }
        uint64_t want = out_unsigned ? w % p : lr_mod_reduce_i64((int64_t)w, p);
        if (r != want) {
            st = LR_ERR_OVERFLOW;
            break;
        }
        have += LR_CERT_PRIME_BITS;
        if (j == 0) {
            lr_cert_info info;
            double bits = 0.0;
            st = lr_cert_analyse(k, c, init, in_unsigned, &info);
            if (st == LR_OK) {
                st = lr_cert_bound_from_info(k, init, in_unsigned, &info, n, &bits);
            }
            if (st == LR_ERR_UNCERTIFIED) {
                bits = INFINITY; /* no bound: a mismatch can still prove overflow */
                st = LR_OK;
            }
            if (st != LR_OK) {
                break;
            }
            /* a[n] == cand once the primes' product exceeds |a[n]| + |cand| <= 2^bits + 2^64 */
            need = (bits > 64.0 ? bits : 64.0) + 2.0;
            if (w == 0 && !n.neg && need > LR_CERT_ZERO_CLASS_MAX_PRIMES * LR_CERT_PRIME_BITS &&
                lr_cert_zero_class(k, c, init, in_unsigned, n.mag, info.deg)) {
                *out = 0;
                have = INFINITY; /* proven */
                break;
            }
        }
        if (have > need) {
            *out = w;
            break;
        }
        if (need > LR_CERT_MAX_PRIMES * LR_CERT_PRIME_BITS && j >= 3) {
            break; /* out of reach: a few primes looked for a refutation, none came */
        }
    }
    if (st == LR_OK && !(have > need)) {
        st = LR_ERR_UNCERTIFIED;
    }
    free(work);
    return st;
}
