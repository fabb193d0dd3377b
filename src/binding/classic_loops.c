/*
 * Loops of the classic ufuncs (fibonacci, lucas_number, lucas_u, lucas_v, lucas_uv_mod,
 * is_prime, is_strong_lucas_prp).  Numeric loops call the C core without the GIL; object
 * loops hand Python ints of any size to src/pyobj (GIL held).  Failures are raised through
 * errors.c.
 */
#include "classic_loops.h"

#include <fenv.h>
#include <string.h>

#include "lr_classic.h"
#include "lr_pyobj_classic.h"

/* ---- reading and failing ------------------------------------------------------------------ */

/* The context of a failed exact int64 value: "U_n for P=.., Q=.., n=.." or "F_n for n=..". */
static void
lr_cl_fail_exact(lr_failure_t *f, const char *value, int have_pq, int64_t P, int64_t Q,
                 lr_index_t n, lr_status st)
{
    f->status = st;
    f->n = n;
    f->value = value;
    f->have_pq = have_pq;
    f->P = P;
    f->Q = Q;
    if (st == LR_ERR_OVERFLOW) {
        f->advice = "use object arrays for exact big integers, or lucas_uv_mod for residues";
    }
    else if (st == LR_ERR_UNCERTIFIED) {
        f->advice = "use object arrays for the exact value, or lucas_uv_mod for residues";
    }
    else if (st == LR_ERR_BACKWARDS) {
        f->why = "is not an integer: negative n needs Q = 1 or Q = -1";
    }
}

/* Read P or Q as int64: -1 for a uint64 value >= 2^63 (uint64 inputs compute in int64 for
 * lucas_u / lucas_v: their results can be negative). */
static int
lr_cl_read_pq(const char *p, int is_unsigned, int64_t *out)
{
    memcpy(out, p, sizeof *out);
    return is_unsigned && *out < 0 ? -1 : 0;
}

/* P or Q as a residue mod m (m >= 1), read as int64 or uint64. */
static inline uint64_t
lr_cl_read_residue(const char *p, int is_unsigned, uint64_t m)
{
    uint64_t u;
    memcpy(&u, p, sizeof u);
    return is_unsigned ? u % m : lr_mod_reduce_i64((int64_t)u, m);
}

/* ---- numeric loops ----------------------------------------------------------------------- */

/* fibonacci / lucas_number: (n) -> int64 */
void
lr_fib_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    const int luc = flags & LR_CL_SECOND;
    const uint64_t nmax = luc ? LR_LUC_MAX_I64 : LR_FIB_MAX_I64;
    const char *func = luc ? "lucas_number" : "fibonacci";
    int64_t fib[LR_FIB_MAX_I64 + 1], lucn[LR_LUC_MAX_I64 + 1];
    const int64_t *tab = luc ? lucn : fib;
    lr_failure_t fail = {LR_OK, {0, 0}, 0, NULL};
    lr_gil_t gil;
    lr_gil_release(&gil);
    lr_fib_luc_tables(fib, lucn);
    for (npy_intp i = 0; i < dims[0]; i++) {
        lr_index_t n = lr_index_read(args[0] + i * steps[0], flags & LR_CL_NU);
        if (n.mag > nmax) {
            lr_cl_fail_exact(&fail, luc ? "L_n" : "F_n", 0, 0, 0, n, LR_ERR_OVERFLOW);
            break;
        }
        int64_t r = tab[n.mag];
        /* F_-n = (-1)^(n+1) F_n,  L_-n = (-1)^n L_n */
        if (n.neg && ((n.mag & 1u) == (uint64_t)luc)) {
            r = -r;
        }
        memcpy(args[1] + i * steps[1], &r, sizeof r);
    }
    lr_gil_restore(&gil);
    if (fail.status != LR_OK) {
        lr_raise_failure(func, "int64", &fail);
    }
}

/* lucas_u / lucas_v: (P, Q, n) -> int64 */
void
lr_uv_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    const int want = (flags & LR_CL_SECOND) ? LR_WANT_V : LR_WANT_U;
    const char *func = want == LR_WANT_U ? "lucas_u" : "lucas_v";
    lr_failure_t fail = {LR_OK, {0, 0}, 0, NULL};
    const char *bad_arg = NULL; /* a uint64 P or Q >= 2^63 */
    int64_t bad_val = 0;
    lr_gil_t gil;
    lr_gil_release(&gil);
    for (npy_intp i = 0; i < dims[0]; i++) {
        int64_t P, Q, u = 0, v = 0;
        if (lr_cl_read_pq(args[0] + i * steps[0], flags & LR_CL_PU, &P) < 0) {
            bad_arg = "P";
            bad_val = P;
            break;
        }
        if (lr_cl_read_pq(args[1] + i * steps[1], flags & LR_CL_QU, &Q) < 0) {
            bad_arg = "Q";
            bad_val = Q;
            break;
        }
        lr_index_t n = lr_index_read(args[2] + i * steps[2], flags & LR_CL_NU);
        lr_status st = lr_lucas_uv_i64(P, Q, n, want, &u, &v);
        if (st != LR_OK) {
            lr_cl_fail_exact(&fail, want == LR_WANT_U ? "U_n" : "V_n", 1, P, Q, n, st);
            break;
        }
        int64_t r = want == LR_WANT_U ? u : v;
        memcpy(args[3] + i * steps[3], &r, sizeof r);
    }
    /* the certification bound uses log2(); its inexact flags are no floating-point result */
    feclearexcept(FE_ALL_EXCEPT);
    lr_gil_restore(&gil);
    if (bad_arg != NULL) {
        lr_raise_input_overflow(func, bad_arg, (uint64_t)bad_val,
                                "uint64 inputs compute in int64; pass dtype=object for exact "
                                "big integers");
    }
    else if (fail.status != LR_OK) {
        lr_raise_failure(func, "int64", &fail);
    }
}

