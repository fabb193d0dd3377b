/*
 * The term and term_mod gufuncs: typed loops that gather one recurrence at a time and call
 * the C core, plus the object loops over exact Python ints.
 *
 *   term:     (k),(k),()->()      coefs, init, n -> a[n]
 *   term_mod: (k),(k),(),()->()   coefs, init, n, m -> a[n] mod m
 *
 * Every method (auto, matrix, poly) gets its own ufunc object sharing these loops; the loop
 * data pointer tells the loop which method and which argument types it serves.
 */
#include "lr_binding.h"

#include <fenv.h>
#include <stdlib.h>
#include "lr_modarith.h"
#include <string.h>

#include "numpy/ndarraytypes.h"
#include "numpy/arrayobject.h"
#include "numpy/ufuncobject.h"

/* What one registered loop serves.  Type letters: 'l' int64, 'Q' uint64, 'd' float64. */
typedef struct {
    lr_method method;
    char ctype;   /* coefficients and initial values */
    char ntype;   /* index */
    char mtype;   /* modulus (term_mod), 0 for term */
} lr_loop_spec;

/* Public names per method: the default ufuncs pick the method themselves. */
static const char *lr_term_names[LR_METHOD_COUNT] = {"term", "term_matrix", "term_poly"};
static const char *lr_term_mod_names[LR_METHOD_COUNT] = {"term_mod", "term_mod_matrix",
                                                         "term_mod_poly"};

void
lr_raise_failure(const char *func, const char *dtype, const lr_failure_t *f)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    char idx[32];
    snprintf(idx, sizeof idx, "%s%llu", f->n.neg ? "-" : "", (unsigned long long)f->n.mag);
    switch (f->status) {
        case LR_ERR_OVERFLOW:
            PyErr_Format(PyExc_OverflowError,
                         "lucas.%s: a[%s] does not fit in %s (use object arrays for exact big "
                         "integers, or term_mod for residues)", func, idx, dtype);
            break;
        case LR_ERR_UNCERTIFIED:
            PyErr_Format(PyExc_OverflowError,
                         "lucas.%s: could not prove that a[%s] fits in %s (its magnitude bound "
                         "exceeds " LR_CERT_MAX_BITS "); use object arrays for the exact value",
                         func, idx, dtype);
            break;
        case LR_ERR_NOMEM:
            PyErr_Format(PyExc_MemoryError,
                         "lucas.%s: cannot allocate the workspace for order k=%lld", func,
                         (long long)f->k);
            break;
        case LR_ERR_BACKWARDS:
            PyErr_Format(PyExc_ValueError,
                         "lucas.%s: a[%s] is undefined: the recurrence cannot run backwards "
                         "(c[0] must be 1 or -1 over the integers, invertible mod m, nonzero "
                         "for floats)%s%s", func, idx, f->what ? ": " : "",
                         f->what ? f->what : "");
            break;
        case LR_ERR_MODULUS:
            PyErr_Format(PyExc_ValueError, "lucas.%s: modulus m must be positive%s%s", func,
                         f->what ? ", got " : "", f->what ? f->what : "");
            break;
        case LR_ERR_ORDER:
            PyErr_Format(PyExc_ValueError,
                         "lucas.%s: order k=%lld is not supported (need 1 <= k and a workspace "
                         "size that fits in memory)", func, (long long)f->k);
            break;
        default:
            PyErr_Format(PyExc_RuntimeError, "lucas.%s: internal error %d", func,
                         (int)f->status);
    }
    PyGILState_Release(gs);
}

/* Gather k strided values into contiguous storage as int64, float64 or residues mod m. */
static void
lr_gather_i64(const char *p, npy_intp stride, npy_intp k, int64_t *dst)
{
    for (npy_intp i = 0; i < k; i++) {
        memcpy(&dst[i], p + i * stride, sizeof(int64_t));
    }
}

static void
lr_gather_f64(const char *p, npy_intp stride, npy_intp k, double *dst)
{
    for (npy_intp i = 0; i < k; i++) {
        memcpy(&dst[i], p + i * stride, sizeof(double));
    }
}

