/*
 * Exact matrix powers over Python ints, or over any ring with the elements' own operators
 * (see lr_pyobj_matpow.h): binary powering from the low bit, every product reduced mod m when
 * there is a modulus.  Negative exponents invert A first: over the integers by fraction-free
 * Gauss-Jordan elimination, mod m by Euclidean row reduction (pivots need not be units until
 * their column is reduced to one entry), over other rings by Gauss-Jordan with true division.
 *
 * A matrix here is an array of owned references, row-major; NULL entries only while one is
 * being built (lr_mo_free skips them).
 */
#include "lr_pyobj_matpow.h"
#include "lr_pyobj_int.h"
#include "lr_pyobj_ring.h"

#include <math.h>

/* ---- matrices of owned references ------------------------------------------------------ */

/* rows x cols NULL entries, or NULL with MemoryError */
static PyObject **
lr_mo_new(Py_ssize_t rows, Py_ssize_t cols)
{
    if (rows > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(PyObject *) / cols) {
        PyErr_NoMemory();
        return NULL;
    }
    PyObject **w = PyMem_Calloc((size_t)(rows * cols), sizeof *w);
    if (w == NULL) {
        PyErr_NoMemory();
    }
    return w;
}

static void
lr_mo_free(PyObject **w, Py_ssize_t count)
{
    if (w == NULL) {
        return;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_XDECREF(w[i]);
    }
    PyMem_Free(w);
}

/* A copy sharing the (immutable) entries. */
static PyObject **
lr_mo_copy(Py_ssize_t count, PyObject *const *a)
{
    PyObject **c = lr_mo_new(count, 1);
    for (Py_ssize_t i = 0; c != NULL && i < count; i++) {
        c[i] = Py_NewRef(a[i]);
    }
    return c;
}

/* The k x k identity with the given zero and one (new references each). */
static PyObject **
lr_mo_identity(Py_ssize_t k, PyObject *zero, PyObject *one)
{
    PyObject **r = lr_mo_new(k, k);
    for (Py_ssize_t i = 0; r != NULL && i < k * k; i++) {
        r[i] = Py_NewRef(i % (k + 1) == 0 ? one : zero);
    }
    return r;
}

/* c = a b for k x k matrices, reduced mod m unless m is NULL; a new matrix or NULL. */
static PyObject **
lr_mo_mul(Py_ssize_t k, PyObject *const *a, PyObject *const *b, PyObject *m)
{
    PyObject **c = lr_mo_new(k, k);
    if (c == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        if (PyErr_CheckSignals() < 0) { /* one row of big products can take long */
            goto fail;
        }
        for (Py_ssize_t j = 0; j < k; j++) {
            PyObject *acc = PyNumber_Multiply(a[i * k], b[j]);
            for (Py_ssize_t t = 1; acc != NULL && t < k; t++) {
                PyObject *p = PyNumber_Multiply(a[i * k + t], b[t * k + j]);
                PyObject *s = p != NULL ? PyNumber_Add(acc, p) : NULL;
                Py_XDECREF(p);
                Py_DECREF(acc);
                acc = s;
            }
            acc = m != NULL ? lr_o_mod_s(acc, m) : acc;
            if (acc == NULL) {
                goto fail;
            }
            c[i * k + j] = acc;
        }
    }
    return c;
fail:
    lr_mo_free(c, k * k);
    return NULL;
}

/* Replace *x by (*x - f * y) mod m: 0, or -1 with an exception. */
static int
lr_mo_sub_mul_mod(PyObject **x, PyObject *f, PyObject *y, PyObject *m)
{
    PyObject *r = lr_o_mod_s(lr_o_sub_ss(Py_NewRef(*x), PyNumber_Multiply(f, y)), m);
    if (r == NULL) {
        return -1;
    }
    Py_SETREF(*x, r);
    return 0;
}

/* Swap rows i and j of a matrix with cols columns. */
static void
lr_mo_swap_rows(PyObject **w, Py_ssize_t cols, Py_ssize_t i, Py_ssize_t j)
{
    for (Py_ssize_t c = 0; i != j && c < cols; c++) {
        PyObject *t = w[i * cols + c];
        w[i * cols + c] = w[j * cols + c];
        w[j * cols + c] = t;
    }
}

