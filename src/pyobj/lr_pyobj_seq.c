/*
 * Many consecutive terms over Python ints or any ring (lr_pyobj_ring.h): stepping (with
 * small-coefficient shortcuts for Python-int coefficients),
 * jumps by lr_obj_term, runs into object arrays for sequence(), and the int64 decision for
 * indices beyond the core's range.  Used by sequence() and LucasIter; no NumPy.
 */
#include "lr_pyobj.h"

#include <stdio.h>
#include <unistd.h>

/* Python-int stepping checks for signals after about this many multiply-adds. */
#define LR_OBJ_SIGNAL_OPS 65536

void
lr_objrec_codes(lr_objrec *r)
{
    for (Py_ssize_t i = 0; i < r->k; i++) {
        int overflow = 0;
        long v = PyLong_CheckExact(r->c[i]) ? PyLong_AsLongAndOverflow(r->c[i], &overflow) : 2;
        r->code[i] = (!overflow && (v == 0 || v == 1 || v == -1)) ? (signed char)v : 2;
    }
}

PyObject *
lr_obj_lincomb(const lr_objrec *r, PyObject *const *a)
{
    PyObject *acc = NULL;
    for (Py_ssize_t i = 0; i < r->k; i++) {
        PyObject *t;
        int code = r->code[i];
        if (code == 0) {
            continue;
        }
        if (code == 2) {
            t = PyNumber_Multiply(r->c[i], a[i]);
        }
        else if (acc == NULL) {
            t = code == 1 ? Py_NewRef(a[i]) : PyNumber_Negative(a[i]);
        }
        else {
            t = NULL;
        }
        if (code == 2 || acc == NULL) {
            if (t == NULL) {
                Py_XDECREF(acc);
                return NULL;
            }
            if (acc == NULL) {
                acc = t;
                continue;
            }
            PyObject *s = PyNumber_Add(acc, t);
            Py_DECREF(t);
            Py_SETREF(acc, s);
        }
        else {
            PyObject *s = code == 1 ? PyNumber_Add(acc, a[i]) : PyNumber_Subtract(acc, a[i]);
            Py_SETREF(acc, s);
        }
        if (acc == NULL) {
            return NULL;
        }
    }
    if (acc == NULL) {
        /* every coefficient 0: the zero of the window's ring */
        acc = PyLong_CheckExact(a[0]) ? PyLong_FromLong(0) : PyNumber_Subtract(a[0], a[0]);
    }
    if (acc != NULL && r->m != NULL) {
        Py_SETREF(acc, PyNumber_Remainder(acc, r->m));
    }
    return acc;
}

void
lr_obj_decref_array(PyObject **v, Py_ssize_t n)
{
    if (v != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_CLEAR(v[i]);
        }
    }
}

PyObject *
lr_py_add(PyObject *base, long long off)
{
    PyObject *o = PyLong_FromLongLong(off);
    if (o == NULL) {
        return NULL;
    }
    PyObject *r = PyNumber_Add(base, o);
    Py_DECREF(o);
    return r;
}

int
lr_obj_jump(const char *func, Py_ssize_t k, PyObject *const *cobj, PyObject *const *w, PyObject *n,
            PyObject *m, PyObject **nw)
{
    for (Py_ssize_t j = 0; j < k; j++) {
        PyObject *idx = lr_py_add(n, (long long)j);
        nw[j] = idx ? lr_obj_term(func, LR_METHOD_AUTO, k, cobj, w, idx, m) : NULL;
        Py_XDECREF(idx);
        if (nw[j] == NULL) {
            lr_obj_decref_array(nw, j);
            return -1;
        }
    }
    return 0;
}

/* Bytes of physical memory, or 0 when unknown. */
static double
lr_phys_bytes(void)
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) {
        return (double)pages * (double)size;
    }
#endif
    return 0.0;
}

/*
 * Refuse a run of exact terms that cannot fit in memory: the remaining terms are at least
 * about as large as the smallest of the last k (the terms' envelope does not shrink), so
 * `left` more of them need at least that many bytes.  0, or -1 with MemoryError set.
 */
static int
lr_obj_check_room(PyObject *const *last, Py_ssize_t k, Py_ssize_t left)
{
    double phys = lr_phys_bytes();
    if (phys <= 0.0) {
        return 0;
    }
    long long bits = -1;
    for (Py_ssize_t i = 0; i < k; i++) {
        if (!PyLong_CheckExact(last[i])) {
            return 0; /* ring elements: no size known */
        }
        PyObject *b = PyObject_CallMethod(last[i], "bit_length", NULL);
        long long v = b ? PyLong_AsLongLong(b) : -1;
        Py_XDECREF(b);
        if (v < 0) {
            return -1;
        }
        bits = (bits < 0 || v < bits) ? v : bits;
    }
    double need = ((double)bits / 8.0 + 28.0) * (double)left;
    if (need > phys) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "lucas.sequence: the remaining %lld exact terms need at least %.3g GB, more "
                 "than this machine's %.3g GB of memory (use mod= for residues)",
                 (long long)left, need / 1e9, phys / 1e9);
        PyErr_SetString(PyExc_MemoryError, msg);
        return -1;
    }
    return 0;
}

/*
 * Python-int terms into out (see lr_pyobj.h).  The last k terms are kept in a private window
 * of strong references: out may be the caller's array, which a signal handler or a finalizer
 * could change while we step.
 */
