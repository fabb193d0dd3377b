/*
 * Bostan and Mori, "A simple and fast algorithm for computing the N-th term of a linearly
 * recurrent sequence" (2021): with A(x) = sum a[n] x^n = P(x) / Q(x),
 *     Q(x) = 1 - sum_{j=1..k} c[k-j] x^j,   P = A Q mod x^k,
 * and the identity P(x)/Q(x) = P(x) Q(-x) / (Q(x) Q(-x)), whose denominator is even,
 *     [x^n] P/Q = [x^(n div 2)] U_(n mod 2) / V_0,
 * where U = P(x) Q(-x) = U_0(x^2) + x U_1(x^2) and V(x^2) = Q(x) Q(-x).  One product of
 * degree-k polynomials per bit of n: O(k log k log n), against O(k^2 log n) for Fiduccia.
 *
 * Any modulus m: the products go through lr_ntt (m itself when it is an NTT prime, else
 * one to three 62-bit primes and CRT back to m after every step, so P and Q stay residues).
 * Per step and prime: two forward transforms of length N >= 2k; the halves U_b and V_0 are
 * formed pointwise (forward output is bit-reversed, so P(w^j) and P(-w^j) are neighbours),
 *     U_0(w^2j) = (U(w^j) + U(-w^j)) / 2,   U_1(w^2j) = (U(w^j) - U(-w^j)) / (2 w^j),
 *     V_0(w^2j) = Q(w^j) Q(-w^j),
 * and only two inverse transforms of length N/2 follow (3 length-N transforms, not 4).
 * Q(0) = 1 throughout, so N = 2k suffices: the one wrapped coefficient, V_0's x^k, comes
 * back added to the known constant term 1.
 */
#include "lr_bostan_mori.h"

#include <stdlib.h>
#include <string.h>

#include "lr_modarith.h"
#include "lr_ntt.h"

size_t
lr_bm_length(int64_t k)
{
    size_t N = 4;
    while (N < (size_t)(2 * k)) {
        N <<= 1;
    }
    return N;
}

size_t
lr_bm_work_elems(int64_t k)
{
    const size_t N = lr_bm_length(k);
    if (N > ((size_t)1 << 33)) {
        return 0; /* past the transform primes' 2-adic range: the method never applies */
    }
    /* plan tables; P and Q per prime (N each); P, Q modulo m (k + 1 each) */
    return lr_ntt_plan_elems(N) + LR_NTT_MAX_PRIMES * 2 * N + 2 * (size_t)k + 2;
}

int
lr_bm_prime_count(const lr_mod_t *x, int64_t k, int *direct)
{
    return lr_ntt_prime_count(x->m, (uint64_t)k + 1, lr_bm_length(k), direct);
}

int
lr_bm_applies(const lr_mod_t *x, int64_t k)
{
    int direct;
    return k >= 2 && lr_bm_prime_count(x, k, &direct) > 0;
}

int
lr_bm_forced(void)
{
    const char *force = getenv("LUCAS_BM_FORCE");
    return force != NULL && (force[0] == '0' || force[0] == '1') ? force[0] - '0' : -1;
}

int
lr_bm_preferred(const lr_mod_t *x, int64_t k)
{
    static const uint64_t cost[4] = {LR_BM_COST_DIRECT, LR_BM_COST_1, LR_BM_COST_2, LR_BM_COST_3};
    if (k < LR_BM_MIN_K) {
        return 0; /* never below (so small calls pay no getenv either) */
    }
    const int force = lr_bm_forced();
    if (force >= 0) {
        return force == 1 && lr_bm_applies(x, k);
    }
    int direct;
    const int count = lr_bm_prime_count(x, k, &direct);
    if (count == 0) {
        return 0;
    }
    if (k >= ((int64_t)1 << 20)) {
        return 1; /* past every crossover (and k^2 below would near overflow) */
    }
    const uint64_t N = lr_bm_length(k);
    uint64_t lg = 0;
    while (((uint64_t)1 << lg) < N) {
        lg++;
    }
    const uint64_t kk = (uint64_t)k;
    return cost[direct ? 0 : count] * N * lg < LR_BM_COST_FIDUCCIA * kk * kk;
}

/* One step's halving for one prime: Pf, Qf hold P and Q evaluated (bit-reversed, [0, 2p));
 * leaves U_b and V_0 (coefficients, times the factors lr_bm_term undoes) in their first
 * N/2 entries. */
static void
lr_bm_halve(const lr_ntt_prime *q, uint64_t *Pf, uint64_t *Qf, size_t N, unsigned b)
{
    const uint64_t p = q->p;
    const size_t h = N / 2;
    if (b == 0) {
        for (size_t s = 0; s < h; s++) {
            const uint64_t a = Pf[2 * s], a1 = Pf[2 * s + 1];
            const uint64_t c = Qf[2 * s], c1 = Qf[2 * s + 1];
            Pf[s] = lr_ntt_mul(q, a, c1) + lr_ntt_mul(q, a1, c);
            Qf[s] = lr_ntt_mul(q, c, c1);
        }
    }
    else {
        for (size_t s = 0; s < h; s++) {
            const uint64_t a = Pf[2 * s], a1 = Pf[2 * s + 1];
            const uint64_t c = Qf[2 * s], c1 = Qf[2 * s + 1];
            const uint64_t d = lr_ntt_mul(q, a, c1) + p - lr_ntt_mul(q, a1, c);
            Pf[s] = lr_shoup_mul(d, q->odd[s], q->odds[s], p);
            Qf[s] = lr_ntt_mul(q, c, c1);
        }
    }
    lr_ntt_inverse(q, Pf, h);
    lr_ntt_inverse(q, Qf, h);
}