/* [A | I] as k rows of 2k entries. */
static PyObject **
lr_mo_augment(Py_ssize_t k, PyObject *const *a)
{
    PyObject **w = lr_mo_new(k, 2 * k);
    for (Py_ssize_t i = 0; w != NULL && i < k; i++) {
        for (Py_ssize_t j = 0; j < k; j++) {
            w[i * 2 * k + j] = Py_NewRef(a[i * k + j]);
            w[i * 2 * k + k + j] = lr_o_int(i == j);
            if (w[i * 2 * k + k + j] == NULL) {
                lr_mo_free(w, 2 * k * k);
                return NULL;
            }
        }
    }
    return w;
}

/* The largest bit length of the entries, or -1 with an exception. */
static long long
lr_mo_bits(Py_ssize_t count, PyObject *const *a)
{
    long long best = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        long long b = lr_o_bit_length(a[i]);
        if (b < 0) {
            return -1;
        }
        best = b > best ? b : best;
    }
    return best;
}

/* ---- A^e ---------------------------------------------------------------------------------- */

/*
 * The early size refusal.  Once the squares' size doubles with every squaring (growth
 * exponential in n, not polynomial), the result has about b * (e >> j) bits, b the size of
 * A^(2^j).  Returns 0, or -1 with OverflowError when that passes LR_OBJ_MAX_BITS.
 */
static int
lr_mo_refuse_growth(const char *func, long long b, PyObject *e, long long j)
{
    PyObject *jo = PyLong_FromLongLong(j), *bo = PyLong_FromLongLong(b), *est = NULL;
    PyObject *cap = PyLong_FromLongLong(LR_OBJ_MAX_BITS);
    if (jo != NULL && bo != NULL && cap != NULL) {
        PyObject *high = PyNumber_Rshift(e, jo);
        est = high != NULL ? PyNumber_Multiply(bo, high) : NULL;
        Py_XDECREF(high);
    }
    int over = est != NULL ? PyObject_RichCompareBool(est, cap, Py_GT) : -1;
    if (over == 1) {
        int cap_log2 = 0;
        while (((int64_t)1 << cap_log2) < LR_OBJ_MAX_BITS) {
            cap_log2++;
        }
        long long eb = lr_o_bit_length(est);
        if (eb >= 0) {
            PyErr_Format(PyExc_OverflowError,
                         "lucas.%s: the exact power would have about 2**%lld bits per entry, "
                         "more than the 2**%d lucas computes (use matrix_power_mod for residues)",
                         func, eb - 1, cap_log2);
        }
    }
    Py_XDECREF(jo);
    Py_XDECREF(bo);
    Py_XDECREF(cap);
    Py_XDECREF(est);
    return over == 0 ? 0 : -1;
}

/* A^e for a Python int e >= 0, mod m unless m is NULL (then A's entries are residues).
 * grow: watch the size of integer entries (lr_mo_refuse_growth); zero, one: the ring's. */
