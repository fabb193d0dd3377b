/*
 * Elements of object arrays over any commutative ring (see lr_pyobj_ring.h): which elements
 * are exact Python ints (the int fast path of lr_pyobj_term.c) and which are kept as ring
 * elements, the ring's zero and one, the inverse of c[0] for negative indices, and the
 * order-2 ladder.  The algorithms over ring elements use +, -, * and == only.
 */
#include "lr_pyobj_ring.h"

#include "lr_pyobj_int.h"

/* NumPy's bool and integer scalar types, or NULL: set once by the binding at module
 * initialisation, so that this layer needs no NumPy headers.  np.bool_ reads as 0/1 like
 * bool arrays; np.integer scalars read as exact ints (their own arithmetic wraps). */
static PyTypeObject *lr_pyobj_bool_type, *lr_pyobj_integer_type;

void
lr_pyobj_set_numpy_types(PyTypeObject *bool_type, PyTypeObject *integer_type)
{
    lr_pyobj_bool_type = bool_type;
    lr_pyobj_integer_type = integer_type;
}

/* numbers.Number, imported on first use (a new reference kept for the process). */
static PyObject *lr_number_abc;

/*
 * Is v, an object with __index__ that is no int, a ring element of its own (mpz, fmpz, SymPy
 * Integer: a registered number, or arithmetic implemented in C) rather than an integer only
 * through __index__ (a Python class whose operators are not lucas's business)?  1, 0, -1.
 */
static int
lr_obj_index_is_ring(PyObject *v)
{
    if (lr_number_abc == NULL) {
        PyObject *mod = PyImport_ImportModule("numbers");
        lr_number_abc = mod ? PyObject_GetAttrString(mod, "Number") : NULL;
        Py_XDECREF(mod);
        if (lr_number_abc == NULL) {
            return -1;
        }
    }
    int r = PyObject_IsInstance(v, lr_number_abc);
    if (r != 0) {
        return r;
    }
    PyObject *mul = PyObject_GetAttrString((PyObject *)Py_TYPE(v), "__mul__");
    if (mul == NULL) {
        PyErr_Clear();
        return 0;
    }
    r = !PyFunction_Check(mul);
    Py_DECREF(mul);
    return r;
}

static int
lr_obj_has_ring_ops(PyObject *v)
{
    PyNumberMethods *nb = Py_TYPE(v)->tp_as_number;
    return nb != NULL && nb->nb_add != NULL && nb->nb_subtract != NULL && nb->nb_multiply != NULL;
}

int
lr_obj_classify(PyObject *v)
{
    if (v == NULL) {
        return -1;
    }
    if ((lr_pyobj_bool_type != NULL && PyObject_TypeCheck(v, lr_pyobj_bool_type)) ||
        PyLong_Check(v) ||
        (lr_pyobj_integer_type != NULL && PyObject_TypeCheck(v, lr_pyobj_integer_type))) {
        return 0;
    }
    if (PyFloat_Check(v) || PyComplex_Check(v)) {
        return 1;
    }
    if (PyUnicode_Check(v) || PyBytes_Check(v)) {
        return -1;
    }
    if (PyIndex_Check(v)) {
        int r = lr_obj_index_is_ring(v);
        return r < 0 ? -2 : r;
    }
    return lr_obj_has_ring_ops(v) ? 1 : -1;
}

int
lr_obj_classify_as(PyObject *v, lr_elem_kind kind)
{
    /* indices, moduli and residues: anything with __index__ is read as an int */
    return kind != LR_ELEM_RING && v != NULL && PyIndex_Check(v) ? 0 : lr_obj_classify(v);
}

PyObject *
lr_obj_integer(PyObject *v)
{
    if (lr_pyobj_bool_type != NULL && PyObject_TypeCheck(v, lr_pyobj_bool_type)) {
        int t = PyObject_IsTrue(v);
        return t < 0 ? NULL : PyLong_FromLong(t);
    }
    return PyNumber_Index(v);
}

PyObject *
lr_obj_element(const char *func, const char *what, PyObject *v, lr_elem_kind kind, int *is_int)
{
    *is_int = 1;
    if (v == NULL) {
        v = Py_None;
    }
    int ring = lr_obj_classify_as(v, kind);
    if (ring == -2) {
        return NULL;
    }
    if (ring == 0) {
        return lr_obj_integer(v);
    }
    if (ring > 0 && kind == LR_ELEM_RING) {
        *is_int = 0;
        return Py_NewRef(v);
    }
    PyErr_Format(PyExc_TypeError, "lucas.%s: %s must be integers in object arrays, got %.100s%s",
                 func, what, Py_TYPE(v)->tp_name,
                 kind == LR_ELEM_RING
                     ? " (or numbers of one ring supporting +, - and *: Fraction, mpz, float, ...)"
                     : (kind == LR_ELEM_RESIDUE && ring > 0
                            ? " (residues are defined for integer elements only)"
                            : ""));
    return NULL;
}

