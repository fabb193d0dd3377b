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
#include "numpy/arrayscalars.h"
#include "numpy/ufuncobject.h"

/* What one registered loop serves.  Type letters: 'l' int64, 'Q' uint64, 'd' float64. */
typedef struct {
    lr_method method;
    char ctype; /* coefficients */
    char itype; /* initial values */
    char ntype; /* index */
    char mtype; /* modulus (term_mod), 0 for term */
} lr_loop_spec;

/* Public names per method: the default ufuncs pick the method themselves. */
static const char *lr_term_names[LR_METHOD_COUNT] = {"term", "term_matrix", "term_poly"};
static const char *lr_term_mod_names[LR_METHOD_COUNT] = {"term_mod", "term_mod_matrix",
                                                         "term_mod_poly"};

PyObject *
lr_obj_from_npbool(PyObject *v)
{
    if (v == NULL || !PyArray_IsScalar(v, Bool)) {
        return NULL;
    }
    return PyLong_FromLong(PyArrayScalar_VAL(v, Bool) ? 1 : 0);
}

/* Gather k strided values into contiguous storage as int64, float64 or residues mod m. */
static void
lr_gather_i64(const char *p, npy_intp stride, npy_intp k, int64_t *dst)
{
    for (npy_intp i = 0; i < k; i++) {
        memcpy(&dst[i], p + i * stride, sizeof(int64_t));
    }
}

/* Gather int64 or uint64 values as int64 (mixed signed/unsigned inputs compute in int64);
 * returns the index of the first uint64 value >= 2^63, or -1. */
