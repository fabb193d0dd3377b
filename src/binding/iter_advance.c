/*
 * LucasIter.advance(n): jumps of the stepping state (iter.c) by any n >= 0.  Numeric kinds
 * jump in C without the GIL (lr_term_*); what the core cannot do (indices beyond its range,
 * int64 values it cannot certify) is done over Python ints (src/pyobj) and, where the result
 * fits again, handed back to numeric stepping.
 */
#include "lr_iter.h"

#include <fenv.h>
#include <string.h>

/* The position moved n terms past the current one: origin <- origin + lo + n, lo <- 0. */
static int
lr_iter_moved(lr_iter_t *it, PyObject *n)
{
    PyObject *o = lr_py_add(it->origin, (long long)it->lo);
    PyObject *o2 = o ? PyNumber_Add(o, n) : NULL;
    Py_XDECREF(o);
    if (o2 == NULL) {
        return -1;
    }
    Py_SETREF(it->origin, o2);
    it->lo = 0;
    return 0;
}

/* Python-int kind: w <- a[pos + n .. pos + n + k - 1]. */
static int
lr_iter_advance_obj(lr_iter_t *it, PyObject *n)
{
    Py_ssize_t k = it->k;
    PyObject **nw = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    if (nw == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int rc = lr_obj_jump("LucasIter.advance", k, it->cobj, it->w, n, it->mod, nw);
    if (rc == 0 && (rc = lr_iter_moved(it, n)) == 0) {
        for (Py_ssize_t j = 0; j < k; j++) {
            PyObject *tmp = it->w[j];
            it->w[j] = nw[j];
            nw[j] = tmp;
        }
    }
    lr_obj_decref_array(nw, k);
    PyMem_Free(nw);
    return rc;
}

/*
 * What a jump over Python ints starts from: v[0..k) the window, v[k..2k) the coefficients,
 * v[2k..3k) empty for the new window.  Returns v (free with lr_iter_jump_done) or NULL.
 */
static PyObject **
lr_iter_jump_begin(lr_iter_t *it)
{
    Py_ssize_t k = it->k;
    PyObject **v = PyMem_Calloc(3 * (size_t)k, sizeof(PyObject *));
    if (v == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (lr_iter_window(it, v) < 0 || lr_iter_coefs_obj(it, v + k) < 0) {
        lr_obj_decref_array(v, 3 * k);
        PyMem_Free(v);
        return NULL;
    }
    return v;
}

static void
lr_iter_jump_done(PyObject **v, Py_ssize_t k)
{
    lr_obj_decref_array(v, 3 * k);
    PyMem_Free(v);
}

/* Residue kind, n beyond the core's index range: jump over Python ints, back to residues. */
static int
lr_iter_advance_far_mod(lr_iter_t *it, PyObject *n)
{
    Py_ssize_t k = it->k;
    PyObject **v = lr_iter_jump_begin(it);
    if (v == NULL) {
        return -1;
    }
    PyObject **win = v, **cobj = v + k, **nw = v + 2 * k;
    int rc = -1;
    if (lr_obj_jump("LucasIter.advance", k, cobj, win, n, it->mod, nw) < 0) {
        goto done;
    }
    uint64_t *res = PyMem_Malloc(8 * (size_t)k);
    if (res == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        res[i] = PyLong_AsUnsignedLongLong(nw[i]);
        if (res[i] == (uint64_t)-1 && PyErr_Occurred()) {
            PyMem_Free(res);
            goto done;
        }
    }
    if (lr_iter_moved(it, n) == 0) {
        memcpy(it->buf, res, 8 * (size_t)k);
        it->filled = k;
        rc = 0;
    }
    PyMem_Free(res);
done:
    lr_iter_jump_done(v, k);
    return rc;
}

/* Numeric kinds, jump in C: buf[0..k) <- a[pos + n + j].  Returns 1 (nothing changed) when
 * int64 cannot hold the new window. */
static int
lr_iter_advance_num(lr_iter_t *it, uint64_t n, PyObject *n_obj)
{
    Py_ssize_t k = it->k;
    size_t wb = lr_work_bytes(LR_METHOD_AUTO, k);
    char *mem = wb ? PyMem_Malloc(wb + 16 * (size_t)k) : NULL;
    if (mem == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    void *init = mem + wb, *res = mem + wb + 8 * (size_t)k;
    memcpy(init, (char *)it->buf + 8 * it->lo, 8 * (size_t)k);
    /* the coefficients are copied too: another thread may rebuild the iterator meanwhile */
    void *cnum = PyMem_Malloc(16 * (size_t)k);
    if (cnum == NULL) {
        PyMem_Free(mem);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(cnum, it->cnum, 16 * (size_t)k);
    const void *buf_before = it->buf;
    const uint64_t m = it->mc.m;
    const lr_kind kind = it->kind;
    lr_status st = LR_OK;
    int interrupted = 0;
    lr_gil_t gil;
    if (kind == LR_KIND_MOD) {
        /* the whole window from one power */
        lr_gil_release(&gil);
        lr_seq_window_mod(k, cnum, init, n, m, k, res, (uint64_t *)mem);
        lr_gil_restore(&gil);
    }
    for (Py_ssize_t j = 0; j < k && st == LR_OK && kind != LR_KIND_MOD; j++) {
        /* one jump per window term, each without the GIL; Ctrl-C is honoured in between */
        if (j > 0 && (interrupted = PyErr_CheckSignals() < 0)) {
            break;
        }
        lr_index_t idx = lr_index_from_u64(n + (uint64_t)j);
        lr_gil_release(&gil);
        if (kind == LR_KIND_I64) {
            st = lr_term_i64(LR_METHOD_AUTO, k, cnum, init, idx, (int64_t *)res + j, mem);
        }
        else if (kind == LR_KIND_F64) {
            st = lr_term_f64(LR_METHOD_AUTO, k, cnum, init, idx, (double *)res + j, mem);
        }
        else {
            st = lr_term_mod(LR_METHOD_AUTO, k, cnum, init, idx, m, (uint64_t *)res + j, mem);
        }
        lr_gil_restore(&gil);
    }
    feclearexcept(FE_ALL_EXCEPT);
    PyMem_Free(cnum);
    int rc;
    if (interrupted) {
        rc = -1;
    }
    else if (it->buf != buf_before || it->kind != kind) {
        PyErr_SetString(PyExc_RuntimeError,
                        "LucasIter.advance: the iterator was modified by another thread");
        rc = -1;
    }
    else if (st == LR_OK) {
        rc = lr_iter_moved(it, n_obj);
        if (rc == 0) {
            memcpy(it->buf, res, 8 * (size_t)k);
            it->filled = k;
        }
    }
    else if (st == LR_ERR_OVERFLOW || st == LR_ERR_UNCERTIFIED) {
        rc = 1;
    }
    else {
        lr_failure_t f = {st, lr_index_from_u64(n), k, NULL};
        lr_raise_failure("LucasIter.advance", "", &f);
        rc = -1;
    }
    PyMem_Free(mem);
    return rc;
}

/* Python-int kind without modulus: back to int64 stepping when the window fits again
 * (after a jump that the int64 proof could not certify, say). */
static int
lr_iter_try_int64(lr_iter_t *it)
{
    if (it->kind != LR_KIND_OBJ || it->mod != NULL) {
        return 0;
    }
    Py_ssize_t k = it->k;
    for (Py_ssize_t i = 0; i < 2 * k; i++) {
        PyObject *v = i < k ? it->cobj[i] : it->w[i - k];
        int overflow = 0;
        if (!PyLong_CheckExact(v)) {
            return 0; /* elements of another ring stay in their type */
        }
        PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow) {
            return 0;
        }
    }
    PyObject *pos = lr_iter_position(it, NULL);
    int rc = pos ? lr_iter_restart(it, LR_KIND_I64, it->cobj, it->w, pos) : -1;
    Py_XDECREF(pos);
    return rc;
}

/*
 * int64 kind whose jump the core could not do: the new window by the guarded exact
 * computation (cheap when the sequence grows slowly).  Returns 1 when done, 0 when it gave
 * up (nothing changed), -1 on error.
 */
static int
lr_iter_advance_guarded(lr_iter_t *it, PyObject *n)
{
    Py_ssize_t k = it->k;
    PyObject **v = lr_iter_jump_begin(it);
    if (v == NULL) {
        return -1;
    }
    PyObject **win = v, **cobj = v + k, **nw = v + 2 * k;
    PyObject *pos = NULL;
    int rc = -1, small = 1;
    for (Py_ssize_t j = 0; j < k; j++) {
        PyObject *idx = lr_py_add(n, (long long)j);
        int g = idx ? lr_obj_term_capped(k, cobj, win, idx, LR_OBJ_CAPPED_BITS, &nw[j]) : -1;
        Py_XDECREF(idx);
        if (g <= 0) {
            rc = g;
            goto done;
        }
        int overflow = 0;
        PyLong_AsLongLongAndOverflow(nw[j], &overflow);
        small = small && !overflow;
    }
    PyObject *p0 = lr_py_add(it->origin, (long long)it->lo);
    pos = p0 ? PyNumber_Add(p0, n) : NULL;
    Py_XDECREF(p0);
    if (pos != NULL && lr_iter_restart(it, small ? LR_KIND_I64 : LR_KIND_OBJ, cobj, nw, pos) == 0) {
        rc = 1;
    }
done:
    lr_iter_jump_done(v, k);
    Py_XDECREF(pos);
    return rc;
}

static int lr_iter_advance_unlocked(lr_iter_t *it, PyObject *n);

PyObject *
lr_iter_advance(lr_iter_t *it, PyObject *arg)
{
    PyObject *n = PyNumber_Index(arg); /* before taking the iterator: it may run code */
    if (n == NULL) {
        return NULL;
    }
    int rc = -1;
    if (lr_iter_enter(it) == 0) {
        rc = lr_iter_advance_unlocked(it, n);
        lr_iter_leave(it);
    }
    Py_DECREF(n);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* advance by the Python int n; 0 or -1 */
static int
lr_iter_advance_unlocked(lr_iter_t *it, PyObject *n)
{
    int rc = -1;
    PyObject *zero = PyLong_FromLong(0);
    int neg = zero ? PyObject_RichCompareBool(n, zero, Py_LT) : -1;
    Py_XDECREF(zero);
    if (neg != 0) {
        if (neg > 0) {
            PyErr_Format(PyExc_ValueError, "LucasIter.advance: n must be >= 0, got %S", n);
        }
        goto done;
    }
    Py_ssize_t k = it->k;
    if (it->kind != LR_KIND_OBJ) {
        int overflow = 0;
        long long small = PyLong_AsLongLongAndOverflow(n, &overflow);
        if (!overflow && small <= (long long)(it->filled - it->lo)) {
            it->lo += (Py_ssize_t)small; /* within the terms already computed */
            rc = 0;
            goto done;
        }
        unsigned long long un = PyLong_AsUnsignedLongLong(n);
        int fits =
            !(un == (unsigned long long)-1 && PyErr_Occurred()) && un <= UINT64_MAX - (uint64_t)k;
        PyErr_Clear();
        if (it->lo + k > it->filled && lr_iter_refill(it) < 0) {
            goto done;
        }
        rc = 1;
        if (fits && it->lo + k <= it->filled) {
            rc = lr_iter_advance_num(it, (uint64_t)un, n);
        }
        if (rc <= 0) {
            goto done;
        }
        /* the core cannot do this jump */
        rc = -1;
        if (it->kind == LR_KIND_F64) {
            PyErr_SetString(PyExc_OverflowError,
                            "LucasIter.advance: float recurrences jump less than 2**64 - k "
                            "terms at a time");
            goto done;
        }
        if (it->kind == LR_KIND_MOD) {
            rc = lr_iter_advance_far_mod(it, n);
            goto done;
        }
        int g = lr_iter_advance_guarded(it, n);
        if (g != 0) {
            rc = g < 0 ? -1 : 0;
            goto done;
        }
        if (lr_iter_to_obj(it) < 0) {
            goto done;
        }
    }
    rc = lr_iter_advance_obj(it, n);
    if (rc == 0) {
        rc = lr_iter_try_int64(it);
    }
done:
    return rc < 0 ? -1 : 0;
}
