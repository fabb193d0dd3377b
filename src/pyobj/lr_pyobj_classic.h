/*
 * The classic family over Python ints of any size (lr_pyobj_lucas.c, lr_pyobj_prime.c):
 * what the object loops of fibonacci, lucas_number, lucas_u, lucas_v, lucas_uv_mod, is_prime
 * and is_strong_lucas_prp compute.  Python.h, no NumPy: the caller passes operands it holds
 * strong references to, with np.bool_ already turned into ints.  GIL held.
 */
#ifndef LR_PYOBJ_CLASSIC_H
#define LR_PYOBJ_CLASSIC_H

#include "lr_pyobj.h"

/*
 * U_n(P, Q) (which == LR_WANT_U) or V_n(P, Q) (LR_WANT_V, lr_classic.h) as a new reference;
 * negative n needs Q = +-1 (ValueError otherwise).  Results past LR_OBJ_MAX_BITS bits raise
 * OverflowError before the work starts.  func names the public function in messages.
 */
PyObject *lr_obj_lucas_uv(const char *func, PyObject *P, PyObject *Q, PyObject *n, int which);

/* (U_n mod m, V_n mod m) into *u, *v (new references) for m >= 1: 0, or -1 with an
 * exception (ValueError for m <= 0, or for n < 0 with Q not invertible modulo m). */
int lr_obj_lucas_uv_mod(PyObject *P, PyObject *Q, PyObject *n, PyObject *m, PyObject **u,
                        PyObject **v);

/* is_prime (lucas_only == 0) or is_strong_lucas_prp of a Python int: 1, 0, or -1 with an
 * exception.  Exact below 2^64, a Baillie-PSW probable prime above. */
int lr_obj_primality(PyObject *n, int lucas_only);

#endif /* LR_PYOBJ_CLASSIC_H */
