/*
 * The selection rule of method "auto", one branch per row of README's "How auto computes"
 * table (lr_choose.h).  The rows that are not decided here: "order 2, exact Python ints"
 * (the object-dtype path of the binding), "int64, uint64" (lr_term_i64 always checks, then
 * certifies) and "float64" (rescaling inside every float kernel, lr_float.c's careful paths).
 */
#include "lr_choose.h"

#include "lr_bostan_mori.h"
#include "lr_order2.h"

lr_algo
lr_choose(lr_method method, lr_ring_kind ring, int64_t k, const lr_mod_t *mod, int64_t count)
{
    const int odd_mod = ring == LR_RING_MOD && mod != NULL && mod->odd; /* odd m > 1 */
    if (count != LR_CHOOSE_ONE_TERM) {
        if (method != LR_METHOD_AUTO || count < 2 ||
            (ring == LR_RING_MOD && mod != NULL && mod->m == 1)) {
            /* explicit methods promise that algorithm for every index; a single index is one
             * term; m == 1: all zeros */
            return LR_ALGO_EACH;
        }
        /* row "many scattered n, order 2, modulo an odd m": split roots or Karatsuba tables */
        if (k == 2 && odd_mod && mod->m >= 3 && count >= LR_O2_MIN) {
            return LR_ALGO_ORDER2_MANY;
        }
        /* row "many n, one recurrence": consecutive runs step, other n share a table */
        return LR_ALGO_BATCH;
    }
    /* row "matrix": the companion-matrix power, for every ring */
    if (method == LR_METHOD_MATRIX) {
        return LR_ALGO_MATRIX;
    }
    if (method == LR_METHOD_AUTO && ring == LR_RING_MOD && mod != NULL) {
        /* row "order 2, modulo an odd m": Lucas-sequence doubling in Montgomery form */
        if (k == 2 && odd_mod) {
            return LR_ALGO_LUCAS2;
        }
        /* row "one term, large k, any modulus m >= 2": Bostan-Mori through number-theoretic
         * transforms where its measured cost model (lr_bm_preferred) beats Fiduccia */
        if (k >= LR_BM_MIN_K && mod->m > 1 && lr_bm_preferred(mod, k)) {
            return LR_ALGO_BOSTAN_MORI;
        }
    }
    /* row "one term, any ring" (and method "poly"): Fiduccia */
    return LR_ALGO_POLY;
}
