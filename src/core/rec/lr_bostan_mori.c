/*
 * Bostan and Mori, "A simple and fast algorithm for computing the N-th term of a linearly
 * recurrent sequence" (2021): with A(x) = sum a[n] x^n = P(x) / Q(x),
 *     Q(x) = 1 - sum_{j=1..k} c[k-j] x^j,   P = A Q mod x^k,
 * and the identity P(x)/Q(x) = P(x) Q(-x) / (Q(x) Q(-x)), whose denominator is even,
 *     [x^n] P/Q = [x^(n div 2)] U_(n mod 2) / V_0,
 * where U = P(x) Q(-x) = U_0(x^2) + x U_1(x^2) and V(x^2) = Q(x) Q(-x).  One product of
 * degree-k polynomials per bit of n: with number-theoretic transforms of length N > 2k,
 * O(k log k log n), against O(k^2 log n) for Fiduccia.
 *
 * The transforms need a primitive N-th root of unity mod m, so m is a prime with N | m - 1
 * (998244353 = 119 2^23 + 1, 2^64 - 2^32 + 1, ...).  The forward transform (decimation in
 * frequency) leaves its output in bit-reversed order and the inverse (decimation in time)
 * takes it so; there, Q(-x) is Q with adjacent entries swapped (-w^i = w^(i + N/2), and
 * i + N/2 flips the lowest bit of the reversed index).  The inverse transform skips the
 * factor 1/N: P and Q are scaled alike, and the answer is the ratio P(0)/Q(0).
 */
#include "lr_bostan_mori.h"

#include <string.h>

#include "lr_modarith.h"
#include "lr_primality.h"

size_t
lr_bm_length(int64_t k)
{
    size_t N = 1;
    while (N <= (size_t)(2 * k)) {
        N <<= 1;
    }
    return N;
}

size_t
lr_bm_work_elems(int64_t k)
{
    const size_t N = lr_bm_length(k);
    return 6 * N;   /* P, Q, U, V; the twiddles of w and of w^-1, N each */
}

int
lr_bm_applies(const lr_mod_t *x, int64_t k)
{
    const size_t N = lr_bm_length(k);
    return x->odd && x->m > 2 && (x->m - 1) % N == 0 && lr_is_prime_u64(x->m);
}

/* Twiddles stage by stage: tw[len + j] = w^(j N / (2 len)) for j < len, len = 1, 2, .., N/2,
 * so that every stage reads its own contiguous run (N - 1 entries, tw[0] unused). */
static void
lr_ntt_twiddles(const lr_mod_t *x, uint64_t w, size_t N, uint64_t *tw)
{
    /* the last stage holds all powers w^0 .. w^(N/2 - 1); each earlier one every other */
    uint64_t *last = tw + N / 2;
    last[0] = x->one;
    for (size_t j = 1; j < N / 2; j++) {
        last[j] = lr_mmul(last[j - 1], w, x->m, x->minv);
    }
    for (size_t len = N / 4; len >= 1; len >>= 1) {
        for (size_t j = 0; j < len; j++) {
            tw[len + j] = tw[2 * len + 2 * j];
        }
    }
    tw[0] = x->one;
}

/* In place, natural order in, bit-reversed out. */
static void
lr_ntt_forward(const lr_mod_t *x, uint64_t *a, size_t N, const uint64_t *tw)
{
    const uint64_t m = x->m, mi = x->minv;
    for (size_t len = N / 2; len >= 2; len >>= 1) {
        const uint64_t *t = tw + len;
        for (size_t s = 0; s < N; s += 2 * len) {
            uint64_t *lo = a + s, *hi = a + s + len;
            for (size_t j = 0; j < len; j++) {
                const uint64_t u = lo[j], v = hi[j];
                lo[j] = lr_addmod_nb(u, v, m);
                hi[j] = lr_mmul(lr_submod_nb(u, v, m), t[j], m, mi);
            }
        }
    }
    for (size_t s = 0; s < N; s += 2) {   /* len 1: the twiddle is 1 */
        const uint64_t u = a[s], v = a[s + 1];
        a[s] = lr_addmod_nb(u, v, m);
        a[s + 1] = lr_submod_nb(u, v, m);
    }
}

