/*
 * a[n] over Python ints (optionally reduced mod m) or over any commutative ring: the
 * polynomial (Fiduccia), matrix and order-2 doubling methods.  Used by the object loops of
 * term/term_mod, by sequence() and LucasIter for jumps, and by anything else that needs exact
 * big integers.  Holds the GIL throughout (it manipulates Python objects); no NumPy.
 *
 * The polynomial and matrix methods use only +, * (and % m for Python ints), starting from
 * the ring's zero and one: one implementation serves every element type.  Python ints keep
 * their specializations: the size watch (bit_length), and order-2 Lucas doubling with exact
 * halvings by shifts; other rings take the division-free ladder of lr_pyobj_ring.c.
 *
 * Exact results are limited to LR_OBJ_MAX_BITS (lr_pyobj.h): beyond that CPython's
 * multiplication would run for hours.  Sizes are watched only when the magnitude bound says a
 * result may come near the limit, and a result is refused as soon as its growth shows that it
 * will pass it (sizes double per doubling step), not when it finally does.
 */
#include "lr_pyobj_int.h"
#include "lr_pyobj_ring.h"

#include <math.h>

typedef struct {
    Py_ssize_t k;
    PyObject *m; /* modulus or NULL */
    int check_size; /* watch the size of intermediates (bound says it may explode) */
    long long cap_bits; /* nonzero: give up (no exception) beyond this many bits */
    PyObject *zero, *one; /* the ring's (borrowed); Python ints 0 and 1 on the int path */
    int ring; /* elements of another ring than the Python ints */
} lr_objctx;

/* Size of the intermediates at the previous step (for the growth prediction). */
typedef struct {
    int64_t prev_bits;
    int gave_up; /* an intermediate passed x->cap_bits */
} lr_obj_watch;

static void
lr_obj_clear(PyObject **v, Py_ssize_t len)
{
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_CLEAR(v[i]);
    }
}

/* Steals x; returns x mod m (or x) as a new reference, NULL on error. */
static PyObject *
lr_obj_reduce(const lr_objctx *x, PyObject *v)
{
    if (v == NULL || x->m == NULL) {
        return v;
    }
    PyObject *r = PyNumber_Remainder(v, x->m);
    Py_DECREF(v);
    return r;
}

/* *acc = *acc + a*b (reference to *acc replaced); 0 or -1. */
static int
lr_obj_addmul(PyObject **acc, PyObject *a, PyObject *b)
{
    PyObject *p = PyNumber_Multiply(a, b);
    if (p == NULL) {
        return -1;
    }
    PyObject *s = PyNumber_Add(*acc, p);
    Py_DECREF(p);
    if (s == NULL) {
        return -1;
    }
    Py_SETREF(*acc, s);
    return 0;
}

/* Largest bit length among v[0..n); -1 with an exception set. */
static long long
lr_obj_max_bits(PyObject *const *v, Py_ssize_t n)
{
    long long best = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PyObject_CallMethod(v[i], "bit_length", NULL);
        if (b == NULL) {
            return -1;
        }
        long long bits = PyLong_AsLongLong(b);
        Py_DECREF(b);
        if (bits == -1 && PyErr_Occurred()) {
            return -1;
        }
        best = bits > best ? bits : best;
    }
    return best;
}

/*
 * After a doubling step with `remaining` steps to go: refuse (OverflowError) when the largest
 * of v already has more than LR_OBJ_MAX_BITS bits, or when it grows exponentially (it at least
 * nearly doubled since the previous step) and would pass the limit by the end.
 */
static int
lr_obj_watch_step(const lr_objctx *x, lr_obj_watch *w, PyObject *const *v, Py_ssize_t count,
                  Py_ssize_t remaining)
{
    if (!x->check_size) {
        return 0;
    }
    long long bits = lr_obj_max_bits(v, count);
    if (bits < 0) {
        return -1;
    }
    if (x->cap_bits > 0 && bits > x->cap_bits) {
        w->gave_up = 1;
        return -1; /* no exception: the caller reads w->gave_up */
    }
    double predicted = (double)bits;
    if (bits > ((int64_t)1 << 16) && w->prev_bits > 0 && bits > 1.8 * (double)w->prev_bits) {
        predicted = (double)bits * ldexp(1.0, remaining > 1000 ? 1000 : (int)remaining);
    }
    w->prev_bits = bits;
    if (predicted > (double)LR_OBJ_MAX_BITS) {
        PyErr_Format(PyExc_OverflowError,
                     "exact result would have about 2**%d bits, more than the 2**28 lucas "
                     "computes exactly; use term_mod for residues",
                     (int)log2(predicted));
        return -1;
    }
    return 0;
}

