/*
 * Elementwise ufuncs for the classical Lucas sequences and 64-bit primality:
 *
 *   fibonacci(n), lucas_number(n)            F_n, L_n
 *   lucas_u(P, Q, n), lucas_v(P, Q, n)       U_n(P, Q), V_n(P, Q)
 *   lucas_uv_mod(P, Q, n, m) -> (U, V)       U_n mod m, V_n mod m
 *   is_prime(n), is_strong_lucas_prp(n)      Baillie-PSW / strong Lucas (Selfridge)
 *
 * This file holds their docstrings, loop tables and registration; the loops are in
 * classic_loops.c, the algorithms over Python ints in src/pyobj.
 */
#include "classic_loops.h"

#include <string.h>

#include "numpy/ufuncobject.h"

/* ---- docstrings -------------------------------------------------------------------------- */

static const char lr_fibonacci_doc[] =
    "fibonacci(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Fibonacci numbers F_n: F_0 = 0, F_1 = 1, F_n = F_(n-1) + F_(n-2).\n"
    "\n"
    "An elementwise ufunc.  Negative n follow F_(-n) = (-1)**(n+1) F_n.  int64 results are\n"
    "exact (|n| <= 92) or raise OverflowError; object arrays give exact Python ints of any\n"
    "size.  The same as ``lucas_u(1, -1, n)``.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "    Indices (int64, uint64 or Python ints in object arrays).\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.fibonacci(np.arange(10))\n"
    "array([ 0,  1,  1,  2,  3,  5,  8, 13, 21, 34])\n"
    ">>> int(lucas.fibonacci(92))\n"
    "7540113804746346429\n"
    ">>> lucas.fibonacci([-1, -2, -3])\n"
    "array([ 1, -1,  2])\n"
    ">>> lucas.fibonacci(np.array([100], dtype=object))\n"
    "array([354224848179261915075], dtype=object)\n";

static const char lr_lucas_number_doc[] =
    "lucas_number(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Lucas numbers L_n: L_0 = 2, L_1 = 1, L_n = L_(n-1) + L_(n-2).\n"
    "\n"
    "An elementwise ufunc.  Negative n follow L_(-n) = (-1)**n L_n.  int64 results are exact\n"
    "(|n| <= 90) or raise OverflowError; object arrays give exact Python ints.  The same as\n"
    "``lucas_v(1, -1, n)``.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.lucas_number(np.arange(8))\n"
    "array([ 2,  1,  3,  4,  7, 11, 18, 29])\n"
    ">>> lucas.lucas_number([-1, -2])\n"
    "array([-1,  3])\n";

static const char lr_lucas_u_doc[] =
    "lucas_u(P, Q, n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Lucas sequence U_n(P, Q): U_0 = 0, U_1 = 1, U_n = P U_(n-1) - Q U_(n-2).\n"
    "\n"
    "An elementwise ufunc: P, Q and n broadcast together.  int64 results are exact or raise\n"
    "OverflowError naming the index (only when the true value does not fit; huge n with a\n"
    "small result, such as U_n(0, 5) = 0 for even n, is exact).  Object arrays give exact\n"
    "Python ints of any size.  Negative n is defined for Q = 1 or -1 (U_(-n) = -Q**n U_n);\n"
    "other Q raise ValueError.  Computed by doubling, O(log n).\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "P, Q : array_like of int\n"
    "    Parameters of the characteristic polynomial x**2 - P x + Q.\n"
    "n : array_like of int\n"
    "    Indices.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "See Also\n"
    "--------\n"
    "lucas_v, lucas_uv_mod, fibonacci\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.lucas_u(2, -1, np.arange(8))      # Pell numbers\n"
    "array([  0,   1,   2,   5,  12,  29,  70, 169])\n"
    ">>> lucas.lucas_u(3, 2, 10)                  # 2**n - 1\n"
    "np.int64(1023)\n"
    ">>> int(lucas.lucas_u(0, 5, 10**18))\n"
    "0\n"
    ">>> lucas.lucas_u(1, -1, -5)\n"
    "np.int64(5)\n";