static PyObject **
lr_mo_power(const char *func, Py_ssize_t k, PyObject *const *a0, PyObject *e, PyObject *m, int grow,
            PyObject *zero, PyObject *one)
{
    const Py_ssize_t kk = k * k;
    PyObject **a = lr_mo_copy(kk, a0), **r = NULL, **t;
    PyObject *bytes = lr_o_index_bytes(e);
    const long long nbits = lr_o_bit_length(e);
    long long prev = grow && a != NULL ? lr_mo_bits(kk, a) : 0;
    long long dprev = 0;
    int kbits = 0, dprev_settled = 0;
    while (((Py_ssize_t)1 << kbits) <= k) {
        kbits++;
    }
    if (a == NULL || bytes == NULL || nbits < 0 || prev < 0) {
        goto fail;
    }
    const unsigned char *bits = (const unsigned char *)PyBytes_AS_STRING(bytes);
    const Py_ssize_t nbytes = PyBytes_GET_SIZE(bytes);
    for (long long j = 0; j < nbits; j++) {
        if (PyErr_CheckSignals() < 0) {
            goto fail;
        }
        if (grow) {
            const long long b = lr_mo_bits(kk, a);
            if (b < 0) {
                goto fail;
            }
            /* from 2^(j-1) >= k - 1 on, polynomial growth adds at most about k - 1 bits per
             * squaring; exponential growth doubles the size (b >= 2 prev) or, with an offset,
             * the increment d (the estimate is then d * (e >> (j - 1))) */
            const int settled = j > 0 && (j > 40 || ((long long)1 << (j - 1)) >= k - 1);
            const long long d = b - prev, slack = 4 * (long long)kbits + k + 4;
            if ((settled && b > 64 && b >= 2 * prev - 1 - kbits &&
                 lr_mo_refuse_growth(func, b, e, j) < 0) ||
                (settled && j > 1 && dprev_settled && d > 64 && d >= 2 * dprev - slack &&
                 lr_mo_refuse_growth(func, d, e, j - 1) < 0) ||
                (b > LR_OBJ_MAX_BITS && lr_mo_refuse_growth(func, b, e, j) < 0)) {
                goto fail;
            }
            dprev_settled = settled;
            dprev = d;
            prev = b;
        }
        if ((bits[nbytes - 1 - j / 8] >> (j % 8)) & 1) {
            /* the first factor needs no product with the identity */
            t = r == NULL ? lr_mo_copy(kk, a) : lr_mo_mul(k, r, a, m);
            if (t == NULL) {
                goto fail;
            }
            lr_mo_free(r, kk);
            r = t;
        }
        if (j + 1 < nbits) {
            t = lr_mo_mul(k, a, a, m);
            if (t == NULL) {
                goto fail;
            }
            lr_mo_free(a, kk);
            a = t;
        }
    }
    if (r == NULL) {
        r = lr_mo_identity(k, zero, one); /* e == 0 */
    }
    lr_mo_free(a, kk);
    Py_DECREF(bytes);
    return r;
fail:
    lr_mo_free(a, kk);
    lr_mo_free(r, kk);
    Py_XDECREF(bytes);
    return NULL;
}

/* ---- A^-1 --------------------------------------------------------------------------------- */

/*
 * The inverse of an integer matrix with det(A) = +-1 (ValueError otherwise; n, the negative
 * exponent, is named in the message).  Fraction-free Gauss-Jordan (Bareiss) on [A | I]:
 * every intermediate is a minor of [A | I], so the entries stay as small as det and adj(A),
 * and the elimination ends at [d I | d A^-1] with d = +-det(A).
 */
static PyObject **
lr_mo_inverse_int(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n)
{
    const Py_ssize_t cols = 2 * k;
    PyObject **w = lr_mo_augment(k, a), **inv = NULL;
    PyObject *prev = lr_o_int(1);
    int unit = 0;
    if (w == NULL || prev == NULL) {
        goto done;
    }
    for (Py_ssize_t c = 0; c < k; c++) {
        if (PyErr_CheckSignals() < 0) {
            goto done;
        }
        Py_ssize_t piv = c;
        for (; piv < k; piv++) {
            int z = lr_o_eq_small(w[piv * cols + c], 0);
            if (z < 0) {
                goto done;
            }
            if (!z) {
                break;
            }
        }
        if (piv == k) {
            goto refuse; /* singular */
        }
        lr_mo_swap_rows(w, cols, c, piv);
        PyObject *p = w[c * cols + c];
        for (Py_ssize_t i = 0; i < k; i++) {
            if (i == c) {
                continue;
            }
            PyObject *f = Py_NewRef(w[i * cols + c]);
            for (Py_ssize_t j = 0; j < cols; j++) {
                /* (p w[i][j] - f w[c][j]) / prev, an exact division */
                PyObject *x = lr_o_sub_ss(PyNumber_Multiply(p, w[i * cols + j]),
                                          PyNumber_Multiply(f, w[c * cols + j]));
                PyObject *q = x != NULL ? PyNumber_FloorDivide(x, prev) : NULL;
                Py_XDECREF(x);
                if (q == NULL) {
                    Py_DECREF(f);
                    goto done;
                }
                Py_SETREF(w[i * cols + j], q);
            }
            Py_DECREF(f);
        }
        Py_SETREF(prev, Py_NewRef(p));
    }
    PyObject *d = w[0];
    int plus = lr_o_eq_small(d, 1), minus = plus == 0 ? lr_o_eq_small(d, -1) : 0;
    if (plus < 0 || minus < 0) {
        goto done;
    }
    unit = plus || minus;
    if (!unit) {
        goto refuse;
    }
    /* A^-1 = X / d = X d for d = +-1 */
    inv = lr_mo_new(k, k);
    for (Py_ssize_t i = 0; inv != NULL && i < k * k; i++) {
        inv[i] = PyNumber_Multiply(w[(i / k) * cols + k + i % k], d);
        if (inv[i] == NULL) {
            lr_mo_free(inv, k * k);
            inv = NULL;
        }
    }
    goto done;
refuse:
    PyErr_Format(PyExc_ValueError,
                 "lucas.%s: A**%S needs the inverse of A, but det(A) is not +1 or -1, so A "
                 "has no integer inverse",
                 func, n);
done:
    lr_mo_free(w, cols * k);
    Py_XDECREF(prev);
    return inv;
}

