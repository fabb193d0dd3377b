/*
 * Many indices for one recurrence (rec/lr_batch.c) against one term at a time (lr_term_*),
 * at the boundaries of the batch policy: runs of LR_RUN_MIN - 1, LR_RUN_MIN and
 * LR_RUN_MIN + 1 consecutive indices (inline steps vs the sequence driver), runs that cross
 * from negative to non-negative indices, runs that end at UINT64_MAX, strided output (no
 * sequence driver), scattered indices (window tables), the int64 overflow boundary inside a
 * run (the failing index is named), order 2 modulo an odd m with and without lr_order2.c,
 * and m = 1.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lr_batch.h"
#include "lr_core.h"
#include "lr_ctest.h"
#include "lr_order2.h"

#define MAXN 512

static const int64_t fib_c[2] = {1, 1}, fib_i[2] = {0, 1};
static const int64_t tri_c[3] = {1, 1, 1}, tri_i[3] = {0, 0, 1};

static lr_batch_t
batch_of(const int64_t *n, int64_t count, void *out, ptrdiff_t out_stride)
{
    lr_batch_t b;
    b.n = (const char *)n;
    b.n_stride = 8;
    b.n_unsigned = 0;
    b.out = out;
    b.out_stride = out_stride;
    b.count = count;
    b.failed_n = lr_index_from_i64(0);
    return b;
}

/* lr_terms_i64 over n[0..count) equals lr_term_i64 index by index (stride in slots). */
static void
check_i64(int64_t k, const int64_t *c, const int64_t *init, const int64_t *n, int64_t count,
          int stride)
{
    static int64_t out[MAXN * 2];
    void *work = malloc(lr_work_bytes(LR_METHOD_AUTO, k));
    lr_batch_t b = batch_of(n, count, out, 8 * stride);
    LR_CHECK(lr_terms_i64(LR_METHOD_AUTO, k, c, init, &b) == LR_OK);
    for (int64_t t = 0; t < count; t++) {
        int64_t v = -1;
        LR_CHECK(lr_term_i64(LR_METHOD_AUTO, k, c, init, lr_index_from_i64(n[t]), &v, work) ==
                 LR_OK);
        LR_CHECK(out[t * stride] == v);
    }
    free(work);
}

static void
check_mod(int64_t k, const uint64_t *c, const uint64_t *init, uint64_t m, const int64_t *n,
          int64_t count)
{
    static uint64_t out[MAXN];
    void *work = malloc(lr_work_bytes(LR_METHOD_AUTO, k));
    lr_batch_t b = batch_of(n, count, out, 8);
    LR_CHECK(lr_terms_mod(LR_METHOD_AUTO, k, c, init, m, &b) == LR_OK);
    for (int64_t t = 0; t < count; t++) {
        uint64_t v = UINT64_MAX;
        LR_CHECK(lr_term_mod(LR_METHOD_AUTO, k, c, init, lr_index_from_i64(n[t]), m, &v, work) ==
                 LR_OK);
        LR_CHECK(out[t] == v);
    }
    free(work);
}

static void
fill_run(int64_t *n, int64_t start, int64_t len)
{
    for (int64_t t = 0; t < len; t++) {
        n[t] = start + t;
    }
}

