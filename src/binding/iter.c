/*
 * The LucasIter stepping type, lucas._core.LucasIterBase: lucas.LucasIter (lucas/_sequence.py)
 * subclasses it, checks the arguments, plans the kind and writes the repr; this file steps,
 * jumps and reports the state.  __next__ stays in C.
 *
 * Numeric kinds step in blocks in C (lr_sequence.h); Python ints step with src/pyobj.  This
 * file holds the type, its set-up and stepping; advance() is in iter_advance.c.
 */
#include "lr_binding.h"

#include <fenv.h>
#include <string.h>

#include "lr_iter.h"

static PyTypeObject lr_iter_type;

/* Is the iterator set up?  Else RuntimeError (a bare LucasIterBase). */
static int
lr_iter_ready(const lr_iter_t *it)
{
    if (it->coefs == NULL || it->origin == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "LucasIter: the iterator is not initialised");
        return 0;
    }
    return 1;
}

/*
 * One operation at a time per iterator, as for generators ("generator already executing"):
 * advance() runs without the GIL and every operation may call back into Python (signal
 * handlers, finalizers), so a second caller (another thread, or re-entrant code in this one)
 * would see a half-updated state.  The flag is an atomic test-and-set (acquire on entry,
 * release on exit), so it also holds on free-threaded builds, where no GIL orders the callers.
 * gcc and clang, the compilers lucas supports (unsigned __int128), provide the builtins.
 */
static int
lr_iter_enter_any(lr_iter_t *it)
{
    if (__atomic_exchange_n(&it->busy, 1, __ATOMIC_ACQUIRE) != 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "LucasIter is already in use (by another thread, or re-entrantly); "
                        "give each thread its own iterator (copy.copy) or use a lock");
        return -1;
    }
    return 0;
}

/* The same for an operation that needs a set-up iterator. */
int
lr_iter_enter(lr_iter_t *it)
{
    return lr_iter_ready(it) ? lr_iter_enter_any(it) : -1;
}

void
lr_iter_leave(lr_iter_t *it)
{
    __atomic_store_n(&it->busy, 0, __ATOMIC_RELEASE);
}

static void
lr_iter_free_state(lr_iter_t *it)
{
    PyMem_Free(it->buf);
    PyMem_Free(it->cnum);
    it->buf = it->cnum = NULL;
    lr_obj_decref_array(it->cobj, it->k);
    lr_obj_decref_array(it->w, it->k);
    PyMem_Free(it->cobj);
    PyMem_Free(it->w);
    PyMem_Free(it->code);
    it->cobj = it->w = NULL;
    it->code = NULL;
    it->cap = it->filled = it->lo = 0;
}

static void
lr_iter_dealloc(lr_iter_t *it)
{
    lr_iter_free_state(it);
    lr_iter_box_clear(it);
    Py_XDECREF(it->coefs);
    Py_XDECREF(it->init);
    Py_XDECREF(it->mod);
    Py_XDECREF(it->origin);
    Py_TYPE(it)->tp_free((PyObject *)it);
}

/* Switch to (or set up) Python-int stepping with coefficients c and window w (tuples or
 * arrays of k Python ints). */
static int
lr_iter_setup_obj(lr_iter_t *it, PyObject *const *c, PyObject *const *w)
{
    Py_ssize_t k = it->k;
    it->cobj = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    it->w = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    it->code = PyMem_Malloc((size_t)k);
    if (it->cobj == NULL || it->w == NULL || it->code == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        it->cobj[i] = Py_NewRef(c[i]);
        it->w[i] = Py_NewRef(w[i]);
    }
    lr_objrec rec = {k, it->cobj, it->code, it->mod};
    lr_objrec_codes(&rec);
    it->kind = LR_KIND_OBJ;
    return 0;
}

/* After a failed rebuild: no half-built state, the iterator is unset (RuntimeError from
 * then on, not a crash). */
static void
lr_iter_unset(lr_iter_t *it)
{
    lr_iter_free_state(it);
    Py_CLEAR(it->coefs);
    Py_CLEAR(it->init);
}

static int lr_iter_build(lr_iter_t *it, lr_kind kind, PyObject *cw, PyObject *iw, PyObject *m,
                         PyObject *origin);