/* ValueError "A**n needs the inverse of A, but A is singular ..." (modulo m unless m is
 * NULL).  Mod m it replaces only the ValueError of pow(x, -1, m) ("base is not invertible");
 * any other pending exception stays. */
static void
lr_mo_refuse_inverse(const char *func, PyObject *n, PyObject *m)
{
    if (m == NULL) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: A**%S needs the inverse of A, but A is singular (a column has "
                     "no nonzero pivot)",
                     func, n);
        return;
    }
    if (PyErr_ExceptionMatches(PyExc_ValueError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: A**%S needs the inverse of A, but A is singular modulo m=%S "
                     "(det(A) is not a unit mod m)",
                     func, n, m);
    }
}

/*
 * Reduce column j of rows j.. of w to one nonzero entry, in row j, by Euclid's algorithm on
 * the rows (the smallest entry becomes the pivot, the others its remainders).  0 or -1.
 */
static int
lr_mo_euclid_column(PyObject **w, Py_ssize_t k, Py_ssize_t j, PyObject *m)
{
    const Py_ssize_t cols = 2 * k;
    for (;;) {
        Py_ssize_t count = 0, best = -1;
        for (Py_ssize_t i = j; i < k; i++) {
            int z = lr_o_eq_small(w[i * cols + j], 0), lt = 0;
            if (z < 0) {
                return -1;
            }
            if (z) {
                continue;
            }
            count++;
            if (best >= 0) {
                lt = PyObject_RichCompareBool(w[i * cols + j], w[best * cols + j], Py_LT);
                if (lt < 0) {
                    return -1;
                }
            }
            best = best < 0 || lt ? i : best;
        }
        if (count == 0) {
            return 0;
        }
        lr_mo_swap_rows(w, cols, j, best);
        if (count == 1) {
            return 0;
        }
        for (Py_ssize_t i = j + 1; i < k; i++) {
            PyObject *q = PyNumber_FloorDivide(w[i * cols + j], w[j * cols + j]);
            int z = q != NULL ? lr_o_eq_small(q, 0) : -1;
            for (Py_ssize_t c = 0; z == 0 && c < cols; c++) {
                z = lr_mo_sub_mul_mod(&w[i * cols + c], q, w[j * cols + c], m);
            }
            Py_XDECREF(q);
            if (z < 0) {
                return -1;
            }
        }
    }
}

