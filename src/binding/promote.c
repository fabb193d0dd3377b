/*
 * Python ints that do not fit int64: what the user obviously means.
 *
 * NumPy resolves a ufunc's loop from the operands' DTypes, and a Python int is a "weak"
 * operand whose DType does not depend on its value (NEP 50), so the resolution, cached per
 * DType tuple, picks the int64 loop for term_mod([1, 1], [0, 1], 10, 2**64 - 1) and the
 * conversion of 2**64 - 1 to int64 then fails ("Python int too large to convert to C long").
 * Neither a type resolver nor a promoter sees the value in time (the cache skips both), so
 * each lucas ufunc's call entry (its vectorcall slot, a public field of PyUFuncObject) is
 * wrapped: an int input outside int64 becomes a uint64 operand when it lies in [2**63, 2**64),
 * an object operand otherwise, and NumPy then picks the uint64 or the exact object loop.  A
 * list such as is_prime([2**61 - 1, 2**64 - 59]), which NumPy turns into float64 and no loop
 * takes, is converted the same way, only after NumPy rejected it (no cost on the usual path).
 * Every other call goes to NumPy's own entry untouched.
 */
#include "lr_binding.h"

#include "numpy/arrayobject.h"
#include "numpy/ufuncobject.h"

#include <string.h>

/* NumPy's call entry, the same for every ufunc; written once at module initialisation. */
static vectorcallfunc lr_numpy_ufunc_call;

/* How an int-valued input should reach NumPy. */
typedef enum { LR_FITS = 0, LR_AS_UINT64 = 1, LR_AS_OBJECT = 2 } lr_int_fit;

/* Range facts collected over one input (a Python int, or nested lists/tuples of them). */
typedef struct {
    int above_int64; /* some value in [2**63, 2**64) */
    int negative;
    int huge; /* some value >= 2**64 or < -2**63 */
} lr_int_range;

/* Python ints only (not bool, not NumPy scalars); 1 when obj is one, else 0; -1 on error. */
static int
lr_note_int(PyObject *obj, lr_int_range *r)
{
    if (!PyLong_Check(obj) || PyBool_Check(obj)) {
        return 0;
    }
    /* the usual case, a small int, without a conversion */
#if PY_VERSION_HEX >= 0x030C0000
    if (PyUnstable_Long_IsCompact((PyLongObject *)obj)) {
        r->negative |= PyUnstable_Long_CompactValue((PyLongObject *)obj) < 0;
        return 1;
    }
#else
    if (Py_SIZE(obj) >= -1 && Py_SIZE(obj) <= 2) { /* below 2**60 (or 2**30): fits int64 */
        r->negative |= Py_SIZE(obj) < 0;
        return 1;
    }
#endif
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow < 0) {
        r->huge = r->negative = 1;
    }
    else if (overflow > 0) {
        (void)PyLong_AsUnsignedLongLong(obj);
        if (PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
                return -1;
            }
            PyErr_Clear();
            r->huge = 1;
        }
        else {
            r->above_int64 = 1;
        }
    }
    else if (v < 0) {
        r->negative = 1;
    }
    return 1;
}

/* Lists/tuples (nested) of Python ints only: 1, else 0 (anything else inside); -1 on error. */
static int
lr_note_int_sequence(PyObject *obj, lr_int_range *r, int depth)
{
    if (!PyList_CheckExact(obj) && !PyTuple_CheckExact(obj)) {
        return lr_note_int(obj, r);
    }
    if (depth > NPY_MAXDIMS) {
        return 0;
    }
    /* a strong reference: the items of a list may change under us */
    PyObject *seq = PySequence_Fast(obj, "");
    if (seq == NULL) {
        return -1;
    }
    int all_ints = 1;
    for (Py_ssize_t i = 0; all_ints == 1 && i < PySequence_Fast_GET_SIZE(seq); i++) {
        all_ints = lr_note_int_sequence(PySequence_Fast_GET_ITEM(seq, i), r, depth + 1);
    }
    Py_DECREF(seq);
    return all_ints;
}

static lr_int_fit
lr_fit_of(const lr_int_range *r)
{
    if (r->huge || (r->above_int64 && r->negative)) {
        return LR_AS_OBJECT;
    }
    return r->above_int64 ? LR_AS_UINT64 : LR_FITS;
}

