/*
 * lucas's Python-object layer: algorithms over Python number objects (exact ints, or the
 * elements of any commutative ring: Fraction, mpz, nmod, float, ...; lr_pyobj_ring.h),
 * with Python.h but without NumPy.  The binding layer (src/binding) calls it from its object
 * loops, sequence() and LucasIter; it never calls up into the binding or the lucas package.
 *
 * Functions return a new reference (or 0/1) and NULL (or -1) with a Python exception set.
 */
#ifndef LR_PYOBJ_H
#define LR_PYOBJ_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

#include "lr_core.h"

/*
 * The one size cap of the object layer: no exact result or intermediate may pass this many
 * bits (2^28 bits = 32 MiB per integer; CPython's multiplication sets the pace far below
 * it).  Whatever would pass it raises OverflowError before the work starts, where the size
 * can be predicted, or as soon as an intermediate passes it.
 */
#define LR_OBJ_MAX_BITS ((int64_t)1 << 28)

/* Intermediates of the capped exact attempt (lr_obj_term_capped) that sequence() and
 * LucasIter make where int64 cannot decide: the cheap try, not a certificate. */
#define LR_OBJ_CAPPED_BITS 65536

/* NumPy's bool scalar type (read as 0/1 like bool arrays) and integer scalar type (read as
 * exact ints), set once by the binding; this layer includes no NumPy header. */
void lr_pyobj_set_numpy_types(PyTypeObject *bool_type, PyTypeObject *integer_type);

/* 0 when c0 is 1 or -1 (a unit of the integers); -1 with ValueError "a[n] is undefined: the
 * recurrence runs backwards over the integers only when c[0] is 1 or -1" otherwise. */
int lr_obj_check_unit(const char *func, PyObject *n, PyObject *c0);

/* ---- a[n] over Python ints or any ring: lr_pyobj_term.c --------------------------------- */

/*
 * a[n] (m == NULL) or a[n] mod m as a new reference, exact for Python ints of any size.
 *   c, init: k borrowed references: Python ints, or (m == NULL) elements of any commutative
 *            ring, computed in their own type (lr_pyobj_ring.h); others raise TypeError
 *   n:       borrowed reference to the index (an integer of any size)
 *   m:       borrowed reference to the modulus, or NULL
 * Returns NULL with an exception set on failure.
 */
PyObject *lr_obj_term(const char *func, lr_method method, Py_ssize_t k, PyObject *const *c,
                      PyObject *const *init, PyObject *n, PyObject *m);

/*
 * a[n] over Python ints for n >= 0 (a Python int) by x^n mod the characteristic polynomial,
 * giving up as soon as an intermediate exceeds max_bits bits: cheap exactly when the sequence
 * grows slowly.  Returns 1 with *out a new reference, 0 when it gave up, -1 with an exception.
 */
int lr_obj_term_capped(Py_ssize_t k, PyObject *const *c, PyObject *const *init, PyObject *n,
                       long long max_bits, PyObject **out);

/*
 * The reversed recurrence for a negative index n (c, init Python ints reduced mod m when m
 * is not NULL, or ring elements when m is NULL): d[0..k) its coefficients, b[0..k) its
 * initial values (new references), and *idx = -n + k - 1 the index to ask it for.  0, or -1
 * with ValueError when c[0] is not invertible (over the integers: not 1 or -1; see
 * lr_ring_inverse).
 */
int lr_obj_reverse(const char *func, Py_ssize_t k, PyObject *const *c, PyObject *const *init,
                   PyObject *n, PyObject *m, PyObject **d, PyObject **b, PyObject **idx);

/* ---- stepping and jumps over Python ints: lr_pyobj_seq.c -------------------------------- */

/* A recurrence ready for Python-int stepping: 0 skip, 1 add, -1 subtract, 2 multiply. */
typedef struct {
    Py_ssize_t k;
    PyObject *const *c; /* k Python ints */
    signed char *code; /* per coefficient: 0, 1, -1, or 2 (multiply) */
    PyObject *m; /* modulus or NULL */
} lr_objrec;

void lr_objrec_codes(lr_objrec *r);

/* sum c[i] * a[i] (mod m) as a new reference; the a[i] are Python ints. */
PyObject *lr_obj_lincomb(const lr_objrec *r, PyObject *const *a);

/* Py_CLEAR each of v[0..n) (v may be NULL). */
void lr_obj_decref_array(PyObject **v, Py_ssize_t n);

/* The Python int base + off, new reference. */
PyObject *lr_py_add(PyObject *base, long long off);

/* nw[j] = a[n + j] for j < k of the recurrence c with a[0..k-1] = w, mod m (or exact). */
int lr_obj_jump(const char *func, Py_ssize_t k, PyObject *const *c, PyObject *const *w, PyObject *n,
                PyObject *m, PyObject **nw);

/*
 * a[start], ..., a[start+count-1] as Python ints (mod m) into the count PyObject* slots at
 * out (each previous element released): the first k by jumps, the rest by stepping, with
 * Ctrl-C and the room in memory checked on the way.  0, or -1 with an exception.
 */
int lr_obj_run(const char *func, lr_method method, Py_ssize_t k, PyObject *const *c,
               PyObject *const *init, PyObject *start, PyObject *m, char *out, Py_ssize_t count);

/*
 * a[n] as int64 for an index n beyond the core's range (lr_index_t), where the core's
 * certifier cannot run: a residue mismatch (mod 2^64 and a few primes) proves that it does
 * not fit, agreement is confirmed by the capped exact attempt.  Returns 0 (fits, *out set),
 * 1 (proven not to fit), 2 (could not decide), -1 (exception).
 */
int lr_obj_term_i64_far(const char *func, Py_ssize_t k, PyObject *const *c, PyObject *const *init,
                        PyObject *n, int64_t *out);

/*
 * Python objects in arrays that a callback (__index__, a finalizer run by gc, ...) may
 * change: hold strong references to everything used across any call into Python.  Copy the
 * pointer at p as a new reference (None for NULL).
 */
static inline PyObject *
lr_obj_read(const char *p)
{
    PyObject *o;
    memcpy(&o, p, sizeof o);
    o = o == NULL ? Py_None : o;
    Py_INCREF(o);
    return o;
}

/* Store res (a new reference, stolen) at p, releasing the previous element. */
static inline void
lr_obj_store(char *p, PyObject *res)
{
    PyObject *old;
    memcpy(&old, p, sizeof old);
    memcpy(p, &res, sizeof res);
    Py_XDECREF(old); /* last: its finalizer may run Python code */
}

#endif /* LR_PYOBJ_H */
