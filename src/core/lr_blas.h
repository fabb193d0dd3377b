/* BLAS glue: the one dgemm the float64 matrix method needs, behind a symbol-prefix macro so
 * that scipy-openblas32 (scipy_cblas_dgemm) and a system OpenBLAS (cblas_dgemm) both work. */
#ifndef LR_BLAS_H
#define LR_BLAS_H

#include <stdint.h>

/* C = A*B for k x k row-major matrices through dgemm; returns 1 when it did the product,
 * 0 when BLAS is unavailable or k is below the tuned threshold (caller uses plain loops). */
int lr_blas_dgemm_square(int64_t k, const double *A, const double *B, double *C);

#endif