int
main(void)
{
    static int64_t n[MAXN];
    const int64_t lens[] = {1, 2, 3, LR_RUN_MIN - 1, LR_RUN_MIN, LR_RUN_MIN + 1};
    const int64_t starts[] = {0, 1, 2, 9}; /* T(74) is the last Tribonacci in int64 */

    /* runs of every length around LR_RUN_MIN, contiguous and strided output */
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        for (size_t j = 0; j < sizeof starts / sizeof starts[0]; j++) {
            fill_run(n, starts[j], lens[i]);
            check_i64(3, tri_c, tri_i, n, lens[i], 1);
            check_i64(3, tri_c, tri_i, n, lens[i], 2);
        }
    }
    /* a run that crosses zero: negative indices never step */
    fill_run(n, -10, LR_RUN_MIN + 20);
    check_i64(2, fib_c, fib_i, n, 70, 1);
    check_i64(2, fib_c, fib_i, n, LR_RUN_MIN + 20, 1);
    /* a run of LR_RUN_MIN behind a few scattered indices, then scattered again */
    for (int64_t t = 0; t < 200; t++) {
        n[t] = t < 5 ? 40 - 7 * t : (t < 5 + LR_RUN_MIN ? t : (t * 7919) % 75); /* T(74) fits */
    }
    check_i64(2, fib_c, fib_i, n, 200, 1);
    check_i64(3, tri_c, tri_i, n, 200, 1);

    /* the int64 overflow boundary inside a run: F(92) fits, F(93) does not */
    for (int r = 0; r < 2; r++) {
        int64_t len = r == 0 ? LR_RUN_MIN + 40 : 16; /* the sequence driver, inline steps */
        static int64_t out[MAXN];
        fill_run(n, 93 - len + 5, len);
        lr_batch_t b = batch_of(n, len, out, 8);
        LR_CHECK(lr_terms_i64(LR_METHOD_AUTO, 2, fib_c, fib_i, &b) == LR_ERR_OVERFLOW);
        LR_CHECK(!b.failed_n.neg && b.failed_n.mag == 93);
        LR_CHECK(out[len - 6] == INT64_C(7540113804746346429)); /* F(92) */
    }

    /* residues: scattered (tables), runs, order 2 with and without lr_order2.c, m = 1 */
    const uint64_t p = (1ull << 61) - 1, cm[3] = {1, 1, 1}, im[3] = {0, 1, 1};
    for (int64_t t = 0; t < 300; t++) {
        n[t] = (int64_t)((uint64_t)t * 0x9e3779b97f4a7c15ull >> 4);
    }
    check_mod(2, cm, im, p, n, 300); /* order 2, odd m, scattered: lr_order2.c */
    check_mod(2, cm, im, 1000, n, 300); /* even m: window tables */
    check_mod(3, cm, im, p, n, 300); /* order 3: window tables */
    check_mod(2, cm, im, p, n, LR_O2_MIN - 1);
    fill_run(n, 1000000, 300);
    check_mod(2, cm, im, p, n, 300); /* lr_order2.c declines an arange */
    check_mod(3, cm, im, 1u << 30, n, LR_RUN_MIN - 1);
    check_mod(3, cm, im, 1, n, 300); /* m = 1: zeros */

    /* a run that ends at UINT64_MAX (unsigned indices): no step past the largest index */
    {
        static uint64_t nu[LR_RUN_MIN + 4], out[LR_RUN_MIN + 4];
        const int64_t len = LR_RUN_MIN + 4;
        for (int64_t t = 0; t < len; t++) {
            nu[t] = UINT64_MAX - (uint64_t)(len - 1 - t);
        }
        lr_batch_t b = batch_of((const int64_t *)nu, len, out, 8);
        b.n_unsigned = 1;
        LR_CHECK(lr_terms_mod(LR_METHOD_AUTO, 3, cm, im, p, &b) == LR_OK);
        void *work = malloc(lr_work_bytes(LR_METHOD_AUTO, 3));
        for (int64_t t = 0; t < len; t++) {
            uint64_t v = 0;
            LR_CHECK(lr_term_mod(LR_METHOD_AUTO, 3, cm, im, lr_index_from_u64(nu[t]), p, &v,
                                 work) == LR_OK);
            LR_CHECK(out[t] == v);
        }
        free(work);
    }

    /* float64: short runs take careful jumps, long ones the checked sequence kernels */
    {
        static double out[MAXN];
        const double fc[2] = {1.0, 1.0}, fi[2] = {0.0, 1.0};
        void *work = malloc(lr_work_bytes(LR_METHOD_AUTO, 2));
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            fill_run(n, 1400, lens[i]); /* F(1476) is the last finite double */
            lr_batch_t b = batch_of(n, lens[i], out, 8);
            LR_CHECK(lr_terms_f64(LR_METHOD_AUTO, 2, fc, fi, &b) == LR_OK);
            for (int64_t t = 0; t < lens[i]; t++) {
                double v = 0.0;
                LR_CHECK(lr_term_f64(LR_METHOD_AUTO, 2, fc, fi, lr_index_from_i64(n[t]), &v,
                                     work) == LR_OK);
                /* the same value up to rounding: stepping and jumping round differently */
                LR_CHECK(fabs(out[t] - v) <= 1e-13 * fabs(v));
            }
        }
        free(work);
    }
    return lr_ctest_finish("test_batch");
}