int
lr_ring_units(Py_ssize_t k, PyObject *const *c, PyObject *const *init, int all_init,
              PyObject **zero, PyObject **one)
{
    PyObject *z = NULL;
    for (Py_ssize_t i = 0; i < (init != NULL ? 2 * k : k); i++) {
        PyObject *e = i < k ? c[i] : init[i - k];
        if (i >= k && !all_init && (PyLong_Check(e) || !PyIndex_Check(e))) {
            continue;
        }
        PyObject *d = PyNumber_Subtract(e, e);
        if (d == NULL) {
            Py_XDECREF(z);
            return -1;
        }
        if (z == NULL) {
            z = d;
            continue;
        }
        Py_SETREF(z, PyNumber_Add(z, d));
        Py_DECREF(d);
        if (z == NULL) {
            return -1;
        }
    }
    if (z == NULL) {
        z = PyLong_FromLong(0);
    }
    *one = z ? lr_py_add(z, 1) : NULL;
    if (*one == NULL) {
        Py_XDECREF(z);
        return -1;
    }
    *zero = z;
    return 0;
}

int
lr_obj_check_unit(const char *func, PyObject *n, PyObject *c0)
{
    int unit = 0;
    for (int s = 1; s >= -1 && unit == 0; s -= 2) {
        PyObject *v = PyLong_FromLong(s);
        unit = v ? PyObject_RichCompareBool(c0, v, Py_EQ) : -1;
        Py_XDECREF(v);
    }
    if (unit == 0) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: a[%S] is undefined: the recurrence runs backwards over the "
                     "integers only when c[0] is 1 or -1 (got %R)",
                     func, n, c0);
    }
    return unit > 0 ? 0 : -1;
}

int
lr_ring_integral(Py_ssize_t count, PyObject *const *e)
{
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!PyIndex_Check(e[i])) {
            return 0;
        }
    }
    return 1;
}

int
lr_ring_reciprocal(PyObject *d, PyObject *zero, PyObject *one, PyObject **q)
{
    /* SymPy's 1/0 is zoo, no exception: ask d == 0 first */
    int d_zero = PyObject_RichCompareBool(d, zero, Py_EQ);
    *q = d_zero == 0 ? PyNumber_TrueDivide(one, d) : NULL;
    if (d_zero < 0) {
        return -1; /* the element's == failed: its exception, unchanged */
    }
    if (*q == NULL) {
        if (d_zero == 0 && !PyErr_ExceptionMatches(PyExc_ArithmeticError) &&
            !PyErr_ExceptionMatches(PyExc_ValueError)) {
            return -1;
        }
        PyErr_Clear();
        return -2;
    }
    if (!(PyFloat_Check(one) || PyComplex_Check(one)) &&
        (PyFloat_Check(*q) || PyComplex_Check(*q))) {
        return -3; /* *q stays set: its type names the way out of the ring */
    }
    return 0;
}

PyObject *
lr_ring_inverse(const char *func, PyObject *n, Py_ssize_t k, PyObject *const *c,
                PyObject *const *init)
{
    if (lr_ring_integral(k, c) && lr_ring_integral(k, init)) {
        /* int, mpz, fmpz, SymPy Integer: the integers, whose units are 1 and -1 */
        return lr_obj_check_unit(func, n, c[0]) < 0 ? NULL : Py_NewRef(c[0]);
    }
    PyObject *zero, *one, *q;
    if (lr_ring_units(k, c, init, 1, &zero, &one) < 0) {
        return NULL;
    }
    int rc = lr_ring_reciprocal(c[0], zero, one, &q);
    Py_DECREF(zero);
    Py_DECREF(one);
    if (rc == -2) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: a[%S] is undefined: the recurrence cannot run backwards "
                     "because c[0] = %R is not invertible",
                     func, n, c[0]);
    }
    else if (rc == -3) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: a[%S] is undefined: the recurrence cannot run backwards because "
                     "1 / c[0] leaves the ring of the elements (gives %.100s: not a field)",
                     func, n, Py_TYPE(q)->tp_name);
        Py_CLEAR(q);
    }
    return rc == 0 ? q : NULL;
}

