/*
 * lucas._core._sequence (the C half of lucas.sequence) and the LucasIter type.
 *
 * Numeric outputs are produced by the core driver (lr_sequence.h) in chunks without the GIL;
 * between chunks the GIL is taken back briefly to look for Ctrl-C.  Exact big integers step
 * with Python ints here, and jumps over Python ints reuse lr_obj_term().
 */
#include "lr_binding.h"

#include <fenv.h>
#include <string.h>
#include <unistd.h>

#include "numpy/arrayobject.h"
#include "numpy/ndarraytypes.h"

#include "lr_sequence.h"

/* Python-int stepping checks for signals after about this many multiply-adds. */
#define LR_OBJ_SIGNAL_OPS 65536
/* Terms the iterator computes ahead in one go (numeric kinds). */
#define LR_ITER_BLOCK 256

/* ---- helpers ------------------------------------------------------------------------------ */

/* Small-coefficient shortcuts for Python-int stepping: 0 skip, 1 add, -1 subtract. */
typedef struct {
    Py_ssize_t k;
    PyObject *const *c;   /* k Python ints */
    signed char *code;    /* per coefficient: 0, 1, -1, or 2 (multiply) */
    PyObject *m;          /* modulus or NULL */
} lr_objrec;

static void
lr_objrec_codes(lr_objrec *r)
{
    for (Py_ssize_t i = 0; i < r->k; i++) {
        int overflow = 0;
        long v = PyLong_AsLongAndOverflow(r->c[i], &overflow);
        r->code[i] = (!overflow && (v == 0 || v == 1 || v == -1)) ? (signed char)v : 2;
    }
}

/* sum c[i] * a[i] (mod m) as a new reference; the a[i] are Python ints. */
static PyObject *
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
        acc = PyLong_FromLong(0);
    }
    if (acc != NULL && r->m != NULL) {
        Py_SETREF(acc, PyNumber_Remainder(acc, r->m));
    }
    return acc;
}

static void
lr_decref_array(PyObject **v, Py_ssize_t n)
{
    if (v != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_CLEAR(v[i]);
        }
    }
}

