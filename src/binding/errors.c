/*
 * The one place that turns a core status into a Python exception: one table row per
 * lr_status (exception type and message template), filled in from the caller's context (an
 * lr_failure_t), plus the per-thread "a loop failed" flag every loop checks first.
 */
#include "lr_binding.h"

#include <stdio.h>

/* ---- the loop failure flag (see lr_binding.h) ------------------------------------------- */

/*
 * Non-NULL in a thread whose last loop failure may still be pending (see lr_binding.h).
 * Thread-specific storage: each thread reads and writes only its own slot, so the flag needs
 * no GIL (free-threaded builds).  The key is created once, at module initialisation (under
 * the import lock; creating it again is a no-op).
 */
static Py_tss_t lr_failed_key = Py_tss_NEEDS_INIT;

int
lr_loop_flag_init(void)
{
    return PyThread_tss_create(&lr_failed_key) == 0 ? 0 : -1;
}

void
lr_loop_mark_failed(void)
{
    PyThread_tss_set(&lr_failed_key, &lr_failed_key);
}

int
lr_loop_failed_before(void)
{
    if (PyThread_tss_get(&lr_failed_key) == NULL) {
        return 0; /* the usual case: no loop failed in this thread since the last check */
    }
    const int held = PyGILState_Check();
    PyGILState_STATE gs = PyGILState_UNLOCKED;
    if (!held) {
        gs = PyGILState_Ensure();
    }
    const int pending = PyErr_Occurred() != NULL;
    if (!pending) {
        PyThread_tss_set(&lr_failed_key, NULL); /* that failure was raised and handled */
    }
    if (!held) {
        PyGILState_Release(gs);
    }
    return pending;
}

/* ---- status -> exception ------------------------------------------------------------------ */

/*
 * Message templates, after "lucas.<func>: ".  Placeholders:
 *   {value}   the value concerned: "a[<n>]", "<value> for [P=.., Q=.., ]n=<n>", or
 *             "<value_pre><n>" ("A**<n>"); the index is f->n_obj (a Python int of any size)
 *             when given, else f->n
 *   {size}    what k measures: "order k=<k>", or "a <k>x<k> matrix" (f->square)
 *   {dtype}   the result type ("int64")
 *   {k}       the order
 *   {reason}  f->why, else the row's default reason
 *   {advice}  f->advice, else the row's default advice
 *   {what}    ": <what>" when the failure carries extra text, else nothing
 *   {got}     ", got <what>" likewise
 *   {status}  the status number
 * For LR_ERR_UNCERTIFIED the extra text is the reason (f->what, when f->why is NULL).
 */
typedef enum { LR_EXC_RUNTIME, LR_EXC_OVERFLOW, LR_EXC_MEMORY, LR_EXC_VALUE } lr_exc_kind;

typedef struct {
    lr_exc_kind type;
    const char *message;
    const char *reason; /* default {reason} */
    const char *advice; /* default {advice} */
} lr_error_row;

/* By kind rather than by &PyExc_...: those are not address constants on every platform. */
static PyObject *
lr_exc_type(lr_exc_kind kind)
{
    switch (kind) {
        case LR_EXC_OVERFLOW:
            return PyExc_OverflowError;
        case LR_EXC_MEMORY:
            return PyExc_MemoryError;
        case LR_EXC_VALUE:
            return PyExc_ValueError;
        default:
            return PyExc_RuntimeError;
    }
}

static const lr_error_row lr_error_rows[] = {
    [LR_ERR_OVERFLOW] = {LR_EXC_OVERFLOW, "{value} does not fit in {dtype} ({advice})", NULL,
                         "use object arrays for exact big integers, or term_mod for residues"},
    [LR_ERR_UNCERTIFIED] = {LR_EXC_OVERFLOW,
                            "could not prove that {value} fits in {dtype} ({reason}); {advice}",
                            "its magnitude bound exceeds " LR_CERT_MAX_BITS,
                            "use object arrays for the exact value, or term_mod for residues"},
    [LR_ERR_NOMEM] = {LR_EXC_MEMORY, "cannot allocate the workspace for {size}", NULL, NULL},
    [LR_ERR_BACKWARDS] =
        {LR_EXC_VALUE, "{value} {reason}{what}",
         "is undefined: the recurrence cannot run backwards (c[0] must be 1 or -1 over the "
         "integers, invertible mod m, nonzero for floats)",
         NULL},
    [LR_ERR_MODULUS] = {LR_EXC_VALUE, "modulus m must be positive{got}", NULL, NULL},
    [LR_ERR_ORDER] = {LR_EXC_VALUE, "{size} is not supported ({reason})",
                      "need 1 <= k and a workspace size that fits in memory", NULL},
};

/* Anything else (LR_OK included: raising it is a bug). */
static const lr_error_row lr_error_internal = {LR_EXC_RUNTIME, "internal error {status}", NULL,
                                               NULL};

static const lr_error_row *
lr_error_row_of(lr_status st)
{
    const int nrows = (int)(sizeof lr_error_rows / sizeof lr_error_rows[0]);
    if ((int)st > 0 && (int)st < nrows && lr_error_rows[st].message != NULL) {
        return &lr_error_rows[st];
    }
    return &lr_error_internal;
}

