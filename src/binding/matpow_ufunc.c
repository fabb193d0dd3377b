/*
 * The matrix_power and matrix_power_mod gufuncs:
 *
 *   matrix_power:     (k,k),()->(k,k)      A, n -> A**n
 *   matrix_power_mod: (k,k),(),()->(k,k)   A, n, m -> A**n mod m
 *
 * Numeric loops gather one matrix at a time into a core plan (lr_matpow.h) and run without
 * the GIL; consecutive elements that share a matrix (a broadcast A: outer stride 0) share
 * one plan, so its table of squares is built once per loop call.  uint64 matrices and the
 * object dtype go to the object layer's exact Python-int powers (lr_pyobj_matpow.h), never to
 * the float loop.  Every failure is raised through errors.c's table (lr_raise_failure).
 */
#include "lr_binding.h"

#include <fenv.h>
#include <stdlib.h>
#include <string.h>

#include "lr_matpow.h"
#include "lr_modarith.h"
#include "lr_pyobj_matpow.h"

#include "numpy/ndarraytypes.h"
#include "numpy/arrayobject.h"
#include "numpy/ufuncobject.h"

/* What one registered loop serves.  Type letters: 'l' int64, 'Q' uint64, 'd' float64,
 * 'O' object. */
typedef struct {
    char atype; /* matrix */
    char ntype; /* exponent */
    char mtype; /* modulus (matrix_power_mod), 0 for matrix_power */
} lr_mp_spec;

/*
 * What matrix_power says for the statuses of its numeric loops; errors.c's table holds the
 * messages.  {value} is "<value_pre><n>", {size} "a <k>x<k> matrix".
 */
typedef struct {
    const char *value_pre, *why, *advice;
} lr_mp_words_t;

static const lr_mp_words_t lr_mp_words[] = {
    [LR_ERR_OVERFLOW] = {"an entry of A**", NULL,
                         "use object arrays for exact big integers, or matrix_power_mod for "
                         "residues"},
    [LR_ERR_UNCERTIFIED] = {"A**", NULL, "use object arrays for the exact value"},
    [LR_ERR_BACKWARDS] = {"A**",
                          "needs the inverse of A, but det(A) is not +1 or -1, so A has no "
                          "integer inverse",
                          NULL},
    [LR_ERR_ORDER] = {NULL, "its workspace size does not fit in memory", NULL},
};

/* Raise the exception for a failed plan (mtext: the modulus as text); takes the GIL itself
 * and marks the loop failed. */
static void
lr_mp_raise(const char *func, lr_status st, lr_index_t n, int64_t k, int modular, const char *mtext)
{
    lr_failure_t f = {st, n, k, NULL};
    f.square = 1;
    if ((size_t)st < sizeof lr_mp_words / sizeof lr_mp_words[0]) {
        f.value_pre = lr_mp_words[st].value_pre;
        f.why = lr_mp_words[st].why;
        f.advice = lr_mp_words[st].advice;
    }
    char why[128];
    if (st == LR_ERR_BACKWARDS && modular) {
        snprintf(why, sizeof why,
                 "needs the inverse of A, but A is singular modulo m=%s "
                 "(det(A) is not a unit mod m)",
                 mtext);
        f.why = why;
    }
    else if (st == LR_ERR_MODULUS) {
        f.what = mtext; /* ", got <m>" */
    }
    lr_raise_failure(func, "int64", &f);
}

/* Gather the k x k matrix at p (strides rs, cs) contiguously: as stored, or reduced mod m. */
static void
lr_mp_gather(const char *p, npy_intp rs, npy_intp cs, npy_intp k, char type, uint64_t m,
             uint64_t *dst)
{
    for (npy_intp i = 0; i < k; i++) {
        for (npy_intp j = 0; j < k; j++) {
            uint64_t v;
            memcpy(&v, p + i * rs + j * cs, sizeof v);
            if (m != 0) {
                v = type == 'l' ? lr_mod_reduce_i64((int64_t)v, m) : v % m;
            }
            dst[i * k + j] = v;
        }
    }
}

static void
lr_mp_scatter(char *po, npy_intp rs, npy_intp cs, npy_intp k, const uint64_t *res)
{
    for (npy_intp i = 0; i < k; i++) {
        for (npy_intp j = 0; j < k; j++) {
            memcpy(po + i * rs + j * cs, &res[i * k + j], sizeof *res);
        }
    }
}