/* Read k Python numbers of a tuple as int64 / double / uint64 (already validated types). */
static int
lr_tuple_to_c(PyObject *tup, char kind, void *dst)
{
    Py_ssize_t k = PyTuple_GET_SIZE(tup);
    for (Py_ssize_t i = 0; i < k; i++) {
        PyObject *v = PyTuple_GET_ITEM(tup, i);
        if (kind == 'l') {
            ((int64_t *)dst)[i] = PyLong_AsLongLong(v);
        }
        else if (kind == 'd') {
            ((double *)dst)[i] = PyFloat_AsDouble(v);
        }
        else {
            ((uint64_t *)dst)[i] = PyLong_AsUnsignedLongLong(v);
        }
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    return 0;
}

/* A Python int as an lr_index_t; 0 when it is out of range (no exception set). */
static int
lr_index_from_py(PyObject *v, lr_index_t *idx)
{
    int overflow = 0;
    long long s = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (s == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    if (!overflow) {
        *idx = lr_index_from_i64((int64_t)s);
        return 1;
    }
    if (overflow > 0) {
        unsigned long long u = PyLong_AsUnsignedLongLong(v);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        *idx = lr_index_from_u64((uint64_t)u);
        return 1;
    }
    return 0;
}

/* PyLong base + off, new reference. */
static PyObject *
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

static void
lr_raise_seq_overflow(const char *func, PyObject *start, int64_t off, const char *dtype)
{
    PyObject *idx = lr_py_add(start, (long long)off);
    if (idx == NULL) {
        return;
    }
    PyErr_Format(PyExc_OverflowError,
                 "lucas.%s: a[%S] does not fit in %s (use dtype=object for exact big integers, "
                 "or mod= for residues)", func, idx, dtype);
    Py_DECREF(idx);
}

/* ---- sequence: Python ints ------------------------------------------------------------- */

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
lr_obj_check_room(PyObject *const *last, Py_ssize_t k, npy_intp left)
{
    double phys = lr_phys_bytes();
    if (phys <= 0.0) {
        return 0;
    }
    long long bits = -1;
    for (Py_ssize_t i = 0; i < k; i++) {
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
 * Python-int terms into the object array out.  The last k terms are kept in a private window
 * of strong references: out may be the caller's array, which a signal handler or a finalizer
 * could change while we step.
 */
static PyObject *
lr_sequence_object(PyObject *ctup, PyObject *itup, PyObject *start, PyObject *m,
                   PyArrayObject *out, lr_method method)
{
    Py_ssize_t k = PyTuple_GET_SIZE(ctup);
    npy_intp count = PyArray_SIZE(out);
    char *o = PyArray_DATA(out);
    signed char *code = PyMem_Malloc((size_t)k);
    PyObject **win = PyMem_Calloc((size_t)k, sizeof(PyObject *));
    PyObject *res = NULL;
    if (code == NULL || win == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    lr_objrec rec = {k, &PyTuple_GET_ITEM(ctup, 0), code, m};
    lr_objrec_codes(&rec);
    npy_intp w = count < k ? count : k;
    for (npy_intp j = 0; j < w; j++) {
        PyObject *idx = lr_py_add(start, (long long)j);
        win[j] = idx ? lr_obj_term("sequence", method, k, &PyTuple_GET_ITEM(ctup, 0),
                                   &PyTuple_GET_ITEM(itup, 0), idx, m) : NULL;
        Py_XDECREF(idx);
        if (win[j] == NULL) {
            goto done;
        }
        lr_obj_store(o + j * sizeof(PyObject *), Py_NewRef(win[j]));
    }
    npy_intp every = LR_OBJ_SIGNAL_OPS / k > 0 ? LR_OBJ_SIGNAL_OPS / k : 1;
    for (npy_intp j = w; j < count; j++) {
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
    res = Py_NewRef(Py_None);
done:
    lr_decref_array(win, k);
    PyMem_Free(win);
    PyMem_Free(code);
    return res;
}

/* ---- int64 decisions at indices beyond the core ---------------------------------------- */

/* Intermediates of the guarded exact computation are limited to this many bits. */
#define LR_GUARD_BITS 65536


/*
 * Decide a[n] as int64 for any Python-int index n: the residue mod 2^64 is the only
 * candidate; a mismatch modulo a few primes proves that the value does not fit, agreement
 * is then confirmed by the guarded exact computation.  Returns 0 (fits, *out set), 1 (proven
 * not to fit), 2 (could not decide), -1 (exception).
 */
static int
lr_obj_term_i64(const char *func, Py_ssize_t k, PyObject *const *c, PyObject *const *init,
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
    if (neg) {
        long c0 = PyLong_AsLong(c[0]);
        if (c0 == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            c0 = 0;
        }
        if (c0 != 1 && c0 != -1) {
            PyErr_Format(PyExc_ValueError,
                         "lucas.%s: a[%S] is undefined: the recurrence runs backwards over the "
                         "integers only when c[0] is 1 or -1", func, n);
            goto done;
        }
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
        /* d[0] = 1/c[0] = c[0], d[j] = -c[k-j] c[0]; b[t] = init[k-1-t]; index k-1-n */
        d[0] = Py_NewRef(c[0]);
        for (Py_ssize_t j = 1; j < k; j++) {
            PyObject *p = PyNumber_Multiply(c[k - j], c[0]);
            d[j] = p ? PyNumber_Negative(p) : NULL;
            Py_XDECREF(p);
            if (d[j] == NULL) {
                Py_DECREF(idx);
                goto done;
            }
        }
        for (Py_ssize_t t = 0; t < k; t++) {
            d[k + t] = Py_NewRef(init[k - 1 - t]);
        }
        PyObject *pos = PyNumber_Negative(n);
        Py_SETREF(idx, pos ? lr_py_add(pos, (long long)(k - 1)) : NULL);
        Py_XDECREF(pos);
        if (idx == NULL) {
            goto done;
        }
        cc = d;
        ii = d + k;
    }
    int g = lr_obj_term_capped(k, cc, ii, idx, LR_GUARD_BITS, &v);
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
        lr_decref_array(d, 2 * k);
        PyMem_Free(d);
    }
    Py_XDECREF(zero);
    Py_XDECREF(m64);
    Py_XDECREF(cand);
    Py_XDECREF(v);
    return rc;
}

/* ---- sequence: numeric ------------------------------------------------------------------ */

/*
 * Window from Python ints when start is beyond the core's index range: out[j] = a[start+j]
 * for j < min(k, count), as int64 (checked) or residues.
 */
static int
lr_sequence_far_window(char kind, PyObject *ctup, PyObject *itup, PyObject *start,
                       PyObject *m, void *out, npy_intp count, lr_method method)
{
    Py_ssize_t k = PyTuple_GET_SIZE(ctup);
    npy_intp w = count < k ? count : k;
    if (kind == 'd') {
        PyErr_SetString(PyExc_OverflowError,
                         "lucas.sequence: float64 sequences need start + count - 1 within "
                         "[-2**63, 2**64 - 1]");
        return -1;
    }
    for (npy_intp j = 0; j < w; j++) {
        PyObject *idx = lr_py_add(start, (long long)j);
        if (idx == NULL) {
            return -1;
        }
        if (kind == 'l') {
            int rc = lr_obj_term_i64("sequence", k, &PyTuple_GET_ITEM(ctup, 0),
                                     &PyTuple_GET_ITEM(itup, 0), idx, (int64_t *)out + j);
            if (rc == 1) {
                lr_raise_seq_overflow("sequence", start, (int64_t)j, "int64");
            }
            else if (rc == 2) {
                PyErr_Format(PyExc_OverflowError,
                             "lucas.sequence: could not prove that a[%S] fits in int64 (the "
                             "exact computation grows too large); use dtype=object for the "
                             "exact value, or mod= for residues", idx);
            }
            Py_DECREF(idx);
            if (rc != 0) {
                return -1;
            }
            continue;
        }
        PyObject *v = lr_obj_term("sequence", method, k, &PyTuple_GET_ITEM(ctup, 0),
                                  &PyTuple_GET_ITEM(itup, 0), idx, m);
        Py_DECREF(idx);
        if (v == NULL) {
            return -1;
        }
        {
            unsigned long long u = PyLong_AsUnsignedLongLong(v);
            Py_DECREF(v);
            if (u == (unsigned long long)-1 && PyErr_Occurred()) {
                return -1;
            }
            ((uint64_t *)out)[j] = (uint64_t)u;
        }
    }
    return 0;
}

/* Is [start, start + count - 1] within what the core's windows accept? */
static int
lr_sequence_near(PyObject *start, npy_intp count, lr_index_t *idx)
{
    if (!lr_index_from_py(start, idx)) {
        return 0;
    }
    if (idx->neg) {
        return idx->mag <= ((uint64_t)1 << 63);
    }
    return count <= 1 || idx->mag <= UINT64_MAX - (uint64_t)(count - 1);
}

static void
lr_sequence_fail(lr_status st, PyObject *start, int64_t bad, int64_t k, const char *dtype)
{
    if (st == LR_ERR_OVERFLOW) {
        lr_raise_seq_overflow("sequence", start, bad, dtype);
        return;
    }
    lr_failure_t f = {st, {0, 0}, k, NULL};
    lr_index_t idx;
    if (lr_index_from_py(start, &idx)) {
        f.n = lr_index_add(idx, (uint64_t)bad);
    }
    lr_raise_failure("sequence", dtype, &f);
}

/*
 * _sequence(kind, coefs, init, start, m, out, method): fill the 1-D contiguous array out with
 * a[start], a[start+1], ...  kind: 'l' int64, 'd' float64, 'm' residues (out viewed as
 * uint64), 'O' Python ints (m None or any positive int).  The arguments were validated by
 * lucas/_sequence.py.
 */
static PyObject *
lr_py_sequence(PyObject *self, PyObject *args)
{
    const char *kindstr;
    PyObject *ctup, *itup, *start, *m;
    PyArrayObject *out;
    int method;
    if (!PyArg_ParseTuple(args, "sO!O!O!OO!i", &kindstr, &PyTuple_Type, &ctup, &PyTuple_Type,
                          &itup, &PyLong_Type, &start, &m, &PyArray_Type, &out, &method)) {
        return NULL;
    }
    char kind = kindstr[0];
    Py_ssize_t k = PyTuple_GET_SIZE(ctup);
    if (k < 1 || PyTuple_GET_SIZE(itup) != k || method < 0 || method >= LR_METHOD_COUNT ||
        strchr("ldmO", kind) == NULL || kindstr[1] != '\0') {
        PyErr_SetString(PyExc_ValueError, "lucas._core._sequence: bad arguments");
        return NULL;
    }
    int want_type = kind == 'O' ? NPY_OBJECT : (kind == 'd' ? NPY_FLOAT64 :
                                               (kind == 'l' ? NPY_INT64 : NPY_UINT64));
    if (PyArray_NDIM(out) != 1 || PyArray_TYPE(out) != want_type ||
        !PyArray_IS_C_CONTIGUOUS(out) || !PyArray_ISWRITEABLE(out)) {
        PyErr_SetString(PyExc_ValueError,
                        "lucas._core._sequence: out must be a writeable contiguous 1-D array of "
                        "the result dtype");
        return NULL;
    }
    if (m == Py_None) {
        m = NULL;
    }
    if ((kind == 'm' || (m != NULL)) && (m == NULL || !PyLong_Check(m))) {
        PyErr_SetString(PyExc_TypeError, "lucas._core._sequence: m must be an int");
        return NULL;
    }
    if (kind == 'O') {
        return lr_sequence_object(ctup, itup, start, m, out, (lr_method)method);
    }

    npy_intp count = PyArray_SIZE(out);
    const char *dtype = kind == 'l' ? "int64" : (kind == 'd' ? "float64" : "");
    uint64_t mv = 0;
    if (kind == 'm') {
        mv = PyLong_AsUnsignedLongLong(m);
        if (mv == (uint64_t)-1 && PyErr_Occurred()) {
            return NULL;
        }
        if (mv == 0) {
            PyErr_SetString(PyExc_ValueError, "lucas.sequence: modulus m must be positive");
            return NULL;
        }
    }
    size_t wb = lr_seq_work_bytes((lr_method)method, k);
    if (wb == 0) {
        lr_sequence_fail(LR_ERR_ORDER, start, 0, k, dtype);
        return NULL;
    }
    /* coefficients, initial values, then the core's workspace */
    char *mem = PyMem_Malloc(16 * (size_t)k + wb);
    if (mem == NULL) {
        return PyErr_NoMemory();
    }
    void *cbuf = mem + wb, *ibuf = mem + wb + 8 * (size_t)k;
    PyObject *res = NULL;
    if (lr_tuple_to_c(ctup, kind, cbuf) < 0 || lr_tuple_to_c(itup, kind, ibuf) < 0) {
        goto done;
    }
    lr_seq_ring ring = kind == 'l' ? LR_SEQ_I64 : (kind == 'd' ? LR_SEQ_F64 : LR_SEQ_MOD);
    lr_index_t idx = {0, 0};
    const void *init = ibuf;
    if (!lr_sequence_near(start, count, &idx)) {
        /* jump over Python ints, then step in C from the window it gives */
        if (lr_sequence_far_window(kind, ctup, itup, start, m, PyArray_DATA(out), count,
                                   (lr_method)method) < 0) {
            goto done;
        }
        init = NULL;
    }
    lr_seq_t s;
    int64_t bad = 0;
    lr_gil_t gil;
    lr_gil_release(&gil);
    lr_status st = lr_seq_begin(&s, ring, (lr_method)method, k, cbuf, init, mv, idx,
                                (int64_t)count, PyArray_DATA(out), mem, &bad);
    lr_gil_restore(&gil);
    while (st == LR_OK && !s.finished) {
        if (PyErr_CheckSignals() < 0) {
            goto done;
        }
        lr_gil_release(&gil);
        st = lr_seq_step(&s, LR_SEQ_CHUNK, &bad);
        lr_gil_restore(&gil);
        if (st == LR_ERR_UNCERTIFIED && init != NULL) {
            /* the int64 proof of a window term gave up (huge magnitude bound): find the
             * window exactly over Python ints instead, then step from it */
            if (lr_sequence_far_window(kind, ctup, itup, start, m, PyArray_DATA(out), count,
                                       (lr_method)method) < 0) {
                goto done;
            }
            init = NULL;
            st = lr_seq_begin(&s, ring, (lr_method)method, k, cbuf, NULL, mv, idx,
                              (int64_t)count, PyArray_DATA(out), mem, &bad);
        }
    }
    if (st != LR_OK) {
        lr_sequence_fail(st, start, bad, k, dtype);
        goto done;
    }
    res = Py_NewRef(Py_None);
done:
    /* the int64 certificate uses log2(); its inexact flags are no floating-point result */
    feclearexcept(FE_ALL_EXCEPT);
    PyMem_Free(mem);
    return res;
}

/* ---- LucasIter ---------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    char kind;            /* 'l' int64, 'd' float64, 'm' residues, 'O' Python ints */
    Py_ssize_t k;
    PyObject *coefs;      /* the coefficients as given (tuple), for repr and pickle */
    PyObject *init;       /* the initial values as given (tuple) */
    PyObject *mod;        /* Python int, or NULL */
    PyObject *origin;     /* index of buf[0] (numeric) or of w[0] when lo == 0 (Python ints) */
    Py_ssize_t lo;        /* the next term is buf[lo] (numeric) / w[0] at index origin + lo */
    /* numeric kinds: terms a[origin .. origin+filled) in buf */
    Py_ssize_t cap, filled;
    void *buf;
    void *cnum;           /* k coefficients (int64, double, residues) + k kernel slots */
    lr_seq_mod_t mc;
    /* Python ints */
    PyObject **cobj;      /* k coefficients (reduced mod m) */
    signed char *code;
    PyObject **w;         /* a[pos .. pos+k-1] */
    int busy;             /* an operation is running (set and cleared with the GIL held) */
} lr_iter_t;

static PyTypeObject lr_iter_type;

/*
 * One operation at a time per iterator, as for generators ("generator already executing"):
 * advance() runs without the GIL and every operation may call back into Python (signal
 * handlers, finalizers), so a second caller (another thread, or re-entrant code in this one)
 * would see a half-updated state.  The flag is read and written only with the GIL held, which
 * makes it a test-and-set; free-threaded builds (no GIL) would need an atomic one instead.
 */
static int
lr_iter_enter(lr_iter_t *it)
{
    if (it->busy) {
        PyErr_SetString(PyExc_RuntimeError,
                        "LucasIter is already in use (by another thread, or re-entrantly); "
                        "give each thread its own iterator (copy.copy) or use a lock");
        return -1;
    }
    it->busy = 1;
    return 0;
}

static void
lr_iter_leave(lr_iter_t *it)
{
    it->busy = 0;
}

static void
lr_iter_free_state(lr_iter_t *it)
{
    PyMem_Free(it->buf);
    PyMem_Free(it->cnum);
    it->buf = it->cnum = NULL;
    lr_decref_array(it->cobj, it->k);
    lr_decref_array(it->w, it->k);
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
    it->kind = 'O';
    return 0;
}

/*
 * (Re)build the stepping state from the output of lucas._sequence._iter_prepare with window
 * `init` at index `origin`.
 */
static int
lr_iter_setup(lr_iter_t *it, PyObject *prep, PyObject *origin)
{
    const char *kindstr;
    PyObject *cw, *iw, *m, *cshow, *ishow;
    if (!PyArg_ParseTuple(prep, "sO!O!OO!O!", &kindstr, &PyTuple_Type, &cw, &PyTuple_Type, &iw,
                          &m, &PyTuple_Type, &cshow, &PyTuple_Type, &ishow)) {
        return -1;
    }
    lr_iter_free_state(it);
    it->k = PyTuple_GET_SIZE(cw);
    Py_XSETREF(it->mod, m == Py_None ? NULL : Py_NewRef(m));
    Py_XSETREF(it->origin, Py_NewRef(origin));
    if (it->coefs == NULL) {
        it->coefs = Py_NewRef(cshow);
        it->init = Py_NewRef(ishow);
    }
    it->lo = 0;
    char kind = kindstr[0];
    if (kind == 'O') {
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
    if (kind == 'm') {
        uint64_t mv = PyLong_AsUnsignedLongLong(m);
        if (PyErr_Occurred()) {
            return -1;
        }
        lr_seq_mod_init(&it->mc, k, it->cnum, mv, (uint64_t *)it->cnum + k);
    }
    return 0;
}

/* Call lucas._sequence.<name>(*args) (the Python half of the checks). */
static PyObject *
lr_call_helper(const char *name, PyObject *args)
{
    PyObject *mod = PyImport_ImportModule("lucas._sequence");
    if (mod == NULL) {
        return NULL;
    }
    PyObject *f = PyObject_GetAttrString(mod, name);
    Py_DECREF(mod);
    if (f == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallObject(f, args);
    Py_DECREF(f);
    return r;
}

static PyObject *
lr_iter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"coefs", "init", "mod", NULL};
    PyObject *coefs, *init, *mod = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|$O:LucasIter", kwlist, &coefs, &init,
                                     &mod)) {
        return NULL;
    }
    PyObject *hargs = PyTuple_Pack(3, coefs, init, mod);
    PyObject *prep = hargs ? lr_call_helper("_iter_prepare", hargs) : NULL;
    Py_XDECREF(hargs);
    if (prep == NULL) {
        return NULL;
    }
    lr_iter_t *it = (lr_iter_t *)type->tp_alloc(type, 0);
    PyObject *zero = PyLong_FromLong(0);
    if (it == NULL || zero == NULL || lr_iter_setup(it, prep, zero) < 0) {
        Py_XDECREF(it);
        Py_XDECREF(zero);
        Py_DECREF(prep);
        return NULL;
    }
    Py_DECREF(zero);
    Py_DECREF(prep);
    return (PyObject *)it;
}

/* Make room and step the numeric buffer; afterwards lo < filled unless int64 overflowed. */
static int
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
    if (it->kind == 'l') {
        int64_t bad;
        if (lr_seq_fill_i64(k, it->cnum, it->buf, it->filled, it->cap, &bad) != LR_OK) {
            it->filled = (Py_ssize_t)bad;
            return 0;
        }
    }
    else if (it->kind == 'd') {
        lr_seq_fill_f64(k, it->cnum, it->buf, it->filled, it->cap);
    }
    else {
        lr_seq_fill_mod(&it->mc, it->buf, it->filled, it->cap);
    }
    it->filled = it->cap;
    return 0;
}

static PyObject *
lr_iter_box(const lr_iter_t *it, Py_ssize_t i)
{
    if (it->kind == 'l') {
        return PyLong_FromLongLong(((int64_t *)it->buf)[i]);
    }
    if (it->kind == 'd') {
        return PyFloat_FromDouble(((double *)it->buf)[i]);
    }
    return PyLong_FromUnsignedLongLong(((uint64_t *)it->buf)[i]);
}

/*
 * The window a[pos .. pos+k-1] as k new references (Python ints or floats) in dst.  For
 * int64 near its limit the terms beyond the buffer are stepped over Python ints.
 */
static int
lr_iter_window(lr_iter_t *it, PyObject **dst)
{
    Py_ssize_t k = it->k;
    if (it->kind == 'O') {
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
                lr_decref_array(dst, i);
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
    for (Py_ssize_t i = 0; i < k; i++) {
        if ((cobj[i] = PyLong_FromLongLong(((int64_t *)it->cnum)[i])) == NULL) {
            goto done;
        }
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
    lr_decref_array(t, n);
    lr_decref_array(cobj, k);
    PyMem_Free(t);
    PyMem_Free(cobj);
    PyMem_Free(code);
    return rc;
}

/* int64 ran out: continue over Python ints from the current window. */
static int
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
    for (Py_ssize_t i = 0; i < k; i++) {
        if ((cobj[i] = PyLong_FromLongLong(((int64_t *)it->cnum)[i])) == NULL) {
            goto done;
        }
    }
    PyObject *o = lr_py_add(it->origin, (long long)it->lo);
    if (o == NULL) {
        goto done;
    }
    Py_SETREF(it->origin, o);
    lr_iter_free_state(it);
    rc = lr_iter_setup_obj(it, cobj, win);
done:
    lr_decref_array(win, k);
    lr_decref_array(cobj, k);
    PyMem_Free(win);
    PyMem_Free(cobj);
    return rc;
}

static PyObject *
lr_iter_next_unlocked(lr_iter_t *it)
{
    if (it->kind != 'O') {
        if (it->lo == it->filled) {
            if (lr_iter_refill(it) < 0) {
                return NULL;
            }
            if (it->lo == it->filled && lr_iter_to_obj(it) < 0) {
                return NULL;
            }
        }
        if (it->kind != 'O') {
            return lr_iter_box(it, it->lo++);
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
    PyObject *r = lr_iter_next_unlocked(it);
    lr_iter_leave(it);
    return r;
}

static PyObject *
lr_iter_position(lr_iter_t *it, void *closure)
{
    return lr_py_add(it->origin, (long long)it->lo);
}

/* The window as a tuple; the caller holds the iterator (lr_iter_enter). */
static PyObject *
lr_iter_state_unlocked(lr_iter_t *it)
{
    if (PyTuple_GET_SIZE(it->coefs) == 0) {
        return PyTuple_New(0);   /* order 0: the zero sequence, stepped as a[n+1] = 0 a[n] */
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
    return Py_NewRef(it->coefs);
}

static PyObject *
lr_iter_get_init(lr_iter_t *it, void *closure)
{
    return Py_NewRef(it->init);
}

static PyObject *
lr_iter_get_mod(lr_iter_t *it, void *closure)
{
    return Py_NewRef(it->mod != NULL ? it->mod : Py_None);
}

/* nw[j] = a[n + j] of the recurrence cobj with a[0..k-1] = w, over Python ints (mod m). */
static int
lr_obj_jump(Py_ssize_t k, PyObject *const *cobj, PyObject *const *w, PyObject *n, PyObject *m,
            PyObject **nw)
{
    for (Py_ssize_t j = 0; j < k; j++) {
        PyObject *idx = lr_py_add(n, (long long)j);
        nw[j] = idx ? lr_obj_term("LucasIter.advance", LR_METHOD_AUTO, k, cobj, w, idx, m)
                    : NULL;
        Py_XDECREF(idx);
        if (nw[j] == NULL) {
            lr_decref_array(nw, j);
            return -1;
        }
    }
    return 0;
}

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
    int rc = lr_obj_jump(k, it->cobj, it->w, n, it->mod, nw);
    if (rc == 0 && (rc = lr_iter_moved(it, n)) == 0) {
        for (Py_ssize_t j = 0; j < k; j++) {
            PyObject *tmp = it->w[j];
            it->w[j] = nw[j];
            nw[j] = tmp;
        }
    }
    lr_decref_array(nw, k);
    PyMem_Free(nw);
    return rc;
}

/* Residue kind, n beyond the core's index range: jump over Python ints, back to residues. */
static int
lr_iter_advance_far_mod(lr_iter_t *it, PyObject *n)
{
    Py_ssize_t k = it->k;
    PyObject **v = PyMem_Calloc(3 * (size_t)k, sizeof(PyObject *));
    if (v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject **win = v, **cobj = v + k, **nw = v + 2 * k;
    int rc = -1;
    if (lr_iter_window(it, win) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        if ((cobj[i] = PyLong_FromUnsignedLongLong(((uint64_t *)it->cnum)[i])) == NULL) {
            goto done;
        }
    }
    if (lr_obj_jump(k, cobj, win, n, it->mod, nw) < 0) {
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
    lr_decref_array(v, 3 * k);
    PyMem_Free(v);
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
    const char kind = it->kind;
    lr_status st = LR_OK;
    int interrupted = 0;
    lr_gil_t gil;
    if (kind == 'm') {
        /* the whole window from one power */
        lr_gil_release(&gil);
        lr_seq_window_mod(k, cnum, init, n, m, k, res, (uint64_t *)mem);
        lr_gil_restore(&gil);
    }
    for (Py_ssize_t j = 0; j < k && st == LR_OK && kind != 'm'; j++) {
        /* one jump per window term, each without the GIL; Ctrl-C is honoured in between */
        if (j > 0 && (interrupted = PyErr_CheckSignals() < 0)) {
            break;
        }
        lr_index_t idx = lr_index_from_u64(n + (uint64_t)j);
        lr_gil_release(&gil);
        if (kind == 'l') {
            st = lr_term_i64(LR_METHOD_AUTO, k, cnum, init, idx, (int64_t *)res + j, mem);
        }
        else if (kind == 'd') {
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
    if (it->kind != 'O' || it->mod != NULL) {
        return 0;
    }
    Py_ssize_t k = it->k;
    for (Py_ssize_t i = 0; i < 2 * k; i++) {
        int overflow = 0;
        PyLong_AsLongLongAndOverflow(i < k ? it->cobj[i] : it->w[i - k], &overflow);
        if (overflow) {
            return 0;
        }
    }
    PyObject *ct = PyTuple_New(k), *wt = PyTuple_New(k), *prep = NULL, *pos = NULL;
    int rc = -1;
    if (ct == NULL || wt == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        PyTuple_SET_ITEM(ct, i, Py_NewRef(it->cobj[i]));
        PyTuple_SET_ITEM(wt, i, Py_NewRef(it->w[i]));
    }
    pos = lr_iter_position(it, NULL);
    prep = pos ? Py_BuildValue("(sOOOOO)", "l", ct, wt, Py_None, it->coefs, it->init) : NULL;
    if (prep != NULL) {
        rc = lr_iter_setup(it, prep, pos);
    }
done:
    Py_XDECREF(ct);
    Py_XDECREF(wt);
    Py_XDECREF(prep);
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
    PyObject **v = PyMem_Calloc(3 * (size_t)k, sizeof(PyObject *));
    if (v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject **win = v, **cobj = v + k, **nw = v + 2 * k;
    PyObject *ct = NULL, *wt = NULL, *prep = NULL, *pos = NULL;
    int rc = -1, small = 1;
    if (lr_iter_window(it, win) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        if ((cobj[i] = PyLong_FromLongLong(((int64_t *)it->cnum)[i])) == NULL) {
            goto done;
        }
    }
    for (Py_ssize_t j = 0; j < k; j++) {
        PyObject *idx = lr_py_add(n, (long long)j);
        int g = idx ? lr_obj_term_capped(k, cobj, win, idx, LR_GUARD_BITS, &nw[j]) : -1;
        Py_XDECREF(idx);
        if (g <= 0) {
            rc = g;
            goto done;
        }
        int overflow = 0;
        PyLong_AsLongLongAndOverflow(nw[j], &overflow);
        small = small && !overflow;
    }
    ct = PyTuple_New(k);
    wt = PyTuple_New(k);
    if (ct == NULL || wt == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        PyTuple_SET_ITEM(ct, i, Py_NewRef(cobj[i]));
        PyTuple_SET_ITEM(wt, i, Py_NewRef(nw[i]));
    }
    PyObject *p0 = lr_py_add(it->origin, (long long)it->lo);
    pos = p0 ? PyNumber_Add(p0, n) : NULL;
    Py_XDECREF(p0);
    prep = pos ? Py_BuildValue("(sOOOOO)", small ? "l" : "O", ct, wt, Py_None, it->coefs,
                               it->init) : NULL;
    if (prep != NULL && lr_iter_setup(it, prep, pos) == 0) {
        rc = 1;
    }
done:
    lr_decref_array(v, 3 * k);
    PyMem_Free(v);
    Py_XDECREF(ct);
    Py_XDECREF(wt);
    Py_XDECREF(prep);
    Py_XDECREF(pos);
    return rc;
}

static int lr_iter_advance_unlocked(lr_iter_t *it, PyObject *n);

static PyObject *
lr_iter_advance(lr_iter_t *it, PyObject *arg)
{
    PyObject *n = PyNumber_Index(arg);   /* before taking the iterator: it may run code */
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
    if (it->kind != 'O') {
        int overflow = 0;
        long long small = PyLong_AsLongLongAndOverflow(n, &overflow);
        if (!overflow && small <= (long long)(it->filled - it->lo)) {
            it->lo += (Py_ssize_t)small;   /* within the terms already computed */
            rc = 0;
            goto done;
        }
        unsigned long long un = PyLong_AsUnsignedLongLong(n);
        int fits = !(un == (unsigned long long)-1 && PyErr_Occurred()) &&
                   un <= UINT64_MAX - (uint64_t)k;
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
        if (it->kind == 'd') {
            PyErr_SetString(PyExc_OverflowError,
                            "LucasIter.advance: float recurrences jump less than 2**64 - k "
                            "terms at a time");
            goto done;
        }
        if (it->kind == 'm') {
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

/* (mod, position, state): everything __setstate__ needs besides coefs and init. */
static PyObject *
lr_iter_getstate(lr_iter_t *it)
{
    if (lr_iter_enter(it) < 0) {   /* position and window from the same moment */
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

static PyObject *
lr_iter_setstate(lr_iter_t *it, PyObject *state)
{
    PyObject *mod, *pos, *win;
    if (!PyTuple_Check(state) ||
        !PyArg_ParseTuple(state, "OO!O:LucasIter.__setstate__", &mod, &PyLong_Type, &pos,
                          &win)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "LucasIter.__setstate__: expected a tuple");
        }
        return NULL;
    }
    if (lr_iter_enter(it) < 0) {
        return NULL;
    }
    /* an exact int: the position is added to at every step (no int subclass's __add__) */
    PyObject *exact = PyNumber_Index(pos);
    PyObject *hargs = exact ? PyTuple_Pack(3, it->coefs, win, mod) : NULL;
    PyObject *prep = hargs ? lr_call_helper("_iter_prepare", hargs) : NULL;
    Py_XDECREF(hargs);
    int rc = prep ? lr_iter_setup(it, prep, exact) : -1;
    Py_XDECREF(prep);
    Py_XDECREF(exact);
    lr_iter_leave(it);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
lr_iter_reduce(lr_iter_t *it, PyObject *unused)
{
    PyObject *state = lr_iter_getstate(it);
    if (state == NULL) {
        return NULL;
    }
    return Py_BuildValue("O(OO)N", (PyObject *)Py_TYPE(it), it->coefs, it->init, state);
}

static PyObject *
lr_iter_copy(lr_iter_t *it, PyObject *unused)
{
    PyObject *state = lr_iter_getstate(it);
    if (state == NULL) {
        return NULL;
    }
    PyObject *args = PyTuple_Pack(2, it->coefs, it->init);
    PyObject *cp = args ? PyObject_CallObject((PyObject *)Py_TYPE(it), args) : NULL;
    Py_XDECREF(args);
    if (cp != NULL) {
        PyObject *r = lr_iter_setstate((lr_iter_t *)cp, state);
        if (r == NULL) {
            Py_CLEAR(cp);
        }
        Py_XDECREF(r);
    }
    Py_DECREF(state);
    return cp;
}

static PyObject *
lr_iter_deepcopy(lr_iter_t *it, PyObject *memo)
{
    return lr_iter_copy(it, NULL);
}

static PyObject *
lr_iter_repr(lr_iter_t *it)
{
    PyObject *pos = lr_iter_position(it, NULL);
    if (pos == NULL) {
        return NULL;
    }
    PyObject *args = PyTuple_Pack(4, it->coefs, it->init, it->mod ? it->mod : Py_None, pos);
    Py_DECREF(pos);
    if (args == NULL) {
        return NULL;
    }
    PyObject *r = lr_call_helper("_iter_repr", args);
    Py_DECREF(args);
    return r;
}

static PyMethodDef lr_iter_methods[] = {
    {"advance", (PyCFunction)lr_iter_advance, METH_O,
     "advance(n, /)\n--\n\nSkip the next n terms (n >= 0) in O(k^2 log n): the next value "
     "yielded is the one n places further on."},
    {"__reduce__", (PyCFunction)lr_iter_reduce, METH_NOARGS, "Pickle support."},
    {"__setstate__", (PyCFunction)lr_iter_setstate, METH_O, "Pickle support."},
    {"__copy__", (PyCFunction)lr_iter_copy, METH_NOARGS,
     "An independent iterator at the same position."},
    {"__deepcopy__", (PyCFunction)lr_iter_deepcopy, METH_O,
     "An independent iterator at the same position."},
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

PyDoc_STRVAR(lr_iter_doc,
"LucasIter(coefs, init, *, mod=None)\n"
"--\n"
"\n"
"Iterator over the terms a[0], a[1], ... of a linear recurrence.\n"
"\n"
"``a[n+k] = sum(coefs[i] * a[n+i] for i < k)`` with ``a[0..k-1] = init``.\n"
"\n"
"Parameters\n"
"----------\n"
"coefs, init : 1-D sequences of numbers, same length k >= 0 (k = 0: the zero sequence)\n"
"    ``coefs[0]`` multiplies the oldest value.\n"
"mod : int, optional\n"
"    Yield residues in ``[0, mod)`` (any positive modulus).\n"
"\n"
"Notes\n"
"-----\n"
"Integer recurrences yield exact Python ints: terms are stepped in int64 blocks in C and\n"
"continue over Python ints once they outgrow int64 (Fibonacci runs past F(92) seamlessly).\n"
"Float coefficients or initial values yield floats.  ``advance(n)`` jumps n terms ahead in\n"
"O(k^2 log n); ``state`` is the current window; iterators pickle and copy (a copy continues\n"
"independently).  One operation at a time: a call while another thread's call on the same\n"
"iterator runs raises RuntimeError (give each thread its own copy).\n"
"\n"
"Examples\n"
"--------\n"
">>> import itertools, lucas\n"
">>> list(itertools.islice(lucas.LucasIter([1, 1], [0, 1]), 10))\n"
"[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n"
">>> it = lucas.LucasIter([1, 1], [0, 1], mod=10**9 + 7)\n"
">>> it.advance(10**18)\n"
">>> next(it), it.position\n"
"(209783453, 1000000000000000001)\n"
">>> it\n"
"LucasIter([1, 1], [0, 1], mod=1000000007) at n=1000000000000000001\n"
">>> fib = lucas.LucasIter([1, 1], [0, 1])\n"
">>> fib.advance(92)\n"
">>> next(fib), next(fib)\n"
"(7540113804746346429, 12200160415121876738)\n");

static PyTypeObject lr_iter_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lucas.LucasIter",
    .tp_basicsize = sizeof(lr_iter_t),
    .tp_dealloc = (destructor)lr_iter_dealloc,
    .tp_repr = (reprfunc)lr_iter_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = lr_iter_doc,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)lr_iter_next,
    .tp_methods = lr_iter_methods,
    .tp_getset = lr_iter_getset,
    .tp_new = lr_iter_new,
};

/* ---- registration ------------------------------------------------------------------------ */

static PyMethodDef lr_sequence_methods[] = {
    {"_sequence", lr_py_sequence, METH_VARARGS,
     "_sequence(kind, coefs, init, start, m, out, method)\n\nFill out with a[start], "
     "a[start+1], ...; the checked entry point is lucas.sequence."},
    {NULL, NULL, 0, NULL},
};

int
lr_register_sequence(PyObject *module)
{
    if (PyType_Ready(&lr_iter_type) < 0) {
        return -1;
    }
    if (PyModule_AddObjectRef(module, "LucasIter", (PyObject *)&lr_iter_type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(module, lr_sequence_methods);
}
