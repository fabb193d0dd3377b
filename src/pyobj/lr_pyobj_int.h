/*
 * Helpers over Python ints shared by the object layer's classic algorithms (lr_pyobj_int.c).
 * Private to src/pyobj.  GIL held; every function returns a new reference or NULL (or the
 * stated error value) with an exception set; "_s" / "_ss" variants consume their first /
 * both arguments.
 */
#ifndef LR_PYOBJ_INT_H
#define LR_PYOBJ_INT_H

#include "lr_pyobj.h"

PyObject *lr_o_index(PyObject *o); /* operator.index(o); NULL counts as None */
PyObject *lr_o_int(long long v);
int lr_o_sign(PyObject *x); /* -1, 0, 1; -2 on error */
int lr_o_eq_small(PyObject *x, long long v); /* 1, 0; -1 on error */
long long lr_o_bit_length(PyObject *x); /* -1 on error */
int lr_o_as_u64(PyObject *x, uint64_t *out); /* 1 in [0, 2^64), 0 outside, -1 on error */
int lr_o_is_odd(PyObject *N); /* N >= 0: 1, 0; -1 on error */

/* f(a, b), consuming both (either may be NULL: then NULL) */
PyObject *lr_o_binop_ss(binaryfunc f, PyObject *a, PyObject *b);
#define lr_o_mul_s(a, b) lr_o_binop_ss(PyNumber_Multiply, (a), Py_NewRef(b))
#define lr_o_sub_ss(a, b) lr_o_binop_ss(PyNumber_Subtract, (a), (b))
#define lr_o_mod_s(a, m) lr_o_binop_ss(PyNumber_Remainder, (a), Py_NewRef(m))
PyObject *lr_o_neg_s(PyObject *a);
PyObject *lr_o_scale(long long k, PyObject *x); /* k * x, consuming x */

/* x^-1 mod m into *inv (new reference): 1, 0 when x is not invertible mod m (no exception
 * set: the caller says why), -1 with an exception. */
int lr_o_inverse_mod(PyObject *x, PyObject *m, PyObject **inv);

/* OverflowError "lucas.<func>: the exact value would exceed 2**28 bits ..."; returns NULL. */
PyObject *lr_o_too_big(const char *func);

/* base ** e (e >= 0), refused with lr_o_too_big when it would pass LR_OBJ_MAX_BITS bits. */
PyObject *lr_o_pow_guarded(const char *func, PyObject *base, PyObject *e);

/* Big-endian bytes of a Python int N >= 0 (the bits the doubling chain walks). */
PyObject *lr_o_index_bytes(PyObject *N);

/* (U_k, U_k+1) of (P, Q) by doubling over the index bits in bytes, modulo m unless NULL.
 * 0, or -1 with an exception. */
int lr_o_u_pair(PyObject *P, PyObject *Q, const unsigned char *bytes, Py_ssize_t nbytes,
                PyObject *m, PyObject **un, PyObject **un1);

#endif /* LR_PYOBJ_INT_H */