/* The inverse of A (residues) mod m >= 1; ValueError naming n when det(A) is no unit. */
static PyObject **
lr_mo_inverse_mod(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n, PyObject *m)
{
    const Py_ssize_t cols = 2 * k;
    int m_is_one = lr_o_eq_small(m, 1);
    if (m_is_one != 0) {
        return m_is_one < 0 ? NULL : lr_mo_copy(k * k, a); /* residues mod 1: all zero */
    }
    PyObject **w = lr_mo_augment(k, a), **inv = NULL;
    PyObject *minus_one = lr_o_int(-1);
    if (w == NULL || minus_one == NULL) {
        goto done;
    }
    for (Py_ssize_t j = 0; j < k; j++) {
        if (PyErr_CheckSignals() < 0 || lr_mo_euclid_column(w, k, j, m) < 0) {
            goto done;
        }
        PyObject *pinv = PyNumber_Power(w[j * cols + j], minus_one, m);
        if (pinv == NULL) {
            lr_mo_refuse_inverse(func, n, m);
            goto done;
        }
        int rc = 0;
        for (Py_ssize_t c = 0; rc == 0 && c < cols; c++) {
            PyObject *x = lr_o_mod_s(PyNumber_Multiply(w[j * cols + c], pinv), m);
            rc = x != NULL ? 0 : -1;
            if (x != NULL) {
                Py_SETREF(w[j * cols + c], x);
            }
        }
        Py_DECREF(pinv);
        for (Py_ssize_t i = 0; rc == 0 && i < k; i++) {
            if (i == j) {
                continue;
            }
            PyObject *f = Py_NewRef(w[i * cols + j]);
            int z = lr_o_eq_small(f, 0);
            rc = z < 0 ? -1 : 0;
            for (Py_ssize_t c = 0; z == 0 && rc == 0 && c < cols; c++) {
                rc = lr_mo_sub_mul_mod(&w[i * cols + c], f, w[j * cols + c], m);
            }
            Py_DECREF(f);
        }
        if (rc < 0) {
            goto done;
        }
    }
    inv = lr_mo_new(k, k);
    for (Py_ssize_t i = 0; inv != NULL && i < k * k; i++) {
        inv[i] = Py_NewRef(w[(i / k) * cols + k + i % k]);
    }
done:
    lr_mo_free(w, cols * k);
    Py_XDECREF(minus_one);
    return inv;
}

/* ---- any other ring: elements kept as given ---------------------------------------------- */

/*
 * The pivot row for column j of the k x 2k matrix w: the first entry at or below the diagonal
 * that is a unit (lr_ring_reciprocal: nmod modulo a composite has nonzero non-units), or the
 * largest nonzero in absolute value when the column holds floats and complexes only (partial
 * pivoting).  Returns the row, k when there is none (*refused: the first nonzero non-unit's
 * row, or k), or -1 with an exception.
 */
static Py_ssize_t
lr_mo_pivot(PyObject *const *w, Py_ssize_t k, Py_ssize_t j, PyObject *zero, PyObject *one,
            Py_ssize_t *refused)
{
    const Py_ssize_t cols = 2 * k;
    int inexact = 1;
    for (Py_ssize_t i = j; i < k; i++) {
        PyObject *x = w[i * cols + j];
        inexact = inexact && (PyFloat_Check(x) || PyComplex_Check(x));
    }
    Py_ssize_t best = k;
    double best_abs = 0.0;
    *refused = k;
    for (Py_ssize_t i = j; i < k; i++) {
        PyObject *x = w[i * cols + j], *q;
        const int nz = PyObject_RichCompareBool(x, zero, Py_NE);
        if (nz <= 0) {
            if (nz < 0) {
                return -1;
            }
            continue;
        }
        if (!inexact) {
            const int rc = lr_ring_reciprocal(x, zero, one, &q);
            Py_XDECREF(q);
            if (rc == 0 || rc == -1) {
                return rc == 0 ? i : -1;
            }
            *refused = *refused < k ? *refused : i;
            continue;
        }
        const double ax = PyFloat_Check(x)
                              ? fabs(PyFloat_AS_DOUBLE(x))
                              : hypot(PyComplex_RealAsDouble(x), PyComplex_ImagAsDouble(x));
        if (best == k || ax > best_abs) {
            best = i;
            best_abs = ax;
        }
    }
    return best;
}

/* ValueError: no pivot of column j is a unit, p the first nonzero (as term refuses c[0]:
 * nmod modulo a composite, or a ring that is no field). */
static void
lr_mo_refuse_pivot(const char *func, PyObject *n, PyObject *p, PyObject *zero, PyObject *one)
{
    PyObject *q;
    const int rc = lr_ring_reciprocal(p, zero, one, &q);
    if (rc == -3) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: A**%S needs the inverse of A, but 1 / %R leaves the ring of the "
                     "entries (gives %.100s: not a field)",
                     func, n, p, Py_TYPE(q)->tp_name);
    }
    else if (rc != -1) {
        PyErr_Format(PyExc_ValueError,
                     "lucas.%s: A**%S needs the inverse of A, but no pivot is invertible "
                     "(the first nonzero is %R)",
                     func, n, p);
    }
    Py_XDECREF(q);
}

