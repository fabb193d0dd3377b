/*
 * Elementwise ufuncs for the classical Lucas sequences and 64-bit primality:
 *
 *   fibonacci(n), lucas_number(n)            F_n, L_n
 *   lucas_u(P, Q, n), lucas_v(P, Q, n)       U_n(P, Q), V_n(P, Q)
 *   lucas_uv_mod(P, Q, n, m) -> (U, V)       U_n mod m, V_n mod m
 *   is_prime(n), is_strong_lucas_prp(n)      Baillie-PSW / strong Lucas (Selfridge)
 *
 * Numeric loops call the C core without the GIL; object loops work on Python ints of any
 * size (PyNumber_* arithmetic, GIL held).
 */
#include "lr_binding.h"

#include <fenv.h>
#include <string.h>

#include "lr_classic.h"

#include "numpy/ndarraytypes.h"
#include "numpy/ufuncobject.h"

/* Exact object results above this many bits are refused instead of computed for hours. */
#define LR_CL_MAX_BITS ((long long)1 << 32)

/* ---- error reporting --------------------------------------------------------------------- */

typedef struct {
    lr_status status;   /* LR_OK while nothing failed */
    char msg[320];
} lr_cl_fail_t;

static void
lr_cl_index_text(char *buf, size_t size, lr_index_t n)
{
    snprintf(buf, size, "%s%llu", n.neg ? "-" : "", (unsigned long long)n.mag);
}

/* Message for a failed exact int64 value ("U_n" etc. for P, Q given, or a named number). */
static void
lr_cl_fail_exact(lr_cl_fail_t *f, const char *func, const char *what, int have_pq, int64_t P,
                 int64_t Q, lr_index_t n, lr_status st)
{
    char idx[32], pq[80] = "";
    lr_cl_index_text(idx, sizeof idx, n);
    if (have_pq) {
        snprintf(pq, sizeof pq, "P=%lld, Q=%lld, ", (long long)P, (long long)Q);
    }
    f->status = st;
    switch (st) {
        case LR_ERR_OVERFLOW:
            snprintf(f->msg, sizeof f->msg,
                     "lucas.%s: %s for %sn=%s does not fit in int64 (use object arrays for "
                     "exact big integers, or lucas_uv_mod for residues)", func, what, pq, idx);
            break;
        case LR_ERR_UNCERTIFIED:
            snprintf(f->msg, sizeof f->msg,
                     "lucas.%s: could not prove that %s for %sn=%s fits in int64; use object "
                     "arrays for the exact value", func, what, pq, idx);
            break;
        case LR_ERR_BACKWARDS:
            snprintf(f->msg, sizeof f->msg,
                     "lucas.%s: %s for %sn=%s is not an integer: negative n needs Q = 1 or "
                     "Q = -1", func, what, pq, idx);
            break;
        default:
            snprintf(f->msg, sizeof f->msg, "lucas.%s: internal error %d", func, (int)st);
    }
}

/* Raise the recorded failure; takes the GIL itself. */
static void
lr_cl_raise(const lr_cl_fail_t *f)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    lr_loop_mark_failed();
    PyObject *type = PyExc_RuntimeError;
    switch (f->status) {
        case LR_ERR_OVERFLOW:
        case LR_ERR_UNCERTIFIED:
            type = PyExc_OverflowError;
            break;
        case LR_ERR_BACKWARDS:
        case LR_ERR_MODULUS:
            type = PyExc_ValueError;
            break;
        case LR_ERR_NOMEM:
            type = PyExc_MemoryError;
            break;
        default:
            break;
    }
    PyErr_SetString(type, f->msg);
    PyGILState_Release(gs);
}

static inline lr_index_t
lr_cl_read_index(const char *p, int is_unsigned)
{
    if (is_unsigned) {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return lr_index_from_u64(v);
    }
    int64_t v;
    memcpy(&v, p, sizeof v);
    return lr_index_from_i64(v);
}

/* ---- numeric loops ----------------------------------------------------------------------- */

/* Loop data is a small integer: bit 0 selects the second function of a pair (lucas_number,
 * lucas_v, is_strong_lucas_prp), bit 1 an unsigned index, bit 2 an unsigned modulus. */
#define LR_CL_SECOND 1
#define LR_CL_NU 2
#define LR_CL_MU 4
#define LR_CL_PU 8    /* P is uint64 (lucas_u, lucas_v, lucas_uv_mod) */
#define LR_CL_QU 16   /* Q is uint64 */

/* Read P or Q as int64; a uint64 value >= 2^63 fails with a message naming it (uint64 inputs
 * compute in int64 for lucas_u / lucas_v: their results can be negative). */
static int
lr_cl_read_pq(const char *p, int is_unsigned, const char *func, const char *name,
              int64_t *out, lr_cl_fail_t *fail)
{
    memcpy(out, p, sizeof *out);
    if (is_unsigned && *out < 0) {
        fail->status = LR_ERR_OVERFLOW;
        snprintf(fail->msg, sizeof fail->msg,
                 "lucas.%s: %s value %llu does not fit in int64 (uint64 inputs compute in "
                 "int64; pass dtype=object for exact big integers)", func, name,
                 (unsigned long long)*out);
        return -1;
    }
    return 0;
}

/* P or Q as a residue mod m (m >= 1), read as int64 or uint64. */
static inline uint64_t
lr_cl_read_residue(const char *p, int is_unsigned, uint64_t m)
{
    uint64_t u;
    memcpy(&u, p, sizeof u);
    return is_unsigned ? u % m : lr_mod_reduce_i64((int64_t)u, m);
}

/* fibonacci / lucas_number: (n) -> int64 */
static void
lr_fib_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return;   /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    const int luc = flags & LR_CL_SECOND;
    const uint64_t nmax = luc ? LR_LUC_MAX_I64 : LR_FIB_MAX_I64;
    const char *func = luc ? "lucas_number" : "fibonacci";
    int64_t fib[LR_FIB_MAX_I64 + 1], lucn[LR_LUC_MAX_I64 + 1];
    const int64_t *tab = luc ? lucn : fib;
    lr_cl_fail_t fail;
    fail.status = LR_OK;
    lr_gil_t gil;
    lr_gil_release(&gil);
    lr_fib_luc_tables(fib, lucn);
    for (npy_intp i = 0; i < dims[0]; i++) {
        lr_index_t n = lr_cl_read_index(args[0] + i * steps[0], flags & LR_CL_NU);
        if (n.mag > nmax) {
            lr_cl_fail_exact(&fail, func, luc ? "L_n" : "F_n", 0, 0, 0, n, LR_ERR_OVERFLOW);
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
        lr_cl_raise(&fail);
    }
}

/* lucas_u / lucas_v: (P, Q, n) -> int64 */
static void
lr_uv_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return;   /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    const int want = (flags & LR_CL_SECOND) ? LR_WANT_V : LR_WANT_U;
    lr_cl_fail_t fail;
    fail.status = LR_OK;
    lr_gil_t gil;
    lr_gil_release(&gil);
    for (npy_intp i = 0; i < dims[0]; i++) {
        int64_t P, Q, u = 0, v = 0;
        const char *func = want == LR_WANT_U ? "lucas_u" : "lucas_v";
        if (lr_cl_read_pq(args[0] + i * steps[0], flags & LR_CL_PU, func, "P", &P, &fail) < 0 ||
            lr_cl_read_pq(args[1] + i * steps[1], flags & LR_CL_QU, func, "Q", &Q, &fail) < 0) {
            break;
        }
        lr_index_t n = lr_cl_read_index(args[2] + i * steps[2], flags & LR_CL_NU);
        lr_status st = lr_lucas_uv_i64(P, Q, n, want, &u, &v);
        if (st != LR_OK) {
            lr_cl_fail_exact(&fail, want == LR_WANT_U ? "lucas_u" : "lucas_v",
                             want == LR_WANT_U ? "U_n" : "V_n", 1, P, Q, n, st);
            break;
        }
        int64_t r = want == LR_WANT_U ? u : v;
        memcpy(args[3] + i * steps[3], &r, sizeof r);
    }
    /* the certification bound uses log2(); its inexact flags are no floating-point result */
    feclearexcept(FE_ALL_EXCEPT);
    lr_gil_restore(&gil);
    if (fail.status != LR_OK) {
        lr_cl_raise(&fail);
    }
}