static npy_intp
lr_gather_signed(const char *p, npy_intp stride, npy_intp k, char type, int64_t *dst)
{
    for (npy_intp i = 0; i < k; i++) {
        memcpy(&dst[i], p + i * stride, sizeof(int64_t));
        if (type == 'Q' && dst[i] < 0) {
            return i;
        }
    }
    return -1;
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

/* Order 0 is the zero sequence: every term (and residue) is 0; moduli are still checked. */
static lr_status
lr_term_order0(char **args, npy_intp const *dims, npy_intp const *steps, int nargs,
               const lr_loop_spec *spec, char *mtext, size_t mlen)
{
    for (npy_intp t = 0; t < dims[0]; t++) {
        if (spec->mtype != 0 &&
            lr_read_modulus(args[3] + t * steps[3], spec->mtype, mtext, mlen) == 0) {
            return LR_ERR_MODULUS;
        }
        memset(args[nargs - 1] + t * steps[nargs - 1], 0, 8); /* 0, 0u and +0.0 */
    }
    return LR_OK;
}

/* The result type's name for messages. */
static const char *
lr_term_dtype_name(const lr_loop_spec *spec)
{
    if (spec->mtype != 0) {
        return "";
    }
    if (spec->ctype == 'd') {
        return "float64";
    }
    return spec->ctype == 'Q' && spec->itype == 'Q' ? "uint64" : "int64";
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
    const int unsigned_out = !modular && spec->ctype == 'Q' && spec->itype == 'Q';
    lr_failure_t fail = {LR_OK, {0, 0}, k, NULL};
    char mtext[32] = "";
    const char *bad_arg = NULL; /* a uint64 input >= 2^63 where int64 is computed */
    uint64_t bad_val = 0;

    if (N == 0 || lr_loop_failed_before()) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    if (k == 0) {
        fail.status = lr_term_order0(args, dims, steps, nargs, spec, mtext, sizeof mtext);
        fail.what = mtext;
        if (fail.status != LR_OK) {
            lr_raise_failure(func, "", &fail);
        }
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
            u = N; /* broadcast recurrence (and modulus): one batch */
        }
        while (u < N && args[0] + u * steps[0] == pc && args[1] + u * steps[1] == pi &&
               (!modular ||
                lr_read_modulus(args[3] + u * steps[3], spec->mtype, mtext, sizeof mtext) == m)) {
            u++;
        }
        lr_batch_t b = {args[2] + t * steps[2],
                        steps[2],
                        spec->ntype == 'Q',
                        args[nargs - 1] + t * out_step,
                        out_step,
                        (int64_t)(u - t),
                        {0, 0}};
        lr_status st;
        if (modular) {
            /* residues: uint64 inputs are exact whatever their size */
            lr_gather_mod(pc, cs, k, spec->ctype, m, cbuf);
            lr_gather_mod(pi, is, k, spec->itype, m, ibuf);
            st = lr_terms_mod(spec->method, k, cbuf, ibuf, m, &b);
        }
        else if (spec->ctype == 'd') {
            lr_gather_f64(pc, cs, k, cbuf);
            lr_gather_f64(pi, is, k, ibuf);
            st = lr_terms_f64(spec->method, k, cbuf, ibuf, &b);
        }
        else if (unsigned_out) {
            lr_gather_i64(pc, cs, k, cbuf); /* bit patterns */
            lr_gather_i64(pi, is, k, ibuf);
            st = lr_terms_u64(spec->method, k, cbuf, ibuf, &b);
        }
        else {
            npy_intp bc = lr_gather_signed(pc, cs, k, spec->ctype, cbuf);
            npy_intp bi = lr_gather_signed(pi, is, k, spec->itype, ibuf);
            if (bc >= 0 || bi >= 0) {
                bad_arg = bc >= 0 ? "coefs" : "init";
                bad_val = bc >= 0 ? ((uint64_t *)cbuf)[bc] : ((uint64_t *)ibuf)[bi];
                break;
            }
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
    if (bad_arg != NULL) {
        PyErr_Format(PyExc_OverflowError,
                     "lucas.%s: %s value %llu does not fit in int64 (mixing signed and "
                     "unsigned integer inputs computes in int64; pass uint64 for both coefs "
                     "and init, or dtype=object for exact big integers)",
                     func, bad_arg, (unsigned long long)bad_val);
    }
    else if (fail.status != LR_OK) {
        lr_raise_failure(func, lr_term_dtype_name(spec), &fail);
    }
}

/*
 * term_mod on float64 coefs/init: only so that term_mod([], [], n, m) (NumPy makes [] float64)
 * gives the zero sequence's 0; any actual float input is refused as before.
 */
static void
lr_term_mod_float_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    const lr_loop_spec *spec = (const lr_loop_spec *)data;
    char mtext[32] = "";
    if (dims[0] == 0 || lr_loop_failed_before()) {
        return; /* an earlier chunk failed: NumPy raises it after the loop */
    }
    if (dims[1] != 0) {
        /* a float64 loop: NumPy may call it without the GIL on large inputs */
        PyGILState_STATE gs = PyGILState_Ensure();
        PyErr_SetString(PyExc_TypeError,
                        "ufunc 'term_mod' not supported for the input types: coefs and init "
                        "must be integers (residues of floats are not defined), got float64");
        lr_loop_mark_failed();
        PyGILState_Release(gs);
        return;
    }
    lr_failure_t fail = {LR_OK, {0, 0}, 0, mtext};
    fail.status = lr_term_order0(args, dims, steps, 5, spec, mtext, sizeof mtext);
    if (fail.status != LR_OK) {
        lr_raise_failure("term_mod", "", &fail);
    }
}

/*
 * Object loop shared by term and term_mod: exact Python ints, holds the GIL.  Every operand
 * is held by a strong reference before lr_obj_term calls __index__ on any of them: a
 * callback may replace elements of the very arrays being read.
 */
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
        return; /* an earlier chunk failed: NumPy raises it after the loop */
    }
    /* coefs, init, n, m */
    PyObject **vec = PyMem_Calloc(2 * (size_t)k + 2, sizeof(PyObject *));
    if (vec == NULL) {
        PyErr_Format(PyExc_MemoryError, "lucas.%s: cannot allocate the workspace for order k=%lld",
                     func, (long long)k);
        return;
    }
    for (npy_intp t = 0; t < N; t++) {
        for (npy_intp i = 0; i < k; i++) {
            vec[i] = lr_obj_read(args[0] + t * steps[0] + i * cs);
            vec[k + i] = lr_obj_read(args[1] + t * steps[1] + i * is);
        }
        vec[2 * k] = lr_obj_read(args[2] + t * steps[2]);
        vec[2 * k + 1] = modular ? lr_obj_read(args[3] + t * steps[3]) : NULL;
        PyObject *res =
            lr_obj_term(func, spec->method, k, vec, vec + k, vec[2 * k], vec[2 * k + 1]);
        for (npy_intp i = 0; i < 2 * k + 2; i++) {
            Py_CLEAR(vec[i]);
        }
        if (res == NULL) {
            break;
        }
        lr_obj_store(args[nargs - 1] + t * steps[nargs - 1], res);
    }
    PyMem_Free(vec);
}

/* ---- loop tables ------------------------------------------------------------------------ */

/*
 * One table of loop descriptors per gufunc: the argument type letters ('l' int64, 'Q'
 * uint64, 'd' float64, 'O' object: coefs, init, n[, m], then the result) and the loop
 * function.  NumPy's parallel arrays (types, funcs, data per method) are generated from it at
 * registration, so they cannot drift apart.
 *
 * NumPy picks the FIRST loop that every input casts to safely: the int64 loops come first
 * so that every integer type up to int64/uint32 and bool lands there, then the exact uint64
 * and mixed signed/unsigned loops, float64 only for float inputs (or an explicit dtype).
 */