/* The inverse of A over a field by Gauss-Jordan on [A | I] with true division;
 * ValueError naming n when a column has no nonzero pivot. */
static PyObject **
lr_mo_inverse_field(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n, PyObject *zero,
                    PyObject *one)
{
    const Py_ssize_t cols = 2 * k;
    PyObject **w = lr_mo_new(k, cols), **inv = NULL;
    for (Py_ssize_t i = 0; w != NULL && i < k * cols; i++) {
        const Py_ssize_t r = i / cols, c = i % cols;
        w[i] = Py_NewRef(c < k ? a[r * k + c] : (c - k == r ? one : zero));
    }
    for (Py_ssize_t j = 0; w != NULL && j < k; j++) {
        Py_ssize_t refused = k;
        const Py_ssize_t piv =
            PyErr_CheckSignals() < 0 ? -1 : lr_mo_pivot(w, k, j, zero, one, &refused);
        if (piv == k && refused < k) {
            lr_mo_refuse_pivot(func, n, w[refused * cols + j], zero, one);
        }
        else if (piv == k) {
            lr_mo_refuse_inverse(func, n, NULL);
        }
        if (piv < 0 || piv == k) {
            goto done;
        }
        lr_mo_swap_rows(w, cols, j, piv);
        PyObject *p = Py_NewRef(w[j * cols + j]);
        int rc = 0;
        for (Py_ssize_t c = 0; rc == 0 && c < cols; c++) {
            PyObject *x = PyNumber_TrueDivide(w[j * cols + c], p);
            rc = x != NULL ? 0 : -1;
            if (x != NULL) {
                Py_SETREF(w[j * cols + c], x);
            }
        }
        Py_DECREF(p);
        for (Py_ssize_t i = 0; rc == 0 && i < k; i++) {
            PyObject *f = i != j ? Py_NewRef(w[i * cols + j]) : NULL;
            for (Py_ssize_t c = 0; f != NULL && rc == 0 && c < cols; c++) {
                PyObject *x =
                    lr_o_sub_ss(Py_NewRef(w[i * cols + c]), PyNumber_Multiply(f, w[j * cols + c]));
                rc = x != NULL ? 0 : -1;
                if (x != NULL) {
                    Py_SETREF(w[i * cols + c], x);
                }
            }
            Py_XDECREF(f);
        }
        if (rc < 0) {
            goto done;
        }
    }
    inv = w != NULL ? lr_mo_new(k, k) : NULL;
    for (Py_ssize_t i = 0; inv != NULL && i < k * k; i++) {
        inv[i] = Py_NewRef(w[(i / k) * cols + k + i % k]);
    }
done:
    lr_mo_free(w, cols * k);
    return inv;
}

/* The inverse of A over an integer type of its own (mpz, fmpz: every entry has __index__):
 * the exact integer inverse (det(A) = +-1, lr_mo_inverse_int), entries back in the ring as
 * zero + x. */
static PyObject **
lr_mo_inverse_index_ring(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n,
                         PyObject *zero)
{
    const Py_ssize_t kk = k * k;
    PyObject **x = lr_mo_new(k, k), **inv = NULL;
    for (Py_ssize_t i = 0; x != NULL && i < kk; i++) {
        x[i] = PyNumber_Index(a[i]);
        if (x[i] == NULL) {
            goto done;
        }
    }
    inv = x != NULL ? lr_mo_inverse_int(func, k, x, n) : NULL;
    for (Py_ssize_t i = 0; inv != NULL && i < kk; i++) {
        Py_SETREF(inv[i], PyNumber_Add(zero, inv[i]));
        if (inv[i] == NULL) {
            lr_mo_free(inv, kk);
            inv = NULL;
        }
    }
done:
    lr_mo_free(x, kk);
    return inv;
}

/* ---- entry point -------------------------------------------------------------------------- */

/* v as an exact int (lr_obj_integer), with "<what> must be integers, got <type>" for a
 * TypeError. */