/* lucas_uv_mod: (P, Q, n, m) -> (U mod m, V mod m).  Terms are gathered in chunks and
 * computed together (the core interleaves independent chains). */
#define LR_UVM_CHUNK 256

static void
lr_uv_mod_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return;   /* an earlier chunk failed: NumPy raises that error after the loop */
    }
    const int flags = (int)(intptr_t)data;
    lr_cl_fail_t fail;
    fail.status = LR_OK;
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
                    snprintf(fail.msg, sizeof fail.msg,
                             "lucas.lucas_uv_mod: modulus m must be positive, got %lld",
                             (long long)ms);
                    c = k;   /* finish the terms before it, then raise */
                    break;
                }
            }
            items[k].m = m;
            items[k].n = lr_cl_read_index(args[2] + i * steps[2], flags & LR_CL_NU);
            /* residues: uint64 P and Q are exact whatever their size */
            items[k].P = m == 0 ? 0 : lr_cl_read_residue(args[0] + i * steps[0],
                                                          flags & LR_CL_PU, m);
            items[k].Q = m == 0 ? 0 : lr_cl_read_residue(args[1] + i * steps[1],
                                                          flags & LR_CL_QU, m);
        }
        lr_lucas_uv_mod_many((size_t)c, items);
        for (npy_intp k = 0; k < c; k++) {
            const npy_intp i = i0 + k;
            if (items[k].st != LR_OK) {
                int64_t P, Q;
                memcpy(&P, args[0] + i * steps[0], sizeof P);
                memcpy(&Q, args[1] + i * steps[1], sizeof Q);
                fail.status = items[k].st;
                if (items[k].st == LR_ERR_MODULUS) {
                    snprintf(fail.msg, sizeof fail.msg,
                             "lucas.lucas_uv_mod: modulus m must be positive, got 0");
                }
                else {
                    char idx[32];
                    lr_cl_index_text(idx, sizeof idx, items[k].n);
                    snprintf(fail.msg, sizeof fail.msg,
                             "lucas.lucas_uv_mod: U_n, V_n for P=%lld, Q=%lld, n=%s are "
                             "undefined modulo m=%llu: negative n needs Q invertible modulo m",
                             (long long)P, (long long)Q, idx,
                             (unsigned long long)items[k].m);
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
        lr_cl_raise(&fail);
    }
}

/* is_prime / is_strong_lucas_prp: (n) -> bool; int64 inputs: negative numbers are not prime */
static void
lr_prime_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (lr_loop_failed_before()) {
        return;   /* an earlier chunk failed: NumPy raises that error after the loop */
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
    feclearexcept(FE_ALL_EXCEPT);   /* sqrt() in the perfect-square test */
    lr_gil_restore(&gil);
}

/* ---- Python-int helpers (object loops, GIL held) ----------------------------------------- */

/* Every function returns a new reference or NULL with an exception set; "steal" variants
 * consume their first argument. */

static PyObject *
lr_o_index(PyObject *o)
{
    PyObject *b = lr_obj_from_npbool(o);
    return b != NULL ? b : PyNumber_Index(o == NULL ? Py_None : o);
}

static PyObject *
lr_o_int(long long v)
{
    return PyLong_FromLongLong(v);
}

/* -1, 0, 1 for the sign of a Python int, -2 on error */
static int
lr_o_sign(PyObject *x)
{
    PyObject *zero = lr_o_int(0);
    if (zero == NULL) {
        return -2;
    }
    int lt = PyObject_RichCompareBool(x, zero, Py_LT);
    int gt = lt == 0 ? PyObject_RichCompareBool(x, zero, Py_GT) : 0;
    Py_DECREF(zero);
    if (lt < 0 || gt < 0) {
        return -2;
    }
    return lt ? -1 : (gt ? 1 : 0);
}

/* x == v for a small v: 1, 0, or -1 on error */
static int
lr_o_eq_small(PyObject *x, long long v)
{
    PyObject *o = lr_o_int(v);
    if (o == NULL) {
        return -1;
    }
    int r = PyObject_RichCompareBool(x, o, Py_EQ);
    Py_DECREF(o);
    return r;
}

static long long
lr_o_bit_length(PyObject *x)
{
    PyObject *b = PyObject_CallMethod(x, "bit_length", NULL);
    if (b == NULL) {
        return -1;
    }
    long long r = PyLong_AsLongLong(b);
    Py_DECREF(b);
    return r;
}

/* 1 and *out = x when 0 <= x < 2^64; 0 when outside; -1 on error */
static int
lr_o_as_u64(PyObject *x, uint64_t *out)
{
    int sg = lr_o_sign(x);
    if (sg == -2) {
        return -1;
    }
    if (sg < 0) {
        return 0;
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(x);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
            return -1;
        }
        PyErr_Clear();
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

/* binary operations on owned references: consume a (and b when the name says so) */
static PyObject *
lr_o_mul_s(PyObject *a, PyObject *b)
{
    if (a == NULL) {
        return NULL;
    }
    PyObject *r = PyNumber_Multiply(a, b);
    Py_DECREF(a);
    return r;
}

static PyObject *
lr_o_sub_ss(PyObject *a, PyObject *b)
{
    PyObject *r = (a != NULL && b != NULL) ? PyNumber_Subtract(a, b) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}

static PyObject *
lr_o_mod_s(PyObject *a, PyObject *m)
{
    if (a == NULL) {
        return NULL;
    }
    PyObject *r = PyNumber_Remainder(a, m);
    Py_DECREF(a);
    return r;
}

static PyObject *
lr_o_neg_s(PyObject *a)
{
    if (a == NULL) {
        return NULL;
    }
    PyObject *r = PyNumber_Negative(a);
    Py_DECREF(a);
    return r;
}

/* small * x, consuming x */
static PyObject *
lr_o_scale(long long k, PyObject *x)
{
    if (x == NULL) {
        return NULL;
    }
    PyObject *ko = lr_o_int(k);
    PyObject *r = ko == NULL ? NULL : PyNumber_Multiply(ko, x);
    Py_XDECREF(ko);
    Py_DECREF(x);
    return r;
}

/*
 * base ** e for a Python int e >= 0, refusing results of more than LR_CL_MAX_BITS bits.
 * func names the public function for the message.
 */
static PyObject *
lr_o_pow_guarded(const char *func, PyObject *base, PyObject *e)
{
    int small = 0;
    for (int v = -1; v <= 1 && !small; v++) {
        int r = lr_o_eq_small(base, v);
        if (r < 0) {
            return NULL;
        }
        small = r;
    }
    if (!small) {
        /* |base| >= 2: the result has at least e * (bits(base) - 1) + 1 bits */
        long long bl = lr_o_bit_length(base);
        if (bl < 0) {
            return NULL;
        }
        PyObject *lim = lr_o_int(LR_CL_MAX_BITS / (bl > 1 ? bl - 1 : 1));
        if (lim == NULL) {
            return NULL;
        }
        int too_big = PyObject_RichCompareBool(e, lim, Py_GT);
        Py_DECREF(lim);
        if (too_big < 0) {
            return NULL;
        }
        if (too_big) {
            PyErr_Format(PyExc_OverflowError,
                         "lucas.%s: the exact value would exceed 2**32 bits; use lucas_uv_mod "
                         "for residues", func);
            return NULL;
        }
    }
    return PyNumber_Power(base, e, Py_None);
}

/* ---- object: exact U_n, V_n -------------------------------------------------------------- */

/*
 * (U_k, U_k+1) doubling over Python ints, optionally modulo m (m may be NULL).  The bits of
 * the index come from a big-endian byte string.
 */
static int
lr_o_u_pair(PyObject *P, PyObject *Q, const unsigned char *bytes, Py_ssize_t nbytes,
            PyObject *m, PyObject **un, PyObject **un1)
{
    PyObject *ua = lr_o_int(0), *ub = lr_o_int(1);
    if (ua == NULL || ub == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < nbytes; i++) {
        for (int b = 7; b >= 0; b--) {
            int bit = (bytes[i] >> b) & 1;
            /* odd = U_k+1^2 - Q U_k^2 */
            PyObject *a2 = PyNumber_Multiply(ua, ua);
            PyObject *b2 = PyNumber_Multiply(ub, ub);
            PyObject *odd = lr_o_sub_ss(b2, a2 == NULL ? NULL : lr_o_mul_s(a2, Q));
            odd = m ? lr_o_mod_s(odd, m) : odd;
            if (odd == NULL) {
                goto fail;
            }
            PyObject *other;
            if (bit) {
                /* U_2k+2 = U_k+1 (P U_k+1 - 2 Q U_k) */
                PyObject *pb = PyNumber_Multiply(P, ub);
                PyObject *qa = PyNumber_Multiply(Q, ua);
                PyObject *w = lr_o_sub_ss(pb, qa == NULL ? NULL : lr_o_scale(2, qa));
                other = w == NULL ? NULL : lr_o_mul_s(w, ub);
            }
            else {
                /* U_2k = U_k (2 U_k+1 - P U_k) */
                PyObject *pa = PyNumber_Multiply(P, ua);
                PyObject *w = lr_o_sub_ss(lr_o_scale(2, (Py_INCREF(ub), ub)), pa);
                other = w == NULL ? NULL : lr_o_mul_s(w, ua);
            }
            other = m ? lr_o_mod_s(other, m) : other;
            if (other == NULL) {
                Py_DECREF(odd);
                goto fail;
            }
            Py_DECREF(ua);
            Py_DECREF(ub);
            if (bit) {
                ua = odd;
                ub = other;
            }
            else {
                ua = other;
                ub = odd;
            }
        }
    }
    *un = ua;
    *un1 = ub;
    return 0;
fail:
    Py_XDECREF(ua);
    Py_XDECREF(ub);
    return -1;
}

/* Big-endian bytes of a Python int N >= 0 (a new bytes object). */
static PyObject *
lr_o_index_bytes(PyObject *N)
{
    long long bl = lr_o_bit_length(N);
    if (bl < 0) {
        return NULL;
    }
    return PyObject_CallMethod(N, "to_bytes", "Ls", (bl + 7) / 8, "big");
}

/*
 * coef * t^a * lam^q for the closed forms (a, q Python ints >= 0); coef == 0 gives 0
 * without looking at the powers.
 */
static PyObject *
lr_o_closed(const char *func, PyObject *coef, PyObject *t, PyObject *a, PyObject *lam,
            PyObject *q)
{
    int z = lr_o_eq_small(coef, 0);
    if (z < 0) {
        return NULL;
    }
    if (z) {
        return lr_o_int(0);
    }
    PyObject *ta = lr_o_pow_guarded(func, t, a);
    if (ta == NULL) {
        return NULL;
    }
    PyObject *lq = lr_o_pow_guarded(func, lam, q);
    if (lq == NULL) {
        Py_DECREF(ta);
        return NULL;
    }
    PyObject *r = PyNumber_Multiply(ta, lq);
    Py_DECREF(ta);
    Py_DECREF(lq);
    return r == NULL ? NULL : lr_o_mul_s(r, coef);
}

/*
 * U_N or V_N (which) for N >= 0 over Python ints.  Degenerate sequences by closed forms,
 * the others by doubling (refused above 2^32 bits).
 */
static PyObject *
lr_o_uv_nonneg(const char *func, PyObject *P, PyObject *Q, PyObject *N, int which)
{
    PyObject *res = NULL, *P2 = NULL, *one = NULL, *Qj[5] = {NULL, NULL, NULL, NULL, NULL};
    PyObject *bu[7] = {NULL}, *bv[7] = {NULL}, *t = NULL, *lam = NULL, *hq = NULL;
    PyObject *Nm1 = NULL, *rem = NULL, *bytes = NULL;
    int nzero = lr_o_eq_small(N, 0);
    if (nzero < 0) {
        return NULL;
    }
    if (nzero) {
        return lr_o_int(which == LR_WANT_U ? 0 : 2);
    }
    one = lr_o_int(1);
    Nm1 = one ? PyNumber_Subtract(N, one) : NULL;
    P2 = PyNumber_Multiply(P, P);
    if (Nm1 == NULL || P2 == NULL) {
        goto done;
    }
    /* Q * j for j = 2, 3, 4 */
    for (int j = 2; j <= 4; j++) {
        Qj[j] = lr_o_scale(j, (Py_INCREF(Q), Q));
        if (Qj[j] == NULL) {
            goto done;
        }
    }
    int qzero = lr_o_eq_small(Q, 0), pzero = lr_o_eq_small(P, 0);
    int dzero = PyObject_RichCompareBool(P2, Qj[4], Py_EQ);
    int f1 = PyObject_RichCompareBool(P2, Q, Py_EQ);
    int f2 = PyObject_RichCompareBool(P2, Qj[2], Py_EQ);
    int f3 = PyObject_RichCompareBool(P2, Qj[3], Py_EQ);
    for (int j = 2; j <= 4; j++) {
        Py_CLEAR(Qj[j]);
    }
    if (qzero < 0 || pzero < 0 || dzero < 0 || f1 < 0 || f2 < 0 || f3 < 0) {
        goto done;
    }
    if (qzero) {
        /* beta = 0: U_N = P^(N-1), V_N = P^N */
        res = lr_o_closed(func, one, P, which == LR_WANT_U ? Nm1 : N, one, N);
        goto done;
    }
    if (dzero) {
        /* double root t = P/2: U_N = N t^(N-1), V_N = 2 t^N */
        PyObject *two = lr_o_int(2);
        t = two ? PyNumber_FloorDivide(P, two) : NULL;
        if (t != NULL) {
            res = which == LR_WANT_U ? lr_o_closed(func, N, t, Nm1, one, N)
                                     : lr_o_closed(func, two, t, N, one, N);
        }
        Py_XDECREF(two);
        goto done;
    }
    if (pzero || f1 || f2 || f3) {
        /* alpha/beta is a root of unity of order h: X_(hq+r) = lam^q X_r, and the scaled
         * family (t P0, t^2 Q0) has X_N = t^(N-1) (U) or t^N (V) times the base sequence */
        long long P0 = pzero ? 0 : (f1 ? 1 : (f2 ? 2 : 3));
        int h = pzero ? 2 : (f1 ? 3 : (f2 ? 4 : 6));
        PyObject *bp = lr_o_int(P0), *bq = pzero ? (Py_INCREF(Q), Q) : lr_o_int(P0);
        PyObject *p0 = lr_o_int(P0 == 0 ? 1 : P0);
        t = pzero ? lr_o_int(1) : (p0 ? PyNumber_FloorDivide(P, p0) : NULL);
        Py_XDECREF(p0);
        if (bp == NULL || bq == NULL || t == NULL) {
            Py_XDECREF(bp);
            Py_XDECREF(bq);
            goto done;
        }
        bu[0] = lr_o_int(0);
        bu[1] = lr_o_int(1);
        bv[0] = lr_o_int(2);
        bv[1] = (Py_INCREF(bp), bp);
        int ok = bu[0] && bu[1] && bv[0];
        for (int i = 2; ok && i <= h; i++) {
            bu[i] = lr_o_sub_ss(PyNumber_Multiply(bp, bu[i - 1]), PyNumber_Multiply(bq, bu[i - 2]));
            bv[i] = lr_o_sub_ss(PyNumber_Multiply(bp, bv[i - 1]), PyNumber_Multiply(bq, bv[i - 2]));
            ok = bu[i] && bv[i];
        }
        Py_DECREF(bp);
        Py_DECREF(bq);
        if (!ok) {
            goto done;
        }
        PyObject *two = lr_o_int(2), *hh = lr_o_int(h);
        lam = two ? PyNumber_FloorDivide(bv[h], two) : NULL;
        PyObject *qr = hh ? PyNumber_Divmod(N, hh) : NULL;
        Py_XDECREF(two);
        Py_XDECREF(hh);
        if (lam == NULL || qr == NULL) {
            Py_XDECREF(qr);
            goto done;
        }
        hq = PyTuple_GET_ITEM(qr, 0);
        rem = PyTuple_GET_ITEM(qr, 1);
        Py_INCREF(hq);
        Py_INCREF(rem);
        Py_DECREF(qr);
        long r = PyLong_AsLong(rem);
        if (r == -1 && PyErr_Occurred()) {
            goto done;
        }
        res = which == LR_WANT_U ? lr_o_closed(func, bu[r], t, Nm1, lam, hq)
                                 : lr_o_closed(func, bv[r], t, N, lam, hq);
        goto done;
    }
    {
        /* non-degenerate: |X_N| grows like rho^N with rho >= max(sqrt 2, |P|/2, sqrt|Q|) */
        long long bp = lr_o_bit_length(P), bq = lr_o_bit_length(Q), bn = lr_o_bit_length(N);
        if (bp < 0 || bq < 0 || bn < 0) {
            goto done;
        }
        double l2 = 0.5;
        if ((double)(bp - 2) > l2) {
            l2 = (double)(bp - 2);
        }
        if ((double)(bq - 1) / 2.0 > l2) {
            l2 = (double)(bq - 1) / 2.0;
        }
        uint64_t n64 = 0;
        int fits = bn <= 40 ? lr_o_as_u64(N, &n64) : 0;
        if (fits < 0) {
            goto done;
        }
        if (!fits || (double)n64 * l2 > (double)LR_CL_MAX_BITS) {
            PyErr_Format(PyExc_OverflowError,
                         "lucas.%s: the exact value would exceed 2**32 bits; use lucas_uv_mod "
                         "for residues", func);
            goto done;
        }
        bytes = lr_o_index_bytes(N);
        if (bytes == NULL) {
            goto done;
        }
        PyObject *un, *un1;
        if (lr_o_u_pair(P, Q, (const unsigned char *)PyBytes_AS_STRING(bytes),
                        PyBytes_GET_SIZE(bytes), NULL, &un, &un1) < 0) {
            goto done;
        }
        if (which == LR_WANT_U) {
            Py_DECREF(un1);
            res = un;
        }
        else {
            /* V_N = 2 U_N+1 - P U_N */
            res = lr_o_sub_ss(lr_o_scale(2, un1), lr_o_mul_s(un, P));
        }
    }
done:
    for (int i = 0; i < 7; i++) {
        Py_XDECREF(bu[i]);
        Py_XDECREF(bv[i]);
    }
    for (int j = 2; j <= 4; j++) {
        Py_XDECREF(Qj[j]);
    }
    Py_XDECREF(one);
    Py_XDECREF(P2);
    Py_XDECREF(Nm1);
    Py_XDECREF(t);
    Py_XDECREF(lam);
    Py_XDECREF(hq);
    Py_XDECREF(rem);
    Py_XDECREF(bytes);
    return res;
}

/* 1 when the Python int N >= 0 is odd, 0 when even, -1 on error */
static int
lr_o_is_odd(PyObject *N)
{
    PyObject *one = lr_o_int(1);
    PyObject *b = one ? PyNumber_And(N, one) : NULL;
    Py_XDECREF(one);
    if (b == NULL) {
        return -1;
    }
    int r = lr_o_eq_small(b, 1);
    Py_DECREF(b);
    return r;
}

/* U_n or V_n for Python ints P, Q, n of any size (n < 0 needs Q = +-1). */
static PyObject *
lr_o_uv(const char *func, PyObject *Po, PyObject *Qo, PyObject *no, int which)
{
    PyObject *P = lr_o_index(Po), *Q = P ? lr_o_index(Qo) : NULL;
    PyObject *n = Q ? lr_o_index(no) : NULL, *N = NULL, *res = NULL;
    if (n == NULL) {
        goto done;
    }
    int sg = lr_o_sign(n);
    if (sg == -2) {
        goto done;
    }
    int qmone = 0;
    if (sg < 0) {
        int qone = lr_o_eq_small(Q, 1);
        qmone = qone == 0 ? lr_o_eq_small(Q, -1) : 0;
        if (qone < 0 || qmone < 0) {
            goto done;
        }
        if (!qone && !qmone) {
            PyErr_Format(PyExc_ValueError,
                         "lucas.%s: %s for P=%S, Q=%S, n=%S is not an integer: negative n "
                         "needs Q = 1 or Q = -1", func, which == LR_WANT_U ? "U_n" : "V_n", P,
                         Q, n);
            goto done;
        }
        N = PyNumber_Negative(n);
    }
    else {
        N = (Py_INCREF(n), n);
    }
    if (N == NULL) {
        goto done;
    }
    res = lr_o_uv_nonneg(func, P, Q, N, which);
    if (res != NULL && sg < 0) {
        /* U_-N = -Q^N U_N, V_-N = Q^N V_N with Q^N = +-1 */
        int odd = lr_o_is_odd(N);
        if (odd < 0) {
            Py_CLEAR(res);
            goto done;
        }
        int qn_neg = qmone && odd;
        if ((which == LR_WANT_U) != qn_neg) {
            PyObject *neg = PyNumber_Negative(res);
            Py_SETREF(res, neg);
        }
    }
done:
    Py_XDECREF(P);
    Py_XDECREF(Q);
    Py_XDECREF(n);
    Py_XDECREF(N);
    return res;
}

/* ---- object: U_n, V_n mod m -------------------------------------------------------------- */

/* (U_n mod m, V_n mod m) for Python ints of any size.  0 or -1. */
static int
lr_o_uv_mod(PyObject *Po, PyObject *Qo, PyObject *no, PyObject *mo, PyObject **uo,
            PyObject **vo)
{
    PyObject *P = NULL, *Q = NULL, *n = NULL, *m = NULL, *N = NULL, *bytes = NULL;
    PyObject *un = NULL, *un1 = NULL;
    int rc = -1;
    *uo = *vo = NULL;
    m = lr_o_index(mo);
    PyObject *p0 = m ? lr_o_index(Po) : NULL, *q0 = p0 ? lr_o_index(Qo) : NULL;
    n = q0 ? lr_o_index(no) : NULL;
    if (n == NULL) {
        Py_XDECREF(p0);
        Py_XDECREF(q0);
        goto done;
    }
    int msg = lr_o_sign(m);
    if (msg == -2) {
        Py_DECREF(p0);
        Py_DECREF(q0);
        goto done;
    }
    if (msg <= 0) {
        PyErr_Format(PyExc_ValueError, "lucas.lucas_uv_mod: modulus m must be positive, got %S",
                     m);
        Py_DECREF(p0);
        Py_DECREF(q0);
        goto done;
    }
    P = lr_o_mod_s(p0, m);
    Q = lr_o_mod_s(q0, m);
    int sg = lr_o_sign(n);
    if (P == NULL || Q == NULL || sg == -2) {
        goto done;
    }
    N = sg < 0 ? PyNumber_Negative(n) : (Py_INCREF(n), n);
    if (N == NULL) {
        goto done;
    }
    uint64_t m64, n64, p64, q64;
    int mfit = lr_o_as_u64(m, &m64), nfit = mfit > 0 ? lr_o_as_u64(N, &n64) : 0;
    if (mfit < 0 || nfit < 0) {
        goto done;
    }
    if (mfit && nfit && lr_o_as_u64(P, &p64) == 1 && lr_o_as_u64(Q, &q64) == 1) {
        /* everything fits the C core */
        uint64_t u, v;
        lr_index_t idx = {sg < 0, n64};
        if (lr_lucas_uv_mod(p64, q64, idx, m64, LR_WANT_U | LR_WANT_V, &u, &v) != LR_OK) {
            PyErr_Format(PyExc_ValueError,
                         "lucas.lucas_uv_mod: U_n, V_n for n=%S are undefined modulo m=%S: "
                         "negative n needs Q invertible modulo m", n, m);
            goto done;
        }
        *uo = PyLong_FromUnsignedLongLong(u);
        *vo = PyLong_FromUnsignedLongLong(v);
        rc = (*uo && *vo) ? 0 : -1;
        goto done;
    }
    if (PyErr_Occurred()) {
        goto done;
    }
    bytes = lr_o_index_bytes(N);
    if (bytes == NULL ||
        lr_o_u_pair(P, Q, (const unsigned char *)PyBytes_AS_STRING(bytes),
                    PyBytes_GET_SIZE(bytes), m, &un, &un1) < 0) {
        goto done;
    }
    /* V_N = 2 U_N+1 - P U_N */
    PyObject *v = lr_o_mod_s(lr_o_sub_ss(lr_o_scale(2, (Py_INCREF(un1), un1)),
                                         PyNumber_Multiply(P, un)), m);
    PyObject *u = (Py_INCREF(un), un);
    if (v != NULL && sg < 0) {
        /* U_-N = -Q^-N U_N, V_-N = Q^-N V_N */
        PyObject *mone = lr_o_int(-1);
        PyObject *qi = mone ? PyNumber_Power(Q, mone, m) : NULL;
        Py_XDECREF(mone);
        if (qi == NULL) {
            if (PyErr_ExceptionMatches(PyExc_ValueError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_ValueError,
                             "lucas.lucas_uv_mod: U_n, V_n for n=%S are undefined modulo m=%S: "
                             "negative n needs Q invertible modulo m", n, m);
            }
            Py_CLEAR(v);
        }
        else {
            PyObject *s = PyNumber_Power(qi, N, m);
            Py_DECREF(qi);
            if (s == NULL) {
                Py_CLEAR(v);
            }
            else {
                u = lr_o_mod_s(lr_o_neg_s(lr_o_mul_s(u, s)), m);
                v = lr_o_mod_s(lr_o_mul_s(v, s), m);
                Py_DECREF(s);
            }
        }
    }
    if (u == NULL || v == NULL) {
        Py_XDECREF(u);
        Py_XDECREF(v);
        goto done;
    }
    *uo = u;
    *vo = v;
    rc = 0;
done:
    if (rc < 0) {
        Py_CLEAR(*uo);
        Py_CLEAR(*vo);
    }
    Py_XDECREF(P);
    Py_XDECREF(Q);
    Py_XDECREF(n);
    Py_XDECREF(m);
    Py_XDECREF(N);
    Py_XDECREF(bytes);
    Py_XDECREF(un);
    Py_XDECREF(un1);
    return rc;
}

/* ---- object: primality of Python ints of any size ---------------------------------------- */

/* Jacobi(D / n) for D = +-a (odd a >= 3) and a Python int n > a, odd.  -2 on error. */
static int
lr_o_jacobi_small(long long D, PyObject *n)
{
    long long a = D < 0 ? -D : D;
    PyObject *ao = lr_o_int(a), *four = lr_o_int(4);
    PyObject *ra = ao ? PyNumber_Remainder(n, ao) : NULL;
    PyObject *r4 = four ? PyNumber_Remainder(n, four) : NULL;
    Py_XDECREF(ao);
    Py_XDECREF(four);
    long long na = ra ? PyLong_AsLongLong(ra) : -1, n4 = r4 ? PyLong_AsLongLong(r4) : -1;
    Py_XDECREF(ra);
    Py_XDECREF(r4);
    if (na < 0 || n4 < 0) {
        return -2;
    }
    /* reciprocity for odd positive a, n: (a/n) = (n mod a / a) (-1)^((a-1)/2 (n-1)/2) */
    int j = lr_jacobi_u64((uint64_t)na, (uint64_t)a);
    if ((a & 3) == 3 && n4 == 3) {
        j = -j;
    }
    if (D < 0 && n4 == 3) {
        j = -j;   /* (-1/n) = (-1)^((n-1)/2) */
    }
    return j;
}

/* x == y for Python ints: 1, 0, -1 */
static int
lr_o_eq(PyObject *x, PyObject *y)
{
    return PyObject_RichCompareBool(x, y, Py_EQ);
}

/* Strong base-2 Miller-Rabin for odd n > 2^64.  1, 0, -1 on error. */
static int
lr_o_sprp2(PyObject *n)
{
    int rc = -1;
    PyObject *one = lr_o_int(1), *two = lr_o_int(2);
    PyObject *nm1 = one ? PyNumber_Subtract(n, one) : NULL;
    PyObject *neg = nm1 ? PyNumber_Negative(nm1) : NULL;
    PyObject *low = neg ? PyNumber_And(nm1, neg) : NULL;   /* 2^s */
    long long s = low ? lr_o_bit_length(low) - 1 : -1;
    PyObject *so = s >= 0 ? lr_o_int(s) : NULL;
    PyObject *d = so ? PyNumber_Rshift(nm1, so) : NULL;
    PyObject *x = (d && two) ? PyNumber_Power(two, d, n) : NULL;
    if (x == NULL) {
        goto done;
    }
    int e1 = lr_o_eq(x, one), e2 = lr_o_eq(x, nm1);
    if (e1 < 0 || e2 < 0) {
        goto done;
    }
    rc = e1 || e2;
    for (long long r = 1; r < s && !rc; r++) {
        x = lr_o_mod_s(lr_o_mul_s(x, x), n);
        if (x == NULL) {
            rc = -1;
            goto done;
        }
        int e = lr_o_eq(x, nm1);
        if (e < 0) {
            rc = -1;
            goto done;
        }
        rc = e;
    }
done:
    Py_XDECREF(one);
    Py_XDECREF(two);
    Py_XDECREF(nm1);
    Py_XDECREF(neg);
    Py_XDECREF(low);
    Py_XDECREF(so);
    Py_XDECREF(d);
    Py_XDECREF(x);
    return rc;
}

/* 1 when the Python int n >= 0 is a perfect square, 0 if not, -1 on error */
static int
lr_o_is_square(PyObject *n)
{
    PyObject *math = PyImport_ImportModule("math");
    PyObject *r = math ? PyObject_CallMethod(math, "isqrt", "O", n) : NULL;
    Py_XDECREF(math);
    PyObject *r2 = r ? PyNumber_Multiply(r, r) : NULL;
    Py_XDECREF(r);
    if (r2 == NULL) {
        return -1;
    }
    int e = lr_o_eq(r2, n);
    Py_DECREF(r2);
    return e;
}

/* Strong Lucas test (Selfridge) for odd n > 2^64 that is not a square.  1, 0, -1. */
static int
lr_o_strong_lucas(PyObject *n)
{
    long long D = 0;
    for (long long a = 5;; a += 2) {
        long long d = (a & 2) ? -a : a;
        int j = lr_o_jacobi_small(d, n);
        if (j == -2) {
            return -1;
        }
        if (j == 0) {
            return 0;   /* 1 < gcd(a, n) <= a < n */
        }
        if (j == -1) {
            D = d;
            break;
        }
    }
    int rc = -1;
    PyObject *one = lr_o_int(1), *P = lr_o_int(1), *Q = lr_o_int((1 - D) / 4);
    PyObject *np1 = one ? PyNumber_Add(n, one) : NULL;
    PyObject *neg = np1 ? PyNumber_Negative(np1) : NULL;
    PyObject *low = neg ? PyNumber_And(np1, neg) : NULL;
    long long s = low ? lr_o_bit_length(low) - 1 : -1;
    PyObject *so = s >= 0 ? lr_o_int(s) : NULL;
    PyObject *d = so ? PyNumber_Rshift(np1, so) : NULL;
    PyObject *bytes = d ? lr_o_index_bytes(d) : NULL;
    PyObject *ud = NULL, *ud1 = NULL, *vd = NULL, *qk = NULL;
    if (bytes == NULL || P == NULL || Q == NULL ||
        lr_o_u_pair(P, Q, (const unsigned char *)PyBytes_AS_STRING(bytes),
                    PyBytes_GET_SIZE(bytes), n, &ud, &ud1) < 0) {
        goto done;
    }
    /* V_d = 2 U_d+1 - P U_d */
    vd = lr_o_mod_s(lr_o_sub_ss(lr_o_scale(2, (Py_INCREF(ud1), ud1)), (Py_INCREF(ud), ud)), n);
    qk = vd ? PyNumber_Power(Q, d, n) : NULL;
    if (qk == NULL) {
        goto done;
    }
    int z1 = lr_o_eq_small(ud, 0), z2 = lr_o_eq_small(vd, 0);
    if (z1 < 0 || z2 < 0) {
        goto done;
    }
    rc = z1 || z2;
    for (long long r = 1; r < s && !rc; r++) {
        /* V_2k = V_k^2 - 2 Q^k */
        vd = lr_o_mod_s(lr_o_sub_ss(lr_o_mul_s(vd, vd), lr_o_scale(2, (Py_INCREF(qk), qk))),
                        n);
        qk = vd ? lr_o_mod_s(lr_o_mul_s(qk, qk), n) : NULL;
        int z = qk ? lr_o_eq_small(vd, 0) : -1;
        if (z < 0) {
            rc = -1;
            goto done;
        }
        rc = z;
    }
done:
    Py_XDECREF(one);
    Py_XDECREF(P);
    Py_XDECREF(Q);
    Py_XDECREF(np1);
    Py_XDECREF(neg);
    Py_XDECREF(low);
    Py_XDECREF(so);
    Py_XDECREF(d);
    Py_XDECREF(bytes);
    Py_XDECREF(ud);
    Py_XDECREF(ud1);
    Py_XDECREF(vd);
    Py_XDECREF(qk);
    return rc;
}

/* is_prime (lucas_only == 0) or is_strong_lucas_prp of any Python int: 1, 0, -1. */
static int
lr_o_primality(PyObject *o, int lucas_only)
{
    PyObject *n = lr_o_index(o);
    if (n == NULL) {
        return -1;
    }
    int rc = -1;
    uint64_t v;
    int fit = lr_o_as_u64(n, &v);
    if (fit < 0) {
        goto done;
    }
    if (fit) {
        rc = lucas_only ? lr_is_strong_lucas_prp_u64(v) : lr_is_prime_u64(v);
        goto done;
    }
    int sg = lr_o_sign(n), odd = sg > 0 ? lr_o_is_odd(n) : 0;
    if (sg == -2 || odd < 0) {
        goto done;
    }
    if (sg < 0 || !odd) {
        rc = 0;   /* negative, or even and above 2^64 */
        goto done;
    }
    if (!lucas_only) {
        rc = lr_o_sprp2(n);
        if (rc != 1) {
            goto done;
        }
    }
    rc = lr_o_is_square(n);
    if (rc != 0) {
        rc = rc < 0 ? -1 : 0;
        goto done;
    }
    rc = lr_o_strong_lucas(n);
done:
    Py_DECREF(n);
    return rc;
}

/* ---- object loops ------------------------------------------------------------------------ */

/*
 * The object loops hold a strong reference to every operand before the first __index__
 * call: a callback may replace elements of the arrays being read (lr_binding.h).
 */
static void
lr_fib_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    const int luc = (int)(intptr_t)data & LR_CL_SECOND;
    if (PyErr_Occurred()) {
        return;
    }
    PyObject *one = lr_o_int(1), *mone = lr_o_int(-1);
    for (npy_intp i = 0; one != NULL && mone != NULL && i < dims[0]; i++) {
        if (PyErr_CheckSignals() < 0) {   /* exact big integers can take long */
            break;
        }
        PyObject *n = lr_obj_read(args[0] + i * steps[0]);
        PyObject *res = lr_o_uv(luc ? "lucas_number" : "fibonacci", one, mone, n,
                                luc ? LR_WANT_V : LR_WANT_U);
        Py_DECREF(n);
        if (res == NULL) {
            break;
        }
        lr_obj_store(args[1] + i * steps[1], res);
    }
    Py_XDECREF(one);
    Py_XDECREF(mone);
}

static void
lr_uv_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    const int v = (int)(intptr_t)data & LR_CL_SECOND;
    if (PyErr_Occurred()) {
        return;
    }
    for (npy_intp i = 0; i < dims[0]; i++) {
        if (PyErr_CheckSignals() < 0) {   /* exact big integers can take long */
            break;
        }
        PyObject *P = lr_obj_read(args[0] + i * steps[0]);
        PyObject *Q = lr_obj_read(args[1] + i * steps[1]);
        PyObject *n = lr_obj_read(args[2] + i * steps[2]);
        PyObject *res = lr_o_uv(v ? "lucas_v" : "lucas_u", P, Q, n, v ? LR_WANT_V : LR_WANT_U);
        Py_DECREF(P);
        Py_DECREF(Q);
        Py_DECREF(n);
        if (res == NULL) {
            break;
        }
        lr_obj_store(args[3] + i * steps[3], res);
    }
}

