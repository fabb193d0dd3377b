/*
 * The extension's one copy of NumPy's C-API tables (PY_ARRAY_UNIQUE_SYMBOL and
 * PY_UFUNC_UNIQUE_SYMBOL in lr_binding.h): every other binding file uses them, this file
 * alone defines and fills them, so the module's init and the loops do not depend on each
 * other through a table.
 */
#define LR_MODULE_INIT
#include "lr_binding.h"

#include "numpy/arrayobject.h"
#include "numpy/ufuncobject.h"

int
lr_import_numpy(void)
{
    return (PyArray_ImportNumPyAPI() < 0 || PyUFunc_ImportUFuncAPI() < 0) ? -1 : 0;
}
