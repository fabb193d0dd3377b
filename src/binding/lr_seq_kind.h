/*
 * What sequence() and LucasIter compute in, shared by sequence.c and iter.c and exported to
 * lucas/_sequence.py as _core.KIND_* (it plans the kind; C only follows it).
 */
#ifndef LR_SEQ_KIND_H
#define LR_SEQ_KIND_H

#include "lr_binding.h"

typedef enum {
    LR_KIND_I64 = 0, /* exact int64 */
    LR_KIND_F64 = 1, /* float64 */
    LR_KIND_MOD = 2, /* residues below 2^64 (stored as uint64) */
    LR_KIND_OBJ = 3, /* Python ints, optionally modulo any m */
    LR_KIND_COUNT
} lr_kind;

/* Read the k numbers of a tuple as int64 / double / uint64 (types already validated). */
int lr_tuple_to_c(PyObject *tup, lr_kind kind, void *dst);

/* iter.c: the LucasIter stepping type (lucas.LucasIter subclasses it in Python). */
int lr_register_iter(PyObject *module);

#endif /* LR_SEQ_KIND_H */