static void
lr_uv_mod_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    if (PyErr_Occurred()) {
        return;
    }
    for (npy_intp i = 0; i < dims[0]; i++) {
        if (PyErr_CheckSignals() < 0) {   /* exact big integers can take long */
            break;
        }
        PyObject *x[4], *u, *v;
        for (int j = 0; j < 4; j++) {
            x[j] = lr_obj_read(args[j] + i * steps[j]);
        }
        int rc = lr_o_uv_mod(x[0], x[1], x[2], x[3], &u, &v);
        for (int j = 0; j < 4; j++) {
            Py_DECREF(x[j]);
        }
        if (rc < 0) {
            break;
        }
        lr_obj_store(args[4] + i * steps[4], u);
        lr_obj_store(args[5] + i * steps[5], v);
    }
}

static void
lr_prime_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    const int lucas_only = (int)(intptr_t)data & LR_CL_SECOND;
    if (PyErr_Occurred()) {
        return;
    }
    for (npy_intp i = 0; i < dims[0]; i++) {
        if (PyErr_CheckSignals() < 0) {   /* exact big integers can take long */
            break;
        }
        PyObject *n = lr_obj_read(args[0] + i * steps[0]);
        int r = lr_o_primality(n, lucas_only);
        Py_DECREF(n);
        if (r < 0) {
            break;
        }
        args[1][i * steps[1]] = (char)r;
    }
    feclearexcept(FE_ALL_EXCEPT);
}

