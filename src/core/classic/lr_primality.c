/*
 * Primality of 64-bit integers: trial division, then Baillie-PSW, i.e. a strong
 * Miller-Rabin round to base 2 followed by the strong Lucas test with Selfridge's
 * parameters.  No composite below 2^64 passes both (Feitsma and Galway's list of base-2
 * pseudoprimes, checked by Gilchrist), so the answer is exact for every uint64.
 *
 * All modular products are Montgomery products (lr_modarith.h).  lr_is_prime_u64_many
 * collects the numbers that survive trial division and runs their Miller-Rabin rounds
 * several at a time: the squaring chains are independent, so the multiplier stays busy
 * instead of waiting on one chain's latency.
 */
#include "lr_classic.h"

#include <math.h>
#include <string.h>

typedef unsigned __int128 lr_u128_t;

/* ---- trial division by the odd primes below 300 ------------------------------------------ */

/* p divides n iff n * p^-1 mod 2^64 <= (2^64 - 1) / p; p^-1 at compile time */
#define LR_TD(p) {UINT64_C(p), LR_INV_2_64(UINT64_C(p)), UINT64_MAX / UINT64_C(p)}

typedef struct {
    uint64_t p, inv, lim;
} lr_td_t;

static const lr_td_t lr_td[] = {
    LR_TD(3),   LR_TD(5),   LR_TD(7),   LR_TD(11),  LR_TD(13),  LR_TD(17),  LR_TD(19),  LR_TD(23),
    LR_TD(29),  LR_TD(31),  LR_TD(37),  LR_TD(41),  LR_TD(43),  LR_TD(47),  LR_TD(53),  LR_TD(59),
    LR_TD(61),  LR_TD(67),  LR_TD(71),  LR_TD(73),  LR_TD(79),  LR_TD(83),  LR_TD(89),  LR_TD(97),
    LR_TD(101), LR_TD(103), LR_TD(107), LR_TD(109), LR_TD(113), LR_TD(127), LR_TD(131), LR_TD(137),
    LR_TD(139), LR_TD(149), LR_TD(151), LR_TD(157), LR_TD(163), LR_TD(167), LR_TD(173), LR_TD(179),
    LR_TD(181), LR_TD(191), LR_TD(193), LR_TD(197), LR_TD(199), LR_TD(211), LR_TD(223), LR_TD(227),
    LR_TD(229), LR_TD(233), LR_TD(239), LR_TD(241), LR_TD(251), LR_TD(257), LR_TD(263), LR_TD(269),
    LR_TD(271), LR_TD(277), LR_TD(281), LR_TD(283), LR_TD(293),
};
#define LR_TD_COUNT ((int)(sizeof lr_td / sizeof lr_td[0]))
/* the next prime is 307: an odd n below 307^2 without a factor in the table is prime */
#define LR_TD_PRIME_BELOW ((uint64_t)307 * 307)

/* Verdict of trial division for odd n >= 3: 0 composite, 1 prime, 2 undecided. */
static inline int
lr_trial_division(uint64_t n)
{
    for (int i = 0; i < LR_TD_COUNT; i++) {
        if (n * lr_td[i].inv <= lr_td[i].lim) {
            return n == lr_td[i].p;
        }
    }
    return n < LR_TD_PRIME_BELOW ? 1 : 2;
}

/* ---- helpers ------------------------------------------------------------------------------ */

int
lr_jacobi_u64(uint64_t a, uint64_t n)
{
    int t = 1;
    a %= n;
    while (a != 0) {
        int z = __builtin_ctzll(a);
        a >>= z;
        if ((z & 1) && ((n & 7u) == 3u || (n & 7u) == 5u)) {
            t = -t;
        }
        if ((a & 3u) == 3u && (n & 3u) == 3u) {
            t = -t;
        }
        uint64_t tmp = a;
        a = n % a;
        n = tmp;
    }
    return n == 1 ? t : 0;
}

