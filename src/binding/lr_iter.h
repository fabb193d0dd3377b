/*
 * The LucasIter stepping state shared by iter.c (type, set-up, stepping) and iter_advance.c
 * (jumps).  Every function here expects the GIL; the ones that change the state expect the
 * iterator held (lr_iter_enter).
 */
#ifndef LR_ITER_H
#define LR_ITER_H

#include "lr_binding.h"
#include "lr_seq_kind.h"
#include "lr_sequence.h"

/* Terms the iterator computes ahead in one go (numeric kinds). */
#define LR_ITER_BLOCK 256

typedef struct {
    PyObject_HEAD lr_kind kind;
    Py_ssize_t k;
    PyObject *coefs; /* the coefficients as given (tuple), for repr and pickle */
    PyObject *init; /* the initial values as given (tuple) */
    PyObject *mod; /* Python int, or NULL */
    PyObject *origin; /* index of buf[0] (numeric) or of w[0] when lo == 0 (Python ints) */
    Py_ssize_t lo; /* the next term is buf[lo] (numeric) / w[0] at index origin + lo */
    /* numeric kinds: terms a[origin .. origin+filled) in buf */
    Py_ssize_t cap, filled;
    void *buf;
    void *cnum; /* k coefficients (int64, double, residues) + k kernel slots */
    lr_seq_mod_t mc;
    /* Python ints */
    PyObject **cobj; /* k coefficients (reduced mod m) */
    signed char *code;
    PyObject **w; /* a[pos .. pos+k-1] */
    int busy; /* an operation is running (set and cleared with the GIL held) */
    /* numeric kinds: the last two ints handed out, rewritten in place for the next term once
     * the caller has let go of them (see lr_iter_int in iter.c) */
    PyObject *ints[2];
    int turn; /* the slot to replace when the caller still holds both */
} lr_iter_t;

/* Hold the iterator for one operation (RuntimeError when unset or in use); 0 or -1. */
int lr_iter_enter(lr_iter_t *it);
void lr_iter_leave(lr_iter_t *it);

/* Restart from Python ints: coefficients c and window w at index origin; 0 or -1. */
int lr_iter_restart(lr_iter_t *it, lr_kind kind, PyObject *const *c, PyObject *const *w,
                    PyObject *origin);

/* Numeric kinds: make room and step the buffer; lo < filled afterwards unless int64 ran out. */
int lr_iter_refill(lr_iter_t *it);

/* The window a[pos .. pos+k-1] as k new references in dst; 0 or -1. */
int lr_iter_window(lr_iter_t *it, PyObject **dst);

/* The numeric coefficients (int64 or residues) as k Python ints in dst; 0 or -1. */
int lr_iter_coefs_obj(const lr_iter_t *it, PyObject **dst);

/* int64 ran out: continue over Python ints from the current window; 0 or -1. */
int lr_iter_to_obj(lr_iter_t *it);

/* The index of the next term (a new reference), or NULL. */
PyObject *lr_iter_position(lr_iter_t *it, void *closure);

/* iter_box.c: the numeric term buf[i] as a new Python int or float. */
PyObject *lr_iter_box(const lr_iter_t *it, Py_ssize_t i);

/* iter_box.c: next() of a numeric kind with lo < filled: buf[lo++] as a Python number, in
 * an int the caller has let go of when it can. */
PyObject *lr_iter_yield(lr_iter_t *it);

/* iter_box.c: drop the ints kept for reuse (dealloc). */
void lr_iter_box_clear(lr_iter_t *it);

/* iter_box.c: at import, switch the reuse on if this CPython's ints pass its test; 0 or -1. */
int lr_iter_box_check(void);

/* iter_advance.c: LucasIter.advance(n). */
PyObject *lr_iter_advance(lr_iter_t *it, PyObject *arg);

#endif /* LR_ITER_H */
