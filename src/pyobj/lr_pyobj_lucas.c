/*
 * Exact U_n(P, Q) and V_n(P, Q) over Python ints of any size (closed forms for degenerate
 * sequences, doubling for the others) and U_n, V_n mod m for any modulus m >= 1.
 */
#include "lr_pyobj_classic.h"
#include "lr_pyobj_int.h"
#include "lr_pyobj_ring.h"

#include "lr_classic.h"

/*
 * coef * t^a * lam^q for the closed forms (a, q Python ints >= 0); coef == 0 gives 0
 * without looking at the powers.
 */
static PyObject *
lr_o_closed(const char *func, PyObject *coef, PyObject *t, PyObject *a, PyObject *lam, PyObject *q)
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
 * the others by doubling (refused above LR_OBJ_MAX_BITS bits).
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
        if (!fits || (double)n64 * l2 > (double)LR_OBJ_MAX_BITS) {
            lr_o_too_big(func);
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

/* Are P or Q elements of another ring than the integers (Fraction, mpz, nmod, float, ...;
 * lr_pyobj_ring.h)?  1, 0 (both integers: the int path below), -1 with an exception. */
static int
lr_obj_lucas_ring(PyObject *P, PyObject *Q)
{
    int p = lr_obj_classify(P), q = p == -2 ? 0 : lr_obj_classify(Q);
    return p == -2 || q == -2 ? -1 : (p == 1 || q == 1);
}

/* U_n or V_n over the ring of P and Q: the recurrence x[n+2] = P x[n+1] - Q x[n] from
 * (0, 1) or (2, P) of that ring, by lr_obj_term (negative n where Q is invertible in it). */
static PyObject *
lr_obj_lucas_uv_ring(const char *func, PyObject *P, PyObject *Q, PyObject *n, int which)
{
    PyObject *c[2] = {PyNumber_Negative(Q), P}, *init[2] = {NULL, NULL}, *res = NULL;
    PyObject *zero = NULL, *one = NULL;
    if (c[0] == NULL || lr_ring_units(2, c, NULL, 0, &zero, &one) < 0) {
        goto done;
    }
    init[0] = which == LR_WANT_U ? Py_NewRef(zero) : PyNumber_Add(one, one);
    init[1] = Py_NewRef(which == LR_WANT_U ? one : P);
    if (init[0] != NULL) {
        res = lr_obj_term(func, LR_METHOD_AUTO, 2, c, init, n, NULL);
    }
done:
    Py_XDECREF(c[0]);
    Py_XDECREF(init[0]);
    Py_XDECREF(init[1]);
    Py_XDECREF(zero);
    Py_XDECREF(one);
    return res;
}

PyObject *
lr_obj_lucas_uv(const char *func, PyObject *Po, PyObject *Qo, PyObject *no, int which)
{
    int ring = lr_obj_lucas_ring(Po, Qo);
    if (ring != 0) {
        return ring < 0 ? NULL : lr_obj_lucas_uv_ring(func, Po, Qo, no, which);
    }
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
                         "needs Q = 1 or Q = -1",
                         func, which == LR_WANT_U ? "U_n" : "V_n", P, Q, n);
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
int
lr_obj_lucas_uv_mod(PyObject *Po, PyObject *Qo, PyObject *no, PyObject *mo, PyObject **uo,
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
        PyErr_Format(PyExc_ValueError, "lucas.lucas_uv_mod: modulus m must be positive, got %S", m);
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
                         "negative n needs Q invertible modulo m",
                         n, m);
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
    if (bytes == NULL || lr_o_u_pair(P, Q, (const unsigned char *)PyBytes_AS_STRING(bytes),
                                     PyBytes_GET_SIZE(bytes), m, &un, &un1) < 0) {
        goto done;
    }
    /* V_N = 2 U_N+1 - P U_N */
    PyObject *v =
        lr_o_mod_s(lr_o_sub_ss(lr_o_scale(2, (Py_INCREF(un1), un1)), PyNumber_Multiply(P, un)), m);
    PyObject *u = (Py_INCREF(un), un);
    if (v != NULL && sg < 0) {
        /* U_-N = -Q^-N U_N, V_-N = Q^-N V_N */
        PyObject *qi;
        int inv = lr_o_inverse_mod(Q, m, &qi);
        if (inv <= 0) {
            if (inv == 0) {
                PyErr_Format(PyExc_ValueError,
                             "lucas.lucas_uv_mod: U_n, V_n for n=%S are undefined modulo m=%S: "
                             "negative n needs Q invertible modulo m",
                             n, m);
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