/* What both loops read from NumPy's arguments: args are A, n, [m,] out; dims [outer count,
 * k]; steps the outer strides of every argument, then the core strides of A and out. */
typedef struct {
    const lr_mp_spec *spec;
    int modular, nin; /* inputs: 3 with a modulus */
    npy_intp N, k, ars, acs, ors, ocs;
    const char *func;
} lr_mp_loop_t;

static void
lr_mp_loop_begin(lr_mp_loop_t *L, npy_intp const *dims, npy_intp const *steps, void *data)
{
    L->spec = (const lr_mp_spec *)data;
    L->modular = L->spec->mtype != 0;
    L->nin = L->modular ? 3 : 2;
    L->N = dims[0];
    L->k = dims[1];
    L->ars = steps[L->nin + 1];
    L->acs = steps[L->nin + 2];
    L->ors = steps[L->nin + 3];
    L->ocs = steps[L->nin + 4];
    L->func = L->modular ? "matrix_power_mod" : "matrix_power";
}

/*
 * Numeric loop shared by matrix_power and matrix_power_mod.
 *   args:  A, n, [m,] out
 *   dims:  [outer count, k]
 *   steps: outer strides of every argument, then the core strides of A and out
 */
static void
lr_matpow_numeric_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    lr_mp_loop_t L;
    lr_mp_loop_begin(&L, dims, steps, data);
    const lr_mp_spec *spec = L.spec;
    const int modular = L.modular, nin = L.nin;
    const npy_intp N = L.N, k = L.k;
    const lr_mp_ring ring = modular ? LR_MP_MOD : (spec->atype == 'd' ? LR_MP_F64 : LR_MP_I64);
    lr_status st = LR_OK;
    lr_index_t n = {0, 0};
    char mtext[32] = "";

    if (lr_loop_failed_before() || N == 0) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    lr_gil_t gil;
    lr_gil_release(&gil);
    const size_t kk = (size_t)k * (size_t)k, wb = lr_matpow_work_bytes(k);
    /* one workspace for the whole loop: gathered matrix, result, then the plan's */
    uint64_t *buf = wb == 0 ? NULL : malloc(2 * kk * sizeof *buf + wb);
    lr_matpow_t plan;
    int have_plan = 0;
    const char *plan_a = NULL;
    uint64_t plan_m = 0;
    if (buf == NULL) {
        st = wb == 0 ? LR_ERR_ORDER : LR_ERR_NOMEM;
        goto finish;
    }
    uint64_t *res = buf + kk;
    for (npy_intp t = 0; t < N; t++) {
        const char *pa = args[0] + t * steps[0];
        uint64_t m = 0;
        if (modular) {
            m = lr_read_modulus(args[2] + t * steps[2], spec->mtype, mtext, sizeof mtext);
            if (m == 0) {
                st = LR_ERR_MODULUS;
                break;
            }
        }
        const int share = steps[0] == 0 && (!modular || steps[2] == 0);
        if (ring == LR_MP_I64 && !share) {
            /* one exponent per matrix: checked powering straight away, a plan only when an
             * intermediate overflows (or n < 0) */
            n = lr_index_read(args[1] + t * steps[1], spec->ntype == 'Q');
            lr_mp_gather(pa, L.ars, L.acs, k, spec->atype, 0, buf);
            if (!n.neg && !lr_matpow_i64_quick(k, (const int64_t *)buf, n.mag, (int64_t *)res,
                                               buf + 2 * kk)) {
                lr_mp_scatter(args[nin] + t * steps[nin], L.ors, L.ocs, k, res);
                continue;
            }
        }
        if (!have_plan || pa != plan_a || m != plan_m) {
            if (have_plan) {
                lr_matpow_free(&plan);
            }
            /* many exponents for this matrix: a broadcast A (and m) */
            lr_mp_gather(pa, L.ars, L.acs, k, spec->atype, m, buf);
            st = lr_matpow_init(&plan, ring, k, buf, m, share ? (int64_t)(N - t) : 1, buf + 2 * kk);
            have_plan = 1;
            plan_a = pa;
            plan_m = m;
            if (st != LR_OK) {
                break;
            }
        }
        if (share && t + 1 < N) {
            lr_matpow_prefetch(&plan,
                               lr_index_read(args[1] + (t + 1) * steps[1], spec->ntype == 'Q'));
        }
        n = lr_index_read(args[1] + t * steps[1], spec->ntype == 'Q');
        st = lr_matpow_apply(&plan, n, res);
        if (st == LR_ERR_BACKWARDS && ring == LR_MP_F64) {
            feraiseexcept(FE_INVALID); /* singular: NaN, as numpy.linalg.inv */
            st = LR_OK;
        }
        else if (st != LR_OK) {
            snprintf(mtext, sizeof mtext, "%llu", (unsigned long long)m);
            break;
        }
        lr_mp_scatter(args[nin] + t * steps[nin], L.ors, L.ocs, k, res);
    }
    if (have_plan) {
        lr_matpow_free(&plan);
    }
