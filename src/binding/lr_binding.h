/*
 * Shared pieces of the binding layer: GIL handling for numeric loops and turning core status
 * codes into Python exceptions.  The object-dtype (exact Python int) algorithms are in
 * src/pyobj (lr_pyobj.h).
 */
#ifndef LR_BINDING_H
#define LR_BINDING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* One NumPy API table for the whole extension, filled in by module.c. */
#define PY_ARRAY_UNIQUE_SYMBOL lucas_ARRAY_API
#define PY_UFUNC_UNIQUE_SYMBOL lucas_UFUNC_API
#ifndef LR_MODULE_INIT
#define NO_IMPORT_ARRAY
#define NO_IMPORT_UFUNC
#endif

#include <string.h>

#include "lr_core.h"
#include "lr_pyobj.h"

/*
 * Numeric loops always run without the GIL: NumPy releases it only above a size threshold,
 * but one term at large k or n is heavy on its own, and dask runs many chunks in threads.
 */
typedef struct {
    PyThreadState *ts;
} lr_gil_t;

static inline void
lr_gil_release(lr_gil_t *g)
{
    g->ts = PyGILState_Check() ? PyEval_SaveThread() : NULL;
}

static inline void
lr_gil_restore(lr_gil_t *g)
{
    if (g->ts != NULL) {
        PyEval_RestoreThread(g->ts);
        g->ts = NULL;
    }
}

/*
 * A failed loop call stops the whole ufunc call.  NumPy calls a legacy loop again for every
 * remaining chunk after an error (and each new error would replace the first one), so every
 * loop starts with `if (lr_loop_failed_before()) return;`.  Failures are flagged per thread
 * (lr_raise_failure and friends call lr_loop_mark_failed), so the usual call costs one
 * thread-local read and never waits for the GIL; only after a failure is the pending
 * exception looked up (taking the GIL when the loop runs without it).
 */
void lr_loop_mark_failed(void);
int lr_loop_failed_before(void);
int lr_loop_flag_init(void); /* once, at module initialisation; 0 or -1 */

/*
 * OverflowError "lucas.<func>: <name> value <value> does not fit in int64 (<why>)" for a
 * uint64 input >= 2^63 where int64 is computed; takes the GIL, marks the loop failed.
 */
void lr_raise_input_overflow(const char *func, const char *name, uint64_t value, const char *why);

/*
 * What failed in a loop, kept until the loop can raise (with the GIL).  Fields after `what`
 * are optional context (zero / NULL: the defaults of term and term_mod), so positional
 * initialisers stay valid.
 */
typedef struct {
    lr_status status; /* LR_OK when nothing failed */
    lr_index_t n; /* the term index that failed */
    int64_t k;
    const char *what; /* extra context for the message, or NULL */
    const char *advice; /* replaces the default advice of overflow messages, or NULL */
    PyObject *n_obj; /* borrowed: the index when it is beyond lr_index_t, or NULL */
    const char *value; /* the value named, "U_n" -> "U_n for [P=.., Q=.., ]n=<n>"; NULL "a[n]" */
    int have_pq; /* name P and Q (the classic family) */
    int64_t P, Q;
    const char *why; /* the reason, replacing the status's default reason, or NULL */
    const char *value_pre; /* {value} is this text and the index ("A**" -> "A**-3"), or NULL */
    int square; /* k is the size of k x k matrices: {size} reads "a <k>x<k> matrix" */
} lr_failure_t;

/*
 * Raise the Python exception for a failed core call (errors.c: one table maps every status
 * to its exception type and message).  Takes the GIL itself, so it can be called from a
 * loop that runs without it; marks the loop failed.
 *   func:  public name ("term", "term_mod", "sequence", ...)
 *   dtype: result type name for overflow messages ("int64")
 *
 *   LR_ERR_OVERFLOW, LR_ERR_UNCERTIFIED  OverflowError
 *   LR_ERR_NOMEM                         MemoryError
 *   LR_ERR_BACKWARDS, LR_ERR_MODULUS,
 *   LR_ERR_ORDER                         ValueError
 *   anything else                        RuntimeError ("internal error")
 */
void lr_raise_failure(const char *func, const char *dtype, const lr_failure_t *f);

/* ---- object dtype: exact Python integers (algorithms in src/pyobj) ---------------------- */

/* a Python int from np.bool_ (not an index type in NumPy 2), else NULL without exception */
PyObject *lr_obj_from_npbool(PyObject *v);

/* Read a modulus of type l (int64) or Q (uint64); 0 when it is not positive (mtext then holds
 * it for the message).  Shared by the term_mod and matrix_power_mod loops. */
static inline uint64_t
lr_read_modulus(const char *p, char type, char *mtext, size_t mlen)
{
    if (type == 'l') {
        int64_t ms;
        memcpy(&ms, p, sizeof ms);
        if (ms <= 0) {
            snprintf(mtext, mlen, "%lld", (long long)ms);
            return 0;
        }
        return (uint64_t)ms;
    }
    uint64_t m;
    memcpy(&m, p, sizeof m);
    if (m == 0) {
        snprintf(mtext, mlen, "0");
    }
    return m;
}

/* Fill the NumPy C-API tables (numpy_api.c, the one file that defines them); 0 or -1. */
int lr_import_numpy(void);

/* Register the ufuncs of each family in module dict d; return 0 or -1. */
int lr_register_term_ufuncs(PyObject *module);
int lr_register_sequence(PyObject *module); /* sequence.c: sequence, LucasIter */
int lr_register_classic_ufuncs(PyObject *module); /* classic_ufunc.c: Lucas U/V, primality */
int lr_register_find(PyObject *module); /* find_binding.c: find_recurrence */
int lr_register_matpow_ufuncs(PyObject *module); /* matpow_ufunc.c: matrix_power(_mod) */

#endif /* LR_BINDING_H */
