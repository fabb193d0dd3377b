/*
 * Classical Lucas sequences and primality tests (plain C99 + unsigned __int128, no Python.h).
 * The modular arithmetic they share with the recurrence kernels is in arith/lr_modarith.h.
 *
 *   U_0 = 0, U_1 = 1, V_0 = 2, V_1 = P,  X_n = P X_{n-1} - Q X_{n-2}
 *
 * Fibonacci is U(1, -1), the Lucas numbers are V(1, -1).  Every entry point is reentrant and
 * keeps no global state.
 */
#ifndef LR_CLASSIC_H
#define LR_CLASSIC_H

#include <stddef.h>
#include <stdint.h>

#include "lr_core.h"
#include "lr_modarith.h"
#include "lr_primality.h"

/* Which of U_n and V_n a caller needs (a value that is not wanted may overflow freely). */
#define LR_WANT_U 1
#define LR_WANT_V 2

/* Largest |n| with F_n, and with L_n, in int64 (F_92, L_90; F_{-n} = (-1)^(n+1) F_n). */
#define LR_FIB_MAX_I64 92
#define LR_LUC_MAX_I64 90

/*
 * Exact U_n(P, Q) and/or V_n(P, Q) as int64.
 *   want: LR_WANT_U and/or LR_WANT_V; only wanted outputs are written.
 *   n:    negative only for Q = +-1 (U_{-n} = -Q^n U_n, V_{-n} = Q^n V_n), else
 *         LR_ERR_BACKWARDS.
 * Returns LR_ERR_OVERFLOW only when a wanted true value does not fit int64 (proven by a
 * residue that no int64 can have); LR_ERR_UNCERTIFIED in the (never observed) case of a
 * non-degenerate sequence whose residues look like an int64 but whose magnitude bound is too
 * large to prove it.
 */
lr_status lr_lucas_uv_i64(int64_t P, int64_t Q, lr_index_t n, int want, int64_t *u, int64_t *v);

/*
 * Tables F[0..LR_FIB_MAX_I64] and L[0..LR_LUC_MAX_I64] of the Fibonacci and Lucas numbers,
 * for loops over many indices (filled by recurrence; cheap).
 */
void lr_fib_luc_tables(int64_t *fib, int64_t *luc);

/*
 * U_n mod m and V_n mod m for any 1 <= m < 2^64 (results in [0, m); everything is 0 for
 * m == 1).  P and Q are residues in [0, m).  Negative n needs gcd(Q, m) == 1
 * (LR_ERR_BACKWARDS otherwise).  want as above (both outputs are always written).
 */
lr_status lr_lucas_uv_mod(uint64_t P, uint64_t Q, lr_index_t n, uint64_t m, int want, uint64_t *u,
                          uint64_t *v);

/* One term for lr_lucas_uv_mod_many: inputs P, Q (residues mod m), n, m; outputs u, v, st. */
typedef struct {
    uint64_t P, Q;
    lr_index_t n;
    uint64_t m;
    uint64_t u, v;
    lr_status st;
} lr_uvm_item;

/* lr_lucas_uv_mod for many terms at once (independent chains interleaved: faster). */
void lr_lucas_uv_mod_many(size_t count, lr_uvm_item *items);

/* U_n and V_n modulo 2^64 (two's complement wrap), n >= 0. */
void lr_lucas_uv_wrap(uint64_t P, uint64_t Q, uint64_t n, int want, uint64_t *u, uint64_t *v);

/* U_n, V_n modulo 2^e, 1 <= e <= 63: the low e bits of *u, *v, the rest garbage (internal,
 * shared by lr_lucas_uv.c and lr_lucas_uv_many.c). */
void lr_lucas_uv_pow2(uint64_t P, uint64_t Q, uint64_t n, int e, int want, uint64_t *u,
                      uint64_t *v);

/* ---- the Lucas chain shared by lr_lucas_uv.c and lr_primality.c ---------------------- */

/*
 * The Lucas chain for V: *vn = V_n, *vn1 = V_n+1, *qn = Q^n (ring elements; n >= 0).
 * qsign: +1 when Q == 1, -1 when Q == -1 (then Q^k is a sign: two products per bit),
 * 0 otherwise.  Branch-free; the state (V_k, V_k+1, Q^k, Q^k+1) makes every bit one
 * product deep:
 *     V_2k = V_k^2 - 2 Q^k,  V_2k+1 = V_k V_k+1 - P Q^k,  V_2k+2 = V_k+1^2 - 2 Q^k+1,
 *     Q^2k = (Q^k)^2,  Q^2k+1 = Q^k Q^k+1,  Q^2k+2 = (Q^k+1)^2.
 */
static LR_ALWAYS_INLINE void
lr_v_chain(const lr_ring_t *r, uint64_t P, uint64_t Q, int qsign, uint64_t n, uint64_t *vn,
           uint64_t *vn1, uint64_t *qn)
{
    const uint64_t one = lr_r_one(r), two = lr_r_add(r, one, one);
    uint64_t vl = two, vh = P;
    if (qsign != 0) {
        /* Q^k = qsign^k: only the parity of k matters */
        const uint64_t mtwo = lr_r_neg(r, two), mP = lr_r_neg(r, P);
        const uint64_t qneg = qsign < 0;
        uint64_t kodd = 0;
        for (int b = lr_top_bit(n); b >= 0; b--) {
            const uint64_t bit = (n >> b) & 1u;
            const uint64_t x = lr_sel(bit, vh, vl);
            /* Q^(k+bit) = -1 iff Q = -1 and k + bit odd */
            const uint64_t tq = lr_sel(qneg & (kodd ^ bit), mtwo, two);
            const uint64_t vm = lr_r_sub(r, lr_r_mul(r, vl, vh), lr_sel(qneg & kodd, mP, P));
            const uint64_t sq = lr_r_sub(r, lr_r_mul(r, x, x), tq);
            vl = lr_sel(bit, vm, sq);
            vh = lr_sel(bit, sq, vm);
            kodd = bit;
        }
        *qn = (qsign < 0 && (n & 1u)) ? lr_r_neg(r, one) : one;
    }
    else {
        const int pone = P == one; /* Selfridge's P = 1 saves a product per bit */
        uint64_t qk = one, qk1 = Q;
        for (int b = lr_top_bit(n); b >= 0; b--) {
            const uint64_t bit = (n >> b) & 1u;
            const uint64_t x = lr_sel(bit, vh, vl);
            const uint64_t qx = lr_sel(bit, qk1, qk);
            const uint64_t pq = pone ? qk : lr_r_mul(r, P, qk);
            const uint64_t vm = lr_r_sub(r, lr_r_mul(r, vl, vh), pq);
            const uint64_t sq = lr_r_sub(r, lr_r_mul(r, x, x), lr_r_add(r, qx, qx));
            const uint64_t qm = lr_r_mul(r, qk, qk1);
            const uint64_t qs = lr_r_mul(r, qx, qx);
            vl = lr_sel(bit, vm, sq);
            vh = lr_sel(bit, sq, vm);
            qk = lr_sel(bit, qm, qs);
            qk1 = lr_sel(bit, qs, qm);
        }
        *qn = qk;
    }
    *vn = vl;
    *vn1 = vh;
}

#endif /* LR_CLASSIC_H */