finish:
    free(buf);
    if (ring != LR_MP_F64) {
        /* the int64 proof uses log2(), the modular BLAS path exact doubles: their flags are
         * no floating-point result */
        feclearexcept(FE_ALL_EXCEPT);
    }
    lr_gil_restore(&gil);
    if (st != LR_OK) {
        lr_mp_raise(L.func, st, n, k, modular, mtext);
    }
}

/* ---- object dtype and uint64 matrices: exact Python ints ------------------------------- */

/* A new reference to the element at p of the given type. */
static PyObject *
lr_mp_read_object(const char *p, char type)
{
    if (type == 'O') {
        PyObject *v = lr_obj_read(p);
        /* NumPy integer and bool scalars are exact ints here (their own arithmetic wraps) */
        if (v != NULL && (PyArray_IsScalar(v, Integer) || PyArray_IsScalar(v, Bool))) {
            Py_SETREF(v, PyArray_IsScalar(v, Bool) ? PyLong_FromLong(PyObject_IsTrue(v))
                                                   : PyNumber_Index(v));
        }
        return v;
    }
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return type == 'Q' ? PyLong_FromUnsignedLongLong(v) : PyLong_FromLongLong((int64_t)v);
}

/*
 * Object loop (object arrays, and uint64 matrices whose powers leave uint64): the object
 * layer's exact powers (lr_pyobj_matpow.h).  Every operand of an element is held (one
 * reference each) before any __index__ runs, so user code that mutates the arrays cannot
 * free what the power works on.  Holds the GIL.
 */
static void
lr_matpow_object_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    lr_mp_loop_t L;
    lr_mp_loop_begin(&L, dims, steps, data);
    if (lr_loop_failed_before() || PyErr_Occurred() != NULL || L.N == 0) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    /* the operands of one element, then its result (k * k fits: NumPy sizes do) */
    const Py_ssize_t kk = (Py_ssize_t)L.k * (Py_ssize_t)L.k;
    PyObject **a = PyMem_Calloc(2 * (size_t)kk, sizeof *a);
    if (a == NULL) {
        lr_failure_t f = {LR_ERR_NOMEM, {0, 0}, (int64_t)L.k, NULL};
        f.square = 1;
        lr_raise_failure(L.func, "", &f);
        return;
    }
    PyObject **res = a + kk;
    for (npy_intp t = 0; t < L.N; t++) {
        if (PyErr_CheckSignals() < 0) { /* exact big integers can take long */
            break;
        }
        const char *pa = args[0] + t * steps[0];
        int have = 1;
        for (Py_ssize_t i = 0; i < kk; i++) {
            a[i] = lr_mp_read_object(pa + (i / L.k) * L.ars + (i % L.k) * L.acs, L.spec->atype);
            have = have && a[i] != NULL;
        }
        PyObject *n = lr_mp_read_object(args[1] + t * steps[1], L.spec->ntype);
        PyObject *m = L.modular ? lr_mp_read_object(args[2] + t * steps[2], L.spec->mtype) : NULL;
        int rc = -1;
        if (have && n != NULL && (m != NULL || !L.modular)) {
            rc = lr_obj_matpow(L.func, L.k, a, n, m, res);
        }
        for (Py_ssize_t i = 0; i < kk; i++) {
            Py_CLEAR(a[i]);
        }
        Py_XDECREF(n);
        Py_XDECREF(m);
        if (rc < 0) {
            break;
        }
        char *po = args[L.nin] + t * steps[L.nin];
        for (Py_ssize_t i = 0; i < kk; i++) {
            lr_obj_store(po + (i / L.k) * L.ors + (i % L.k) * L.ocs, res[i]); /* steals */
        }
    }
    PyMem_Free(a);
    if (PyErr_Occurred()) {
        lr_loop_mark_failed();
    }
}