/* ---- docstrings -------------------------------------------------------------------------- */

static const char lr_fibonacci_doc[] =
    "fibonacci(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Fibonacci numbers F_n: F_0 = 0, F_1 = 1, F_n = F_(n-1) + F_(n-2).\n"
    "\n"
    "An elementwise ufunc.  Negative n follow F_(-n) = (-1)**(n+1) F_n.  int64 results are\n"
    "exact (|n| <= 92) or raise OverflowError; object arrays give exact Python ints of any\n"
    "size.  The same as ``lucas_u(1, -1, n)``.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "    Indices (int64, uint64 or Python ints in object arrays).\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.fibonacci(np.arange(10))\n"
    "array([ 0,  1,  1,  2,  3,  5,  8, 13, 21, 34])\n"
    ">>> int(lucas.fibonacci(92))\n"
    "7540113804746346429\n"
    ">>> lucas.fibonacci([-1, -2, -3])\n"
    "array([ 1, -1,  2])\n"
    ">>> lucas.fibonacci(np.array([100], dtype=object))\n"
    "array([354224848179261915075], dtype=object)\n";

static const char lr_lucas_number_doc[] =
    "lucas_number(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Lucas numbers L_n: L_0 = 2, L_1 = 1, L_n = L_(n-1) + L_(n-2).\n"
    "\n"
    "An elementwise ufunc.  Negative n follow L_(-n) = (-1)**n L_n.  int64 results are exact\n"
    "(|n| <= 90) or raise OverflowError; object arrays give exact Python ints.  The same as\n"
    "``lucas_v(1, -1, n)``.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.lucas_number(np.arange(8))\n"
    "array([ 2,  1,  3,  4,  7, 11, 18, 29])\n"
    ">>> lucas.lucas_number([-1, -2])\n"
    "array([-1,  3])\n";

