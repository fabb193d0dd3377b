/*
 * Exact matrix powers over Python ints (lr_pyobj_matpow.c): what the object and uint64 loops
 * of matrix_power and matrix_power_mod compute.  Python.h, no NumPy; GIL held.
 */
#ifndef LR_PYOBJ_MATPOW_H
#define LR_PYOBJ_MATPOW_H

#include "lr_pyobj.h"

/*
 * A**n (m == NULL) or A**n mod m for a k x k matrix A, exact for Python ints of any size.
 *   a:   k*k borrowed references, row-major (the caller holds them: __index__ may run)
 *   n:   the exponent, m: the modulus (m >= 1); any objects, converted by __index__
 *   out: receives k*k new references, row-major, only when the call succeeds
 * Negative n uses the exact inverse: det(A) must be +-1 (or, mod m, a unit mod m).
 * Returns 0, or -1 with an exception: TypeError for non-integers, ValueError for m <= 0 or a
 * missing inverse, OverflowError when the exact power would pass LR_OBJ_MAX_BITS bits.
 * func names the public function in messages.
 */
int lr_obj_matpow(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n, PyObject *m,
                  PyObject **out);

#endif /* LR_PYOBJ_MATPOW_H */