/* The fit of input obj; sequences too when deep is set.  -1 on error. */
static int
lr_input_fit(PyObject *obj, int deep)
{
    lr_int_range r = {0, 0, 0};
    int is_int = deep ? lr_note_int_sequence(obj, &r, 0) : lr_note_int(obj, &r);
    if (is_int < 0) {
        return -1;
    }
    return is_int ? (int)lr_fit_of(&r) : LR_FITS;
}

/*
 * Call NumPy with the inputs that need it converted (fits[i] != LR_FITS): a new argument
 * vector (inputs, other positionals, then keyword values), as vectorcall requires.
 */
static PyObject *
lr_call_converted(PyObject *uf, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  const int *fits, Py_ssize_t nin)
{
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject **conv = PyMem_Calloc((size_t)(nargs + nkw), sizeof(PyObject *));
    if (conv == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *res = NULL;
    for (Py_ssize_t i = 0; i < nargs + nkw; i++) {
        if (i < nin && fits[i] != LR_FITS) {
            int type = fits[i] == LR_AS_UINT64 ? NPY_UINT64 : NPY_OBJECT;
            conv[i] = PyArray_FromAny(args[i], PyArray_DescrFromType(type), 0, 0, 0, NULL);
            if (conv[i] == NULL) {
                goto done;
            }
        }
        else {
            conv[i] = Py_NewRef(args[i]);
        }
    }
    res = lr_numpy_ufunc_call(uf, conv, (size_t)nargs, kwnames);
done:
    for (Py_ssize_t i = 0; i < nargs + nkw; i++) {
        Py_XDECREF(conv[i]);
    }
    PyMem_Free(conv);
    return res;
}

/* The pending exception, set aside while the inputs are looked at, and put back. */
typedef struct {
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc;
#else
    PyObject *type, *value, *tb;
#endif
} lr_saved_error;

static void
lr_fetch_error(lr_saved_error *e)
{
#if PY_VERSION_HEX >= 0x030C0000
    e->exc = PyErr_GetRaisedException();
#else
    PyErr_Fetch(&e->type, &e->value, &e->tb);
#endif
}

/* Raise it again (restore) or drop it. */
static void
lr_end_error(lr_saved_error *e, int restore)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (restore) {
        PyErr_SetRaisedException(e->exc);
        return;
    }
    Py_XDECREF(e->exc);
#else
    if (restore) {
        PyErr_Restore(e->type, e->value, e->tb);
        return;
    }
    Py_XDECREF(e->type);
    Py_XDECREF(e->value);
    Py_XDECREF(e->tb);
#endif
}

/* Is obj a dask collection (its type defined in a dask module)?  Error path only. */
static int
lr_is_dask(PyObject *obj)
{
    PyObject *mod = PyObject_GetAttrString((PyObject *)Py_TYPE(obj), "__module__");
    if (mod == NULL) {
        PyErr_Clear();
        return 0;
    }
    const char *name = PyUnicode_Check(mod) ? PyUnicode_AsUTF8(mod) : NULL;
    int dask = name != NULL && strncmp(name, "dask.", 5) == 0;
    if (name == NULL) {
        PyErr_Clear();
    }
    Py_DECREF(mod);
    return dask;
}

/*
 * dask hands gufuncs to apply_gufunc, which guesses the output dtype by calling the loop on
 * zeros (a zero modulus is an error) and cannot take lists as core arguments; its own
 * messages do not say what to do.  When a call with a dask input fails with ValueError or
 * TypeError, say it first: lucas.dask works out output_dtypes from NumPy's type resolution.
 * Returns NULL (the exception stays set).
 */