static const char lr_lucas_u_doc[] =
    "lucas_u(P, Q, n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Lucas sequence U_n(P, Q): U_0 = 0, U_1 = 1, U_n = P U_(n-1) - Q U_(n-2).\n"
    "\n"
    "An elementwise ufunc: P, Q and n broadcast together.  int64 results are exact or raise\n"
    "OverflowError naming the index (only when the true value does not fit; huge n with a\n"
    "small result, such as U_n(0, 5) = 0 for even n, is exact).  Object arrays give exact\n"
    "Python ints of any size.  Negative n is defined for Q = 1 or -1 (U_(-n) = -Q**n U_n);\n"
    "other Q raise ValueError.  Computed by doubling, O(log n).\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "P, Q : array_like of int\n"
    "    Parameters of the characteristic polynomial x**2 - P x + Q.\n"
    "n : array_like of int\n"
    "    Indices.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "See Also\n"
    "--------\n"
    "lucas_v, lucas_uv_mod, fibonacci\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.lucas_u(2, -1, np.arange(8))      # Pell numbers\n"
    "array([  0,   1,   2,   5,  12,  29,  70, 169])\n"
    ">>> lucas.lucas_u(3, 2, 10)                  # 2**n - 1\n"
    "np.int64(1023)\n"
    ">>> int(lucas.lucas_u(0, 5, 10**18))\n"
    "0\n"
    ">>> lucas.lucas_u(1, -1, -5)\n"
    "np.int64(5)\n";