/* A growing message buffer (PyMem; the GIL is held). */
typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} lr_text;

static void
lr_text_add(lr_text *t, const char *s, size_t n)
{
    if (t->failed) {
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = 2 * (t->len + n + 1) + 64;
        char *nb = PyMem_Realloc(t->buf, cap);
        if (nb == NULL) {
            t->failed = 1;
            return;
        }
        t->buf = nb;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void
lr_text_str(lr_text *t, const char *s)
{
    lr_text_add(t, s, strlen(s));
}

/* The index: the Python int f->n_obj when given (any size), else f->n. */
static void
lr_text_index(lr_text *t, const lr_failure_t *f)
{
    if (f->n_obj != NULL) {
        PyObject *s = PyObject_Str(f->n_obj);
        Py_ssize_t n = 0;
        const char *u = s != NULL ? PyUnicode_AsUTF8AndSize(s, &n) : NULL;
        if (u == NULL) {
            PyErr_Clear(); /* the message still names the failure, without its index */
            u = "?";
            n = 1;
        }
        lr_text_add(t, u, (size_t)n);
        Py_XDECREF(s);
        return;
    }
    char idx[32];
    snprintf(idx, sizeof idx, "%s%llu", f->n.neg ? "-" : "", (unsigned long long)f->n.mag);
    lr_text_str(t, idx);
}

static void
lr_text_expand(lr_text *t, const char *tpl, const char *dtype, const lr_failure_t *f,
               const lr_error_row *row)
{
    char num[64];
    while (*tpl != '\0') {
        const char *open = strchr(tpl, '{');
        if (open == NULL) {
            lr_text_str(t, tpl);
            return;
        }
        lr_text_add(t, tpl, (size_t)(open - tpl));
        const char *close = strchr(open, '}');
        if (close == NULL) {
            lr_text_str(t, open); /* not a placeholder */
            return;
        }
        const size_t n = (size_t)(close - open - 1);
        const char *name = open + 1;
        tpl = close + 1;
#define LR_IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
        if (LR_IS("value")) {
            if (f->value_pre != NULL) {
                lr_text_str(t, f->value_pre);
                lr_text_index(t, f);
            }
            else if (f->value == NULL) {
                lr_text_str(t, "a[");
                lr_text_index(t, f);
                lr_text_str(t, "]");
            }
            else {
                lr_text_str(t, f->value);
                lr_text_str(t, " for ");
                if (f->have_pq) {
                    snprintf(num, sizeof num, "P=%lld, Q=%lld, ", (long long)f->P, (long long)f->Q);
                    lr_text_str(t, num);
                }
                lr_text_str(t, "n=");
                lr_text_index(t, f);
            }
        }
        else if (LR_IS("dtype")) {
            lr_text_str(t, dtype != NULL ? dtype : "");
        }
        else if (LR_IS("k")) {
            snprintf(num, sizeof num, "%lld", (long long)f->k);
            lr_text_str(t, num);
        }
        else if (LR_IS("size")) {
            if (f->square) {
                snprintf(num, sizeof num, "a %lldx%lld matrix", (long long)f->k, (long long)f->k);
            }
            else {
                snprintf(num, sizeof num, "order k=%lld", (long long)f->k);
            }
            lr_text_str(t, num);
        }
        else if (LR_IS("reason")) {
            const char *why = f->why;
            if (why == NULL && f->status == LR_ERR_UNCERTIFIED) {
                why = f->what;
            }
            lr_text_str(t, why != NULL ? why : (row->reason != NULL ? row->reason : ""));
        }
        else if (LR_IS("advice")) {
            lr_text_str(t,
                        f->advice != NULL ? f->advice : (row->advice != NULL ? row->advice : ""));
        }
        else if (LR_IS("what") || LR_IS("got")) {
            if (f->what != NULL) {
                lr_text_str(t, LR_IS("what") ? ": " : ", got ");
                lr_text_str(t, f->what);
            }
        }
        else if (LR_IS("status")) {
            snprintf(num, sizeof num, "%d", (int)f->status);
            lr_text_str(t, num);
        }
#undef LR_IS
    }
}

void
lr_raise_failure(const char *func, const char *dtype, const lr_failure_t *f)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    lr_loop_mark_failed();
    const lr_error_row *row = lr_error_row_of(f->status);
    lr_text t = {NULL, 0, 0, 0};
    lr_text_str(&t, "lucas.");
    lr_text_str(&t, func);
    lr_text_str(&t, ": ");
    lr_text_expand(&t, row->message, dtype, f, row);
    if (t.failed) {
        PyErr_NoMemory();
    }
    else {
        PyErr_SetString(lr_exc_type(row->type), t.buf);
    }
    PyMem_Free(t.buf);
    PyGILState_Release(gs);
}

void
lr_raise_input_overflow(const char *func, const char *name, uint64_t value, const char *why)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    lr_loop_mark_failed();
    PyErr_Format(PyExc_OverflowError, "lucas.%s: %s value %llu does not fit in int64 (%s)", func,
                 name, (unsigned long long)value, why);
    PyGILState_Release(gs);
}
