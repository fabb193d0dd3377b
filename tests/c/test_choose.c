/*
 * lr_choose (rec/lr_choose.c) row by row against README's "How auto computes" table, at the
 * edges where a row starts or stops applying: k = 2 vs 3, odd vs even m, m = 1, Bostan-Mori
 * around its measured crossovers, batch sizes 1, 2, LR_O2_MIN - 1 and LR_O2_MIN.
 */
#include <stdint.h>

#include "lr_bostan_mori.h"
#include "lr_choose.h"
#include "lr_ctest.h"
#include "lr_order2.h"

static lr_algo
one_mod(lr_method method, int64_t k, uint64_t m)
{
    lr_mod_t x;
    lr_mod_init(&x, m);
    return lr_choose(method, LR_RING_MOD, k, &x, LR_CHOOSE_ONE_TERM);
}

static lr_algo
many_mod(lr_method method, int64_t k, uint64_t m, int64_t count)
{
    lr_mod_t x;
    lr_mod_init(&x, m);
    return lr_choose(method, LR_RING_MOD, k, &x, count);
}

int
main(void)
{
    const uint64_t ntt = 998244353u; /* 2^23 | p - 1 */
    const uint64_t goldilocks = 18446744069414584321ull; /* 2^64 - 2^32 + 1 */
    const uint64_t mersenne = (1ull << 61) - 1; /* prime, 2 || p - 1: no transforms */

    /* row "one term, any ring": Fiduccia */
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_I64, 5, NULL, LR_CHOOSE_ONE_TERM) == LR_ALGO_POLY);
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_F64, 2, NULL, LR_CHOOSE_ONE_TERM) == LR_ALGO_POLY);
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_I64, 1000, NULL, LR_CHOOSE_ONE_TERM) ==
             LR_ALGO_POLY);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 3, 7) == LR_ALGO_POLY);
    LR_CHECK(one_mod(LR_METHOD_POLY, 2, 7) == LR_ALGO_POLY); /* explicit: no Lucas */

    /* row "one term, large k, any modulus": Bostan-Mori where the cost model says so */
    LR_CHECK(one_mod(LR_METHOD_AUTO, 64, ntt) == LR_ALGO_BOSTAN_MORI);
    LR_CHECK(one_mod(LR_METHOD_AUTO, LR_BM_MIN_K - 1, ntt) == LR_ALGO_POLY);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 1024, goldilocks) == LR_ALGO_BOSTAN_MORI);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 1024, mersenne) == LR_ALGO_BOSTAN_MORI);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 1024, 1000000007u) == LR_ALGO_BOSTAN_MORI);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 64, 1000000007u) == LR_ALGO_POLY); /* below crossover */
    LR_CHECK(one_mod(LR_METHOD_AUTO, 1024, ntt * 3) == LR_ALGO_BOSTAN_MORI); /* composite */
    LR_CHECK(one_mod(LR_METHOD_AUTO, 1024, 1u << 20) == LR_ALGO_BOSTAN_MORI); /* even */
    LR_CHECK(one_mod(LR_METHOD_AUTO, 1024, 1) == LR_ALGO_POLY); /* m = 1: all zeros */
    LR_CHECK(one_mod(LR_METHOD_POLY, 1024, ntt) == LR_ALGO_POLY);
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_F64, 1024, NULL, LR_CHOOSE_ONE_TERM) ==
             LR_ALGO_POLY);

    /* row "order 2, modulo an odd m": Lucas doubling */
    LR_CHECK(one_mod(LR_METHOD_AUTO, 2, 3) == LR_ALGO_LUCAS2);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 2, mersenne) == LR_ALGO_LUCAS2);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 2, UINT64_MAX) == LR_ALGO_LUCAS2);
    LR_CHECK(one_mod(LR_METHOD_AUTO, 2, 10) == LR_ALGO_POLY); /* even m */
    LR_CHECK(one_mod(LR_METHOD_AUTO, 2, 1) == LR_ALGO_POLY); /* m = 1 is not odd here */
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_I64, 2, NULL, LR_CHOOSE_ONE_TERM) == LR_ALGO_POLY);

    /* row "matrix", for every ring and size */
    LR_CHECK(one_mod(LR_METHOD_MATRIX, 2, 7) == LR_ALGO_MATRIX);
    LR_CHECK(one_mod(LR_METHOD_MATRIX, 1024, ntt) == LR_ALGO_MATRIX);
    LR_CHECK(lr_choose(LR_METHOD_MATRIX, LR_RING_F64, 64, NULL, LR_CHOOSE_ONE_TERM) ==
             LR_ALGO_MATRIX);
    LR_CHECK(lr_choose(LR_METHOD_MATRIX, LR_RING_I64, 1, NULL, LR_CHOOSE_ONE_TERM) ==
             LR_ALGO_MATRIX);

    /* row "many n, one recurrence": the batch driver for auto, from two indices */
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_I64, 3, NULL, 2) == LR_ALGO_BATCH);
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_F64, 3, NULL, 100000) == LR_ALGO_BATCH);
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_I64, 3, NULL, 1) == LR_ALGO_EACH);
    LR_CHECK(many_mod(LR_METHOD_AUTO, 3, 7, 2) == LR_ALGO_BATCH);
    LR_CHECK(many_mod(LR_METHOD_AUTO, 2, 10, 1000) == LR_ALGO_BATCH); /* even m */
    LR_CHECK(many_mod(LR_METHOD_AUTO, 2, 7, LR_O2_MIN - 1) == LR_ALGO_BATCH);
    LR_CHECK(many_mod(LR_METHOD_AUTO, 5, 1, 1000) == LR_ALGO_EACH); /* m = 1: zeros */
    /* explicit methods: every index on its own, with that method */
    LR_CHECK(lr_choose(LR_METHOD_POLY, LR_RING_I64, 3, NULL, 1000) == LR_ALGO_EACH);
    LR_CHECK(lr_choose(LR_METHOD_MATRIX, LR_RING_F64, 3, NULL, 1000) == LR_ALGO_EACH);
    LR_CHECK(many_mod(LR_METHOD_MATRIX, 2, 7, 1000) == LR_ALGO_EACH);

    /* row "many scattered n, order 2, modulo an odd m" */
    LR_CHECK(many_mod(LR_METHOD_AUTO, 2, 7, LR_O2_MIN) == LR_ALGO_ORDER2_MANY);
    LR_CHECK(many_mod(LR_METHOD_AUTO, 2, mersenne, 100000) == LR_ALGO_ORDER2_MANY);
    LR_CHECK(many_mod(LR_METHOD_AUTO, 2, 3, LR_O2_MIN) == LR_ALGO_ORDER2_MANY);
    LR_CHECK(many_mod(LR_METHOD_AUTO, 3, mersenne, 100000) == LR_ALGO_BATCH);
    LR_CHECK(lr_choose(LR_METHOD_AUTO, LR_RING_I64, 2, NULL, 100000) == LR_ALGO_BATCH);

    return lr_ctest_finish("test_choose");
}