static PyObject *
lr_mo_as_int(const char *func, const char *what, PyObject *v)
{
    PyObject *x = lr_obj_integer(v);
    if (x == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyObject *name = PyObject_GetAttrString((PyObject *)Py_TYPE(v), "__name__");
        if (name != NULL) {
            PyErr_Format(PyExc_TypeError, "lucas.%s: %s must be integers, got %S", func, what,
                         name);
            Py_DECREF(name);
        }
    }
    return x;
}

int
lr_obj_matpow(const char *func, Py_ssize_t k, PyObject *const *a, PyObject *n, PyObject *m,
              PyObject **out)
{
    const Py_ssize_t kk = k * k;
    PyObject **x = lr_mo_new(k, k), **inv = NULL, **res = NULL;
    PyObject *e = NULL, *mod = NULL, *zero = NULL, *one = NULL;
    int ring = 0; /* some entry is a ring element */
    if (x == NULL) {
        return -1;
    }
    /* in the order of the Python semantics: entries, exponent, modulus; each entry read as
     * term reads its elements (lr_pyobj_ring.h), residues mod m as integers */
    for (Py_ssize_t i = 0; i < kk; i++) {
        const int kind = lr_obj_classify_as(a[i], m != NULL ? LR_ELEM_RESIDUE : LR_ELEM_RING);
        const int bad = kind == -1 || (kind == 1 && m != NULL);
        if (bad) {
            PyErr_Format(PyExc_TypeError, "lucas.%s: matrix entries must be integers%s, got %.100s",
                         func,
                         m != NULL ? " (residues mod m)"
                                   : " or numbers of one ring with +, - and * (Fraction, "
                                     "float, mpz, ...)",
                         Py_TYPE(a[i])->tp_name);
        }
        ring = ring || kind == 1;
        x[i] = bad || kind < 0 ? NULL
               : kind == 1     ? Py_NewRef(a[i])
                               : lr_mo_as_int(func, "matrix entries", a[i]);
        if (x[i] == NULL) {
            goto done;
        }
    }
    e = lr_mo_as_int(func, "the exponent n", n);
    if (e == NULL) {
        goto done;
    }
    if (m != NULL) {
        mod = lr_mo_as_int(func, "the modulus m", m);
        int sign = mod != NULL ? lr_o_sign(mod) : -2;
        if (sign == -2) {
            goto done;
        }
        if (sign <= 0) {
            PyErr_Format(PyExc_ValueError, "lucas.%s: modulus m must be positive, got %S", func,
                         mod);
            goto done;
        }
        for (Py_ssize_t i = 0; i < kk; i++) {
            x[i] = lr_o_mod_s(x[i], mod);
            if (x[i] == NULL) {
                goto done;
            }
        }
    }
    if (ring ? lr_ring_units(kk, x, NULL, 0, &zero, &one) < 0
             : (zero = lr_o_int(0)) == NULL ||
                   (one = lr_o_int(mod == NULL || lr_o_eq_small(mod, 1) == 0)) == NULL) {
        goto done;
    }
    int esign = lr_o_sign(e);
    if (esign == -2) {
        goto done;
    }
    if (esign < 0) {
        const int index_ring = lr_ring_integral(kk, x);
        inv = ring && index_ring ? lr_mo_inverse_index_ring(func, k, x, e, zero)
              : ring             ? lr_mo_inverse_field(func, k, x, e, zero, one)
              : mod == NULL      ? lr_mo_inverse_int(func, k, x, e)
                                 : lr_mo_inverse_mod(func, k, x, e, mod);
        if (inv == NULL) {
            goto done;
        }
        Py_SETREF(e, PyNumber_Negative(e));
        if (e == NULL) {
            goto done;
        }
    }
    res = lr_mo_power(func, k, inv != NULL ? inv : x, e, mod, !ring && mod == NULL, zero, one);
    if (res != NULL) {
        memcpy(out, res, (size_t)kk * sizeof *res); /* the references move to out */
        PyMem_Free(res);
    }
done:
    lr_mo_free(x, kk);
    lr_mo_free(inv, kk);
    Py_XDECREF(e);
    Py_XDECREF(mod);
    Py_XDECREF(zero);
    Py_XDECREF(one);
    return res != NULL ? 0 : -1;
}