typedef struct {
    const char *letters;
    PyUFuncGenericFunction func;
} lr_loop_desc;

#define LR_NLOOPS(table) ((int)(sizeof(table) / sizeof(table[0])))

/* term: the result is uint64 only when coefs and init both are */
static const lr_loop_desc lr_term_loops[] = {
    {"llll", lr_term_numeric_loop}, {"llQl", lr_term_numeric_loop}, {"QQlQ", lr_term_numeric_loop},
    {"QQQQ", lr_term_numeric_loop}, {"Qlll", lr_term_numeric_loop}, {"QlQl", lr_term_numeric_loop},
    {"lQll", lr_term_numeric_loop}, {"lQQl", lr_term_numeric_loop}, {"ddld", lr_term_numeric_loop},
    {"ddQd", lr_term_numeric_loop}, {"OOOO", lr_term_object_loop},
};

/* term_mod: every int64/uint64 combination, int64 first in every position (residues make
 * uint64 exact); the result has the modulus's type; then float64 coefs/init (order 0 only)
 * and object */
static const lr_loop_desc lr_term_mod_loops[] = {
    {"lllll", lr_term_numeric_loop},
    {"lllQQ", lr_term_numeric_loop},
    {"llQll", lr_term_numeric_loop},
    {"llQQQ", lr_term_numeric_loop},
    /* unsigned coefs or init take an unsigned modulus first: a bare Python int m (NEP 50:
     * weak) then lands on uint64, so m = 2**64 - 59 works beside uint64 arrays */
    {"lQlQQ", lr_term_numeric_loop},
    {"lQlll", lr_term_numeric_loop},
    {"lQQQQ", lr_term_numeric_loop},
    {"lQQll", lr_term_numeric_loop},
    {"QllQQ", lr_term_numeric_loop},
    {"Qllll", lr_term_numeric_loop},
    {"QlQQQ", lr_term_numeric_loop},
    {"QlQll", lr_term_numeric_loop},
    {"QQlQQ", lr_term_numeric_loop},
    {"QQlll", lr_term_numeric_loop},
    {"QQQQQ", lr_term_numeric_loop},
    {"QQQll", lr_term_numeric_loop},
    {"ddlll", lr_term_mod_float_loop},
    {"OOOOO", lr_term_object_loop},
};

#define LR_TERM_NLOOPS LR_NLOOPS(lr_term_loops)
#define LR_TERM_MOD_NLOOPS LR_NLOOPS(lr_term_mod_loops)

static int
lr_type_num(char letter)
{
    return letter == 'l'   ? NPY_INT64
           : letter == 'Q' ? NPY_UINT64
           : letter == 'd' ? NPY_FLOAT64
                           : NPY_OBJECT;
}

/* What NumPy needs for one gufunc family; the arrays must outlive the ufuncs. */
typedef struct {
    const lr_loop_desc *loops;
    int nloops, nin;
    char *types; /* nloops * (nin + 1) */
    PyUFuncGenericFunction *funcs; /* nloops */
    lr_loop_spec *specs; /* LR_METHOD_COUNT * nloops */
    void **data; /* LR_METHOD_COUNT * nloops */
} lr_loop_table;

/* Fill types, funcs, and per method the specs the loops read through their data pointer. */
static void
lr_loop_table_build(const lr_loop_table *t)
{
    for (int i = 0; i < t->nloops; i++) {
        const char *L = t->loops[i].letters;
        for (int a = 0; a <= t->nin; a++) {
            t->types[(t->nin + 1) * i + a] = (char)lr_type_num(L[a]);
        }
        t->funcs[i] = t->loops[i].func;
        for (int meth = 0; meth < LR_METHOD_COUNT; meth++) {
            lr_loop_spec *sp = &t->specs[meth * t->nloops + i];
            *sp = (lr_loop_spec){(lr_method)meth, L[0], L[1], L[2], t->nin == 4 ? L[3] : 0};
            t->data[meth * t->nloops + i] = sp;
        }
    }
}