static const char lr_lucas_v_doc[] =
    "lucas_v(P, Q, n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Lucas sequence V_n(P, Q): V_0 = 2, V_1 = P, V_n = P V_(n-1) - Q V_(n-2).\n"
    "\n"
    "An elementwise ufunc with the same conventions as :func:`lucas_u`; negative n (Q = +-1)\n"
    "follows V_(-n) = Q**n V_n.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "P, Q : array_like of int\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.lucas_v(2, -1, np.arange(6))      # companion Pell numbers\n"
    "array([ 2,  2,  6, 14, 34, 82])\n"
    ">>> lucas.lucas_v(3, 2, 10)                  # 2**n + 1\n"
    "np.int64(1025)\n";

static const char lr_lucas_uv_mod_doc[] =
    "lucas_uv_mod(P, Q, n, m, /, out=(None, None), *, where=True, ...)\n"
    "\n"
    "U_n(P, Q) mod m and V_n(P, Q) mod m, as two outputs.\n"
    "\n"
    "An elementwise ufunc: all four inputs broadcast.  Exact for every modulus 1 <= m < 2**64\n"
    "(uint64 moduli give uint64 results, int64 moduli int64 results) and for Python ints of\n"
    "any size in object arrays.  P and Q are reduced into [0, m); results lie in [0, m).\n"
    "m <= 0 raises ValueError.  Negative n needs Q invertible modulo m.  Moduli from 2**63\n"
    "on need uint64 input (np.uint64 or a uint64 array): NumPy converts plain Python ints\n"
    "to int64 here.  A Lucas chain in Montgomery arithmetic, many terms interleaved: two\n"
    "modular products per bit of n when Q = +-1, about 3.3 for other Q.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "P, Q : array_like of int\n"
    "n : array_like of int\n"
    "m : array_like of int\n"
    "    Moduli, positive.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "U, V : ndarray\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> u, v = lucas.lucas_uv_mod(1, -1, 10**18, 10**9 + 7)\n"
    ">>> int(u), int(v)\n"
    "(209783453, 150331332)\n"
    ">>> u, v = lucas.lucas_uv_mod(1, -1, [10, 11, 12], 7)\n"
    ">>> u, v\n"
    "(array([6, 5, 4]), array([4, 3, 0]))\n"
    ">>> u, v = lucas.lucas_uv_mod(3, 2, 63, np.uint64(2**64 - 1))   # 2**n - 1, 2**n + 1\n"
    ">>> int(u), int(v)\n"
    "(9223372036854775807, 9223372036854775809)\n";