static const char lr_lucas_v_doc[] =
    "lucas_v(P, Q, n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Lucas sequence V_n(P, Q): V_0 = 2, V_1 = P, V_n = P V_(n-1) - Q V_(n-2).\n"
    "\n"
    "An elementwise ufunc with the same conventions as :func:`lucas_u`; negative n (Q = +-1)\n"
    "follows V_(-n) = Q**n V_n.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "P, Q : array_like of int\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of int64 (object for object input)\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> lucas.lucas_v(2, -1, np.arange(6))      # companion Pell numbers\n"
    "array([ 2,  2,  6, 14, 34, 82])\n"
    ">>> lucas.lucas_v(3, 2, 10)                  # 2**n + 1\n"
    "np.int64(1025)\n";

static const char lr_lucas_uv_mod_doc[] =
    "lucas_uv_mod(P, Q, n, m, /, out=(None, None), *, where=True, ...)\n"
    "\n"
    "U_n(P, Q) mod m and V_n(P, Q) mod m, as two outputs.\n"
    "\n"
    "An elementwise ufunc: all four inputs broadcast.  Exact for every modulus 1 <= m < 2**64\n"
    "(uint64 moduli give uint64 results, int64 moduli int64 results) and for Python ints of\n"
    "any size in object arrays.  P and Q are reduced into [0, m); results lie in [0, m).\n"
    "m <= 0 raises ValueError.  Negative n needs Q invertible modulo m.  Python ints from\n"
    "2**63 on take the uint64 loop, from 2**64 on the object loop.  A Lucas chain in\n"
    "Montgomery arithmetic, many terms interleaved: two\n"
    "modular products per bit of n when Q = +-1, about 3.3 for other Q.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "P, Q : array_like of int\n"
    "n : array_like of int\n"
    "m : array_like of int\n"
    "    Moduli, positive.\n"
    "\n"
    "Returns\n"
    "-------\n"
    "U, V : ndarray\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> u, v = lucas.lucas_uv_mod(1, -1, 10**18, 10**9 + 7)\n"
    ">>> int(u), int(v)\n"
    "(209783453, 150331332)\n"
    ">>> u, v = lucas.lucas_uv_mod(1, -1, [10, 11, 12], 7)\n"
    ">>> u, v\n"
    "(array([6, 5, 4]), array([4, 3, 0]))\n"
    ">>> u, v = lucas.lucas_uv_mod(3, 2, 63, np.uint64(2**64 - 1))   # 2**n - 1, 2**n + 1\n"
    ">>> int(u), int(v)\n"
    "(9223372036854775807, 9223372036854775809)\n";

static const char lr_is_prime_doc[] =
    "is_prime(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Primality of integers: deterministic for every n < 2**64.\n"
    "\n"
    "An elementwise ufunc over uint64 and int64 arrays (negative numbers, 0 and 1 are not\n"
    "prime).  Trial division by the primes below 300, then the Baillie-PSW test: a strong\n"
    "Miller-Rabin round to base 2 and the strong Lucas test with Selfridge's parameters.  No\n"
    "composite below 2**64 passes both, so the answer is exact.  Object arrays accept Python\n"
    "ints of any size; above 2**64 the answer is a BPSW probable prime (no counterexample is\n"
    "known).\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of bool\n"
    "\n"
    "See Also\n"
    "--------\n"
    "is_strong_lucas_prp\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import numpy as np, lucas\n"
    ">>> np.flatnonzero(lucas.is_prime(np.arange(30)))\n"
    "array([ 2,  3,  5,  7, 11, 13, 17, 19, 23, 29])\n"
    ">>> bool(lucas.is_prime(np.uint64(2**64 - 59)))\n"
    "True\n"
    ">>> bool(lucas.is_prime(3215031751))      # strong pseudoprime to bases 2, 3, 5, 7\n"
    "False\n";