/*
 * (Re)build the stepping state: kind, working coefficients cw and window iw (tuples of k
 * numbers of that kind), modulus m (a Python int or NULL) and the window's index origin.
 */
static int
lr_iter_setup(lr_iter_t *it, lr_kind kind, PyObject *cw, PyObject *iw, PyObject *m,
              PyObject *origin)
{
    int rc = lr_iter_build(it, kind, cw, iw, m, origin);
    if (rc < 0) {
        lr_iter_unset(it);
    }
    return rc;
}

static int
lr_iter_build(lr_iter_t *it, lr_kind kind, PyObject *cw, PyObject *iw, PyObject *m,
              PyObject *origin)
{
    lr_iter_free_state(it);
    it->k = PyTuple_GET_SIZE(cw);
    Py_XSETREF(it->mod, Py_XNewRef(m));
    Py_XSETREF(it->origin, Py_NewRef(origin));
    it->lo = 0;
    if (kind == LR_KIND_OBJ) {
        return lr_iter_setup_obj(it, &PyTuple_GET_ITEM(cw, 0), &PyTuple_GET_ITEM(iw, 0));
    }
    Py_ssize_t k = it->k;
    if ((size_t)k > (PY_SSIZE_T_MAX / 8 - LR_ITER_BLOCK) / 4) {
        PyErr_NoMemory();
        return -1;
    }
    it->kind = kind;
    it->cap = 2 * k + LR_ITER_BLOCK;
    it->buf = PyMem_Malloc((size_t)it->cap * 8);
    it->cnum = PyMem_Malloc((size_t)k * 16);
    if (it->buf == NULL || it->cnum == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (lr_tuple_to_c(cw, kind, it->cnum) < 0 || lr_tuple_to_c(iw, kind, it->buf) < 0) {
        return -1;
    }
    it->filled = k;
    if (kind == LR_KIND_MOD) {
        uint64_t mv = PyLong_AsUnsignedLongLong(m);
        if (PyErr_Occurred()) {
            return -1;
        }
        lr_seq_mod_init(&it->mc, k, it->cnum, mv, (uint64_t *)it->cnum + k);
    }
    return 0;
}

/* The same from k Python ints each (coefficients c, window w at index origin). */
int
lr_iter_restart(lr_iter_t *it, lr_kind kind, PyObject *const *c, PyObject *const *w,
                PyObject *origin)
{
    Py_ssize_t k = it->k;
    PyObject *ct = PyTuple_New(k), *wt = PyTuple_New(k);
    int rc = -1;
    if (ct != NULL && wt != NULL) {
        for (Py_ssize_t i = 0; i < k; i++) {
            PyTuple_SET_ITEM(ct, i, Py_NewRef(c[i]));
            PyTuple_SET_ITEM(wt, i, Py_NewRef(w[i]));
        }
        rc = lr_iter_setup(it, kind, ct, wt, it->mod, origin);
    }
    Py_XDECREF(ct);
    Py_XDECREF(wt);
    return rc;
}

/* A bare stepping object; lucas.LucasIter.__init__ sets it up through _setup.  The arguments
 * are only counted here, for LucasIter's messages (missing or extra arguments). */
static PyObject *
lr_iter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"coefs", "init", "mod", NULL};
    PyObject *coefs, *init, *mod = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|$O:LucasIter", kwlist, &coefs, &init, &mod)) {
        return NULL;
    }
    return type->tp_alloc(type, 0);
}

/*
 * _setup(kind, cw, iw, m, coefs, init, origin): (re)start at window iw = a[origin ..
 * origin+k-1] of kind `kind` (lr_kind) with working coefficients cw and modulus m (None or a
 * positive int), planned by lucas/_sequence.py; coefs and init are kept as given for the
 * properties, unless None (keep the current ones).  The caller holds the iterator (_enter)
 * across its planning, whose callbacks (__index__, ...) then find it busy.
 */