static void
lr_gather_mod(const char *p, npy_intp stride, npy_intp k, char type, uint64_t m, uint64_t *dst)
{
    for (npy_intp i = 0; i < k; i++) {
        if (type == 'l') {
            int64_t v;
            memcpy(&v, p + i * stride, sizeof v);
            dst[i] = lr_mod_reduce_i64(v, m);
        }
        else {
            uint64_t v;
            memcpy(&v, p + i * stride, sizeof v);
            dst[i] = v % m;
        }
    }
}

/* Read a modulus; 0 when it is not positive (mtext then holds it for the message). */
static uint64_t
lr_read_modulus(const char *p, char type, char *mtext, size_t mlen)
{
    if (type == 'l') {
        int64_t ms;
        memcpy(&ms, p, sizeof ms);
        if (ms <= 0) {
            snprintf(mtext, mlen, "%lld", (long long)ms);
            return 0;
        }
        return (uint64_t)ms;
    }
    uint64_t m;
    memcpy(&m, p, sizeof m);
    if (m == 0) {
        snprintf(mtext, mlen, "0");
    }
    return m;
}

/*
 * Numeric loop shared by term and term_mod.
 *   args:  coefs, init, n, [m,] out
 *   dims:  [outer count, k]
 *   steps: outer strides of every argument, then the core strides of coefs and init
 *   data:  the lr_loop_spec of this loop
 * Stretches of elements that share one recurrence (a broadcast coefs/init, the usual call)
 * go to the core as one batch, which shares precomputation between them.
 */
static void
lr_term_numeric_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    const lr_loop_spec *spec = (const lr_loop_spec *)data;
    const int modular = spec->mtype != 0;
    const int nargs = modular ? 5 : 4;
    const npy_intp N = dims[0], k = dims[1];
    const npy_intp cs = steps[nargs], is = steps[nargs + 1];
    const char *func = modular ? "term_mod" : "term";
    lr_failure_t fail = {LR_OK, {0, 0}, k, NULL};
    char mtext[32] = "";

    if (N == 0) {
        return;
    }
    if (lr_work_bytes(spec->method, k) == 0) {
        fail.status = LR_ERR_ORDER;
        lr_raise_failure(func, "", &fail);
        return;
    }
    lr_gil_t gil;
    lr_gil_release(&gil);
    void *cbuf = malloc(2 * (size_t)k * 8 + 16);
    if (cbuf == NULL) {
        fail.status = LR_ERR_NOMEM;
        goto finish;
    }
    void *ibuf = (char *)cbuf + (size_t)k * 8;
    const npy_intp out_step = steps[nargs - 1];

    for (npy_intp t = 0; t < N;) {
        const char *pc = args[0] + t * steps[0];
        const char *pi = args[1] + t * steps[1];
        uint64_t m = 0;
        if (modular) {
            m = lr_read_modulus(args[3] + t * steps[3], spec->mtype, mtext, sizeof mtext);
            if (m == 0) {
                fail.status = LR_ERR_MODULUS;
                fail.what = mtext;
                break;
            }
        }
        /* the stretch [t, u) shares coefficients, initial values and modulus */
        npy_intp u = t + 1;
        if (steps[0] == 0 && steps[1] == 0 && (!modular || steps[3] == 0)) {
            u = N;   /* broadcast recurrence (and modulus): one batch */
        }
        while (u < N && args[0] + u * steps[0] == pc && args[1] + u * steps[1] == pi &&
               (!modular ||
                lr_read_modulus(args[3] + u * steps[3], spec->mtype, mtext, sizeof mtext) == m)) {
            u++;
        }
        lr_batch_t b = {args[2] + t * steps[2], steps[2], spec->ntype == 'Q',
                        args[nargs - 1] + t * out_step, out_step, (int64_t)(u - t), {0, 0}};
        lr_status st;
        if (modular) {
            lr_gather_mod(pc, cs, k, spec->ctype, m, cbuf);
            lr_gather_mod(pi, is, k, spec->ctype, m, ibuf);
            st = lr_terms_mod(spec->method, k, cbuf, ibuf, m, &b);
        }
        else if (spec->ctype == 'd') {
            lr_gather_f64(pc, cs, k, cbuf);
            lr_gather_f64(pi, is, k, ibuf);
            st = lr_terms_f64(spec->method, k, cbuf, ibuf, &b);
        }
        else {
            lr_gather_i64(pc, cs, k, cbuf);
            lr_gather_i64(pi, is, k, ibuf);
            st = lr_terms_i64(spec->method, k, cbuf, ibuf, &b);
        }
        if (st != LR_OK) {
            fail.status = st;
            fail.n = b.failed_n;
            break;
        }
        t = u;
    }