static char lr_term_types[LR_TERM_NLOOPS * 4];
static PyUFuncGenericFunction lr_term_funcs[LR_TERM_NLOOPS];
static lr_loop_spec lr_term_specs[LR_METHOD_COUNT * LR_TERM_NLOOPS];
static void *lr_term_data[LR_METHOD_COUNT * LR_TERM_NLOOPS];
static char lr_term_mod_types[LR_TERM_MOD_NLOOPS * 5];
static PyUFuncGenericFunction lr_term_mod_funcs[LR_TERM_MOD_NLOOPS];
static lr_loop_spec lr_term_mod_specs[LR_METHOD_COUNT * LR_TERM_MOD_NLOOPS];
static void *lr_term_mod_data[LR_METHOD_COUNT * LR_TERM_MOD_NLOOPS];

static const lr_loop_table lr_term_table = {
    lr_term_loops, LR_TERM_NLOOPS, 3, lr_term_types, lr_term_funcs, lr_term_specs, lr_term_data,
};
static const lr_loop_table lr_term_mod_table = {
    lr_term_mod_loops, LR_TERM_MOD_NLOOPS, 4, lr_term_mod_types, lr_term_mod_funcs,
    lr_term_mod_specs, lr_term_mod_data,
};

static const char lr_term_doc[] =
    "term(coefs, init, n, /, out=None, *, axes=None, dtype=None, ...)\n"
    "\n"
    "n-th term of the linear recurrence a[n+k] = sum(coefs[i] * a[n+i]), a[:k] = init.\n"
    "\n"
    "A generalized ufunc with signature (k),(k),()->(): coefs and init broadcast against n\n"
    "along all but their last axis.  int64 results are exact or raise OverflowError\n"
    "(only when the true value does not fit); uint64 coefs and init give exact uint64\n"
    "results; float64 is within a relative 2 k log2(|n| + k + 2) eps of the exact value\n"
    "for non-negative inputs whenever that is a normal double (inf only on overflow; see\n"
    "the README); object arrays give exact Python ints, or compute over the elements' own\n"
    "commutative ring (Fraction, gmpy2.mpz/mpq, flint.fmpz/fmpq/nmod/fmpz_mod, SymPy\n"
    "numbers; float, complex, Decimal inexactly) with their +, - and *: the result has\n"
    "their type (mixed types follow Python's operator rules; a[n] = init[n] for n < k).\n"
    "Integer inputs never use the float64 loop.  Negative n runs the recurrence backwards\n"
    "where that is defined: c[0] = +-1 over the integers (int, mpz, fmpz, SymPy Integer),\n"
    "c[0] != 0 invertible over fields (1 / c[0]; ValueError otherwise).  Only Python ints\n"
    "have a size cap (2**28 bits); other types are bounded by memory (Ctrl-C works between\n"
    "steps).  Empty coefs and init (order 0) give 0.\n"
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
    "    Force the loop: object gives exact Python ints of any size (or ring elements).\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray or scalar\n"
    "    a[n], broadcast over the loop dimensions: int64 (exact, or OverflowError naming\n"
    "    the index), float64, or object (Python ints or the elements' type).\n"
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
    "size in object arrays.  Results lie in [0, m).  Object elements must be integers\n"
    "(int, mpz, fmpz, SymPy Integer: read as Python ints); residues of Fraction, float or\n"
    "nmod are not defined (TypeError; use term over nmod/fmpz_mod elements instead).\n"
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

/* The gufunc of one family and method: name, doc and signature as given. */
static PyObject *
lr_make_gufunc(const lr_loop_table *t, int meth, const char *name, const char *doc,
               const char *signature)
{
    /* order k = 0 is allowed: the zero sequence */
    return PyUFunc_FromFuncAndDataAndSignature(t->funcs, t->data + meth * t->nloops, t->types,
                                               t->nloops, t->nin, 1, PyUFunc_None, name, doc, 0,
                                               signature);
}

int
lr_register_term_ufuncs(PyObject *module)
{
    if (lr_loop_flag_init() < 0) {
        PyErr_NoMemory();
        return -1;
    }
    lr_loop_table_build(&lr_term_table);
    lr_loop_table_build(&lr_term_mod_table);
    for (int meth = 0; meth < LR_METHOD_COUNT; meth++) {
        PyObject *uf = lr_make_gufunc(&lr_term_table, meth, lr_term_names[meth], lr_term_doc,
                                      "(k),(k),()->()");
        PyObject *ufm = lr_make_gufunc(&lr_term_mod_table, meth, lr_term_mod_names[meth],
                                       lr_term_mod_doc, "(k),(k),(),()->()");
        int rc = (uf == NULL || ufm == NULL ||
                  PyModule_AddObjectRef(module, lr_term_names[meth], uf) < 0 ||
                  PyModule_AddObjectRef(module, lr_term_mod_names[meth], ufm) < 0)
                     ? -1
                     : 0;
        Py_XDECREF(uf);
        Py_XDECREF(ufm);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}