static int
lr_is_square(uint64_t n)
{
    /* squares are 0, 1, 4 or 9 mod 16: rejects 3/4 of all n without a square root */
    if (((UINT64_C(0x0213) >> (n & 15u)) & 1u) == 0) {
        return 0;
    }
    uint64_t s = (uint64_t)sqrt((double)n);
    while ((lr_u128_t)s * s > n) {
        s--;
    }
    while ((lr_u128_t)(s + 1) * (s + 1) <= n) {
        s++;
    }
    return (lr_u128_t)s * s == n;
}

static inline uint64_t
lr_mont_dbl(uint64_t x, uint64_t n)
{
    uint64_t s = x + x;
    return (s < x || s >= n) ? s - n : s;
}

/* Strong probable prime to base 2 for odd n >= 3. */
static int
lr_sprp2(uint64_t n)
{
    const uint64_t minv = lr_inv_2_64(n);
    const uint64_t one = (0u - n) % n; /* 2^64 mod n: 1 in Montgomery form */
    const uint64_t mone = n - one;
    const int s = __builtin_ctzll(n - 1);
    const uint64_t d = (n - 1) >> s;
    uint64_t x = lr_mont_dbl(one, n); /* 2^1: the top bit of d */
    for (int b = lr_top_bit(d) - 1; b >= 0; b--) {
        x = lr_mmul(x, x, n, minv);
        if ((d >> b) & 1u) {
            x = lr_mont_dbl(x, n);
        }
    }
    if (x == one || x == mone) {
        return 1;
    }
    for (int r = 1; r < s; r++) {
        x = lr_mmul(x, x, n, minv);
        if (x == mone) {
            return 1;
        }
        if (x == one) {
            return 0;
        }
    }
    return 0;
}

int
lr_is_strong_prp_u64(uint64_t n, uint64_t a)
{
    if (n < 3 || !(n & 1u)) {
        return n == 2;
    }
    lr_mod_t c;
    lr_mod_init(&c, n);
    const uint64_t mone = n - c.one;
    const int s = __builtin_ctzll(n - 1);
    const uint64_t d = (n - 1) >> s;
    a %= n;
    if (a == 0) {
        return 1;
    }
    uint64_t b = lr_mod_to(&c, a), x = c.one;
    for (int i = lr_top_bit(d); i >= 0; i--) {
        x = lr_mod_mul(&c, x, x);
        if ((d >> i) & 1u) {
            x = lr_mod_mul(&c, x, b);
        }
    }
    if (x == c.one || x == mone) {
        return 1;
    }
    for (int r = 1; r < s; r++) {
        x = lr_mod_mul(&c, x, x);
        if (x == mone) {
            return 1;
        }
    }
    return 0;
}

/*
 * Jacobi symbol (D/n) for a small odd D (|D| < 2^32) and odd n, by reciprocity: one
 * remainder of n by |D| and a Jacobi symbol among small numbers, instead of a Euclidean
 * chain of 64-bit divisions.
 *     (-1/n) = (-1)^((n-1)/2),   (d/n) = (n mod d / d) (-1)^((d-1)/2 (n-1)/2)  (d > 0 odd)
 */
static int
lr_jacobi_small(int64_t D, uint64_t n)
{
    const uint64_t d = D < 0 ? (uint64_t)(-D) : (uint64_t)D;
    int t = lr_jacobi_u64(n % d, d);
    if ((d & 3u) == 3u && (n & 3u) == 3u) {
        t = -t;
    }
    if (D < 0 && (n & 3u) == 3u) {
        t = -t;
    }
    return t;
}

/*
 * Selfridge's method A: the first D in 5, -7, 9, -11, ... with Jacobi(D/n) = -1.  Returns 0
 * and sets *D, or 1 when some D shares a proper factor with n (n composite).  n odd >= 3 and
 * not a square (otherwise no such D exists).
 */
static int
lr_selfridge_d(uint64_t n, int64_t *D)
{
    for (int64_t a = 5;; a += 2) {
        int64_t d = (a & 2) ? -a : a; /* 5, -7, 9, -11, ... */
        int j = lr_jacobi_small(d, n);
        if (j == -1) {
            *D = d;
            return 0;
        }
        if (j == 0 && (uint64_t)a % n != 0) {
            return 1; /* 1 < gcd(|D|, n) < n */
        }
    }
}