finish:
    free(cbuf);
    if (!modular && spec->ctype != 'd') {
        /* the int64 proof uses log2(); its flags are no floating-point result (the modular
         * kernels use no floating point that can raise NumPy's flags) */
        feclearexcept(FE_ALL_EXCEPT);
    }
    lr_gil_restore(&gil);
    if (fail.status != LR_OK) {
        lr_raise_failure(func, modular ? "" : (spec->ctype == 'd' ? "float64" : "int64"),
                         &fail);
    }
}

/* Object loop shared by term and term_mod: exact Python ints, holds the GIL. */
static void
lr_term_object_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    const lr_loop_spec *spec = (const lr_loop_spec *)data;
    const int modular = spec->mtype != 0;
    const int nargs = modular ? 5 : 4;
    const npy_intp N = dims[0], k = dims[1];
    const npy_intp cs = steps[nargs], is = steps[nargs + 1];
    const char *func = modular ? "term_mod" : "term";

    if (N == 0 || PyErr_Occurred()) {
        return;   /* an earlier chunk failed: NumPy raises it after the loop */
    }
    PyObject **vec = PyMem_Malloc(2 * (size_t)k * sizeof(PyObject *) + 1);
    if (vec == NULL) {
        PyErr_Format(PyExc_MemoryError,
                     "lucas.%s: cannot allocate the workspace for order k=%lld", func,
                     (long long)k);
        return;
    }
    for (npy_intp t = 0; t < N; t++) {
        for (npy_intp i = 0; i < k; i++) {
            memcpy(&vec[i], args[0] + t * steps[0] + i * cs, sizeof(PyObject *));
            memcpy(&vec[k + i], args[1] + t * steps[1] + i * is, sizeof(PyObject *));
        }
        PyObject *n, *m = NULL;
        memcpy(&n, args[2] + t * steps[2], sizeof n);
        if (modular) {
            memcpy(&m, args[3] + t * steps[3], sizeof m);
            if (m == NULL) {
                m = Py_None;
            }
        }
        PyObject *res = lr_obj_term(func, spec->method, k, vec, vec + k, n, m);
        if (res == NULL) {
            break;
        }
        char *po = args[nargs - 1] + t * steps[nargs - 1];
        PyObject *old;
        memcpy(&old, po, sizeof old);
        memcpy(po, &res, sizeof res);
        Py_XDECREF(old);
    }
    PyMem_Free(vec);
}

/* Reject k == 0 before any loop runs (NumPy >= 2.1 hook). */
static int
lr_check_core_dims(PyUFuncObject *ufunc, npy_intp *core_dim_sizes)
{
    if (core_dim_sizes[0] == 0) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: coefs and init must not be empty (the order k is their common "
                     "length, at least 1)", ufunc->name);
        return -1;
    }
    return 0;
}

/* ---- loop tables ------------------------------------------------------------------------ */

#define LR_TERM_NLOOPS 5
#define LR_TERM_MOD_NLOOPS 7

static char lr_term_types[LR_TERM_NLOOPS * 4] = {
    NPY_INT64, NPY_INT64, NPY_INT64, NPY_INT64,
    NPY_INT64, NPY_INT64, NPY_UINT64, NPY_INT64,
    NPY_FLOAT64, NPY_FLOAT64, NPY_INT64, NPY_FLOAT64,
    NPY_FLOAT64, NPY_FLOAT64, NPY_UINT64, NPY_FLOAT64,
    NPY_OBJECT, NPY_OBJECT, NPY_OBJECT, NPY_OBJECT,
};
static const char lr_term_spec_letters[LR_TERM_NLOOPS][3] = {
    {'l', 'l', 0}, {'l', 'Q', 0}, {'d', 'l', 0}, {'d', 'Q', 0}, {'O', 'O', 0},
};

