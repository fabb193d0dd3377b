/*
 * Exact matrix powers over Python ints or any ring (lr_pyobj_matpow.c): what the object and
 * uint64 loops of matrix_power and matrix_power_mod compute.  Python.h, no NumPy; GIL held.
 */
#ifndef LR_PYOBJ_MATPOW_H
#define LR_PYOBJ_MATPOW_H

#include "lr_pyobj.h"

/*
 * A**n (m == NULL) or A**n mod m for a k x k matrix A, exact for Python ints of any size.
 *   a:   k*k borrowed references, row-major (the caller holds them: __index__ may run)
 *   n:   the exponent, m: the modulus (m >= 1); any objects, converted by __index__
 *   out: receives k*k new references, row-major, only when the call succeeds
 * Entries are classified as lucas.term classifies its elements (lr_obj_classify_as): without
 * a modulus they may also be numbers of any commutative ring (Fraction, float, complex,
 * Decimal, gmpy2 mpz/mpq, flint fmpz/fmpq/nmod, SymPy numbers, ...), and the power is then
 * computed with their own +, - and * (results keep their type by Python's operator rules);
 * with one, integer-like elements (mpz, fmpz, SymPy Integer) are read as Python ints.
 * Negative n uses the inverse: over the integers (and integer types such as mpz) det(A) must
 * be +-1, mod m a unit mod m; other rings invert by Gauss-Jordan with true division, each
 * pivot a unit (lr_ring_reciprocal, as term asks of c[0]).
 * Returns 0, or -1 with an exception: TypeError for entries of no ring (or non-integers with
 * a modulus), ValueError for m <= 0 or a missing inverse, OverflowError when an exact integer
 * power would pass LR_OBJ_MAX_BITS bits; the elements' own exceptions pass unchanged.
 * func names the public function in messages.
 */
int lr_obj_matpow(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n, PyObject *m,
                  PyObject **out);

#endif /* LR_PYOBJ_MATPOW_H */