/* r <- r^2 mod f; t: 2k-1 scratch slots (owned references or NULL). */
static int
lr_obj_poly_square(const lr_objctx *x, PyObject *const *c, PyObject **r, PyObject **t,
                   PyObject *zero)
{
    Py_ssize_t k = x->k;
    for (Py_ssize_t i = 0; i < 2 * k - 1; i++) {
        Py_INCREF(zero);
        Py_XSETREF(t[i], zero);
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        /* ring elements: a row of products may be slow (Fractions grow) */
        if (x->ring && PyErr_CheckSignals() < 0) {
            return -1;
        }
        for (Py_ssize_t j = i + 1; j < k; j++) {
            if (lr_obj_addmul(&t[i + j], r[i], r[j]) < 0) {
                return -1;
            }
        }
    }
    for (Py_ssize_t i = 1; i < 2 * k - 2; i++) {
        PyObject *s = PyNumber_Add(t[i], t[i]);
        if (s == NULL) {
            return -1;
        }
        Py_SETREF(t[i], s);
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        if (lr_obj_addmul(&t[2 * i], r[i], r[i]) < 0) {
            return -1;
        }
    }
    for (Py_ssize_t d = 2 * k - 2; d >= k; d--) {
        if ((t[d] = lr_obj_reduce(x, t[d])) == NULL) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < k; i++) {
            if (lr_obj_addmul(&t[d - k + i], t[d], c[i]) < 0) {
                return -1;
            }
        }
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        PyObject *v = lr_obj_reduce(x, t[i]);
        t[i] = NULL;
        if (v == NULL) {
            return -1;
        }
        Py_SETREF(r[i], v);
    }
    return 0;
}

static int
lr_obj_poly_times_x(const lr_objctx *x, PyObject *const *c, PyObject **r, PyObject *zero)
{
    Py_ssize_t k = x->k;
    PyObject *top = r[k - 1]; /* take over the reference */
    for (Py_ssize_t i = k - 1; i > 0; i--) {
        r[i] = r[i - 1];
    }
    Py_INCREF(zero);
    r[0] = zero;
    int rc = 0;
    for (Py_ssize_t i = 0; i < k && rc == 0; i++) {
        rc = lr_obj_addmul(&r[i], top, c[i]);
        if (rc == 0 && (r[i] = lr_obj_reduce(x, r[i])) == NULL) {
            rc = -1;
        }
    }
    Py_DECREF(top);
    return rc;
}

/* sum v[i]*w[i], reduced; new reference. */
static PyObject *
lr_obj_dot(const lr_objctx *x, PyObject *const *v, PyObject *const *w, PyObject *zero)
{
    PyObject *acc = zero;
    Py_INCREF(acc);
    for (Py_ssize_t i = 0; i < x->k; i++) {
        if (lr_obj_addmul(&acc, v[i], w[i]) < 0) {
            Py_DECREF(acc);
            return NULL;
        }
    }
    return lr_obj_reduce(x, acc);
}

/* Bits of the index, most significant first; returns a bytes object (big-endian). */
static PyObject *
lr_obj_index_bytes(PyObject *mag, Py_ssize_t *nbits)
{
    PyObject *bl = PyObject_CallMethod(mag, "bit_length", NULL);
    if (bl == NULL) {
        return NULL;
    }
    *nbits = PyLong_AsSsize_t(bl);
    Py_DECREF(bl);
    if (*nbits < 0) {
        return NULL;
    }
    Py_ssize_t nbytes = (*nbits + 7) / 8;
    return PyObject_CallMethod(mag, "to_bytes", "ns", nbytes, "big");
}