static const char lr_is_strong_lucas_prp_doc[] =
    "is_strong_lucas_prp(n, /, out=None, *, where=True, ...)\n"
    "\n"
    "Strong Lucas probable-prime test with Selfridge's parameters.\n"
    "\n"
    "D is the first of 5, -7, 9, -11, ... with Jacobi(D/n) = -1, P = 1 and Q = (1 - D)/4;\n"
    "with n + 1 = d 2**s (d odd), n passes when U_d = 0 or V_(d 2**r) = 0 (mod n) for some\n"
    "0 <= r < s.  Every prime passes; 0, 1, even n > 2, negative n and perfect squares do\n"
    "not.  Composites that pass are strong Lucas pseudoprimes (5459, 5777, 10877, ...).\n"
    "Elementwise over uint64, int64 and object (any size) arrays.\n"
    "\n"
    "Parameters\n"
    "----------\n"
    "n : array_like of int\n"
    "\n"
    "Returns\n"
    "-------\n"
    "ndarray of bool\n"
    "\n"
    "Examples\n"
    "--------\n"
    ">>> import lucas\n"
    ">>> lucas.is_strong_lucas_prp([5459, 5777, 5779, 5781])\n"
    "array([ True,  True,  True, False])\n";

/* ---- registration ------------------------------------------------------------------------ */

#define LR_D(x) ((void *)(intptr_t)(x))

static PyUFuncGenericFunction lr_fib_funcs[3] = {lr_fib_loop, lr_fib_loop, lr_fib_obj_loop};
static char lr_fib_types[3 * 2] = {
    NPY_INT64, NPY_INT64, NPY_UINT64, NPY_INT64, NPY_OBJECT, NPY_OBJECT,
};
static void *lr_fib_data[3] = {LR_D(0), LR_D(LR_CL_NU), LR_D(0)};
static void *lr_luc_data[3] = {LR_D(LR_CL_SECOND), LR_D(LR_CL_SECOND | LR_CL_NU),
                               LR_D(LR_CL_SECOND)};

/* lucas_u / lucas_v / lucas_uv_mod: the int64 loops first (NumPy takes the first loop every
 * input casts to safely, so smaller integer types land there), then every combination with
 * uint64 P, Q, n (and m), so that no integer input is promoted to float or refused; object
 * last.  Filled by lr_build_classic_tables. */
#define LR_UV_NLOOPS 9
#define LR_UVM_NLOOPS 17
static PyUFuncGenericFunction lr_uv_funcs[LR_UV_NLOOPS];
static char lr_uv_types[LR_UV_NLOOPS * 4];
static void *lr_u_data[LR_UV_NLOOPS];
static void *lr_v_data[LR_UV_NLOOPS];

static PyUFuncGenericFunction lr_uvm_funcs[LR_UVM_NLOOPS];
static char lr_uvm_types[LR_UVM_NLOOPS * 6];
static void *lr_uvm_data[LR_UVM_NLOOPS];

