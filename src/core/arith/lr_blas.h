/* BLAS glue: the one dgemm the float64 matrix method needs, behind a symbol-prefix macro so
 * that scipy-openblas32 (scipy_cblas_dgemm) and a system OpenBLAS (cblas_dgemm) both work. */
#ifndef LR_BLAS_H
#define LR_BLAS_H

#include <stdint.h>

/* C = A*B for k x k row-major matrices through dgemm; returns 1 when it did the product,
 * 0 when BLAS is unavailable or k is below the tuned threshold (caller uses plain loops). */
int lr_blas_dgemm_square(int64_t k, const double *A, const double *B, double *C);

/* C = A*B mod m for k x k row-major matrices of residues in [0, m), exactly, through dgemm
 * (FFLAS-style: operands split into pieces small enough that every dot product of pieces is
 * an exact double).  Returns 1 when it did the product, 0 when BLAS is unavailable, k is
 * below the threshold, or memory is short (caller uses plain loops). */
int lr_blas_matmul_mod(int64_t k, const uint64_t *A, const uint64_t *B, uint64_t *C, uint64_t m);

/* Threads OpenBLAS may use inside one dgemm (a process-wide setting of that library).
 * lucas sets 1 at import: its loops already run in parallel threads (dask), and OpenBLAS's
 * spinning workers slow down badly on an oversubscribed machine. */
void lr_blas_set_threads(int n);

#endif