static const char lr_is_prime_doc[] =
    "is_prime(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Primality of integers: deterministic for every n < 2**64.\n"
    "\n"
    "An elementwise ufunc over uint64 and int64 arrays (negative numbers, 0 and 1 are not\n"
    "prime).  Trial division by the primes below 300, then the Baillie-PSW test: a strong\n"
    "Miller-Rabin round to base 2 and the strong Lucas test with Selfridge's parameters.  No\n"
    "composite below 2**64 passes both, so the answer is exact.  Object arrays accept Python\n"
    "ints of any size; above 2**64 the answer is a BPSW probable prime (no counterexample is\n"
    "known).\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of bool\n"
    "\n"
    "See Also\n"
    "--------\n"
    "is_strong_lucas_prp\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> np.flatnonzero(lucas.is_prime(np.arange(30)))\n"
    "array([ 2,  3,  5,  7, 11, 13, 17, 19, 23, 29])\n"
    ">>> bool(lucas.is_prime(np.uint64(2**64 - 59)))\n"
    "True\n"
    ">>> bool(lucas.is_prime(3215031751))      # strong pseudoprime to bases 2, 3, 5, 7\n"
    "False\n";

static const char lr_is_strong_lucas_prp_doc[] =
    "is_strong_lucas_prp(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Strong Lucas probable-prime test with Selfridge's parameters.\n"
    "\n"
    "D is the first of 5, -7, 9, -11, ... with Jacobi(D/n) = -1, P = 1 and Q = (1 - D)/4;\n"
    "with n + 1 = d 2**s (d odd), n passes when U_d = 0 or V_(d 2**r) = 0 (mod n) for some\n"
    "0 <= r < s.  Every prime passes; 0, 1, even n > 2, negative n and perfect squares do\n"
    "not.  Composites that pass are strong Lucas pseudoprimes (5459, 5777, 10877, ...).\n"
    "Elementwise over uint64, int64 and object (any size) arrays.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of bool\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import lucas\n"
    ">>> lucas.is_strong_lucas_prp([5459, 5777, 5779, 5781])\n"
    "array([ True,  True,  True, False])\n";