static char lr_term_mod_types[LR_TERM_MOD_NLOOPS * 5] = {
    NPY_INT64, NPY_INT64, NPY_INT64, NPY_INT64, NPY_INT64,
    NPY_INT64, NPY_INT64, NPY_UINT64, NPY_INT64, NPY_INT64,
    NPY_INT64, NPY_INT64, NPY_INT64, NPY_UINT64, NPY_UINT64,
    NPY_INT64, NPY_INT64, NPY_UINT64, NPY_UINT64, NPY_UINT64,
    NPY_UINT64, NPY_UINT64, NPY_INT64, NPY_UINT64, NPY_UINT64,
    NPY_UINT64, NPY_UINT64, NPY_UINT64, NPY_UINT64, NPY_UINT64,
    NPY_OBJECT, NPY_OBJECT, NPY_OBJECT, NPY_OBJECT, NPY_OBJECT,
};
static const char lr_term_mod_spec_letters[LR_TERM_MOD_NLOOPS][3] = {
    {'l', 'l', 'l'}, {'l', 'Q', 'l'}, {'l', 'l', 'Q'}, {'l', 'Q', 'Q'},
    {'Q', 'l', 'Q'}, {'Q', 'Q', 'Q'}, {'O', 'O', 'O'},
};

/* Per method: specs, data pointers and function tables must outlive the ufuncs. */
static lr_loop_spec lr_term_specs[LR_METHOD_COUNT][LR_TERM_NLOOPS];
static void *lr_term_data[LR_METHOD_COUNT][LR_TERM_NLOOPS];
static PyUFuncGenericFunction lr_term_funcs[LR_TERM_NLOOPS];
static lr_loop_spec lr_term_mod_specs[LR_METHOD_COUNT][LR_TERM_MOD_NLOOPS];
static void *lr_term_mod_data[LR_METHOD_COUNT][LR_TERM_MOD_NLOOPS];
static PyUFuncGenericFunction lr_term_mod_funcs[LR_TERM_MOD_NLOOPS];

static const char lr_term_doc[] =
    "term(coefs, init, n, /, out=None, *, axes=None, dtype=None, ...)\n"
    "\n"
    "n-th term of the linear recurrence a[n+k] = sum(coefs[i] * a[n+i]), a[:k] = init.\n"
    "\n"
    "A generalized ufunc with signature (k),(k),()->(): coefs and init broadcast against n\n"
    "along all but their last axis.  int64 results are exact or raise OverflowError;\n"
    "float64 follows IEEE; object arrays give exact Python ints.  Negative n runs the\n"
    "recurrence backwards where that is defined (c[0] = +-1 over the integers).\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "coefs : array_like, shape (..., k)\n"
    "    Coefficients in seed order: coefs[0] multiplies the OLDEST value (Pell: [1, 2]).\n"
    "    OEIS signatures and SymPy's linrec list them newest first: use\n"
    "    lucas.from_signature(signature).\n"
    "init : array_like, shape (..., k)\n"
    "    Initial values a[0], ..., a[k-1].\n"
    "n : array_like of integers\n"
    "    Indices (int64, uint64 or Python ints in object arrays; floats are refused:\n"
    "    convert with np.asarray(n).astype(np.int64)).  A Python int >= 2**63 must be\n"
    "    given as np.uint64(n) or with dtype=object.\n"
    "out : ndarray, optional\n"
    "    Where to put the result (ufunc semantics).\n"
    "dtype : {None, 'int64', 'float64', object}, optional\n"
    "    Force the loop: object gives exact Python ints of any size.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray or scalar\n"
    "    a[n], broadcast over the loop dimensions: int64 (exact, or OverflowError naming\n"
    "    the index), float64, or object (Python ints).\n"
    "\n"
    "See Also\n"
    "--------\n"
    "term_mod, sequence, LucasIter, term_ufunc, from_signature\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import lucas\n"
    ">>> int(lucas.term([1, 1], [0, 1], 90))\n"
    "2880067194370816120\n"
    ">>> lucas.term([1, 2], [0, 1], range(8))\n"
    "array([  0,   1,   2,   5,  12,  29,  70, 169])\n"
    ">>> int(lucas.term([1, 1], [0, 1], -6))\n"
    "-8\n";

