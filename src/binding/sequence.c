/*
 * lucas._core._sequence, the C half of lucas.sequence (argument checks and dtype planning are
 * in lucas/_sequence.py).
 *
 * Numeric outputs are produced by the core driver (lr_sequence.h) in chunks without the GIL;
 * between chunks the GIL is taken back briefly to look for Ctrl-C.  Exact big integers step
 * with Python ints (src/pyobj/lr_pyobj_seq.c); the LucasIter type is in iter.c.
 */
#include "lr_binding.h"

#include <fenv.h>
#include <string.h>

#include "numpy/arrayobject.h"
#include "numpy/arrayscalars.h"
#include "numpy/ndarraytypes.h"

#include "lr_seq_kind.h"
#include "lr_sequence.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* Read k Python numbers of a tuple as int64 / double / uint64 (already validated types). */
int
lr_tuple_to_c(PyObject *tup, lr_kind kind, void *dst)
{
    Py_ssize_t k = PyTuple_GET_SIZE(tup);
    for (Py_ssize_t i = 0; i < k; i++) {
        PyObject *v = PyTuple_GET_ITEM(tup, i);
        if (kind == LR_KIND_I64) {
            ((int64_t *)dst)[i] = PyLong_AsLongLong(v);
        }
        else if (kind == LR_KIND_F64) {
            ((double *)dst)[i] = PyFloat_AsDouble(v);
        }
        else {
            ((uint64_t *)dst)[i] = PyLong_AsUnsignedLongLong(v);
        }
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    return 0;
}

/* A Python int as an lr_index_t; 0 when it is out of range (no exception set). */
static int
lr_index_from_py(PyObject *v, lr_index_t *idx)
{
    int overflow = 0;
    long long s = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (s == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    if (!overflow) {
        *idx = lr_index_from_i64((int64_t)s);
        return 1;
    }
    if (overflow > 0) {
        unsigned long long u = PyLong_AsUnsignedLongLong(v);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        *idx = lr_index_from_u64((uint64_t)u);
        return 1;
    }
    return 0;
}

/* ---- sequence: numeric ------------------------------------------------------------------ */

/* What the overflow messages of sequence suggest instead. */
#define LR_SEQ_ADVICE_OVERFLOW "use dtype=object for exact big integers, or mod= for residues"
#define LR_SEQ_ADVICE_UNCERTIFIED "use dtype=object for the exact value, or mod= for residues"

/*
 * Window from Python ints when start is beyond the core's index range: out[j] = a[start+j]
 * for j < min(k, count), as int64 (checked) or residues.
 */
static int
lr_sequence_far_window(lr_kind kind, PyObject *ctup, PyObject *itup, PyObject *start, PyObject *m,
                       void *out, npy_intp count, lr_method method)
{
    Py_ssize_t k = PyTuple_GET_SIZE(ctup);
    npy_intp w = count < k ? count : k;
    if (kind == LR_KIND_F64) {
        PyErr_SetString(PyExc_OverflowError,
                        "lucas.sequence: float64 sequences need start + count - 1 within "
                        "[-2**63, 2**64 - 1]");
        return -1;
    }
    for (npy_intp j = 0; j < w; j++) {
        PyObject *idx = lr_py_add(start, (long long)j);
        if (idx == NULL) {
            return -1;
        }
        if (kind == LR_KIND_I64) {
            int rc = lr_obj_term_i64_far("sequence", k, &PyTuple_GET_ITEM(ctup, 0),
                                         &PyTuple_GET_ITEM(itup, 0), idx, (int64_t *)out + j);
            if (rc == 1 || rc == 2) {
                lr_failure_t f = {rc == 1 ? LR_ERR_OVERFLOW : LR_ERR_UNCERTIFIED,
                                  {0, 0},
                                  k,
                                  rc == 2 ? "the exact computation grows too large" : NULL,
                                  rc == 1 ? LR_SEQ_ADVICE_OVERFLOW : LR_SEQ_ADVICE_UNCERTIFIED,
                                  idx};
                lr_raise_failure("sequence", "int64", &f);
            }
            Py_DECREF(idx);
            if (rc != 0) {
                return -1;
            }
            continue;
        }
        PyObject *v = lr_obj_term("sequence", method, k, &PyTuple_GET_ITEM(ctup, 0),
                                  &PyTuple_GET_ITEM(itup, 0), idx, m);
        Py_DECREF(idx);
        if (v == NULL) {
            return -1;
        }
        {
            unsigned long long u = PyLong_AsUnsignedLongLong(v);
            Py_DECREF(v);
            if (u == (unsigned long long)-1 && PyErr_Occurred()) {
                return -1;
            }
            ((uint64_t *)out)[j] = (uint64_t)u;
        }
    }
    return 0;
}

/* Is [start, start + count - 1] within what the core's windows accept? */
static int
lr_sequence_near(PyObject *start, npy_intp count, lr_index_t *idx)
{
    if (!lr_index_from_py(start, idx)) {
        return 0;
    }
    if (idx->neg) {
        return idx->mag <= ((uint64_t)1 << 63);
    }
    return count <= 1 || idx->mag <= UINT64_MAX - (uint64_t)(count - 1);
}

static void
lr_sequence_fail(lr_status st, PyObject *start, int64_t bad, int64_t k, const char *dtype)
{
    lr_failure_t f = {st,
                      {0, 0},
                      k,
                      NULL,
                      st == LR_ERR_OVERFLOW ? LR_SEQ_ADVICE_OVERFLOW : LR_SEQ_ADVICE_UNCERTIFIED,
                      NULL};
    lr_index_t idx;
    PyObject *far = NULL;
    if (lr_index_from_py(start, &idx)) {
        f.n = lr_index_add(idx, (uint64_t)bad);
    }
    else if ((far = lr_py_add(start, (long long)bad)) == NULL) {
        return;
    }
    f.n_obj = far;
    lr_raise_failure("sequence", dtype, &f);
    Py_XDECREF(far);
}

/*
 * _sequence(kind, coefs, init, start, m, out, method): fill the 1-D contiguous array out with
 * a[start], a[start+1], ...  kind (lr_kind): int64, float64, residues (out viewed as
 * uint64), Python ints (m None or any positive int).  The arguments were validated by
 * lucas/_sequence.py.
 */
static PyObject *
lr_py_sequence(PyObject *self, PyObject *args)
{
    int kind;
    PyObject *ctup, *itup, *start, *m;
    PyArrayObject *out;
    int method;
    if (!PyArg_ParseTuple(args, "iO!O!O!OO!i", &kind, &PyTuple_Type, &ctup, &PyTuple_Type, &itup,
                          &PyLong_Type, &start, &m, &PyArray_Type, &out, &method)) {
        return NULL;
    }
    Py_ssize_t k = PyTuple_GET_SIZE(ctup);
    if (k < 1 || PyTuple_GET_SIZE(itup) != k || method < 0 || method >= LR_METHOD_COUNT ||
        kind < 0 || kind >= LR_KIND_COUNT) {
        PyErr_SetString(PyExc_ValueError, "lucas._core._sequence: bad arguments");
        return NULL;
    }
    int want_type =
        kind == LR_KIND_OBJ
            ? NPY_OBJECT
            : (kind == LR_KIND_F64 ? NPY_FLOAT64 : (kind == LR_KIND_I64 ? NPY_INT64 : NPY_UINT64));
    if (PyArray_NDIM(out) != 1 || PyArray_TYPE(out) != want_type || !PyArray_IS_C_CONTIGUOUS(out) ||
        !PyArray_ISWRITEABLE(out)) {
        PyErr_SetString(PyExc_ValueError,
                        "lucas._core._sequence: out must be a writeable contiguous 1-D array of "
                        "the result dtype");
        return NULL;
    }
    if (m == Py_None) {
        m = NULL;
    }
    if ((kind == LR_KIND_MOD || (m != NULL)) && (m == NULL || !PyLong_Check(m))) {
        PyErr_SetString(PyExc_TypeError, "lucas._core._sequence: m must be an int");
        return NULL;
    }
    if (kind == LR_KIND_OBJ) {
        if (lr_obj_run("sequence", (lr_method)method, k, &PyTuple_GET_ITEM(ctup, 0),
                       &PyTuple_GET_ITEM(itup, 0), start, m, PyArray_DATA(out),
                       (Py_ssize_t)PyArray_SIZE(out)) < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }

    npy_intp count = PyArray_SIZE(out);
    const char *dtype = kind == LR_KIND_I64 ? "int64" : (kind == LR_KIND_F64 ? "float64" : "");
    uint64_t mv = 0;
    if (kind == LR_KIND_MOD) {
        mv = PyLong_AsUnsignedLongLong(m);
        if (mv == (uint64_t)-1 && PyErr_Occurred()) {
            return NULL;
        }
        if (mv == 0) {
            PyErr_SetString(PyExc_ValueError, "lucas.sequence: modulus m must be positive");
            return NULL;
        }
    }
    size_t wb = lr_seq_work_bytes((lr_method)method, k);
    if (wb == 0) {
        lr_sequence_fail(LR_ERR_ORDER, start, 0, k, dtype);
        return NULL;
    }
    /* coefficients, initial values, then the core's workspace */
    char *mem = PyMem_Malloc(16 * (size_t)k + wb);
    if (mem == NULL) {
        return PyErr_NoMemory();
    }
    void *cbuf = mem + wb, *ibuf = mem + wb + 8 * (size_t)k;
    PyObject *res = NULL;
    if (lr_tuple_to_c(ctup, kind, cbuf) < 0 || lr_tuple_to_c(itup, kind, ibuf) < 0) {
        goto done;
    }
    lr_seq_ring ring = kind == LR_KIND_I64   ? LR_SEQ_I64
                       : kind == LR_KIND_F64 ? LR_SEQ_F64
                                             : LR_SEQ_MOD;
    lr_index_t idx = {0, 0};
    const void *init = ibuf;
    if (!lr_sequence_near(start, count, &idx)) {
        /* jump over Python ints, then step in C from the window it gives */
        if (lr_sequence_far_window(kind, ctup, itup, start, m, PyArray_DATA(out), count,
                                   (lr_method)method) < 0) {
            goto done;
        }
        init = NULL;
    }
    lr_seq_t s;
    int64_t bad = 0;
    lr_gil_t gil;
    lr_gil_release(&gil);
    lr_status st = lr_seq_begin(&s, ring, (lr_method)method, k, cbuf, init, mv, idx, (int64_t)count,
                                PyArray_DATA(out), mem, &bad);
    lr_gil_restore(&gil);
    while (st == LR_OK && !s.finished) {
        if (PyErr_CheckSignals() < 0) {
            goto done;
        }
        lr_gil_release(&gil);
        st = lr_seq_step(&s, LR_SEQ_CHUNK, &bad);
        lr_gil_restore(&gil);
    }
    if (st != LR_OK) {
        lr_sequence_fail(st, start, bad, k, dtype);
        goto done;
    }
    res = Py_NewRef(Py_None);
done:
    /* the int64 certificate uses log2(); its inexact flags are no floating-point result */
    feclearexcept(FE_ALL_EXCEPT);
    PyMem_Free(mem);
    return res;
}

/* ---- registration ------------------------------------------------------------------------ */

static PyMethodDef lr_sequence_methods[] = {
    {"_sequence", lr_py_sequence, METH_VARARGS,
     "_sequence(kind, coefs, init, start, m, out, method)\n\nFill out with a[start], "
     "a[start+1], ...; the checked entry point is lucas.sequence."},
    {NULL, NULL, 0, NULL},
};

int
lr_register_sequence(PyObject *module)
{
    /* the kinds as lucas/_sequence.py names them */
    if (PyModule_AddIntConstant(module, "KIND_I64", LR_KIND_I64) < 0 ||
        PyModule_AddIntConstant(module, "KIND_F64", LR_KIND_F64) < 0 ||
        PyModule_AddIntConstant(module, "KIND_MOD", LR_KIND_MOD) < 0 ||
        PyModule_AddIntConstant(module, "KIND_OBJ", LR_KIND_OBJ) < 0) {
        return -1;
    }
    lr_pyobj_set_numpy_types(&PyBoolArrType_Type, &PyIntegerArrType_Type);
    if (lr_register_iter(module) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(module, lr_sequence_methods);
}