/* The strong Lucas test proper, for odd n >= 3 that is not a perfect square. */
static int
lr_strong_lucas(uint64_t n)
{
    int64_t D;
    if (n == UINT64_MAX || lr_selfridge_d(n, &D)) {
        return 0; /* 2^64 - 1 = 3 * 5 * 17 * ... is composite (and n + 1 would wrap) */
    }
    const int64_t Q = (1 - D) / 4;
    lr_ring_t r;
    r.wrap = 0;
    lr_mod_init(&r.mod, n);
    const uint64_t one = r.mod.one;
    const uint64_t Qr = lr_r_to(&r, lr_mod_reduce_i64(Q, n));
    const int qsign = Q == -1 ? -1 : 0; /* Q = 1 is impossible: D = -3 is not in the list */
    const int s = __builtin_ctzll(n + 1);
    const uint64_t d = (n + 1) >> s;
    uint64_t vd, vd1, qd;
    lr_v_chain(&r, one, Qr, qsign, d, &vd, &vd1, &qd);
    /* D U_d = 2 V_d+1 - P V_d with P = 1, and D is a unit mod n (Jacobi = -1) */
    if (lr_r_add(&r, vd1, vd1) == vd || vd == 0) {
        return 1;
    }
    for (int i = 1; i < s; i++) {
        vd = lr_r_sub(&r, lr_r_mul(&r, vd, vd), lr_r_add(&r, qd, qd));
        if (vd == 0) {
            return 1;
        }
        qd = lr_r_mul(&r, qd, qd);
    }
    return 0;
}

int
lr_is_strong_lucas_prp_u64(uint64_t n)
{
    if (n < 3 || !(n & 1u)) {
        return n == 2;
    }
    if (lr_is_square(n)) {
        return 0;
    }
    return lr_strong_lucas(n);
}

int
lr_is_prime_u64(uint64_t n)
{
    if (n < 3 || !(n & 1u)) {
        return n == 2;
    }
    int td = lr_trial_division(n);
    if (td != 2) {
        return td;
    }
    if (!lr_sprp2(n)) {
        return 0;
    }
    /* a base-2 strong probable prime: squares of primes p pass only for Wieferich p, but
     * the Lucas test needs non-squares anyway */
    if (lr_is_square(n)) {
        return 0;
    }
    return lr_strong_lucas(n);
}

/* ---- many at once ----------------------------------------------------------------------- */

#define LR_BATCH 2048 /* numbers gathered per pass */
#define LR_LANES 8 /* Miller-Rabin chains run side by side */
#define LR_LLANES 4 /* Lucas chains (Q = -1) run side by side */

/* The lane kernels are inlined into their callers: a full group (nl a constant) gets
 * unrolled code, and a short last group does only its own work instead of repeating a lane. */
#if defined(__GNUC__)
#define LR_LANES_INLINE static inline __attribute__((always_inline))
#else
#define LR_LANES_INLINE static inline
#endif

/*
 * Base-2 strong probable-prime test of nl <= LR_LANES odd numbers >= 3 at once: the lanes'
 * squarings are independent, so their multiplications overlap in the pipeline.  2^d by a
 * fixed 4-bit window: four squarings, then one product by 2^w (w = the next 4 bits of d)
 * from a table built by doublings.  The exponents are aligned at a common top (window
 * boundary); a lane with a shorter d squares Montgomery's 1 until its first window.
 */