/* Reject k == 0 before any loop runs (NumPy >= 2.1 hook). */
static int
lr_mp_check_core_dims(PyUFuncObject *ufunc, npy_intp *core_dim_sizes)
{
    if (core_dim_sizes[0] == 0) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: A must be a non-empty square matrix (got 0x0 core dimensions)",
                     ufunc->name);
        return -1;
    }
    return 0;
}

/* ---- loop tables ------------------------------------------------------------------------ */

#define LR_MP_NLOOPS 7
#define LR_MPM_NLOOPS 9

/* Integer matrices never reach the float loop: uint64 has its own (exact, object result). */
static char lr_mp_types[LR_MP_NLOOPS * 3] = {
    NPY_INT64,   NPY_INT64,   NPY_INT64,  NPY_INT64,   NPY_UINT64, NPY_INT64,   NPY_UINT64,
    NPY_INT64,   NPY_OBJECT,  NPY_UINT64, NPY_UINT64,  NPY_OBJECT, NPY_FLOAT64, NPY_INT64,
    NPY_FLOAT64, NPY_FLOAT64, NPY_UINT64, NPY_FLOAT64, NPY_OBJECT, NPY_OBJECT,  NPY_OBJECT,
};
static lr_mp_spec lr_mp_specs[LR_MP_NLOOPS] = {
    {'l', 'l', 0}, {'l', 'Q', 0}, {'Q', 'l', 0}, {'Q', 'Q', 0},
    {'d', 'l', 0}, {'d', 'Q', 0}, {'O', 'O', 0},
};

static char lr_mpm_types[LR_MPM_NLOOPS * 4] = {
    NPY_INT64,  NPY_INT64,  NPY_INT64,  NPY_INT64,  NPY_INT64,  NPY_UINT64, NPY_INT64,  NPY_INT64,
    NPY_UINT64, NPY_INT64,  NPY_INT64,  NPY_INT64,  NPY_UINT64, NPY_UINT64, NPY_INT64,  NPY_INT64,
    NPY_INT64,  NPY_INT64,  NPY_UINT64, NPY_UINT64, NPY_INT64,  NPY_UINT64, NPY_UINT64, NPY_UINT64,
    NPY_UINT64, NPY_INT64,  NPY_UINT64, NPY_UINT64, NPY_UINT64, NPY_UINT64, NPY_UINT64, NPY_UINT64,
    NPY_OBJECT, NPY_OBJECT, NPY_OBJECT, NPY_OBJECT,
};
static lr_mp_spec lr_mpm_specs[LR_MPM_NLOOPS] = {
    {'l', 'l', 'l'}, {'l', 'Q', 'l'}, {'Q', 'l', 'l'}, {'Q', 'Q', 'l'}, {'l', 'l', 'Q'},
    {'l', 'Q', 'Q'}, {'Q', 'l', 'Q'}, {'Q', 'Q', 'Q'}, {'O', 'O', 'O'},
};

static void *lr_mp_data[LR_MP_NLOOPS];
static PyUFuncGenericFunction lr_mp_funcs[LR_MP_NLOOPS];
static void *lr_mpm_data[LR_MPM_NLOOPS];
static PyUFuncGenericFunction lr_mpm_funcs[LR_MPM_NLOOPS];