int
lr_obj_run(const char *func, lr_method method, Py_ssize_t k, PyObject *const *c,
           PyObject *const *init, PyObject *start, PyObject *m, char *o, Py_ssize_t count)
{
    signed char *code = PyMem_Malloc((size_t)k);
    PyObject **win = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    int res = -1;
    if (code == NULL || win == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    lr_objrec rec = {k, c, code, m};
    lr_objrec_codes(&rec);
    Py_ssize_t w = count < k ? count : k;
    for (Py_ssize_t j = 0; j < w; j++) {
        PyObject *idx = lr_py_add(start, (long long)j);
        win[j] = idx ? lr_obj_term(func, method, k, c, init, idx, m) : NULL;
        Py_XDECREF(idx);
        if (win[j] == NULL) {
            goto done;
        }
        lr_obj_store(o + j * sizeof(PyObject *), Py_NewRef(win[j]));
    }
    Py_ssize_t every = LR_OBJ_SIGNAL_OPS / k > 0 ? LR_OBJ_SIGNAL_OPS / k : 1;
    if (w > 0 && !PyLong_CheckExact(win[0])) {
        every = 1; /* ring elements: a step may be slow (Fractions grow), the check is cheap */
    }
    for (Py_ssize_t j = w; j < count; j++) {
        /* signals and room: regularly, and early on at powers of two (fast growth shows) */
        if ((j % every == 0 || (j & (j - 1)) == 0) &&
            (PyErr_CheckSignals() < 0 || lr_obj_check_room(win, k, count - j) < 0)) {
            goto done;
        }
        PyObject *v = lr_obj_lincomb(&rec, win);
        if (v == NULL) {
            goto done;
        }
        Py_DECREF(win[0]);
        memmove(win, win + 1, (size_t)(k - 1) * sizeof(PyObject *));
        win[k - 1] = v;
        lr_obj_store(o + j * sizeof(PyObject *), Py_NewRef(v));
    }
    res = 0;
done:
    lr_obj_decref_array(win, k);
    PyMem_Free(win);
    PyMem_Free(code);
    return res;
}

/*
 * a[n] as int64 beyond the core's index range (see lr_pyobj.h): the residue mod 2^64 is the
 * only candidate; a mismatch modulo a few primes proves that the value does not fit,
 * agreement is then confirmed by the capped exact attempt.  Within the range the core's
 * certifier (lr_term_i64) decides instead, so that term, sequence and LucasIter agree.
 */
int
lr_obj_term_i64_far(const char *func, Py_ssize_t k, PyObject *const *c, PyObject *const *init,
                    PyObject *n, int64_t *out)
{
    int rc = -1;
    PyObject *zero = PyLong_FromLong(0), *m64 = NULL, *cand = NULL, *v = NULL;
    PyObject **d = NULL;
    if (zero == NULL) {
        return -1;
    }
    int neg = PyObject_RichCompareBool(n, zero, Py_LT);
    if (neg < 0) {
        goto done;
    }
    if (neg && lr_obj_check_unit(func, n, c[0]) < 0) {
        goto done;
    }
    m64 = PyLong_FromUnsignedLongLong(UINT64_MAX);
    Py_XSETREF(m64, m64 ? lr_py_add(m64, 1) : NULL);
    cand = m64 ? lr_obj_term(func, LR_METHOD_AUTO, k, c, init, n, m64) : NULL;
    if (cand == NULL) {
        goto done;
    }
    uint64_t cu = PyLong_AsUnsignedLongLong(cand);
    if (cu == (uint64_t)-1 && PyErr_Occurred()) {
        goto done;
    }
    int64_t cs = (int64_t)cu;
    for (int j = 0; j < 3; j++) {
        uint64_t p = lr_cert_primes[j];
        PyObject *pm = PyLong_FromUnsignedLongLong(p);
        PyObject *r = pm ? lr_obj_term(func, LR_METHOD_AUTO, k, c, init, n, pm) : NULL;
        Py_XDECREF(pm);
        if (r == NULL) {
            goto done;
        }
        uint64_t ru = PyLong_AsUnsignedLongLong(r);
        Py_DECREF(r);
        uint64_t want = cs >= 0 ? (uint64_t)cs % p : (p - (0u - (uint64_t)cs) % p) % p;
        if (ru != want) {
            rc = 1;
            goto done;
        }
    }
    /* exact confirmation: forwards, or the reversed recurrence for negative n */
    PyObject *const *cc = c, *const *ii = init;
    PyObject *idx = Py_NewRef(n);
    if (neg) {
        d = PyMem_Calloc(2 * (size_t)k, sizeof(PyObject *));
        if (d == NULL) {
            Py_DECREF(idx);
            PyErr_NoMemory();
            goto done;
        }
        Py_SETREF(idx, NULL);
        if (lr_obj_reverse(func, k, c, init, n, NULL, d, d + k, &idx) < 0) {
            goto done;
        }
        cc = d;
        ii = d + k;
    }
    int g = lr_obj_term_capped(k, cc, ii, idx, LR_OBJ_CAPPED_BITS, &v);
    Py_DECREF(idx);
    if (g < 0) {
        goto done;
    }
    if (g == 0) {
        rc = 2;
        goto done;
    }
    int overflow = 0;
    long long val = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (val == -1 && PyErr_Occurred()) {
        goto done;
    }
    if (overflow) {
        rc = 1;
        goto done;
    }
    *out = (int64_t)val;
    rc = 0;
done:
    if (d != NULL) {
        lr_obj_decref_array(d, 2 * k);
        PyMem_Free(d);
    }
    Py_XDECREF(zero);
    Py_XDECREF(m64);
    Py_XDECREF(cand);
    Py_XDECREF(v);
    return rc;
}