static int
lr_obj_bit(const unsigned char *bytes, Py_ssize_t nbytes, Py_ssize_t i)
{
    /* bit i counted from the least significant end */
    return (bytes[nbytes - 1 - i / 8] >> (i % 8)) & 1;
}

/* a[mag] = init[mag] for mag < k (the element itself), a new reference; NULL without an
 * exception when mag >= k. */
static PyObject *
lr_obj_init_term(const lr_objctx *x, PyObject *const *init, PyObject *mag)
{
    int overflow = 0;
    long long i = PyLong_AsLongLongAndOverflow(mag, &overflow);
    if ((i == -1 && PyErr_Occurred()) || overflow || i >= (long long)x->k) {
        return NULL;
    }
    return lr_obj_reduce(x, Py_NewRef(init[i]));
}

/* Polynomial method, non-negative index mag (a Python int).  NULL with an exception on
 * failure, or NULL without one when x->cap_bits was passed (*gave_up set, if given). */
static PyObject *
lr_obj_poly_forward(const lr_objctx *x, PyObject *const *c, PyObject *const *init, PyObject *mag,
                    int *gave_up)
{
    Py_ssize_t k = x->k, nbits;
    PyObject *res = NULL, *zero = x->zero, *one = x->one, *bytes = NULL;
    PyObject **r = NULL, **t = NULL;

    PyObject *small = lr_obj_init_term(x, init, mag);
    if (small != NULL || PyErr_Occurred()) {
        return small;
    }
    bytes = lr_obj_index_bytes(mag, &nbits);
    r = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    t = PyMem_Calloc((size_t)(2 * k), sizeof(PyObject *));
    if (bytes == NULL || r == NULL || t == NULL) {
        if (r == NULL || t == NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t nb = PyBytes_GET_SIZE(bytes);
    Py_ssize_t i = nbits - 1;
    Py_ssize_t m = 0;
    while (i >= 0 && 2 * m + lr_obj_bit(b, nb, i) < k) {
        m = 2 * m + lr_obj_bit(b, nb, i);
        i--;
    }
    for (Py_ssize_t j = 0; j < k; j++) {
        r[j] = j == m ? one : zero;
        Py_INCREF(r[j]);
    }
    /* the monomial 1 is 0 mod 1 */
    if ((r[m] = lr_obj_reduce(x, r[m])) == NULL) {
        goto done;
    }
    lr_obj_watch watch = {0, 0};
    for (; i >= 0; i--) {
        if (PyErr_CheckSignals() < 0 || lr_obj_poly_square(x, c, r, t, zero) < 0 ||
            lr_obj_watch_step(x, &watch, r, k, i) < 0) {
            if (watch.gave_up && gave_up != NULL) {
                *gave_up = 1;
            }
            goto done;
        }
        if (lr_obj_bit(b, nb, i) && lr_obj_poly_times_x(x, c, r, zero) < 0) {
            goto done;
        }
    }
    res = lr_obj_dot(x, r, init, zero);
done:
    if (r != NULL) {
        lr_obj_clear(r, k);
        PyMem_Free(r);
    }
    if (t != NULL) {
        lr_obj_clear(t, 2 * k);
        PyMem_Free(t);
    }
    Py_XDECREF(bytes);
    return res;
}

/* C = A*B, k x k, owned references in C replaced. */
static int
lr_obj_mat_mul(const lr_objctx *x, PyObject *const *A, PyObject *const *B, PyObject **C,
               PyObject *zero)
{
    Py_ssize_t k = x->k;
    for (Py_ssize_t i = 0; i < k; i++) {
        for (Py_ssize_t j = 0; j < k; j++) {
            PyObject *acc = zero;
            Py_INCREF(acc);
            for (Py_ssize_t l = 0; l < k; l++) {
                if (lr_obj_addmul(&acc, A[i * k + l], B[l * k + j]) < 0) {
                    Py_DECREF(acc);
                    return -1;
                }
            }
            if ((acc = lr_obj_reduce(x, acc)) == NULL) {
                return -1;
            }
            Py_XSETREF(C[i * k + j], acc);
        }
    }
    return 0;
}

/* Companion-matrix method, non-negative index. */
static PyObject *
lr_obj_matrix_forward(const lr_objctx *x, PyObject *const *c, PyObject *const *init, PyObject *mag)
{
    Py_ssize_t k = x->k, nbits;
    if (k > 46340) { /* k*k must stay a sane allocation */
        return PyErr_NoMemory();
    }
    PyObject *res = NULL, *zero = x->zero, *one = x->one;
    PyObject *bytes = NULL;
    size_t kk = (size_t)k * (size_t)k;
    PyObject **P = PyMem_Calloc(kk, sizeof(PyObject *));
    PyObject **Q = PyMem_Calloc(kk, sizeof(PyObject *));
    PyObject **s = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    if (P == NULL || Q == NULL || s == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    bytes = lr_obj_index_bytes(mag, &nbits);
    if (bytes == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        for (Py_ssize_t j = 0; j < k; j++) {
            PyObject *v = i == k - 1 ? c[j] : (j == i + 1 ? one : zero);
            Py_INCREF(v);
            P[i * k + j] = v;
        }
        Py_INCREF(init[i]);
        s[i] = init[i];
    }
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t nb = PyBytes_GET_SIZE(bytes);
    lr_obj_watch watch = {0};
    for (Py_ssize_t i = 0; i < nbits; i++) {
        if (PyErr_CheckSignals() < 0) {
            goto done;
        }
        if (lr_obj_bit(b, nb, i)) {
            PyObject **u = Q; /* first k slots of Q as the new state */
            for (Py_ssize_t r = 0; r < k; r++) {
                PyObject *v = lr_obj_dot(x, P + r * k, s, zero);
                if (v == NULL) {
                    goto done;
                }
                Py_XSETREF(u[r], v);
            }
            for (Py_ssize_t r = 0; r < k; r++) {
                Py_SETREF(s[r], u[r]);
                u[r] = NULL;
            }
        }
        if (i + 1 < nbits) {
            if (lr_obj_mat_mul(x, P, P, Q, zero) < 0 ||
                lr_obj_watch_step(x, &watch, Q, k * k, nbits - 1 - i) < 0) {
                goto done;
            }
            PyObject **tmp = P;
            P = Q;
            Q = tmp;
        }
    }
    res = lr_obj_reduce(x, Py_NewRef(s[0]));
done:
    if (P != NULL) {
        lr_obj_clear(P, (Py_ssize_t)kk);
        PyMem_Free(P);
    }
    if (Q != NULL) {
        lr_obj_clear(Q, (Py_ssize_t)kk);
        PyMem_Free(Q);
    }
    if (s != NULL) {
        lr_obj_clear(s, k);
        PyMem_Free(s);
    }
    Py_XDECREF(bytes);
    return res;
}

/* Replace *v by f(*v, w) where f is a binary number protocol function; 0 or -1. */
static int
lr_obj_update(PyObject **v, binaryfunc f, PyObject *w)
{
    PyObject *r = f(*v, w);
    if (r == NULL) {
        return -1;
    }
    Py_SETREF(*v, r);
    return 0;
}

/* New reference to (a*b + c*d) >> shift; exact halving of the even sums below. */
static PyObject *
lr_obj_lin2_shift(PyObject *a, PyObject *b, PyObject *c, PyObject *d, PyObject *shift)
{
    PyObject *x = PyNumber_Multiply(a, b);
    PyObject *y = x ? PyNumber_Multiply(c, d) : NULL;
    PyObject *s = y ? PyNumber_Add(x, y) : NULL;
    Py_XDECREF(x);
    Py_XDECREF(y);
    if (s == NULL || shift == NULL) {
        return s;
    }
    Py_SETREF(s, PyNumber_Rshift(s, shift));
    return s;
}

/*
 * Order 2 over the integers by Lucas-sequence doubling.  With P = c[1], Q = -c[0]:
 *   U_2j = U_j V_j,  V_2j = V_j^2 - 2 Q^j,
 *   U_2j+1 = (P U_2j + V_2j) / 2,  V_2j+1 = ((P^2 - 4Q) U_2j + P V_2j) / 2,
 * two big products per bit (one a square) against three for (F_j, F_j+1) doubling; and
 *   a[n] = ((2 a1 - P a0) U_n + a0 V_n) / 2,
 * so the last, largest step needs U_n alone when a0 == 0 and n is even (Fibonacci).
 * The halvings are exact: U and V solve the recurrence with integer values.
 */
static PyObject *
lr_obj_lucas2_forward(const lr_objctx *x, PyObject *const *c, PyObject *const *init, PyObject *mag)
{
    Py_ssize_t nbits;
    PyObject *res = NULL, *P = c[1], *Q = NULL, *D = NULL, *U = NULL, *V = NULL, *Qj = NULL;
    PyObject *one = PyLong_FromLong(1), *two = PyLong_FromLong(2), *bytes = NULL;
    if (one == NULL || two == NULL || (Q = PyNumber_Negative(c[0])) == NULL ||
        (bytes = lr_obj_index_bytes(mag, &nbits)) == NULL) {
        goto done;
    }
    /* D = P^2 - 4Q */
    if ((D = PyNumber_Lshift(Q, two)) == NULL) {
        goto done;
    }
    PyObject *pp = PyNumber_Multiply(P, P);
    if (pp == NULL) {
        goto done;
    }
    Py_SETREF(D, PyNumber_Subtract(pp, D));
    Py_DECREF(pp);
    int a0_zero = D == NULL ? -1 : PyObject_Not(init[0]);
    if (a0_zero < 0) {
        goto done;
    }
    U = PyLong_FromLong(0);
    V = PyLong_FromLong(2);
    Qj = PyLong_FromLong(1);
    if (U == NULL || V == NULL || Qj == NULL) {
        goto done;
    }
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t nb = PyBytes_GET_SIZE(bytes);
    lr_obj_watch watch = {0};
    for (Py_ssize_t i = nbits - 1; i >= 0; i--) {
        int bit = lr_obj_bit(b, nb, i), last = i == 0;
        if (PyErr_CheckSignals() < 0 || lr_obj_update(&U, PyNumber_Multiply, V) < 0) {
            goto done;
        }
        if (!(last && !bit && a0_zero)) {
            PyObject *q2 = PyNumber_Lshift(Qj, one);
            PyObject *v2 = q2 ? PyNumber_Multiply(V, V) : NULL;
            if (v2 == NULL) {
                Py_XDECREF(q2);
                goto done;
            }
            Py_SETREF(V, PyNumber_Subtract(v2, q2));
            Py_DECREF(v2);
            Py_DECREF(q2);
            if (V == NULL || (!last && lr_obj_update(&Qj, PyNumber_Multiply, Qj) < 0)) {
                goto done;
            }
        }
        if (bit) {
            PyObject *Un = lr_obj_lin2_shift(P, U, V, one, one);
            if (Un == NULL) {
                goto done;
            }
            if (!(last && a0_zero)) {
                PyObject *Vn = lr_obj_lin2_shift(D, U, P, V, one);
                if (Vn == NULL) {
                    Py_DECREF(Un);
                    goto done;
                }
                Py_SETREF(V, Vn);
            }
            Py_SETREF(U, Un);
            if (!last && lr_obj_update(&Qj, PyNumber_Multiply, Q) < 0) {
                goto done;
            }
        }
        PyObject *uv[2] = {U, V};
        if (lr_obj_watch_step(x, &watch, uv, 2, i) < 0) {
            goto done;
        }
    }
    if (a0_zero) {
        res = PyNumber_Multiply(init[1], U);
    }
    else {
        /* ((2 a1 - P a0) U + a0 V) / 2 */
        PyObject *pa = PyNumber_Multiply(P, init[0]);
        PyObject *a2 = pa ? PyNumber_Lshift(init[1], one) : NULL;
        PyObject *cu = a2 ? PyNumber_Subtract(a2, pa) : NULL;
        Py_XDECREF(pa);
        Py_XDECREF(a2);
        if (cu != NULL) {
            res = lr_obj_lin2_shift(cu, U, init[0], V, one);
            Py_DECREF(cu);
        }
    }
done:
    Py_XDECREF(bytes);
    Py_XDECREF(Q);
    Py_XDECREF(D);
    Py_XDECREF(U);
    Py_XDECREF(V);
    Py_XDECREF(Qj);
    Py_XDECREF(one);
    Py_XDECREF(two);
    return res;
}

/* Should the size of intermediates be watched?  Only when the majorant bound is large. */
static int
lr_obj_may_explode(Py_ssize_t k, PyObject *const *c, PyObject *mag)
{
    double s = 0.0;
    for (Py_ssize_t i = 0; i < k; i++) {
        double v = PyLong_AsDouble(c[i]);
        if (v == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return 1;
        }
        s += v < 0 ? -v : v;
    }
    double n = PyLong_AsDouble(mag);
    if (n == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return 1;
    }
    return s > 1.0 && n * log2(s) > (double)(LR_OBJ_MAX_BITS / 4);
}

/* The reversed recurrence for a negative index (see lr_pyobj.h and lr_ring_template.h):
 * d[0] = 1/c[0], d[j] = -c[k-j]/c[0], b[t] = init[k-1-t]. */
int
lr_obj_reverse(const char *func, Py_ssize_t k, PyObject *const *c, PyObject *const *init,
               PyObject *n, PyObject *m, PyObject **d, PyObject **b, PyObject **idx)
{
    PyObject *inv0 = NULL;
    if (m != NULL) {
        int inv = lr_o_inverse_mod(c[0], m, &inv0);
        if (inv == 0) {
            PyErr_Format(PyExc_ValueError,
                         "lucas.%s: a[%R] is undefined: the recurrence cannot run "
                         "backwards because c[0] = %R is not invertible mod %R",
                         func, n, c[0], m);
        }
        if (inv <= 0) {
            return -1;
        }
    }
    else if ((inv0 = lr_ring_inverse(func, n, k, c, init)) == NULL) {
        return -1;
    }
    d[0] = inv0;
    for (Py_ssize_t j = 1; j < k; j++) {
        PyObject *p = PyNumber_Multiply(c[k - j], inv0);
        d[j] = p ? PyNumber_Negative(p) : NULL;
        Py_XDECREF(p);
        if (d[j] == NULL || (d[j] = lr_obj_reduce(&(lr_objctx){k, m}, d[j])) == NULL) {
            return -1;
        }
    }
    for (Py_ssize_t t = 0; t < k; t++) {
        b[t] = init[k - 1 - t];
        Py_INCREF(b[t]);
    }
    PyObject *mag = PyNumber_Negative(n);
    *idx = mag ? lr_py_add(mag, (long long)(k - 1)) : NULL;
    Py_XDECREF(mag);
    return *idx == NULL ? -1 : 0;
}

/*
 * The operands of lr_obj_term as new references in c, init, *n, *m (NULL when m_in is):
 * Python ints, or ring elements where m_in is NULL.  Returns 1 when c and init are all
 * Python ints, 0 when some are ring elements, -1 with an exception.
 */
static int
lr_obj_operands(const char *func, Py_ssize_t k, PyObject *const *c_in, PyObject *const *init_in,
                PyObject *n_in, PyObject *m_in, PyObject **c, PyObject **init, PyObject **n,
                PyObject **m)
{
    lr_elem_kind kind = m_in != NULL ? LR_ELEM_RESIDUE : LR_ELEM_RING;
    int all_int = 1, is_int;
    for (Py_ssize_t i = 0; i < k; i++) {
        if ((c[i] = lr_obj_element(func, "coefficients", c_in[i], kind, &is_int)) == NULL) {
            return -1;
        }
        all_int &= is_int;
        if ((init[i] = lr_obj_element(func, "initial values", init_in[i], kind, &is_int)) == NULL) {
            return -1;
        }
        all_int &= is_int;
    }
    if ((*n = lr_obj_element(func, "indices n", n_in, LR_ELEM_INDEX, &is_int)) == NULL) {
        return -1;
    }
    if (m_in == NULL) {
        return all_int;
    }
    if ((*m = lr_obj_element(func, "moduli m", m_in, LR_ELEM_INDEX, &is_int)) == NULL) {
        return -1;
    }
    PyObject *zero = PyLong_FromLong(0);
    int pos = zero ? PyObject_RichCompareBool(*m, zero, Py_GT) : -1;
    Py_XDECREF(zero);
    if (pos == 0) {
        PyErr_Format(PyExc_ValueError, "lucas.%s: modulus m must be positive, got %R", func, *m);
    }
    if (pos <= 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        if ((c[i] = lr_obj_reduce(&(lr_objctx){k, *m}, c[i])) == NULL ||
            (init[i] = lr_obj_reduce(&(lr_objctx){k, *m}, init[i])) == NULL) {
            return -1;
        }
    }
    return 1;
}

PyObject *
lr_obj_term(const char *func, lr_method method, Py_ssize_t k, PyObject *const *c_in,
            PyObject *const *init_in, PyObject *n_in, PyObject *m_in)
{
    PyObject *res = NULL, *n = NULL, *mag = NULL, *m = NULL, *zero = NULL, *one = NULL;
    PyObject **v = PyMem_Calloc((size_t)(4 * k), sizeof(PyObject *));
    if (v == NULL) {
        return PyErr_NoMemory();
    }
    PyObject **c = v, **init = v + k, **d = v + 2 * k, **b = v + 3 * k;
    int all_int = lr_obj_operands(func, k, c_in, init_in, n_in, m_in, c, init, &n, &m);
    if (all_int < 0) {
        goto done;
    }
    if (k == 0) {
        res = PyLong_FromLong(0); /* order 0: the zero sequence, every index */
        goto done;
    }
    if ((mag = PyNumber_Absolute(n)) == NULL) {
        goto done;
    }
    int neg = PyObject_RichCompareBool(n, mag, Py_NE);
    if (neg < 0) {
        goto done;
    }
    PyObject *const *cc = c, *const *ii = init;
    if (neg) {
        PyObject *idx = NULL;
        if (lr_obj_reverse(func, k, c, init, n, m, d, b, &idx) < 0) {
            goto done;
        }
        Py_SETREF(mag, idx);
        cc = d;
        ii = b;
    }
    if (all_int) {
        zero = PyLong_FromLong(0);
        one = PyLong_FromLong(1);
    }
    else if (lr_ring_units(k, cc, ii, 0, &zero, &one) < 0) {
        goto done;
    }
    if (zero == NULL || one == NULL) {
        goto done;
    }
    /* Python-int coefficients with initial values of another ring (Fraction): the
     * polynomial is over Python ints, watched as on the int path (the initial values enter
     * only in the last dot product) */
    int int_poly = !all_int && PyLong_CheckExact(zero);
    lr_objctx x = {k, m, 0, 0, zero, one, !all_int};
    if ((all_int || int_poly) && m == NULL) {
        x.check_size = lr_obj_may_explode(k, cc, mag);
    }
    if (method == LR_METHOD_MATRIX) {
        res = lr_obj_matrix_forward(&x, cc, ii, mag);
    }
    else if (method == LR_METHOD_AUTO && k == 2 && m == NULL && !int_poly) {
        res = lr_obj_init_term(&x, ii, mag);
        if (res == NULL && !PyErr_Occurred()) {
            res = all_int ? lr_obj_lucas2_forward(&x, cc, ii, mag)
                          : lr_ring_order2(cc, ii, mag, zero, one);
        }
    }
    else {
        res = lr_obj_poly_forward(&x, cc, ii, mag, NULL);
    }
done:
    lr_obj_clear(v, 4 * k);
    PyMem_Free(v);
    Py_XDECREF(n);
    Py_XDECREF(mag);
    Py_XDECREF(m);
    Py_XDECREF(zero);
    Py_XDECREF(one);
    return res;
}

/* a[n] for n >= 0 over Python ints, giving up beyond max_bits (see lr_pyobj.h). */
int
lr_obj_term_capped(Py_ssize_t k, PyObject *const *c, PyObject *const *init, PyObject *n,
                   long long max_bits, PyObject **out)
{
    PyObject *zero = PyLong_FromLong(0), *one = PyLong_FromLong(1);
    lr_objctx x = {k, NULL, 1, max_bits, zero, one, 0};
    int gave_up = 0;
    *out = zero && one ? lr_obj_poly_forward(&x, c, init, n, &gave_up) : NULL;
    Py_XDECREF(zero);
    Py_XDECREF(one);
    if (*out != NULL) {
        return 1;
    }
    return gave_up && !PyErr_Occurred() ? 0 : -1;
}
