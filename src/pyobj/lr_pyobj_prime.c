/*
 * Primality of Python ints of any size: the core's exact 64-bit tests below 2^64, a
 * Baillie-PSW probable-prime test (strong base-2 Miller-Rabin, strong Lucas with Selfridge's
 * parameters) above.
 */
#include "lr_pyobj_classic.h"
#include "lr_pyobj_int.h"

#include "lr_classic.h"

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
        j = -j; /* (-1/n) = (-1)^((n-1)/2) */
    }
    return j;
}

/* x == y for Python ints: 1, 0, -1 */
static int
lr_o_eq(PyObject *x, PyObject *y)
{
    return PyObject_RichCompareBool(x, y, Py_EQ);
}

/* m = d 2^s with d odd, for a Python int m > 0: s, and d in *d (a new reference); -1 and
 * *d = NULL on error.  The strong tests split n - 1 and n + 1 so. */
static long long
lr_o_split_odd(PyObject *m, PyObject **d)
{
    PyObject *neg = PyNumber_Negative(m);
    PyObject *low = neg ? PyNumber_And(m, neg) : NULL; /* 2^s */
    long long s = low ? lr_o_bit_length(low) - 1 : -1;
    PyObject *so = s >= 0 ? lr_o_int(s) : NULL;
    *d = so ? PyNumber_Rshift(m, so) : NULL;
    Py_XDECREF(neg);
    Py_XDECREF(low);
    Py_XDECREF(so);
    return *d ? s : -1;
}

/* Strong base-2 Miller-Rabin for odd n > 2^64.  1, 0, -1 on error. */
static int
lr_o_sprp2(PyObject *n)
{
    int rc = -1;
    PyObject *one = lr_o_int(1), *two = lr_o_int(2), *d = NULL;
    PyObject *nm1 = one ? PyNumber_Subtract(n, one) : NULL;
    long long s = nm1 ? lr_o_split_odd(nm1, &d) : -1;
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
        rc = x ? lr_o_eq(x, nm1) : -1; /* 1 and -1 end the loop */
    }
done:
    Py_XDECREF(one);
    Py_XDECREF(two);
    Py_XDECREF(nm1);
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
            return 0; /* 1 < gcd(a, n) <= a < n */
        }
        if (j == -1) {
            D = d;
            break;
        }
    }
    int rc = -1;
    PyObject *one = lr_o_int(1), *P = lr_o_int(1), *Q = lr_o_int((1 - D) / 4);
    PyObject *np1 = one ? PyNumber_Add(n, one) : NULL, *d = NULL;
    long long s = np1 ? lr_o_split_odd(np1, &d) : -1;
    PyObject *bytes = d ? lr_o_index_bytes(d) : NULL;
    PyObject *ud = NULL, *ud1 = NULL, *vd = NULL, *qk = NULL;
    if (bytes == NULL || P == NULL || Q == NULL ||
        lr_o_u_pair(P, Q, (const unsigned char *)PyBytes_AS_STRING(bytes), PyBytes_GET_SIZE(bytes),
                    n, &ud, &ud1) < 0) {
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
        vd = lr_o_mod_s(lr_o_sub_ss(lr_o_mul_s(vd, vd), lr_o_scale(2, (Py_INCREF(qk), qk))), n);
        qk = vd ? lr_o_mod_s(lr_o_mul_s(qk, qk), n) : NULL;
        rc = qk ? lr_o_eq_small(vd, 0) : -1; /* 1 and -1 end the loop */
    }
done:
    Py_XDECREF(one);
    Py_XDECREF(P);
    Py_XDECREF(Q);
    Py_XDECREF(np1);
    Py_XDECREF(d);
    Py_XDECREF(bytes);
    Py_XDECREF(ud);
    Py_XDECREF(ud1);
    Py_XDECREF(vd);
    Py_XDECREF(qk);
    return rc;
}

/* is_prime (lucas_only == 0) or is_strong_lucas_prp of any Python int: 1, 0, -1. */
int
lr_obj_primality(PyObject *o, int lucas_only)
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
        rc = 0; /* negative, or even and above 2^64 */
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