static const char lr_term_mod_doc[] =
    "term_mod(coefs, init, n, m, /, out=None, *, axes=None, dtype=None, ...)\n"
    "\n"
    "a[n] mod m for the recurrence a[n+k] = sum(coefs[i] * a[n+i]), a[:k] = init.\n"
    "\n"
    "A generalized ufunc with signature (k),(k),(),()->(); the modulus broadcasts too.\n"
    "Exact for every modulus up to 2**64-1 (int64 or uint64 loops) and for moduli of any\n"
    "size in object arrays.  Results lie in [0, m).\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "coefs, init : array_like of integers, shape (..., k)\n"
    "    Seed-order coefficients (coefs[0] multiplies the oldest value) and a[0..k-1].\n"
    "n : array_like of integers\n"
    "    Indices; negative n needs gcd(coefs[0], m) = 1.\n"
    "m : array_like of integers\n"
    "    Moduli, 1 <= m.  int64 up to 2**63-1, uint64 up to 2**64-1 (a Python int\n"
    "    >= 2**63 must be np.uint64(m) or dtype=object), object for any size.\n"
    "out, dtype : optional\n"
    "    As for any ufunc; dtype=object gives exact Python ints.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray or scalar\n"
    "    a[n] mod m in [0, m): int64, uint64 (uint64 moduli) or object.\n"
    "\n"
    "See Also\n"
    "--------\n"
    "term, sequence (mod=), lucas_uv_mod, lucas.dask.term_mod\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import lucas\n"
    ">>> int(lucas.term_mod([1, 1], [0, 1], 10**18, 2**61 - 1))\n"
    "1024960830501646393\n"
    ">>> lucas.term_mod([1, 1], [0, 1], 10, [7, 11, 13])\n"
    "array([6, 0, 3])\n";

static PyObject *
lr_make_gufunc(PyUFuncGenericFunction *funcs, void **data, char *types, int ntypes, int nin,
               const char *name, const char *doc, const char *signature)
{
    PyObject *uf = PyUFunc_FromFuncAndDataAndSignature(funcs, data, types, ntypes, nin, 1,
                                                       PyUFunc_None, name, doc, 0, signature);
    if (uf != NULL) {
        ((PyUFuncObject *)uf)->process_core_dims_func = lr_check_core_dims;
    }
    return uf;
}

int
lr_register_term_ufuncs(PyObject *module)
{
    for (int i = 0; i < LR_TERM_NLOOPS; i++) {
        lr_term_funcs[i] = lr_term_spec_letters[i][0] == 'O' ? lr_term_object_loop
                                                             : lr_term_numeric_loop;
    }
    for (int i = 0; i < LR_TERM_MOD_NLOOPS; i++) {
        lr_term_mod_funcs[i] = lr_term_mod_spec_letters[i][0] == 'O' ? lr_term_object_loop
                                                                     : lr_term_numeric_loop;
    }
    for (int meth = 0; meth < LR_METHOD_COUNT; meth++) {
        for (int i = 0; i < LR_TERM_NLOOPS; i++) {
            lr_term_specs[meth][i] = (lr_loop_spec){(lr_method)meth,
                                                    lr_term_spec_letters[i][0],
                                                    lr_term_spec_letters[i][1], 0};
            lr_term_data[meth][i] = &lr_term_specs[meth][i];
        }
        for (int i = 0; i < LR_TERM_MOD_NLOOPS; i++) {
            lr_term_mod_specs[meth][i] = (lr_loop_spec){(lr_method)meth,
                                                        lr_term_mod_spec_letters[i][0],
                                                        lr_term_mod_spec_letters[i][1],
                                                        lr_term_mod_spec_letters[i][2]};
            lr_term_mod_data[meth][i] = &lr_term_mod_specs[meth][i];
        }
        PyObject *uf = lr_make_gufunc(lr_term_funcs, lr_term_data[meth], lr_term_types,
                                      LR_TERM_NLOOPS, 3, lr_term_names[meth], lr_term_doc,
                                      "(k),(k),()->()");
        PyObject *ufm = lr_make_gufunc(lr_term_mod_funcs, lr_term_mod_data[meth],
                                       lr_term_mod_types, LR_TERM_MOD_NLOOPS, 4,
                                       lr_term_mod_names[meth], lr_term_mod_doc,
                                       "(k),(k),(),()->()");
        int rc = (uf == NULL || ufm == NULL ||
                  PyModule_AddObjectRef(module, lr_term_names[meth], uf) < 0 ||
                  PyModule_AddObjectRef(module, lr_term_mod_names[meth], ufm) < 0) ? -1 : 0;
        Py_XDECREF(uf);
        Py_XDECREF(ufm);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}