/* a*x + b*y, a new reference; no operator runs once one has failed. */
static PyObject *
lr_ring_axby(PyObject *a, PyObject *x, PyObject *b, PyObject *y)
{
    PyObject *p = PyNumber_Multiply(a, x);
    PyObject *q = p ? PyNumber_Multiply(b, y) : NULL;
    PyObject *r = q ? PyNumber_Add(p, q) : NULL;
    Py_XDECREF(p);
    Py_XDECREF(q);
    return r;
}

/* The constants of the ladder: c0, c1, and 2 and -c1 in the ring. */
typedef struct {
    PyObject *c0, *c1, *two, *mc1;
} lr_ring2;

/* U_2j = U_j (2 U_j+1 - c1 U_j): one product of full size */
static PyObject *
lr_ring_u_even(const lr_ring2 *q, PyObject *u, PyObject *u1)
{
    PyObject *d = lr_ring_axby(q->two, u1, q->mc1, u);
    PyObject *r = d ? PyNumber_Multiply(u, d) : NULL;
    Py_XDECREF(d);
    return r;
}

/* U_2j+1 = U_j+1^2 + c0 U_j^2: two squares */
static PyObject *
lr_ring_u_odd(const lr_ring2 *q, PyObject *u, PyObject *u1)
{
    PyObject *uu = PyNumber_Multiply(u, u);
    PyObject *r = uu ? lr_ring_axby(u1, u1, q->c0, uu) : NULL;
    Py_XDECREF(uu);
    return r;
}

PyObject *
lr_ring_order2(PyObject *const *c, PyObject *const *init, PyObject *mag, PyObject *zero,
               PyObject *one)
{
    lr_ring2 q = {c[0], c[1], PyNumber_Add(one, one), NULL};
    q.mc1 = q.two ? PyNumber_Negative(c[1]) : NULL;
    int a0_zero = q.mc1 ? PyObject_RichCompareBool(init[0], zero, Py_EQ) : -1;
    PyObject *bytes = a0_zero < 0 ? NULL : lr_o_index_bytes(mag);
    if (bytes == NULL) {
        Py_XDECREF(q.two);
        Py_XDECREF(q.mc1);
        return NULL;
    }
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t nbits = 8 * PyBytes_GET_SIZE(bytes);
    PyObject *u = Py_NewRef(zero), *u1 = Py_NewRef(one), *res = NULL; /* U_j, U_j+1 */
    Py_ssize_t top = 0;
    while (top < nbits && !((b[top / 8] >> (7 - top % 8)) & 1)) {
        top++;
    }
    for (Py_ssize_t i = top; i < nbits; i++) {
        int bit = (b[i / 8] >> (7 - i % 8)) & 1;
        if (PyErr_CheckSignals() < 0) {
            goto done;
        }
        if (i == nbits - 1 && a0_zero) {
            /* the last step needs U_n alone */
            Py_SETREF(u, bit ? lr_ring_u_odd(&q, u, u1) : lr_ring_u_even(&q, u, u1));
            if (u == NULL) {
                goto done;
            }
            break;
        }
        PyObject *e = lr_ring_u_even(&q, u, u1);
        PyObject *o = e ? lr_ring_u_odd(&q, u, u1) : NULL;
        if (o == NULL) {
            Py_XDECREF(e);
            goto done;
        }
        if (bit) {
            PyObject *next = lr_ring_axby(c[1], o, c[0], e);
            Py_DECREF(e);
            Py_SETREF(u, o);
            Py_SETREF(u1, next);
        }
        else {
            Py_SETREF(u, e);
            Py_SETREF(u1, o);
        }
        if (u1 == NULL) {
            goto done;
        }
    }
    if (a0_zero) {
        res = PyNumber_Multiply(init[1], u);
    }
    else {
        /* a0 U_n+1 + (a1 - c1 a0) U_n */
        PyObject *t = PyNumber_Multiply(c[1], init[0]);
        PyObject *d = t ? PyNumber_Subtract(init[1], t) : NULL;
        res = d ? lr_ring_axby(init[0], u1, d, u) : NULL;
        Py_XDECREF(t);
        Py_XDECREF(d);
    }
done:
    Py_XDECREF(u);
    Py_XDECREF(u1);
    Py_DECREF(bytes);
    Py_DECREF(q.two);
    Py_DECREF(q.mc1);
    return res;
}
