/*
 * LucasIter's numeric terms as Python objects.  next() spends most of its time creating and
 * freeing the int it hands out (the stepping itself is a few ns a term), so the iterator keeps
 * the last two ints it returned and, when the caller has already let go of one (reference
 * count 1: only the iterator holds it, nobody can see it), writes the next term into it
 * instead of allocating -- what CPython's zip and enumerate do with their result tuples.  Two
 * slots because `for x in it` still holds the previous term while asking for the next one.
 *
 * Writing an int's digits needs the layout of CPython's PyLongObject, which is internal: the
 * reuse is compiled only for the layouts known here (3.10-3.11: ob_size; 3.12-3.14: lv_tag),
 * never for free-threaded or limited-API builds, and switched on at import only when a
 * self-test finds the rewritten ints equal to freshly made ones.  Small ints (|v| <= 256) are
 * always CPython's cached objects.
 */
#include "lr_binding.h"

#include "lr_iter.h"

#if !defined(Py_LIMITED_API) && !defined(Py_GIL_DISABLED) && PY_VERSION_HEX >= 0x030A0000 && \
    PY_VERSION_HEX < 0x030F0000
#define LR_INT_REUSE 1
#if PY_VERSION_HEX < 0x030B0000
#include <longintrepr.h>
#endif
#if PY_VERSION_HEX >= 0x030C0000 && !defined(_PyLong_NON_SIZE_BITS)
#define _PyLong_NON_SIZE_BITS 3 /* lv_tag = digits << 3 | sign bits, since 3.12 */
#endif
#endif

/* Set at import by lr_iter_box_check when the in-place rewrite gives correct ints. */
static int lr_int_reuse = 0;

#ifdef LR_INT_REUSE
/* An int with room for any 64-bit magnitude (the digits of 2^64 - 1). */
static PyObject *
lr_int_roomy(void)
{
    return PyLong_FromUnsignedLongLong(UINT64_MAX);
}

/* Rewrite the int o (made by lr_int_roomy, referenced only by the caller) as +-mag, mag > 256. */
static void
lr_int_write(PyObject *o, uint64_t mag, int neg)
{
    PyLongObject *l = (PyLongObject *)o;
#if PY_VERSION_HEX >= 0x030C0000
    digit *d = l->long_value.ob_digit;
#else
    digit *d = l->ob_digit;
#endif
    Py_ssize_t n = 0;
    do {
        d[n++] = (digit)(mag & PyLong_MASK);
        mag >>= PyLong_SHIFT;
    } while (mag != 0);
#if PY_VERSION_HEX >= 0x030C0000
    l->long_value.lv_tag = ((uintptr_t)n << _PyLong_NON_SIZE_BITS) | (uintptr_t)(neg ? 2 : 0);
#else
    Py_SET_SIZE(l, neg ? -n : n);
#endif
}

/* +-mag in a free slot of the iterator (or a new int there); a new reference or NULL. */
static PyObject *
lr_int_reused(lr_iter_t *it, uint64_t mag, int neg)
{
    PyObject *o = NULL;
    if (it->ints[0] != NULL && Py_REFCNT(it->ints[0]) == 1) {
        o = it->ints[0];
    }
    else if (it->ints[1] != NULL && Py_REFCNT(it->ints[1]) == 1) {
        o = it->ints[1];
    }
    else {
        /* the caller holds both (or they are not made yet): replace one in turn */
        if ((o = lr_int_roomy()) == NULL) {
            return NULL;
        }
        Py_XSETREF(it->ints[it->turn], o);
        it->turn ^= 1;
    }
    lr_int_write(o, mag, neg);
    return Py_NewRef(o);
}
#endif

static PyObject *
lr_int_u64(lr_iter_t *it, uint64_t v)
{
#ifdef LR_INT_REUSE
    if (v > 256 && lr_int_reuse) {
        return lr_int_reused(it, v, 0);
    }
#endif
    return PyLong_FromUnsignedLongLong(v);
}

static PyObject *
lr_int_i64(lr_iter_t *it, int64_t v)
{
#ifdef LR_INT_REUSE
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (mag > 256 && lr_int_reuse) {
        return lr_int_reused(it, mag, v < 0);
    }
#endif
    return PyLong_FromLongLong(v);
}

PyObject *
lr_iter_box(const lr_iter_t *it, Py_ssize_t i)
{
    if (it->kind == LR_KIND_I64) {
        return PyLong_FromLongLong(((int64_t *)it->buf)[i]);
    }
    if (it->kind == LR_KIND_F64) {
        return PyFloat_FromDouble(((double *)it->buf)[i]);
    }
    return PyLong_FromUnsignedLongLong(((uint64_t *)it->buf)[i]);
}

PyObject *
lr_iter_yield(lr_iter_t *it)
{
    Py_ssize_t i = it->lo++;
    if (it->kind == LR_KIND_MOD) {
        return lr_int_u64(it, ((uint64_t *)it->buf)[i]);
    }
    if (it->kind == LR_KIND_I64) {
        return lr_int_i64(it, ((int64_t *)it->buf)[i]);
    }
    return PyFloat_FromDouble(((double *)it->buf)[i]);
}

void
lr_iter_box_clear(lr_iter_t *it)
{
    Py_CLEAR(it->ints[0]);
    Py_CLEAR(it->ints[1]);
}

int
lr_iter_box_check(void)
{
#ifdef LR_INT_REUSE
    static const uint64_t probe[] = {
        257, 1000, (1u << 30) - 1, 1u << 30, 1ull << 45, (1ull << 61) - 1, 1ull << 63, UINT64_MAX};
    int ok = 1;
    for (size_t j = 0; ok && j < 2 * sizeof probe / sizeof probe[0]; j++) {
        uint64_t mag = probe[j / 2];
        int neg = (int)(j & 1) && mag <= (1ull << 63);
        PyObject *o = lr_int_roomy();
        PyObject *want = PyLong_FromUnsignedLongLong(mag);
        if (want != NULL && neg) {
            Py_SETREF(want, PyNumber_Negative(want));
        }
        if (o == NULL || want == NULL) {
            Py_XDECREF(o);
            Py_XDECREF(want);
            return -1;
        }
        lr_int_write(o, mag, neg);
        PyObject *ro = PyObject_Repr(o), *rw = PyObject_Repr(want);
        int eq = ro && rw ? PyObject_RichCompareBool(o, want, Py_EQ) : -1;
        int same = eq == 1 ? PyUnicode_Compare(ro, rw) == 0 : 0;
        ok = same && PyObject_Hash(o) == PyObject_Hash(want);
        Py_XDECREF(ro);
        Py_XDECREF(rw);
        Py_DECREF(o);
        Py_DECREF(want);
        if (eq < 0 || PyErr_Occurred()) {
            return -1;
        }
    }
    lr_int_reuse = ok;
#endif
    return 0;
}
