/*
 * Small helpers over Python ints for the object layer's classic algorithms: comparisons,
 * arithmetic on owned references, the guarded power and the (U_k, U_k+1) doubling chain.
 * Python.h only (np.bool_ operands are turned into ints by the binding before they get here).
 */
#include "lr_pyobj_int.h"

/* ---- Python-int helpers (object loops, GIL held) ----------------------------------------- */

/* Every function returns a new reference or NULL with an exception set; "steal" variants
 * consume their first argument. */

/* OverflowError for an exact result past the object layer's size cap; returns NULL. */
PyObject *
lr_o_too_big(const char *func)
{
    int e = 0;
    while (((int64_t)1 << e) < LR_OBJ_MAX_BITS) {
        e++;
    }
    PyErr_Format(PyExc_OverflowError,
                 "lucas.%s: the exact value would exceed 2**%d bits; use lucas_uv_mod for "
                 "residues",
                 func, e);
    return NULL;
}

PyObject *
lr_o_index(PyObject *o)
{
    return PyNumber_Index(o == NULL ? Py_None : o);
}

PyObject *
lr_o_int(long long v)
{
    return PyLong_FromLongLong(v);
}

/* -1, 0, 1 for the sign of a Python int, -2 on error */
int
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
int
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

long long
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
int
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

/* binary operations on owned references (lr_o_mul_s, lr_o_sub_ss, lr_o_mod_s are this) */
PyObject *
lr_o_binop_ss(binaryfunc f, PyObject *a, PyObject *b)
{
    PyObject *r = (a != NULL && b != NULL) ? f(a, b) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}

int
lr_o_inverse_mod(PyObject *x, PyObject *m, PyObject **inv)
{
    PyObject *mone = lr_o_int(-1);
    *inv = mone ? PyNumber_Power(x, mone, m) : NULL;
    Py_XDECREF(mone);
    if (*inv != NULL) {
        return 1;
    }
    if (!PyErr_ExceptionMatches(PyExc_ValueError)) {
        return -1;
    }
    PyErr_Clear();
    return 0;
}

PyObject *
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
PyObject *
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
 * base ** e for a Python int e >= 0, refusing results of more than LR_OBJ_MAX_BITS bits.
 * func names the public function for the message.
 */
PyObject *
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
        PyObject *lim = lr_o_int(LR_OBJ_MAX_BITS / (bl > 1 ? bl - 1 : 1));
        if (lim == NULL) {
            return NULL;
        }
        int too_big = PyObject_RichCompareBool(e, lim, Py_GT);
        Py_DECREF(lim);
        if (too_big < 0) {
            return NULL;
        }
        if (too_big) {
            return lr_o_too_big(func);
        }
    }
    return PyNumber_Power(base, e, Py_None);
}

/* ---- object: exact U_n, V_n -------------------------------------------------------------- */

/*
 * (U_k, U_k+1) doubling over Python ints, optionally modulo m (m may be NULL).  The bits of
 * the index come from a big-endian byte string.
 */
int
lr_o_u_pair(PyObject *P, PyObject *Q, const unsigned char *bytes, Py_ssize_t nbytes, PyObject *m,
            PyObject **un, PyObject **un1)
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
PyObject *
lr_o_index_bytes(PyObject *N)
{
    long long bl = lr_o_bit_length(N);
    if (bl < 0) {
        return NULL;
    }
    return PyObject_CallMethod(N, "to_bytes", "Ls", (bl + 7) / 8, "big");
}

/* 1 when the Python int N >= 0 is odd, 0 when even, -1 on error */
int
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