LR_LANES_INLINE void
lr_sprp2_lanes(const uint64_t *n, int nl, int *pass)
{
    uint64_t minv[LR_LANES], one[LR_LANES], x[LR_LANES], d[LR_LANES];
    uint64_t tab[LR_LANES][16];
    int s[LR_LANES], top = 0;
    for (int j = 0; j < nl; j++) {
        minv[j] = lr_inv_2_64(n[j]);
        one[j] = (0u - n[j]) % n[j];
        s[j] = __builtin_ctzll(n[j] - 1);
        d[j] = (n[j] - 1) >> s[j];
        x[j] = one[j];
        tab[j][0] = one[j];
        for (int w = 1; w < 16; w++) {
            tab[j][w] = lr_addmod_nb(tab[j][w - 1], tab[j][w - 1], n[j]); /* 2^w R */
        }
        int t = lr_top_bit(d[j]);
        top = t > top ? t : top;
    }
    top |= 3;
    for (int b = top - 3; b >= 0; b -= 4) {
        /* step by step across the lanes, so that independent products sit side by side */
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < nl; j++) {
                x[j] = lr_mmul(x[j], x[j], n[j], minv[j]);
            }
        }
        for (int j = 0; j < nl; j++) {
            x[j] = lr_mmul(x[j], tab[j][(d[j] >> b) & 15u], n[j], minv[j]);
        }
    }
    for (int j = 0; j < nl; j++) {
        const uint64_t mone = n[j] - one[j];
        uint64_t y = x[j];
        int ok = y == one[j] || y == mone;
        for (int r = 1; r < s[j] && !ok; r++) {
            y = lr_mmul(y, y, n[j], minv[j]);
            if (y == one[j]) {
                break;
            }
            ok = y == mone;
        }
        pass[j] = ok;
    }
}

/*
 * The strong Lucas test with P = 1 and Selfridge's Q for nl <= LR_LLANES odd n at once, on the
 * sequence with Q' = 1: with gamma = alpha^2 / Q (a root of x^2 - P' x + 1, P' = P^2/Q - 2),
 *     V_2k(P, Q) = Q^k V'_k,
 * and for d = 2e + 1,  alpha^d = Q^(e-1) (U'_e alpha^3 - Q U'_e-1 alpha),  so
 *     U_d = Q^(e-1) (U'_e U_3 - Q U'_e-1),   V_d = Q^(e-1) (U'_e V_3 - Q P U'_e-1).
 * With X = 2 V'_e+1 - P' V'_e = D' U'_e and Y = P' X - D' V'_e = 2 D' U'_e-1 (D' = P'^2 - 4
 * = D P^2 / Q^2 is a unit), the test "U_d = 0, or V_(d 2^r) = 0 for some 0 <= r < s" reads
 *     2 X U_3 = Q Y,  or  2 X V_3 = Q P Y,  or  V'_(d 2^j) = 0 for some 0 <= j < s - 1,
 * all modulo n: two products per bit for every Q (no powers of Q are tracked).  A lane
 * whose Q shares a factor with n fails, as the test proper does (modulo such a prime,
 * U_k = V_k = 1 for k >= 1).
 */