/* In place, bit-reversed in, natural out, without the factor 1/N; itw as tw for w^-1. */
static void
lr_ntt_inverse(const lr_mod_t *x, uint64_t *a, size_t N, const uint64_t *itw)
{
    const uint64_t m = x->m, mi = x->minv;
    for (size_t s = 0; s < N; s += 2) {   /* len 1 */
        const uint64_t u = a[s], v = a[s + 1];
        a[s] = lr_addmod_nb(u, v, m);
        a[s + 1] = lr_submod_nb(u, v, m);
    }
    for (size_t len = 2; len < N; len <<= 1) {
        const uint64_t *t = itw + len;
        for (size_t s = 0; s < N; s += 2 * len) {
            uint64_t *lo = a + s, *hi = a + s + len;
            for (size_t j = 0; j < len; j++) {
                const uint64_t u = lo[j], v = lr_mmul(hi[j], t[j], m, mi);
                lo[j] = lr_addmod_nb(u, v, m);
                hi[j] = lr_submod_nb(u, v, m);
            }
        }
    }
}

uint64_t
lr_bm_term(const lr_mod_t *x, int64_t k, const uint64_t *c, const uint64_t *init,
           uint64_t n, uint64_t *work)
{
    const uint64_t m = x->m, mi = x->minv;
    if (n < (uint64_t)k) {
        return lr_mod_from(x, init[n]);
    }
    const size_t N = lr_bm_length(k);
    uint64_t *P = work, *Q = P + N, *U = Q + N, *V = U + N, *tw = V + N, *itw = tw + N;
    /* a primitive N-th root of unity: z^((m-1)/N) has order exactly N when its N/2-th
     * power is -1 (z = 2, 3, ... until one does; half of all z are non-residues) */
    const uint64_t mone = m - x->one;
    uint64_t w = 0;
    for (uint64_t z = 2; z < m; z++) {
        w = lr_mont_pow(x, lr_mod_to(x, z), (m - 1) / N);
        if (lr_mont_pow(x, w, N / 2) == mone) {
            break;
        }
    }
    lr_ntt_twiddles(x, w, N, tw);
    lr_ntt_twiddles(x, lr_mont_pow(x, w, N - 1), N, itw);
    /* Q = 1 - sum c[k-j] x^j, P = A Q mod x^k */
    memset(Q, 0, N * sizeof *Q);
    memset(P, 0, N * sizeof *P);
    Q[0] = x->one;
    for (int64_t j = 1; j <= k; j++) {
        Q[j] = lr_submod_nb(0, c[k - j], m);
    }
    for (int64_t i = 0; i < k; i++) {
        uint64_t s = 0;
        for (int64_t j = 0; j <= i; j++) {
            s = lr_addmod_nb(s, lr_mmul(init[j], Q[i - j], m, mi), m);
        }
        P[i] = s;
    }
    while (n > 0) {
        lr_ntt_forward(x, P, N, tw);
        lr_ntt_forward(x, Q, N, tw);
        for (size_t s = 0; s < N; s++) {
            U[s] = lr_mmul(P[s], Q[s ^ 1u], m, mi);
            V[s] = lr_mmul(Q[s], Q[s ^ 1u], m, mi);
        }
        lr_ntt_inverse(x, U, N, itw);
        lr_ntt_inverse(x, V, N, itw);
        const size_t b = (size_t)(n & 1u);
        memset(P, 0, N * sizeof *P);
        memset(Q, 0, N * sizeof *Q);
        for (int64_t i = 0; i < k; i++) {
            P[i] = U[2 * (size_t)i + b];
        }
        for (int64_t i = 0; i <= k; i++) {
            Q[i] = V[2 * (size_t)i];
        }
        n >>= 1;
    }
    /* a[n] = P(0) / Q(0); Q(0) is a power of N, a unit */
    uint64_t qi = 0;
    lr_mod_inverse_plain(lr_mod_from(x, Q[0]), m, &qi);
    return lr_mod_from(x, lr_mmul(P[0], lr_mod_to(x, qi), m, mi));
}
