/* float64 matrix products and powers (see lr_matpow_f64.c).  Plain C99, no Python.h. */
#ifndef LR_MATPOW_F64_H
#define LR_MATPOW_F64_H

#include <stdint.h>

/* C = A B for k x k row-major matrices: BLAS dgemm for large k, else plain loops. */
void lr_matmul_f64(int64_t k, const double *A, const double *B, double *C);

/* C = A^e (e >= 1) by sliding-window powering with the window width that needs the fewest
 * products for this e; work: 3 k*k doubles, apart from A and C.  Returns 0, or -1 when
 * memory for the larger tables of odd powers is short. */
int lr_matpow_f64_pow(int64_t k, const double *A, uint64_t e, double *C, double *work);

#endif