static PyObject *
lr_hint_dask(PyObject *uf, PyObject *const *args, Py_ssize_t nin)
{
    if (!PyErr_ExceptionMatches(PyExc_ValueError) && !PyErr_ExceptionMatches(PyExc_TypeError)) {
        return NULL;
    }
    int dask = 0;
    for (Py_ssize_t i = 0; i < nin && !dask; i++) {
        dask = lr_is_dask(args[i]);
    }
    if (!dask) {
        return NULL;
    }
    const char *name = ((PyUFuncObject *)uf)->name;
    int term = strcmp(name, "term") == 0 || strcmp(name, "term_mod") == 0;
    lr_saved_error e;
    lr_fetch_error(&e);
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *type = Py_NewRef((PyObject *)Py_TYPE(e.exc)), *value = e.exc;
#else
    PyErr_NormalizeException(&e.type, &e.value, &e.tb);
    PyObject *type = Py_NewRef(e.type), *value = e.value;
#endif
    PyObject *text = value != NULL ? PyObject_Str(value) : NULL;
    if (text == NULL) {
        PyErr_Clear();
        text = PyUnicode_FromString("");
    }
    lr_end_error(&e, 0);
    char call[96];
    PyOS_snprintf(call, sizeof call,
                  term ? "lucas.dask.%s(...)" : "lucas.dask.apply(lucas.%s, ...)", name);
    if (text != NULL) {
        PyErr_Format(type,
                     "lucas.%s on dask arrays: call %s instead; it takes lists and arrays of "
                     "moduli and gives dask the output dtypes without running the loop on "
                     "zeros (or pass output_dtypes= to dask.array.apply_gufunc yourself). "
                     "dask said: %U",
                     name, call, text);
    }
    Py_DECREF(type);
    Py_XDECREF(text);
    return NULL;
}

/*
 * Did the caller fix types (dtype=, signature=, casting=) or give out (by keyword, or as a
 * positional argument after the inputs)?  Then NumPy alone decides, as for any ufunc: a
 * converted operand could otherwise be cast into the chosen types (an int64 out would take a
 * uint64 residue modulo 2**64).
 */
static int
lr_types_given(PyObject *kwnames)
{
    static const char *const names[] = {"dtype", "signature", "casting", "out", NULL};
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nkw; i++) {
        const char *kw = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, i));
        for (int j = 0; kw != NULL && names[j] != NULL; j++) {
            if (strcmp(kw, names[j]) == 0) {
                return 1;
            }
        }
        if (kw == NULL) {
            PyErr_Clear();
            return 1;
        }
    }
    return 0;
}

/* The ufuncs' call entry: NumPy's, with the big-int inputs converted first (see above). */
static PyObject *
lr_ufunc_call(PyObject *uf, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nin = ((PyUFuncObject *)uf)->nin;
    if (nin > nargs) {
        nin = nargs; /* NumPy reports the missing inputs */
    }
    int fits[NPY_MAXARGS] = {0};
    int convert = 0;
    if (lr_types_given(kwnames) || nargs > nin) {
        return lr_numpy_ufunc_call(uf, args, nargsf, kwnames);
    }
    for (Py_ssize_t i = 0; i < nin; i++) {
        if ((fits[i] = lr_input_fit(args[i], 0)) < 0) {
            return NULL;
        }
        convert |= fits[i];
    }
    if (convert) {
        return lr_call_converted(uf, args, nargs, kwnames, fits, nin);
    }
    PyObject *res = lr_numpy_ufunc_call(uf, args, nargsf, kwnames);
    if (res != NULL) {
        return res;
    }
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
        return lr_hint_dask(uf, args, nin);
    }
    /* No loop for these types: was it a list of big ints that NumPy made float64? */
    lr_saved_error numpy_error;
    lr_fetch_error(&numpy_error);
    for (Py_ssize_t i = 0; i < nin; i++) {
        if ((fits[i] = lr_input_fit(args[i], 1)) < 0) {
            PyErr_Clear(); /* report NumPy's error rather than ours */
            fits[i] = LR_FITS;
        }
        convert |= fits[i];
    }
    lr_end_error(&numpy_error, !convert);
    if (!convert) {
        return lr_hint_dask(uf, args, nin);
    }
    return lr_call_converted(uf, args, nargs, kwnames, fits, nin);
}

/* Wrap the call entry of one of the module's ufuncs (at initialisation); 0 or -1. */
int
lr_wrap_ufunc_call(PyUFuncObject *uf)
{
    if (uf->vectorcall == &lr_ufunc_call) {
        return 0; /* the module initialised again */
    }
    if (uf->vectorcall == NULL ||
        (lr_numpy_ufunc_call != NULL && uf->vectorcall != lr_numpy_ufunc_call)) {
        PyErr_SetString(PyExc_ImportError,
                        "lucas._core: this NumPy's ufuncs have an unexpected call entry");
        return -1;
    }
    if (lr_numpy_ufunc_call == NULL) {
        lr_numpy_ufunc_call = uf->vectorcall; /* once; read-only from then on */
    }
    uf->vectorcall = &lr_ufunc_call; /* a new ufunc, not yet visible to other threads */
    return 0;
}