/* ---- registration ------------------------------------------------------------------------ */

#define LR_D(x) ((void *)(intptr_t)(x))

static PyUFuncGenericFunction lr_fib_funcs[3] = {lr_fib_loop, lr_fib_loop, lr_fib_obj_loop};
static char lr_fib_types[3 * 2] = {
    NPY_INT64, NPY_INT64,
    NPY_UINT64, NPY_INT64,
    NPY_OBJECT, NPY_OBJECT,
};
static void *lr_fib_data[3] = {LR_D(0), LR_D(LR_CL_NU), LR_D(0)};
static void *lr_luc_data[3] = {LR_D(LR_CL_SECOND), LR_D(LR_CL_SECOND | LR_CL_NU),
                               LR_D(LR_CL_SECOND)};

/* lucas_u / lucas_v / lucas_uv_mod: the int64 loops first (NumPy takes the first loop every
 * input casts to safely, so smaller integer types land there), then every combination with
 * uint64 P, Q, n (and m), so that no integer input is promoted to float or refused; object
 * last.  Filled by lr_build_classic_tables. */
#define LR_UV_NLOOPS 9
#define LR_UVM_NLOOPS 17
static PyUFuncGenericFunction lr_uv_funcs[LR_UV_NLOOPS];
static char lr_uv_types[LR_UV_NLOOPS * 4];
static void *lr_u_data[LR_UV_NLOOPS];
static void *lr_v_data[LR_UV_NLOOPS];

static PyUFuncGenericFunction lr_uvm_funcs[LR_UVM_NLOOPS];
static char lr_uvm_types[LR_UVM_NLOOPS * 6];
static void *lr_uvm_data[LR_UVM_NLOOPS];

static void
lr_build_classic_tables(void)
{
    /* lucas_u / lucas_v: (P, Q, n) -> int64; bit 2: P unsigned, 1: Q, 0: n */
    static const int order[8] = {0, 1, 4, 5, 2, 3, 6, 7};
    for (int j = 0; j < 8; j++) {
        int b = order[j];
        int flags = ((b & 4) ? LR_CL_PU : 0) | ((b & 2) ? LR_CL_QU : 0) |
                    ((b & 1) ? LR_CL_NU : 0);
        lr_uv_funcs[j] = lr_uv_loop;
        lr_uv_types[4 * j] = (char)((b & 4) ? NPY_UINT64 : NPY_INT64);
        lr_uv_types[4 * j + 1] = (char)((b & 2) ? NPY_UINT64 : NPY_INT64);
        lr_uv_types[4 * j + 2] = (char)((b & 1) ? NPY_UINT64 : NPY_INT64);
        lr_uv_types[4 * j + 3] = NPY_INT64;
        lr_u_data[j] = LR_D(flags);
        lr_v_data[j] = LR_D(flags | LR_CL_SECOND);
    }
    lr_uv_funcs[8] = lr_uv_obj_loop;
    memset(lr_uv_types + 32, NPY_OBJECT, 4);
    lr_u_data[8] = LR_D(0);
    lr_v_data[8] = LR_D(LR_CL_SECOND);
    /* lucas_uv_mod: (P, Q, n, m) -> (U, V) in m's type; bit 3: P, 2: Q, 1: n, 0: m unsigned */
    for (int b = 0; b < 16; b++) {
        int flags = ((b & 8) ? LR_CL_PU : 0) | ((b & 4) ? LR_CL_QU : 0) |
                    ((b & 2) ? LR_CL_NU : 0) | ((b & 1) ? LR_CL_MU : 0);
        char *t = lr_uvm_types + 6 * b;
        t[0] = (char)((b & 8) ? NPY_UINT64 : NPY_INT64);
        t[1] = (char)((b & 4) ? NPY_UINT64 : NPY_INT64);
        t[2] = (char)((b & 2) ? NPY_UINT64 : NPY_INT64);
        t[3] = t[4] = t[5] = (char)((b & 1) ? NPY_UINT64 : NPY_INT64);
        lr_uvm_funcs[b] = lr_uv_mod_loop;
        lr_uvm_data[b] = LR_D(flags);
    }
    lr_uvm_funcs[16] = lr_uv_mod_obj_loop;
    memset(lr_uvm_types + 96, NPY_OBJECT, 6);
    lr_uvm_data[16] = LR_D(0);
}

static PyUFuncGenericFunction lr_prime_funcs[3] = {lr_prime_loop, lr_prime_loop,
                                                   lr_prime_obj_loop};
static char lr_prime_types[3 * 2] = {
    NPY_UINT64, NPY_BOOL,
    NPY_INT64, NPY_BOOL,
    NPY_OBJECT, NPY_BOOL,
};
static void *lr_isprime_data[3] = {LR_D(LR_CL_NU), LR_D(0), LR_D(0)};
static void *lr_slprp_data[3] = {LR_D(LR_CL_SECOND | LR_CL_NU), LR_D(LR_CL_SECOND),
                                 LR_D(LR_CL_SECOND)};

static int
lr_add_ufunc(PyObject *module, PyUFuncGenericFunction *funcs, void **data, char *types,
             int ntypes, int nin, int nout, const char *name, const char *doc)
{
    PyObject *uf = PyUFunc_FromFuncAndData(funcs, data, types, ntypes, nin, nout, PyUFunc_None,
                                           name, doc, 0);
    if (uf == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(module, name, uf);
    Py_DECREF(uf);
    return rc;
}

int
lr_register_classic_ufuncs(PyObject *module)
{
    lr_build_classic_tables();
    if (lr_add_ufunc(module, lr_fib_funcs, lr_fib_data, lr_fib_types, 3, 1, 1, "fibonacci",
                     lr_fibonacci_doc) < 0 ||
        lr_add_ufunc(module, lr_fib_funcs, lr_luc_data, lr_fib_types, 3, 1, 1, "lucas_number",
                     lr_lucas_number_doc) < 0 ||
        lr_add_ufunc(module, lr_uv_funcs, lr_u_data, lr_uv_types, LR_UV_NLOOPS, 3, 1, "lucas_u",
                     lr_lucas_u_doc) < 0 ||
        lr_add_ufunc(module, lr_uv_funcs, lr_v_data, lr_uv_types, LR_UV_NLOOPS, 3, 1, "lucas_v",
                     lr_lucas_v_doc) < 0 ||
        lr_add_ufunc(module, lr_uvm_funcs, lr_uvm_data, lr_uvm_types, LR_UVM_NLOOPS, 4, 2,
                     "lucas_uv_mod",
                     lr_lucas_uv_mod_doc) < 0 ||
        lr_add_ufunc(module, lr_prime_funcs, lr_isprime_data, lr_prime_types, 3, 1, 1,
                     "is_prime", lr_is_prime_doc) < 0 ||
        lr_add_ufunc(module, lr_prime_funcs, lr_slprp_data, lr_prime_types, 3, 1, 1,
                     "is_strong_lucas_prp", lr_is_strong_lucas_prp_doc) < 0) {
        return -1;
    }
    return 0;
}
