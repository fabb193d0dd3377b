/*
 * The elements of object arrays (lr_pyobj_ring.c), private to src/pyobj: exact Python ints
 * (the fast path, with its size cap and shifts) or elements of any commutative ring kept as
 * given (Fraction, gmpy2.mpz/mpq, flint.fmpz/fmpq/nmod/fmpz_mod, SymPy numbers, float,
 * complex, Decimal, ...), of which the algorithms use only +, -, * and == (and true division
 * by c[0] for negative indices).  GIL held; new references or NULL with an exception set.
 */
#ifndef LR_PYOBJ_RING_H
#define LR_PYOBJ_RING_H

#include "lr_pyobj.h"

/* What an element may be: a ring element, or only an integer (indices, moduli, and the
 * coefficients of residues, which are defined for integers only). */
typedef enum {
    LR_ELEM_RING = 0,
    LR_ELEM_INDEX = 1,
    LR_ELEM_RESIDUE = 2,
} lr_elem_kind;

/* 1: an element of another ring than the integers (kept as it is), 0: an integer (int,
 * bool, np.integer, np.bool_, or an integer only through __index__), -1: not a number of a
 * ring (str, bytes, None, no +, - and *), -2: error.  Runs none of v's own methods. */
int lr_obj_classify(PyObject *v);

/* lr_obj_classify for an element that may only be an integer when kind is LR_ELEM_INDEX or
 * LR_ELEM_RESIDUE: then anything with __index__ (mpz, fmpz, SymPy Integer) counts as one. */
int lr_obj_classify_as(PyObject *v, lr_elem_kind kind);

/* The exact Python int of an element classified as an integer: np.bool_ as 0/1 (as bool
 * arrays read), anything else by __index__. */
PyObject *lr_obj_integer(PyObject *v);

/*
 * One element as a new reference: an exact Python int (*is_int = 1) for ints, bools,
 * np.integer, np.bool_ and objects that are integers only through __index__; otherwise
 * (kind LR_ELEM_RING) the element itself (*is_int = 0).  TypeError naming `what` otherwise.
 */
PyObject *lr_obj_element(const char *func, const char *what, PyObject *v, lr_elem_kind kind,
                         int *is_int);

/*
 * The ring's zero (the sum of e - e: mixed types follow Python's operator rules) and one
 * (zero + 1), new references; 0 or -1.  The sum runs over c (any k elements: the entries of
 * a matrix, with init NULL) and the initial values that are
 * integers of another type (mpz, fmpz: no infinities), or over all of init when all_init
 * (init may be NULL: the coefficients alone).
 * The algorithms start from these: other initial values enter only through the products the
 * recurrence itself forms (an infinite init[1] makes no NaN in a[0]).
 */
int lr_ring_units(Py_ssize_t k, PyObject *const *c, PyObject *const *init, int all_init,
                  PyObject **zero, PyObject **one);

/* 1 when every one of the count elements has __index__ (int, mpz, fmpz, SymPy Integer): a
 * ring of integers, whose units are 1 and -1 and which is inverted over the integers;
 * 0 when the elements are taken for a field, inverted with true division. */
int lr_ring_integral(Py_ssize_t count, PyObject *const *e);

/*
 * 1 / d in the ring of the given zero and one, in *q.  Returns 0 with the quotient; -1 with
 * the elements' own exception (from == or /); -2 with no exception when d is not invertible
 * (d == 0, or the division raised ArithmeticError or ValueError); -3 when the quotient is a
 * float or complex but one is not (the ring is no field): *q is then a new reference, to name
 * its type, and nothing is raised.
 */
int lr_ring_reciprocal(PyObject *d, PyObject *zero, PyObject *one, PyObject **q);

/*
 * The inverse of c[0] for running the recurrence backwards (n names the index asked for):
 * over integer types (every element has __index__: int, mpz, fmpz, SymPy Integer) c[0]
 * itself when it is 1 or -1; otherwise one / c[0] (true division).  ValueError saying why
 * when c[0] is not invertible or the division leaves the ring (not a field).
 */
PyObject *lr_ring_inverse(const char *func, PyObject *n, Py_ssize_t k, PyObject *const *c,
                          PyObject *const *init);

/*
 * a[n] for n = mag >= 2 of an order-2 recurrence over any ring by the ladder on
 * (U_j, U_j+1), U_0 = 0, U_1 = 1 (no division anywhere):
 *   U_2j = U_j (2 U_j+1 - c1 U_j),  U_2j+1 = U_j+1^2 + c0 U_j^2,  U_2j+2 = c1 U_2j+1 + c0 U_2j,
 *   a[n] = a0 U_n+1 + (a1 - c1 a0) U_n;
 * when a0 == 0 the last step computes U_n alone (one product instead of three).
 */
PyObject *lr_ring_order2(PyObject *const *c, PyObject *const *init, PyObject *mag, PyObject *zero,
                         PyObject *one);

#endif /* LR_PYOBJ_RING_H */