LR_LANES_INLINE void
lr_lucas_lanes(const uint64_t *n, const int64_t *Q, int nl, int *pass)
{
    uint64_t minv[LR_LLANES], two[LR_LLANES], pp[LR_LLANES], vl[LR_LLANES], vh[LR_LLANES];
    uint64_t qm[LR_LLANES], dd[LR_LLANES], one[LR_LLANES];
    int s[LR_LLANES], unit[LR_LLANES], top = 0;
    for (int j = 0; j < nl; j++) {
        lr_mod_t c;
        lr_mod_init(&c, n[j]);
        uint64_t qr = lr_mod_reduce_i64(Q[j], n[j]), qi = 0;
        unit[j] = lr_mod_inverse_plain(qr, n[j], &qi);
        minv[j] = c.minv;
        one[j] = c.one;
        two[j] = lr_addmod_nb(c.one, c.one, n[j]);
        qm[j] = lr_mod_to(&c, qr);
        pp[j] = lr_submod_nb(lr_mod_to(&c, qi), two[j], n[j]); /* P' = 1/Q - 2 */
        s[j] = __builtin_ctzll(n[j] + 1);
        dd[j] = ((n[j] + 1) >> s[j]) >> 1; /* e = (d - 1) / 2 */
        vl[j] = two[j];
        vh[j] = pp[j];
        int t = lr_top_bit(dd[j]);
        top = t > top ? t : top;
    }
    for (int j = 0; j < nl; j++) {
        dd[j] <<= 63 - top;
    }
    for (int b = top; b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t nj = n[j], bit = dd[j] >> 63;
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], nj, minv[j]), pp[j], nj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, nj, minv[j]), two[j], nj);
            vl[j] = lr_sel(bit, vm, sq);
            vh[j] = lr_sel(bit, sq, vm);
            dd[j] += dd[j];
        }
    }
    for (int j = 0; j < nl; j++) {
        const uint64_t nj = n[j], mi = minv[j], o1 = one[j];
        pass[j] = 0;
        if (!unit[j]) {
            continue;
        }
        const uint64_t ve = vl[j], ve1 = vh[j], p = pp[j], q = qm[j];
        const uint64_t X = lr_submod_nb(lr_addmod_nb(ve1, ve1, nj), lr_mmul(p, ve, nj, mi), nj);
        const uint64_t four = lr_addmod_nb(two[j], two[j], nj);
        const uint64_t Dp = lr_submod_nb(lr_mmul(p, p, nj, mi), four, nj);
        const uint64_t Y = lr_submod_nb(lr_mmul(p, X, nj, mi), lr_mmul(Dp, ve, nj, mi), nj);
        const uint64_t qy = lr_mmul(q, Y, nj, mi), x2 = lr_addmod_nb(X, X, nj);
        const uint64_t u3 = lr_submod_nb(o1, q, nj); /* 1 - Q */
        const uint64_t v3 = lr_submod_nb(o1, lr_addmod_nb(lr_addmod_nb(q, q, nj), q, nj), nj);
        int ok = lr_mmul(x2, u3, nj, mi) == qy || lr_mmul(x2, v3, nj, mi) == qy;
        /* V'_d = V'_e V'_e+1 - P', then V'_2k = V'_k^2 - 2 */
        uint64_t v = lr_submod_nb(lr_mmul(ve, ve1, nj, mi), p, nj);
        for (int r = 0; r < s[j] - 1 && !ok; r++) {
            ok = v == 0;
            v = lr_submod_nb(lr_mmul(v, v, nj, mi), two[j], nj);
        }
        pass[j] = ok;
    }
}

/* Trial-division block: nonzero when one of the primes lr_td[i0 .. i0+8) divides n. */
static inline uint64_t
lr_td_block8(uint64_t n, int i0)
{
    uint64_t hit = 0;
    for (int i = i0; i < i0 + 8; i++) {
        hit |= (uint64_t)(n * lr_td[i].inv <= lr_td[i].lim);
    }
    return hit;
}

/* The strong Lucas test for the odd numbers v[0 .. count) (no squares of primes below 300
 * needed: squares are sorted out here); verdicts to res[pos[k]]. */
static void
lr_lucas_stage(const uint64_t *v, const int *pos, int count, char *res)
{
    uint64_t qv[LR_LLANES];
    int64_t qq[LR_LLANES];
    int qp[LR_LLANES], nq = 0;
    for (int k = 0; k < count; k++) {
        const uint64_t n = v[k];
        int64_t D;
        if (n == UINT64_MAX || lr_is_square(n) || lr_selfridge_d(n, &D)) {
            res[pos[k]] = 0;
        }
        else {
            qv[nq] = n;
            qq[nq] = (1 - D) / 4;
            qp[nq++] = pos[k];
        }
        if (nq == LR_LLANES || (k == count - 1 && nq > 0)) {
            int pass[LR_LLANES];
            if (nq == LR_LLANES) {
                lr_lucas_lanes(qv, qq, LR_LLANES, pass);
            }
            else {
                lr_lucas_lanes(qv, qq, nq, pass); /* a short last group: its own work */
            }
            for (int j = 0; j < nq; j++) {
                res[qp[j]] = (char)pass[j];
            }
            nq = 0;
        }
    }
}

/*
 * Verdicts for nb[0 .. count) into res.  The cheap stages shrink a list of candidates
 * (value and position) without branching on the data (a branch per number would mispredict
 * half the time on random input); only the survivors meet the expensive tests.
 */
