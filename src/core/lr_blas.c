/* BLAS glue (see lr_blas.h).  The CBLAS prototype is declared here rather than taken from
 * <cblas.h> so the build needs no header beyond the library itself. */
#include <limits.h>

#include "lr_blas.h"
#include "lr_core.h"

#ifdef LR_HAVE_BLAS

#ifdef BLAS_SYMBOL_PREFIX
#define LR_BLAS_PASTE_(p, n) p##n
#define LR_BLAS_PASTE(p, n) LR_BLAS_PASTE_(p, n)
#define LR_CBLAS_DGEMM LR_BLAS_PASTE(BLAS_SYMBOL_PREFIX, cblas_dgemm)
#else
#define LR_CBLAS_DGEMM cblas_dgemm
#endif

/* CBLAS enum values are fixed by the standard. */
enum { LR_CBLAS_ROW_MAJOR = 101, LR_CBLAS_NO_TRANS = 111 };

/* LP64 interface (32-bit ints), as in scipy-openblas32 and the usual system OpenBLAS. */
extern void LR_CBLAS_DGEMM(int order, int transa, int transb, int m, int n, int k,
                           double alpha, const double *a, int lda, const double *b, int ldb,
                           double beta, double *c, int ldc);

int
lr_blas_dgemm_square(int64_t k, const double *A, const double *B, double *C)
{
    if (k < LR_BLAS_MIN_K || k > INT_MAX) {
        return 0;
    }
    int n = (int)k;
    LR_CBLAS_DGEMM(LR_CBLAS_ROW_MAJOR, LR_CBLAS_NO_TRANS, LR_CBLAS_NO_TRANS, n, n, n, 1.0, A, n,
                   B, n, 0.0, C, n);
    return 1;
}

int
lr_have_blas(void)
{
    return 1;
}

#else

int
lr_blas_dgemm_square(int64_t k, const double *A, const double *B, double *C)
{
    (void)k;
    (void)A;
    (void)B;
    (void)C;
    return 0;
}

int
lr_have_blas(void)
{
    return 0;
}

#endif

#ifndef LR_BLAS_NAME
#define LR_BLAS_NAME "none"
#endif

const char *
lr_blas_info(void)
{
    return LR_BLAS_NAME;
}
