/* BLAS glue (see lr_blas.h).  The CBLAS prototype is declared here rather than taken from
 * <cblas.h> so the build needs no header beyond the library itself. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lr_blas.h"
#include "lr_core.h"
#include "lr_modarith.h"

#ifdef LR_HAVE_BLAS

#ifdef BLAS_SYMBOL_PREFIX
#define LR_BLAS_PASTE_(p, n) p##n
#define LR_BLAS_PASTE(p, n) LR_BLAS_PASTE_(p, n)
#define LR_CBLAS_DGEMM LR_BLAS_PASTE(BLAS_SYMBOL_PREFIX, cblas_dgemm)
#define LR_OPENBLAS_SET_THREADS LR_BLAS_PASTE(BLAS_SYMBOL_PREFIX, openblas_set_num_threads)
#else
#define LR_CBLAS_DGEMM cblas_dgemm
#define LR_OPENBLAS_SET_THREADS openblas_set_num_threads
#endif

extern void LR_OPENBLAS_SET_THREADS(int n);

/* CBLAS enum values are fixed by the standard. */
enum { LR_CBLAS_ROW_MAJOR = 101, LR_CBLAS_NO_TRANS = 111 };

/* LP64 interface (32-bit ints), as in scipy-openblas32 and the usual system OpenBLAS. */
extern void LR_CBLAS_DGEMM(int order, int transa, int transb, int m, int n, int k, double alpha,
                           const double *a, int lda, const double *b, int ldb, double beta,
                           double *c, int ldc);

#define LR_BLAS_ON 1
#else
#define LR_BLAS_ON 0 /* every entry point below answers "not done" before any BLAS call */
#endif

/* C = A B for n x n row-major matrices. */
static void
lr_dgemm(int n, const double *A, const double *B, double *C)
{
#if LR_BLAS_ON
    LR_CBLAS_DGEMM(LR_CBLAS_ROW_MAJOR, LR_CBLAS_NO_TRANS, LR_CBLAS_NO_TRANS, n, n, n, 1.0, A, n, B,
                   n, 0.0, C, n);
#else
    (void)n;
    (void)A;
    (void)B;
    (void)C;
#endif
}

void
lr_blas_set_threads(int n)
{
#if LR_BLAS_ON
    LR_OPENBLAS_SET_THREADS(n < 1 ? 1 : n);
#else
    (void)n;
#endif
}

int
lr_have_blas(void)
{
    return LR_BLAS_ON;
}

int
lr_blas_dgemm_square(int64_t k, const double *A, const double *B, double *C)
{
    if (!LR_BLAS_ON || k < LR_BLAS_MIN_K || k > INT_MAX) {
        return 0;
    }
    lr_dgemm((int)k, A, B, C);
    return 1;
}

int
lr_blas_matmul_mod(int64_t k, const uint64_t *A, const uint64_t *B, uint64_t *C, uint64_t m)
{
    if (!LR_BLAS_ON || k < LR_BLAS_MIN_K || k > INT_MAX || m < 2) {
        return 0;
    }
    /* piece width s: k * (2^s - 1)^2 < 2^53 keeps every piece dot product exact */
    int lk = 0;
    while (((int64_t)1 << lk) < k) {
        lk++;
    }
    int s = (53 - lk) / 2;
    int mbits = 0;
    while (mbits < 64 && (m - 1) >> mbits) {
        mbits++;
    }
    int np = (mbits + s - 1) / s;
    if (s < 8 || np < 1) {
        return 0;
    }
    size_t kk = (size_t)k * (size_t)k;
    int nr = 2 * np - 1;
    double *Ap = malloc(sizeof(double) * kk * (size_t)np);
    double *Bp = malloc(sizeof(double) * kk * (size_t)np);
    double *D = malloc(sizeof(double) * kk);
    uint64_t *E = calloc(kk * (size_t)nr, sizeof(uint64_t));
    if (Ap == NULL || Bp == NULL || D == NULL || E == NULL) {
        free(Ap);
        free(Bp);
        free(D);
        free(E);
        return 0;
    }
    const uint64_t mask = ((uint64_t)1 << s) - 1;
    for (size_t i = 0; i < kk; i++) {
        uint64_t a = A[i], b = B[i];
        for (int p = 0; p < np; p++) {
            Ap[(size_t)p * kk + i] = (double)((a >> (s * p)) & mask);
            Bp[(size_t)p * kk + i] = (double)((b >> (s * p)) & mask);
        }
    }
    for (int p = 0; p < np; p++) {
        for (int q = 0; q < np; q++) {
            lr_dgemm((int)k, Ap + (size_t)p * kk, Bp + (size_t)q * kk, D);
            /* each entry is an exact integer < 2^53; at most np of them add into E[p+q] */
            uint64_t *Er = E + (size_t)(p + q) * kk;
            for (size_t i = 0; i < kk; i++) {
                Er[i] += (uint64_t)D[i];
            }
        }
    }
    /* C = sum_r (E_r mod m) * (2^(s r) mod m) mod m */
    uint64_t shift[2 * 64];
    shift[0] = 1 % m;
    for (int r = 1; r < nr; r++) {
        shift[r] = lr_u128_mod((lr_u128)shift[r - 1] << s, m);
    }
    for (size_t i = 0; i < kk; i++) {
        lr_u128 acc = 0;
        for (int r = 0; r < nr; r++) {
            /* each reduced term is below m < 2^64, so the sum of <= 127 fits */
            acc += lr_u128_mod((lr_u128)(E[(size_t)r * kk + i] % m) * shift[r], m);
        }
        C[i] = lr_u128_mod(acc, m);
    }
    free(Ap);
    free(Bp);
    free(D);
    free(E);
    return 1;
}

#ifndef LR_BLAS_NAME
#define LR_BLAS_NAME "none"
#endif

const char *
lr_blas_info(void)
{
    return LR_BLAS_NAME;
}
