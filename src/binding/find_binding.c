/*
 * lucas._core: the C half of lucas.find_recurrence (lucas/_find.py checks the arguments).
 *
 * Rows of int64/uint64 terms are searched without the GIL; a row of Python ints is reduced
 * modulo the certification primes here (with the GIL) and then searched the same way.
 */
#include "lr_binding.h"

#include <math.h>

#include "numpy/arrayobject.h"

#include "lr_findrec.h"

/* A C-contiguous 2-D array of the given type, or NULL with TypeError. */
static PyArrayObject *
lr_rows_arg(PyObject *obj, int want_signed_only)
{
    if (!PyArray_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "find_recurrence: expected an ndarray");
        return NULL;
    }
    PyArrayObject *a = (PyArrayObject *)obj;
    int t = PyArray_TYPE(a);
    if (PyArray_NDIM(a) != 2 || !PyArray_IS_C_CONTIGUOUS(a) ||
        !(t == NPY_INT64 || (!want_signed_only && t == NPY_UINT64))) {
        PyErr_SetString(PyExc_TypeError,
                        "find_recurrence: expected a C-contiguous 2-D int64/uint64 array");
        return NULL;
    }
    return a;
}

/* A tuple of the n signed (s) or unsigned (u, when s is NULL) 64-bit integers. */
static PyObject *
lr_int_tuple(Py_ssize_t n, const int64_t *s, const uint64_t *u)
{
    PyObject *t = PyTuple_New(n);
    for (Py_ssize_t i = 0; t != NULL && i < n; i++) {
        PyObject *v = s ? PyLong_FromLongLong(s[i]) : PyLong_FromUnsignedLongLong(u[i]);
        if (v == NULL) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* _find_recurrence_mod(terms, m): (orders, coefs) of Berlekamp-Massey modulo the prime m. */
static PyObject *
lr_py_find_mod(PyObject *self, PyObject *args)
{
    PyObject *obj;
    unsigned long long m;
    if (!PyArg_ParseTuple(args, "OK:_find_recurrence_mod", &obj, &m)) {
        return NULL;
    }
    PyArrayObject *a = lr_rows_arg(obj, 0);
    if (a == NULL) {
        return NULL;
    }
    if (m < 2) {
        PyErr_SetString(PyExc_ValueError, "find_recurrence: the modulus must be a prime");
        return NULL;
    }
    npy_intp rows = PyArray_DIM(a, 0), len = PyArray_DIM(a, 1);
    npy_intp odims[1] = {rows};
    PyArrayObject *orders = (PyArrayObject *)PyArray_SimpleNew(1, odims, NPY_INT64);
    PyArrayObject *coefs = (PyArrayObject *)PyArray_SimpleNew(2, PyArray_DIMS(a), NPY_UINT64);
    if (orders == NULL || coefs == NULL) {
        Py_XDECREF(orders);
        Py_XDECREF(coefs);
        return NULL;
    }
    lr_gil_t g;
    lr_gil_release(&g);
    lr_status st = lr_findrec_mod_rows(PyArray_DATA(a), PyArray_TYPE(a) == NPY_INT64, (int64_t)rows,
                                       (int64_t)len, (uint64_t)m, (int64_t *)PyArray_DATA(orders),
                                       (uint64_t *)PyArray_DATA(coefs));
    lr_gil_restore(&g);
    if (st != LR_OK) {
        Py_DECREF(orders);
        Py_DECREF(coefs);
        return PyErr_NoMemory();
    }
    return Py_BuildValue("(NN)", orders, coefs);
}

/*
 * _find_recurrence_i64(terms): (ok, orders, nums, dens) for each row of int64 terms: where
 * ok[r], row r satisfies dens[r] * a[n+L] == sum(nums[r, :L] * a[n:n+L]) exactly.  Rows with
 * ok[r] == 0 need the general (Python) path.
 */
static PyObject *
lr_py_find_i64(PyObject *self, PyObject *obj)
{
    PyArrayObject *a = lr_rows_arg(obj, 1);
    if (a == NULL) {
        return NULL;
    }
    npy_intp rows = PyArray_DIM(a, 0), len = PyArray_DIM(a, 1);
    npy_intp odims[1] = {rows};
    PyArrayObject *ok = (PyArrayObject *)PyArray_SimpleNew(1, odims, NPY_BOOL);
    PyArrayObject *orders = (PyArrayObject *)PyArray_SimpleNew(1, odims, NPY_INT64);
    PyArrayObject *dens = (PyArrayObject *)PyArray_SimpleNew(1, odims, NPY_INT64);
    PyArrayObject *nums = (PyArrayObject *)PyArray_ZEROS(2, PyArray_DIMS(a), NPY_INT64, 0);
    size_t wbytes = lr_findrec_i64_work_bytes((int64_t)len);
    void *work = wbytes ? PyMem_RawMalloc(wbytes) : NULL;
    if (ok == NULL || orders == NULL || dens == NULL || nums == NULL || work == NULL) {
        Py_XDECREF(ok);
        Py_XDECREF(orders);
        Py_XDECREF(dens);
        Py_XDECREF(nums);
        PyMem_RawFree(work);
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    }
    const int64_t *s = PyArray_DATA(a);
    npy_bool *okp = PyArray_DATA(ok);
    int64_t *op = PyArray_DATA(orders), *dp = PyArray_DATA(dens), *np_ = PyArray_DATA(nums);
    lr_gil_t g;
    lr_gil_release(&g);
    for (npy_intp r = 0; r < rows; r++) {
        lr_status st =
            lr_findrec_exact_i64(s + r * len, (int64_t)len, op + r, np_ + r * len, dp + r, work);
        okp[r] = st == LR_OK;
        if (st != LR_OK) {
            op[r] = -1;
            dp[r] = 0;
        }
    }
    lr_gil_restore(&g);
    PyMem_RawFree(work);
    return Py_BuildValue("(NNNN)", ok, orders, nums, dens);
}

/*
 * _find_recurrence_obj(terms, term_bits): one row of Python ints (a tuple) with every
 * |term| < 2**term_bits.  (order, nums, den) as Python objects, or None when the general
 * path is needed.
 */
static PyObject *
lr_py_find_obj(PyObject *self, PyObject *args)
{
    PyObject *terms;
    double term_bits;
    if (!PyArg_ParseTuple(args, "O!d:_find_recurrence_obj", &PyTuple_Type, &terms, &term_bits)) {
        return NULL;
    }
    Py_ssize_t len = PyTuple_GET_SIZE(terms);
    /* enough primes for terms of term_bits bits and int64 coefficients (see lr_findrec.h) */
    double bits = term_bits + 64.0 + log2((double)len + 1.0) + 2.0;
    int64_t nres = (int64_t)ceil(bits / 61.9);
    if (nres < 2) {
        nres = 2;
    }
    if (nres > LR_CERT_NPRIMES) {
        Py_RETURN_NONE;
    }
    size_t wbytes = lr_findrec_work_bytes((int64_t)len, nres);
    if (wbytes == 0 || (size_t)len > SIZE_MAX / 8 / (size_t)nres) {
        return PyErr_NoMemory();
    }
    uint64_t *res = PyMem_Malloc((size_t)len * (size_t)nres * sizeof *res);
    void *work = PyMem_Malloc(wbytes);
    int64_t *num = PyMem_Malloc(((size_t)len + 1) * sizeof *num);
    PyObject *result = NULL;
    if (res == NULL || work == NULL || num == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (int64_t k = 0; k < nres; k++) {
        PyObject *p = PyLong_FromUnsignedLongLong(lr_cert_primes[k]);
        if (p == NULL) {
            goto done;
        }
        for (Py_ssize_t i = 0; i < len; i++) {
            PyObject *v = PyTuple_GET_ITEM(terms, i);
            if (!PyLong_Check(v)) {
                Py_DECREF(p);
                PyErr_SetString(PyExc_TypeError, "find_recurrence: terms must be integers");
                goto done;
            }
            PyObject *r = PyNumber_Remainder(v, p);
            if (r == NULL) {
                Py_DECREF(p);
                goto done;
            }
            res[k * len + i] = PyLong_AsUnsignedLongLong(r);
            Py_DECREF(r);
        }
        Py_DECREF(p);
    }
    lr_findrec_in in = {res, nres, (int64_t)len, term_bits};
    int64_t order = 0, den = 0;
    lr_status st = lr_findrec_exact(&in, &order, num, &den, work);
    if (st != LR_OK) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    PyObject *nums = lr_int_tuple((Py_ssize_t)order, num, NULL);
    if (nums != NULL) {
        result = Py_BuildValue("(LNL)", (long long)order, nums, (long long)den);
    }
done:
    PyMem_Free(res);
    PyMem_Free(work);
    PyMem_Free(num);
    return result;
}

static PyObject *
lr_py_cert_primes(PyObject *self, PyObject *unused)
{
    return lr_int_tuple(LR_CERT_NPRIMES, NULL, lr_cert_primes);
}

static PyMethodDef lr_find_methods[] = {
    {"_find_recurrence_mod", lr_py_find_mod, METH_VARARGS,
     "_find_recurrence_mod(terms, m, /)\n--\n\nBerlekamp-Massey modulo the prime m on each "
     "row of a C-contiguous 2-D int64/uint64 array: (orders, coefs)."},
    {"_find_recurrence_i64", lr_py_find_i64, METH_O,
     "_find_recurrence_i64(terms, /)\n--\n\nExact minimal recurrences of the rows of a "
     "C-contiguous 2-D int64 array: (ok, orders, nums, dens)."},
    {"_find_recurrence_obj", lr_py_find_obj, METH_VARARGS,
     "_find_recurrence_obj(terms, term_bits, /)\n--\n\nExact minimal recurrence of a tuple "
     "of Python ints: (order, nums, den), or None for the general path."},
    {"_cert_primes", lr_py_cert_primes, METH_NOARGS,
     "_cert_primes()\n--\n\nThe word-size primes of the multi-modular algorithms."},
    {NULL, NULL, 0, NULL},
};

int
lr_register_find(PyObject *module)
{
    return PyModule_AddFunctions(module, lr_find_methods);
}
