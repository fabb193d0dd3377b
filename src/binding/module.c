/*
 * lucas._core: module initialisation.  Imports the NumPy C API and asks each family of
 * ufuncs to register itself.
 */
#include "lr_binding.h"
#include "lr_blas.h"

#include "numpy/arrayobject.h"
#include "numpy/ufuncobject.h"

static PyObject *
lr_py_blas_info(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("{s:s,s:O,s:i}", "name", lr_blas_info(), "available",
                         lr_have_blas() ? Py_True : Py_False, "min_k", LR_BLAS_MIN_K);
}

static PyObject *
lr_py_set_blas_threads(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 1 || n > 1024) {
        PyErr_Format(PyExc_ValueError, "set_blas_threads: need 1 <= n <= 1024, got %ld", n);
        return NULL;
    }
    lr_blas_set_threads((int)n);
    Py_RETURN_NONE;
}

static PyMethodDef lr_module_methods[] = {
    {"set_blas_threads", lr_py_set_blas_threads, METH_O,
     "set_blas_threads(n, /)\n--\n\nThreads OpenBLAS may use inside one dgemm of the matrix "
     "method (1 by default: lucas loops run in parallel threads themselves)."},
    {"blas_info", lr_py_blas_info, METH_NOARGS,
     "blas_info()\n\nThe BLAS the float64 matrix method uses: name, availability and the "
     "order k from which it is used."},
    {NULL, NULL, 0, NULL},
};

/*
 * type_hints.c: NumPy's type resolver plus a hint for floats given as integer arguments, and
 * the call entry of promote.c (Python ints outside int64 reach the uint64 or object loop).
 */
int lr_install_type_hints(PyObject *module);

static int
lr_module_exec(PyObject *m)
{
    if (lr_import_numpy() < 0) {
        return -1;
    }
    if (lr_register_term_ufuncs(m) < 0 || lr_register_sequence(m) < 0 ||
        lr_register_classic_ufuncs(m) < 0 || lr_register_find(m) < 0 ||
        lr_register_matpow_ufuncs(m) < 0 || lr_install_type_hints(m) < 0 ||
        PyModule_AddStringConstant(m, "compiler", LR_COMPILER_ID) < 0) {
        return -1;
    }
    return 0;
}

/*
 * Multi-phase initialisation, for its slots:
 * - Py_mod_gil: the module does not need the GIL.  Its global state is written once, in
 *   lr_module_exec under the import lock, and only read afterwards (loop tables, NumPy's API
 *   tables, the saved ufunc call entry); the per-thread loop-failure flag lives in thread-
 *   specific storage (errors.c); a LucasIter guards itself with an atomic busy flag (iter.c);
 *   the numeric loops touch only their arguments.  A free-threaded interpreter therefore
 *   keeps the GIL disabled when it imports lucas.
 * - Py_mod_multiple_interpreters: not supported, like NumPy itself (static types, one copy
 *   of NumPy's C API per process).
 */
static PyModuleDef_Slot lr_module_slots[] = {
    {Py_mod_exec, (void *)lr_module_exec},
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef lr_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "lucas._core",
    .m_doc = "C core of lucas: ufunc loops over a plain-C recurrence engine.",
    .m_size = 0,
    .m_methods = lr_module_methods,
    .m_slots = lr_module_slots,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    return PyModuleDef_Init(&lr_module);
}
