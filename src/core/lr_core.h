/*
 * lucas C core: terms of linear recurrences with constant coefficients.
 *
 * Plain C99 on int64_t / uint64_t / double; no Python.h.  Every entry point returns an
 * lr_status that the binding layer turns into a Python exception, never prints, and never
 * keeps mutable global state (safe to call from many threads at once).
 *
 * Seed convention: a[n+k] = sum(c[i] * a[n+i] for i < k), a[0..k-1] = init.
 */
#ifndef LR_CORE_H
#define LR_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum {
    LR_OK = 0,
    LR_ERR_OVERFLOW = 1, /* the true value does not fit the output type (proven) */
    LR_ERR_UNCERTIFIED = 2, /* could not prove the value fits: magnitude bound too large */
    LR_ERR_NOMEM = 3, /* workspace could not be allocated */
    LR_ERR_BACKWARDS = 4, /* negative n, but the recurrence cannot run backwards */
    LR_ERR_MODULUS = 5, /* modulus 0 */
    LR_ERR_ORDER = 6, /* k < 1, or k so large that the workspace size overflows */
} lr_status;

/* Which algorithm computes one term.  AUTO picks the fastest exact one for (k, n, dtype). */
typedef enum {
    LR_METHOD_AUTO = 0,
    LR_METHOD_MATRIX = 1, /* companion-matrix power, O(k^3 log n); BLAS dgemm for large k */
    LR_METHOD_POLY = 2, /* x^n mod the characteristic polynomial (Fiduccia), O(k^2 log n) */
    LR_METHOD_COUNT = 3
} lr_method;

/* A term index: n = neg ? -(int)mag : mag.  Lets uint64 indices and INT64_MIN share one path. */
typedef struct {
    int neg;
    uint64_t mag;
} lr_index_t;

static inline lr_index_t
lr_index_from_i64(int64_t n)
{
    lr_index_t idx;
    idx.neg = n < 0;
    idx.mag = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
    return idx;
}

static inline lr_index_t
lr_index_from_u64(uint64_t n)
{
    lr_index_t idx;
    idx.neg = 0;
    idx.mag = n;
    return idx;
}

/* The 8-byte index stored at p (int64, or uint64 when is_unsigned): ufunc buffers hold
 * either and need not be aligned, hence memcpy. */
static inline lr_index_t
lr_index_read(const char *p, int is_unsigned)
{
    if (is_unsigned) {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return lr_index_from_u64(v);
    }
    int64_t v;
    memcpy(&v, p, sizeof v);
    return lr_index_from_i64(v);
}

/* Order k from which method MATRIX squares float64 matrices through BLAS dgemm. */
#define LR_BLAS_MIN_K 64

/* Bytes of workspace that one lr_term_* call with this method and order needs; 0 when the
 * size does not fit size_t (the caller reports LR_ERR_ORDER). */
size_t lr_work_bytes(lr_method method, int64_t k);

/*
 * a[n] exactly as int64.  Returns LR_ERR_OVERFLOW only when the true value does not fit:
 * intermediate overflow falls back to a multi-modular check that proves the result.
 *   method: algorithm for the fast path
 *   k:      order (>= 1)
 *   c:      k coefficients, c[0] multiplies the oldest value
 *   init:   a[0..k-1]
 *   n:      index; negative only when c[0] == +-1
 *   out:    receives a[n]
 *   work:   lr_work_bytes(method, k) bytes, 16-byte aligned (malloc)
 */
lr_status lr_term_i64(lr_method method, int64_t k, const int64_t *c, const int64_t *init,
                      lr_index_t n, int64_t *out, void *work);

/*
 * a[n] exactly as uint64 from uint64 coefficients and initial values: LR_ERR_OVERFLOW only
 * when the true value lies outside [0, 2^64).  Negative n needs c[0] == 1.
 */
lr_status lr_term_u64(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
                      lr_index_t n, uint64_t *out, void *work);

/* a[n] in IEEE double (overflow gives inf, NaN propagates); negative n needs c[0] != 0. */
lr_status lr_term_f64(lr_method method, int64_t k, const double *c, const double *init,
                      lr_index_t n, double *out, void *work);

/*
 * a[n] mod m for any 1 <= m < 2^64.  c and init are residues already in [0, m) (the binding
 * reduces signed values); negative n needs gcd(c[0], m) == 1.  The result lies in [0, m).
 */
lr_status lr_term_mod(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
                      lr_index_t n, uint64_t m, uint64_t *out, void *work);

/*
 * Many indices for one recurrence: the common broadcast ufunc call term(c, init, ns).
 * Indices are read from a strided buffer (int64, or uint64 when n_unsigned), results written
 * as 8-byte values (int64, uint64 residues or double) to a strided buffer.  With
 * LR_METHOD_AUTO, consecutive runs step forward in O(k) per term and large batches share a
 * table of precomputed powers; explicit methods compute every index on its own.
 */
typedef struct {
    const char *n; /* first index */
    ptrdiff_t n_stride; /* bytes between indices */
    int n_unsigned; /* indices are uint64 rather than int64 */
    char *out; /* first result slot */
    ptrdiff_t out_stride; /* bytes between results */
    int64_t count; /* number of indices */
    lr_index_t failed_n; /* the index that failed, when a call returns an error */
} lr_batch_t;

lr_status lr_terms_i64(lr_method method, int64_t k, const int64_t *c, const int64_t *init,
                       lr_batch_t *batch);
lr_status lr_terms_u64(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
                       lr_batch_t *batch);
lr_status lr_terms_f64(lr_method method, int64_t k, const double *c, const double *init,
                       lr_batch_t *batch);
/* c, init: residues in [0, m) */
lr_status lr_terms_mod(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init,
                       uint64_t m, lr_batch_t *batch);

/* Human-readable BLAS in use ("none" without it), for lucas.show_config(). */
const char *lr_blas_info(void);
int lr_have_blas(void);

/* Primes just below 2^62 used to certify int64 / uint64 results (lr_primes.c, lr_certify.c);
 * more are found on the fly up to LR_CERT_MAX_PRIMES.  Each exceeds 2^61.9, so the cap
 * certifies magnitude bounds up to about 1024 * 61.9 - 66 = 63320 bits (LR_CERT_MAX_BITS, for
 * messages); the cap keeps the rare worst case to milliseconds for small k. */
#define LR_CERT_NPRIMES 128
#define LR_CERT_MAX_PRIMES 1024
#define LR_CERT_MAX_BITS "2**63000"
extern const uint64_t lr_cert_primes[LR_CERT_NPRIMES];

#endif /* LR_CORE_H */
