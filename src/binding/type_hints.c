/*
 * Friendlier "no loop" errors.  Every lucas ufunc keeps NumPy's default type resolver; this
 * wrapper only adds a sentence when it fails because an integer-only argument (an index n, a
 * modulus m, the n of is_prime) arrived as floats: `lucas.term([1, 1], [0, 1], 1e6)` says that
 * n must be an integer array and how to convert it, after NumPy's own message.  Successful
 * calls take the default path untouched (and NumPy caches the resolution).  Python ints
 * beyond int64 never get here: promote.c sends them to the uint64 or the object loop.
 */
#include "lr_binding.h"

#include "numpy/arrayobject.h"
#include "numpy/ufuncobject.h"

#include <string.h>

/* Argument names of the public ufuncs, for the message; others say "argument i". */
static const char *
lr_arg_name(const char *ufunc, int i)
{
    static const char *term_args[] = {"coefs", "init", "n", "m"};
    static const char *uv_args[] = {"P", "Q", "n", "m"};
    static const char *matpow_args[] = {"A", "n", "m"};
    if (strncmp(ufunc, "term", 4) == 0 && i < 4) {
        return term_args[i];
    }
    if (strncmp(ufunc, "matrix_power", 12) == 0 && i < 3) {
        return matpow_args[i];
    }
    if (strncmp(ufunc, "lucas_u", 7) == 0 || strcmp(ufunc, "lucas_v") == 0) {
        return i < 4 ? uv_args[i] : NULL;
    }
    if (i == 0 && (strcmp(ufunc, "fibonacci") == 0 || strcmp(ufunc, "lucas_number") == 0 ||
                   strncmp(ufunc, "is_", 3) == 0)) {
        return "n";
    }
    return NULL;
}

/* Does any registered loop take a floating type at input position i? */
static int
lr_loop_takes_float(PyUFuncObject *uf, int i)
{
    for (int t = 0; t < uf->ntypes; t++) {
        int tn = uf->types[t * uf->nargs + i];
        if (PyTypeNum_ISFLOAT(tn) || PyTypeNum_ISCOMPLEX(tn)) {
            return 1;
        }
    }
    return 0;
}

static int
lr_hinting_type_resolver(PyUFuncObject *uf, NPY_CASTING casting, PyArrayObject **operands,
                         PyObject *type_tup, PyArray_Descr **out_dtypes)
{
    int ret = PyUFunc_DefaultTypeResolver(uf, casting, operands, type_tup, out_dtypes);
    if (ret >= 0 || !PyErr_ExceptionMatches(PyExc_TypeError)) {
        return ret;
    }
    const char *name = uf->name != NULL ? uf->name : "?";
    for (int i = 0; i < uf->nin; i++) {
        PyArrayObject *op = operands[i];
        if (op == NULL) {
            continue;
        }
        int tn = PyArray_TYPE(op);
        if (!(PyTypeNum_ISFLOAT(tn) || PyTypeNum_ISCOMPLEX(tn)) || lr_loop_takes_float(uf, i)) {
            continue;
        }
        const char *arg = lr_arg_name(name, i);
        char fallback[32];
        if (arg == NULL) {
            PyOS_snprintf(fallback, sizeof fallback, "argument %d", i + 1);
            arg = fallback;
        }
        int is_test = strncmp(name, "is_", 3) == 0;
        PyObject *type = NULL, *value = NULL, *tb = NULL;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *orig = value != NULL ? PyObject_Str(value) : NULL;
        const char *orig_text = orig != NULL ? PyUnicode_AsUTF8(orig) : NULL;
        if (orig_text == NULL) {
            PyErr_Clear();
            orig_text = "no loop fits these input types";
        }
        if (is_test) {
            /* a float array of "integers": past 2**53 its digits are already gone */
            PyErr_Format(PyExc_TypeError,
                         "%s. lucas.%s: %s must be an integer array, got %s; pass Python ints "
                         "or build the array with dtype=np.int64, np.uint64 or object (floats "
                         "above 2**53 have already lost digits)",
                         orig_text, name, arg, PyArray_DESCR(op)->typeobj->tp_name);
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "%s. lucas.%s: %s must be an integer array, got %s; convert it with "
                         "np.asarray(%s).astype(np.int64) (or int(...) for one value; 1e6 is "
                         "a float, 10**6 an int)",
                         orig_text, name, arg, PyArray_DESCR(op)->typeobj->tp_name, arg);
        }
        Py_XDECREF(orig);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        return -1;
    }
    return ret;
}

/* promote.c: Python ints outside int64 reach the uint64 or the object loop. */
int lr_wrap_ufunc_call(PyUFuncObject *uf);

/* Install the resolver and the call entry on every ufunc of the module (after registration). */
int
lr_install_type_hints(PyObject *module)
{
    PyObject *dict = PyModule_GetDict(module); /* borrowed */
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (PyObject_TypeCheck(value, &PyUFunc_Type)) {
            ((PyUFuncObject *)value)->type_resolver = &lr_hinting_type_resolver;
            if (lr_wrap_ufunc_call((PyUFuncObject *)value) < 0) {
                return -1;
            }
        }
    }
    return 0;
}