static const char lr_mp_doc[] =
    "matrix_power(A, n, /, out=None, *, axes=None, ...)\n"
    "\n"
    "A**n for square matrices: a generalized ufunc with signature (k,k),()->(k,k).\n"
    "\n"
    "Stacks of matrices broadcast against arrays of exponents; many exponents for one matrix\n"
    "share its squares.  int64 results are exact or raise OverflowError (only when an entry\n"
    "of the true power does not fit); float64 uses BLAS for large k; uint64 and object\n"
    "matrices give exact Python ints.  Negative n uses the inverse: det(A) must be +-1 for\n"
    "integers; a singular float matrix gives NaN with an 'invalid value' warning.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "A : array_like, shape (..., k, k)\n"
    "    Square matrices: int64, uint64, float64 or object (Python ints).\n"
    "n : array_like of integers\n"
    "    Exponents (floats are refused); Python ints beyond int64 take the uint64 or the\n"
    "    object loop.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray, shape (..., k, k)\n"
    "    A**n, broadcast over the loop dimensions.\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import lucas\n"
    ">>> lucas.matrix_power([[0, 1], [1, 1]], 10)\n"
    "array([[34, 55],\n"
    "       [55, 89]])\n"
    ">>> lucas.matrix_power([[1, 1], [0, 1]], [2, -3])[:, 0, 1]\n"
    "array([ 2, -3])\n";

static const char lr_mpm_doc[] =
    "matrix_power_mod(A, n, m, /, out=None, *, axes=None, ...)\n"
    "\n"
    "A**n mod m: a generalized ufunc with signature (k,k),(),()->(k,k).\n"
    "\n"
    "Exact for every modulus 1 <= m < 2**64 (int64 or uint64 loops, BLAS for large k) and\n"
    "for moduli of any size in object arrays.  Results lie in [0, m).  Negative n needs\n"
    "det(A) to be a unit mod m.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "A : array_like, shape (..., k, k)\n"
    "    Square integer matrices.\n"
    "n : array_like of integers\n"
    "    Exponents.\n"
    "m : array_like of integers\n"
    "    Moduli, m >= 1; Python ints from 2**63 on take the uint64 loop, from 2**64 on\n"
    "    the object loop.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray, shape (..., k, k)\n"
    "    A**n mod m, entries in [0, m).\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import lucas\n"
    ">>> lucas.matrix_power_mod([[0, 1], [1, 1]], 10**18, 10**9 + 7)\n"
    "array([[470273943, 209783453],\n"
    "       [209783453, 680057396]])\n";

static PyObject *
lr_mp_make_gufunc(PyUFuncGenericFunction *funcs, void **data, char *types, int ntypes, int nin,
                  const char *name, const char *doc, const char *signature)
{
    PyObject *uf = PyUFunc_FromFuncAndDataAndSignature(funcs, data, types, ntypes, nin, 1,
                                                       PyUFunc_None, name, doc, 0, signature);
    if (uf != NULL) {
        ((PyUFuncObject *)uf)->process_core_dims_func = lr_mp_check_core_dims;
    }
    return uf;
}

int
lr_register_matpow_ufuncs(PyObject *module)
{
    for (int i = 0; i < LR_MP_NLOOPS; i++) {
        const char a = lr_mp_specs[i].atype;
        lr_mp_funcs[i] = (a == 'O' || a == 'Q') ? lr_matpow_object_loop : lr_matpow_numeric_loop;
        lr_mp_data[i] = &lr_mp_specs[i];
    }
    for (int i = 0; i < LR_MPM_NLOOPS; i++) {
        lr_mpm_funcs[i] =
            lr_mpm_specs[i].atype == 'O' ? lr_matpow_object_loop : lr_matpow_numeric_loop;
        lr_mpm_data[i] = &lr_mpm_specs[i];
    }
    PyObject *uf = lr_mp_make_gufunc(lr_mp_funcs, lr_mp_data, lr_mp_types, LR_MP_NLOOPS, 2,
                                     "matrix_power", lr_mp_doc, "(k,k),()->(k,k)");
    PyObject *ufm = lr_mp_make_gufunc(lr_mpm_funcs, lr_mpm_data, lr_mpm_types, LR_MPM_NLOOPS, 3,
                                      "matrix_power_mod", lr_mpm_doc, "(k,k),(),()->(k,k)");
    int rc = (uf == NULL || ufm == NULL || PyModule_AddObjectRef(module, "matrix_power", uf) < 0 ||
              PyModule_AddObjectRef(module, "matrix_power_mod", ufm) < 0)
                 ? -1
                 : 0;
    Py_XDECREF(uf);
    Py_XDECREF(ufm);
    return rc;
}
