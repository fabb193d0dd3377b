/*
 * float64 matrix powers.  For large k every product is one dgemm, and nothing else costs
 * anything, so the only lever left is the number of products.  Binary powering of e with
 * L bits and popcount v needs L - 1 squarings and v - 1 products; a sliding window of w bits
 * over e (left to right, odd digits up to 2^w - 1 precomputed) trades some of the v - 1
 * products for the table, and the width is chosen per e by counting (n = 10^6: 24 products
 * instead of 25).  The accumulator alternates between C and one scratch buffer, started so
 * that the last product lands in C: no copies.
 */
#include "lr_matpow_f64.h"

#include <stdlib.h>
#include <string.h>

#include "lr_blas.h"

/* Widest window tried: its table holds 2^(w-1) - 1 matrices besides A. */
#define LR_MPF_MAX_W 4

void
lr_matmul_f64(int64_t k, const double *A, const double *B, double *C)
{
    if (lr_blas_dgemm_square(k, A, B, C)) {
        return;
    }
    /* no zero skipping: 0 * inf must give NaN as in any matrix product */
    for (int64_t i = 0; i < k; i++) {
        double *c = C + i * k;
        for (int64_t j = 0; j < k; j++) {
            c[j] = 0.0;
        }
        for (int64_t l = 0; l < k; l++) {
            const double a = A[i * k + l], *b = B + l * k;
            for (int64_t j = 0; j < k; j++) {
                c[j] += a * b[j];
            }
        }
    }
}

/* The window of width <= w whose top bit is bit i (set) of e: its odd digit; *len its bits. */
static unsigned
lr_mpf_window(uint64_t e, int i, int w, int *len)
{
    int j = i - w + 1 < 0 ? 0 : i - w + 1;
    while (!((e >> j) & 1u)) {
        j++;
    }
    *len = i - j + 1;
    return (unsigned)((e >> j) & ((1u << *len) - 1u));
}

/* Products after the first window for width w; *maxd receives the largest digit used. */
static int
lr_mpf_steps(uint64_t e, int w, unsigned *maxd)
{
    int i = 63 - __builtin_clzll(e), len, steps = 0, first = 1;
    unsigned m = 1;
    while (i >= 0) {
        if (!((e >> i) & 1u)) {
            steps++; /* one squaring */
            i--;
            continue;
        }
        unsigned d = lr_mpf_window(e, i, w, &len);
        m = d > m ? d : m;
        steps += first ? 0 : len + 1; /* len squarings and one product by A^d */
        first = 0;
        i -= len;
    }
    *maxd = m;
    return steps;
}

int
lr_matpow_f64_pow(int64_t k, const double *A, uint64_t e, double *C, double *work)
{
    /* the width with the fewest products in all (table: A^2 and the odd powers up to maxd) */
    int w = 1, best = -1;
    for (int c = 1; c <= LR_MPF_MAX_W; c++) {
        unsigned m;
        int total = lr_mpf_steps(e, c, &m);
        total += m > 1 ? 1 + (int)(m - 1) / 2 : 0;
        if (best < 0 || total < best) {
            best = total;
            w = c;
        }
    }
    unsigned maxd;
    int steps = lr_mpf_steps(e, w, &maxd);
    const size_t kk = (size_t)(k * k);
    const size_t nodd = (maxd - 1) / 2; /* A^3, A^5, ..., A^maxd */
    double *t0 = work, *t1 = work + kk, *odd = work + 2 * kk, *more = NULL;
    if (nodd > 1) {
        /* A^3 fits the work; a fresh table only for wider windows */
        more = malloc(nodd * kk * sizeof *more);
        if (more == NULL) {
            return -1;
        }
        odd = more;
    }
    if (nodd > 0) {
        lr_matmul_f64(k, A, A, t1); /* A^2 */
        for (size_t i = 0; i < nodd; i++) {
            lr_matmul_f64(k, i ? odd + (i - 1) * kk : A, t1, odd + i * kk);
        }
    }
    int i = 63 - __builtin_clzll(e), len;
    unsigned d = lr_mpf_window(e, i, w, &len);
    i -= len;
    const double *cur = d == 1 ? A : odd + (d - 3) / 2 * kk;
    /* steps writes alternate between C and t0, the last one into C */
    double *dst = steps & 1 ? C : t0, *other = steps & 1 ? t0 : C;
    if (steps == 0) {
        memcpy(C, cur, kk * sizeof *C);
    }
    while (i >= 0) {
        int sq = 1;
        const double *by = NULL;
        if ((e >> i) & 1u) {
            d = lr_mpf_window(e, i, w, &len);
            sq = len;
            by = d == 1 ? A : odd + (d - 3) / 2 * kk;
        }
        i -= sq;
        for (int s = 0; s < sq; s++) {
            lr_matmul_f64(k, cur, cur, dst);
            cur = dst;
            dst = other;
            other = (double *)cur;
        }
        if (by != NULL) {
            lr_matmul_f64(k, cur, by, dst);
            cur = dst;
            dst = other;
            other = (double *)cur;
        }
    }
    free(more);
    return 0;
}