static PyObject *
lr_iter_enter_py(lr_iter_t *it, PyObject *unused)
{
    if (lr_iter_enter_any(it) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
lr_iter_leave_py(lr_iter_t *it, PyObject *unused)
{
    lr_iter_leave(it);
    Py_RETURN_NONE;
}

static PyObject *
lr_iter_setup_py(lr_iter_t *it, PyObject *args)
{
    int kind;
    PyObject *cw, *iw, *m, *coefs, *init, *origin;
    if (!PyArg_ParseTuple(args, "iO!O!OOOO!:_setup", &kind, &PyTuple_Type, &cw, &PyTuple_Type, &iw,
                          &m, &coefs, &init, &PyLong_Type, &origin)) {
        return NULL;
    }
    Py_ssize_t k = PyTuple_GET_SIZE(cw);
    if (kind < 0 || kind >= LR_KIND_COUNT || k < 1 || PyTuple_GET_SIZE(iw) != k ||
        (m != Py_None && !PyLong_CheckExact(m)) || (kind == LR_KIND_MOD && m == Py_None) ||
        (coefs != Py_None && !PyTuple_Check(coefs)) || (init != Py_None && !PyTuple_Check(init)) ||
        (coefs == Py_None) != (init == Py_None) || (coefs == Py_None && it->coefs == NULL)) {
        PyErr_SetString(PyExc_ValueError, "lucas._core.LucasIterBase._setup: bad arguments");
        return NULL;
    }
    if (!it->busy) {
        PyErr_SetString(PyExc_RuntimeError,
                        "LucasIterBase._setup: call it between _enter and _leave");
        return NULL;
    }
    if (lr_iter_setup(it, (lr_kind)kind, cw, iw, m == Py_None ? NULL : m, origin) < 0) {
        return NULL;
    }
    if (coefs != Py_None) {
        Py_XSETREF(it->coefs, Py_NewRef(coefs));
        Py_XSETREF(it->init, Py_NewRef(init));
    }
    Py_RETURN_NONE;
}

/* Make room and step the numeric buffer; afterwards lo < filled unless int64 overflowed. */
int
lr_iter_refill(lr_iter_t *it)
{
    Py_ssize_t k = it->k;
    /* keep the k terms before the end and everything from lo on */
    Py_ssize_t s = it->filled - k < it->lo ? it->filled - k : it->lo;
    if (s > 0) {
        PyObject *o = lr_py_add(it->origin, (long long)s);
        if (o == NULL) {
            return -1;
        }
        Py_SETREF(it->origin, o);
        memmove(it->buf, (char *)it->buf + 8 * s, 8 * (size_t)(it->filled - s));
        it->filled -= s;
        it->lo -= s;
    }
    if (it->filled == it->cap) {
        return 0;
    }
    if (it->kind == LR_KIND_I64) {
        int64_t bad;
        if (lr_seq_fill_i64(k, it->cnum, it->buf, it->filled, it->cap, &bad) != LR_OK) {
            it->filled = (Py_ssize_t)bad;
            return 0;
        }
    }
    else if (it->kind == LR_KIND_F64) {
        lr_seq_fill_f64(k, it->cnum, it->buf, it->filled, it->cap);
    }
    else {
        lr_seq_fill_mod(&it->mc, it->buf, it->filled, it->cap);
    }
    it->filled = it->cap;
    return 0;
}

/* The numeric coefficients as k Python ints in dst (new references); 0 or -1. */
int
lr_iter_coefs_obj(const lr_iter_t *it, PyObject **dst)
{
    for (Py_ssize_t i = 0; i < it->k; i++) {
        dst[i] = it->kind == LR_KIND_MOD ? PyLong_FromUnsignedLongLong(((uint64_t *)it->cnum)[i])
                                         : PyLong_FromLongLong(((int64_t *)it->cnum)[i]);
        if (dst[i] == NULL) {
            return -1;
        }
    }
    return 0;
}

/*
 * The window a[pos .. pos+k-1] as k new references (Python ints or floats) in dst.  For
 * int64 near its limit the terms beyond the buffer are stepped over Python ints.
 */
int
lr_iter_window(lr_iter_t *it, PyObject **dst)
{
    Py_ssize_t k = it->k;
    if (it->kind == LR_KIND_OBJ) {
        for (Py_ssize_t i = 0; i < k; i++) {
            dst[i] = Py_NewRef(it->w[i]);
        }
        return 0;
    }
    if (it->lo + k > it->filled && lr_iter_refill(it) < 0) {
        return -1;
    }
    if (it->lo + k <= it->filled) {
        for (Py_ssize_t i = 0; i < k; i++) {
            if ((dst[i] = lr_iter_box(it, it->lo + i)) == NULL) {
                lr_obj_decref_array(dst, i);
                return -1;
            }
        }
        return 0;
    }
    /* int64 ran out: t = the known terms from min(lo, filled - k), then Python-int steps */
    Py_ssize_t t0 = it->filled - k < it->lo ? it->filled - k : it->lo;
    Py_ssize_t n = it->lo + k - t0;
    PyObject **t = PyMem_Calloc((size_t)n, sizeof(PyObject *));
    PyObject **cobj = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    signed char *code = PyMem_Malloc((size_t)k);
    int rc = -1;
    if (t == NULL || cobj == NULL || code == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (lr_iter_coefs_obj(it, cobj) < 0) {
        goto done;
    }
    lr_objrec rec = {k, cobj, code, NULL};
    lr_objrec_codes(&rec);
    for (Py_ssize_t i = 0; i < n; i++) {
        t[i] = t0 + i < it->filled ? lr_iter_box(it, t0 + i) : lr_obj_lincomb(&rec, t + i - k);
        if (t[i] == NULL) {
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        dst[i] = Py_NewRef(t[it->lo - t0 + i]);
    }
    rc = 0;
done:
    lr_obj_decref_array(t, n);
    lr_obj_decref_array(cobj, k);
    PyMem_Free(t);
    PyMem_Free(cobj);
    PyMem_Free(code);
    return rc;
}

/* int64 ran out: continue over Python ints from the current window. */
int
lr_iter_to_obj(lr_iter_t *it)
{
    Py_ssize_t k = it->k;
    PyObject **win = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    PyObject **cobj = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    int rc = -1;
    if (win == NULL || cobj == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (lr_iter_window(it, win) < 0) {
        goto done;
    }
    if (lr_iter_coefs_obj(it, cobj) < 0) {
        goto done;
    }
    PyObject *o = lr_py_add(it->origin, (long long)it->lo);
    if (o == NULL) {
        goto done;
    }
    Py_SETREF(it->origin, o);
    lr_iter_free_state(it);
    if ((rc = lr_iter_setup_obj(it, cobj, win)) < 0) {
        lr_iter_unset(it);
    }
done:
    lr_obj_decref_array(win, k);
    lr_obj_decref_array(cobj, k);
    PyMem_Free(win);
    PyMem_Free(cobj);
    return rc;
}

static PyObject *
lr_iter_next_unlocked(lr_iter_t *it)
{
    if (it->kind != LR_KIND_OBJ) {
        if (it->lo == it->filled) {
            if (lr_iter_refill(it) < 0) {
                return NULL;
            }
            if (it->lo == it->filled && lr_iter_to_obj(it) < 0) {
                return NULL;
            }
        }
        if (it->kind != LR_KIND_OBJ) {
            return lr_iter_yield(it);
        }
    }
    lr_objrec rec = {it->k, it->cobj, it->code, it->mod};
    PyObject *nxt = lr_obj_lincomb(&rec, it->w);
    if (nxt == NULL) {
        return NULL;
    }
    PyObject *res = it->w[0];
    memmove(it->w, it->w + 1, (size_t)(it->k - 1) * sizeof(PyObject *));
    it->w[it->k - 1] = nxt;
    if (++it->lo >= ((Py_ssize_t)1 << 30)) {
        PyObject *o = lr_py_add(it->origin, (long long)it->lo);
        if (o == NULL) {
            Py_DECREF(res);
            return NULL;
        }
        Py_SETREF(it->origin, o);
        it->lo = 0;
    }
    return res;
}

static PyObject *
lr_iter_next(lr_iter_t *it)
{
    if (lr_iter_enter(it) < 0) {
        return NULL;
    }
    /* the fast path: the next term is in the buffer */
    PyObject *r = it->lo < it->filled && it->kind != LR_KIND_OBJ ? lr_iter_yield(it)
                                                                 : lr_iter_next_unlocked(it);
    lr_iter_leave(it);
    return r;
}

PyObject *
lr_iter_position(lr_iter_t *it, void *closure)
{
    return lr_iter_ready(it) ? lr_py_add(it->origin, (long long)it->lo) : NULL;
}

/* The window as a tuple; the caller holds the iterator (lr_iter_enter). */
static PyObject *
lr_iter_state_unlocked(lr_iter_t *it)
{
    if (PyTuple_GET_SIZE(it->coefs) == 0) {
        return PyTuple_New(0); /* order 0: the zero sequence, stepped as a[n+1] = 0 a[n] */
    }
    PyObject *t = PyTuple_New(it->k);
    if (t != NULL && lr_iter_window(it, &PyTuple_GET_ITEM(t, 0)) < 0) {
        Py_CLEAR(t);
    }
    return t;
}

static PyObject *
lr_iter_state(lr_iter_t *it, void *closure)
{
    if (lr_iter_enter(it) < 0) {
        return NULL;
    }
    PyObject *t = lr_iter_state_unlocked(it);
    lr_iter_leave(it);
    return t;
}

static PyObject *
lr_iter_get_coefs(lr_iter_t *it, void *closure)
{
    return lr_iter_ready(it) ? Py_NewRef(it->coefs) : NULL;
}

static PyObject *
lr_iter_get_init(lr_iter_t *it, void *closure)
{
    return lr_iter_ready(it) ? Py_NewRef(it->init) : NULL;
}

static PyObject *
lr_iter_get_mod(lr_iter_t *it, void *closure)
{
    if (!lr_iter_ready(it)) {
        return NULL;
    }
    return Py_NewRef(it->mod != NULL ? it->mod : Py_None);
}

/* (mod, position, state): everything __setstate__ needs besides coefs and init. */
static PyObject *
lr_iter_getstate(lr_iter_t *it, PyObject *unused)
{
    if (lr_iter_enter(it) < 0) { /* position and window from the same moment */
        return NULL;
    }
    PyObject *pos = lr_iter_position(it, NULL);
    PyObject *st = pos ? lr_iter_state_unlocked(it) : NULL;
    PyObject *r = st ? PyTuple_Pack(3, it->mod ? it->mod : Py_None, pos, st) : NULL;
    lr_iter_leave(it);
    Py_XDECREF(pos);
    Py_XDECREF(st);
    return r;
}

static PyMethodDef lr_iter_methods[] = {
    {"advance", (PyCFunction)lr_iter_advance, METH_O,
     "advance($self, n, /)\n--\n\nSkip the next n terms (n >= 0) in O(k^2 log n): the next value "
     "yielded is the one n places further on."},
    {"_getstate", (PyCFunction)lr_iter_getstate, METH_NOARGS,
     "(mod, position, window) from one moment: what _setup needs besides coefs and init."},
    {"_enter", (PyCFunction)lr_iter_enter_py, METH_NOARGS,
     "Hold the iterator for one operation (RuntimeError when it is in use)."},
    {"_leave", (PyCFunction)lr_iter_leave_py, METH_NOARGS, "Release the iterator."},
    {"_setup", (PyCFunction)lr_iter_setup_py, METH_VARARGS,
     "_setup(kind, cw, iw, m, coefs, init, origin)\n\n(Re)start from a planned window; "
     "called by lucas.LucasIter."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef lr_iter_getset[] = {
    {"state", (getter)lr_iter_state, NULL,
     "The current window (a[n], ..., a[n+k-1]) as a tuple, where n is the position.", NULL},
    {"position", (getter)lr_iter_position, NULL, "Index n of the next term yielded.", NULL},
    {"coefs", (getter)lr_iter_get_coefs, NULL, "The coefficients as given.", NULL},
    {"init", (getter)lr_iter_get_init, NULL, "The initial values a[0..k-1] as given.", NULL},
    {"mod", (getter)lr_iter_get_mod, NULL, "The modulus, or None.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyDoc_STRVAR(
    lr_iter_doc,
    "The C stepping half of lucas.LucasIter (construct that instead): next, advance, state.");

static PyTypeObject lr_iter_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "lucas._core.LucasIterBase",
    .tp_basicsize = sizeof(lr_iter_t),
    .tp_dealloc = (destructor)lr_iter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = lr_iter_doc,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)lr_iter_next,
    .tp_methods = lr_iter_methods,
    .tp_getset = lr_iter_getset,
    .tp_new = lr_iter_new,
};

/* ---- registration ------------------------------------------------------------------------ */

int
lr_register_iter(PyObject *module)
{
    if (lr_iter_box_check() < 0 || PyType_Ready(&lr_iter_type) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "LucasIterBase", (PyObject *)&lr_iter_type);
}
