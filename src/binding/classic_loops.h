/*
 * The loops of the classic family (classic_loops.c), for the tables in classic_ufunc.c.
 */
#ifndef LR_CLASSIC_LOOPS_H
#define LR_CLASSIC_LOOPS_H

#include "lr_binding.h"

#include "numpy/ndarraytypes.h"

/* Loop data is a small integer: bit 0 selects the second function of a pair (lucas_number,
 * lucas_v, is_strong_lucas_prp), bit 1 an unsigned index, bit 2 an unsigned modulus. */
#define LR_CL_SECOND 1
#define LR_CL_NU 2
#define LR_CL_MU 4
#define LR_CL_PU 8 /* P is uint64 (lucas_u, lucas_v, lucas_uv_mod) */
#define LR_CL_QU 16 /* Q is uint64 */

/* numeric: the C core without the GIL */
void lr_fib_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void lr_uv_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void lr_uv_mod_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void lr_prime_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);

/* object: Python ints of any size through src/pyobj, GIL held */
void lr_fib_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void lr_uv_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void lr_uv_mod_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void lr_prime_obj_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data);

#endif /* LR_CLASSIC_LOOPS_H */