/* lucas_uv_mod: (P, Q, n, m) -> (U mod m, V mod m).  Terms are gathered in chunks and
 * computed together (the core interleaves independent chains). */
#define LR_UVM_CHUNK 256

void
lr_uv_mod_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    lr_failure_t fail = {LR_OK, {0, 0}, 0, NULL};
    char mtext[32], why[128];
    lr_uvm_item items[LR_UVM_CHUNK];
    lr_gil_t gil;
    lr_gil_release(&gil);
    for (npy_intp i0 = 0; i0 < dims[0] && fail.status == LR_OK; i0 += LR_UVM_CHUNK) {
        npy_intp c = dims[0] - i0 < LR_UVM_CHUNK ? dims[0] - i0 : LR_UVM_CHUNK;
        for (npy_intp k = 0; k < c; k++) {
            const npy_intp i = i0 + k;
            uint64_t m;
            if (flags & LR_CL_MU) {
                memcpy(&m, args[3] + i * steps[3], sizeof m);
            }
            else {
                int64_t ms;
                memcpy(&ms, args[3] + i * steps[3], sizeof ms);
                m = ms <= 0 ? 0 : (uint64_t)ms;
                if (ms < 0) {
                    fail.status = LR_ERR_MODULUS;
                    snprintf(mtext, sizeof mtext, "%lld", (long long)ms);
                    fail.what = mtext;
                    c = k; /* finish the terms before it, then raise */
                    break;
                }
            }
            items[k].m = m;
            items[k].n = lr_index_read(args[2] + i * steps[2], flags & LR_CL_NU);
            /* residues: uint64 P and Q are exact whatever their size */
            items[k].P =
                m == 0 ? 0 : lr_cl_read_residue(args[0] + i * steps[0], flags & LR_CL_PU, m);
            items[k].Q =
                m == 0 ? 0 : lr_cl_read_residue(args[1] + i * steps[1], flags & LR_CL_QU, m);
        }
        lr_lucas_uv_mod_many((size_t)c, items);
        for (npy_intp k = 0; k < c; k++) {
            const npy_intp i = i0 + k;
            if (items[k].st != LR_OK) {
                int64_t P, Q;
                memcpy(&P, args[0] + i * steps[0], sizeof P);
                memcpy(&Q, args[1] + i * steps[1], sizeof Q);
                fail = (lr_failure_t){items[k].st, {0, 0}, 0, NULL};
                if (items[k].st == LR_ERR_MODULUS) {
                    fail.what = "0";
                }
                else {
                    lr_cl_fail_exact(&fail, "U_n, V_n", 1, P, Q, items[k].n, items[k].st);
                    snprintf(why, sizeof why,
                             "are undefined modulo m=%llu: negative n needs Q invertible "
                             "modulo m",
                             (unsigned long long)items[k].m);
                    fail.why = why;
                }
                break;
            }
            /* results < m fit the output type (int64 outputs only for int64 moduli) */
            memcpy(args[4] + i * steps[4], &items[k].u, sizeof items[k].u);
            memcpy(args[5] + i * steps[5], &items[k].v, sizeof items[k].v);
        }
    }
    lr_gil_restore(&gil);
    if (fail.status != LR_OK) {
        lr_raise_failure("lucas_uv_mod", "", &fail);
    }
}

/* is_prime / is_strong_lucas_prp: (n) -> bool; int64 inputs: negative numbers are not prime */
void
lr_prime_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return; /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    const int is_signed = !(flags & LR_CL_NU);
    lr_gil_t gil;
    lr_gil_release(&gil);
    if (!(flags & LR_CL_SECOND)) {
        lr_is_prime_u64_many((size_t)dims[0], args[0], steps[0], is_signed, args[1], steps[1]);
    }
    else {
        lr_is_strong_lucas_prp_u64_many((size_t)dims[0], args[0], steps[0], is_signed, args[1],
                                        steps[1]);
    }
    feclearexcept(FE_ALL_EXCEPT); /* sqrt() in the perfect-square test */
    lr_gil_restore(&gil);
}

