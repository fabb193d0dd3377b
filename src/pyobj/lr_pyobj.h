/*
 * lucas's Python-object layer: algorithms over Python number objects (exact ints today),
 * with Python.h but without NumPy.  The binding layer (src/binding) calls it from its object
 * loops, sequence() and LucasIter; it never calls up into the binding or the lucas package.
 *
 * Functions return a new reference (or 0/1) and NULL (or -1) with a Python exception set.
 */
#ifndef LR_PYOBJ_H
#define LR_PYOBJ_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>

/*
 * The one size cap of the object layer: no exact result or intermediate may pass this many
 * bits (2^28 bits = 32 MiB per integer; CPython's multiplication sets the pace far below
 * it).  Whatever would pass it raises OverflowError before the work starts, where the size
 * can be predicted, or as soon as an intermediate passes it.
 */
#define LR_OBJ_MAX_BITS ((int64_t)1 << 28)

#endif /* LR_PYOBJ_H */