static void
lr_is_prime_batch(const uint64_t *nb, int count, char *res)
{
    uint64_t cv[LR_BATCH];
    int cp[LR_BATCH], small[LR_BATCH], nc = 0, nsmall = 0;
    for (int i = 0; i < count; i++) {
        const uint64_t n = nb[i], odd = n & 1u, large = n >= LR_TD_PRIME_BELOW;
        /* large odd numbers exceed every prime of the table: a divisor proves them
         * composite */
        cv[nc] = n;
        cp[nc] = i;
        nc += (int)(odd & large);
        small[nsmall] = i;
        nsmall += (int)(odd & (large ^ 1u));
        res[i] = (char)(n == 2);
    }
    for (int k = 0; k < nsmall; k++) {
        res[small[k]] = (char)(nb[small[k]] > 1 && lr_trial_division(nb[small[k]]) == 1);
    }
    for (int i0 = 0; i0 + 8 <= LR_TD_COUNT; i0 += 8) {
        int c = 0;
        for (int k = 0; k < nc; k++) {
            cv[c] = cv[k];
            cp[c] = cp[k];
            c += (int)(lr_td_block8(cv[k], i0) ^ 1u);
        }
        nc = c;
    }
    for (int i0 = LR_TD_COUNT - LR_TD_COUNT % 8; i0 < LR_TD_COUNT; i0++) {
        int c = 0;
        for (int k = 0; k < nc; k++) {
            cv[c] = cv[k];
            cp[c] = cp[k];
            c += cv[k] * lr_td[i0].inv > lr_td[i0].lim;
        }
        nc = c;
    }
    /* base-2 strong probable primes, LR_LANES at a time; the survivors are compacted in
     * place */
    int np = 0;
    for (int k = 0; k < nc; k += LR_LANES) {
        uint64_t n[LR_LANES];
        int pass[LR_LANES];
        for (int j = 0; j < LR_LANES; j++) {
            n[j] = cv[k + j < nc ? k + j : k];
        }
        if (k + LR_LANES <= nc) {
            lr_sprp2_lanes(n, LR_LANES, pass);
        }
        else {
            lr_sprp2_lanes(n, nc - k, pass); /* a short last group: its own work */
        }
        for (int j = 0; j < LR_LANES && k + j < nc; j++) {
            cv[np] = n[j];
            cp[np] = cp[k + j];
            np += pass[j];
        }
    }
    /* the strong Lucas test, LR_LLANES at a time */
    lr_lucas_stage(cv, cp, np, res);
}

void
lr_is_prime_u64_many(size_t count, const char *in, ptrdiff_t is, int is_signed, char *out,
                     ptrdiff_t os)
{
    uint64_t nb[LR_BATCH];
    char res[LR_BATCH];
    for (size_t i0 = 0; i0 < count; i0 += LR_BATCH) {
        int c = count - i0 < LR_BATCH ? (int)(count - i0) : LR_BATCH;
        for (int i = 0; i < c; i++) {
            memcpy(&nb[i], in + (ptrdiff_t)(i0 + i) * is, sizeof nb[i]);
            if (is_signed && (int64_t)nb[i] < 0) {
                nb[i] = 0; /* negative numbers are not prime */
            }
        }
        lr_is_prime_batch(nb, c, res);
        for (int i = 0; i < c; i++) {
            out[(ptrdiff_t)(i0 + i) * os] = res[i];
        }
    }
}

void
lr_is_strong_lucas_prp_u64_many(size_t count, const char *in, ptrdiff_t is, int is_signed,
                                char *out, ptrdiff_t os)
{
    uint64_t cv[LR_BATCH];
    int cp[LR_BATCH];
    char res[LR_BATCH];
    for (size_t i0 = 0; i0 < count; i0 += LR_BATCH) {
        int c = count - i0 < LR_BATCH ? (int)(count - i0) : LR_BATCH, nc = 0;
        for (int i = 0; i < c; i++) {
            uint64_t n;
            memcpy(&n, in + (ptrdiff_t)(i0 + i) * is, sizeof n);
            if (is_signed && (int64_t)n < 0) {
                n = 0;
            }
            res[i] = (char)(n == 2);
            cv[nc] = n;
            cp[nc] = i;
            nc += (int)((n & 1u) & (uint64_t)(n >= 3));
        }
        lr_lucas_stage(cv, cp, nc, res);
        for (int i = 0; i < c; i++) {
            out[(ptrdiff_t)(i0 + i) * os] = res[i];
        }
    }
}