static void
lr_build_classic_tables(void)
{
    /* lucas_u / lucas_v: (P, Q, n) -> int64; bit 2: P unsigned, 1: Q, 0: n */
    static const int order[8] = {0, 1, 4, 5, 2, 3, 6, 7};
    for (int j = 0; j < 8; j++) {
        int b = order[j];
        int flags = ((b & 4) ? LR_CL_PU : 0) | ((b & 2) ? LR_CL_QU : 0) | ((b & 1) ? LR_CL_NU : 0);
        lr_uv_funcs[j] = lr_uv_loop;
        lr_uv_types[4 * j] = (char)((b & 4) ? NPY_UINT64 : NPY_INT64);
        lr_uv_types[4 * j + 1] = (char)((b & 2) ? NPY_UINT64 : NPY_INT64);
        lr_uv_types[4 * j + 2] = (char)((b & 1) ? NPY_UINT64 : NPY_INT64);
        lr_uv_types[4 * j + 3] = NPY_INT64;
        lr_u_data[j] = LR_D(flags);
        lr_v_data[j] = LR_D(flags | LR_CL_SECOND);
    }
    lr_uv_funcs[8] = lr_uv_obj_loop;
    memset(lr_uv_types + 32, NPY_OBJECT, 4);
    lr_u_data[8] = LR_D(0);
    lr_v_data[8] = LR_D(LR_CL_SECOND);
    /* lucas_uv_mod: (P, Q, n, m) -> (U, V) in m's type; bit 3: P, 2: Q, 1: n, 0: m unsigned */
    for (int b = 0; b < 16; b++) {
        int flags = ((b & 8) ? LR_CL_PU : 0) | ((b & 4) ? LR_CL_QU : 0) | ((b & 2) ? LR_CL_NU : 0) |
                    ((b & 1) ? LR_CL_MU : 0);
        char *t = lr_uvm_types + 6 * b;
        t[0] = (char)((b & 8) ? NPY_UINT64 : NPY_INT64);
        t[1] = (char)((b & 4) ? NPY_UINT64 : NPY_INT64);
        t[2] = (char)((b & 2) ? NPY_UINT64 : NPY_INT64);
        t[3] = t[4] = t[5] = (char)((b & 1) ? NPY_UINT64 : NPY_INT64);
        lr_uvm_funcs[b] = lr_uv_mod_loop;
        lr_uvm_data[b] = LR_D(flags);
    }
    lr_uvm_funcs[16] = lr_uv_mod_obj_loop;
    memset(lr_uvm_types + 96, NPY_OBJECT, 6);
    lr_uvm_data[16] = LR_D(0);
}

static PyUFuncGenericFunction lr_prime_funcs[3] = {lr_prime_loop, lr_prime_loop, lr_prime_obj_loop};
static char lr_prime_types[3 * 2] = {
    NPY_UINT64, NPY_BOOL, NPY_INT64, NPY_BOOL, NPY_OBJECT, NPY_BOOL,
};
static void *lr_isprime_data[3] = {LR_D(LR_CL_NU), LR_D(0), LR_D(0)};
static void *lr_slprp_data[3] = {LR_D(LR_CL_SECOND | LR_CL_NU), LR_D(LR_CL_SECOND),
                                 LR_D(LR_CL_SECOND)};

static int
lr_add_ufunc(PyObject *module, PyUFuncGenericFunction *funcs, void **data, char *types, int ntypes,
             int nin, int nout, const char *name, const char *doc)
{
    PyObject *uf =
        PyUFunc_FromFuncAndData(funcs, data, types, ntypes, nin, nout, PyUFunc_None, name, doc, 0);
    if (uf == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(module, name, uf);
    Py_DECREF(uf);
    return rc;
}

int
lr_register_classic_ufuncs(PyObject *module)
{
    lr_build_classic_tables();
    if (lr_add_ufunc(module, lr_fib_funcs, lr_fib_data, lr_fib_types, 3, 1, 1, "fibonacci",
                     lr_fibonacci_doc) < 0 ||
        lr_add_ufunc(module, lr_fib_funcs, lr_luc_data, lr_fib_types, 3, 1, 1, "lucas_number",
                     lr_lucas_number_doc) < 0 ||
        lr_add_ufunc(module, lr_uv_funcs, lr_u_data, lr_uv_types, LR_UV_NLOOPS, 3, 1, "lucas_u",
                     lr_lucas_u_doc) < 0 ||
        lr_add_ufunc(module, lr_uv_funcs, lr_v_data, lr_uv_types, LR_UV_NLOOPS, 3, 1, "lucas_v",
                     lr_lucas_v_doc) < 0 ||
        lr_add_ufunc(module, lr_uvm_funcs, lr_uvm_data, lr_uvm_types, LR_UVM_NLOOPS, 4, 2,
                     "lucas_uv_mod", lr_lucas_uv_mod_doc) < 0 ||
        lr_add_ufunc(module, lr_prime_funcs, lr_isprime_data, lr_prime_types, 3, 1, 1, "is_prime",
                     lr_is_prime_doc) < 0 ||
        lr_add_ufunc(module, lr_prime_funcs, lr_slprp_data, lr_prime_types, 3, 1, 1,
                     "is_strong_lucas_prp", lr_is_strong_lucas_prp_doc) < 0) {
        return -1;
    }
    return 0;
}