/* ---- object loops ------------------------------------------------------------------------ */

/*
 * The object loops hold a strong reference to every operand before the first __index__
 * call: a callback may replace elements of the arrays being read (lr_binding.h).  np.bool_
 * operands become Python ints here (src/pyobj knows no NumPy), as in the term loops.
 */
static PyObject *
lr_cl_obj_read(const char *p)
{
    PyObject *o = lr_obj_read(p);
    PyObject *b = lr_obj_from_npbool(o);
    if (b == NULL) {
        return o;
    }
    Py_DECREF(o);
    return b;
}

/* One element of an object loop: its operands x (strong references), its flags (the loop's
 * data), its outputs out; -1 with an exception set on failure. */
typedef int (*lr_cl_obj_elem)(PyObject *const *x, int flags, char *const *out);

/*
 * The frame of every object loop: stop at once when an earlier chunk failed, read the nin
 * operands of each element, hand them to elem with the nout output pointers, stop at the
 * first failure (or a pending signal: exact big integers can take long) and mark the loop
 * failed for the chunks after it.
 */
static void
lr_cl_obj_each(char **args, npy_intp const *dims, npy_intp const *steps, void *data, int nin,
               int nout, lr_cl_obj_elem elem)
{
    if (lr_loop_failed_before() || PyErr_Occurred() != NULL) {
        return;
    }
    for (npy_intp i = 0; i < dims[0]; i++) {
        if (PyErr_CheckSignals() < 0) {
            break;
        }
        PyObject *x[4];
        char *out[2];
        for (int j = 0; j < nin; j++) {
            x[j] = lr_cl_obj_read(args[j] + i * steps[j]);
        }
        for (int j = 0; j < nout; j++) {
            out[j] = args[nin + j] + i * steps[nin + j];
        }
        int rc = elem(x, (int)(intptr_t)data, out);
        for (int j = 0; j < nin; j++) {
            Py_DECREF(x[j]);
        }
        if (rc < 0) {
            break;
        }
    }
    feclearexcept(FE_ALL_EXCEPT); /* sqrt() in the perfect-square test of the primality tests */
    if (PyErr_Occurred()) {
        lr_loop_mark_failed();
    }
}

/* The result of one element to its output; -1 when there is none (an exception is set). */
static int
lr_cl_obj_put(char *out, PyObject *res)
{
    if (res == NULL) {
        return -1;
    }
    lr_obj_store(out, res);
    return 0;
}

static int
lr_fib_obj_elem(PyObject *const *x, int flags, char *const *out)
{
    const int luc = flags & LR_CL_SECOND;
    PyObject *one = PyLong_FromLong(1), *mone = PyLong_FromLong(-1); /* cached small ints */
    PyObject *res = one && mone ? lr_obj_lucas_uv(luc ? "lucas_number" : "fibonacci", one, mone,
                                                  x[0], luc ? LR_WANT_V : LR_WANT_U)
                                : NULL;
    Py_XDECREF(one);
    Py_XDECREF(mone);
    return lr_cl_obj_put(out[0], res);
}

static int
lr_uv_obj_elem(PyObject *const *x, int flags, char *const *out)
{
    const int v = flags & LR_CL_SECOND;
    return lr_cl_obj_put(out[0], lr_obj_lucas_uv(v ? "lucas_v" : "lucas_u", x[0], x[1], x[2],
                                                 v ? LR_WANT_V : LR_WANT_U));
}

static int
lr_uv_mod_obj_elem(PyObject *const *x, int flags, char *const *out)
{
    PyObject *u, *v;
    (void)flags;
    if (lr_obj_lucas_uv_mod(x[0], x[1], x[2], x[3], &u, &v) < 0) {
        return -1;
    }
    lr_obj_store(out[0], u);
    lr_obj_store(out[1], v);
    return 0;
}

static int
lr_prime_obj_elem(PyObject *const *x, int flags, char *const *out)
{
    int r = lr_obj_primality(x[0], flags & LR_CL_SECOND);
    if (r < 0) {
        return -1;
    }
    *out[0] = (char)r;
    return 0;
}

/* The exported object loops: elem over nin operands and nout outputs per element. */
#define LR_CL_OBJ_LOOP(name, nin, nout, elem) \
    void name(char **args, npy_intp const *dims, npy_intp const *steps, void *data) \
    { \
        lr_cl_obj_each(args, dims, steps, data, (nin), (nout), (elem)); \
    }

LR_CL_OBJ_LOOP(lr_fib_obj_loop, 1, 1, lr_fib_obj_elem)
LR_CL_OBJ_LOOP(lr_uv_obj_loop, 3, 1, lr_uv_obj_elem)
LR_CL_OBJ_LOOP(lr_uv_mod_obj_loop, 4, 2, lr_uv_mod_obj_elem)
LR_CL_OBJ_LOOP(lr_prime_obj_loop, 1, 1, lr_prime_obj_elem)