/* [x^n] P/Q for n < k by the power series recurrence, O(n^2): cheaper than the last
 * log2(n) halvings once n is small.  P, Q plain residues, Q(0) = 1; a, qw: n + 1
 * scratch each. */
static uint64_t
lr_bm_series(const lr_mod_t *x, const uint64_t *P, const uint64_t *Q, uint64_t n, uint64_t *a,
             uint64_t *qw)
{
    for (uint64_t i = 0; i <= n; i++) {
        qw[i] = lr_mod_to(x, Q[i]);
    }
    for (uint64_t i = 0; i <= n; i++) {
        uint64_t s = lr_mod_to(x, P[i]);
        for (uint64_t j = 1; j <= i; j++) {
            s = lr_mod_sub(x, s, lr_mod_mul(x, qw[j], a[i - j]));
        }
        a[i] = s;
    }
    return lr_mod_from(x, a[n]);
}

uint64_t
lr_bm_term(const lr_mod_t *x, int64_t k, const uint64_t *c, const uint64_t *init, uint64_t n,
           uint64_t *work)
{
    const uint64_t m = x->m;
    if (n < (uint64_t)k) {
        return lr_mod_from(x, init[n]);
    }
    const size_t N = lr_bm_length(k), K = (size_t)k;
    lr_ntt_plan pl;
    lr_ntt_plan_init(&pl, m, (uint64_t)k + 1, N, work); /* lr_bm_applies held */
    uint64_t *Pf[LR_NTT_MAX_PRIMES], *Qf[LR_NTT_MAX_PRIMES];
    uint64_t *data = work + lr_ntt_plan_elems(N);
    for (int j = 0; j < LR_NTT_MAX_PRIMES; j++) {
        Pf[j] = data + 2 * N * (size_t)j;
        Qf[j] = Pf[j] + N;
    }
    uint64_t *P = data + LR_NTT_MAX_PRIMES * 2 * N, *Q = P + K + 1;
    /* the factors the REDC products and unscaled inverses leave: 2^64/N, 2^64/(N/2) */
    uint64_t sN[LR_NTT_MAX_PRIMES], sNs[LR_NTT_MAX_PRIMES];
    uint64_t sH[LR_NTT_MAX_PRIMES], sHs[LR_NTT_MAX_PRIMES];
    for (int j = 0; j < pl.count; j++) {
        lr_ntt_scale(&pl.pr[j], N, &sN[j], &sNs[j]);
        lr_ntt_scale(&pl.pr[j], N / 2, &sH[j], &sHs[j]);
    }
    /* Q = 1 - sum c[k-j] x^j; P = A Q mod x^k (one full product, A = the initial values) */
    Q[0] = 1;
    for (size_t j = 1; j <= K; j++) {
        const uint64_t v = lr_mod_from(x, c[K - j]);
        Q[j] = v == 0 ? 0 : m - v;
    }
    for (size_t i = 0; i < K; i++) {
        P[i] = lr_mod_from(x, init[i]);
    }
    for (int j = 0; j < pl.count; j++) {
        const lr_ntt_prime *q = &pl.pr[j];
        lr_ntt_load_forward(q, P, K, Pf[j], N);
        lr_ntt_load_forward(q, Q, K + 1, Qf[j], N);
        for (size_t s = 0; s < N; s++) {
            Pf[j][s] = lr_ntt_mul(q, Pf[j][s], Qf[j][s]);
        }
        lr_ntt_inverse(q, Pf[j], N);
    }
    lr_ntt_crt(&pl, Pf, sN, sNs, K, P);
    /* the series finishes the last steps: below n = 256 it costs less than they do */
    const uint64_t tail = x->odd ? 256 : 64;
    while (n >= tail || n >= (uint64_t)K) {
        for (int j = 0; j < pl.count; j++) {
            const lr_ntt_prime *q = &pl.pr[j];
            lr_ntt_load_forward(q, P, K, Pf[j], N);
            lr_ntt_load_forward(q, Q, K + 1, Qf[j], N);
            lr_bm_halve(q, Pf[j], Qf[j], N, (unsigned)(n & 1u));
        }
        /* U_b carries 2 (from the halving) and N/2 (the inverse): 2^64/N undoes both */
        lr_ntt_crt(&pl, Pf, sN, sNs, K, P);
        if (N / 2 == K) {
            /* V_0's x^k wrapped onto its constant term, which is Q(0)^2 = 1 */
            lr_ntt_crt(&pl, Qf, sH, sHs, K, Q);
            Q[K] = Q[0] == 0 ? m - 1 : Q[0] - 1;
        }
        else {
            lr_ntt_crt(&pl, Qf, sH, sHs, K + 1, Q);
        }
        Q[0] = 1;
        n >>= 1;
    }
    return lr_bm_series(x, P, Q, n, Pf[0], Qf[0]);
}
